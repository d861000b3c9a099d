#!/usr/bin/env bash
# Installs snapstate into a staging prefix, moves the prefix, and builds an outside project
# against it with find_package; then the same project through add_subdirectory.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for kind in static shared; do
  shared=OFF
  [[ $kind == shared ]] && shared=ON
  cmake -S . -B "$work/build-$kind" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
        -DSNAPSTATE_BUILD_TESTS=OFF -DSNAPSTATE_BUILD_EXAMPLES=OFF -DSNAPSTATE_BUILD_TOOLS=OFF \
        -DCMAKE_INSTALL_PREFIX="$work/stage-$kind" >/dev/null
  cmake --build "$work/build-$kind" -j"$(nproc)" >/dev/null
  cmake --install "$work/build-$kind" >/dev/null
  # The installed tree must not remember where it was installed.
  mv "$work/stage-$kind" "$work/moved-$kind"
  if grep -rl "$work/stage-$kind" "$work/moved-$kind"; then
    echo "installed files name the staging prefix" >&2
    exit 1
  fi
  cmake -S tests/consumer -B "$work/consumer-$kind" -G Ninja \
        -DCMAKE_PREFIX_PATH="$work/moved-$kind" >/dev/null
  cmake --build "$work/consumer-$kind" >/dev/null
  LD_LIBRARY_PATH="$work/moved-$kind/lib" "$work/consumer-$kind/consumer"
  echo "find_package ($kind): ok"
done

# SameMajorVersion: asking for 2.0 must fail.
mkdir -p "$work/v2"
cat >"$work/v2/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(v2 LANGUAGES CXX)
find_package(SnapState 2.0 CONFIG REQUIRED)
CMAKE
if cmake -S "$work/v2" -B "$work/v2/build" -DCMAKE_PREFIX_PATH="$work/moved-static" >/dev/null 2>&1; then
  echo "find_package(SnapState 2.0) accepted version 1" >&2
  exit 1
fi
echo "find_package(SnapState 2.0) refused: ok"

cmake -S tests/consumer -B "$work/consumer-subdir" -G Ninja \
      -DSNAPSTATE_SOURCE_DIR="$PWD" >/dev/null
cmake --build "$work/consumer-subdir" >/dev/null
"$work/consumer-subdir/consumer"
echo "add_subdirectory: ok"
