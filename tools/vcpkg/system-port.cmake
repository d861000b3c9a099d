# The body of a system port (system-ports/*/portfile.cmake sets SYSTEM_PORT_DEB and
# SYSTEM_PORT_PROBE first): nothing is downloaded or built; the Debian package, installed
# under /usr, is what find_package() and pkg-config find in the dependent's build. The offline
# vcpkg bundle has such ports for the library's dependencies; these stand for the tools
# feature's (CLI11, cpp-httplib, SQLite), in tools/scripts/vcpkg-test.sh only.
set(VCPKG_POLICY_EMPTY_PACKAGE enabled)
if(VCPKG_CROSSCOMPILING OR NOT VCPKG_TARGET_IS_LINUX)
    message(FATAL_ERROR "${PORT} is a system port: it only stands for the host's own Debian packages (native Linux triplets).")
endif()
execute_process(COMMAND dpkg-query -W "-f=\${Status}|\${Version}" "${SYSTEM_PORT_DEB}"
    OUTPUT_VARIABLE deb_state ERROR_QUIET RESULT_VARIABLE deb_rc)
if(NOT deb_rc EQUAL 0 OR NOT deb_state MATCHES "^install ok installed[|]" OR NOT EXISTS "${SYSTEM_PORT_PROBE}")
    message(FATAL_ERROR "${PORT} is a system port and needs the Debian package ${SYSTEM_PORT_DEB}: apt-get install ${SYSTEM_PORT_DEB}")
endif()
string(REGEX REPLACE "^[^|]*[|]" "" deb_version "${deb_state}")
message(STATUS "${PORT}: using the system's ${SYSTEM_PORT_DEB} ${deb_version}")
file(INSTALL "/usr/share/doc/${SYSTEM_PORT_DEB}/copyright" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/usage" "System port: Debian's ${SYSTEM_PORT_DEB} ${deb_version} under /usr.\n")
