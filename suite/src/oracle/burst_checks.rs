//! The `rate-limit` checks' judgements (spec §6.8): a burst must meet a well-formed 429, and after
//! waiting as told the target must answer again. The runner bursts and waits; this decides.

use super::{judge, Cause, Profile, Reason, RequestFacts, Rule, Verdict, Violation};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Expect;
use crate::send::response::Response;

/// The burst's verdict: its first 429, judged as one; no 429 at all proves nothing about the limit.
pub fn burst(facts: &RequestFacts, limited: Option<&Response>, sent: usize, profile: Profile) -> Verdict {
    match limited {
        Some(resp) => judge(facts, &Expect::error(ErrorType::TooManyRequests), resp, profile),
        None => {
            let reason = Reason::NoLimitSeen { sent };
            Verdict::broken(Rule::Expected, reason.to_string(), Cause::Check("no 429 seen")).concluded(Some(reason))
        }
    }
}

/// The recovery's verdict: the last answer after waiting as told must be a success; `waits` 429s in a
/// row after waiting is a failure of its own.
pub fn recovery(facts: &RequestFacts, last: &Response, waits: u32, profile: Profile) -> Verdict {
    let verdict = judge(facts, &Expect::success(), last, profile);
    if last.status != 429 {
        return verdict;
    }
    verdict.and([Violation::caused(
        Rule::Expected,
        format!("still 429 after {waits} waits as told by Retry-After (or ≥ 1 s)"),
        Cause::Check("still 429 after waiting as told"),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::Status;
    use http::{header, HeaderMap, HeaderValue};

    fn answer(status: u16, content_type: &'static str, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        Response { status, headers, body: body.as_bytes().to_vec(), truncated: false }
    }

    fn too_many() -> Response {
        answer(
            429,
            "application/json",
            r#"{"type":"TOO_MANY_REQUESTS","title":"t","detail":"d","see":"https://docs/x#TOO_MANY_REQUESTS"}"#,
        )
    }

    const FACTS: RequestFacts = RequestFacts { method: "GET", secrets: &[], sent: &[] };

    #[test]
    fn a_burst_passes_on_a_well_formed_429_fails_on_a_plain_one_and_proves_nothing_without_one() {
        assert!(burst(&FACTS, Some(&too_many()), 16, Profile::Documented).passed());
        let plain = answer(429, "text/plain", "slow down");
        assert_eq!(burst(&FACTS, Some(&plain), 16, Profile::Documented).status(), Status::Fail);
        let none = burst(&FACTS, None, 400, Profile::Documented);
        assert_eq!(none.inconclusive(), Some(&Reason::NoLimitSeen { sent: 400 }));
    }

    #[test]
    fn recovery_needs_a_success_after_waiting() {
        let ok = answer(200, "application/json", r#"{"models":{}}"#);
        assert!(recovery(&FACTS, &ok, 3, Profile::Documented).passed());
        let still = recovery(&FACTS, &too_many(), 3, Profile::Documented);
        assert!(still.violations().iter().any(|v| v.message.contains("still 429 after 3 waits")), "{still:?}");
        assert_eq!(still.status(), Status::Fail);
    }
}
