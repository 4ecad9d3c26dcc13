//! A baseline of accepted findings: `--write-baseline FILE` records a run's findings (ID, level, cause,
//! first case) in a small JSON file a reviewer can read; `--baseline FILE` (or `JOURNEY_API_BASELINE`)
//! then reports those as known, fails only on findings not in it, and names the ones that no longer
//! occur as fixed, so the file can be pruned. A finding's ID is its cause, so it is the same in every run.

use super::finding_records::FindingRecord;
use crate::declare::case::Family;
use crate::oracle::findings::{group, Finding};
use crate::oracle::{Level, Profile, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

/// The format's version, written into every file so a later format can tell an old file apart.
const FORMAT: u32 = 1;

/// One accepted finding, as written to the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `F-` + 8 hex digits: what is compared.
    pub id: String,
    /// `MUST` or `SHOULD` when it was recorded (for the reader; not compared).
    pub level: String,
    /// The cause in one line (for the reader; not compared).
    pub cause: String,
    /// The case `replay` sends for it; a run that does not select it cannot tell whether it was fixed.
    pub first_case: String,
}

/// The file: a format number and the accepted findings, sorted by ID so a change reads as a small diff.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(rename = "journey-conformance-baseline")]
    pub format: u32,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// The baseline accepting every finding of a run.
    pub fn of(findings: &[FindingRecord]) -> Baseline {
        let mut entries: Vec<Entry> = findings
            .iter()
            .map(|f| Entry {
                id: f.id.clone(),
                level: f.level.to_string(),
                cause: f.summary.clone(),
                first_case: f.cases.first().cloned().unwrap_or_default(),
            })
            .collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Baseline { format: FORMAT, findings: entries }
    }

    /// The file's text: pretty JSON, one key per line, ending in a newline.
    pub fn to_text(&self) -> String {
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Parses a baseline file's text; the error is one line.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| format!("not a baseline file: {e}"))?;
        if baseline.format != FORMAT {
            return Err(format!("baseline format {} is not {FORMAT}; write it again with --write-baseline", baseline.format));
        }
        if let Some(bad) = baseline.findings.iter().find(|e| !crate::oracle::findings::is_finding_id(&e.id)) {
            return Err(format!("`{}` is not a finding ID (F- and 8 hex digits)", bad.id));
        }
        Ok(baseline)
    }

    /// Reads and parses `path`; the error names the file.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("baseline {}: {e}", path.display()))?;
        Baseline::parse(&text).map_err(|e| format!("baseline {}: {e}", path.display()))
    }

    /// Whether the baseline accepts the finding with this ID.
    pub fn accepts(&self, id: &str) -> bool {
        self.findings.iter().any(|e| e.id == id)
    }

    /// Writes the file, creating its directory.
    pub fn write(&self, path: &Path) -> Result<(), String> {
        let cannot = |e: std::io::Error| format!("cannot write baseline {}: {e}", path.display());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(cannot)?;
        }
        std::fs::write(path, self.to_text()).map_err(cannot)
    }

    /// This run's findings against the baseline. `ran` says whether a case was judged in this run: an
    /// entry whose first case was not selected, skipped or inconclusive is neither seen nor fixed.
    pub fn compare(&self, findings: &[FindingRecord], ran: impl Fn(&str) -> bool) -> Comparison {
        let accepted: BTreeSet<&str> = self.findings.iter().map(|e| e.id.as_str()).collect();
        let seen: BTreeSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        let (known, new) = findings.iter().map(|f| f.id.clone()).partition(|id| accepted.contains(id.as_str()));
        let fixed = self.findings.iter().filter(|e| !seen.contains(e.id.as_str()) && ran(&e.first_case)).cloned().collect();
        Comparison { known, new, fixed }
    }
}

/// What a run found, measured against a baseline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// IDs found again (accepted: they fail nothing), in the run's finding order.
    pub known: Vec<String>,
    /// IDs not in the baseline: the only ones that fail the run.
    pub new: Vec<String>,
    /// Baselined findings that did not occur although their first case ran: remove them from the file.
    pub fixed: Vec<Entry>,
}

impl Comparison {
    /// Whether the finding with this ID is accepted by the baseline.
    pub fn is_known(&self, id: &str) -> bool {
        self.known.iter().any(|k| k == id)
    }

    /// The terminal block: counts, then each new and each fixed finding on its own line.
    pub fn text(&self, findings: &[FindingRecord]) -> String {
        let mut out = format!(
            "BASELINE: {} known, {} new, {} fixed\n",
            self.known.len(),
            self.new.len(),
            self.fixed.len()
        );
        for f in findings.iter().filter(|f| !self.is_known(&f.id)) {
            let _ = writeln!(out, "  NEW   {} {:<6} {} · first case {}", f.id, f.level, f.summary, first(f));
        }
        for e in &self.fixed {
            let _ = writeln!(out, "  FIXED {} {:<6} {} · no longer seen: remove it from the baseline", e.id, e.level, e.cause);
        }
        out
    }

    /// The Markdown section of the summary; `cell` escapes a table cell.
    pub fn markdown(&self, findings: &[FindingRecord], cell: impl Fn(&str) -> String) -> String {
        let mut out = format!(
            "### Baseline\n\n{} known, **{} new**, {} fixed\n\n",
            self.known.len(),
            self.new.len(),
            self.fixed.len()
        );
        if self.new.is_empty() && self.fixed.is_empty() {
            return out;
        }
        out.push_str("| finding | state | level | cause | first case |\n|---|---|---|---|---|\n");
        for f in findings.iter().filter(|f| !self.is_known(&f.id)) {
            let _ = writeln!(out, "| `{}` | new | {} | {} | `{}` |", f.id, f.level, cell(&f.summary), first(f));
        }
        for e in &self.fixed {
            let _ = writeln!(out, "| `{}` | fixed | {} | {} | `{}` |", e.id, e.level, cell(&e.cause), e.first_case);
        }
        out.push('\n');
        out
    }
}

/// Whether a failed case fails only through accepted findings, so it fails nothing: every finding of
/// its own that fails a case under `profile` (any but a SHOULD, or any under `strict`) is `accepted`. An
/// inconclusive case has no finding and is never excused.
pub fn excused(case: &str, family: Family, verdict: &Verdict, profile: Profile, accepted: impl Fn(&str) -> bool) -> bool {
    if verdict.inconclusive().is_some() {
        return false;
    }
    let fails = |f: &&Finding| f.level != Level::Should || profile == Profile::Strict;
    let own = group([(case, family, verdict)]);
    let mut failing = own.iter().filter(fails).peekable();
    failing.peek().is_some() && failing.all(|f| accepted(&f.id))
}

fn first(f: &FindingRecord) -> &str {
    f.cases.first().map(String::as_str).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::finding_records::fixtures;

    #[test]
    fn a_written_baseline_reads_back_sorted_and_bad_files_are_one_line_errors() {
        let findings = fixtures::two();
        let baseline = Baseline::of(&findings);
        let text = baseline.to_text();
        assert_eq!(Baseline::parse(&text), Ok(baseline.clone()));
        assert!(text.find("F-0000abcd") < text.find("F-1234ffff") && text.contains("\"first_case\""), "{text}");
        for bad in ["", "{}", r#"{"journey-conformance-baseline":2,"findings":[]}"#,
            r#"{"journey-conformance-baseline":1,"findings":[{"id":"x","level":"","cause":"","first_case":""}]}"#]
        {
            let e = Baseline::parse(bad).unwrap_err();
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn known_new_and_fixed_are_told_apart_and_an_unselected_case_is_never_fixed() {
        let findings = fixtures::two();
        let mut baseline = Baseline::of(&findings[..1]);
        baseline.findings.push(Entry {
            id: "F-99999999".into(),
            level: "MUST".into(),
            cause: "gone".into(),
            first_case: "ids/gone".into(),
        });
        let c = baseline.compare(&findings, |_| true);
        assert_eq!((c.known.as_slice(), c.new.as_slice()), (&["F-0000abcd".to_string()][..], &["F-1234ffff".to_string()][..]));
        assert_eq!(c.fixed.len(), 1);
        let text = c.text(&findings);
        assert!(text.starts_with("BASELINE: 1 known, 1 new, 1 fixed\n"), "{text}");
        assert!(text.contains("NEW   F-1234ffff") && text.contains("FIXED F-99999999") && !text.contains("NEW   F-0000abcd"), "{text}");
        assert!(c.markdown(&findings, str::to_string).contains("| `F-99999999` | fixed |"));
        assert!(baseline.compare(&findings, |case| case != "ids/gone").fixed.is_empty());
    }

    #[test]
    fn a_failed_case_is_excused_only_when_each_of_its_failing_findings_is_known() {
        use crate::oracle::{Cause, Rule, Violation};
        let status = Cause::Status { expected: "404 ROUTE_ERROR".into(), got: "405".into() };
        let only_must = Verdict::broken(Rule::Expected, "expected 404 ROUTE_ERROR, got 405".into(), status);
        let id_of = |v: &Verdict| group([("m/x", Family::Methods, v)])[0].id.clone();
        let id = id_of(&only_must);
        let known = |f: &str| f == id;
        assert!(excused("m/x", Family::Methods, &only_must, Profile::Documented, known));
        assert!(!excused("m/x", Family::Methods, &only_must, Profile::Documented, |_| false));
        // A new SHOULD beside a known MUST fails nothing under the documented profile, and fails under strict.
        let both = only_must.clone().and([Violation::caused(Rule::SeeLink, "see without #TYPE".into(), Cause::Check("see without #TYPE"))]);
        assert!(excused("m/x", Family::Methods, &both, Profile::Documented, known));
        assert!(!excused("m/x", Family::Methods, &both, Profile::Strict, known));
    }
}
