#!/usr/bin/env bash
# Fuzzes your own deployment: every HTTP fuzz target (`--features http`) against the target your
# JOURNEY_API_* settings name, one after another for SECONDS each, paced by JOURNEY_API_RATE (set it to
# your rate limit; 429s are retried after Retry-After like the suite's). The corpus is kept between
# runs (FUZZ_CORPUS; the fuzz-deployment workflow keeps it in the Actions cache) and topped up with the
# seeds. Each finding is reported with its redacted curl repro (FUZZ_OUT/findings.md) and written as a
# regression case (FUZZ_OUT/regressions/). Every object the fuzzers create is journaled as it is made
# and deleted at the end, also when a target crashed or the script is interrupted (examples/fuzz_cleanup).
#
#   scripts/fuzz-deployment.sh [SECONDS_PER_TARGET]          (default 300)
#   scripts/fuzz-deployment.sh --local [SECONDS_PER_TARGET]  the same against the reference on loopback
# Environment: JOURNEY_API_URL, credentials, JOURNEY_API_URL_2 … as for the suite; JOURNEY_API_RATE;
# JOURNEY_API_READ_ONLY=1 sends only reads; FUZZ_TARGETS; FUZZ_CORPUS (default fuzz/deployment-corpus);
# FUZZ_OUT (default fuzz/deployment-out). Exits 1 when something was found or left behind.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
if [ "${1:-}" = --local ]; then
  shift
  HELPERS=$(build_helpers)
  exec "$HELPERS/serve_target" --accounts 2 -- "$0" "$@"
fi
SECONDS_PER_TARGET=${1:-300}
if [ -z "${JOURNEY_API_URL:-}" ]; then
  echo "fuzz-deployment: JOURNEY_API_URL is not set (or use --local to try it on the reference)" >&2
  exit 2
fi
CORPUS=${FUZZ_CORPUS:-$ROOT/fuzz/deployment-corpus}
OUT=${FUZZ_OUT:-$ROOT/fuzz/deployment-out}
rm -rf "$OUT" && mkdir -p "$OUT/logs" "$OUT/regressions"
export JOURNEY_FUZZ_JOURNAL=$OUT/created.tsv
: > "$JOURNEY_FUZZ_JOURNAL"

BIN=$(build_fuzzers http none)
HELPERS=$(build_helpers)
read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(fuzz_target_names | tr '\n' ' ')}"
"$ROOT/scripts/fuzz-seed.sh" dirs "$CORPUS" "${TARGETS[@]}" > "$OUT/logs/seed.log"
"$ROOT/scripts/fuzz-seed.sh" dicts "$OUT/dict" "${TARGETS[@]}"

cleaned=0
cleanup() {
  [ "$cleaned" = 0 ] || return 0
  cleaned=1
  "$HELPERS/fuzz_cleanup" "$JOURNEY_FUZZ_JOURNAL" | tee "$OUT/cleanup.txt"
}
trap 'cleanup || true' EXIT
trap 'exit 130' INT TERM

findings=0
printf '%-10s %12s %8s %9s\n' target execs exec/s findings | tee "$OUT/summary.txt"
echo "# Fuzz findings on $(date -u +%Y-%m-%d)" > "$OUT/findings.md"
for t in "${TARGETS[@]}"; do
  log=$OUT/logs/$t.log
  mkdir -p "$OUT/artifacts/$t"
  start=$(date +%s)
  set +e
  "$BIN/$t" "$CORPUS/$t" -max_total_time="$SECONDS_PER_TARGET" -dict="$OUT/dict/$t.dict" -max_len=4096 \
    -timeout=120 -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t/" > "$log" 2>&1
  set -e
  elapsed=$(( $(date +%s) - start ))
  found=0
  for crash in "$OUT/artifacts/$t"/crash-* "$OUT/artifacts/$t"/timeout-* "$OUT/artifacts/$t"/oom-*; do
    [ -e "$crash" ] || continue
    found=$((found+1))
    REGRESSION_DIR=$OUT/regressions "$ROOT/scripts/fuzz-regress.sh" "$t" "$crash" \
      "fuzz-deployment, $(date -u +%Y-%m-%d), $(basename "$crash")" > /dev/null
    {
      echo
      echo "## $t: $(basename "$crash")"
      echo
      echo '```'
      sed -n '/oracle violation\|panicked at/,/repro:/p' "$log" | head -40
      echo '```'
      echo "Replay: \`JOURNEY_API_URL=… cargo +nightly fuzz run --features http $t $(basename "$crash")\`;"
      echo "the regression case (against the reference: suite/regressions/) is in regressions/."
    } >> "$OUT/findings.md"
  done
  findings=$((findings+found))
  execs=$(execs_of "$log")
  printf '%-10s %12s %8s %9s\n' "$t" "$execs" "$(( execs / (elapsed > 0 ? elapsed : 1) ))" "$found" | tee -a "$OUT/summary.txt"
done
cleanup || findings=$((findings+1))
echo "findings: $findings (report: $OUT/findings.md, regression cases: $OUT/regressions/)"
[ "$findings" = 0 ]
