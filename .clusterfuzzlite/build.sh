#!/bin/bash -eu
# ClusterFuzzLite build: every cargo-fuzz target of fuzz/ into $OUT, as the fuzzing infrastructure
# expects it: the binary, <target>.dict, <target>.options (max_len, dict) and
# <target>_seed_corpus.zip, the seeds made by the one seeding script (scripts/fuzz-seed.sh) that the
# local runner uses too. The environment ($SRC, $OUT, $WORK, $SANITIZER, RUSTFLAGS) is set by the
# base builder; scripts/cflite-check.sh sets the same without docker and checks the result.
# The targets are the in-process build (no `http` feature): they fuzz the reference and the oracle,
# never a network target.
PROJECT=${PROJECT_DIR:-$SRC/journey-conformance}
cd "$PROJECT/fuzz"

# -O: release, as ClusterFuzzLite's Rust guide asks; --debug-assertions: overflow and debug_assert!
# checks become crashes too. For SANITIZER=coverage the base builder's `cargo` turns this into a
# plain instrumented build and copies it to the same release directory.
cargo fuzz build -O --debug-assertions

TARGET_DIR=${CARGO_TARGET_DIR:-$PROJECT/fuzz/target}
BIN_DIR=$TARGET_DIR/x86_64-unknown-linux-gnu/release
TARGETS=$(cargo fuzz list)
for t in $TARGETS; do
  cp "$BIN_DIR/$t" "$OUT/"
  printf '[libfuzzer]\nmax_len = 4096\ndict = %s.dict\n' "$t" > "$OUT/$t.options"
done
# shellcheck disable=SC2086 # one word per target
"$PROJECT/scripts/fuzz-seed.sh" dicts "$OUT" $TARGETS
# shellcheck disable=SC2086
"$PROJECT/scripts/fuzz-seed.sh" zips "$OUT" $TARGETS
