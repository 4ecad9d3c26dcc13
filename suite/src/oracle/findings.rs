//! Findings: the violations of a run grouped by cause, so one misconfiguration (a banner header on every
//! answer, a gateway's 405 for every unknown route) reads as one finding instead of hundreds of red
//! cases. Grouping is judging, so it lives here: a violation's cause ([`Cause`], which every violation
//! has) is its key. A cause broken under several rules (a status pair that breaks the outcome and §6.1's
//! status/type agreement, a header seen on a follow-up read) is one finding; two causes never are.

use super::{Cause, Level, Rule, Status, Verdict};
use crate::declare::case::Family;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// How many case IDs a finding lists; its count says how many there are.
pub const FIRST_CASES: usize = 5;

/// A family needs this many judged cases before "more than half of them" means anything: with fewer,
/// a single failure would make the target look broken throughout.
const MIN_FAMILY_CASES: usize = 4;

/// Whether a finding's first case, sent once more under `--confirm`, broke the same cause again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reproduction {
    /// The second answer broke it too.
    Reproduced,
    /// The second answer did not: the finding stands (its cases still fail), marked as not reproducible.
    Flaky,
}

impl Reproduction {
    /// The word reports print (RESTler's "reproduced: yes/no").
    pub fn as_str(self) -> &'static str {
        match self {
            Reproduction::Reproduced => "reproduced",
            Reproduction::Flaky => "flaky",
        }
    }
}

/// One cause and every case that broke it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// `F-` and 8 hex digits of the SHA-256 of the cause's key: the same cause gets the same ID in any run.
    pub id: String,
    /// The most severe level of its violations (SECURITY, then MUST, then SHOULD).
    pub level: Level,
    /// Every rule it was found under, in the order first seen.
    pub rules: Vec<Rule>,
    /// What it is about.
    pub cause: Cause,
    /// The first violation's own message (not redacted: reports redact it with the case's secrets).
    pub example: String,
    /// How many cases broke it.
    pub count: usize,
    /// The first [`FIRST_CASES`] of them, in declaration order; the first is the one replayed.
    pub cases: Vec<String>,
    /// Families in which it was seen on more than half of the judged cases: (family, seen, judged).
    pub target_level: Vec<(Family, usize, usize)>,
    /// Set by `--confirm`.
    pub reproduction: Option<Reproduction>,
}

impl Finding {
    /// The case `replay FINDING-ID` and `--confirm` send again.
    pub fn first_case(&self) -> &str {
        &self.cases[0]
    }

    /// What it is, in one line: the cause.
    pub fn summary(&self) -> String {
        self.cause.to_string()
    }

    /// Whether it is reported as a property of the target rather than of some cases.
    pub fn is_target_level(&self) -> bool {
        !self.target_level.is_empty()
    }

    /// Leaks and server errors first within a level: what a reader must fix before anything else.
    fn urgent(&self) -> bool {
        self.rules.iter().any(|r| matches!(r, Rule::NoLeaks | Rule::EchoedCredential)) || self.cause.server_error()
    }
}

/// The grouping key of one violation: its cause.
fn key(cause: &Cause) -> String {
    format!("cause {}", cause.key())
}

/// The finding ID of a key: SHA-256, never `DefaultHasher`, whose output may change between Rust releases.
fn id_of(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("F-{hex}")
}

/// Whether `text` has the shape of a finding ID (case IDs always contain `/`).
pub fn is_finding_id(text: &str) -> bool {
    text.strip_prefix("F-").is_some_and(|h| h.len() == 8 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Groups the violations of failed and non-strict cases (given in declaration order) into findings,
/// ordered by severity: SECURITY, then MUST, then SHOULD, leaks and 5xx first, then by how many cases broke them.
/// Inconclusive cases prove nothing and skipped ones were not judged, so neither adds a finding.
pub fn group<'a>(results: impl IntoIterator<Item = (&'a str, Family, &'a Verdict)>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut seen: Vec<BTreeMap<Family, usize>> = Vec::new();
    let mut judged: BTreeMap<Family, usize> = BTreeMap::new();
    for (case, family, verdict) in results {
        let status = verdict.status();
        if status != Status::Skip {
            *judged.entry(family).or_default() += 1;
        }
        if !matches!(status, Status::Fail | Status::NonStrict) {
            continue;
        }
        let mut counted = Vec::new();
        for v in verdict.violations() {
            let k = key(&v.cause);
            let i = *by_key.entry(k.clone()).or_insert_with(|| {
                findings.push(Finding {
                    id: id_of(&k),
                    level: v.level(),
                    rules: Vec::new(),
                    cause: v.cause.clone(),
                    example: v.message.clone(),
                    count: 0,
                    cases: Vec::new(),
                    target_level: Vec::new(),
                    reproduction: None,
                });
                seen.push(BTreeMap::new());
                findings.len() - 1
            });
            let f = &mut findings[i];
            f.level = f.level.min(v.level());
            if !f.rules.contains(&v.rule) {
                f.rules.push(v.rule);
            }
            // A case counts once per finding, however many of its violations share the cause.
            if !counted.contains(&i) {
                counted.push(i);
                f.count += 1;
                if f.cases.len() < FIRST_CASES {
                    f.cases.push(case.to_string());
                }
                *seen[i].entry(family).or_default() += 1;
            }
        }
    }
    for (f, seen) in findings.iter_mut().zip(&seen) {
        f.target_level = seen
            .iter()
            .map(|(family, n)| (*family, *n, judged.get(family).copied().unwrap_or(0)))
            .filter(|(_, n, of)| *of >= MIN_FAMILY_CASES && n * 2 > *of)
            .collect();
    }
    // A stable sort: among equals, the finding first seen in declaration order comes first.
    findings.sort_by_key(|f| (f.level, !f.urgent(), std::cmp::Reverse(f.count)));
    findings
}

/// `--confirm`: whether the first case's second verdict broke the finding's cause again. A flaky
/// finding keeps its cases' statuses: a second good answer never turns a failure into a pass.
pub fn reconfirm(finding: &Finding, again: &Verdict) -> Reproduction {
    if again.violations().iter().any(|v| id_of(&key(&v.cause)) == finding.id) {
        Reproduction::Reproduced
    } else {
        Reproduction::Flaky
    }
}
