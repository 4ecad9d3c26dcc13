#!/usr/bin/env bash
# Nightly fuzzing: build every cargo-fuzz target, run each for SECONDS_PER_TARGET (default 600),
# minimise every crash with `cargo fuzz tmin`, write each as a regression case
# (suite/regressions/<target>-<hash>.json, replayed by `cargo test`), and leave a summary.
#
#   scripts/fuzz-nightly.sh [SECONDS_PER_TARGET]
#
# Environment: FUZZ_TARGETS (default: every target), FUZZ_SANITIZER (default address; `none` is
# faster), FUZZ_TOOLCHAIN (default nightly), FUZZ_OUT (default fuzz/nightly-out: summary, logs, crashes).
# With JOURNEY_API_URL set, the targets are built with `--features http` and send over HTTP to that
# target instead of in-process (the in-process build links no HTTP client, which makes it faster).
# The stateful property has its own soak beside this one: scripts/stateful-soak.sh [SECONDS].
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_PER_TARGET=${1:-600}
TOOLCHAIN=${FUZZ_TOOLCHAIN:-nightly}
SANITIZER=${FUZZ_SANITIZER:-address}
OUT=${FUZZ_OUT:-$ROOT/fuzz/nightly-out}
mkdir -p "$OUT/crashes" "$OUT/logs"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

TARGETS=${FUZZ_TARGETS:-$(cd fuzz && cargo fuzz list)}
FUZZ="cargo +$TOOLCHAIN fuzz"
FEATURES=()
if [ -n "${JOURNEY_API_URL:-}" ]; then FEATURES=(--features http); fi
$FUZZ build -O -s "$SANITIZER" "${FEATURES[@]}"

# Seed corpora (generated, never committed here): the one seeding script, shared with ClusterFuzzLite's
# build. A corpus directory that already exists keeps what earlier runs found; the seeds are added.
# shellcheck disable=SC2086 # one word per target
scripts/fuzz-seed.sh dirs "$ROOT/fuzz/corpus" $TARGETS > "$OUT/logs/seed.log"
# shellcheck disable=SC2086
scripts/fuzz-seed.sh dicts "$OUT/dict" $TARGETS

summary="$OUT/summary.txt"
printf '%-10s %12s %10s %8s\n' target execs exec/s crashes > "$summary"
total_crashes=0
for t in $TARGETS; do
  log="$OUT/logs/$t.log"
  # A fresh artifact dir per run, so crashes of earlier runs (maybe fixed since) are not counted again.
  artifacts="$OUT/artifacts/$t"
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  set +e
  (cd fuzz && $FUZZ run -O -s "$SANITIZER" "${FEATURES[@]}" "$t" "corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -dict="$OUT/dict/$t.dict" -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$artifacts/") \
      > "$log" 2>&1
  set -e
  execs=$(grep -Eo "stat::number_of_executed_units: *[0-9]+" "$log" | grep -Eo "[0-9]+$" | tail -1 || true)
  if [ "${execs:-0}" = 0 ]; then execs=$(grep -Eo '#[0-9]+' "$log" | tail -1 | tr -d '#'); fi
  rate=$(( ${execs:-0} / (SECONDS_PER_TARGET > 0 ? SECONDS_PER_TARGET : 1) ))
  crashes=0
  for crash in "$artifacts"/crash-* "$artifacts"/timeout-* "$artifacts"/oom-*; do
    [ -e "$crash" ] || continue
    crashes=$((crashes+1))
    min="$OUT/crashes/$t-$(basename "$crash")"
    (cd fuzz && $FUZZ tmin -O -s "$SANITIZER" "${FEATURES[@]}" "$t" "$crash" -- -runs=2000 -artifact_prefix="$artifacts/") > "$OUT/logs/$t-tmin.log" 2>&1 || true
    minimized=$(ls -t "$artifacts"/minimized-from-* 2>/dev/null | head -1 || true)
    rm -f "$artifacts"/minimized-from-* 2>/dev/null || true
    cp "${minimized:-$crash}" "$min"
    note="fuzz target $t, $(date -u +%Y-%m-%d), $(basename "$crash"); $(grep -m1 -E 'oracle violation|panicked' "$log" | cut -c1-200 | tr -d '"\\' || true)"
    scripts/fuzz-regress.sh "$t" "$min" "$note"
  done
  total_crashes=$((total_crashes+crashes))
  printf '%-10s %12s %10s %8s\n' "$t" "${execs:-0}" "$rate" "$crashes" >> "$summary"
done
printf 'seconds per target: %s, sanitizer: %s, crashes: %s\n' "$SECONDS_PER_TARGET" "$SANITIZER" "$total_crashes" >> "$summary"
cat "$summary"
# New regression cases fail `cargo test` until the bug is fixed: that is the point.
[ "$total_crashes" = 0 ]
