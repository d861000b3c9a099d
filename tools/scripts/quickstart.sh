#!/usr/bin/env bash
# The main job: install what is missing, build the local server, the CLI and the quick start,
# and run the story. An agent saves two steps and dies; the local server itself is killed
# (kill -9) and started again on its data file; a new agent resumes at step 2, saves step 3 and
# replays all three.
set -euo pipefail
cd "$(dirname "$0")/../.."

tools/scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build build/dev -j"$(nproc)" --target snapstate-devserver snapstate-cli quickstart

source tools/scripts/devserver.sh
scratch=$(mktemp -d)
data=$scratch/quickstart.db
trap 'stop_devserver; rm -rf "$scratch"' EXIT
start_devserver build/dev/tools/devserver/snapstate-devserver "$data"
echo "local SnapState server at $SNAPSTATE_BASE_URL, keeping its data in $data"
echo

crashed=$(build/dev/examples/quickstart crash)
echo "$crashed"
workflow=$(sed -n 's/^workflow //p' <<<"$crashed")

kill -9 "$DEVSERVER_PID"
wait "$DEVSERVER_PID" 2>/dev/null || true
DEVSERVER_PID=
start_devserver build/dev/tools/devserver/snapstate-devserver "$data"
echo "the local server was killed (kill -9) and started again on its data file"
build/dev/examples/quickstart resume "$workflow"

cat <<MSG

Built in build/dev: tools/devserver/snapstate-devserver (the local server),
tools/cli/snapstate (the CLI) and examples/quickstart. Next:
  build/dev/tools/devserver/snapstate-devserver --port 3000 --data ~/.snapstate-devserver.db &
  export SNAPSTATE_BASE_URL=http://127.0.0.1:3000 SNAPSTATE_API_KEY=<the key it prints>
  build/dev/examples/quickstart                      # then, with the workflow id it prints:
  build/dev/tools/cli/snapstate replay <workflow id> --format table
The README's "Quick start", "The local server" and "The snapstate CLI" say more.
MSG
