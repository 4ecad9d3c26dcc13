#!/usr/bin/env bash
# Each named fault against the README's command for a deployment, as a user would run it: the reference
# behind the fault on a loopback port (two accounts), its JOURNEY_API_* settings in the environment, and
# `cargo test -p journey-conformance --test conformance --test properties`. A fault is killed when the run
# fails or its closing levels line counts a SHOULD finding (a SHOULD fault passes the documented profile).
# Usage: scripts/kill-by-command.sh [FAULT...]   (default: the deeper checks' faults and retry-after-milliseconds)
# KILL_BY_COMMAND_TESTS="--test conformance" runs the fixed cases alone.
set -euo pipefail
cd "$(dirname "$0")/.."
faults=("$@")
if [[ ${#faults[@]} -eq 0 ]]; then
  faults=(skip-ignored count-is-total sort-direction-case-sensitive query-json-as-list search-lists-all
    oplog-next-start-repeats oplog-tail-from-start credentials-ignored-on-info object-xml-as-json
    method-override-honoured case-insensitive-routes vendor-routes-any-method lone-surrogate-500
    retry-after-milliseconds)
fi
tests="${KILL_BY_COMMAND_TESTS:---test conformance --test properties}"
cargo build --quiet --locked -p journey-testkit --example serve_target
# shellcheck disable=SC2086
cargo test --quiet --locked -p journey-conformance $tests --no-run 2>/dev/null
logs="${KILL_BY_COMMAND_LOGS:-$(mktemp -d)}"
mkdir -p "$logs"
printf '%-32s %-9s %8s  %s\n' fault verdict seconds "levels line"
survivors=0
for fault in "${faults[@]}"; do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  target/debug/examples/serve_target --fault "$fault" --accounts 2 --max-seconds 900 -- \
    cargo test --quiet --locked -p journey-conformance $tests >"$logs/$fault.log" 2>&1 || true
  secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  levels="$(grep -Eo 'MUST failures: [0-9]+ cases · inconclusive: [0-9]+ cases · SHOULD findings: [0-9]+ cases' "$logs/$fault.log" | tail -n 1 || true)"
  status="$(tail -n 1 "$logs/$fault.log")"
  verdict=SURVIVED
  if grep -Eq 'test result: FAILED' "$logs/$fault.log" \
    || [[ "$(echo "$levels" | grep -Eo 'SHOULD findings: [0-9]+' | grep -Eo '[0-9]+' || echo 0)" -gt 0 ]]; then
    verdict=killed
  fi
  [[ "$verdict" == killed ]] || survivors=$((survivors + 1))
  printf '%-32s %-9s %8.1f  %s\n' "$fault" "$verdict" "$secs" "${levels:-no levels line ($status)}"
done
echo "logs in $logs; $survivors of ${#faults[@]} survived"
[[ $survivors -eq 0 ]]
