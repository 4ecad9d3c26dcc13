//! When a case proves nothing either way (spec §6.8): the target still rate-limited it after the
//! client's retries, or the client stopped sending because the target stopped answering. Such a case
//! is reported as inconclusive, never as passed.

use crate::case::Case;
use crate::error_type::ErrorType;
use crate::expect::Expect;
use crate::oracle::{self, Verdict};
use crate::response::Response;
use crate::runner::Facts;
use crate::session::Session;

/// Why this failed case is inconclusive rather than failed, if it is.
pub fn reason(
    session: &Session,
    case: &Case,
    facts: &Facts,
    verdict: &Verdict,
    response: Option<&Response>,
) -> Option<String> {
    if verdict.passed() {
        return None;
    }
    if let Some(resp) = response.filter(|r| r.status == 429) {
        if case.expect.error_types().any(|t| t == ErrorType::TooManyRequests) {
            return None;
        }
        // A 429 is allowed on any request, but only a well-formed one: the oracle judges it as such,
        // and a malformed 429 stays a failure.
        let as_429 = facts
            .with(|f| oracle::judge(f, &Expect::error(ErrorType::TooManyRequests), resp, session.settings.profile));
        return as_429.passed().then(|| {
            format!(
                "still rate limited (429) after {} retries; lower JOURNEY_API_RATE or raise JOURNEY_API_429_RETRIES",
                session.settings.pacing.retries_429
            )
        });
    }
    // Only requests the breaker held back: the failures that opened it are real, reported ones.
    let held_back = verdict.violations.iter().any(|v| v.message.contains(crate::client::NOT_SENT));
    session.client.stopped().filter(|_| response.is_none() && held_back)
}
