//! What a finished run hands to the report writers: plain, already-redacted data, so every writer is a
//! pure function of it and none of them can see a secret or a live session.

use crate::declare::case::{Auth, Case, Family};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::Outcome;
use crate::oracle::Level;
use crate::report::terminal;
use crate::run::runner::CaseResult;
use crate::run::session::Session;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Facts about the run as a whole, shown in report headers.
#[derive(Debug, Clone, Default)]
pub struct RunMeta {
    /// Base URL of the first account, credentials never included.
    pub target: String,
    /// True when the target was the embedded reference.
    pub embedded: bool,
    pub profile: String,
    pub object_type: String,
    pub concurrency: usize,
    pub timeout: Duration,
    /// `--seed`, recorded for reproducibility even where nothing consumes it yet.
    pub seed: Option<u64>,
    /// `--rate` in requests per second, recorded likewise.
    pub rate: Option<f64>,
    /// RFC 3339 start time.
    pub started_at: String,
    pub duration: Duration,
    /// The suite's version, so reports from different builds can be told apart.
    pub version: String,
    /// Set when SIGINT/SIGTERM stopped the run: how far it got (the reports hold what ran).
    pub interrupted: Option<String>,
}

/// The verdict as reports show it: the oracle's status, read, never re-derived.
pub use crate::oracle::Status;

/// One case, ready to print: request, expectation, observation and verdict, all redacted.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub id: String,
    pub family: Family,
    pub description: String,
    pub spec: String,
    pub method: String,
    /// Path and query as sent.
    pub path: String,
    /// Request headers as sent, with credentials redacted.
    pub headers: Vec<(String, String)>,
    /// Printable start of the request body, if any.
    pub body_excerpt: Option<String>,
    pub body_bytes: usize,
    /// Each allowed outcome, e.g. `404 ROUTE_ERROR`, `2xx`.
    pub expected: Vec<String>,
    /// Why an outcome set is allowed, if it is one.
    pub expected_why: Option<String>,
    /// The matrix column: the single expected error type, `2xx`, or `outcome set`.
    pub column: Column,
    /// The matrix row: which route (or non-route) the request addresses.
    pub endpoint: String,
    /// Observed status, `None` when nothing answered or the case was skipped.
    pub observed_status: Option<u16>,
    pub observed_type: Option<String>,
    pub response_content_type: Option<String>,
    pub response_excerpt: Option<String>,
    pub status: Status,
    pub skip_reason: Option<String>,
    /// (rule, message) of every broken MUST rule.
    pub violations: Vec<(String, String)>,
    /// (rule, message) of every broken SHOULD rule: what makes a case non-strict (failed when strict).
    pub should: Vec<(String, String)>,
    pub elapsed: Duration,
    /// A redacted `curl` repro naming credentials by variable.
    pub curl: String,
    /// The full failure story, as the terminal shows it, for failed, inconclusive and non-strict cases.
    pub failure: Option<String>,
}

impl CaseRecord {
    /// Whether a reader must look at this case: failed, or inconclusive (non-strict cases are listed apart).
    pub fn needs_attention(&self) -> bool {
        self.status.fails_run()
    }

    /// `404 ROUTE_ERROR` or `404`, or `no response` / `skipped`.
    pub fn observed_text(&self) -> String {
        match (self.status, self.observed_status, &self.observed_type) {
            (Status::Skip, ..) => "skipped".into(),
            (_, None, _) => "no response".into(),
            (_, Some(s), Some(t)) => format!("{s} {t}"),
            (_, Some(s), None) => s.to_string(),
        }
    }

    /// The first broken rule and its message, a MUST before any SHOULD (which labels itself): under
    /// `--profile strict` a case can fail on SHOULDs alone.
    pub fn first_broken(&self) -> Option<(String, &str)> {
        let must = self.violations.first().map(|(rule, msg)| (rule.clone(), msg.as_str()));
        must.or_else(|| self.should.first().map(|(rule, msg)| (format!("SHOULD {rule}"), msg.as_str())))
    }

    /// The allowed outcomes joined as the terminal shows them.
    pub fn expected_text(&self) -> String {
        self.expected.join(" | ")
    }
}

/// A whole run as reports see it.
#[derive(Debug, Clone, Default)]
pub struct RunRecord {
    pub meta: RunMeta,
    pub cases: Vec<CaseRecord>,
    /// The run's findings, most severe first (`reports::findings`).
    pub findings: Vec<super::finding_records::FindingRecord>,
    /// The session's own steps that found something (`session/setup/…`, `session/teardown/…`).
    pub steps: Vec<super::session_steps::StepRecord>,
    /// The objects teardown could not delete, when it left any.
    pub left_behind: Option<super::left::LeftBehind>,
    /// The findings against `--baseline`, when one was given.
    pub baseline: Option<super::baseline::Comparison>,
    /// The repository file SARIF results point at (`--sarif-location`); `None`: [`super::sarif::DEFAULT_LOCATION`].
    pub sarif_location: Option<String>,
}

/// Pass/fail/skip counts; non-strict cases are counted apart, never as passes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub inconclusive: usize,
    pub non_strict: usize,
}

impl Counts {
    /// Adds one case's status.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.passed += 1,
            Status::Fail => self.failed += 1,
            Status::Skip => self.skipped += 1,
            Status::Inconclusive => self.inconclusive += 1,
            Status::NonStrict => self.non_strict += 1,
        }
    }

    /// Adds another tally to this one (a family's to the run's).
    pub fn absorb(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
        self.inconclusive += other.inconclusive;
        self.non_strict += other.non_strict;
    }

    /// Every counted case.
    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped + self.inconclusive + self.non_strict
    }
}

impl RunRecord {
    /// Counts per family, in family order (families without cases omitted).
    pub fn by_family(&self) -> BTreeMap<Family, Counts> {
        let mut out: BTreeMap<Family, Counts> = BTreeMap::new();
        for case in &self.cases {
            out.entry(case.family).or_default().add(case.status);
        }
        out
    }

    /// Counts over every case and every session step that found something (a failed set-up or
    /// teardown answer fails the run as a case does, so it counts as one).
    pub fn totals(&self) -> Counts {
        let mut c = self.session_counts();
        for case in &self.cases {
            c.add(case.status);
        }
        c
    }

    /// Counts over the session steps that found something: the `session` row of the family tables.
    pub fn session_counts(&self) -> Counts {
        let mut c = Counts::default();
        for step in &self.steps {
            c.add(step.status);
        }
        c
    }

    /// Whether the run as a whole failed: a case or step failed or proved nothing, or objects were left.
    pub fn failed(&self) -> bool {
        let t = self.totals();
        t.failed + t.inconclusive > 0 || self.left_behind.is_some()
    }

    /// Builds the record of a finished run; `results` lacking a case leave it out.
    pub fn build(
        meta: RunMeta,
        session: &Session,
        cases: &[Case],
        results: &BTreeMap<String, CaseResult>,
    ) -> RunRecord {
        let records = cases.iter().filter_map(|c| results.get(&c.id).map(|r| case_record(session, c, r))).collect();
        RunRecord {
            meta,
            cases: records,
            findings: Vec::new(),
            steps: super::session_steps::StepRecord::all_of(session),
            left_behind: super::left::LeftBehind::of(session),
            baseline: None,
            sarif_location: None,
        }
    }
}

/// The matrix column a case falls in, so reports group cases by what they expect without reading labels.
/// Variants are in matrix order: error types in spec order, then outcome sets, then successes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// Exactly one documented error is allowed.
    Error(ErrorType),
    /// More than one outcome is allowed (or a lone redirect).
    OutcomeSet,
    /// Exactly one success outcome (any 2xx, or an empty 200/204) is allowed.
    Success,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Error(t) => f.write_str(t.as_str()),
            Column::OutcomeSet => f.write_str("outcome set"),
            Column::Success => f.write_str("2xx"),
        }
    }
}

/// The matrix column a case's expectation falls in.
pub fn column_of(outcomes: &[Outcome]) -> Column {
    match outcomes {
        [Outcome::Error(t)] => Column::Error(*t),
        [Outcome::Success] | [Outcome::EmptySuccess] => Column::Success,
        _ => Column::OutcomeSet,
    }
}

/// Builds one case's record from its result, redacting through [`terminal::redact`].
pub fn case_record(session: &Session, case: &Case, result: &CaseResult) -> CaseRecord {
    let req = &case.request;
    let secrets = session.secrets(req);
    let clean = |s: &str| crate::redact::redact(s, &secrets);
    let mut headers = Vec::new();
    match &req.auth {
        Auth::Primary | Auth::Secondary | Auth::PrimaryPlus(_) | Auth::PrimaryToken => {
            headers.push(("authorization".to_string(), "<redacted: configured credentials>".to_string()));
        }
        Auth::NearMiss(v) => headers.push(("authorization".to_string(), format!("<derived: {}>", v.describe()))),
        Auth::None | Auth::Raw(_) => {}
    }
    if let Auth::Raw(values) | Auth::PrimaryPlus(values) = &req.auth {
        headers.extend(values.iter().map(|v| ("authorization".to_string(), clean(&crate::send::excerpt::excerpt(v)))));
    }
    headers.extend(req.headers.iter().map(|(n, v)| (n.clone(), clean(&crate::send::excerpt::excerpt(v)))));
    let status = result.status();
    let response = result.response.as_ref();
    CaseRecord {
        id: case.id.clone(),
        family: case.family,
        description: clean(&case.description),
        spec: case.spec.to_string(),
        method: case.request.method.clone(),
        path: clean(&req.path),
        headers,
        body_excerpt: req.body.as_ref().map(|b| clean(&crate::report::repro::body_excerpt(b))),
        body_bytes: req.body.as_ref().map_or(0, |b| b.len()),
        expected: case.expect.outcomes.iter().map(ToString::to_string).collect(),
        expected_why: case.expect.why.map(|c| c.to_string()),
        column: column_of(&case.expect.outcomes),
        endpoint: super::route_row::row(&req.target),
        observed_status: response.map(|r| r.status),
        observed_type: response.and(result.verdict.observed.error_type.as_deref()).map(clean),
        response_content_type: response.and_then(|r| r.content_type()).map(clean),
        response_excerpt: response.map(|r| clean(&r.body_text())),
        status,
        skip_reason: result.skipped.clone(),
        violations: result.verdict.at(Level::Must).map(|v| (v.label(), clean(&v.message))).collect(),
        should: result.verdict.at(Level::Should).map(|v| (v.rule.to_string(), clean(&v.message))).collect(),
        elapsed: result.elapsed,
        curl: terminal::curl(session, case),
        failure: (status.fails_run() || status == Status::NonStrict).then(|| terminal::failure(session, case, result)),
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! A small synthetic run (one pass, one failure, one skip) for the writers' tests.
    use super::*;

    /// One record with the given identity and status; the failure carries a violation.
    pub fn case(id: &str, family: Family, endpoint: &str, column: ErrorType, status: Status) -> CaseRecord {
        CaseRecord {
            id: id.into(),
            family,
            description: format!("checks <{id}> & more"),
            spec: "§3 ROUTE_ERROR 404: the method + path combination is not an API route".into(),
            method: "DELETE".into(),
            path: "/api/v4/acct/objects/task.json".into(),
            headers: vec![("authorization".into(), "<redacted: configured credentials>".into())],
            body_excerpt: Some("{\"a\":\"<b>\"}".into()),
            body_bytes: 11,
            expected: vec![format!("404 {column}")],
            expected_why: None,
            column: Column::Error(column),
            endpoint: endpoint.into(),
            observed_status: (status != Status::Skip).then_some(if status == Status::Fail { 405 } else { 404 }),
            observed_type: matches!(status, Status::Pass | Status::NonStrict).then(|| column.to_string()),
            response_content_type: Some("application/json".into()),
            response_excerpt: Some("{\"type\":\"ROUTE_ERROR\"}".into()),
            status,
            skip_reason: (status == Status::Skip).then(|| "needs a second account".into()),
            violations: if status == Status::Fail {
                vec![("§6.1 error body".into(), "status 405 is not documented </failure>".into())]
            } else {
                Vec::new()
            },
            should: if status == Status::NonStrict {
                vec![("see link".into(), format!("see \"https://x/\" does not end in #{column} <should>"))]
            } else {
                Vec::new()
            },
            elapsed: Duration::from_millis(3),
            curl: "curl -sS -i -X 'DELETE' 'http://127.0.0.1:1/api/v4/acct/objects/task.json' -u \"$JOURNEY_API_USER:$JOURNEY_API_PASSWORD\"".into(),
            failure: match status {
                Status::Fail => Some(format!("FAIL {id}\n  broken: status 405")),
                Status::NonStrict => Some(format!("NON-STRICT {id}\n  should: see link")),
                _ => None,
            },
        }
    }

    /// A run with a pass, a failure and a skip across two families.
    pub fn run() -> RunRecord {
        RunRecord {
            steps: Vec::new(),
            left_behind: None,
            meta: RunMeta {
                target: "http://127.0.0.1:1/api/v4/acct".into(),
                embedded: true,
                profile: "documented".into(),
                object_type: "task".into(),
                concurrency: 8,
                timeout: Duration::from_secs(10),
                seed: Some(42),
                rate: None,
                started_at: "2024-01-01T00:00:00Z".into(),
                duration: Duration::from_millis(1500),
                version: "0.0.0".into(),
                interrupted: None,
            },
            cases: vec![
                case(
                    "methods/wrong-method/GET-x",
                    Family::Methods,
                    "wrong method: /objects/{type}.json",
                    ErrorType::RouteError,
                    Status::Pass,
                ),
                case(
                    "methods/wrong-method/DELETE-x",
                    Family::Methods,
                    "wrong method: /objects/{type}.json",
                    ErrorType::RouteError,
                    Status::Fail,
                ),
                case(
                    "accounts/isolation/x",
                    Family::Accounts,
                    "GET /datamodel.json",
                    ErrorType::AccountNotFound,
                    Status::Skip,
                ),
            ],
            findings: crate::report::finding_records::fixtures::two(),
            baseline: None,
            sarif_location: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_print_as_before_and_sort_errors_then_sets_then_successes() {
        let error = |t| column_of(&[Outcome::Error(t)]);
        assert_eq!(error(ErrorType::RouteError).to_string(), "ROUTE_ERROR");
        assert_eq!(column_of(&[Outcome::Success]).to_string(), "2xx");
        assert_eq!(column_of(&[Outcome::EmptySuccess]), Column::Success);
        assert_eq!(column_of(&[Outcome::Redirect]), Column::OutcomeSet);
        let set = column_of(&[Outcome::Error(ErrorType::RouteError), Outcome::Success]);
        assert_eq!(set.to_string(), "outcome set");
        let mut columns =
            [Column::Success, set, error(ErrorType::InternalServerError), error(ErrorType::AccountNotFound)];
        columns.sort();
        assert_eq!(
            columns,
            [error(ErrorType::AccountNotFound), error(ErrorType::InternalServerError), set, Column::Success]
        );
    }

    #[test]
    fn a_case_failed_on_shoulds_alone_names_its_should_as_the_broken_rule() {
        let mut strict = fixtures::case("m/x", Family::Methods, "e", ErrorType::RouteError, Status::NonStrict);
        strict.status = Status::Fail;
        let (rule, message) = strict.first_broken().expect("a broken rule");
        assert_eq!(rule, "SHOULD see link");
        assert!(message.contains("does not end in"), "{message}");
        let failed = fixtures::case("m/y", Family::Methods, "e", ErrorType::RouteError, Status::Fail);
        assert_eq!(failed.first_broken().map(|(r, _)| r), Some("§6.1 error body".to_string()));
        let passed = fixtures::case("m/z", Family::Methods, "e", ErrorType::RouteError, Status::Pass);
        assert!(passed.first_broken().is_none());
    }
}
