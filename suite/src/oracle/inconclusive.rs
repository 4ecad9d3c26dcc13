//! When a failed case proves nothing either way (spec §6.8): the target still rate-limited it after the
//! client's retries, or the client never sent it because the target had stopped answering. Such a case
//! is inconclusive, never passed; a malformed 429 stays a failure.

use super::{judge, Profile, Reason, RequestFacts, Verdict};
use crate::error_type::ErrorType;
use crate::expect::Expect;
use crate::response::Response;

/// What the runner saw around the answer, beyond the answer itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The answer to the case's request, when there was one.
    pub response: Option<&'a Response>,
    /// The client's circuit breaker held the request back (it was never sent).
    pub held_back: bool,
    /// The breaker's own account of why it stopped sending, once it has.
    pub stopped: Option<&'a str>,
    /// How often the client retried a 429 before giving up.
    pub retries_429: u32,
}

/// The case's final verdict: a failure caused only by rate limiting or a stopped target becomes inconclusive.
pub fn conclude(verdict: Verdict, facts: &RequestFacts, expect: &Expect, seen: &Evidence, profile: Profile) -> Verdict {
    if verdict.passed() {
        return verdict;
    }
    let reason = match seen.response {
        Some(resp) if resp.status == 429 => {
            // A 429 is allowed on any request, but only a well-formed one: judged as such, a malformed 429
            // stays a failure; a case that expects 429 is judged by its own verdict alone.
            let wanted = expect.error_types().any(|t| t == ErrorType::TooManyRequests);
            // A broken SHOULD alone (non-strict) still reads as a 429; under `strict` it is a failure.
            let judged = judge(facts, &Expect::error(ErrorType::TooManyRequests), resp, profile).status();
            let well_formed = judged != super::Status::Fail;
            (!wanted && well_formed).then_some(Reason::RateLimited { retries: seen.retries_429 })
        }
        Some(_) => None,
        // Only requests the breaker held back: the failures that opened it are real, reported ones.
        None => seen.stopped.filter(|_| seen.held_back).map(|why| Reason::TargetStopped(why.to_string())),
    };
    verdict.concluded(reason)
}
