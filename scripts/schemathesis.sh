#!/usr/bin/env bash
# Runs Schemathesis (a generic OpenAPI fuzzer) against the reference with openapi/journeyapps-v4.yaml,
# bounded in time, and prints its findings. Opt-in: installs schemathesis in a venv under target/.
# Usage: scripts/schemathesis.sh [MAX_SECONDS=120] [MAX_EXAMPLES=25]
# Exit: 0 when Schemathesis ran to the end (findings or not: they are printed for review), else non-zero.
# Network: loopback only; the reference it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
max_time="${1:-120}"
max_examples="${2:-25}"
venv=target/schemathesis-venv
if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "schemathesis.sh: installing schemathesis into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q schemathesis
fi
cargo build --release --locked -q -p journey-reference
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
account="stacct"
password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
target/release/journey-reference --listen "127.0.0.1:$port" --account "$account:$password" >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port/api/v4/$account"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null -u "$account:$password" "$base/datamodel.json" 2>/dev/null && break
  sleep 0.1
done
report=target/schemathesis-report
rm -rf "$report"
started=$(date +%s.%N)
set +e
timeout $((max_time + 60)) "$venv/bin/schemathesis" run openapi/journeyapps-v4.yaml \
  --url "$base" --auth "$account:$password" --checks all --max-examples "$max_examples" \
  --max-time "$max_time" --seed 1 --no-color --workers 1 --request-timeout 10 \
  --report junit,har --report-dir "$report" --output-truncate true
code=$?
set -e
elapsed=$(python3 -c "import time; print(f'{time.time() - $started:.2f}')")
requests=$(python3 -c "import json,glob; print(sum(len(json.load(open(f))['log']['entries']) for f in glob.glob('$report/har-*.json')))" 2>/dev/null || echo '?')
echo "schemathesis.sh: exit $code after ${elapsed}s; ~${requests} requests recorded in $report/"
# 0 = no findings, 1 = findings (reviewed in README); anything else means it did not run to the end.
[ "$code" -le 1 ]
