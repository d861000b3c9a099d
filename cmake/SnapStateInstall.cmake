# Install rules: headers, the library, the exported targets, the package config and version
# files, snapstate.pc, and the Doxygen HTML when the docs target has been built. Every
# installed path is relative to the prefix, so an installed tree can be moved.
include(CMakePackageConfigHelpers)

set(SNAPSTATE_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/SnapState")

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/snapstate"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/include/snapstate/version.hpp"
              "${PROJECT_BINARY_DIR}/include/snapstate/export.hpp"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/snapstate")

install(TARGETS snapstate
        EXPORT SnapStateTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
        INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

install(EXPORT SnapStateTargets
        NAMESPACE snapstate::
        FILE SnapStateTargets.cmake
        DESTINATION "${SNAPSTATE_CMAKE_DIR}")

# A static libsnapstate drags its private dependencies into the consumer's link line.
get_target_property(SNAPSTATE_LIBRARY_TYPE snapstate TYPE)
if(SNAPSTATE_LIBRARY_TYPE STREQUAL "STATIC_LIBRARY")
  set(SNAPSTATE_STATIC ON)
else()
  set(SNAPSTATE_STATIC OFF)
endif()

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/SnapStateConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/SnapStateConfig.cmake"
  INSTALL_DESTINATION "${SNAPSTATE_CMAKE_DIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/SnapStateConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/SnapStateConfig.cmake"
              "${PROJECT_BINARY_DIR}/SnapStateConfigVersion.cmake"
        DESTINATION "${SNAPSTATE_CMAKE_DIR}")

# pkg-config: paths relative to the .pc file's own location.
set(SNAPSTATE_PC_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH SNAPSTATE_PC_TO_PREFIX
     "${CMAKE_INSTALL_PREFIX}/${SNAPSTATE_PC_DIR}" "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" SNAPSTATE_PC_TO_PREFIX "${SNAPSTATE_PC_TO_PREFIX}")
# A static libsnapstate needs its own dependencies on every link line, so they are plain
# Requires then (plain `pkg-config --libs snapstate` links); a shared one keeps them private.
if(SNAPSTATE_STATIC)
  set(SNAPSTATE_PC_REQUIRES "nlohmann_json, libcurl, libcrypto, simdjson")
  set(SNAPSTATE_PC_REQUIRES_PRIVATE "")
  set(SNAPSTATE_PC_LIBS "-pthread")
  set(SNAPSTATE_PC_CFLAGS "-DSNAPSTATE_STATIC_DEFINE")
else()
  set(SNAPSTATE_PC_REQUIRES "nlohmann_json")
  set(SNAPSTATE_PC_REQUIRES_PRIVATE "libcurl, libcrypto, simdjson")
  set(SNAPSTATE_PC_LIBS "")
  set(SNAPSTATE_PC_CFLAGS "")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/snapstate.pc.in"
               "${PROJECT_BINARY_DIR}/snapstate.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/snapstate.pc" DESTINATION "${SNAPSTATE_PC_DIR}")

if(SNAPSTATE_BUILD_DOCS)
  install(DIRECTORY "${PROJECT_BINARY_DIR}/docs/html" DESTINATION "${CMAKE_INSTALL_DOCDIR}" OPTIONAL)
endif()
