#!/usr/bin/env bash
# The vcpkg port (ports/snapstate) installed by a real vcpkg, offline, post-build checks
# enforced (../shared/vcpkg-offline; SNAPSTATE_VCPKG_OFFLINE names another copy), from HEAD
# packed with git archive, in both of the bundle's modes:
#   default      Debian's libraries stand in for the dependencies; snapstate[tools], so the
#                installed snapstate-devserver is the server below and the installed CLI runs;
#   --real-curl  curl built from source by the registry's own port and linked statically;
#                snapstate with its default features (no tools).
# Each mode builds tests/consumer through the vcpkg toolchain, Release and Debug, and runs it
# against the server.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source tools/scripts/checks.sh
checks_main "$root/tools/scripts/vcpkg-test.sh"
source tools/scripts/devserver.sh

bundle=${SNAPSTATE_VCPKG_OFFLINE:-$root/../shared/vcpkg-offline}
if [[ ! -f $bundle/vcpkg-offline-install.sh ]]; then
  # CI (.ci/run) has the bundle and must run this stage; a clone elsewhere may not have one.
  if [[ ${SNAPSTATE_REQUIRE_VCPKG:-} == 1 ]]; then
    echo "no offline vcpkg bundle at $bundle (set SNAPSTATE_VCPKG_OFFLINE)" >&2
    exit 1
  fi
  echo "vcpkg: not run, no offline vcpkg bundle at $bundle (set SNAPSTATE_VCPKG_OFFLINE)"
  exit 0
fi
work=$(mktemp -d)
# A failed run keeps its logs and build trees.
trap 'status=$?; stop_devserver; ((status == 0)) && rm -rf "$work" || echo "kept: $work" >&2' EXIT
export VCPKG_MAX_CONCURRENCY=${VCPKG_MAX_CONCURRENCY:-$(nproc)}
fail() { echo "$*" >&2; return 1; }

# vcpkg builds what is committed: a clean clone's HEAD, as CI has it.
git diff --quiet HEAD -- || echo "note: uncommitted changes are not in the archive vcpkg builds"
git archive --format=tar --prefix=snapstate-cpp/ HEAD | gzip -cn >"$work/snapstate.tar.gz"

# vcpkg_install MODE [bundle options] [-- vcpkg install arguments]: the port and tests/consumer.
vcpkg_install() {
  local mode=$1 start=$SECONDS
  shift
  if ! bash "$bundle/vcpkg-offline-install.sh" --work "$work/$mode" --consumer tests/consumer \
      ports/snapstate "$work/snapstate.tar.gz" "$@" >"$work/$mode.log" 2>&1; then
    tail -n 40 "$work/$mode.log" >&2
    echo "vcpkg ($mode): the install failed (log: $work/$mode.log)" >&2
    return 1
  fi
  local took
  took=$(sed -nE 's/^Elapsed time to handle (curl|snapstate):[^:]*: (.*)/\1 \2/p' "$work/$mode.log")
  echo "vcpkg ($mode): installed, post-build checks enforced, consumer built" \
    "($((SECONDS - start)) s; $(paste -sd, - <<<"$took"))"
  passed
}

# The installed package as the registry's conventions want it: usage, copyright, no bin/, the
# headers once, and the tools (when asked for) where vcpkg puts tools.
layout() {
  local installed=$1 tools=$2
  local f
  for f in share/snapstate/usage share/snapstate/copyright share/SnapState/SnapStateConfig.cmake \
      include/snapstate/export.hpp lib/libsnapstate.a debug/lib/libsnapstate.a \
      lib/pkgconfig/snapstate.pc; do
    [[ -f $installed/$f ]] || fail "vcpkg: $f is not installed"
  done
  [[ ! -e $installed/bin && ! -e $installed/debug/bin ]] || fail "vcpkg: bin/ installed"
  if [[ $tools == tools ]]; then
    [[ -x $installed/tools/snapstate/snapstate ]] || fail "vcpkg: no tools/snapstate/snapstate"
    [[ -x $installed/tools/snapstate/snapstate-devserver ]] ||
      fail "vcpkg: no tools/snapstate/snapstate-devserver"
  else
    [[ ! -e $installed/tools/snapstate ]] || fail "vcpkg: tools installed without the feature"
  fi
}

# run_consumer MODE LINKAGE: the Release consumer the bundle built and a Debug one (vcpkg's
# debug/lib) against the server; LINKAGE is how each must link libcurl.
run_consumer() {
  local toolchain consumer libraries
  read -ra toolchain < <(sed -n 's/^vcpkg-offline-install: ok. Consumers: cmake //p' "$work/$1.log")
  cmake -S tests/consumer -B "$work/$1/consumer-debug" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    "${toolchain[@]}" >"$work/$1-debug.log" 2>&1 && cmake --build "$work/$1/consumer-debug" \
    >>"$work/$1-debug.log" 2>&1 || { cat "$work/$1-debug.log" >&2; return 1; }
  grep -q "installed/x64-linux/debug/lib/libsnapstate.a" "$work/$1/consumer-debug/build.ninja" ||
    fail "vcpkg ($1): the Debug consumer does not link debug/lib/libsnapstate.a"
  for consumer in "$work/$1/consumer/consumer" "$work/$1/consumer-debug/consumer"; do
    libraries=$(ldd "$consumer")
    if [[ $2 == static && $libraries == *libcurl* ]]; then
      fail "vcpkg ($1): $consumer links a shared libcurl; curl should be static"
    elif [[ $2 == shared && $libraries != *libcurl* ]]; then
      fail "vcpkg ($1): $consumer does not link the system's libcurl"
    fi
    "$consumer"
    passed
  done
  echo "vcpkg ($1): the Release and Debug consumers ran against the local server, libcurl linked $2"
}

vcpkg_install default -- "snapstate[tools]" --overlay-ports="$root/tools/vcpkg/system-ports"
installed=$work/default/installed/x64-linux
check layout "$installed" tools
start_devserver "$installed/tools/snapstate/snapstate-devserver"
run_consumer default shared
check "$installed/tools/snapstate/snapstate" health
echo "vcpkg (default): the installed snapstate CLI and snapstate-devserver ran"

# curl with only the features the port asks for (vcpkg would add curl's defaults otherwise).
vcpkg_install real-curl --real-curl -- "curl[core,ssl]"
check layout "$work/real-curl/installed/x64-linux" no-tools
run_consumer real-curl static
