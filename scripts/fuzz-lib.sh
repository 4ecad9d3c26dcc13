# shellcheck shell=bash
# Shared by the fuzz scripts (sourced, not run): building the fuzz targets and their helpers.
# Expects ROOT (the repository) to be set. FUZZ_PREBUILT=1 reuses binaries already built.

# cargo-fuzz, installed when missing.
ensure_cargo_fuzz() {
  if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install --locked cargo-fuzz >&2
  fi
}

# The fuzz target names, one per line.
fuzz_target_names() {
  local f
  for f in "$ROOT"/fuzz/fuzz_targets/*.rs; do basename "${f%.rs}"; done
}

# build_fuzzers FEATURE SANITIZER: builds every target (-O) and prints the directory of the binaries.
# FEATURE is `http` (send to JOURNEY_API_URL) or `inprocess`; each gets its own cargo target directory,
# so switching between them never rebuilds the other.
build_fuzzers() {
  local feature=$1 sanitizer=$2 dir features=() all=${FUZZ_INSTRUMENT_ALL:-0}
  # The plain in-process build stays where `cargo fuzz build -O -s none` puts it (fuzz/target). Only the
  # rustc wrapper reads FUZZ_INSTRUMENT_ALL (scripts/fuzz-rustc.sh), so cargo would not rebuild the
  # libraries when it changes: each instrumentation has a directory of its own.
  dir=$ROOT/fuzz/target
  if [ "$feature" != inprocess ] || [ "$sanitizer" != none ] || [ "$all" = 1 ]; then
    dir=$ROOT/fuzz/target/$feature-$sanitizer-$(if [ "$all" = 1 ]; then echo all; else echo own; fi)
  fi
  if [ "$feature" = http ]; then features=(--features http); fi
  # FUZZ_PREBUILT=1 takes the binaries already there as they are (no cargo run at all).
  if [ "${FUZZ_PREBUILT:-0}" != 1 ] || [ ! -x "$dir/x86_64-unknown-linux-gnu/release/request" ]; then
    ensure_cargo_fuzz
    (cd "$ROOT/fuzz" && CARGO_TARGET_DIR=$dir FUZZ_INSTRUMENT_ALL=$all cargo +nightly fuzz build -O -s "$sanitizer" "${features[@]}") >&2
  fi
  echo "$dir/x86_64-unknown-linux-gnu/release"
}

# The testkit's fuzz helpers (examples serve_target, fuzz_cleanup) and the suite's binary, built in
# release in one cargo call (one feature set): over HTTP the reference answers every input. Prints the
# directory of the examples (the suite's binary is target/release/journey-conformance).
build_helpers() {
  [ "${FUZZ_PREBUILT:-0}" = 1 ] && [ -x "$ROOT/target/release/examples/fuzz_cleanup" ] && { echo "$ROOT/target/release/examples"; return; }
  (cd "$ROOT" && cargo build --release --locked -p journey-testkit --example serve_target \
    --example fuzz_cleanup -p journey-conformance --bin journey-conformance) >&2
  echo "$ROOT/target/release/examples"
}

# execs_of LOG: the executions a libFuzzer log reports (final stats, else the last status line).
execs_of() {
  local n
  n=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$1" | grep -Eo '[0-9]+$' | tail -1 || true)
  if [ -z "$n" ]; then n=$(grep -Eo '^#[0-9]+' "$1" | tail -1 | tr -d '#' || true); fi
  echo "${n:-0}"
}

# finding_of LOG: the first line of the oracle's report in a crashed run ("" when none).
finding_of() {
  grep -m1 -E 'oracle violation|panicked at' "$1" | cut -c1-160 || true
}
