# snapstate_add_test(<name> SOURCES <files...> [PRIVATE_HEADERS] [LINK <targets...>])
#
# One GoogleTest executable; each case becomes its own ctest test labelled <name>.
# Parameterized cases are named by index (NO_PRETTY_VALUES/NO_PRETTY_TYPES), so ctest names
# stay short and stable whatever the parameters hold. PRIVATE_HEADERS lets a suite include
# the library's internal headers from src/.
include(GoogleTest)

function(snapstate_add_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "PRIVATE_HEADERS" "" "SOURCES;LINK")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "snapstate_add_test(${name}): no SOURCES")
  endif()
  add_executable(${name} ${arg_SOURCES})
  if(arg_PRIVATE_HEADERS)
    target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/src")
  endif()
  target_link_libraries(${name} PRIVATE ${arg_LINK} GTest::gmock GTest::gtest_main)
  target_compile_features(${name} PRIVATE cxx_std_17)
  snapstate_set_warnings(${name})
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    NO_PRETTY_VALUES NO_PRETTY_TYPES
    PROPERTIES TIMEOUT 120 LABELS ${name})
endfunction()
