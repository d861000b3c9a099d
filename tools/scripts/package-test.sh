#!/usr/bin/env bash
# Every way a user consumes snapstate, from a clean state: static and shared builds (Debug and
# Release into one staging prefix), the prefix moved elsewhere and grepped for its old path,
# then an outside project (tests/consumer) through find_package, add_subdirectory, FetchContent
# and pkg-config, each run against the local server. find_package(SnapState 2.0) must fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
trap 'stop_devserver; rm -rf "$work"' EXIT
source tools/scripts/devserver.sh

devserver=build/dev/tools/devserver/snapstate-devserver
if [[ ! -x $devserver ]]; then
  cmake --preset dev >/dev/null
  cmake --build build/dev -j"$(nproc)" --target snapstate-devserver >/dev/null
fi
start_devserver "$devserver"

quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; return 1; }; }

for kind in static shared; do
  shared=OFF
  [[ $kind == shared ]] && shared=ON
  for config in Debug Release; do
    quiet cmake -S . -B "$work/build-$kind-$config" -G Ninja -DCMAKE_BUILD_TYPE=$config \
      -DBUILD_SHARED_LIBS=$shared -DSNAPSTATE_BUILD_TESTS=OFF -DSNAPSTATE_BUILD_EXAMPLES=OFF \
      -DSNAPSTATE_BUILD_TOOLS=OFF -DSNAPSTATE_BUILD_DOCS=OFF \
      -DCMAKE_INSTALL_PREFIX="$work/stage-$kind" -DCMAKE_DEBUG_POSTFIX=d
    quiet cmake --build "$work/build-$kind-$config" -j"$(nproc)"
    quiet cmake --install "$work/build-$kind-$config"
  done
  # The installed tree must not remember where it was installed.
  mv "$work/stage-$kind" "$work/moved-$kind"
  if grep -rl "$work/stage-$kind" "$work/moved-$kind"; then
    echo "installed files name the staging prefix" >&2
    exit 1
  fi
  for config in Debug Release; do
    quiet cmake -S tests/consumer -B "$work/consumer-$kind-$config" -G Ninja \
      -DCMAKE_BUILD_TYPE=$config -DCMAKE_PREFIX_PATH="$work/moved-$kind"
    quiet cmake --build "$work/consumer-$kind-$config"
    LD_LIBRARY_PATH="$work/moved-$kind/lib" "$work/consumer-$kind-$config/consumer"
    echo "find_package ($kind, $config): ok"
  done
done

# SameMajorVersion: asking for 2.0 must fail.
mkdir -p "$work/v2"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(v2 LANGUAGES CXX)\nfind_package(SnapState 2.0 CONFIG REQUIRED)\n' \
  >"$work/v2/CMakeLists.txt"
if cmake -S "$work/v2" -B "$work/v2/build" -DCMAKE_PREFIX_PATH="$work/moved-static" >/dev/null 2>&1; then
  echo "find_package(SnapState 2.0) accepted version 1" >&2
  exit 1
fi
echo "find_package(SnapState 2.0) refused: ok"

# Through add_subdirectory, built as C++20 (the contract: C++17, and clean as C++20 too).
quiet cmake -S tests/consumer -B "$work/consumer-subdir" -G Ninja -DSNAPSTATE_SOURCE_DIR="$root" \
  -DCMAKE_CXX_STANDARD=20 -DSNAPSTATE_WARNINGS_AS_ERRORS=ON
quiet cmake --build "$work/consumer-subdir"
"$work/consumer-subdir/consumer"
echo "add_subdirectory (C++20, warnings as errors): ok"

# FetchContent from the local checkout's committed HEAD.
quiet cmake -S tests/consumer -B "$work/consumer-fetch" -G Ninja \
  -DSNAPSTATE_GIT_REPOSITORY="file://$root" -DSNAPSTATE_GIT_TAG="$(git rev-parse HEAD)"
quiet cmake --build "$work/consumer-fetch"
"$work/consumer-fetch/consumer"
echo "FetchContent: ok"

# pkg-config, plain `--cflags --libs`, against each installed kind.
for kind in static shared; do
  # shellcheck disable=SC2046
  c++ -std=c++17 tests/consumer/main.cpp -o "$work/consumer-pkgconfig-$kind" \
    $(PKG_CONFIG_PATH="$work/moved-$kind/lib/pkgconfig" pkg-config --cflags --libs snapstate)
  LD_LIBRARY_PATH="$work/moved-$kind/lib" "$work/consumer-pkgconfig-$kind"
  echo "pkg-config ($kind): ok"
done

# The vcpkg port: a valid manifest with the fields curated ports have, and a CONFIG_PATH that is
# where the project really installs its package config.
python3 - "$work/moved-static" <<'PY'
import json, pathlib, re, sys
port = pathlib.Path("ports/snapstate")
manifest = json.loads((port / "vcpkg.json").read_text())
for field in ("name", "version-semver", "description", "homepage", "license", "dependencies"):
    assert field in manifest, f"vcpkg.json lacks {field}"
assert manifest["name"] == "snapstate" and manifest["license"] == "MIT"
names = {d if isinstance(d, str) else d["name"] for d in manifest["dependencies"]}
assert {"curl", "nlohmann-json", "vcpkg-cmake", "vcpkg-cmake-config"} <= names, names
version = re.search(r"project\(SnapState\s+VERSION\s+([0-9.]+)", pathlib.Path("CMakeLists.txt").read_text()).group(1)
assert manifest["version-semver"] == version, (manifest["version-semver"], version)
portfile = (port / "portfile.cmake").read_text()
config_path = re.search(r"CONFIG_PATH\s+(\S+)\)", portfile).group(1)
installed = pathlib.Path(sys.argv[1]) / config_path / "SnapStateConfig.cmake"
assert installed.is_file(), f"the port's CONFIG_PATH {config_path} is not where the config is installed"
print(f"vcpkg port: manifest valid, version {version}, CONFIG_PATH {config_path} matches the install")
PY
