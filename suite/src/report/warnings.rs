//! Ineffectiveness warnings: when most cases of a family end in the same unexpected answer, the run
//! is probably misconfigured (bad credentials, wrong base URL, wrong deployment ID, a dead or
//! rate-limited target) and its failures say little about the contract. Said once, at the top.

use crate::declare::case::{Case, Family};
use crate::declare::expect::Outcome;
use crate::oracle::{Reason, Rule, Status};
use crate::run::runner::CaseResult;
use crate::ErrorType;
use std::collections::BTreeMap;

/// A family needs at least this many sent cases before one answer can dominate it.
const MIN_CASES: usize = 5;

/// The likely cause of one dominant unexpected answer, by status and type.
fn likely_cause(answer: &str) -> &'static str {
    match answer {
        a if a.starts_with("401") => {
            "bad credentials: check JOURNEY_API_USER/JOURNEY_API_PASSWORD or JOURNEY_API_TOKEN"
        }
        "404 ROUTE_ERROR" => "wrong base URL: JOURNEY_API_URL must end in /api/v4/<backend-deployment-id>",
        "404 ACCOUNT_NOT_FOUND" => {
            "wrong deployment ID: the last segment of JOURNEY_API_URL names no account these credentials reach"
        }
        a if a.starts_with("429") => {
            "the target is rate limiting the run: lower JOURNEY_API_RATE or JOURNEY_API_CONCURRENCY"
        }
        "no response" => "the target is not answering: check that it runs and JOURNEY_API_TIMEOUT",
        _ => "the suite is probably not reaching what it means to test",
    }
}

/// One line per problem, most important first; empty when the run looks effective.
pub fn warnings(cases: &[Case], results: &BTreeMap<String, CaseResult>) -> Vec<String> {
    let mut out = Vec::new();
    let stopped: Vec<&Reason> =
        results.values().filter_map(|r| r.inconclusive().filter(|w| matches!(w.root(), Reason::TargetStopped(_)))).collect();
    if let Some(first) = stopped.first() {
        out.push(format!("{first}: {} cases were not sent and are inconclusive", stopped.len()));
    }
    let limited =
        results.values().filter(|r| matches!(r.inconclusive().map(Reason::root), Some(Reason::RateLimited { .. }))).count();
    if limited > 0 {
        out.push(format!(
            "{limited} cases were still rate limited after their retries and are inconclusive: {}",
            likely_cause("429")
        ));
    }
    if let Some(line) = non_strict(results) {
        out.push(line);
    }
    let mut by_family: BTreeMap<Family, (usize, BTreeMap<String, usize>)> = BTreeMap::new();
    for case in cases {
        let Some(r) = results.get(&case.id) else { continue };
        if matches!(r.status(), Status::Skip | Status::Inconclusive | Status::NonStrict) {
            continue;
        }
        let (sent, answers) = by_family.entry(case.family).or_default();
        *sent += 1;
        if let Some(answer) = unexpected_answer(case, r) {
            *answers.entry(answer).or_default() += 1;
        }
    }
    for (family, (sent, answers)) in by_family {
        let Some((answer, n)) = answers.into_iter().max_by_key(|(_, n)| *n) else { continue };
        if sent >= MIN_CASES && n * 2 > sent {
            out.push(format!(
                "{n} of {sent} {family} cases got the same unexpected answer ({answer}); likely cause: {}",
                likely_cause(&answer)
            ));
        }
    }
    out
}

/// Non-strict cases, said once with the SHOULD rule most of them broke: not failures, but not passes either.
fn non_strict(results: &BTreeMap<String, CaseResult>) -> Option<String> {
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut cases = 0;
    for r in results.values().filter(|r| r.status() == Status::NonStrict) {
        cases += 1;
        if let Some(v) = r.verdict.at(crate::oracle::Level::Should).next() {
            *rules.entry(v.rule.to_string()).or_default() += 1;
        }
    }
    let (rule, n) = rules.into_iter().max_by_key(|(_, n)| *n)?;
    Some(format!(
        "{cases} cases are non-strict (only SHOULD clauses broken; {n} of them: {rule}); they fail under --profile strict"
    ))
}

/// The answer of a case whose status none of its allowed outcomes has (or that got no answer): a
/// right status with a wrong body is a contract failure, not a sign of misconfiguration.
fn unexpected_answer(case: &Case, r: &CaseResult) -> Option<String> {
    let status = match &r.response {
        None if r.verdict.violations().iter().any(|v| v.rule == Rule::Transport) => return Some("no response".into()),
        None => return None,
        Some(resp) => resp.status,
    };
    let allowed = case.expect.outcomes.iter().any(|o| match o {
        Outcome::Error(t) => t.status() == status,
        Outcome::Success => (200..300).contains(&status),
        Outcome::EmptySuccess => matches!(status, 200 | 204),
        Outcome::Redirect => (300..400).contains(&status),
        // Outcomes added later count as allowing nothing here, so at worst a warning too many.
        #[allow(unreachable_patterns)]
        _ => false,
    });
    // Same status, but the type of a misrouted request (wrong base URL or deployment ID) is telling too.
    let misrouted = r.verdict.observed.error_type.as_deref().and_then(ErrorType::from_wire).is_some_and(|t| {
        matches!(t, ErrorType::RouteError | ErrorType::AccountNotFound) && !case.expect.error_types().any(|e| e == t)
    });
    (!allowed || misrouted).then(|| r.verdict.observed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::case::CaseRequest;
    use crate::declare::expect::Expect;
    use crate::oracle::{self, Evidence, Profile, RequestFacts, Verdict};
    use crate::send::response::Response;
    use crate::send::response_summary::ResponseSummary;

    const FACTS: RequestFacts = RequestFacts { method: "GET", secrets: &[], sent: &[] };

    fn case(family: Family, i: usize) -> Case {
        crate::declare::families::case(
            family,
            format!("{family}/x/{i}"),
            "d".into(),
            crate::declare::spec::OBJECT_NOT_FOUND,
            CaseRequest::new("GET", "/"),
            Expect::error(ErrorType::ObjectNotFound),
        )
    }

    /// The oracle's verdict on an answer of this status and type to a case expecting OBJECT_NOT_FOUND.
    fn result(id: &str, status: u16, t: Option<&str>) -> CaseResult {
        let body = t.map(|t| {
            serde_json::json!({"type": t, "title": "t", "detail": "d", "see": format!("https://docs/x#{t}")})
        });
        answered(id, status, body)
    }

    /// The oracle's verdict on this answer, kept as a finished case keeps it.
    fn answered(id: &str, status: u16, body: Option<serde_json::Value>) -> CaseResult {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
        let body = body.map_or_else(Vec::new, |b| b.to_string().into_bytes());
        let response = Response { status, headers, body, truncated: false };
        let verdict = oracle::judge(&FACTS, &Expect::error(ErrorType::ObjectNotFound), &response, Profile::Documented);
        let response = Some(ResponseSummary::of(&response, false, &[]));
        CaseResult { id: id.into(), verdict, response, skipped: None, elapsed: Default::default() }
    }

    fn run_of(answer: (u16, Option<&str>), broken: usize, total: usize) -> Vec<String> {
        let cases: Vec<Case> = (0..total).map(|i| case(Family::Ids, i)).collect();
        let results = cases.iter().enumerate().map(|(i, c)| {
            let r = if i < broken {
                result(&c.id, answer.0, answer.1)
            } else {
                result(&c.id, 404, Some("OBJECT_NOT_FOUND"))
            };
            (c.id.clone(), r)
        });
        warnings(&cases, &results.collect())
    }

    #[test]
    fn a_dominant_401_blames_the_credentials_and_a_healthy_run_says_nothing() {
        let w = run_of((401, Some("AUTHENTICATION_FAILED")), 9, 10);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("bad credentials") && w[0].contains("9 of 10 ids"), "{w:?}");
        assert!(run_of((401, None), 4, 10).is_empty(), "a minority is no pattern");
        assert!(run_of((401, None), 0, 10).is_empty());
    }

    #[test]
    fn route_and_account_errors_name_the_url() {
        assert!(run_of((404, Some("ROUTE_ERROR")), 10, 10)[0].contains("wrong base URL"));
        assert!(run_of((404, Some("ACCOUNT_NOT_FOUND")), 10, 10)[0].contains("wrong deployment ID"));
        assert!(run_of((500, Some("INTERNAL_SERVER_ERROR")), 10, 10)[0].contains("probably not reaching"));
    }

    #[test]
    fn a_stopped_target_is_said_once() {
        let cases: Vec<Case> = (0..20).map(|i| case(Family::Methods, i)).collect();
        let results = cases
            .iter()
            .map(|c| {
                let why = "the target stopped answering (10 requests in a row failed; last: x)";
                let seen = Evidence { held_back: true, stopped: Some(why), ..Evidence::default() };
                let broken = Verdict::broken(Rule::Transport, format!("not sent: {why}"), oracle::Cause::Check("not sent"));
                let verdict = oracle::conclude(broken, &seen);
                let r = CaseResult {
                    id: c.id.clone(),
                    verdict,
                    response: None,
                    skipped: None,
                    elapsed: Default::default(),
                };
                (c.id.clone(), r)
            })
            .collect();
        let w = warnings(&cases, &results);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("20 cases were not sent"), "{w:?}");
    }

    #[test]
    fn non_strict_cases_are_said_once_with_their_commonest_should_rule() {
        let cases: Vec<Case> = (0..6).map(|i| case(Family::Ids, i)).collect();
        let results: BTreeMap<String, CaseResult> = cases
            .iter()
            .map(|c| {
                let see = serde_json::json!({"type": "OBJECT_NOT_FOUND", "title": "t", "detail": "d", "see": "https://docs/x"});
                (c.id.clone(), answered(&c.id, 404, Some(see)))
            })
            .collect();
        let w = warnings(&cases, &results);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("6 cases are non-strict") && w[0].contains("6 of them: see link"), "{w:?}");
        assert!(warnings(&cases, &BTreeMap::new()).is_empty());
    }
}
