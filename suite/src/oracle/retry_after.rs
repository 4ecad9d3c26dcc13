//! A `Retry-After` a rate limiter plausibly means (`rule-retry-after`, SHOULD), judged on each 429 the
//! client retried: a value above two minutes, from a limiter whose window the docs put at a second, is
//! almost always a window sent in milliseconds. The client does not obey it (it backs off by itself,
//! `client/retry_wait.rs`), so the run does not stall; this rule says what it saw.

use super::{Cause, Rule, Violation};
use crate::send::client::retry_wait::{asked, PLAUSIBLE_RETRY_AFTER};
use crate::send::response::Response;

/// Longest excerpt of the header's value a finding keeps (a hostile value must not be kept whole).
const KEPT_VALUE: usize = 40;

/// The finding on `resp`'s `Retry-After`, when it asks for longer than a limiter plausibly means.
pub fn judge(resp: &Response) -> Option<Violation> {
    let wait = asked(resp).filter(|wait| *wait > PLAUSIBLE_RETRY_AFTER)?;
    let raw = resp.headers.get(http::header::RETRY_AFTER).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let value = crate::send::response_summary::cut(raw.unwrap_or_default().trim().to_string(), KEPT_VALUE);
    let message = format!(
        "Retry-After: {value} asks for a wait of {:.0}s, more than the {}s a rate limiter plausibly means \
         (a window in milliseconds?); the client backed off by itself instead",
        wait.as_secs_f64(),
        PLAUSIBLE_RETRY_AFTER.as_secs()
    );
    Some(Violation::caused(Rule::RetryAfter, message, Cause::Header { name: "retry-after".into(), value }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::{seen, Level, Profile, RequestFacts};
    use crate::send::response::Retried;
    use http::{header, HeaderMap, HeaderValue};

    fn limited(retry_after: &str) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_str(retry_after).expect("header"));
        let body = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests.","detail":"d","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
        Response { status: 429, headers, body: body.as_bytes().to_vec(), truncated: false }
    }

    #[test]
    fn a_retry_after_in_milliseconds_is_a_should_finding_naming_the_value_and_seconds_pass() {
        let found = judge(&limited("1000")).expect("a finding");
        assert_eq!(found.rule, Rule::RetryAfter);
        assert_eq!(found.level(), Level::Should);
        assert!(found.message.starts_with("Retry-After: 1000 asks for a wait of 1000s"), "{}", found.message);
        assert_eq!(found.cause, Cause::Header { name: "retry-after".into(), value: "1000".into() });
        for keeping in ["1", "30", "120", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert_eq!(judge(&limited(keeping)), None, "{keeping}");
        }
    }

    #[test]
    fn the_retried_429s_are_judged_for_it_and_a_changed_value_is_kept() {
        const FACTS: RequestFacts = RequestFacts { method: "GET", secrets: &[], sent: &[] };
        let mut retried = Retried::default();
        retried.keep(limited("1"));
        retried.keep(limited("1"));
        retried.keep(limited("5000"));
        assert_eq!(retried.kept.len(), 2, "an implausible value after a plausible one is kept to be judged");
        let found = seen::retried(&FACTS, "GET /x", &retried, Profile::Documented);
        assert_eq!(found.iter().filter(|v| v.rule == Rule::RetryAfter).count(), 1, "{found:?}");
        assert!(found[0].message.starts_with("GET /x: a 429 retried before the answer (3 in all): Retry-After: 5000"));
        let mut fine = Retried::default();
        fine.keep(limited("2"));
        assert!(seen::retried(&FACTS, "GET /x", &fine, Profile::Documented).is_empty());
    }
}
