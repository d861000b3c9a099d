set(SYSTEM_PORT_DEB libcpp-httplib-dev)
file(GLOB SYSTEM_PORT_PROBE /usr/lib/*/pkgconfig/cpp-httplib.pc)
include("${CMAKE_CURRENT_LIST_DIR}/../../system-port.cmake")
