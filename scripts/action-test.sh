#!/usr/bin/env bash
# Runs the GitHub Action's steps (scripts/action-run.sh) end to end with the action's environment
# against the reference binary on a loopback port, and walks the snapshot loop a user's repository
# goes through: first run records nothing and fails with every family's snapshot as `.snap.new` in the
# summary; accepting them (what `cargo insta review` does: `.snap.new` -> `.snap`) makes the next run
# pass; a deployment that changes its behaviour fails again with the diff in the step summary.
# Exits non-zero on the first broken expectation (ACTION_TEST_KEEP=1 keeps its files). Takes a few minutes (it builds and runs the harness).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
work="$(mktemp -d "${TMPDIR:-/tmp}/journey-action-test.XXXXXX")"
ref_pid=""
cleanup() {
  if [[ -n "$ref_pid" ]]; then kill "$ref_pid" 2>/dev/null || true; fi
  if [[ -z "${ACTION_TEST_KEEP:-}" ]]; then rm -rf "$work"; else echo "action-test: kept $work"; fi
}
trap cleanup EXIT

fail() {
  echo "action-test: FAILED: $*" >&2
  exit 1
}

cargo build --locked -q -p journey-reference -p journey-conformance --bins
cargo test --locked -q -p journey-conformance --test conformance --no-run

# Starts the reference with these extra flags; sets JOURNEY_API_URL/USER/PASSWORD from the line it prints.
start_reference() {
  if [[ -n "$ref_pid" ]]; then kill "$ref_pid" 2>/dev/null || true; wait "$ref_pid" 2>/dev/null || true; fi
  : >"$work/reference.env"
  "$root/target/debug/journey-reference" --listen 127.0.0.1:0 --account ciacct:action-test-password "$@" \
    >"$work/reference.env" 2>/dev/null &
  ref_pid=$!
  for _ in $(seq 100); do [[ -s "$work/reference.env" ]] && break; sleep 0.1; done
  local line
  line="$(head -n 1 "$work/reference.env")"
  [[ "$line" == JOURNEY_API_URL=* ]] || fail "the reference printed no address"
  export JOURNEY_API_URL JOURNEY_API_USER JOURNEY_API_PASSWORD
  JOURNEY_API_URL="$(sed -n 's/^JOURNEY_API_URL=\([^ ]*\) .*/\1/p' <<<"$line")"
  JOURNEY_API_USER=ciacct
  JOURNEY_API_PASSWORD=action-test-password
}

# Runs one step in a fresh GitHub-like step environment; prints its exit code.
step() {
  local name="$1" subcommand="$2" code=0
  mkdir -p "$work/$name"
  (
    cd "$work/workspace"
    GITHUB_OUTPUT="$work/$name/output" GITHUB_STEP_SUMMARY="$work/$name/summary" \
      GITHUB_WORKSPACE="$work/workspace" GITHUB_ACTION_PATH="$root" \
      JOURNEY_CONFORMANCE_BIN="$root/target/debug/journey-conformance" \
      "$root/scripts/action-run.sh" "$subcommand" >"$work/$name/log" 2>&1
  ) || code=$?
  echo "$code"
}

check_no_password() {
  if grep -rq action-test-password "$work/workspace" "$work/$1"; then fail "$1: the password was written"; fi
}

mkdir -p "$work/workspace"
start_reference

# The run step: outputs, summary and report directory.
export INPUT_FAMILIES=methods,ids INPUT_REPORT_DIR=journey-report
code="$(step run run)"
[[ "$code" == 0 ]] || fail "run exited $code: $(tail -n 20 "$work/run/log")"
grep -qx 'exit-code=0' "$work/run/output" || fail "no exit-code output"
grep -qx 'must-failures=0' "$work/run/output" || fail "no must-failures output"
grep -qx 'sarif=journey-report/results.sarif' "$work/run/output" || fail "no sarif output"
grep -q '^## ✅ journey-conformance: ' "$work/run/summary" || fail "the step summary is not the report's"
[[ -s "$work/workspace/journey-report/results.sarif" ]] || fail "no SARIF in the artifact directory"
check_no_password run
echo "action-test: run step ok"

# The snapshot loop.
export INPUT_SNAPSHOT_DIR=snapshots-ci
code="$(step snap-first snapshots)"
[[ "$code" == 1 ]] || fail "a first snapshot run without snapshots exited $code"
grep -q '^## ❌ journey-conformance snapshots changed: ' "$work/snap-first/summary" || fail "no changed-snapshots summary"
grep -q '```diff' "$work/snap-first/summary" || fail "no diff in the summary"
new=("$work"/workspace/snapshots-ci/*.snap.new)
[[ -f "${new[0]}" ]] || fail "no .snap.new written"
[[ -f "$work/workspace/journey-report/snapshots/$(basename "${new[0]}")" ]] || fail ".snap.new not in the artifact"
for f in "${new[@]}"; do mv "$f" "${f%.new}"; done
echo "action-test: first snapshot run failed with ${#new[@]} new snapshots; accepted"

code="$(step snap-same snapshots)"
[[ "$code" == 0 ]] || fail "an unchanged deployment failed its snapshots ($code): $(tail -n 30 "$work/snap-same/log")"
grep -q '^## ✅ journey-conformance snapshots: unchanged' "$work/snap-same/summary" || fail "no unchanged summary"
echo "action-test: unchanged deployment passes"

# The deployment changes: a 1 KiB body limit refuses bodies it took before.
start_reference --max-body-bytes 1024
code="$(step snap-changed snapshots)"
[[ "$code" == 1 ]] || fail "a changed deployment exited $code"
grep -q '^## ❌ journey-conformance snapshots changed: ' "$work/snap-changed/summary" || fail "no changed summary"
grep -q '^-.*  pass$\|^+' "$work/snap-changed/summary" || fail "the summary holds no diff lines"
check_no_password snap-changed
echo "action-test: a changed deployment fails with its diff in the step summary"
echo "action-test: ok"
