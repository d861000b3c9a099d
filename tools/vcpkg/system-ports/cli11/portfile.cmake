set(SYSTEM_PORT_DEB libcli11-dev)
set(SYSTEM_PORT_PROBE /usr/share/cmake/CLI11/CLI11Config.cmake)
include("${CMAKE_CURRENT_LIST_DIR}/../../system-port.cmake")
