#!/usr/bin/env bash
# The main job: install what is missing, build, start the local SnapState server on a free
# port, run examples/quickstart against it (save, crash, resume, replay), stop the server.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools/scripts/setup.sh
cmake -S . -B build/quickstart -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSNAPSTATE_BUILD_TESTS=OFF -DSNAPSTATE_BUILD_EXAMPLES=ON -DSNAPSTATE_BUILD_TOOLS=ON >/dev/null
cmake --build build/quickstart -j"$(nproc)" --target snapstate-devserver quickstart

source tools/scripts/devserver.sh
trap stop_devserver EXIT
start_devserver build/quickstart/tools/devserver/snapstate-devserver
echo "local SnapState server at $SNAPSTATE_BASE_URL"
echo
build/quickstart/examples/quickstart
