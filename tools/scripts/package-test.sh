#!/usr/bin/env bash
# Every way a user consumes snapstate, from a clean state, with only the library's own
# dependencies visible (the tools', tests', examples', docs' and bench's hidden from CMake and
# pkg-config):
# - the README's install command, static (Release; vcpkg-test.sh builds the static Debug) and
#   shared (Debug and Release into one staging prefix): exactly the headers, the library, the
#   CMake package and snapstate.pc are installed;
#   the prefix is moved elsewhere and grepped for its old path; asking for the tools, tests,
#   examples or docs without their dependencies fails at configure time naming the package;
# - the ABI check of the shared library (tools/scripts/abi-check.py, tests/abi/);
# - an outside project (tests/consumer) through find_package, add_subdirectory (which installs
#   nothing of snapstate), FetchContent and pkg-config, each run against the local server;
#   find_package(SnapState 2.0) fails;
# - the @code examples of the installed headers compile as C++17; the docs install when built;
# - the vcpkg manifest agrees with the project (tools/scripts/vcpkg-test.sh installs the port).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source tools/scripts/checks.sh
checks_main "$root/tools/scripts/package-test.sh"
source tools/scripts/devserver.sh
work=$(mktemp -d)
trap 'stop_devserver; rm -rf "$work"' EXIT

devserver=build/dev/tools/devserver/snapstate-devserver
if [[ ! -x $devserver ]]; then
  cmake --preset dev >/dev/null
  cmake --build build/dev -j"$(nproc)" --target snapstate-devserver >/dev/null
fi
start_devserver "$devserver"

quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; return 1; }; }
fail() { echo "$*" >&2; return 1; }

# One missing package at a time, everything else there: the configure step stops naming it.
for hidden_one in "TOOLS SQLite3 libsqlite3-dev" "TESTS GTest libgtest-dev" \
    "BENCH benchmark libbenchmark-dev"; do
  read -r part package apt <<<"$hidden_one"
  if cmake -S . -B "$work/refused-one" -G Ninja "-DSNAPSTATE_BUILD_$part=ON" \
      "-DCMAKE_DISABLE_FIND_PACKAGE_$package=ON" >"$work/refused.log" 2>&1; then
    fail "SNAPSTATE_BUILD_$part=ON configured without $package"
  fi
  grep -q "apt-get install $apt" "$work/refused.log" ||
    { cat "$work/refused.log" >&2; fail "SNAPSTATE_BUILD_$part without $package: no apt-get install $apt"; }
  echo "SNAPSTATE_BUILD_$part=ON without $package: refused, naming $apt"
  passed
  rm -rf "$work/refused-one"
done

# What the library needs is all pkg-config sees: its dependencies' .pc files (and those they
# require) in a PKG_CONFIG_LIBDIR of their own. CMake may not find the other packages.
mkdir "$work/pc"
pcs=(libcurl libcrypto openssl simdjson nlohmann_json)
while ((${#pcs[@]})); do
  pc=${pcs[0]}
  pcs=("${pcs[@]:1}")
  [[ -e $work/pc/$pc.pc ]] && continue
  ln -s "$(pkg-config --path "$pc")" "$work/pc/$pc.pc"
  mapfile -t -O "${#pcs[@]}" pcs < <(pkg-config --print-requires --print-requires-private "$pc" |
    awk '{ print $1 }')
done
export PKG_CONFIG_LIBDIR=$work/pc PKG_CONFIG_PATH=
hidden=()
for package in CLI11 SQLite3 httplib GTest benchmark Doxygen; do
  hidden+=("-DCMAKE_DISABLE_FIND_PACKAGE_$package=ON")
done

# Asking for a part whose dependencies are missing is a configure-time error naming the
# Debian/Ubuntu package (the tests need the dev server's first).
declare -A named=([TOOLS]=libcli11-dev [TESTS]=libcli11-dev [EXAMPLES]=libcpp-httplib-dev
                  [DOCS]=doxygen)
for wanted in "${!named[@]}"; do
  options=()
  for part in "${!named[@]}"; do
    options+=("-DSNAPSTATE_BUILD_$part=$([[ $part == "$wanted" ]] && echo ON || echo OFF)")
  done
  if cmake -S . -B "$work/refused" -G Ninja "${hidden[@]}" "${options[@]}" >"$work/refused.log" 2>&1
  then
    fail "SNAPSTATE_BUILD_$wanted=ON configured without its dependencies"
  fi
  grep -q "apt-get install ${named[$wanted]}" "$work/refused.log" ||
    { cat "$work/refused.log" >&2; fail "SNAPSTATE_BUILD_$wanted: no apt-get install ${named[$wanted]}"; }
  echo "SNAPSTATE_BUILD_$wanted=ON without its dependencies: refused, naming ${named[$wanted]}"
  passed
done

# installed PREFIX CONFIG...: the headers, the library, the CMake package and snapstate.pc;
# nothing else.
installed() {
  local prefix=$1 f others
  shift
  local expected=(include/snapstate/{client,errors,export,snapstate,types,version,webhook}.hpp
                  lib/cmake/SnapState/SnapStateConfig{,Version}.cmake
                  lib/cmake/SnapState/SnapStateTargets.cmake
                  lib/pkgconfig/snapstate.pc)
  for f in "$@"; do
    expected+=("lib/cmake/SnapState/SnapStateTargets-${f,,}.cmake")
  done
  for f in "${expected[@]}"; do
    [[ -f $prefix/$f ]] || fail "not installed: $f"
  done
  others=$(cd "$prefix" && find . ! -type d | sed 's|^\./||' | grep -vxF "${expected[@]/#/-e}" |
    grep -vxE 'lib/libsnapstated?\.(a|so(\.[0-9]+)*)' || true)
  [[ -z $others ]] || fail "a library-only install holds more: $others"
}

for kind in static shared; do
  shared=OFF configs=(Release)
  [[ $kind == shared ]] && shared=ON configs=(Debug Release)
  for config in "${configs[@]}"; do
    # The README's install command (the options it leaves at their defaults), into a prefix.
    quiet cmake -S . -B "$work/build-$kind-$config" -G Ninja -DCMAKE_BUILD_TYPE=$config \
      -DBUILD_SHARED_LIBS=$shared "${hidden[@]}" \
      -DCMAKE_INSTALL_PREFIX="$work/stage-$kind" -DCMAKE_DEBUG_POSTFIX=d
    quiet cmake --build "$work/build-$kind-$config" -j"$(nproc)"
    quiet cmake --install "$work/build-$kind-$config"
    if [[ $kind == shared ]]; then
      check python3 tools/scripts/abi-check.py "$work/build-$kind-$config"/src/libsnapstate*.so
    fi
  done
  check installed "$work/stage-$kind" "${configs[@]}"
  echo "library-only install ($kind): headers, library, CMake package, snapstate.pc"
  # The installed tree must not remember where it was installed.
  mv "$work/stage-$kind" "$work/moved-$kind"
  if grep -rl "$work/stage-$kind" "$work/moved-$kind"; then
    fail "installed files name the staging prefix"
  fi
  echo "moved prefix ($kind): no installed file names the staging prefix"
  passed
  for config in "${configs[@]}"; do
    quiet cmake -S tests/consumer -B "$work/consumer-$kind-$config" -G Ninja \
      -DCMAKE_BUILD_TYPE=$config -DCMAKE_PREFIX_PATH="$work/moved-$kind"
    quiet cmake --build "$work/consumer-$kind-$config"
    LD_LIBRARY_PATH="$work/moved-$kind/lib" check "$work/consumer-$kind-$config/consumer"
    echo "find_package ($kind, $config): ok"
  done
done

# SameMajorVersion: asking for 2.0 must fail.
mkdir -p "$work/v2"
printf 'cmake_minimum_required(VERSION 3.20)\nproject(v2 LANGUAGES CXX)\nfind_package(SnapState 2.0 CONFIG REQUIRED)\n' \
  >"$work/v2/CMakeLists.txt"
if cmake -S "$work/v2" -B "$work/v2/build" -DCMAKE_PREFIX_PATH="$work/moved-static" >/dev/null 2>&1; then
  fail "find_package(SnapState 2.0) accepted version 1"
fi
echo "find_package(SnapState 2.0) refused: ok"
passed

# Through add_subdirectory, built as C++20 (the contract: C++17, and clean as C++20 too). A
# project that is not snapstate installs nothing of it unless it sets SNAPSTATE_INSTALL.
quiet cmake -S tests/consumer -B "$work/consumer-subdir" -G Ninja -DSNAPSTATE_SOURCE_DIR="$root" \
  -DCMAKE_CXX_STANDARD=20 -DSNAPSTATE_WARNINGS_AS_ERRORS=ON
quiet cmake --build "$work/consumer-subdir"
check "$work/consumer-subdir/consumer"
quiet cmake --install "$work/consumer-subdir" --prefix "$work/subdir-install"
[[ ! -e $work/subdir-install ]] || fail "add_subdirectory installed: $(find "$work/subdir-install")"
echo "add_subdirectory (C++20, warnings as errors, nothing installed): ok"
passed

# FetchContent from the local checkout's committed HEAD.
quiet cmake -S tests/consumer -B "$work/consumer-fetch" -G Ninja \
  -DSNAPSTATE_GIT_REPOSITORY="file://$root" -DSNAPSTATE_GIT_TAG="$(git rev-parse HEAD)"
quiet cmake --build "$work/consumer-fetch"
check "$work/consumer-fetch/consumer"
echo "FetchContent: ok"

# pkg-config, plain `--cflags --libs`, against each installed kind.
for kind in static shared; do
  # shellcheck disable=SC2046
  c++ -std=c++17 tests/consumer/main.cpp -o "$work/consumer-pkgconfig-$kind" \
    $(PKG_CONFIG_PATH="$work/moved-$kind/lib/pkgconfig" pkg-config --cflags --libs snapstate)
  LD_LIBRARY_PATH="$work/moved-$kind/lib" check "$work/consumer-pkgconfig-$kind"
  echo "pkg-config ($kind): ok"
done

# The @code examples of the installed headers, each as the body of main(), compile as C++17.
python3 - "$work/moved-static/include" "$work/doc-examples" <<'PY'
import pathlib, re, sys
include, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
out.mkdir()
for header in sorted((include / "snapstate").glob("*.hpp")):
    for n, block in enumerate(re.findall(r"/// @code\n(.*?)/// @endcode", header.read_text(), re.S)):
        body = re.sub(r"^ *///(?: |$)", "", block, flags=re.M)
        (out / f"{header.stem}-{n}.cpp").write_text(
            "#include <snapstate/snapstate.hpp>\nint main() {\n" + body + "}\n")
PY
for example in "$work"/doc-examples/*.cpp; do
  # shellcheck disable=SC2046
  c++ -std=c++17 -fsyntax-only -Wall -Wextra -Werror -Wno-unused "$example" \
    $(PKG_CONFIG_PATH="$work/moved-static/lib/pkgconfig" pkg-config --cflags snapstate)
done
echo "header examples: $(ls "$work/doc-examples" | wc -l) compile as C++17"
passed

# The docs install with the package once the docs target has been built (Doxygen visible now).
quiet cmake -S . -B "$work/build-static-Release" -DCMAKE_DISABLE_FIND_PACKAGE_Doxygen=OFF \
  -DSNAPSTATE_BUILD_DOCS=ON
quiet cmake --build "$work/build-static-Release" --target docs
quiet cmake --install "$work/build-static-Release" --prefix "$work/with-docs"
[[ -f $work/with-docs/share/doc/SnapState/html/index.html ]] || fail "the built docs were not installed"
echo "docs: installed to share/doc/SnapState/html once built"
passed

# The vcpkg port: the manifest's fields, the project's version, SHA512 0 (the registry's copy of
# the port has the release archive's; vcpkg-test.sh puts HEAD's into a copy).
python3 - <<'PY'
import json, pathlib, re
port = pathlib.Path("ports/snapstate")
manifest = json.loads((port / "vcpkg.json").read_text())
for field in ("name", "version-semver", "description", "homepage", "license", "dependencies"):
    assert field in manifest, f"vcpkg.json lacks {field}"
assert manifest["name"] == "snapstate" and manifest["license"] == "MIT"
version = re.search(r"project\(SnapState\s+VERSION\s+([0-9.]+)", pathlib.Path("CMakeLists.txt").read_text()).group(1)
assert manifest["version-semver"] == version, (manifest["version-semver"], version)
assert re.search(r"SHA512 0\n", (port / "portfile.cmake").read_text()), "the port's SHA512 must stay 0 here"
print(f"vcpkg port: manifest valid, version {version}, SHA512 0")
PY
passed
