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
  echo "no offline vcpkg bundle at $bundle (set SNAPSTATE_VCPKG_OFFLINE)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'status=$?; stop_devserver; if ((status == 0)); then rm -rf "$work"; else echo "kept: $work" >&2; fi' EXIT
export VCPKG_MAX_CONCURRENCY=${VCPKG_MAX_CONCURRENCY:-$(nproc)}

# vcpkg builds what is committed: a clean clone's HEAD, as CI has it.
git diff --quiet HEAD -- || echo "note: uncommitted changes are not in the archive vcpkg builds"
version=$(python3 -c 'import json; print(json.load(open("ports/snapstate/vcpkg.json"))["version-semver"])')
git archive --format=tar --prefix="snapstate-cpp-$version/" HEAD | gzip -cn >"$work/snapstate.tar.gz"

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
  echo "vcpkg ($mode): installed with post-build checks enforced, consumer built ($((SECONDS - start)) s;" \
    "$(sed -nE 's/^Elapsed time to handle (curl|snapstate):[^:]*: (.*)/\1 \2/p' "$work/$mode.log" | paste -sd, -))"
  passed
}

# The installed package as the registry's conventions want it: usage, copyright, no bin/, the
# headers once, and the tools (when asked for) where vcpkg puts tools.
layout() {
  local installed=$1 tools=$2
  for f in share/snapstate/usage share/snapstate/copyright share/SnapState/SnapStateConfig.cmake \
      include/snapstate/export.hpp lib/libsnapstate.a debug/lib/libsnapstate.a lib/pkgconfig/snapstate.pc; do
    [[ -f $installed/$f ]] || { echo "vcpkg: $f is not installed" >&2; return 1; }
  done
  [[ ! -e $installed/bin && ! -e $installed/debug/bin ]] || { echo "vcpkg: bin/ installed" >&2; return 1; }
  if [[ $tools == tools ]]; then
    [[ -x $installed/tools/snapstate/snapstate && -x $installed/tools/snapstate/snapstate-devserver ]] ||
      { echo "vcpkg: snapstate[tools] did not install the CLI and the dev server" >&2; return 1; }
  else
    [[ ! -e $installed/tools/snapstate ]] || { echo "vcpkg: tools installed without the feature" >&2; return 1; }
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
    { echo "vcpkg ($1): the Debug consumer does not link debug/lib/libsnapstate.a" >&2; return 1; }
  for consumer in "$work/$1/consumer/consumer" "$work/$1/consumer-debug/consumer"; do
    libraries=$(ldd "$consumer")
    if [[ $2 == static && $libraries == *libcurl* ]]; then
      echo "vcpkg ($1): $consumer links a shared libcurl; curl should be static" >&2
      return 1
    elif [[ $2 == shared && $libraries != *libcurl* ]]; then
      echo "vcpkg ($1): $consumer does not link the system's libcurl" >&2
      return 1
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
