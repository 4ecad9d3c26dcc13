//! `--baseline` and `--write-baseline` in a binary run: the file read before anything is sent (a bad
//! one is a setup error), the cases that still fail the run, and the file written at the end.

use super::args::RunArgs;
use crate::report::baseline::{self, Baseline, Comparison};
use crate::report::finding_records::FindingRecord;
use crate::run::memo::Run;
use crate::run::runner::CaseResult;
use std::collections::BTreeMap;

/// The baseline named by `--baseline` (or `JOURNEY_API_BASELINE`); an empty name is none.
pub fn read(args: &RunArgs) -> Result<Option<Baseline>, String> {
    args.baseline.as_deref().filter(|p| !p.as_os_str().is_empty()).map(Baseline::read).transpose()
}

/// How many cases fail the run: failed or inconclusive, less those failing only through findings the
/// baseline accepts.
pub fn failures(run: &Run, results: &BTreeMap<String, CaseResult>, known: Option<&Comparison>) -> usize {
    let profile = run.session.settings.profile;
    let excused = |id: &str, r: &CaseResult, family| {
        known.is_some_and(|k| baseline::excused(id, family, &r.verdict, profile, |f| k.is_known(f)))
    };
    run.cases
        .iter()
        .filter(|c| results.get(&c.id).is_some_and(|r| r.status().fails_run() && !excused(&c.id, r, c.family)))
        .count()
}

/// Whether a case's result can tell a baselined finding is gone: it was judged (neither skipped nor
/// inconclusive), so a baseline entry whose first case this is and that it did not break is fixed.
pub fn judged(result: &CaseResult) -> bool {
    !matches!(result.status(), crate::oracle::Status::Skip | crate::oracle::Status::Inconclusive)
}

/// Writes `--write-baseline`, saying so on stdout.
pub fn write(args: &RunArgs, findings: &[FindingRecord]) -> Result<(), String> {
    let Some(path) = &args.write_baseline else { return Ok(()) };
    Baseline::of(findings).write(path)?;
    println!("baseline: {} findings written to {}", findings.len(), path.display());
    Ok(())
}
