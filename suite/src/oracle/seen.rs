//! Answers a case (or the session) saw besides the one it asked its question with: the 429s the
//! client retried before an answer (spec §6.8), and the answers of the steps around a case (fresh
//! objects, read-backs, marker searches, set-up and cleanup). Each is held to the same response rules
//! as a case's answer; whether a step got the status it needed is the step's own business (a failed
//! fixture already fails its case as [`Rule::Setup`]), so the outcome rules are left out here.

use super::{judge, Observed, Profile, RequestFacts, Rule, Verdict, Violation};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Expect;
use crate::send::response::{Response, Retried};

/// The findings on the 429s a request (`label`: its request line) met before its answer: each kept one
/// judged as the TOO_MANY_REQUESTS error it claims to be, so a malformed 429 is found even when the
/// retry passed.
pub fn retried(facts: &RequestFacts, label: &str, retried: &Retried, profile: Profile) -> Vec<Violation> {
    let expect = Expect::error(ErrorType::TooManyRequests);
    let count = retried.count;
    retried
        .kept
        .iter()
        .flat_map(|resp| {
            let mut found = judge(facts, &expect, resp, profile).violations().to_vec();
            found.extend(super::retry_after::judge(resp));
            found
        })
        .map(|v| Violation {
            message: format!("{label}: a 429 retried before the answer ({count} in all): {}", v.message),
            ..v
        })
        .collect()
}

/// The findings on one step's answer (`step` says which, e.g. `POST /…/objects/task.json (fresh
/// object)`): the error contract, leaks and transport, never the outcome or client-input rules (a step
/// sends valid input and checks its own status).
pub fn step(facts: &RequestFacts, step: &str, resp: &Response, profile: Profile) -> Vec<Violation> {
    judge(facts, &Expect::success(), resp, profile)
        .violations()
        .iter()
        .filter(|v| !matches!(v.rule, Rule::Expected | Rule::Recommended | Rule::ClientInput))
        .map(|v| Violation { message: format!("{step}: {}", v.message), ..v.clone() })
        .collect()
}

/// The verdict of a session-level step (`session/setup/…`, `session/teardown/…`): its findings alone.
pub fn session_step(findings: Vec<Violation>, profile: Profile) -> Verdict {
    Verdict::judged(Observed::nothing(), findings, profile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::Status;
    use http::{header, HeaderMap, HeaderValue};

    const FACTS: RequestFacts = RequestFacts { method: "GET", secrets: &[], sent: &[] };

    fn answer(status: u16, content_type: &'static str, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        Response { status, headers, body: body.as_bytes().to_vec(), truncated: false }
    }

    fn error(status: u16, t: &str, see: &str) -> Response {
        let body = format!(
            r#"{{"type":"{t}","title":"t","detail":"d","see":"https://docs.journeyapps.com/api-errors#{see}"}}"#
        );
        answer(status, "application/json", &body)
    }

    fn retried_of(answers: impl IntoIterator<Item = Response>) -> Retried {
        let mut r = Retried::default();
        answers.into_iter().for_each(|a| r.keep(a));
        r
    }

    #[test]
    fn a_text_plain_429_is_a_must_finding_and_a_well_formed_one_none() {
        let plain = retried_of([answer(429, "text/plain", "Too Many Requests")]);
        let found = retried(&FACTS, "GET /x", &plain, Profile::Documented);
        assert!(found.iter().any(|v| v.rule == Rule::ErrorBody && v.message.contains("1 in all")), "{found:?}");
        assert_eq!(session_step(found, Profile::Documented).status(), Status::Fail);
        let good = retried_of([error(429, "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS")]);
        assert!(retried(&FACTS, "GET /x", &good, Profile::Documented).is_empty());
    }

    #[test]
    fn retried_429s_are_kept_bounded_and_a_changed_one_is_kept_too() {
        let good = error(429, "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS");
        let plain = answer(429, "text/plain", "slow down");
        let r = retried_of([good.clone(), good.clone(), plain.clone(), plain, good]);
        assert_eq!((r.kept.len(), r.count), (2, 5));
        assert!(!retried(&FACTS, "GET /x", &r, Profile::Documented).is_empty(), "the malformed second shape is judged");
    }

    #[test]
    fn a_step_is_held_to_the_error_contract_but_not_to_an_outcome() {
        let html = answer(404, "text/html", "<html>404</html>");
        let found = step(&FACTS, "DELETE /x (cleanup)", &html, Profile::Documented);
        assert!(found.iter().any(|v| v.rule == Rule::ErrorBody && v.message.starts_with("DELETE /x (cleanup): ")));
        let not_found = error(404, "OBJECT_NOT_FOUND", "OBJECT_NOT_FOUND");
        assert!(step(&FACTS, "s", &not_found, Profile::Documented).is_empty(), "a documented error is no finding");
        let server = error(500, "INTERNAL_SERVER_ERROR", "INTERNAL_SERVER_ERROR");
        assert!(step(&FACTS, "s", &server, Profile::Documented).is_empty(), "a 5xx is the step's own failure");
        let created = answer(201, "application/json", r#"{"id":"x"}"#);
        assert!(step(&FACTS, "s", &created, Profile::Documented).is_empty());
        let wrong_see = error(404, "OBJECT_NOT_FOUND", "ACCOUNT_NOT_FOUND");
        let found = step(&FACTS, "s", &wrong_see, Profile::Documented);
        assert_eq!(session_step(found.clone(), Profile::Documented).status(), Status::NonStrict);
        assert_eq!(session_step(found, Profile::Strict).status(), Status::Fail);
    }
}
