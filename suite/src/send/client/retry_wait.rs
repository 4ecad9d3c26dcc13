//! Reading a `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date) and how long the client waits on
//! it: a plausible value is obeyed up to a cap, an implausible one (a window sent in milliseconds, say)
//! is a finding for the oracle and the client falls back to its own backoff instead of stalling.

use crate::send::response::Response;
use std::time::Duration;

/// The longest `Retry-After` a rate limiter or gateway plausibly means; above it the value is reported
/// (`oracle/retry_after.rs`) and not obeyed.
pub const PLAUSIBLE_RETRY_AFTER: Duration = Duration::from_secs(120);

/// What a `Retry-After` header asks for: `None` when absent or unreadable, else the wait it names
/// (a date in the past is zero). Never panics on any value.
pub fn asked(resp: &Response) -> Option<Duration> {
    let header = resp.headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = header.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let when = chrono::DateTime::parse_from_rfc2822(header).ok()?;
    let millis = (when.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0);
    Some(Duration::from_millis(millis as u64))
}

/// Whether the answer's `Retry-After` asks for longer than any limiter plausibly means.
pub fn implausible(resp: &Response) -> bool {
    asked(resp).is_some_and(|wait| wait > PLAUSIBLE_RETRY_AFTER)
}

/// How long to wait before retrying: a plausible `Retry-After` when sent, else (absent, unreadable or
/// implausible) 1 s doubling per attempt (the docs say wait at least a second); never more than `max`.
pub fn retry_wait(resp: &Response, attempt: u32, max: Duration) -> Duration {
    let backoff = || Duration::from_secs(1u64 << attempt.min(5));
    asked(resp).filter(|wait| *wait <= PLAUSIBLE_RETRY_AFTER).unwrap_or_else(backoff).min(max)
}

/// Whether a 502/503/504 is a front end's page (HTML, text, a JSON without the contract's `type`)
/// rather than the target's own JSON error: such an answer says the target is out of reach for now.
pub fn gateway_page(resp: &Response) -> bool {
    matches!(resp.status, 502..=504) && !has_type(&resp.body)
}

fn has_type(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).ok().is_some_and(|v| v.get("type").is_some_and(|t| t.is_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn answer(status: u16, retry_after: Option<&str>, body: &str) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(v) = retry_after {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from_str(v).expect("header"));
        }
        Response { status, headers, body: body.as_bytes().to_vec(), truncated: false }
    }

    #[test]
    fn retry_after_is_honoured_and_bounded_and_absent_means_at_least_a_second() {
        let max = Duration::from_secs(30);
        let wait = |v: Option<&str>, attempt| retry_wait(&answer(429, v, ""), attempt, max);
        assert_eq!(wait(Some("2"), 0), Duration::from_secs(2));
        assert_eq!(wait(Some("100"), 0), max, "plausible but over the cap");
        assert_eq!(wait(None, 0), Duration::from_secs(1));
        assert_eq!(wait(None, 2), Duration::from_secs(4));
        assert_eq!(wait(Some("soon"), 0), Duration::from_secs(1));
        assert_eq!(wait(Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0), Duration::ZERO);
    }

    #[test]
    fn an_implausible_retry_after_falls_back_to_the_backoff_instead_of_stalling() {
        let max = Duration::from_secs(30);
        for value in ["1000", "99999", "1e300", "Wed, 21 Oct 2099 07:28:00 GMT"] {
            let resp = answer(429, Some(value), "");
            assert!(implausible(&resp), "{value}");
            assert_eq!(retry_wait(&resp, 0, max), Duration::from_secs(1), "{value}");
            assert_eq!(retry_wait(&resp, 1, max), Duration::from_secs(2), "{value}");
        }
        for value in ["0", "1", "120", "-5", "inf", "NaN"] {
            assert!(!implausible(&answer(429, Some(value), "")), "{value}");
        }
    }

    #[test]
    fn a_gateway_page_is_a_5xx_without_the_contracts_json_type() {
        assert!(gateway_page(&answer(503, None, "<html>503 Service Temporarily Unavailable</html>")));
        assert!(gateway_page(&answer(502, None, "")));
        assert!(gateway_page(&answer(504, None, r#"{"message":"Endpoint request timed out"}"#)));
        assert!(!gateway_page(&answer(503, None, r#"{"type":"INTERNAL_SERVER_ERROR","title":"t"}"#)));
        assert!(!gateway_page(&answer(500, None, "<html>500</html>")), "a 500 is the target's own answer");
        assert!(!gateway_page(&answer(404, None, "<html>404</html>")));
    }
}
