#!/usr/bin/env bash
# Builds and runs every test: the whole suite (dev preset, warnings as errors), lint, the
# examples against the local server, the suite again under ASan+UBSan, the concurrency tests
# under TSan, the fuzzers for a fixed budget, and the CMake package consumed from an install
# prefix and through add_subdirectory.
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=$(nproc)

tools/scripts/setup.sh

echo "== dev: build and test"
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
ctest --preset dev -j"$jobs"

echo "== lint: clang-format and clang-tidy"
tools/scripts/lint.sh

echo "== examples against the local server"
source tools/scripts/devserver.sh
trap stop_devserver EXIT
start_devserver build/dev/tools/devserver/snapstate-devserver
for example in quickstart error_handling agent_identity typed_state webhook_receiver; do
  echo "-- $example"
  build/dev/examples/$example
done
stop_devserver

echo "== asan: ASan+UBSan over the whole suite"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
ctest --preset asan -j"$jobs"

echo "== tsan: concurrency and async tests"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs" --target snapstate_loopback_tests
ctest --preset tsan -j"$jobs" -R 'Concurren|Async|Close'

echo "== fuzz: every decoder, a fixed budget each"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} tools/scripts/fuzz.sh

echo "== package: install, find_package, add_subdirectory"
tools/scripts/package-test.sh
