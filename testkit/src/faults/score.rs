//! The mutation score: the whole suite against each fault; a fault is killed when a case fails.

use super::target::FaultyTarget;
use super::Fault;
use journey_conformance::oracle::Status;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// One row of the mutation table.
#[derive(Debug, Clone)]
pub struct FaultScore {
    /// `None` is the control: the clean reference.
    pub fault: Option<&'static Fault>,
    /// Cases that failed (or were non-strict: a broken SHOULD notices a fault too) against it, in ID order.
    pub killers: Vec<String>,
    /// How many of the killers were only non-strict (no MUST broken), so a SHOULD-only kill shows.
    pub non_strict: usize,
    /// Set when the run could not even start (which also kills a fault: the suite noticed).
    pub setup_error: Option<String>,
    /// Cases run.
    pub cases: usize,
    pub elapsed: Duration,
}

impl FaultScore {
    /// The suite noticed the fault.
    pub fn killed(&self) -> bool {
        self.setup_error.is_some() || !self.killers.is_empty()
    }

    /// The fault's name, or `control`.
    pub fn name(&self) -> &'static str {
        self.fault.map_or("control (clean)", |f| f.name)
    }

    /// The row of a fault whose run could not start (which kills it: the suite noticed).
    fn unstarted(fault: Option<&'static Fault>, message: String, started: Instant) -> FaultScore {
        FaultScore {
            fault,
            killers: Vec::new(),
            non_strict: 0,
            setup_error: Some(message),
            cases: 0,
            elapsed: started.elapsed(),
        }
    }
}

/// The reference behind `fault` on a loopback port, and a session on it (the target lives as long as
/// the first half of the pair).
async fn started_session(
    fault: Option<&'static Fault>,
    extra: &[(&str, &str)],
) -> Result<(FaultyTarget, Session), String> {
    let target = FaultyTarget::start(fault, journey_reference::Config::demo())
        .await
        .map_err(|e| format!("cannot start the target: {e}"))?;
    let settings = target.settings(extra).map_err(|e| e.to_string())?;
    let session = Session::start(settings).await.map_err(|e| e.to_string())?;
    Ok((target, session))
}

/// Runs every case whose ID starts with one of `prefixes` (all: `&[""]`) against the reference behind `fault`.
pub async fn measure(fault: Option<&'static Fault>, prefixes: &[&str], extra: &[(&str, &str)]) -> FaultScore {
    let started = Instant::now();
    let (_target, session) = match started_session(fault, extra).await {
        Ok(both) => both,
        Err(message) => return FaultScore::unstarted(fault, message, started),
    };
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let _ = run.session.teardown().await;
    // Session-level steps (set-up, teardown) count like cases, under their pseudo-case IDs.
    let steps = run.session.step_verdicts();
    let statuses = results.iter().map(|(id, r)| (id, r.status())).chain(steps.iter().map(|(id, v)| (id, v.status())));
    let noticed: Vec<(&String, Status)> = statuses.filter(|(_, s)| !s.is_ok()).collect();
    let mut killers: Vec<String> = noticed.iter().map(|(id, _)| (*id).clone()).collect();
    killers.sort();
    let non_strict = noticed.iter().filter(|(_, s)| *s == Status::NonStrict).count();
    FaultScore { fault, killers, non_strict, setup_error: None, cases: results.len(), elapsed: started.elapsed() }
}

/// Runs the stateful property (default budget) against the reference behind `fault`; a minimal
/// failing sequence is the one killer, named by its length.
pub async fn measure_stateful(fault: Option<&'static Fault>) -> FaultScore {
    use crate::properties::stateful::{exec, runner, schema_of};
    let started = Instant::now();
    let failed_setup = |message: String| FaultScore::unstarted(fault, message, started);
    let (_target, session) = match started_session(fault, &[]).await {
        Ok(both) => both,
        Err(message) => return failed_setup(message),
    };
    let handle = tokio::runtime::Handle::current();
    // The property drives the client with `block_on`, so it runs off the async workers.
    let joined = tokio::task::spawn_blocking(move || {
        let outcome = schema_of(&session)
            .ok_or_else(|| "the object type has no text field to mark sequences with".to_string())
            .and_then(|schema| runner::run(&exec::Target::new(&session, handle), &schema, &runner::Budget::default()));
        (session, outcome)
    })
    .await;
    let (session, outcome) = match joined {
        Ok(done) => done,
        Err(e) => return failed_setup(format!("the stateful property panicked: {e}")),
    };
    let _ = session.teardown().await;
    match outcome {
        Ok(o) => FaultScore {
            fault,
            killers: o.failure.iter().map(|f| format!("properties/stateful ({} steps)", f.steps.len())).collect(),
            non_strict: 0,
            setup_error: None,
            cases: usize::try_from(o.sequences).unwrap_or(usize::MAX),
            elapsed: started.elapsed(),
        },
        Err(e) => failed_setup(e),
    }
}

/// The mutation table: fault, clause, killing cases (count and a few IDs), time; then the score.
pub fn table(scores: &[FaultScore]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<30} {:<8} {:>6} {:>7}  {:<58} killed by (first IDs)",
        "fault", "verdict", "kills", "time", "clause"
    );
    for s in scores {
        let fuzz = s.fault.is_some_and(|f| f.caught_by == super::Catcher::Fuzz);
        let verdict = match (s.fault, s.killed()) {
            (None, false) => "clean",
            (None, true) => "FAILS",
            (Some(_), true) if fuzz => "CAUGHT",
            (Some(_), false) if fuzz => "fuzz-only",
            (Some(_), true) => "killed",
            (Some(_), false) => "SURVIVED",
        };
        let clause = s.fault.map_or("-", |f| f.clause);
        let clause: String = clause.chars().take(58).collect();
        let examples = match &s.setup_error {
            Some(e) => format!("setup: {e}"),
            None => {
                let first = s.killers.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
                match s.non_strict {
                    0 => first,
                    n if n == s.killers.len() => format!("(all non-strict: SHOULD only) {first}"),
                    n => format!("({n} non-strict) {first}"),
                }
            }
        };
        let _ = writeln!(
            out,
            "{:<30} {:<8} {:>6} {:>6.1}s  {:<58} {}",
            s.name(),
            verdict,
            s.killers.len(),
            s.elapsed.as_secs_f64(),
            clause,
            examples
        );
    }
    let fuzz_only = |s: &&FaultScore| s.fault.is_some_and(|f| f.caught_by == super::Catcher::Fuzz);
    let faults: Vec<&FaultScore> = scores.iter().filter(|s| s.fault.is_some() && !fuzz_only(s)).collect();
    let killed = faults.iter().filter(|s| s.killed()).count();
    let _ = writeln!(out, "mutation score: {killed}/{} faults killed", faults.len());
    let fuzz: Vec<&FaultScore> = scores.iter().filter(fuzz_only).collect();
    if !fuzz.is_empty() {
        let passed = fuzz.iter().filter(|s| !s.killed()).count();
        let _ = writeln!(
            out,
            "fuzz-only faults: the fixed cases pass {passed}/{} (the fuzz targets' kills: scripts/fuzz-kill-table.sh)",
            fuzz.len()
        );
    }
    out
}
