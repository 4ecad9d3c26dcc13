//! The normalised cause of a violation: what stays the same across every case one misconfiguration
//! breaks (a header and its value, a missing key, a status pair), with the case's own values (IDs,
//! byte offsets, excerpts of bodies) left out. Findings group violations by rule and cause.

use super::Rule;
use std::fmt;

/// What a violation is about, filled where the oracle creates it; typed so grouping never reads messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cause {
    /// A fixed check with nothing variable about it (`error body without Content-Type`).
    Check(&'static str),
    /// A response header that breaks the rule, with its value as shown (excerpted).
    Header { name: String, value: String },
    /// A key of the error body that is missing or has the wrong JSON type (`missing`, `a number`).
    Field { key: String, problem: String },
    /// One answer given where another was due: the expected outcome(s) and what came instead.
    Status { expected: String, got: String },
    /// Something internal or secret found in one place of the answer (`body`, `header x-debug`).
    Leak { what: &'static str, place: String },
    /// A check about one value of the answer (a content type, a `see` URL without its fragment, a type).
    Value { what: &'static str, value: String },
    /// What went wrong in one step of a case besides its answer's own rules (a read-back, a follow-up, a
    /// batch result, the request's transport), and about what (`answered 500`, "field `n` …"): the step
    /// keeps a follow-up's 404 apart from a main answer's, and two fields' read-backs apart.
    Step { step: String, subject: String },
}

impl Cause {
    /// A [`Cause::Step`]: `subject` must name no case's own values (IDs, offsets), only what stays the same.
    pub fn step(step: impl Into<String>, subject: impl Into<String>) -> Cause {
        Cause::Step { step: step.into(), subject: subject.into() }
    }

    /// The cause of a request that brought no answer, by how it failed (a timeout is not a reset).
    pub fn transport(step: &str, error: &crate::send::client::TransportError) -> Cause {
        use crate::send::client::TransportError as E;
        let how = match error {
            E::Connect(_) => "cannot connect",
            E::Timeout(_) => "no complete answer within the timeout",
            E::Build(_) => "the request could not be built",
            E::Other(_) => "transport error",
            E::NotSent(_) => "not sent",
        };
        Cause::step(step, how)
    }
}

impl Cause {
    /// The text a finding is named and hashed by; stable for a given cause.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The 5xx a status cause reports, if it is one (findings about a server error sort first).
    pub fn server_error(&self) -> bool {
        match self {
            Cause::Status { got, .. } => got.starts_with('5'),
            Cause::Value { what, value } => *what == SERVER_ERROR && value.starts_with('5'),
            _ => false,
        }
    }

    /// The sentence of a target-level finding: "every response carries …" for a header, else the cause.
    pub fn everywhere(&self) -> String {
        match self {
            Cause::Header { name, value } => format!("every response carries header {name}: {value}"),
            other => format!("most answers: {other}"),
        }
    }
}

/// The `what` of a server error answered for client input.
pub const SERVER_ERROR: &str = "server error for client input";

/// The `what` of a status no documented error type has.
pub const UNDOCUMENTED_STATUS: &str = "undocumented error status";

/// One answer's status causes (undocumented, or not the status its type travels with) take the outcome
/// rule's status pair, when the outcome was missed too: a gateway's 405 for every unknown route is then
/// one cause, not three.
pub(super) fn share_status_pair(status: u16, out: &mut [super::Violation]) {
    let got = status.to_string();
    let is_status = |c: &Cause| match c {
        Cause::Status { got: g, .. } => g.split(' ').next() == Some(got.as_str()),
        Cause::Value { what, value } => *what == UNDOCUMENTED_STATUS && *value == got,
        _ => false,
    };
    let outcome = out.iter().find(|v| matches!(v.rule, Rule::Expected | Rule::Recommended));
    let Some(pair) = outcome.map(|v| v.cause.clone()).filter(|c| matches!(c, Cause::Status { .. }) && is_status(c))
    else {
        return;
    };
    for v in out.iter_mut().filter(|v| is_status(&v.cause)) {
        v.cause = pair.clone();
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Check(what) => f.write_str(what),
            Cause::Header { name, value } => write!(f, "header {name}: {value}"),
            Cause::Field { key, problem } => write!(f, "body key \"{key}\": {problem}"),
            Cause::Status { expected, got } => write!(f, "expected {expected}, got {got}"),
            Cause::Leak { what, place } => write!(f, "{place} leaks {what}"),
            Cause::Value { what, value } => write!(f, "{what}: {value}"),
            Cause::Step { step, subject } => write!(f, "{step}: {subject}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_cause_and_only_status_causes_with_5xx_are_server_errors() {
        let header = Cause::Header { name: "server".into(), value: "\"BaseHTTP/0.6\"".into() };
        assert_eq!(header.key(), "header server: \"BaseHTTP/0.6\"");
        assert_eq!(header.everywhere(), "every response carries header server: \"BaseHTTP/0.6\"");
        assert!(Cause::Status { expected: "404 ROUTE_ERROR".into(), got: "500".into() }.server_error());
        assert!(Cause::Value { what: SERVER_ERROR, value: "502".into() }.server_error());
        assert!(!Cause::Status { expected: "404 ROUTE_ERROR".into(), got: "405".into() }.server_error());
        assert!(!header.server_error());
        assert!(Cause::Check("x").everywhere().starts_with("most answers: "));
    }
}
