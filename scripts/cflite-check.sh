#!/usr/bin/env bash
# Checks the ClusterFuzzLite build without docker: runs .clusterfuzzlite/build.sh in the environment the
# Rust base builder gives it ($SRC with the repository in it, $OUT, $WORK, $SANITIZER, and the RUSTFLAGS
# OSS-Fuzz's `compile` exports), then checks each fuzz target in $OUT the way OSS-Fuzz's bad-build check
# does before any fuzzing:
#   engine       4 runs with -seed=1337 find interesting inputs (the code is instrumented) and libFuzzer
#                loads at least 100 coverage counters (not only partly instrumented);
#   startup      4 runs through the .options file, without the seed corpus, end in "Done 4 runs";
#   sanitizer    `objdump -dC` shows at least 1000 calls into the ASan runtime and none into MSan, DFSan,
#                and no more than 200 into UBSan (the thresholds of the check);
#   architecture `file` says x86-64;
#   seeds        the seed corpus zip unpacks, every seed runs once (-runs=0) and none crashes;
# and that each target has its .dict and .options. Prints one line per target; exits 1 on any bad build.
#
#   scripts/cflite-check.sh
# Environment: CFLITE_TARGET_DIR (cargo's target directory; default fuzz/target/cflite, kept apart from
# the local fuzz builds, which use other RUSTFLAGS), CFLITE_KEEP=1 keeps the $OUT tree and prints it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install --locked cargo-fuzz
fi

ENV_ROOT=$(mktemp -d)
cleanup() { if [ "${CFLITE_KEEP:-0}" = 1 ]; then echo "kept: $ENV_ROOT"; else rm -rf "$ENV_ROOT"; fi; }
trap cleanup EXIT
export SRC=$ENV_ROOT/src OUT=$ENV_ROOT/out WORK=$ENV_ROOT/work
export SANITIZER=address FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=rust ARCHITECTURE=x86_64
# What OSS-Fuzz's `compile` exports for a Rust ASan build; the base image's cargo is nightly.
export RUSTFLAGS="--cfg fuzzing -Zsanitizer=address -Cdebuginfo=1 -Cforce-frame-pointers"
export RUSTUP_TOOLCHAIN=nightly
export CARGO_TARGET_DIR=${CFLITE_TARGET_DIR:-$ROOT/fuzz/target/cflite}
mkdir -p "$SRC" "$OUT" "$WORK"
# The Dockerfile copies the repository to $SRC/journey-conformance and build.sh to $SRC.
ln -s "$ROOT" "$SRC/journey-conformance"
cp "$ROOT/.clusterfuzzlite/build.sh" "$SRC/build.sh"
echo "building: $SRC/build.sh (log: \$WORK/build.log)"
if ! (cd "$SRC/journey-conformance" && bash -eux "$SRC/build.sh") > "$WORK/build.log" 2>&1; then
  tail -40 "$WORK/build.log"
  echo "BAD BUILD: build.sh failed"
  exit 1
fi

# The options file's `key = value` lines as libFuzzer flags, as run_fuzzer reads them.
options_of() {
  [ -f "$OUT/$1.options" ] || return 0
  sed -n 's/^[[:space:]]*\([a-z_]*\)[[:space:]]*=[[:space:]]*\(.*[^[:space:]]\)[[:space:]]*$/-\1=\2/p' "$OUT/$1.options"
}

bad=0
count=0
printf '%-10s %8s %10s %8s %8s  %s\n' target counters asan-calls seeds size verdict
for bin in "$OUT"/*; do
  if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then continue; fi
  name=$(basename "$bin")
  case $name in *.*|llvm-symbolizer) continue;; esac
  count=$((count+1))
  problems=()
  log=$WORK/$name
  mapfile -t opts < <(options_of "$name")

  "$bin" -seed=1337 -runs=4 > "$log.engine" 2>&1 || true
  if grep -q "ERROR: no interesting inputs were found. Is the code instrumented" "$log.engine"; then
    problems+=("no coverage instrumentation")
  fi
  counters=$(grep -Po 'INFO: Loaded [[:digit:]]+ module.*\(.*(counters|guards)\):[[:space:]]+\K[[:digit:]]+' "$log.engine" | head -1 || true)
  if [ -z "$counters" ]; then
    problems+=("no counters loaded")
  elif [ "$counters" -lt 100 ]; then
    problems+=("only $counters counters: partial instrumentation")
  fi

  (cd "$OUT" && "./$name" -seed=1337 -runs=4 "${opts[@]}") > "$log.startup" 2>&1 || true
  grep -q "Done 4 runs" "$log.startup" || problems+=("startup crash or exit (see below)")

  calls() { objdump -dC "$bin" | grep -cE "callq?\s+[0-9a-f]+\s+<__$1" || true; }
  asan=$(calls asan); msan=$(calls msan); dfsan=$(calls dfsan); ubsan=$(calls ubsan)
  [ "$asan" -ge 1000 ] || problems+=("not compiled with ASan ($asan calls)")
  [ "$msan" -le 3 ] || problems+=("ASan build with MSan calls ($msan)")
  [ "$dfsan" -eq 0 ] || problems+=("ASan build with DFSan calls ($dfsan)")
  [ "$ubsan" -le 200 ] || problems+=("ASan build with UBSan calls ($ubsan)")

  file "$bin" | grep -q "x86-64" || problems+=("not built for x86-64")

  for f in "$name.dict" "$name.options" "${name}_seed_corpus.zip"; do
    [ -f "$OUT/$f" ] || problems+=("missing $f")
  done
  seeds=0
  if [ -f "$OUT/${name}_seed_corpus.zip" ]; then
    rm -rf "$WORK/seed_corpus" && mkdir -p "$WORK/seed_corpus"
    unzip -q -d "$WORK/seed_corpus" "$OUT/${name}_seed_corpus.zip"
    seeds=$(find "$WORK/seed_corpus" -type f | wc -l)
    if ! (cd "$OUT" && "./$name" -rss_limit_mb=2560 -timeout=25 -runs=0 "${opts[@]}" "$WORK/seed_corpus") \
        > "$log.seeds" 2>&1; then
      problems+=("a seed crashes (see below)")
    fi
    [ "$seeds" -gt 0 ] || problems+=("empty seed corpus")
  fi

  size=$(du -h "$bin" | cut -f1)
  if [ ${#problems[@]} = 0 ]; then
    printf '%-10s %8s %10s %8s %8s  ok\n' "$name" "$counters" "$asan" "$seeds" "$size"
  else
    bad=$((bad+1))
    printf '%-10s %8s %10s %8s %8s  BAD BUILD: %s\n' "$name" "${counters:--}" "$asan" "$seeds" "$size" "$(IFS=';'; echo "${problems[*]}")"
    for part in engine startup seeds; do
      [ -f "$log.$part" ] && grep -qE "panicked|ERROR|BAD|crash" "$log.$part" && { echo "--- $name ($part):"; tail -15 "$log.$part"; }
    done
  fi
done
if [ "$count" = 0 ]; then
  echo "BAD BUILD: no fuzz target in \$OUT"
  exit 1
fi
echo "$count targets, $bad bad"
if [ "${CFLITE_KEEP:-0}" = 1 ]; then ls -la "$OUT"; fi
[ "$bad" = 0 ]
