# Sourced by test.sh and the stage scripts it runs: the count behind the line a run ends with,
# "N passed, M failed". A check is one ctest case, or one step that must succeed (the README's
# command blocks, the lint, fuzz or bench script, an example run, a check of the package or
# vcpkg stage). The counts go to the file SNAPSTATE_CHECKS names, so that nested scripts add to
# the same total.

# checks_main SCRIPT: at the top of a script. When no count is running yet, runs SCRIPT (the
# script itself, by absolute path) as a child with a fresh count, prints the summary line and
# exits with the child's status; inside a count, returns at once.
checks_main() {
  [[ -z ${SNAPSTATE_CHECKS:-} ]] || return 0
  SNAPSTATE_CHECKS=$(mktemp)
  export SNAPSTATE_CHECKS
  local status=0
  bash "$1" || status=$?
  # A step that stopped the run counts as one failed check, unless ctest counted its own.
  if ((status != 0)) && ! awk '$2 > 0 { failed = 1 } END { exit !failed }' "$SNAPSTATE_CHECKS"; then
    echo "0 1" >>"$SNAPSTATE_CHECKS"
  fi
  awk '{ p += $1; f += $2 } END { printf "%d passed, %d failed\n", p, f }' "$SNAPSTATE_CHECKS"
  rm -f "$SNAPSTATE_CHECKS"
  exit "$status"
}

# stage NAME: a stage's heading, with the time the run has taken so far ([mm:ss]).
stage() { printf '== [%02d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# passed [N]: N more checks passed (default 1).
passed() { echo "${1:-1} 0" >>"$SNAPSTATE_CHECKS"; }

# check CMD...: CMD is one check; under set -e its failure stops the run.
check() {
  "$@"
  passed
}

# counted_ctest ARGS...: ctest ARGS, each test case one check.
counted_ctest() {
  local log status=0
  log=$(mktemp)
  # A filter that matches nothing is a failure, not a stage that passes having counted nothing.
  ctest --no-tests=error "$@" | tee "$log" || status=$?
  # "100% tests passed, 0 tests failed out of 812"
  sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\2 \1/p' "$log" |
    awk '{ print $1 - $2, $2 }' >>"$SNAPSTATE_CHECKS"
  rm -f "$log"
  return "$status"
}
