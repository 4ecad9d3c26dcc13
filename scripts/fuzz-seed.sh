#!/usr/bin/env bash
# Writes every fuzz target's seed corpus: one directory per target, or one zip per target as
# ClusterFuzzLite wants it (`<target>_seed_corpus.zip`). The one seeding script: the local runner
# (scripts/fuzz-nightly.sh), the ClusterFuzzLite build (.clusterfuzzlite/build.sh) and the
# deployment fuzzing (scripts/fuzz-deployment.sh) all start from these seeds.
#
#   scripts/fuzz-seed.sh dirs OUT_DIR [TARGET...]    -> OUT_DIR/<target>/<sha256 prefix>
#   scripts/fuzz-seed.sh zips OUT_DIR [TARGET...]    -> OUT_DIR/<target>_seed_corpus.zip
#   scripts/fuzz-seed.sh dicts OUT_DIR [TARGET...]   -> OUT_DIR/<target>.dict: fuzz/dict/json_http.dict
#                                                       (shared) + fuzz/dict/<target>.dict when present
#
# Seeds, per target (the first byte of a json_body/filename input picks its route/field):
#   json_body  JSONTestSuite's files (corpora/jsontestsuite) as create bodies, plus valid bodies;
#   batch      JSONTestSuite's files as batch bodies, plus a valid batch;
#   filename   the naughty strings (corpora/blns), one per input, plus a valid name;
#   every one  the inputs in corpora/fuzz/<target>.*.b64, one standard-base64 input per line: the
#              fixed cases' bodies and names (`<target>.families.b64`, written by
#              `cargo run -p journey-testkit --example fuzz_seeds -- corpora/fuzz`) and a merged corpus
#              of earlier fuzzing (`<target>.corpus.b64`, scripts/fuzz-corpus-commit.sh).
# Inputs are named by the first 16 hex digits of their sha256, so a seed met twice is kept once.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-}
OUT_DIR=${2:-}
if ! [[ "$MODE" =~ ^(dirs|zips|dicts)$ ]] || [ -z "$OUT_DIR" ]; then
  echo "usage: scripts/fuzz-seed.sh dirs|zips|dicts OUT_DIR [TARGET...]" >&2
  exit 2
fi
shift 2
TARGETS=("$@")
if [ ${#TARGETS[@]} = 0 ]; then
  TARGETS=()
  for f in "$ROOT"/fuzz/fuzz_targets/*.rs; do TARGETS+=("$(basename "${f%.rs}")"); done
fi
mkdir -p "$OUT_DIR"
if [ "$MODE" = dicts ]; then
  for t in "${TARGETS[@]}"; do
    cat "$ROOT/fuzz/dict/json_http.dict" > "$OUT_DIR/$t.dict"
    if [ -f "$ROOT/fuzz/dict/$t.dict" ]; then cat "$ROOT/fuzz/dict/$t.dict" >> "$OUT_DIR/$t.dict"; fi
  done
  exit 0
fi

python3 - "$ROOT" "$MODE" "$OUT_DIR" "${TARGETS[@]}" <<'PY'
import base64, glob, hashlib, os, sys, zipfile

root, mode, out_dir, targets = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
jts = sorted(glob.glob(os.path.join(root, "corpora/jsontestsuite/test_parsing/*.json")))

def files(paths):
    for p in paths:
        with open(p, "rb") as f:
            yield f.read()

def blns():
    with open(os.path.join(root, "corpora/blns/blns.txt"), "rb") as f:
        for line in f.read().split(b"\n"):
            if line and not line.startswith(b"#"):
                yield line

def committed(target):
    for p in sorted(glob.glob(os.path.join(root, "corpora/fuzz", target + ".*.b64"))):
        with open(p) as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    yield base64.b64decode(line, validate=True)
                except ValueError as e:
                    sys.exit(f"fuzz-seed: {p}:{n}: not standard base64: {e}")

def seeds(target):
    if target == "json_body":
        yield from (b"\x00" + body for body in files(jts))
        yield b'\x00{"task":{"name":"x"}}'
        yield b'\x01{"task":{"count":1,"done":true}}'
    elif target == "batch":
        yield from files(jts)
        yield b'{"operations":[{"method":"post","object":{"type":"task","name":"x"}}]}'
    elif target == "filename":
        yield from (b"\x00" + name for name in blns())
        yield b"\x00report final.pdf"
    elif target == "request":
        yield b"\x00" * 7
    yield from committed(target)

for target in targets:
    unique = {}
    for data in seeds(target):
        unique.setdefault(hashlib.sha256(data).hexdigest()[:16], data)
    if mode == "dirs":
        d = os.path.join(out_dir, target)
        os.makedirs(d, exist_ok=True)
        for name, data in unique.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    else:
        path = os.path.join(out_dir, target + "_seed_corpus.zip")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in sorted(unique.items()):
                z.writestr(name, data)
    print(f"{target}: {len(unique)} seeds")
PY
