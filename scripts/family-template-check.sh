#!/usr/bin/env bash
# Proves ARCHITECTURE.md's "add a family by one file + one row": in a scratch copy of the working tree,
# adds a template family (one file in suite/src/declare/families/, one row in the family table), then
# builds the binary, lists the family and runs it against the embedded reference. Exit 0 when the copy
# builds, lists the one case and passes it; the working tree is never touched.
# Usage: scripts/family-template-check.sh   (CARGO_TARGET_DIR defaults to target/family-template, kept
# between runs so only the suite is rebuilt after the first time)
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/family-template.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/family-template}

# The working tree as it is (tracked files, with their uncommitted changes).
(cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$scratch")

families="$scratch/suite/src/declare/families"
cat > "$families/template.rs" <<'RUST'
//! `template`: the family a new one starts from: a GET of an object ID no object has is 404
//! OBJECT_NOT_FOUND.

use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::routes::Shape;
use crate::declare::spec;
use crate::ErrorType;

/// The family's cases for a target.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let path = format!("{}/objects/{}/{}.json", ctx.base(), ctx.object_type, ctx.unknown_id);
    let what = "a GET of an unknown object ID is OBJECT_NOT_FOUND".to_string();
    let request = Shape::Object.request("GET", path);
    let expect = Expect::error(ErrorType::ObjectNotFound);
    vec![super::case(Family::Template, "template/unknown-id/GET".into(), what, spec::OBJECT_NOT_FOUND, request, expect)]
}
RUST
# The one row, appended to the table (before the macro's closing brace).
python3 - "$scratch/suite/src/declare/families.rs" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
start = text.index("table::family_table! {")
end = text.index("\n}\n", start)
row = '\n    Template => "template", template, false, "the template a new family starts from";'
open(path, "w").write(text[:end] + row + text[end:])
PY

cd "$scratch"
cargo build -q --locked -p journey-conformance --features embedded --bin journey-conformance
bin="$CARGO_TARGET_DIR/debug/journey-conformance"
listed=$("$bin" list --family template)
echo "$listed"
[ "$(grep -c '^template/' <<<"$listed")" -eq 1 ] || { echo "family-template-check: the template family does not list its one case" >&2; exit 1; }
"$bin" --family template --case 'template/*' || { echo "family-template-check: the template family's run failed" >&2; exit 1; }
echo "family-template-check: one file + one row built, listed and passed"
