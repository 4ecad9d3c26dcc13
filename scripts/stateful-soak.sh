#!/usr/bin/env bash
# Nightly soak of the stateful property: runs `properties/stateful` with fresh seeds until the time
# budget is spent, against the configured target (JOURNEY_API_URL etc.; the embedded reference when
# unset). Every minimised failing sequence is saved as a regression file in suite/regressions/stateful/
# (replayed by `cargo test`), and each failing seed is listed in the summary.
#
#   scripts/stateful-soak.sh [SECONDS]        (default 600)
#
# Environment: SOAK_SEQUENCES sequences per seed (default 1000), SOAK_OUT (default
# target/stateful-soak: summary and one log per failing seed). Credentials are read by the suite from
# the environment and never printed (reports redact them).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SECONDS_BUDGET=${1:-600}
SEQUENCES=${SOAK_SEQUENCES:-1000}
OUT=${SOAK_OUT:-$ROOT/target/stateful-soak}
mkdir -p "$OUT"
cargo test --quiet --locked -p journey-conformance --test properties --no-run

summary="$OUT/summary.txt"
: > "$summary"
start=$(date +%s)
runs=0
failures=0
while [ $(( $(date +%s) - start )) -lt "$SECONDS_BUDGET" ]; do
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  runs=$((runs+1))
  log="$OUT/seed-$seed.log"
  set +e
  JOURNEY_PROPTEST_SEED=$seed JOURNEY_PROPTEST_SEQUENCES=$SEQUENCES JOURNEY_STATEFUL_SAVE="$ROOT/suite/regressions/stateful" \
    cargo test --quiet --locked -p journey-conformance --test properties -- --exact properties/stateful > "$log" 2>&1
  status=$?
  set -e
  stats=$(grep -m1 -Eo 'properties/stateful: [0-9]+ sequences, [0-9]+ requests, [0-9.]+s' "$log" || true)
  if [ "$status" = 0 ]; then
    printf 'seed %-20s ok      %s\n' "$seed" "$stats" >> "$summary"
    rm -f "$log"
  else
    failures=$((failures+1))
    printf 'seed %-20s FAILED  %s (log: %s)\n' "$seed" "$stats" "$log" >> "$summary"
  fi
done
printf 'stateful soak: %s seed(s) of %s sequences in %ss, %s failing\n' "$runs" "$SEQUENCES" "$SECONDS_BUDGET" "$failures" >> "$summary"
cat "$summary"
# A new regression file fails `cargo test` until the bug is fixed: that is the point.
[ "$failures" = 0 ]
