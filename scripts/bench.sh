#!/usr/bin/env bash
# Benchmarks, each printed as a ratio against a baseline measured in this same invocation:
#   1. the default run's wall time (all cases, embedded reference) vs the same run at --concurrency 1;
#   2. the suite's requests/s against a reference server vs oha's against the same server (goal >= 50 %);
#   3. the suite's requests/s vs Schemathesis' against the same server (goal >= 20x);
#   4. the cold release build of the workspace vs a cold build of the reference alone;
#   5. the stateful property at its default budget and at 10x: sequences, requests, seconds, and the ratio;
#   6. latency-bound runs: the binary and `cargo test --test conformance` against the reference behind a
#      front end adding 25 ms to every answer, vs the bound requests x delay / concurrency + setup (goal <= 2x at 8);
#   7. peak memory (scripts/bench-memory.sh): the default run, 1 MiB answers and --repeat 20 as ratios to the
#      default run, against the build before bounded memory too; then --repeat 10's memory and time.
# Usage: scripts/bench.sh            (BENCH_SKIP_COLD=1 skips 4, BENCH_SKIP_SCHEMATHESIS=1 skips 3,
#        BENCH_ONLY_LATENCY=1 runs 6 alone, BENCH_SKIP_MEMORY=1 skips 7, BENCH_MEMORY_BASE=none skips its baseline build)
# Installs oha (cargo install --locked) and schemathesis (venv under target/) when missing.
# Network: loopback only; every server it starts is stopped on exit; every tool runs under a time bound.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true  # plain progress lines, no bar
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
now() { python3 -c 'import time; print(time.time())'; }
since() { python3 -c "import time; print(f'{time.time() - $1:.2f}')"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

latency_bench() {
  # The front end (testkit example `latency`) runs in-process with the reference, counts the requests it
  # answers and times the command it starts; setup is the same command with no case selected (process
  # start, preflight, fixture, teardown), measured here too.
  local delay_ms=25 out="${CARGO_TARGET_DIR:-target}"
  cargo build --release --locked -q -p journey-testkit --example latency -p journey-conformance
  lat() { JOURNEY_API_CONCURRENCY=$1 timeout 700 "$out/release/examples/latency" "$delay_ms" 600 -- "${@:2}" 2>/dev/null; }
  one() { # NAME CONCURRENCY NO-CASE-ARG COMMAND...
    local name=$1 conc=$2 none=$3; shift 3
    local _ setup requests elapsed
    lat "$conc" "$@" "$none" >/dev/null  # warm-up: builds what is stale, outside the timings
    read -r _ setup <<<"$(lat "$conc" "$@" "$none")"
    read -r requests elapsed <<<"$(lat "$conc" "$@")"
    local bound
    bound=$(python3 -c "print(f'{${requests:-0} * $delay_ms / 1000 / $conc + ${setup:-0}:.2f}')")
    echo "   $name, concurrency $conc: ${requests:-?} requests in ${elapsed:-?}s; bound ${bound}s (setup ${setup:-?}s); elapsed/bound $(ratio "${elapsed:-0}" "$bound")"
  }
  echo "6. latency-bound runs, every answer delayed ${delay_ms} ms (goal: elapsed/bound <= 2 at concurrency 8):"
  for conc in 8 16 32; do one "binary" "$conc" --case=no/such/case "$out/release/journey-conformance"; done
  one "cargo test --test conformance" 8 no/such/case cargo test --locked -q -p journey-conformance --test conformance --
}
if [ "${BENCH_ONLY_LATENCY:-0}" = 1 ]; then latency_bench; exit 0; fi

command -v oha >/dev/null || { echo "bench: installing oha" >&2; cargo install --locked oha >/dev/null 2>&1; }
cargo build --release --locked -q -p journey-conformance -p journey-reference --features journey-conformance/embedded
suite=target/release/journey-conformance
echo "== machine: $(nproc) cores; suite $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# 1. Default run wall time.
t=$(now); $suite >/dev/null 2>&1 || true; default=$(since "$t")
t=$(now); $suite --concurrency 1 >/dev/null 2>&1 || true; serial=$(since "$t")
echo "1. default run (all cases, embedded): ${default}s; --concurrency 1: ${serial}s; speed-up $(ratio "$serial" "$default")x"

# A reference server for 2 and 3.
port=$(free_port); account=benchacct; password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
target/release/journey-reference --listen "127.0.0.1:$port" --account "$account:$password" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port/api/v4/$account"
for _ in $(seq 1 100); do curl -fsS -o /dev/null -u "$account:$password" "$base/datamodel.json" 2>/dev/null && break; sleep 0.1; done

# 2. Suite vs oha. Families whose cases send exactly one request each; 10 runs summed; send phase only.
# The same request on both sides, steady state, 8 in flight against the same reference: the suite
# repeats one case (GET of an unknown object, judged by the oracle each time), oha sends that request.
endpoint="$base/objects/task/00000000-0000-0000-0000-000000000000.json"
suite_env() { JOURNEY_API_URL="$base" JOURNEY_API_USER="$account" JOURNEY_API_PASSWORD="$password" "$@"; }
ran() { echo "$1" | awk '/^ran /{print $2, $5}' | tr -d 's'; }
read -r cases seconds <<<"$(ran "$(suite_env timeout 300 $suite --case ids/unknown/GET-nil-uuid --concurrency 8 --repeat 50000 2>/dev/null)")"
suite_rps=$(python3 -c "print(f'{${cases:-0} / max(${seconds:-0}, 1e-9):.0f}')")
oha_rps=$(timeout 120 oha -n 50000 -c 8 --no-tui --output-format json -a "$account:$password" "$endpoint" \
  | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["summary"]["requestsPerSec"]))')
echo "2. requests/s, same request (GET of an unknown object), 8 in flight, 50,000 each: suite $suite_rps; oha $oha_rps; suite/oha $(ratio "$suite_rps" "$oha_rps")"
# The suite's own mix for comparison: three families (452 different requests) repeated 40 times.
read -r mixed mixed_seconds <<<"$(ran "$(suite_env timeout 300 $suite --family methods,ids,auth --concurrency 8 --repeat 40 2>/dev/null)")"
mixed_rps=$(python3 -c "print(f'{${mixed:-0} / max(${mixed_seconds:-0}, 1e-9):.0f}')")
echo "   the suite's mix (methods,ids,auth --repeat 40, $mixed requests): $mixed_rps req/s; mix/oha $(ratio "$mixed_rps" "$oha_rps")"

if [ "${BENCH_SKIP_SCHEMATHESIS:-0}" != 1 ]; then
  venv=target/schemathesis-venv
  [ -x "$venv/bin/schemathesis" ] || { python3 -m venv "$venv"; "$venv/bin/pip" install -q schemathesis; }
  rm -rf target/bench-schemathesis
  t=$(now)
  timeout 300 "$venv/bin/schemathesis" run openapi/journeyapps-v4.yaml --url "$base" --auth "$account:$password" \
    --checks all --max-examples 25 --max-time 120 --seed 1 --workers 1 --no-color \
    --report har --report-dir target/bench-schemathesis >/dev/null 2>&1 || true
  st_seconds=$(since "$t")
  st_requests=$(python3 -c 'import json,glob; print(sum(len(json.load(open(f))["log"]["entries"]) for f in glob.glob("target/bench-schemathesis/har-*.json")))')
  st_rps=$(python3 -c "print(f'{$st_requests / $st_seconds:.1f}')")
  echo "3. schemathesis: $st_requests requests in ${st_seconds}s = $st_rps requests/s (1 worker, whole run); suite/schemathesis $(ratio "$suite_rps" "$st_rps")x"
fi

# 4. Cold build.
if [ "${BENCH_SKIP_COLD:-0}" != 1 ]; then
  cold=target/bench-cold
  rm -rf "$cold"
  t=$(now); CARGO_TARGET_DIR=$cold cargo build --release --locked -q -p journey-reference; reference_only=$(since "$t")
  t=$(now); CARGO_TARGET_DIR=$cold cargo build --release --locked -q -p journey-conformance --features embedded; rest=$(since "$t")
  total=$(python3 -c "print(f'{$reference_only + $rest:.1f}')")
  echo "4. cold release build: workspace ${total}s (reference alone ${reference_only}s, + suite ${rest}s); workspace/reference $(ratio "$total" "$reference_only")x"
  rm -rf "$cold"
fi

# 5. Stateful property: the default budget, then 10x, against the embedded reference (debug test build).
stateful() { JOURNEY_PROPTEST_SEQUENCES=$1 cargo test -q --locked -p journey-conformance --test properties -- \
  properties/stateful --exact --nocapture 2>&1 | awk '/^properties\/stateful: /{print $2, $4, $6}' | tr -d 's,'; }
read -r seq1 req1 sec1 <<<"$(stateful 64)"
read -r seq10 req10 sec10 <<<"$(stateful 640)"
echo "5. stateful property: ${seq1:-?} sequences, ${req1:-?} requests in ${sec1:-?}s; 10x: ${seq10:-?} sequences, ${req10:-?} requests in ${sec10:-?}s; time ratio $(ratio "${sec10:-0}" "${sec1:-1}")x"

latency_bench

# 7. Peak memory, in its own script so it can run alone.
if [ "${BENCH_SKIP_MEMORY:-0}" != 1 ]; then
  echo "7. memory:"
  scripts/bench-memory.sh "${BENCH_MEMORY_BASE:-f31500d}"
fi
