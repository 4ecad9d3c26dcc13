//! What the `cargo test` harness says, one finding per cause: a failed trial whose finding is in the
//! block at the end carries no message (libtest frames it in three lines: `---- id ----`, a blank line,
//! its name in the closing list), an inconclusive one says why in one line, a passing non-strict trial
//! says nothing, and the block of warnings, findings (each with an example, its cases and a `replay`
//! command), baseline and levels comes last on stderr. Under nextest, where every trial is its own
//! process and the block is printed once per run, a failed trial keeps its three-line message. `JOURNEY_API_VERBOSE=1` prints every
//! failed and non-strict trial's full story instead, as the binary's `--verbose` does.
//! `JOURNEY_API_BASELINE` (a file from `--write-baseline`) passes the trials that fail only through
//! accepted findings; `JOURNEY_API_WRITE_BASELINE` writes the run's findings to a file.

use journey_conformance::declare::case::Case;
use journey_conformance::oracle::findings::group;
use journey_conformance::oracle::Level;
use journey_conformance::report::baseline::{self, Baseline};
use journey_conformance::report::terminal;
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::run::session::Session;
use std::path::PathBuf;

/// The widest expected-vs-observed line, so one odd answer cannot flood the terminal.
const LINE: usize = 200;

/// Whether `JOURNEY_API_VERBOSE=1` asks for every trial's full story.
pub fn verbose() -> bool {
    std::env::var("JOURNEY_API_VERBOSE").is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"))
}

/// The baseline `JOURNEY_API_BASELINE` names, if any; a bad file is a one-line error.
pub fn baseline() -> Result<Option<Baseline>, String> {
    match std::env::var_os("JOURNEY_API_BASELINE").filter(|v| !v.is_empty()) {
        Some(path) => Baseline::read(&PathBuf::from(path)).map(Some),
        None => Ok(None),
    }
}

/// Whether a failed case fails only through findings `accepted` by the baseline (a trial that passes).
pub fn accepted(session: &Session, case: &Case, result: &CaseResult, accepted: Option<&Baseline>) -> bool {
    let profile = session.settings.profile;
    accepted.is_some_and(|b| baseline::excused(&case.id, case.family, &result.verdict, profile, |id| b.accepts(id)))
}

/// A failed (or inconclusive) trial's message under `cargo test`: none when the block at the end names
/// its finding, the one-line reason when it has none (inconclusive), the full story when verbose.
pub fn trial_message(session: &Session, case: &Case, result: &CaseResult) -> Option<String> {
    if verbose() {
        return Some(terminal::failure(session, case, result));
    }
    let verdict = &result.verdict;
    if !group([(case.id.as_str(), case.family, verdict)]).is_empty() {
        return None;
    }
    Some(journey_conformance::redact::redact(&terminal::headline(&case.id, verdict), &session.secrets(&case.request)))
}

/// A failed (or inconclusive) trial's message: three lines, or the full story when verbose.
pub fn message(session: &Session, case: &Case, result: &CaseResult) -> String {
    if verbose() {
        return terminal::failure(session, case, result);
    }
    let verdict = &result.verdict;
    let observed = match &result.response {
        Some(_) => verdict.observed.to_string(),
        None => "no response".to_string(),
    };
    let mut line = format!("  expected {}, observed {observed}", case.expect);
    let first = verdict.at(Level::Must).next().or_else(|| verdict.violations().first());
    if let Some(v) = first {
        let what = v.cause.to_string();
        line.push_str(&format!(" · [{}] {what}", v.rule));
    }
    if line.chars().count() > LINE {
        line = line.chars().take(LINE - 1).collect::<String>() + "…";
    }
    let own = group([(case.id.as_str(), case.family, verdict)]);
    let finding = match own.first() {
        Some(f) => format!("  finding {}: journey-conformance replay {} --family {}", f.id, f.id, case.family),
        None => "  no finding: it proves nothing either way (JOURNEY_API_VERBOSE=1 shows the answers)".to_string(),
    };
    let text = format!("{}\n{line}\n{finding}", terminal::headline(&case.id, verdict));
    journey_conformance::redact::redact(&text, &session.secrets(&case.request))
}

/// A session step's non-strict findings in one line (the story only when verbose): a cleanup that
/// met a gateway's label on every delete is one line, not one per delete.
pub fn step_line(id: &str, verdict: &journey_conformance::oracle::Verdict) -> String {
    let should: Vec<String> = verdict.at(Level::Should).map(|v| v.rule.to_string()).collect();
    let mut rules = should.clone();
    rules.dedup();
    format!(
        "NON-STRICT {id}: {} SHOULD findings ({}); JOURNEY_API_VERBOSE=1 shows them",
        should.len(),
        rules.join(", ")
    )
}

/// The block said once, after the trials: warnings, findings by cause, the baseline's known, new and
/// fixed findings (writing `JOURNEY_API_WRITE_BASELINE`), and the levels line.
pub fn block(run: &Run, accepted: Option<&Baseline>) -> String {
    let computed = run.computed();
    let mut out = String::new();
    // A run whose failures mostly share one unexpected answer is probably misconfigured.
    for warning in journey_conformance::report::warnings::warnings(&run.cases, &computed) {
        out.push_str(&format!("journey-conformance: warning: {warning}\n"));
    }
    // By cause: the one thing to fix behind many failed trials.
    let found = journey_conformance::cli::confirm::group(&run.cases, &computed);
    let records = journey_conformance::report::finding_records::records(&run.session, &run.cases, &found);
    out.push_str(&journey_conformance::report::finding_records::text(&records));
    if let Some(b) = accepted {
        let judged = |id: &str| computed.get(id).is_some_and(journey_conformance::cli::baseline_flags::judged);
        out.push_str(&b.compare(&records, judged).text(&records));
    }
    if let Some(path) = std::env::var_os("JOURNEY_API_WRITE_BASELINE").filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        match Baseline::of(&records).write(&path) {
            Ok(()) => out.push_str(&format!("baseline: {} findings written to {}\n", records.len(), path.display())),
            Err(e) => out.push_str(&format!("journey-conformance: {e}\n")),
        }
    }
    out.push_str(&format!("journey-conformance: {}\n", terminal::levels_line(computed.values())));
    out
}
