#!/usr/bin/env bash
# Prints exec/s of every fuzz target, in-process against the reference, for a short fixed time:
# once with one libFuzzer process, once with WORKERS processes side by side (`-jobs=N -workers=N`,
# the execs of all of them summed), both from an empty corpus.
#   scripts/bench-fuzz.sh [SECONDS_PER_TARGET]     (default 20)
# Environment: FUZZ_SANITIZER=none|address (default none), FUZZ_TOOLCHAIN (default nightly),
# FUZZ_WORKERS (default: the number of cores), FUZZ_TARGETS (default: every target).
# Speed goal: `request` >= 20,000 exec/s on 2 cores. No test asserts timings; this only reports.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
FUZZ_DIR=$PWD
SECONDS_PER_TARGET=${1:-20}
SANITIZER=${FUZZ_SANITIZER:-none}
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
WORKERS=${FUZZ_WORKERS:-$(nproc)}
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
tmp=$(mktemp -d)
cargo +"$TOOLCHAIN" fuzz build -O -s "$SANITIZER" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
TARGETS=${FUZZ_TARGETS:-$(cargo fuzz list)}

# Sum of `stat::number_of_executed_units` over the given logs (0 when none finished).
execs_in() { cat "$@" 2>/dev/null | awk '/stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }'; }

# run <target> <dir> <extra libFuzzer flags…>: a bounded run from an empty corpus; logs stay in <dir>.
run() {
  local t=$1 dir=$2; shift 2
  mkdir -p "$dir/corpus"
  # -jobs writes fuzz-<n>.log into the working directory, so each run gets its own.
  (cd "$dir" && cargo +"$TOOLCHAIN" fuzz run --fuzz-dir "$FUZZ_DIR" -O -s "$SANITIZER" "$t" corpus -- \
      -max_total_time="$SECONDS_PER_TARGET" -dict="$FUZZ_DIR/dict/json_http.dict" -print_final_stats=1 \
      -artifact_prefix="$dir/" "$@" > "$dir/main.log" 2>&1) || true
  if ls "$dir"/crash-* >/dev/null 2>&1; then echo "  ($t crashed: see scripts/fuzz-nightly.sh; logs in $dir)"; fi
}

printf '%-10s %12s %10s %12s %14s  (sanitizer %s, %ss each, %s workers on %s cores)\n' \
  target execs exec/s "execs x$WORKERS" "exec/s x$WORKERS" "$SANITIZER" "$SECONDS_PER_TARGET" "$WORKERS" "$(nproc)"
for t in $TARGETS; do
  run "$t" "$tmp/$t-1"
  one=$(execs_in "$tmp/$t-1/main.log")
  run "$t" "$tmp/$t-$WORKERS" -jobs="$WORKERS" -workers="$WORKERS"
  all=$(execs_in "$tmp/$t-$WORKERS"/fuzz-*.log)
  printf '%-10s %12s %10s %12s %14s\n' "$t" "$one" "$(( one / SECONDS_PER_TARGET ))" "$all" "$(( all / SECONDS_PER_TARGET ))"
done
echo "logs: $tmp"
