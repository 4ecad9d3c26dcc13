#!/usr/bin/env bash
# Rate benchmark: the suite against a rate-limited embedded reference (token bucket per account),
# paced at the allowed rate and unpaced with a shared Retry-After pause, vs. an unpaced baseline whose
# requests each wait out their own 429 (per-request waits), in the same invocation.
# Goal: paced >= 90% of the allowed rate with < 1% 429s. Usage: scripts/bench-rate.sh [RPS] [BURST]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --locked -p journey-testkit --example bench_rate -- "${1:-50}" "${2:-10}"
