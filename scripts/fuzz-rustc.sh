#!/usr/bin/env bash
# rustc wrapper for the fuzz builds (fuzz/.cargo/config.toml names it as `build.rustc-wrapper`):
# coverage instrumentation only for this repository's crates (the suite, the reference, the testkit,
# the fuzz targets). cargo-fuzz puts its sanitizer-coverage flags in RUSTFLAGS, which cargo hands to
# every crate alike, so libFuzzer would otherwise count, clear and scan the edges of every library
# linked (serde, regex, tokio, ...) on every input, and feed back comparisons inside them that say
# nothing about the contract. For any other crate this drops those flags and keeps the rest: the
# sanitizer (-Zsanitizer must be the same in every crate, a target modifier of the ABI, and ASan in
# the libraries still catches their memory errors), `--cfg fuzzing`, debug assertions, codegen units.
#   fuzz-rustc.sh RUSTC ARGS...     (as cargo calls a wrapper)
# FUZZ_INSTRUMENT_ALL=1 keeps every crate instrumented, as a plain `cargo fuzz build` does
# (scripts/fuzz-lib.sh then builds into a directory of its own).
set -euo pipefail
rustc=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd -P)
own=0
if [ "${FUZZ_INSTRUMENT_ALL:-0}" = 1 ]; then
  own=1
elif [ -n "${CARGO_MANIFEST_DIR:-}" ]; then
  dir=$(cd "$CARGO_MANIFEST_DIR" 2>/dev/null && pwd -P) || dir=$CARGO_MANIFEST_DIR
  # Downloaded crates live under a cargo home, which may itself sit inside the checkout (a CI cache).
  case $dir in
    */registry/src/* | */git/checkouts/*) ;;
    "$root" | "$root"/*) own=1 ;;
  esac
fi
if [ "$own" = 1 ]; then exec "$rustc" "$@"; fi

# The coverage flags in either spelling (`-Cx=y` or `-C x=y`).
coverage_flag() {
  case $1 in
    passes=sancov-module | llvm-args=-sanitizer-coverage-*) return 0 ;;
    *) return 1 ;;
  esac
}
args=()
while [ $# -gt 0 ]; do
  case $1 in
    -C)
      if [ $# -ge 2 ] && coverage_flag "$2"; then shift 2; continue; fi
      ;;
    -C*)
      if coverage_flag "${1#-C}"; then shift; continue; fi
      ;;
  esac
  args+=("$1")
  shift
done
exec "$rustc" "${args[@]}"
