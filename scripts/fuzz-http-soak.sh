#!/usr/bin/env bash
# The HTTP fuzz targets against a conforming target must find nothing: each HTTP fuzz target
# (`--features http`) runs against the clean reference served on a loopback port (the testkit example
# serve_target), with one account configured and with two, for SECONDS each, from its seed corpus.
# Prints executions and exec/s per run; any crash (an oracle violation: a false finding) fails it.
#
#   scripts/fuzz-http-soak.sh [SECONDS] [ACCOUNTS...]     (default 600; accounts "1 2")
# Environment: FUZZ_TARGETS (default every target), FUZZ_OUT (default fuzz/http-soak-out),
# FUZZ_PARALLEL=1 starts every run at once (each its own reference and fuzz process), so the soak
# takes SECONDS of wall time instead of runs × SECONDS; each run then gets a share of the cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
SECONDS_PER_RUN=${1:-600}
shift || true
ACCOUNTS=("$@")
if [ ${#ACCOUNTS[@]} = 0 ]; then ACCOUNTS=(1 2); fi
OUT=${FUZZ_OUT:-$ROOT/fuzz/http-soak-out}
mkdir -p "$OUT"

BIN=$(build_fuzzers http none)
SERVE=$(build_helpers)/serve_target
read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(fuzz_target_names | tr '\n' ' ')}"
"$ROOT/scripts/fuzz-seed.sh" dicts "$OUT/dict" "${TARGETS[@]}"

# soak TARGET ACCOUNTS: one bounded run; leaves its log, its exit status and its wall time in its dir.
soak() {
  local t=$1 accounts=$2 dir=$OUT/$1-$2 start status
  rm -rf "$dir" && mkdir -p "$dir"
  "$ROOT/scripts/fuzz-seed.sh" dirs "$dir/seeds" "$t" > /dev/null
  mv "$dir/seeds/$t" "$dir/corpus" && rmdir "$dir/seeds"
  start=$(date +%s)
  set +e
  "$SERVE" --accounts "$accounts" --max-seconds $((SECONDS_PER_RUN + 120)) -- \
    "$BIN/$t" "$dir/corpus" -max_total_time="$SECONDS_PER_RUN" -dict="$OUT/dict/$t.dict" -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$dir/" > "$dir/log" 2>&1
  status=$?
  set -e
  echo "$status $(( $(date +%s) - start ))" > "$dir/status"
}

for accounts in "${ACCOUNTS[@]}"; do
  for t in "${TARGETS[@]}"; do
    if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then soak "$t" "$accounts" & else soak "$t" "$accounts"; fi
  done
done
wait

failed=0
printf '%-10s %9s %12s %8s %10s  %s\n' target accounts execs exec/s requests result
for accounts in "${ACCOUNTS[@]}"; do
  for t in "${TARGETS[@]}"; do
    dir=$OUT/$t-$accounts
    read -r status elapsed < "$dir/status"
    execs=$(execs_of "$dir/log")
    requests=$(grep -Eo 'requests answered: [0-9]+' "$dir/log" | grep -Eo '[0-9]+$' || echo 0)
    result=clean
    if ls "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* >/dev/null 2>&1 || [ "$status" != 0 ]; then
      result="FOUND: $(finding_of "$dir/log") (status $status; $dir)"
      failed=1
    fi
    printf '%-10s %9s %12s %8s %10s  %s\n' "$t" "$accounts" "$execs" "$(( execs / (elapsed > 0 ? elapsed : 1) ))" \
      "$requests" "$result"
  done
done
echo "${SECONDS_PER_RUN}s per run against the clean reference over HTTP; logs in $OUT"
exit "$failed"
