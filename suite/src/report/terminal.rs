//! Human-readable output: a failure's full story with a `curl` repro, family summaries, snapshot lines.
//! Every string leaving here has the run's secrets replaced, and repros name credentials by variable.

use crate::declare::case::{Case, Family};
use crate::oracle::{Level, Status, Verdict};
use crate::report::record::Counts;
use crate::run::memo::Run;
use crate::run::runner::CaseResult;
use crate::run::session::Session;
use std::collections::BTreeMap;
use std::fmt::Write;

use crate::redact::redact;
use crate::report::repro::curl_request;

/// A bash command that sends the same request, with credentials as `$JOURNEY_API_…` variables.
pub fn curl(session: &Session, case: &Case) -> String {
    curl_request(&session.primary, session.secondary.as_ref(), &case.request)
}

/// The full story of one failed (or non-strict) case: MUST failures as `broken`, SHOULD findings as `should`.
pub fn failure(session: &Session, case: &Case, result: &CaseResult) -> String {
    let req = &case.request;
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(&case.id, &result.verdict));
    let _ = writeln!(out, "  what:     {}", case.description);
    let _ = writeln!(out, "  spec:     {}", case.spec);
    let body = req.body.as_ref().map(|b| format!("  body: {}", crate::report::repro::body_excerpt(b))).unwrap_or_default();
    let _ = writeln!(out, "  request:  {} {}{}", req.method, req.path, body);
    let _ = writeln!(out, "  expected: {}", case.expect);
    match &result.response {
        Some(resp) => {
            let ct = resp.content_type().unwrap_or("(none)");
            let _ = writeln!(
                out,
                "  observed: {}  content-type: {ct}  body: {}",
                result.verdict.observed,
                resp.body_text()
            );
        }
        None => {
            let _ = writeln!(out, "  observed: no response");
        }
    }
    for v in result.verdict.at(Level::Must) {
        let _ = writeln!(out, "  broken:   [{}] {}", v.label(), v.message);
    }
    for v in result.verdict.at(Level::Should) {
        let _ = writeln!(out, "  should:   [{}] {}", v.rule, v.message);
    }
    let _ = writeln!(out, "  repro:    {}", curl(session, case));
    redact(&out, &session.secrets(req))
}

/// The story of a session-level step's findings (`session/setup/…`, `session/teardown/…`): answers the
/// session saw outside any case, held to the same response rules.
pub fn session_step(session: &Session, id: &str, verdict: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(id, verdict));
    let _ = writeln!(out, "  what:     answers the session itself received (set-up, cleanup), judged like a case's");
    for (level, word) in [(Level::Must, "broken"), (Level::Should, "should")] {
        for v in verdict.at(level) {
            let _ = writeln!(out, "  {word}:   [{}] {}", v.label(), v.message);
        }
    }
    redact(&out, &session.every_secret())
}

/// `FAIL ID`, `INCONCLUSIVE ID (why)` (not a pass, but proves nothing either way) or `NON-STRICT ID`
/// (only SHOULD clauses broken).
pub fn headline(id: &str, verdict: &Verdict) -> String {
    match (verdict.inconclusive(), verdict.status()) {
        (Some(why), _) => format!("INCONCLUSIVE {id} ({why})"),
        (None, Status::NonStrict) => {
            format!("NON-STRICT {id} (only SHOULD clauses broken; a failure under --profile strict)")
        }
        (None, _) => format!("FAIL {id}"),
    }
}

/// The run's findings by level, one line: cases with a MUST broken, cases that proved nothing
/// (inconclusive: rate-limited or not answered, counted apart, never as MUST failures), and cases with
/// only SHOULDs broken (non-strict, or failed under `--profile strict`).
pub fn levels_line<'a>(results: impl IntoIterator<Item = &'a CaseResult>) -> String {
    let (mut must, mut inconclusive, mut should, mut strict_failed) = (0, 0, 0, 0);
    for r in results {
        if r.status() == Status::Inconclusive {
            inconclusive += 1;
        } else if r.verdict.at(Level::Must).next().is_some() {
            must += 1;
        } else if r.verdict.at(Level::Should).next().is_some() {
            should += 1;
            strict_failed += usize::from(r.status() == Status::Fail);
        }
    }
    let how = if strict_failed > 0 { "failed under --profile strict" } else { "non-strict" };
    format!("MUST failures: {must} cases · inconclusive: {inconclusive} cases · SHOULD findings: {should} cases ({how})")
}

/// One snapshot line: `case-id  expected: …  observed: …` (status + type only: nothing volatile).
pub fn snapshot_line(case: &Case, result: &CaseResult) -> String {
    let observed = match (&result.skipped, &result.response) {
        (Some(_), _) => "skipped".to_string(),
        (None, None) => "no-response".to_string(),
        (None, Some(_)) => result.verdict.observed.to_string(),
    };
    let verdict = match result.status() {
        Status::Skip => "skip",
        Status::Inconclusive => "INCONCLUSIVE",
        Status::Pass => "pass",
        Status::Fail => "FAIL",
        Status::NonStrict => "NON-STRICT",
    };
    let ops = match (&case.scenario.batch, result.response.as_ref().and_then(|r| r.ops.as_ref())) {
        (Some(expected), Some(observed)) => format!("  ops: expected [{}] observed [{observed}]", expected_ops(expected)),
        _ => String::new(),
    };
    format!("{}  expected: {}  observed: {}{ops}  {}", case.id, case.expect, observed, verdict)
}

/// A batch's expected per-operation outcomes, run-length encoded (`1000×ok`).
fn expected_ops(ops: &[crate::declare::scenario::OpExpect]) -> String {
    crate::send::response_summary::run_length(ops.iter().map(|op| match op {
        crate::declare::scenario::OpExpect::Success => "ok".to_string(),
        crate::declare::scenario::OpExpect::Error(e) => e.to_string(),
    }))
}

/// The snapshot text of one family of a run (runs what has not run yet).
pub async fn run_family_snapshot(run: &Run, family: Family) -> String {
    let indices = run.family_indices(family);
    let results = run.results_of(indices.iter().copied()).await;
    let cases: Vec<&Case> = indices.iter().map(|&i| &run.cases[i]).collect();
    family_snapshot(&cases, &results)
}

/// The snapshot of one family: its cases in declaration order.
pub fn family_snapshot(cases: &[&Case], results: &BTreeMap<String, CaseResult>) -> String {
    let mut out = String::new();
    for case in cases {
        if let Some(result) = results.get(&case.id) {
            let _ = writeln!(out, "{}", snapshot_line(case, result));
        }
    }
    out
}

/// Tallies results per family, in family order (every family listed, with or without cases).
pub fn tally(cases: &[Case], results: &BTreeMap<String, CaseResult>) -> BTreeMap<Family, Counts> {
    let mut out: BTreeMap<Family, Counts> = Family::ALL.iter().map(|f| (*f, Counts::default())).collect();
    for case in cases {
        if let (Some(t), Some(r)) = (out.get_mut(&case.family), results.get(&case.id)) {
            t.add(r.status());
        }
    }
    out
}

/// The per-family summary table (non-strict cases in their own column, never among the passes), with a
/// `session` row for the session's own steps that found something, counted in the total.
pub fn summary(tallies: &BTreeMap<Family, Counts>, steps: &[crate::report::session_steps::StepRecord]) -> String {
    let row = |name: &str, t: &Counts| {
        format!(
            "{name:<16} {:>7} {:>7} {:>7} {:>12} {:>10}\n",
            t.passed, t.failed, t.skipped, t.inconclusive, t.non_strict
        )
    };
    let mut out = format!(
        "{:<16} {:>7} {:>7} {:>7} {:>12} {:>10}\n",
        "family", "passed", "failed", "skipped", "inconclusive", "non-strict"
    );
    let mut total = Counts::default();
    for (family, t) in tallies {
        out.push_str(&row(family.as_str(), t));
        total.absorb(t);
    }
    if !steps.is_empty() {
        let mut session = Counts::default();
        for step in steps {
            session.add(step.status);
        }
        out.push_str(&row("session", &session));
        total.absorb(&session);
    }
    out.push_str(&row("total", &total));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::{conclude, Cause, Evidence, Rule};

    fn result(verdict: Verdict) -> CaseResult {
        CaseResult { id: "x".into(), verdict, response: None, skipped: None, elapsed: std::time::Duration::ZERO }
    }

    #[test]
    fn the_levels_line_counts_inconclusive_cases_apart_from_must_failures() {
        let failed =
            Verdict::broken(Rule::Transport, "no complete answer within 10.0s".into(), Cause::Check("timed out"));
        // The same kind of failure on a request the stopped target never got: it proves nothing.
        let held_back = Evidence { held_back: true, stopped: Some("the target stopped answering"), ..Evidence::default() };
        let inconclusive = conclude(failed.clone(), &held_back);
        assert_eq!(inconclusive.status(), Status::Inconclusive);
        let results = [result(failed), result(inconclusive.clone()), result(inconclusive)];
        assert_eq!(
            levels_line(&results),
            "MUST failures: 1 cases · inconclusive: 2 cases · SHOULD findings: 0 cases (non-strict)"
        );
    }

    #[test]
    fn the_family_table_has_a_session_row_counted_in_the_total() {
        let tallies = BTreeMap::from([(Family::Methods, Counts { passed: 3, ..Counts::default() })]);
        let step = crate::report::session_steps::StepRecord {
            id: "session/teardown/delete".into(),
            status: Status::Fail,
            findings: Vec::new(),
            failure: String::new(),
        };
        let table = summary(&tallies, &[step]);
        let row = |name: &str| table.lines().find(|l| l.starts_with(name)).unwrap_or_default().split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        assert_eq!(row("session"), "0 1 0 0 0", "{table}");
        assert_eq!(row("total"), "3 1 0 0 0", "{table}");
        assert!(!summary(&tallies, &[]).contains("session"), "no steps, no row");
    }
}
