#!/usr/bin/env bash
# Coverage as a number: for each fuzz target, fuzz in-process from its seed corpus for a fixed budget of
# executions (-runs, -seed=1, so two runs of one tree reach the same inputs), then replay the corpus
# through a coverage build (`cargo fuzz coverage`) and print the line coverage of the oracle
# (suite/src/oracle/) and of the reference (reference/src/) that the corpus reaches, per target and for
# all targets together.
#
#   scripts/fuzz-coverage.sh [RUNS]            (default 100000 executions per target)
# Environment: FUZZ_TARGETS (default every target), FUZZ_OUT (default fuzz/coverage-out: corpora,
# logs, profiles). llvm-cov and llvm-profdata come from the nightly toolchain's llvm-tools component
# (installed with rustup when missing), else from PATH; they must match nightly's LLVM.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
RUNS=${1:-100000}
OUT=${FUZZ_OUT:-$ROOT/fuzz/coverage-out}
rm -rf "$OUT" && mkdir -p "$OUT"

tools=$(rustc +nightly --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin
if [ ! -x "$tools/llvm-cov" ]; then
  rustup component add llvm-tools-preview --toolchain nightly >&2 || true
fi
if [ -x "$tools/llvm-cov" ]; then
  LLVM_COV=$tools/llvm-cov LLVM_PROFDATA=$tools/llvm-profdata
else
  LLVM_COV=$(command -v llvm-cov) LLVM_PROFDATA=$(command -v llvm-profdata)
  echo "llvm-tools not installable; using $LLVM_COV ($($LLVM_COV --version | grep -m1 -i version))" >&2
fi

BIN=$(build_fuzzers inprocess none)
read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(fuzz_target_names | tr '\n' ' ')}"
"$ROOT/scripts/fuzz-seed.sh" dirs "$OUT/corpus" "${TARGETS[@]}" > "$OUT/seeds.log"
"$ROOT/scripts/fuzz-seed.sh" dicts "$OUT/dict" "${TARGETS[@]}"
# `cargo fuzz coverage` builds into its own target directory and writes fuzz/coverage/<target>/.
COV_BIN=$ROOT/fuzz/target/x86_64-unknown-linux-gnu/coverage/x86_64-unknown-linux-gnu/release

# summary PROFDATA BINARY...: "oracle_covered oracle_total reference_covered reference_total".
summary() {
  local profile=$1 first=$2 objects=()
  shift 2
  for b in "$@"; do objects+=(-object "$b"); done
  "$LLVM_COV" export -summary-only -instr-profile="$profile" "$first" "${objects[@]}" | python3 -c '
import json, sys
files = json.load(sys.stdin)["data"][0]["files"]
out = []
for part in ("/suite/src/oracle/", "/reference/src/"):
    lines = [f["summary"]["lines"] for f in files if part in f["filename"]]
    out += [sum(l["covered"] for l in lines), sum(l["count"] for l in lines)]
print(*out)'
}

pct() { awk "BEGIN { printf \"%5.1f%% (%d/%d)\", $2 ? 100 * $1 / $2 : 0, $1, $2 }"; }

printf '%-10s %8s %22s %22s\n' target corpus "oracle lines" "reference lines"
profiles=()
bins=()
for t in "${TARGETS[@]}"; do
  "$BIN/$t" "$OUT/corpus/$t" -runs="$RUNS" -seed=1 -dict="$OUT/dict/$t.dict" -max_len=4096 \
    -print_final_stats=1 > "$OUT/$t.fuzz.log" 2>&1 || { echo "$t crashed while fuzzing: see $OUT/$t.fuzz.log" >&2; exit 1; }
  (cd "$ROOT/fuzz" && cargo +nightly fuzz coverage -s none "$t" "$OUT/corpus/$t") \
    > "$OUT/$t.coverage.log" 2>&1 || { tail -20 "$OUT/$t.coverage.log" >&2; exit 1; }
  profile=$ROOT/fuzz/coverage/$t/coverage.profdata
  cp "$profile" "$OUT/$t.profdata"
  profiles+=("$OUT/$t.profdata")
  bins+=("$COV_BIN/$t")
  read -r oc ot rc rt <<< "$(summary "$OUT/$t.profdata" "$COV_BIN/$t")"
  printf '%-10s %8s %22s %22s\n' "$t" "$(find "$OUT/corpus/$t" -type f | wc -l)" "$(pct "$oc" "$ot")" "$(pct "$rc" "$rt")"
done
"$LLVM_PROFDATA" merge -sparse "${profiles[@]}" -o "$OUT/all.profdata"
read -r oc ot rc rt <<< "$(summary "$OUT/all.profdata" "${bins[@]}")"
printf '%-10s %8s %22s %22s\n' "all" "-" "$(pct "$oc" "$ot")" "$(pct "$rc" "$rt")"
echo "budget: $RUNS executions per target from the seed corpus (-seed=1); in-process, no sanitizer; $OUT"
