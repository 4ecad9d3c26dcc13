//! When a case proves nothing either way (spec §6.8): the target still rate-limited its request after the
//! client's retries, or the client never sent it because the target had stopped answering; or one of its
//! steps (a fresh object, a read-back, a follow-up, an oplog page, a marker search) met the same, or was
//! lost in transport. Such a case is inconclusive, never passed and never failed on that account; a MUST
//! broken elsewhere in the case still fails it, and a malformed 429 is a failure of its own.

use super::{judge, Profile, Reason, RequestFacts, Verdict, Violation};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Expect;
use crate::send::client::TransportError;
use crate::send::response::Response;

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

/// The verdict on the case's answer, weighed: a failure caused only by rate limiting or a stopped target
/// becomes inconclusive, keeping only what the answer broke regardless (a 429's SHOULD findings), so the
/// checks that follow ([`Verdict::checked`]) can still fail it on what they prove.
pub fn conclude(verdict: Verdict, seen: &Evidence) -> Verdict {
    if verdict.passed() {
        return verdict;
    }
    verdict.concluded(unproven(seen))
}

/// Why the case's answer proves nothing, if it does not.
fn unproven(seen: &Evidence) -> Option<Reason> {
    match seen.answer {
        Some(Answered::RateLimited) => Some(Reason::RateLimited { retries: seen.retries_429 }),
        Some(Answered::Judged) => None,
        // Only requests the breaker held back: the failures that opened it are real, reported ones.
        None => seen.stopped.filter(|_| seen.held_back).map(|why| Reason::TargetStopped(why.to_string())),
    }
}

/// Whether the checks that rely on the case's write having been applied (a value reads back, a follow-up
/// sees the write, the marker is found once) can be judged: only after an answer that was judged. After a
/// 429, or with no answer at all, only what holds whatever happened is checked (nothing changed, nothing
/// foreign shows).
pub fn write_checks_apply(seen: &Evidence) -> bool {
    seen.answer == Some(Answered::Judged)
}

/// Why one step of a case (a fresh object, a read-back, a follow-up, an oplog page, a marker search)
/// brought its check nothing to judge, or an answer it could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepFailure {
    /// No answer that says anything about the contract: still 429 after the retries, not sent, or lost
    /// in transport. The check proves nothing and the case is inconclusive (unless a MUST broke elsewhere).
    Unanswered(Reason),
    /// An answer the step cannot use (a 5xx, not JSON, no `objects` array): the check fails on it.
    /// `subject` says what without the case's own values (IDs), for the finding's cause.
    Answered { message: String, subject: String },
}

impl StepFailure {
    /// `step` (its request line) met a 429 that outlived `retries` retries.
    pub fn rate_limited(step: &str, retries: u32) -> StepFailure {
        StepFailure::Unanswered(Reason::step(step, Reason::RateLimited { retries }))
    }

    /// `step` brought no answer: held back by the breaker (the target had stopped answering) or lost in
    /// transport; either way the target's availability, not this case's request.
    pub fn lost(step: &str, error: &TransportError) -> StepFailure {
        let why = if error.held_back() {
            Reason::TargetStopped(error.to_string())
        } else {
            Reason::Transport(error.to_string())
        };
        StepFailure::Unanswered(Reason::step(step, why))
    }

    /// What a step's exchange gives its check: the answer, unless it is a 429 that outlived the client's
    /// `retries` retries, or there is none.
    pub fn answer(step: &str, sent: Result<Response, TransportError>, retries: u32) -> Result<Response, StepFailure> {
        match sent {
            Ok(resp) if resp.status == 429 => Err(StepFailure::rate_limited(step, retries)),
            Ok(resp) => Ok(resp),
            Err(e) => Err(StepFailure::lost(step, &e)),
        }
    }

    /// An answer `step` could not use: `subject` is what was wrong (`answered 500`, `not JSON`).
    pub fn answered(step: &str, subject: impl Into<String>) -> StepFailure {
        let subject = subject.into();
        StepFailure::Answered { message: format!("{step}: {subject}"), subject }
    }

    /// The failure in one line.
    pub fn message(&self) -> String {
        match self {
            StepFailure::Unanswered(why) => why.to_string(),
            StepFailure::Answered { message, .. } => message.clone(),
        }
    }
}

/// What one check of a case came to: its findings, and why it proves nothing when one of its steps
/// brought no answer (a check may have both: findings on a first oplog page, no answer for the next).
#[derive(Debug, Default)]
pub struct Checked {
    pub found: Vec<Violation>,
    pub unproven: Option<Reason>,
}

impl Checked {
    /// Findings alone.
    pub fn found(found: Vec<Violation>) -> Checked {
        Checked { found, unproven: None }
    }

    /// Both checks' findings; the first reason either had for proving nothing.
    pub fn and(mut self, other: Checked) -> Checked {
        self.found.extend(other.found);
        self.unproven = self.unproven.or(other.unproven);
        self
    }

    /// The check failed on an answer it could use (`rule`, `step` naming the cause), or proves nothing.
    pub fn failed(rule: super::Rule, step: &'static str, failure: StepFailure) -> Checked {
        match failure {
            StepFailure::Unanswered(why) => Checked { found: Vec::new(), unproven: Some(why) },
            StepFailure::Answered { message, subject } => {
                Checked::found(vec![Violation::caused(rule, message, super::Cause::step(step, subject))])
            }
        }
    }
}

/// The verdict of a case whose fresh objects could not be made: a setup failure on an answer the step
/// could not use, inconclusive when the step met a 429 or no answer.
pub fn setup_failed(failure: StepFailure, profile: Profile) -> Verdict {
    let nothing = Verdict::judged(super::Observed::nothing(), Vec::new(), profile);
    nothing.checked(Checked::failed(super::Rule::Setup, "fresh object", failure))
}

impl From<Vec<Violation>> for Checked {
    fn from(found: Vec<Violation>) -> Checked {
        Checked::found(found)
    }
}
