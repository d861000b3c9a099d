#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan, coverage on the library too) and runs
# each for a fixed budget, seeded from the recorded real exchanges. A crash fails the script;
# the crashing input is left in build/fuzz/ to be turned into a regression test.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-20}
build=build/fuzz

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSNAPSTATE_BUILD_TESTS=OFF -DSNAPSTATE_BUILD_EXAMPLES=OFF -DSNAPSTATE_BUILD_TOOLS=OFF \
  -DSNAPSTATE_BUILD_FUZZERS=ON -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build "$build" -j"$(nproc)"

# Seeds: every recorded response body; the decoder target takes a leading selector byte.
corpus=$build/corpus
rm -rf "$corpus"
mkdir -p "$corpus"/{fuzz_decoders,fuzz_error_body,fuzz_json_rw,fuzz_retry_after,fuzz_url}
i=0
for f in tests/fixtures/*.txt; do
  body=$(awk 'found && /^\{/ {print; exit} /^### RESPONSE/ {found=1}' "$f")
  [[ -n $body ]] || continue
  for selector in 0 1 2 3 4 5 6 7; do
    { printf "\\x0$selector"; printf '%s' "$body"; } >"$corpus/fuzz_decoders/$i-$selector"
  done
  { printf '\x90\x01'; printf '%s' "$body"; } >"$corpus/fuzz_error_body/$i"
  printf '%s' "$body" >"$corpus/fuzz_json_rw/$i"
  i=$((i + 1))
done
printf '60' >"$corpus/fuzz_retry_after/seconds"
printf 'Sun, 06 Nov 1994 08:49:37 GMT' >"$corpus/fuzz_retry_after/imf"
printf 'Sunday, 06-Nov-94 08:49:37 GMT' >"$corpus/fuzz_retry_after/rfc850"
printf 'Sun Nov  6 08:49:37 1994' >"$corpus/fuzz_retry_after/asctime"
printf 'a/b c%%\xc3\xa9?#' >"$corpus/fuzz_url/id"
printf 'http://127.0.0.1:3000/' >"$corpus/fuzz_url/base"

for target in fuzz_decoders fuzz_error_body fuzz_json_rw fuzz_retry_after fuzz_url; do
  echo "-- $target: ${seconds}s"
  status=0
  (cd "$build" && "./tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -rss_limit_mb=2048 "corpus/$target") >"$build/$target.log" 2>&1 || status=$?
  grep -E '^stat::number_of_executed_units' "$build/$target.log" || true
  if [[ $status -ne 0 ]]; then
    tail -n 60 "$build/$target.log"
    echo "$target found a crash (exit $status); the input is in $build/" >&2
    exit 1
  fi
done
