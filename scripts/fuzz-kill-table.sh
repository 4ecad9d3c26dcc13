#!/usr/bin/env bash
# The HTTP fuzz kill table: what the fuzzers find that the fixed cases miss. For each fault only the
# fuzzers are to kill (testkit/src/faults/table_fuzz.rs), the reference behind it is served on a
# loopback port (the testkit example serve_target), and
#   - the fixed cases run against it once (the suite's binary): they must pass, or the fault is no
#     proof of what fuzzing adds;
#   - each HTTP fuzz target (`--features http`) runs against it from its seed corpus for at most
#     SECONDS: a crash that is an oracle violation kills it, and the table gives the time it took.
# A control row runs every target against the clean reference, where nothing may be found.
#
#   scripts/fuzz-kill-table.sh [SECONDS]         (default 60 per target and fault)
# Environment: FUZZ_TARGETS (default every target), FUZZ_FAULTS (default every fuzz-only fault),
# FUZZ_OUT (logs and crashes; default fuzz/kill-table-out), FUZZ_PARALLEL=1 (a row's targets run at
# once, each against its own reference: SECONDS per row instead of per cell; the cores are shared, so
# the times to a kill grow). Exits 1 when a fault survives every
# target, a fixed case kills one, or the control finds something.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
SECONDS_PER_RUN=${1:-60}
OUT=${FUZZ_OUT:-$ROOT/fuzz/kill-table-out}
rm -rf "$OUT" && mkdir -p "$OUT"

BIN=$(build_fuzzers http none)
SERVE=$(build_helpers)/serve_target
SUITE=$ROOT/target/release/journey-conformance
read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(fuzz_target_names | tr '\n' ' ')}"
read -r -a FAULTS <<< "${FUZZ_FAULTS:-$("$SERVE" --fuzz-only-faults | tr '\n' ' ')}"
"$ROOT/scripts/fuzz-seed.sh" dirs "$OUT/seeds" "${TARGETS[@]}" > /dev/null
"$ROOT/scripts/fuzz-seed.sh" dicts "$OUT/dict" "${TARGETS[@]}"

# run_target FAULT TARGET: one bounded fuzz run against the reference behind FAULT (`none`: clean);
# prints "killed SECONDS EXECS" or "-", and keeps the log.
run_target() {
  local fault=$1 t=$2 dir=$OUT/$1/$2 fault_args=() start end status
  mkdir -p "$dir/corpus" && cp -r "$OUT/seeds/$t/." "$dir/corpus/"
  if [ "$fault" != none ]; then fault_args=(--fault "$fault"); fi
  start=$(date +%s.%N)
  set +e
  "$SERVE" "${fault_args[@]}" --max-seconds $((SECONDS_PER_RUN + 60)) -- \
    "$BIN/$t" "$dir/corpus" -max_total_time="$SECONDS_PER_RUN" -dict="$OUT/dict/$t.dict" -max_len=4096 \
    -len_control=0 -seed=1 -print_final_stats=1 -artifact_prefix="$dir/" > "$dir/log" 2>&1
  status=$?
  set -e
  end=$(date +%s.%N)
  if ls "$dir"/crash-* >/dev/null 2>&1; then
    if [ -z "$(finding_of "$dir/log")" ]; then
      echo "crash(no-finding) $(awk "BEGIN { printf \"%.0f\", $end - $start }")s"
    else
      echo "killed $(awk "BEGIN { printf \"%.1f\", $end - $start }")s $(execs_of "$dir/log")"
    fi
  elif [ "$status" != 0 ]; then
    echo "error($status)"
  else
    echo "- $(execs_of "$dir/log")"
  fi
}

# fixed_cases FAULT: the suite's fixed cases against the reference behind FAULT.
fixed_cases() {
  local log=$OUT/$1/fixed-cases.log
  mkdir -p "$OUT/$1"
  if "$SERVE" --fault "$1" --max-seconds 600 -- "$SUITE" > "$log" 2>&1; then echo pass; else echo KILLED; fi
}

printf '%-22s %-11s' fault "fixed cases"
for t in "${TARGETS[@]}"; do printf ' %-24s' "$t"; done
printf '\n'
failed=0
for fault in none "${FAULTS[@]}"; do
  if [ "$fault" = none ]; then
    printf '%-22s %-11s' "control (clean)" "-"
  else
    fixed=$(fixed_cases "$fault")
    [ "$fixed" = pass ] || failed=1
    printf '%-22s %-11s' "$fault" "$fixed"
  fi
  killed_by=0
  for t in "${TARGETS[@]}"; do
    mkdir -p "$OUT/$fault/$t"
    if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
      run_target "$fault" "$t" > "$OUT/$fault/$t/result" &
    else
      run_target "$fault" "$t" > "$OUT/$fault/$t/result"
    fi
  done
  wait
  for t in "${TARGETS[@]}"; do
    result=$(cat "$OUT/$fault/$t/result")
    case $result in killed*) killed_by=$((killed_by+1));; esac
    if [ "$fault" = none ] && [ "${result%% *}" != - ]; then failed=1; fi
    case $result in killed*|-*) ;; *) failed=1;; esac
    printf ' %-24s' "$result"
  done
  printf '\n'
  if [ "$fault" != none ] && [ "$killed_by" = 0 ]; then failed=1; fi
done
echo "each cell: killed TIME EXECS (the run's first crash, an oracle violation) or - EXECS (none within ${SECONDS_PER_RUN}s); logs in $OUT"
exit "$failed"
