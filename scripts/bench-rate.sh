#!/usr/bin/env bash
# Rate benchmark, two parts (both against loopback targets only).
#
# Part 1 (BENCH_RATE_PARTS contains 1): the suite against a rate-limited embedded reference (token bucket
# per account), paced at the allowed rate and unpaced with a shared Retry-After pause, vs. an unpaced
# baseline whose requests each wait out their own 429 (per-request waits), in the same invocation.
#
# Part 2 (BENCH_RATE_PARTS contains 2; part 3 the faults): what a new user sees. `cargo test -p journey-conformance --test
# conformance` with default settings (only the URL and credentials) against the reference behind a token
# bucket of RPS req/s, burst BURST, with well-formed 429s (`Retry-After: 1`): failed trials, inconclusive
# trials, wall time against the bound requests / RPS (goal: 0 failed, <= 1 % inconclusive, <= 1.3 x the
# bound) and the pace the client learned. Part 3: one fault per family of the fault set behind the same
# bucket, each run on the cases that kill it, must still be killed.
#
# Usage: scripts/bench-rate.sh [RPS] [BURST]   (defaults: part 1 50/10, parts 2-3 15/5; BENCH_RATE_PARTS=123;
# BENCH_RATE_RETRY_AFTER=1000 makes every 429 of parts 2-3 say `Retry-After: 1000`, a window in milliseconds)
set -euo pipefail
cd "$(dirname "$0")/.."
parts="${BENCH_RATE_PARTS:-123}"

if [[ "$parts" == *1* ]]; then
  cargo run --quiet --release --locked -p journey-testkit --example bench_rate -- "${1:-50}" "${2:-10}"
fi
[[ "$parts" == *2* || "$parts" == *3* ]] || exit 0

rps="${1:-15}"
burst="${2:-5}"
work="$(mktemp -d)"
target_pid=""
cleanup() {
  [[ -n "$target_pid" ]] && kill "$target_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --quiet --locked -p journey-testkit --bin limited-target
cargo test --quiet --locked -p journey-conformance --test conformance --no-run 2>/dev/null

# Starts the limited target (behind fault $1, `-` for none); its settings line goes to $work/env.
start_target() {
  : >"$work/target.out"
  target/debug/limited-target "$rps" "$burst" "$1" 3600 ${BENCH_RATE_RETRY_AFTER:+"$BENCH_RATE_RETRY_AFTER"} \
    >>"$work/target.out" 2>"$work/target.err" &
  target_pid=$!
  for _ in $(seq 1 100); do
    grep -q '^JOURNEY_API' "$work/target.out" && break
    sleep 0.1
  done
  if ! grep -q 'JOURNEY_API_URL=' "$work/target.out"; then
    echo "the target behind $1 did not start: $(cat "$work/target.err")" >&2
    exit 1
  fi
  head -n 1 "$work/target.out" >"$work/env"
}

# Stops the target; prints its per-account counts (answered, limited) as "answered limited" of account 1.
stop_target() {
  kill -INT "$target_pid" 2>/dev/null || true
  wait "$target_pid" 2>/dev/null || true
  target_pid=""
}

# Runs the user's command (libtest filter args in "$@") against the running target; sets rc, secs, log.
run_suite() {
  local start end
  start=$(date +%s.%N)
  set +e
  env $(cat "$work/env") cargo test --quiet --locked -p journey-conformance --test conformance -- "$@" \
    >"$work/log" 2>&1
  rc=$?
  set -e
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
}

trials() { grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed; [0-9]+ failed' "$work/log" | tail -n 1; }

if [[ "$parts" == *2* ]]; then
echo "== part 2: cargo test --test conformance, default settings, behind a token bucket of $rps req/s, burst $burst${BENCH_RATE_RETRY_AFTER:+, every 429 saying Retry-After: $BENCH_RATE_RETRY_AFTER} =="
start_target -
run_suite
stop_target
result="$(trials)"
passed=$(echo "$result" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
failed=$(echo "$result" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)
# The harness's closing levels line counts them (an inconclusive trial's message is only its reason).
inconclusive=$(grep -Eo 'inconclusive: [0-9]+ cases' "$work/log" | tail -n 1 | grep -Eo '[0-9]+' || echo 0)
read -r _ first _ answered _ limited <<<"$(grep '^account ' "$work/target.out" | head -n 1)"
read -r _ second _ answered2 _ limited2 <<<"$(grep '^account ' "$work/target.out" | sed -n 2p)"
bound=$(echo "$answered / $rps" | bc -l)
total=$((passed + failed))
printf 'trials: %s passed, %s failed (of which %s inconclusive, %.2f %% of %s)\n' "$passed" "$failed" "$inconclusive" \
  "$(echo "100 * $inconclusive / ($total + ($total == 0))" | bc -l)" "$total"
printf 'requests answered: %s (account %s) + %s (account %s); 429s: %s + %s\n' "$answered" "$first" "$answered2" \
  "$second" "$limited" "$limited2"
printf 'wall time %.1fs, bound (requests of the first account / %s) %.1fs: %.2f x the bound (goal <= 1.3)\n' \
  "$secs" "$rps" "$bound" "$(echo "$secs / $bound" | bc -l)"
grep -E 'journey-conformance: (pace|outages):' "$work/log" || echo "pace: (no pace line)"
if [[ "$failed" -gt "$inconclusive" ]]; then
  echo "failed trials (not inconclusive):"
  grep -E '^(FAILED|FAIL|---- )' "$work/log" | head -n 40 || true
fi
cp "$work/log" "${BENCH_RATE_LOG:-/tmp/bench-rate-part2.log}"
fi
[[ "$parts" == *3* ]] || exit 0

# One fault per family of the fault set, run on the cases that kill it, behind the same bucket.
echo
echo "== faults behind the same bucket =="
printf '%-34s %-9s %8s  %s\n' fault verdict seconds pace
# One per module of testkit/src/faults/, with a case (ID substring) that kills it in the mutation score.
faults=(
  "missing-see ids/"
  "retry-after-milliseconds datamodel"
  "rate-limit-text-plain datamodel"
  "lenient-json batch/ill-formed/trailing-comma"
  "password-prefix-compare auth/near-miss/password-first-8"
  "half-applied-patch values/attachment/backslash-filename/patch"
  "stale-read-after-update batch/results/mixed"
  "list-leaks-foreign accounts/isolation/list"
  "info-json-missing clients/info/info-json"
  "form-body-refused clients/form/patch-form-encoded"
  "total-only-when-asked clients/list/total-by-default"
  "contains-case-insensitive query/list/contains/other-case-misses"
)
for row in "${faults[@]}"; do
  read -r fault filter <<<"$row"
  start_target "$fault"
  run_suite "$filter"
  stop_target
  verdict=SURVIVED
  # A failed trial (MUST), or a SHOULD finding (a SHOULD fault under `documented`), as the harness's
  # closing levels line counts them: libtest's terse output names no trial that passed non-strict.
  levels="$(grep -Eo 'MUST failures: [0-9]+ cases · inconclusive: [0-9]+ cases · SHOULD findings: [0-9]+' "$work/log" | tail -n 1 || true)"
  read -r must should <<<"$(echo "$levels" | sed -E 's/MUST failures: ([0-9]+) .* SHOULD findings: ([0-9]+)/\1 \2/')"
  failed_trials="$(trials | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 0)"
  if [[ "${failed_trials:-0}" -gt 0 || "${must:-0}" -gt 0 || "${should:-0}" -gt 0 ]]; then verdict=killed; fi
  pace="$(grep -Eo 'pace: [^;]*' "$work/log" | head -n 1 || true)"
  mkdir -p "${BENCH_RATE_LOGS:-/tmp/bench-rate-faults}"
  cp "$work/log" "${BENCH_RATE_LOGS:-/tmp/bench-rate-faults}/$fault.log"
  printf '%-34s %-9s %8.1f  %s\n' "$fault" "$verdict" "$secs" "${pace:-unpaced (no 429 met)}"
done
