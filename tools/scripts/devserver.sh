# Sourced by the other scripts: start_devserver BINARY [DATA_FILE] starts the local SnapState
# server on a free port and exports SNAPSTATE_BASE_URL and SNAPSTATE_API_KEY; stop_devserver
# stops it. With DATA_FILE the server keeps its data there (--data), so a stop and a start on
# the same file resume where it was. A SNAPSTATE_API_KEY already set is the key the server
# accepts; otherwise the server picks its development key and prints it, and that is what
# gets exported.

start_devserver() {
  local binary=$1 data=${2:-} log
  local args=(--port 0)
  if [[ -n ${SNAPSTATE_API_KEY:-} ]]; then args+=(--api-key "$SNAPSTATE_API_KEY"); fi
  if [[ -n $data ]]; then args+=(--data "$data"); fi
  log=$(mktemp)
  "$binary" "${args[@]}" >"$log" 2>&1 &
  DEVSERVER_PID=$!
  for _ in $(seq 1 100); do
    # The key line (stderr) is written before the listening line (stdout).
    if grep -q '^listening on ' "$log"; then
      SNAPSTATE_BASE_URL=$(sed -n 's/^listening on //p' "$log" | head -n 1)
      SNAPSTATE_API_KEY=${SNAPSTATE_API_KEY:-$(sed -n 's/^API key: //p' "$log" | head -n 1)}
      export SNAPSTATE_BASE_URL SNAPSTATE_API_KEY
      rm -f "$log"
      return 0
    fi
    kill -0 "$DEVSERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the dev server did not start:" >&2
  cat "$log" >&2
  rm -f "$log"
  return 1
}

stop_devserver() {
  if [[ -n ${DEVSERVER_PID:-} ]]; then
    kill "$DEVSERVER_PID" 2>/dev/null || true
    wait "$DEVSERVER_PID" 2>/dev/null || true
    DEVSERVER_PID=
  fi
}
