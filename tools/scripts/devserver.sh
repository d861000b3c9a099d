# Sourced by the other scripts: start_devserver BINARY starts the local SnapState server on a
# free port and exports SNAPSTATE_BASE_URL and SNAPSTATE_API_KEY; stop_devserver stops it.

start_devserver() {
  local binary=$1 log
  log=$(mktemp)
  "$binary" --port 0 --api-key "${SNAPSTATE_API_KEY:-snp_devserver00000000000000000000000}" >"$log" 2>&1 &
  DEVSERVER_PID=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$log"; then
      SNAPSTATE_BASE_URL=$(sed -n 's/^listening on //p' "$log" | head -n 1)
      export SNAPSTATE_BASE_URL
      export SNAPSTATE_API_KEY=${SNAPSTATE_API_KEY:-snp_devserver00000000000000000000000}
      rm -f "$log"
      return 0
    fi
    kill -0 "$DEVSERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the dev server did not start:" >&2
  cat "$log" >&2
  return 1
}

stop_devserver() {
  if [[ -n ${DEVSERVER_PID:-} ]]; then
    kill "$DEVSERVER_PID" 2>/dev/null || true
    wait "$DEVSERVER_PID" 2>/dev/null || true
    DEVSERVER_PID=
  fi
}
