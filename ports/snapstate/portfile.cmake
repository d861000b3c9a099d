vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO snapstate/snapstate-cpp
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        -DSNAPSTATE_BUILD_TESTS=OFF
        -DSNAPSTATE_BUILD_EXAMPLES=OFF
        -DSNAPSTATE_BUILD_TOOLS=OFF
        -DSNAPSTATE_WARNINGS_AS_ERRORS=OFF
)

vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME SnapState CONFIG_PATH lib/cmake/SnapState)
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include")

vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
