vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO snapstate/snapstate-cpp
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        tools SNAPSTATE_BUILD_TOOLS
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DSNAPSTATE_BUILD_TESTS=OFF
        -DSNAPSTATE_BUILD_EXAMPLES=OFF
        -DSNAPSTATE_BUILD_DOCS=OFF
    OPTIONS_DEBUG
        -DSNAPSTATE_BUILD_TOOLS=OFF
)

vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME SnapState CONFIG_PATH lib/cmake/SnapState)
vcpkg_fixup_pkgconfig()

if("tools" IN_LIST FEATURES)
    vcpkg_copy_tools(TOOL_NAMES snapstate snapstate-devserver AUTO_CLEAN)
endif()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
