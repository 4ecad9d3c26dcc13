//! When a failed case proves nothing either way (spec §6.8): the target still rate-limited it after the
//! client's retries, or the client never sent it because the target had stopped answering. Such a case
//! is inconclusive, never passed; a malformed 429 stays a failure.

use super::{judge, Profile, Reason, RequestFacts, Verdict};
use crate::error_type::ErrorType;
use crate::expect::Expect;
use crate::response::Response;

/// What [`conclude`] needs of an answer, read by the oracle while its body is still there: a case drops
/// its answer's body as soon as it has been judged, before its read-backs fetch theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// A well-formed 429 on a case that does not expect one: the target rate-limited the request.
    RateLimited,
    /// Any other answer: the case's verdict stands on it.
    Judged,
}

impl Answered {
    /// Reads `resp` as [`conclude`] will weigh it, for a case expecting `expect`.
    pub fn of(facts: &RequestFacts, expect: &Expect, resp: &Response, profile: Profile) -> Answered {
        if resp.status != 429 {
            return Answered::Judged;
        }
        // A 429 is allowed on any request, but only a well-formed one: judged as such, a malformed 429
        // stays a failure; a case that expects 429 is judged by its own verdict alone.
        let wanted = expect.error_types().any(|t| t == ErrorType::TooManyRequests);
        // A broken SHOULD alone (non-strict) still reads as a 429; under `strict` it is a failure.
        let judged = judge(facts, &Expect::error(ErrorType::TooManyRequests), resp, profile).status();
        if !wanted && judged != super::Status::Fail {
            Answered::RateLimited
        } else {
            Answered::Judged
        }
    }
}

/// What the runner saw around the answer, beyond the answer itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence<'a> {
    /// The answer to the case's request, when there was one, as [`Answered::of`] read it.
    pub answer: Option<Answered>,
    /// The client's circuit breaker held the request back (it was never sent).
    pub held_back: bool,
    /// The breaker's own account of why it stopped sending, once it has.
    pub stopped: Option<&'a str>,
    /// How often the client retried a 429 before giving up.
    pub retries_429: u32,
}

/// The case's final verdict: a failure caused only by rate limiting or a stopped target becomes inconclusive.
pub fn conclude(verdict: Verdict, seen: &Evidence) -> Verdict {
    if verdict.passed() {
        return verdict;
    }
    let reason = match seen.answer {
        Some(Answered::RateLimited) => Some(Reason::RateLimited { retries: seen.retries_429 }),
        Some(Answered::Judged) => None,
        // Only requests the breaker held back: the failures that opened it are real, reported ones.
        None => seen.stopped.filter(|_| seen.held_back).map(|why| Reason::TargetStopped(why.to_string())),
    };
    verdict.concluded(reason)
}
