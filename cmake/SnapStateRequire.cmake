# snapstate_require(<Package> [<find_package arguments>...] FOR <who> APT <debian packages>)
#
# find_package(), and when the package is missing (or too old) a configure-time error that says
# who needs it and which Debian/Ubuntu package provides it. A macro, so that what find_package()
# sets (<Package>_VERSION, ...) reaches the caller.
macro(snapstate_require package)
  cmake_parse_arguments(_snapstate_require "" "FOR;APT" "" ${ARGN})
  find_package(${package} ${_snapstate_require_UNPARSED_ARGUMENTS} QUIET)
  if(NOT ${package}_FOUND)
    snapstate_missing("${package}" "${_snapstate_require_FOR}" "${_snapstate_require_APT}"
                      "${_snapstate_require_UNPARSED_ARGUMENTS}")
  endif()
endmacro()

# snapstate_require_httplib(<who>)
#
# cpp-httplib as PkgConfig::HTTPLIB, the target the servers link: its CMake package where it
# was built with CMake (vcpkg), else its pkg-config file (all that Debian/Ubuntu ship).
macro(snapstate_require_httplib who)
  if(NOT TARGET PkgConfig::HTTPLIB)
    find_package(httplib CONFIG QUIET)
    if(httplib_FOUND)
      add_library(PkgConfig::HTTPLIB INTERFACE IMPORTED)
      target_link_libraries(PkgConfig::HTTPLIB INTERFACE httplib::httplib)
    else()
      find_package(PkgConfig QUIET)
      if(PkgConfig_FOUND)
        pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
      endif()
      if(NOT HTTPLIB_FOUND)
        snapstate_missing(cpp-httplib "${who}" "libcpp-httplib-dev pkg-config" "")
      endif()
    endif()
  endif()
endmacro()

# snapstate_missing(<what> <who> <debian packages> <find_package arguments>)
function(snapstate_missing what who apt arguments)
  set(wanted "${what}")
  if(arguments MATCHES "^([0-9][0-9.]*)")
    string(APPEND wanted " >= ${CMAKE_MATCH_1}")
  endif()
  set(found "")
  if(what MATCHES "^[A-Za-z0-9_]+$")
    string(TOUPPER "${what}" upper)
    foreach(variable ${what}_VERSION_STRING ${what}_VERSION ${upper}_VERSION
                     ${what}_CONSIDERED_VERSIONS)
      if(${variable})
        set(found " (found version ${${variable}})")
        break()
      endif()
    endforeach()
  endif()
  message(FATAL_ERROR
    "${who} needs ${wanted}, which was not found${found}.\n"
    "On Debian/Ubuntu: sudo apt-get install ${apt}\n"
    "(or point CMAKE_PREFIX_PATH at another installation of it)")
endfunction()
