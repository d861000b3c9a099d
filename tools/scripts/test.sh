#!/usr/bin/env bash
# Builds and runs every test: the README's command blocks, the whole suite (dev preset, warnings
# as errors), lint and docs, the suite again under ASan+UBSan with the examples run against the
# local server (LeakSanitizer on), the loopback and end-to-end suites under TSan, the fuzzers for
# a fixed budget, a smoke run of the benchmarks, the package consumed from a moved install
# prefix, through add_subdirectory, FetchContent and pkg-config, and the vcpkg port installed by
# a real vcpkg. The last line counts the checks (tools/scripts/checks.sh): "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/scripts/checks.sh
checks_main "$PWD/tools/scripts/test.sh"
jobs=$(nproc)

tools/scripts/setup.sh

# First, on the fresh clone: the README's commands as a newcomer copies them (its quick start
# builds part of build/dev, which the next stage completes rather than repeats).
stage "README: every command block, verbatim"
check python3 tools/scripts/readme-commands.py README.md

stage "dev: build and test"
cmake --preset dev >/dev/null
cmake --build --preset dev -j"$jobs"
counted_ctest --preset dev -j"$jobs"

stage "lint: clang-format, clang-tidy, README snippets, Doxygen"
check tools/scripts/lint.sh

stage "asan: ASan+UBSan over the whole suite"
cmake --preset asan >/dev/null
cmake --build --preset asan -j"$jobs"
counted_ctest --preset asan -j"$jobs"

stage "examples against the local server, under ASan+UBSan and LeakSanitizer"
source tools/scripts/devserver.sh
trap stop_devserver EXIT
start_devserver build/asan/tools/devserver/snapstate-devserver
for example in quickstart error_handling agent_identity typed_state watching_attempts webhook_receiver; do
  echo "-- $example"
  ASAN_OPTIONS=detect_leaks=1 check build/asan/examples/$example
done
stop_devserver

stage "tsan: the loopback and end-to-end suites (concurrency, close, async, 8 threads)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan -j"$jobs" --target snapstate_loopback_tests snapstate_e2e_tests
counted_ctest --preset tsan -j"$jobs" -L 'snapstate_(loopback|e2e)_tests'

stage "fuzz: every decoder, a fixed budget each"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} check tools/scripts/fuzz.sh

stage "bench: smoke run (the bench's own correctness, not speed)"
check bench/run --smoke

stage "package: library-only install, ABI, find_package, add_subdirectory, FetchContent, pkg-config"
tools/scripts/package-test.sh

stage "vcpkg: the port installed offline by a real vcpkg, with Debian's curl and with curl built"
tools/scripts/vcpkg-test.sh
stage "every stage ran"
