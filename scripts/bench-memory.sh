#!/usr/bin/env bash
# Peak memory of a run, each figure a ratio to the plain run of the same build in this invocation:
#   (a) the default run (all cases) against the embedded reference;
#   (b) the same run against a target that answers every request with a 1 MiB body (testkit's
#       `padded-reference`: the reference's answers padded with whitespace, so setup and verdicts work);
#   (c) `--repeat 20` against the embedded reference;
# then the scale lines: `--repeat 1` and `--repeat 10` against a reference in its own process, for four
# families whose answers stay alike from pass to pass and for every case: peak memory, wall time and the
# suite's CPU time.
# Goals: (b) within 2x of (a), (a) and (b) under 64 MB, (c) under 128 MB.
# Usage: scripts/bench-memory.sh [BASE_REV]   (default f31500d, the last commit before bounded memory;
#        `none` skips the baseline). The baseline is built in a worktree and runs (a)-(c) against the same
#        targets. Peak RSS from GNU time (`%M`), else the process's VmHWM polled from /proc.
# Network: loopback only; the padded target stops on exit (and by itself after 30 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true  # plain progress lines, no bar
BASE=${1:-f31500d}
tgt=${CARGO_TARGET_DIR:-$PWD/target}
work="$tgt/bench-memory"
mkdir -p "$work"
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
cleanup() {
  for server in ${padded:-} ${plain:-}; do kill "$server" 2>/dev/null || true; done
  [ -d "$work/tree" ] && git worktree remove --force "$work/tree" 2>/dev/null || true
}
trap cleanup EXIT

# `peak OUT CMD...`: runs CMD (stdout to OUT), prints its peak RSS in MB, wall and CPU seconds.
peak() {
  local out=$1 stats="$work/stats"
  shift
  if [ -x /usr/bin/time ]; then
    timeout 1200 /usr/bin/time -o "$stats" -f '%M %e %U %S' "$@" >"$out" 2>/dev/null || true
    awk 'END {printf "%.1f %s %.2f\n", $1 / 1024, $2, $3 + $4}' "$stats"
  else
    local start hwm=0 pid
    start=$(date +%s.%N)
    timeout 1200 "$@" >"$out" 2>/dev/null &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      hwm=$(awk -v h="$hwm" '/^VmHWM:/ {h = $2} END {print h}' "/proc/$pid/status" 2>/dev/null || echo "$hwm")
      sleep 0.05
    done
    wait "$pid" || true
    python3 -c "import time; print(f'{$hwm / 1024:.1f} {time.time() - $start:.2f} 0')"
  fi
}

cargo build --release --locked -q -p journey-conformance -p journey-testkit --features journey-conformance/embedded \
  --bin journey-conformance --bin padded-reference
declare -A suite=([head]="$tgt/release/journey-conformance")
sides=(head)
if [ "$BASE" != none ]; then
  git worktree add -q --detach "$work/tree" "$BASE" 2>/dev/null || git -C "$work/tree" checkout -q --detach "$BASE"
  (cd "$work/tree" && CARGO_TARGET_DIR="$work/base-target" cargo build --release --locked -q -p journey-conformance \
    --features embedded --bin journey-conformance)
  suite[base]="$work/base-target/release/journey-conformance"
  sides=(base head)
fi

"$tgt/release/padded-reference" $((1 << 20)) 1800 >"$work/padded.env" 2>/dev/null &
padded=$!
# Padding to 0 bytes leaves every answer as it is: the plain reference, in its own process.
"$tgt/release/padded-reference" 0 1800 >"$work/plain.env" 2>/dev/null &
plain=$!
for _ in $(seq 1 100); do [ -s "$work/padded.env" ] && [ -s "$work/plain.env" ] && break; sleep 0.1; done
read -r -a padded_env <"$work/padded.env"  # JOURNEY_API_* of its two accounts; never printed
read -r -a plain_env <"$work/plain.env"

echo "== memory: peak RSS in MB (ratio to (a) of the same build); $(nproc) cores; head $(git rev-parse --short HEAD)${suite[base]:+, baseline $BASE}"
printf '%-9s %-14s %-22s %-22s\n' side "(a) reference" "(b) 1 MiB answers" "(c) --repeat 20"
declare -A a b c
for side in "${sides[@]}"; do
  read -r a[$side] _ <<<"$(peak "$work/a.out" "${suite[$side]}")"
  read -r b[$side] _ <<<"$(peak "$work/b.out" env "${padded_env[@]}" "${suite[$side]}")"
  read -r c[$side] _ <<<"$(peak "$work/c.out" "${suite[$side]}" --repeat 20)"
  printf '%-9s %-14s %-22s %-22s\n' "$side" "${a[$side]}" "${b[$side]} ($(ratio "${b[$side]}" "${a[$side]}")x)" \
    "${c[$side]} ($(ratio "${c[$side]}" "${a[$side]}")x)"
done
met=$(python3 -c "print('met' if ${b[head]} <= 2 * ${a[head]} and ${a[head]} < 64 and ${b[head]} < 64 and ${c[head]} < 128 else 'NOT met')")
echo "goals (head): (b) <= 2x (a), (a) and (b) < 64 MB, (c) < 128 MB: $met"
if [ -n "${suite[base]:-}" ]; then
  echo "head/baseline: (a) $(ratio "${a[head]}" "${a[base]}"), (b) $(ratio "${b[head]}" "${b[base]}"), (c) $(ratio "${c[head]}" "${c[base]}")"
fi

# Scale: ten times the cases (every case sent ten times). Two lines, both against a reference in its own
# process (so the suite's own CPU time is told apart from the target's):
#  - methods, ids, malformed-json and auth, which add a few objects per pass at most: each pass gets
#    answers of about the same size, so memory stays flat and the suite's CPU grows with the requests;
#  - every case: scenario cases leave their objects in the store until teardown, so each pass's list and
#    query answers are larger than the last (up to the response cap); memory still stays under
#    O(concurrency x cap) above the base, while the suite's CPU grows faster than the passes.
scale() {
  local label=$1
  shift
  read -r m1 w1 u1 <<<"$(peak "$work/r1.out" env "${plain_env[@]}" "${suite[head]}" "$@" --repeat 1)"
  read -r m10 w10 u10 <<<"$(peak "$work/r10.out" env "${plain_env[@]}" "${suite[head]}" "$@" --repeat 10)"
  echo "scale, $label: --repeat 1: ${m1} MB, ${w1}s wall, ${u1}s suite CPU;" \
    "--repeat 10: ${m10} MB, ${w10}s wall, ${u10}s suite CPU"
  echo "  memory x$(ratio "$m10" "$m1"), suite CPU x$(ratio "$u10" "$u1"), wall x$(ratio "$w10" "$w1")"
}
scale "methods, ids, malformed-json, auth (answers alike each pass)" --family methods,ids,malformed-json,auth
scale "every case (the store grows each pass)"
