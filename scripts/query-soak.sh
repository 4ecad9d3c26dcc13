#!/usr/bin/env bash
# Soak of the query language property (testkit/tests/query_language.rs): random objects and random
# `query.json` expressions against the reference, each compared with a plain in-memory filter. Runs
# EXPRESSIONS expressions (default 12000) per seed, for SEEDS fresh seeds (default 1).
#
#   scripts/query-soak.sh [EXPRESSIONS] [SEEDS]
#
# A failure prints the seed and the shrunk data set and query; replay it with
# JOURNEY_PROPTEST_SEED=<seed> JOURNEY_QUERY_EXPRESSIONS=<n> cargo test -p journey-testkit --test query_language.
set -euo pipefail
cd "$(dirname "$0")/.."
EXPRESSIONS=${1:-12000}
SEEDS=${2:-1}
if [ "$EXPRESSIONS" -lt 10000 ]; then
  echo "query-soak: a soak checks at least 10000 expressions (asked for $EXPRESSIONS)" >&2
  exit 2
fi
cargo test --quiet --locked -p journey-testkit --test query_language --no-run
for _ in $(seq "$SEEDS"); do
  seed=$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')
  if ! out=$(JOURNEY_PROPTEST_SEED=$seed JOURNEY_QUERY_EXPRESSIONS=$EXPRESSIONS \
    cargo test --quiet --locked -p journey-testkit --test query_language -- --nocapture 2>&1); then
    echo "$out" | tail -40
    exit 1
  fi
  echo "$out" | grep 'query-language:'
done
