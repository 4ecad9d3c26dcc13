//! Findings as every output shows them: redacted records built once from the oracle's grouping, the
//! terminal block printed before the family table, the Markdown table, and the NDJSON `finding` lines.

use crate::declare::case::Case;
use crate::oracle::findings::Finding;
use crate::report::terminal;
use crate::run::session::Session;
use serde_json::{json, Value};
use std::fmt::Write;

/// Families a target-level finding names before it counts the rest (a full run has a dozen).
const SHOWN_FAMILIES: usize = 4;

/// One finding, ready to print: redacted like every other record.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRecord {
    pub id: String,
    /// `SECURITY`, `MUST` or `SHOULD`.
    pub level: &'static str,
    /// The rules it was found under, as reports name them.
    pub rules: Vec<String>,
    /// The cause in one line.
    pub summary: String,
    /// The first case's own message.
    pub example: String,
    pub count: usize,
    /// The first few case IDs; the first is the one `replay` and `--confirm` send.
    pub cases: Vec<String>,
    /// "every response carries …" with the families it covers, for a target-level finding.
    pub target_level: Option<String>,
    /// `reproduced` or `flaky` under `--confirm`.
    pub reproduction: Option<&'static str>,
    /// The first case's `curl`, credentials named by variable.
    pub repro: String,
    /// The clause it breaks: the first case's own for an outcome rule, else its first rule's (SARIF's rule).
    pub clause: Option<&'static crate::declare::spec::Clause>,
}

/// The records of `findings`, each redacted with its first case's secrets.
pub fn records(session: &Session, cases: &[Case], findings: &[Finding]) -> Vec<FindingRecord> {
    findings
        .iter()
        .map(|f| {
            let case = cases.iter().find(|c| c.id == f.first_case());
            let secrets = case.map(|c| session.secrets(&c.request)).unwrap_or_else(|| session.primary.secrets());
            let clean = |s: &str| crate::redact::redact(s, &secrets);
            let target_level = f.is_target_level().then(|| {
                let mut families: Vec<String> = f
                    .target_level
                    .iter()
                    .take(SHOWN_FAMILIES)
                    .map(|(family, n, of)| format!("{} {n}/{of}", family.as_str()))
                    .collect();
                if let Some(more) = f.target_level.len().checked_sub(SHOWN_FAMILIES).filter(|n| *n > 0) {
                    families.push(format!("+{more} more families"));
                }
                format!("{} ({})", clean(&f.cause.everywhere()), families.join(", "))
            });
            FindingRecord {
                id: f.id.clone(),
                level: f.level.as_str(),
                rules: f.rules.iter().map(ToString::to_string).collect(),
                summary: clean(&f.summary()),
                example: clean(&f.example),
                count: f.count,
                cases: f.cases.clone(),
                target_level,
                reproduction: f.reproduction.map(|r| r.as_str()),
                repro: case.map(|c| terminal::curl(session, c)).unwrap_or_default(),
                clause: clause_of(f, case),
            }
        })
        .collect()
}

/// The clause a finding breaks: an outcome rule's is its first case's own, any other rule's is fixed.
fn clause_of(f: &Finding, case: Option<&Case>) -> Option<&'static crate::declare::spec::Clause> {
    let outcome = |r: &&crate::oracle::Rule| r.clause().is_none();
    match (f.rules.iter().find(outcome), case) {
        (Some(_), Some(case)) => Some(case.spec),
        _ => f.rules.iter().find_map(|r| r.clause()),
    }
}

/// The cases a finding lists, with how many more there are.
fn case_list(f: &FindingRecord) -> String {
    let more = f.count.saturating_sub(f.cases.len());
    let tail = if more > 0 { format!(" (+{more} more)") } else { String::new() };
    format!("{}{tail}", f.cases.join(", "))
}

/// The terminal block: one paragraph per finding, target-level ones saying so; empty without findings.
pub fn text(findings: &[FindingRecord]) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = format!("FINDINGS: {} (by cause, most severe first)\n", findings.len());
    for f in findings {
        let cases = if f.count == 1 { "case" } else { "cases" };
        let rules = f.rules.join(", ");
        let _ = writeln!(out, "{} {:<6} {} · {} {cases} · [{rules}]", f.id, f.level, f.summary, f.count);
        if let Some(target) = &f.target_level {
            let _ = writeln!(out, "  TARGET-LEVEL: {target}");
        }
        let _ = writeln!(out, "  e.g.:   {}", f.example);
        let _ = writeln!(out, "  cases:  {}", case_list(f));
        if let Some(r) = f.reproduction {
            let _ = writeln!(out, "  --confirm: {r}");
        }
        let _ = writeln!(out, "  replay: journey-conformance replay {}", f.id);
        let _ = writeln!(out, "  repro:  {}", f.repro);
    }
    out
}

/// The Markdown table at the top of the summary; empty without findings.
pub fn markdown(findings: &[FindingRecord], cell: impl Fn(&str) -> String) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = String::from("### Findings\n\n");
    out.push_str("| finding | level | cause | cases | first case | target-level | confirm |\n");
    out.push_str("|---|---|---|---:|---|---|---|\n");
    for f in findings {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | `{}` | {} | {} |",
            f.id,
            f.level,
            cell(&f.summary),
            f.count,
            f.cases.first().map(String::as_str).unwrap_or_default(),
            f.target_level.as_deref().map_or("—".to_string(), &cell),
            f.reproduction.unwrap_or("—")
        );
    }
    out.push('\n');
    out
}

/// One NDJSON `finding` record.
pub fn json(f: &FindingRecord) -> Value {
    json!({
        "record": "finding",
        "id": f.id,
        "level": f.level,
        "rules": f.rules,
        "cause": f.summary,
        "example": f.example,
        "count": f.count,
        "cases": f.cases,
        "target_level": f.target_level,
        "reproduction": f.reproduction,
        "curl": f.repro,
    })
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Two findings (a target-level SHOULD and a MUST) for the writers' tests.
    use super::FindingRecord;

    /// A MUST finding and a target-level SHOULD one, in severity order.
    pub fn two() -> Vec<FindingRecord> {
        let one = |id: &str, level, summary: &str, target: Option<&str>| FindingRecord {
            id: id.into(),
            level,
            rules: vec!["expected outcome".into()],
            summary: summary.into(),
            example: format!("{summary} <e.g.>"),
            count: 7,
            cases: vec!["methods/wrong-method/DELETE-x".into()],
            target_level: target.map(Into::into),
            reproduction: Some("reproduced"),
            repro: "curl -sS 'http://127.0.0.1:1/x'".into(),
            clause: Some(if level == "MUST" { crate::declare::spec::ROUTE_ERROR } else { crate::declare::spec::rules::NO_LEAKS }),
        };
        vec![
            one("F-0000abcd", "MUST", "expected 404 ROUTE_ERROR, got 405 <b>", None),
            one("F-1234ffff", "SHOULD", "header server: \"x/1\"", Some("every response carries header server")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_block_names_each_finding_once_with_its_replay_and_target_level() {
        let shown = text(&fixtures::two());
        assert!(shown.starts_with("FINDINGS: 2 "), "{shown}");
        assert_eq!(shown.matches("journey-conformance replay F-").count(), 2, "{shown}");
        assert_eq!(shown.matches("TARGET-LEVEL: every response carries").count(), 1, "{shown}");
        assert!(shown.contains("F-0000abcd MUST") && shown.contains("--confirm: reproduced"), "{shown}");
        assert!(text(&[]).is_empty());
    }

    #[test]
    fn markdown_and_ndjson_carry_every_finding() {
        let md = markdown(&fixtures::two(), |s| s.replace('<', "&lt;"));
        assert_eq!(md.lines().filter(|l| l.starts_with("| `F-")).count(), 2, "{md}");
        assert!(md.contains("&lt;b>") && !md.contains("<b>"), "cells are escaped: {md}");
        let line = json(&fixtures::two()[1]);
        assert_eq!((line["record"].as_str(), line["count"].as_u64()), (Some("finding"), Some(7)));
        assert!(line["target_level"].as_str().is_some_and(|t| t.starts_with("every response")));
    }
}
