#!/usr/bin/env bash
# Prints exec/s of every fuzz target, in-process against the reference, for a short fixed time.
#   scripts/bench-fuzz.sh [SECONDS_PER_TARGET]     (default 20; FUZZ_SANITIZER=none|address, default none)
# Speed goal: `request` >= 20,000 exec/s on 2 cores. No test asserts timings; this only reports.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_PER_TARGET=${1:-20}
SANITIZER=${FUZZ_SANITIZER:-none}
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
cargo +"$TOOLCHAIN" fuzz build -O -s "$SANITIZER" >/dev/null
tmp=$(mktemp -d)
printf '%-10s %10s %10s  (sanitizer %s, %ss each)\n' target execs exec/s "$SANITIZER" "$SECONDS_PER_TARGET"
for t in $(cargo fuzz list); do
  mkdir -p "$tmp/$t"
  cargo +"$TOOLCHAIN" fuzz run -O -s "$SANITIZER" "$t" "$tmp/$t" -- -max_total_time="$SECONDS_PER_TARGET" \
      -dict=dict/json_http.dict -print_final_stats=1 -artifact_prefix="$tmp/" > "$tmp/$t.log" 2>&1 || true
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$tmp/$t.log" | grep -Eo '[0-9]+$' || echo 0)
  printf '%-10s %10s %10s\n' "$t" "$execs" "$(( execs / SECONDS_PER_TARGET ))"
  if ls "$tmp"/crash-* >/dev/null 2>&1; then echo "  ($t crashed: see scripts/fuzz-nightly.sh; log $tmp/$t.log)"; fi
done
