#!/usr/bin/env bash
# shellcheck disable=SC2016 # Markdown code spans in single-quoted printf formats are meant literally.
# The shell steps of the GitHub Action (action.yml), kept here so they can be run and tested outside
# GitHub with the same environment: `install`, `run`, `snapshots`. Inputs arrive as INPUT_* variables and
# credentials as JOURNEY_API_* variables (action.yml maps them through `env:`), so no secret is ever part
# of the shell text; results go to $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY as on GitHub.
#
#   JOURNEY_CONFORMANCE_BIN  a built binary to use instead of installing one (tests set it)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
action_path="${GITHUB_ACTION_PATH:-$here}"
# GitHub refuses a step summary over 1 MiB; keep clear of it, the note about the cut included.
summary_limit=${JOURNEY_ACTION_SUMMARY_LIMIT:-1000000}

die() {
  echo "journey-conformance action: $*" >&2
  exit 2
}

need_github_files() {
  [[ -n "${GITHUB_OUTPUT:-}" ]] || die "GITHUB_OUTPUT is not set (run by GitHub Actions, or set it to a file)"
  [[ -n "${GITHUB_STEP_SUMMARY:-}" ]] || die "GITHUB_STEP_SUMMARY is not set (run by GitHub Actions, or set it to a file)"
}

# Appends a file to the step summary, cut at a line boundary before GitHub's limit.
append_capped() {
  local file="$1" size
  size=$(wc -c <"$file")
  if ((size <= summary_limit)); then
    cat "$file" >>"$GITHUB_STEP_SUMMARY"
  else
    head -c "$summary_limit" "$file" | sed '$d' >>"$GITHUB_STEP_SUMMARY"
    printf '\n\n_Cut at %s of %s bytes (GitHub step summaries hold 1 MiB); the whole file is in the report artifact._\n' \
      "$summary_limit" "$size" >>"$GITHUB_STEP_SUMMARY"
  fi
}

# Whether an input means yes.
yes() {
  case "${1,,}" in
    true | 1 | yes | on) return 0 ;;
    *) return 1 ;;
  esac
}

install() {
  if [[ -n "${JOURNEY_CONFORMANCE_BIN:-}" ]]; then
    echo "using $JOURNEY_CONFORMANCE_BIN"
    return
  fi
  local root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/journey-conformance"
  cargo install --locked --path "$action_path/suite" --root "$root"
  if [[ -n "${GITHUB_PATH:-}" ]]; then
    echo "$root/bin" >>"$GITHUB_PATH"
  fi
}

run() {
  need_github_files
  local bin="${JOURNEY_CONFORMANCE_BIN:-journey-conformance}"
  local dir="${INPUT_REPORT_DIR:-journey-report}"
  local reports="${INPUT_REPORTS:-md,sarif,junit,html,ndjson}"
  reports="${reports//[[:space:]]/}"
  # The step summary is the Markdown report.
  case ",${reports,,}," in
    *,md,* | *,markdown,*) ;;
    *) reports="${reports:+$reports,}md" ;;
  esac
  local args=(run --report "$reports" --report-dir "$dir")
  [[ -n "${INPUT_PROFILE:-}" ]] && args+=(--profile "$INPUT_PROFILE")
  if [[ -n "${INPUT_FAMILIES:-}" ]]; then
    # Commas, spaces or newlines between names: one comma each, none at the ends.
    local families
    families="$(tr -s '[:space:],' ',' <<<"$INPUT_FAMILIES" | sed 's/^,//; s/,$//')"
    args+=(--family "$families")
  fi
  local pattern
  while IFS= read -r pattern; do
    pattern="${pattern#"${pattern%%[![:space:]]*}"}"
    pattern="${pattern%"${pattern##*[![:space:]]}"}"
    [[ -n "$pattern" ]] && args+=(--case "$pattern")
  done < <(printf '%s\n' "${INPUT_CASES:-}" | tr ',' '\n')
  [[ -n "${INPUT_CONCURRENCY:-}" ]] && args+=(--concurrency "$INPUT_CONCURRENCY")
  [[ -n "${INPUT_RATE:-}" ]] && args+=(--rate "$INPUT_RATE")
  [[ -n "${INPUT_BASELINE:-}" ]] && args+=(--baseline "$INPUT_BASELINE")
  [[ -n "${INPUT_WRITE_BASELINE:-}" ]] && args+=(--write-baseline "$INPUT_WRITE_BASELINE")
  [[ -n "${INPUT_SARIF_LOCATION:-}" ]] && args+=(--sarif-location "$INPUT_SARIF_LOCATION")
  if yes "${INPUT_READ_ONLY:-false}"; then
    export JOURNEY_API_READ_ONLY=1
  fi
  mkdir -p "$dir"
  local code
  # The log is uploaded with the reports; the binary prints no secret.
  set +e
  "$bin" "${args[@]}" 2>&1 | tee "$dir/output.txt"
  code=${PIPESTATUS[0]}
  set -e
  local line must="" should="" sarif=""
  line="$(grep -m1 '^MUST failures: ' "$dir/output.txt" || true)"
  must="$(sed -n 's/^MUST failures: \([0-9]*\) cases.*/\1/p' <<<"$line")"
  should="$(sed -n 's/.*SHOULD findings: \([0-9]*\) cases.*/\1/p' <<<"$line")"
  [[ -f "$dir/results.sarif" ]] && sarif="$dir/results.sarif"
  {
    echo "exit-code=$code"
    echo "must-failures=$must"
    echo "should-findings=$should"
    echo "sarif=$sarif"
    echo "report-dir=$dir"
  } >>"$GITHUB_OUTPUT"
  if [[ -f "$dir/summary.md" ]]; then
    append_capped "$dir/summary.md"
  else
    # A setup error (exit 2) writes no report: say why in the summary instead.
    {
      printf '## ❌ journey-conformance did not run (exit %s)\n\n```text\n' "$code"
      tail -n 20 "$dir/output.txt" | head -c 20000
      printf '\n```\n'
    } >>"$GITHUB_STEP_SUMMARY"
  fi
  return "$code"
}

# The cargo test harness's snapshot trials against the target, with JOURNEY_SNAPSHOT_DIR in the user's
# repository: a changed snapshot fails the step, its diff in the step summary and its `.snap.new` in
# the artifact (accept it with `cargo insta review`, or by renaming it to `.snap`).
snapshots() {
  need_github_files
  local dir="${INPUT_REPORT_DIR:-journey-report}" snap="${INPUT_SNAPSHOT_DIR:?INPUT_SNAPSHOT_DIR is empty}"
  [[ "$snap" = /* ]] || snap="${GITHUB_WORKSPACE:-$PWD}/$snap"
  mkdir -p "$snap" "$dir"
  if [[ -n "${INPUT_PROFILE:-}" ]]; then export JOURNEY_API_PROFILE="$INPUT_PROFILE"; fi
  if yes "${INPUT_READ_ONLY:-false}"; then export JOURNEY_API_READ_ONLY=1; fi
  find "$snap" -name '*.snap.new' -delete
  local code=0
  # Absolute, since insta reads a relative snapshot path from the test's source file.
  JOURNEY_SNAPSHOT_DIR="$snap" INSTA_UPDATE=new INSTA_FORCE_PASS=0 \
    cargo test --locked --manifest-path "$action_path/Cargo.toml" -p journey-conformance --test conformance \
    -- snapshots/ >"$dir/snapshots.txt" 2>&1 || code=$?
  local pending=() f
  while IFS= read -r -d '' f; do pending+=("$f"); done < <(find "$snap" -name '*.snap.new' -print0 | sort -z)
  local report="$dir/snapshots.md"
  if ((${#pending[@]} == 0)) && ((code == 0)); then
    printf '## ✅ journey-conformance snapshots: unchanged (%s)\n' "${INPUT_SNAPSHOT_DIR}" >"$report"
  elif ((${#pending[@]} == 0)); then
    {
      printf '## ❌ journey-conformance snapshots could not be compared (exit %s)\n\n```text\n' "$code"
      tail -n 40 "$dir/snapshots.txt"
      printf '```\n'
    } >"$report"
  else
    mkdir -p "$dir/snapshots"
    {
      printf '## ❌ journey-conformance snapshots changed: %s\n\n' "${#pending[@]}"
      printf 'The deployment answers differently from `%s`. If the change is intended, accept it: ' "${INPUT_SNAPSHOT_DIR}"
      printf 'put the `.snap.new` files from the report artifact beside the snapshots and run '
      printf '`cargo insta review --workspace-root %s` (or rename each to `.snap`), and commit.\n\n' "${INPUT_SNAPSHOT_DIR}"
      for f in "${pending[@]}"; do
        cp "$f" "$dir/snapshots/"
        local name="${f#"$snap"/}"
        printf '### `%s`\n\n```diff\n' "$name"
        diff -u --label "${name%.new}" --label "$name" "$([[ -f "${f%.new}" ]] && echo "${f%.new}" || echo /dev/null)" "$f" || true
        printf '```\n\n'
      done
    } >"$report"
    code=1
  fi
  append_capped "$report"
  echo "snapshots-exit-code=$code" >>"$GITHUB_OUTPUT"
  return "$code"
}

case "${1:-}" in
  install) install ;;
  run) run ;;
  snapshots) snapshots ;;
  *) die "usage: $0 install|run|snapshots" ;;
esac
