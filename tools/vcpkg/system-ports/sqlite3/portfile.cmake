set(SYSTEM_PORT_DEB libsqlite3-dev)
set(SYSTEM_PORT_PROBE /usr/include/sqlite3.h)
include("${CMAKE_CURRENT_LIST_DIR}/../../system-port.cmake")
