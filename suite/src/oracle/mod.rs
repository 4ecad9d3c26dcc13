//! The one oracle: every verdict is decided here and returned typed. [`judge`] applies spec §6 rules 1–4
//! and the case's outcomes to a response; [`batch`] judges a batch's results, [`readback`] what a case
//! reads back (§6.5–6.7), [`isolation`] what one account's read paths show of another's, [`rate_limit`]
//! the burst checks, [`shows`] what a success answer carries, [`seen`] the answers around a case (retried 429s, set-up, marker searches, cleanup),
//! and [`conclude`] whether a failure proves nothing. Every family, property test and fuzz target goes
//! through it; nothing else decides a status.

mod access;
mod answer_rules;
pub mod batch_results;
pub mod burst_checks;
mod cause;
mod composed;
pub mod findings;
mod inconclusive;
pub mod isolation;
mod leaks;
pub mod list_window;
pub mod oplog_pages;
#[cfg(test)]
mod oracle_tests;
pub mod readback;
mod retry_after;
mod rule_table;
mod see;
pub mod seen;
pub mod shows;
mod top_type;
mod verdict;

pub use access::judge_case;
pub use answer_rules::{judge, judge_graded};
pub use batch_results::judge_operation;
pub use cause::Cause;
pub use inconclusive::{conclude, setup_failed, write_checks_apply, Answered, Checked, Evidence, StepFailure};
pub use verdict::{Reason, Status, Verdict};

use crate::declare::spec::{rules as clauses, Clause, Grade};
use std::fmt;

pub use crate::config::Profile;

/// How much a broken rule weighs: the grade of the clause it breaks (most severe first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// A vulnerability (an echoed credential, another account's data, access without valid credentials):
    /// fails the case under every profile, and reports name it apart.
    Security,
    /// The docs state it: breaking it fails the case.
    Must,
    /// An RFC or common practice: breaking it makes the case non-strict (failed under `--profile strict`).
    Should,
}

impl Level {
    /// The word reports print.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Security => "SECURITY",
            Level::Must => "MUST",
            Level::Should => "SHOULD",
        }
    }

    /// The level a broken clause of this grade has (outside an outcome set is a MUST failure).
    pub fn of(grade: Grade) -> Level {
        match grade {
            Grade::Should => Level::Should,
            Grade::Must | Grade::Open => Level::Must,
            Grade::Security => Level::Security,
        }
    }

    /// Whether a violation of this level is listed under `shown`: a SECURITY violation is a MUST one too
    /// (it fails the case), so everything that lists MUST failures lists it, and names its level.
    pub fn counts_as(self, shown: Level) -> bool {
        self == shown || (self == Level::Security && shown == Level::Must)
    }
}

/// What the oracle needs to know of the request it judges the answer to.
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts<'a> {
    /// The method token as sent (HEAD answers carry no body to read a type from).
    pub method: &'a str,
    /// Secrets the request carried (passwords, tokens, Authorization values): none may come back.
    pub secrets: &'a [&'a [u8]],
    /// The request's own text (path, decoded path, body, non-credential header values): a §6.4
    /// pattern that matches only text the client itself sent is an echo, not a leak. Secrets are
    /// still searched for even though the client sent them.
    pub sent: &'a [&'a [u8]],
}

/// The parts of a request a server may legitimately echo (for [`RequestFacts::sent`]): the path and
/// query as sent, the path percent-decoded, the body, and every header value but `Authorization`
/// (credentials are secrets, searched for separately, never excused).
pub fn sent_parts(path_and_query: &str, headers: &[(String, Vec<u8>)], body: Option<&[u8]>) -> Vec<Vec<u8>> {
    sent_parts_borrowed(path_and_query, headers, body).into_iter().map(std::borrow::Cow::into_owned).collect()
}

/// [`sent_parts`] without copying what the request already holds: the fuzz targets judge an answer per
/// input, so a copy of every body and header would be paid on every input.
pub fn sent_parts_borrowed<'a>(
    path_and_query: &'a str,
    headers: &'a [(String, Vec<u8>)],
    body: Option<&'a [u8]>,
) -> Vec<std::borrow::Cow<'a, [u8]>> {
    use std::borrow::Cow;
    let mut parts = vec![Cow::Borrowed(path_and_query.as_bytes())];
    if let Cow::Owned(decoded) = Cow::from(percent_encoding::percent_decode_str(path_and_query)) {
        parts.push(Cow::Owned(decoded));
    }
    let echoable = headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    parts.extend(echoable.map(|(_, v)| Cow::Borrowed(v.as_slice())));
    parts.extend(body.map(Cow::Borrowed));
    parts
}

rule_table::rule_table! {
    /// §6.1: status and `type` agree, and the body is a JSON object with `type`/`title`/`detail`/`see`.
    ErrorBody => Some(clauses::ERROR_BODY), "§6.1 error body";
    /// §6.2: a JSON error body is sent as `application/json`.
    ContentType => Some(clauses::CONTENT_TYPE), "§6.2 content type";
    /// §6.3: bad client input never yields 5xx, 2xx or an undocumented type.
    ClientInput => Some(clauses::CLIENT_INPUT), "§6.3 client input";
    /// §6.4: no stack traces, paths, SQL or banners.
    NoLeaks => Some(clauses::NO_LEAKS), "§6.4 no leaks";
    /// A credential the request carried (or the configured accounts' own) comes back, in any encoding.
    EchoedCredential => Some(clauses::ECHOED_CREDENTIAL), "echoed credential";
    /// A request without valid credentials for the deployment it addresses (none, wrong ones, another
    /// deployment's) succeeded.
    Access => Some(clauses::ACCESS), "access without valid credentials";
    /// `see` is https and ends in `#<type>` of the answer's type.
    SeeLink => Some(clauses::SEE_LINK), "see link";
    /// A 401 answered with the documented plain text instead of the JSON error body.
    Plain401 => Some(clauses::JSON_401), "plain-text 401";
    /// The answer is not among the case's allowed outcomes (the case's clause is MUST or OPEN), or a success
    /// lacks what that clause says it carries (`shows`).
    Expected => None, "expected outcome";
    /// The answer is not the outcome the case's SHOULD clause recommends (or lacks what it says it carries).
    Recommended => None, "recommended outcome";
    /// The exchange itself broke: timeout, reset, body over the cap.
    Transport => Some(clauses::TRANSPORT), "transport";
    /// §6.5–§6.7: a write that failed changed something, a deletion did not stick, or data crossed accounts;
    /// or an accepted value does not read back in its documented form.
    SideEffect => Some(clauses::SIDE_EFFECT), "§6.5-6.7 side effect";
    /// The case could not prepare what it needs (its fresh objects), so it proves nothing.
    Setup => Some(clauses::SETUP), "setup";
    /// §6.7: a read path of one account (list, filter, `query.json`, oplog, embed) shows another account's object.
    Isolation => Some(clauses::ISOLATION_READS), "§6.7 isolation";
    /// A retried 429's `Retry-After` asks for longer than a rate limiter plausibly means.
    RetryAfter => Some(clauses::RETRY_AFTER), "retry-after";
}

impl Rule {
    /// How much breaking it weighs: its clause's grade (the outcome rules carry the case's grade).
    pub fn level(self) -> Level {
        match (self, self.clause()) {
            (_, Some(clause)) => Level::of(clause.grade),
            (Rule::Recommended, None) => Level::Should,
            (_, None) => Level::Must,
        }
    }

    /// The outcome rule for a case whose clause has this grade.
    pub fn outcome(grade: Grade) -> Rule {
        match Level::of(grade) {
            Level::Security | Level::Must => Rule::Expected,
            Level::Should => Rule::Recommended,
        }
    }
}

/// One broken rule, with a message that says what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: Rule,
    pub message: String,
    /// What it is about, normalised, so findings group it with its kind without reading `message`: every
    /// violation has one, so two defects broken under one rule never merge into one finding.
    pub cause: Cause,
}

impl Violation {
    /// A broken rule with the cause findings group it by.
    pub fn caused(rule: Rule, message: String, cause: Cause) -> Violation {
        Violation { rule, message, cause }
    }

    /// SECURITY, MUST or SHOULD, from the rule's clause.
    pub fn level(&self) -> Level {
        self.rule.level()
    }

    /// The rule as reports name it, with its level in front when that is SECURITY (a MUST list shows it).
    pub fn label(&self) -> String {
        match self.level() {
            Level::Security => format!("SECURITY {}", self.rule),
            _ => self.rule.to_string(),
        }
    }
}

/// What was observed, in the terms snapshots and reports use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub status: u16,
    /// The body's `type`, when the body is a JSON object with a string `type`.
    pub error_type: Option<String>,
}

impl fmt::Display for Observed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error_type {
            Some(t) => write!(f, "{} {}", self.status, t),
            None => write!(f, "{}", self.status),
        }
    }
}
