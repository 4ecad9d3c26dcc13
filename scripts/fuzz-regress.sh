#!/usr/bin/env bash
# Turns crashing fuzz inputs into regression cases: suite/regressions/<target>-<sha256 prefix>.json,
# replayed by `cargo test` (suite/tests/regressions.rs), so a crash fails the tests until it is fixed.
# The one writer of regression files: scripts/fuzz-nightly.sh, the ClusterFuzzLite workflows and the
# deployment fuzzing call it; by hand, after downloading a ClusterFuzzLite crash artifact:
#
#   scripts/fuzz-regress.sh TARGET CRASH_FILE [NOTE]       # one input
#   scripts/fuzz-regress.sh --dir ARTIFACT_DIR [NOTE]     # every crash-*/oom-*/timeout-* file in it,
#                                                          # its target taken from the name: <target>-…
#                                                          # (fuzz-nightly.sh's <target>-crash-…,
#                                                          # ClusterFuzzLite's <target>-address-crash-…)
#                                                          # or its <target>/ directory (crash-…)
# Environment: REGRESSION_DIR (default suite/regressions).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${REGRESSION_DIR:-$ROOT/suite/regressions}
TARGETS=""
for f in "$ROOT"/fuzz/fuzz_targets/*.rs; do TARGETS="$TARGETS $(basename "${f%.rs}")"; done

write() {
  local target=$1 input=$2 note=$3
  case " $TARGETS " in *" $target "*) ;; *) echo "fuzz-regress: unknown fuzz target '$target' (targets: $TARGETS)" >&2; return 2;; esac
  [ -f "$input" ] || { echo "fuzz-regress: no such file: $input" >&2; return 2; }
  python3 - "$target" "$input" "$note" "$OUTDIR" <<'PY'
import base64, hashlib, json, os, sys
target, path, note, outdir = sys.argv[1:]
data = open(path, "rb").read()
os.makedirs(outdir, exist_ok=True)
name = f"{target}-{hashlib.sha256(data).hexdigest()[:16]}.json"
with open(os.path.join(outdir, name), "w") as f:
    json.dump({"target": target, "input_base64": base64.b64encode(data).decode(), "note": note}, f, indent=2)
    f.write("\n")
print("regression case:", os.path.join(outdir, name))
PY
}

if [ "${1:-}" = --dir ]; then
  dir=${2:?usage: scripts/fuzz-regress.sh --dir ARTIFACT_DIR [NOTE]}
  note=${3:-fuzz finding, $(date -u +%Y-%m-%d)}
  found=0
  while IFS= read -r -d '' f; do
    base=$(basename "$f")
    target=""
    for t in $TARGETS; do
      case $base in "$t"-*) target=$t;; esac
    done
    [ -n "$target" ] || target=$(basename "$(dirname "$f")")
    write "$target" "$f" "$note, $base"
    found=$((found+1))
  done < <(find "$dir" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name '*-crash-*' -o -name '*-oom-*' -o -name '*-timeout-*' \) ! -name '*.summary' ! -name '*.sarif' -print0 | sort -z)
  echo "fuzz-regress: $found regression case(s) from $dir"
  exit 0
fi
if [ $# -lt 2 ]; then
  echo "usage: scripts/fuzz-regress.sh TARGET CRASH_FILE [NOTE] | --dir ARTIFACT_DIR [NOTE]" >&2
  exit 2
fi
write "$1" "$2" "${3:-fuzz target $1, $(date -u +%Y-%m-%d), $(basename "$2")}"
