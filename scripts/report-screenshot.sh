#!/usr/bin/env bash
# Renders the HTML report of a run against the embedded reference to a PNG, for review by eye.
# Usage: scripts/report-screenshot.sh [OUT.png] [extra `run` flags...]
# Installs Debian's chromium when missing. Network: loopback only (the embedded reference).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report-screenshot.png}"
shift || true
if ! command -v chromium >/dev/null; then
  echo "report-screenshot: installing chromium (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# Exit 1 (a failed case) still leaves a report worth looking at.
cargo run --release --locked -q -p journey-conformance --features embedded -- run --report html --report-dir "$dir/report" "$@" >/dev/null || [ $? -eq 1 ]
mkdir -p "$(dirname "$out")"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$dir/profile" --window-size=1400,1800 --screenshot="$out" \
  "file://$dir/report/report.html" >/dev/null 2>&1
test -s "$out"
echo "report-screenshot: wrote $out"
