# shellcheck shell=bash
# Shared by the fuzz scripts (sourced, not run): building the fuzz targets and running one for a budget.
# Expects ROOT (the repository) to be set.

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
  local feature=$1 sanitizer=$2 dir features=()
  dir=$ROOT/fuzz/target/$feature-$sanitizer
  if [ "$feature" = http ]; then features=(--features http); fi
  ensure_cargo_fuzz
  (cd "$ROOT/fuzz" && CARGO_TARGET_DIR=$dir cargo +nightly fuzz build -O -s "$sanitizer" "${features[@]}") >&2
  echo "$dir/x86_64-unknown-linux-gnu/release"
}

# The testkit's fuzz helpers (examples serve_target, fuzz_cleanup) and the suite's binary, built in
# release in one cargo call (one feature set): over HTTP the reference answers every input. Prints the
# directory of the examples (the suite's binary is target/release/journey-conformance).
build_helpers() {
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
