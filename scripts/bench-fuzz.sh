#!/usr/bin/env bash
# Fuzzing speed against a baseline, in one invocation: each fuzz target of HEAD and of BASE_REV (built
# here in a worktree) fuzzes in-process without a sanitizer from the same committed corpus
# (scripts/fuzz-seed.sh: corpora/, incl. corpora/fuzz/<target>.*.b64) for SECONDS, sides alternating
# for ROUNDS rounds, so the machine's other load hits both alike; prints the median exec/s of each side,
# head/baseline, and HEAD's exec/s under ASan (what ClusterFuzzLite runs) beside it. Then the same
# with WORKERS processes side by side (`-jobs=N -workers=N`, execs summed) for HEAD alone.
#   scripts/bench-fuzz.sh [SECONDS] [BASE_REV]      (default 20, 969409a)
# Environment: BENCH_ROUNDS (default 3), BENCH_FUZZ_TREE (a checkout of BASE_REV to reuse),
# BENCH_FUZZ_CALLGRIND=1 (also instructions per input, BENCH_FUZZ_RUNS runs, default 10000), FUZZ_TARGETS (default every target), FUZZ_WORKERS (default the
# number of cores; 0 skips that part). Speed goal: `request` >= 25,000 exec/s without a sanitizer.
# No test asserts timings; this only reports.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
SECONDS_PER_RUN=${1:-20}
BASE=${2:-969409a}
ROUNDS=${BENCH_ROUNDS:-3}
WORKERS=${FUZZ_WORKERS:-$(nproc)}
work=$ROOT/target/bench-fuzz
mkdir -p "$work"
# BENCH_FUZZ_TREE: an existing checkout of the baseline to build in (kept); else a worktree made here.
wt=${BENCH_FUZZ_TREE:-$work/tree}
if [ -z "${BENCH_FUZZ_TREE:-}" ]; then
  [ -d "$wt" ] || git -C "$ROOT" worktree add -q --detach "$wt" "$BASE"
  git -C "$wt" checkout -q --detach "$BASE"
  trap 'git -C "$ROOT" worktree remove --force "$wt" 2>/dev/null || true' EXIT
fi

HEAD_BIN=$(build_fuzzers inprocess none)
# The ASan figure is ClusterFuzzLite's build (ASan, debug assertions) when scripts/cflite-check.sh has
# made one, else a plain `cargo fuzz build -O` (ASan).
ASAN_BIN=$ROOT/fuzz/target/cflite/x86_64-unknown-linux-gnu/release
if [ ! -x "$ASAN_BIN/request" ]; then ASAN_BIN=$(build_fuzzers inprocess address); fi
# Each fuzz/ is its own workspace with its own target directory.
(cd "$wt/fuzz" && env -u CARGO_TARGET_DIR cargo +nightly fuzz build -O -s none) > "$work/base-build.log" 2>&1 \
  || { tail -20 "$work/base-build.log"; exit 1; }
BASE_BIN=$wt/fuzz/target/x86_64-unknown-linux-gnu/release
read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(fuzz_target_names | tr '\n' ' ')}"
rm -rf "$work/seeds" "$work/dict" "$work/runs"
"$ROOT/scripts/fuzz-seed.sh" dirs "$work/seeds" "${TARGETS[@]}" > "$work/seeds.log"
"$ROOT/scripts/fuzz-seed.sh" dicts "$work/dict" "${TARGETS[@]}"

# rate BINARY TARGET RUN [FLAGS...]: exec/s of one bounded run from a fresh copy of the seed corpus
# (with -jobs, the sum over the workers' logs).
rate() {
  local bin=$1 t=$2 dir=$work/runs/$3 execs
  shift 3
  rm -rf "$dir" && mkdir -p "$dir/corpus" && cp -r "$work/seeds/$t/." "$dir/corpus/"
  (cd "$dir" && "$bin/$t" corpus -max_total_time="$SECONDS_PER_RUN" -seed=1 -dict="$work/dict/$t.dict" \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$dir/" "$@" > main.log 2>&1) || true
  if ls "$dir"/crash-* >/dev/null 2>&1; then echo "  ($t crashed in $dir)" >&2; fi
  # With -jobs, main.log repeats each worker's final stats: count the workers' own logs only.
  local logs=("$dir"/fuzz-*.log)
  [ -e "${logs[0]}" ] || logs=("$dir/main.log")
  execs=$(awk '/stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }' "${logs[@]}")
  echo $(( execs / SECONDS_PER_RUN ))
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== $(nproc) cores; head $(git -C "$ROOT" rev-parse --short HEAD), baseline $(git -C "$wt" rev-parse --short HEAD);" \
  "${SECONDS_PER_RUN}s per run, $ROUNDS rounds, from the committed corpus"
printf '%-10s %14s %14s %12s %14s\n' target "baseline ex/s" "head ex/s" head/base "head ASan ex/s"
for t in "${TARGETS[@]}"; do
  base=() head=()
  for r in $(seq 1 "$ROUNDS"); do
    base+=("$(rate "$BASE_BIN" "$t" "$t-base-$r")")
    head+=("$(rate "$HEAD_BIN" "$t" "$t-head-$r")")
  done
  b=$(median "${base[@]}") h=$(median "${head[@]}")
  asan=$(rate "$ASAN_BIN" "$t" "$t-asan")
  printf '%-10s %14s %14s %12s %14s   (rounds: baseline %s; head %s)\n' "$t" "$b" "$h" \
    "$(awk "BEGIN { printf \"%.2f\", $b ? $h / $b : 0 }")" "$asan" "${base[*]}" "${head[*]}"
done
if [ "$WORKERS" -gt 1 ]; then
  echo "head, $WORKERS processes side by side (-jobs=$WORKERS -workers=$WORKERS), exec/s summed:"
  for t in "${TARGETS[@]}"; do
    printf '%-10s %14s\n' "$t" "$(rate "$HEAD_BIN" "$t" "$t-jobs" -jobs="$WORKERS" -workers="$WORKERS")"
  done
fi
# Instructions per input under callgrind (BENCH_FUZZ_CALLGRIND=1, valgrind): the same runs from the same
# corpus with -runs=N, counted the same whatever else the machine does; baseline/head is the exec/s
# ratio a quiet machine would show.
if [ "${BENCH_FUZZ_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
  runs=${BENCH_FUZZ_RUNS:-10000}
  for t in "${TARGETS[@]}"; do
    declare -A ir=()
    for side in base head; do
      bin=$BASE_BIN; [ "$side" = head ] && bin=$HEAD_BIN
      dir=$work/runs/$t-callgrind-$side
      rm -rf "$dir" && mkdir -p "$dir/corpus" && cp -r "$work/seeds/$t/." "$dir/corpus/"
      (cd "$dir" && timeout 3600 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin/$t" corpus \
        -runs="$runs" -seed=1 -dict="$work/dict/$t.dict" -max_len=4096 > main.log 2>&1) || true
      ir[$side]=$(grep -o 'Collected : [0-9]*' "$dir/main.log" | awk '{print $3}')
      # A crash ends the run early: its count is no per-input figure.
      if ls "$dir"/crash-* >/dev/null 2>&1; then ir[$side]=crashed; fi
    done
    if [ "${ir[base]}" = crashed ] || [ "${ir[head]}" = crashed ]; then
      echo "$t: under callgrind the run crashed (baseline ${ir[base]:-?}, head ${ir[head]:-?}; $work/runs/$t-callgrind-*): no figure"
      continue
    fi
    python3 -c "b, h = ${ir[base]:-0} / $runs, ${ir[head]:-0} / $runs; print(f'$t: {$runs} runs from the corpus under callgrind, instructions per run baseline {b:,.0f}, head {h:,.0f}; exec/s head/baseline {b / max(h, 1):.2f}')"
  done
fi
echo "logs: $work/runs"
