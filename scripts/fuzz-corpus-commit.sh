#!/usr/bin/env bash
# Refreshes a committed fuzz corpus: fuzzes TARGET in-process from its seeds for SECONDS, merges what it
# found into a minimal corpus with the same coverage (libFuzzer -merge=1) and writes it to
# corpora/fuzz/<target>.corpus.b64 (one standard-base64 input per line, sorted), which
# scripts/fuzz-seed.sh adds to every seed corpus: the fuzzers (and scripts/bench-fuzz.sh) then start
# from where this run got, not from scratch. An input that kills a fuzz-only fault by itself (the
# faults scripts/fuzz-kill-table.sh times the fuzzers on) is left out (fuzz_seeds --drop-fuzz-only-kills).
#
#   scripts/fuzz-corpus-commit.sh TARGET [SECONDS]       (default 300)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/fuzz-lib.sh
source "$ROOT/scripts/fuzz-lib.sh"
TARGET=${1:?usage: scripts/fuzz-corpus-commit.sh TARGET [SECONDS]}
SECONDS_TO_FUZZ=${2:-300}
fuzz_target_names | grep -qx "$TARGET" || { echo "fuzz-corpus-commit: no fuzz target '$TARGET'" >&2; exit 2; }
BIN=$(build_fuzzers inprocess none)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ROOT/scripts/fuzz-seed.sh" dirs "$work/seeds" "$TARGET" > /dev/null
"$ROOT/scripts/fuzz-seed.sh" dicts "$work/dict" "$TARGET"
mkdir -p "$work/found" "$work/merged"
"$BIN/$TARGET" "$work/found" "$work/seeds/$TARGET" -max_total_time="$SECONDS_TO_FUZZ" -dict="$work/dict/$TARGET.dict" \
  -max_len=4096 -print_final_stats=1 > "$work/fuzz.log" 2>&1 || { tail -30 "$work/fuzz.log"; exit 1; }
"$BIN/$TARGET" -merge=1 "$work/merged" "$work/seeds/$TARGET" "$work/found" > "$work/merge.log" 2>&1 \
  || { tail -30 "$work/merge.log"; exit 1; }
out=$ROOT/corpora/fuzz/$TARGET.corpus.b64
python3 - "$work/merged" "$out" <<'PY'
import base64, os, sys
d, out = sys.argv[1:]
lines = sorted(base64.b64encode(open(os.path.join(d, n), "rb").read()).decode() for n in os.listdir(d))
with open(out, "w") as f:
    f.writelines(l + "\n" for l in lines)
print(f"{out}: {len(lines)} inputs")
PY
# A seed that kills a fuzz-only fault by itself would make the fuzz kill table time the seeds.
(cd "$ROOT" && cargo run -q --release --locked -p journey-testkit --example fuzz_seeds -- --drop-fuzz-only-kills "$TARGET" "$out")
grep -E "stat::number_of_executed_units|MERGE-OUTER: [0-9]+ new files" "$work/fuzz.log" "$work/merge.log" | sed "s|$work/||"
