//! The typed verdict every report reads: a status decided here once, the broken rules, and why a case
//! proves nothing when it does not. Nothing outside the oracle builds or re-derives a status.

use super::{Cause, Level, Observed, Profile, Rule, Violation};
use std::fmt;

/// What a case came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Fail,
    Skip,
    /// Proves nothing either way (rate limited after its retries, or never sent): never a pass.
    Inconclusive,
    /// No MUST broken, but a SHOULD is (Autobahn's NON-STRICT): counted apart, never a pass, not a
    /// failure under the documented profile (under `strict` the same case is a failure).
    NonStrict,
}

impl Status {
    /// Lowercase word used in NDJSON, CSS classes and summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
            Status::Inconclusive => "inconclusive",
            Status::NonStrict => "non-strict",
        }
    }

    /// Nothing to report at all: passed or skipped (an inconclusive or non-strict case is not ok).
    pub fn is_ok(self) -> bool {
        matches!(self, Status::Pass | Status::Skip)
    }

    /// Whether the case fails the run (and its exit code): failed or inconclusive, never non-strict.
    pub fn fails_run(self) -> bool {
        matches!(self, Status::Fail | Status::Inconclusive)
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
    /// A request failed in transport (reset, timeout) while the target was otherwise answering: its
    /// availability, not the case's request.
    Transport(String),
    /// One step of the case (a fresh object, a read-back, a follow-up, an oplog page, a marker search;
    /// its request line) brought no answer to judge, for this reason.
    Step { step: String, why: Box<Reason> },
}

impl Reason {
    /// `why`, said of one step of a case.
    pub fn step(step: &str, why: Reason) -> Reason {
        Reason::Step { step: step.to_string(), why: Box::new(why) }
    }

    /// The reason itself, whichever step met it (warnings count rate limits and stops by this).
    pub fn root(&self) -> &Reason {
        match self {
            Reason::Step { why, .. } => why.root(),
            other => other,
        }
    }
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
            Reason::Transport(why) => write!(f, "no answer ({why})"),
            Reason::Step { step, why } => write!(f, "{step}: {why}"),
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
    /// Judged under `--profile strict`: a broken SHOULD fails instead of making the case non-strict.
    strict: bool,
}

/// The status of judged violations: a MUST broken fails, a SHOULD alone is non-strict (a failure when strict).
fn decide(violations: &[Violation], strict: bool) -> Status {
    if violations.iter().any(|v| v.level().counts_as(Level::Must)) {
        Status::Fail
    } else if violations.is_empty() {
        Status::Pass
    } else if strict {
        Status::Fail
    } else {
        Status::NonStrict
    }
}

impl Verdict {
    /// A judged answer: passed exactly when no rule was broken, non-strict when only SHOULDs were.
    pub(super) fn judged(observed: Observed, violations: Vec<Violation>, profile: Profile) -> Verdict {
        let strict = profile == Profile::Strict;
        let status = decide(&violations, strict);
        Verdict { status, observed, violations, inconclusive: None, strict }
    }

    /// A case that was not run.
    pub fn skipped() -> Verdict {
        Verdict {
            status: Status::Skip,
            observed: Observed::nothing(),
            violations: Vec::new(),
            inconclusive: None,
            strict: false,
        }
    }

    /// A case with no answer to judge, failed by one broken rule (transport, setup).
    pub fn broken(rule: Rule, message: String, cause: Cause) -> Verdict {
        Verdict::judged(Observed::nothing(), vec![Violation::caused(rule, message, cause)], Profile::Documented)
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

    /// The broken rules of one level (reports print MUST failures and SHOULD findings apart); `Level::Must`
    /// lists the SECURITY ones too, which fail the case like a MUST ([`Violation::label`] names them).
    pub fn at(&self, level: Level) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(move |v| v.level().counts_as(level))
    }

    /// This verdict without its SHOULD findings, and those findings: a follow-up answer's SHOULDs stay
    /// SHOULDs of the case instead of turning into MUST side effects.
    pub fn split_should(self) -> (Verdict, Vec<Violation>) {
        let (should, must): (Vec<Violation>, Vec<Violation>) =
            self.violations.into_iter().partition(|v| v.level() == Level::Should);
        let status = match self.status {
            Status::Pass | Status::NonStrict | Status::Fail if self.inconclusive.is_none() => {
                decide(&must, self.strict)
            }
            other => other,
        };
        (Verdict { status, violations: must, ..self }, should)
    }

    /// Why the case proves nothing, when it does not.
    pub fn inconclusive(&self) -> Option<&Reason> {
        self.inconclusive.as_ref()
    }

    /// This verdict with more broken rules (batch results, read-backs): a pass turns into a failure
    /// (or non-strict, when only SHOULDs were added), and a non-strict case fails on a broken MUST.
    pub fn and(mut self, more: impl IntoIterator<Item = Violation>) -> Verdict {
        self.violations.extend(more);
        if matches!(self.status, Status::Pass | Status::NonStrict) {
            self.status = decide(&self.violations, self.strict);
        }
        self
    }

    /// This verdict with findings on other answers the case saw (retried 429s, its steps' answers): they
    /// stand even when the case's own answer proves nothing, so a broken MUST among them fails an
    /// inconclusive case (a well-formed final 429 must not hide a malformed one before it).
    pub fn and_seen(mut self, seen: Vec<Violation>) -> Verdict {
        if self.status == Status::Inconclusive && seen.iter().any(|v| v.level().counts_as(Level::Must)) {
            self.status = Status::Fail;
            self.inconclusive = None;
        }
        self.and(seen)
    }

    /// This failed (or non-strict) verdict of an answer that proves nothing (a well-formed 429, a request
    /// never sent), marked so; a passed or skipped one is left as it is. What the missing answer explains
    /// (the outcome it missed, its absence) is dropped, so a check that later fails the case on what it
    /// proves ([`Verdict::checked`]) does not report it as a finding; what the answer broke regardless (a
    /// 429's SHOULDs) stays.
    pub(super) fn concluded(mut self, reason: Option<Reason>) -> Verdict {
        if let (Status::Fail | Status::NonStrict, Some(reason)) = (self.status, reason) {
            self.status = Status::Inconclusive;
            self.inconclusive = Some(reason);
            self.violations.retain(|v| v.level() == Level::Should && v.rule != Rule::Recommended);
        }
        self
    }

    /// This verdict with one check of the case joined: its findings stand even when the case's answer
    /// proves nothing (as [`Verdict::and_seen`]), and a check that brought nothing to judge makes a case
    /// with no MUST broken inconclusive: a broken MUST (a failure proved elsewhere) stands.
    pub fn checked(self, check: super::Checked) -> Verdict {
        let mut verdict = self.and_seen(check.found);
        if let (Status::Pass | Status::NonStrict, Some(why)) = (verdict.status, check.unproven) {
            verdict.status = Status::Inconclusive;
            verdict.inconclusive = Some(why);
        }
        verdict
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
        Violation::caused(Rule::Expected, "x".into(), Cause::Check("x"))
    }

    fn should() -> Violation {
        Violation::caused(Rule::SeeLink, "s".into(), Cause::Check("s"))
    }

    #[test]
    fn the_status_follows_the_violations_and_only_a_failure_turns_inconclusive() {
        let pass = Verdict::judged(Observed::nothing(), Vec::new(), Profile::Documented);
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

    #[test]
    fn a_broken_should_alone_is_non_strict_and_fails_only_when_strict() {
        let documented = Verdict::judged(Observed::nothing(), vec![should()], Profile::Documented);
        assert_eq!(documented.status(), Status::NonStrict);
        assert!(!documented.passed() && !documented.status().is_ok() && !documented.status().fails_run());
        let strict = Verdict::judged(Observed::nothing(), vec![should()], Profile::Strict);
        assert_eq!(strict.status(), Status::Fail);
        assert_eq!(documented.clone().and([broken()]).status(), Status::Fail, "a broken MUST outweighs a SHOULD");
        let pass = Verdict::judged(Observed::nothing(), Vec::new(), Profile::Documented);
        assert_eq!(pass.clone().and([should()]).status(), Status::NonStrict);
        let strict_pass = Verdict::judged(Observed::nothing(), Vec::new(), Profile::Strict);
        assert_eq!(strict_pass.and([should()]).status(), Status::Fail, "the profile travels with the verdict");
        let reason = Reason::RateLimited { retries: 1 };
        // A SHOULD missed because the answer was a 429 proves nothing either: rate limited is inconclusive.
        assert_eq!(documented.clone().concluded(Some(reason)).status(), Status::Inconclusive);
        assert_eq!(pass.clone().concluded(Some(Reason::RateLimited { retries: 1 })).status(), Status::Pass);
        assert_eq!(documented.at(Level::Should).count(), 1);
        assert_eq!(documented.at(Level::Must).count(), 0);
    }

    #[test]
    fn a_must_seen_on_the_way_fails_even_an_inconclusive_case() {
        let limited = Verdict::judged(Observed::nothing(), vec![broken()], Profile::Documented)
            .concluded(Some(Reason::RateLimited { retries: 3 }));
        assert_eq!(limited.clone().and_seen(vec![should()]).status(), Status::Inconclusive);
        let failed = limited.and_seen(vec![broken()]);
        assert_eq!((failed.status(), failed.inconclusive()), (Status::Fail, None));
        let pass = Verdict::judged(Observed::nothing(), Vec::new(), Profile::Documented);
        assert_eq!(pass.clone().and_seen(Vec::new()).status(), Status::Pass);
        assert_eq!(pass.and_seen(vec![should()]).status(), Status::NonStrict);
        assert_eq!(Verdict::skipped().and_seen(vec![broken()]).status(), Status::Skip);
    }

    #[test]
    fn splitting_off_the_shoulds_leaves_the_must_verdict() {
        let both = Verdict::judged(Observed::nothing(), vec![should(), broken()], Profile::Documented);
        let (must, shoulds) = both.split_should();
        assert_eq!((must.status(), must.violations().len(), shoulds.len()), (Status::Fail, 1, 1));
        let only_should = Verdict::judged(Observed::nothing(), vec![should()], Profile::Strict);
        let (must, shoulds) = only_should.split_should();
        assert_eq!((must.status(), shoulds.len()), (Status::Pass, 1));
    }
}
