//! The typed verdict every report reads: a status decided here once, the broken rules, and why a case
//! proves nothing when it does not. Nothing outside the oracle builds or re-derives a status.

use super::{Observed, Rule, Violation};
use std::fmt;

/// What a case came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Fail,
    Skip,
    /// Proves nothing either way (rate limited after its retries, or never sent): never a pass.
    Inconclusive,
}

impl Status {
    /// Lowercase word used in NDJSON, CSS classes and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Inconclusive => "inconclusive",
        }
    }

    /// Nothing to report as a failure: passed or skipped (an inconclusive case is not ok).
    pub fn is_ok(self) -> bool {
        matches!(self, Status::Pass | Status::Skip)
    }
}

/// Why a case is inconclusive: typed, so warnings and reports tell the causes apart without reading text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A well-formed 429 still came back after this many retries.
    RateLimited { retries: u32 },
    /// The circuit breaker held the request back: the target had stopped answering (its own words).
    TargetStopped(String),
    /// A rate-limit burst of this many requests met no 429, so the limit could not be seen.
    NoLimitSeen { sent: usize },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::RateLimited { retries } => write!(
                f,
                "still rate limited (429) after {retries} retries; lower JOURNEY_API_RATE or raise JOURNEY_API_429_RETRIES"
            ),
            Reason::TargetStopped(why) => f.write_str(why),
            Reason::NoLimitSeen { sent } => {
                write!(f, "no 429 within {sent} requests: the limit is higher than this burst")
            }
        }
    }
}

/// The oracle's judgement of one case (or of one response, before the case's other checks join it).
#[derive(Debug, Clone)]
pub struct Verdict {
    status: Status,
    pub observed: Observed,
    violations: Vec<Violation>,
    inconclusive: Option<Reason>,
}

impl Verdict {
    /// A judged answer: passed exactly when no rule was broken.
    pub(super) fn judged(observed: Observed, violations: Vec<Violation>) -> Verdict {
        let status = if violations.is_empty() { Status::Pass } else { Status::Fail };
        Verdict { status, observed, violations, inconclusive: None }
    }

    /// A case that was not run.
    pub fn skipped() -> Verdict {
        Verdict { status: Status::Skip, observed: Observed::nothing(), violations: Vec::new(), inconclusive: None }
    }

    /// A case with no answer to judge, failed by one broken rule (transport, setup).
    pub fn broken(rule: Rule, message: String) -> Verdict {
        Verdict::judged(Observed::nothing(), vec![Violation { rule, message }])
    }

    /// The status, decided by the oracle.
    pub fn status(&self) -> Status {
        self.status
    }

    /// True when the case passed.
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }

    /// Every broken rule.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Why the case proves nothing, when it does not.
    pub fn inconclusive(&self) -> Option<&Reason> {
        self.inconclusive.as_ref()
    }

    /// This verdict with more broken rules (batch results, read-backs): a pass turns into a failure.
    pub fn and(mut self, more: impl IntoIterator<Item = Violation>) -> Verdict {
        self.violations.extend(more);
        if self.status == Status::Pass && !self.violations.is_empty() {
            self.status = Status::Fail;
        }
        self
    }

    /// This failed verdict marked as proving nothing; a passed or skipped one is left as it is.
    pub(super) fn concluded(mut self, reason: Option<Reason>) -> Verdict {
        if let (Status::Fail, Some(reason)) = (self.status, reason) {
            self.status = Status::Inconclusive;
            self.inconclusive = Some(reason);
        }
        self
    }
}

impl Observed {
    /// Nothing answered (or nothing was sent).
    pub fn nothing() -> Observed {
        Observed { status: 0, error_type: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken() -> Violation {
        Violation { rule: Rule::Expected, message: "x".into() }
    }

    #[test]
    fn the_status_follows_the_violations_and_only_a_failure_turns_inconclusive() {
        let pass = Verdict::judged(Observed::nothing(), Vec::new());
        assert_eq!(pass.status(), Status::Pass);
        assert_eq!(pass.clone().and(Vec::new()).status(), Status::Pass);
        let fail = pass.clone().and([broken()]);
        assert_eq!(fail.status(), Status::Fail);
        let reason = Reason::RateLimited { retries: 3 };
        assert_eq!(fail.concluded(Some(reason.clone())).inconclusive(), Some(&reason));
        assert_eq!(pass.concluded(Some(reason.clone())).status(), Status::Pass, "a pass never turns inconclusive");
        assert_eq!(Verdict::skipped().and([broken()]).status(), Status::Skip, "a skipped case stays skipped");
        assert!(!Status::Inconclusive.is_ok() && Status::Skip.is_ok() && !Status::Fail.is_ok());
    }
}
