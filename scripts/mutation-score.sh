#!/usr/bin/env bash
# Mutation score: the whole suite against the reference behind each named fault (testkit/src/faults/);
# prints fault, verdict, number of killing cases, time, spec clause and a few killing case IDs.
# JOURNEY_FAULT=<name> scores one fault. Exits non-zero if a fault survives or the control fails.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --quiet --locked -p journey-conformance --test mutation -- --nocapture --test-threads 1 2>&1 \
  | grep -vE '^(running [0-9]+ tests?|test result:|$)'
