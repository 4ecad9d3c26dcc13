//! A Markdown summary short enough for a PR comment: totals, per-family table, the first failures.

use super::record::{RunRecord, Status};
use std::fmt::Write;

/// Failures listed in full; the rest are counted (a PR comment has a size limit).
const LISTED_FAILURES: usize = 25;

/// Escapes text for a Markdown table cell or inline code-free line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ").replace('<', "&lt;").replace('>', "&gt;")
}

/// The Markdown summary of a run.
pub fn render(run: &RunRecord) -> String {
    let totals = run.totals();
    let meta = &run.meta;
    let mut out = String::new();
    let icon = match (run.failed(), totals.non_strict) {
        (false, 0) => "✅",
        (false, _) => "⚠️",
        _ => "❌",
    };
    let inconclusive =
        if totals.inconclusive > 0 { format!(", {} inconclusive", totals.inconclusive) } else { String::new() };
    let non_strict = if totals.non_strict > 0 { format!(", {} non-strict", totals.non_strict) } else { String::new() };
    let left = match &run.left_behind {
        Some(l) => format!(", objects LEFT BEHIND ({})", l.objects.len()),
        None => String::new(),
    };
    let interrupted = if run.meta.interrupted.is_some() { ", interrupted" } else { "" };
    let _ = writeln!(
        out,
        "## {icon} journey-conformance: {} passed, {} failed, {} skipped{inconclusive}{non_strict}{left}{interrupted}\n",
        totals.passed, totals.failed, totals.skipped
    );
    let _ = writeln!(
        out,
        "Target `{}`{} · profile `{}` · object type `{}` · seed {} · {:.2}s\n",
        meta.target,
        if meta.embedded { " (embedded reference)" } else { "" },
        meta.profile,
        meta.object_type,
        meta.seed.map_or("—".to_string(), |s| s.to_string()),
        meta.duration.as_secs_f64()
    );
    out.push_str(&super::left::markdown(run.left_behind.as_ref(), run.meta.interrupted.as_deref(), cell));
    out.push_str(&super::finding_records::markdown(&run.findings, cell));
    if let Some(baseline) = &run.baseline {
        out.push_str(&baseline.markdown(&run.findings, cell));
    }
    out.push_str(
        "| family | passed | failed | skipped | inconclusive | non-strict |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for (family, c) in run.by_family() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            family.as_str(),
            c.passed,
            c.failed,
            c.skipped,
            c.inconclusive,
            c.non_strict
        );
    }
    if !run.steps.is_empty() {
        let c = run.session_counts();
        let _ = writeln!(
            out,
            "| session | {} | {} | {} | {} | {} |",
            c.passed, c.failed, c.skipped, c.inconclusive, c.non_strict
        );
    }
    let _ = writeln!(
        out,
        "| **total** | **{}** | **{}** | **{}** | **{}** | **{}** |",
        totals.passed, totals.failed, totals.skipped, totals.inconclusive, totals.non_strict
    );
    let failures: Vec<_> = run.cases.iter().filter(|c| c.needs_attention()).collect();
    if !failures.is_empty() {
        out.push_str("\n### Failures\n\n| case | expected | observed | broken rule |\n|---|---|---|---|\n");
        for case in failures.iter().take(LISTED_FAILURES) {
            let rule = case.first_broken().map(|(r, m)| format!("[{r}] {m}")).unwrap_or_default();
            let observed = if case.status == Status::Inconclusive {
                format!("inconclusive: {}", case.observed_text())
            } else {
                case.observed_text()
            };
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                case.id,
                cell(&case.expected_text()),
                cell(&observed),
                cell(&rule)
            );
        }
        if failures.len() > LISTED_FAILURES {
            let _ = writeln!(
                out,
                "\n…and {} more failures (see the HTML or NDJSON report).",
                failures.len() - LISTED_FAILURES
            );
        }
        out.push_str("\n<details><summary>Repro of the first failure</summary>\n\n```sh\n");
        let _ = writeln!(out, "{}", failures[0].curl);
        out.push_str("```\n\n</details>\n");
    }
    steps_section(run, &mut out);
    non_strict_section(run, &mut out);
    out
}

/// The session's own steps that found something (set-up and teardown answers), each with its first finding.
fn steps_section(run: &RunRecord, out: &mut String) {
    if run.steps.is_empty() {
        return;
    }
    out.push_str("\n### Session steps (answers to the suite's own set-up and teardown requests)\n\n");
    out.push_str("| step | verdict | finding |\n|---|---|---|\n");
    for step in &run.steps {
        let finding = step.findings.first().map(|(level, rule, msg)| format!("[{level} {rule}] {msg}")).unwrap_or_default();
        let _ = writeln!(out, "| `{}` | {} | {} |", step.id, step.status.as_str(), cell(&finding));
    }
}

/// The non-strict cases apart from the failures: each with its first SHOULD finding.
fn non_strict_section(run: &RunRecord, out: &mut String) {
    let cases: Vec<_> = run.cases.iter().filter(|c| c.status == Status::NonStrict).collect();
    if cases.is_empty() {
        return;
    }
    out.push_str("\n### Non-strict (SHOULD findings; failures under `--profile strict`)\n\n");
    out.push_str("| case | observed | SHOULD finding |\n|---|---|---|\n");
    for case in cases.iter().take(LISTED_FAILURES) {
        let finding = case.should.first().map(|(r, m)| format!("[{r}] {m}")).unwrap_or_default();
        let _ = writeln!(out, "| `{}` | {} | {} |", case.id, cell(&case.observed_text()), cell(&finding));
    }
    if cases.len() > LISTED_FAILURES {
        let _ = writeln!(out, "\n…and {} more non-strict cases.", cases.len() - LISTED_FAILURES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::fixtures;

    #[test]
    fn summary_counts_and_lists_the_failure() {
        let md = render(&fixtures::run());
        assert!(md.starts_with("## ❌ journey-conformance: 1 passed, 1 failed, 1 skipped"), "{md}");
        assert!(md.contains("| methods | 1 | 1 | 0 | 0 | 0 |") && md.contains("| accounts | 0 | 0 | 1 |"), "{md}");
        assert!(md.contains("`methods/wrong-method/DELETE-x`") && md.contains("&lt;/failure&gt;"), "{md}");
        let mut all_pass = fixtures::run();
        all_pass.cases.retain(|c| c.status != Status::Fail);
        let md = render(&all_pass);
        assert!(md.starts_with("## ✅") && !md.contains("### Failures"), "{md}");
    }

    #[test]
    fn an_inconclusive_case_is_never_counted_as_passed() {
        let mut run = fixtures::run();
        run.cases.retain(|c| c.status == Status::Pass);
        run.cases.push(fixtures::case(
            "rate-limit/x",
            crate::declare::case::Family::Methods,
            "e",
            crate::declare::error_type::ErrorType::RouteError,
            Status::Inconclusive,
        ));
        let md = render(&run);
        assert!(md.starts_with("## ❌") && md.contains("1 inconclusive"), "{md}");
        assert!(
            md.contains(
                "| family | passed | failed | skipped | inconclusive | non-strict |\n|---|---:|---:|---:|---:|---:|\n"
            ),
            "{md}"
        );
        assert!(md.contains("| methods | 1 | 0 | 0 | 1 | 0 |\n"), "{md}");
        assert!(md.contains("| **total** | **1** | **0** | **0** | **1** | **0** |\n"), "{md}");
        assert!(md.contains("`rate-limit/x`") && md.contains("inconclusive:"), "{md}");
        let xml = super::super::junit::render(&run).unwrap_or_default();
        let doc = roxmltree::Document::parse(&xml).expect("JUnit parses");
        let error = doc.descendants().find(|n| n.has_tag_name("error")).expect("an inconclusive case is a JUnit error");
        assert_eq!(error.attribute("type"), Some("inconclusive"));
        assert!(doc.descendants().all(|n| !n.has_tag_name("failure")));
    }

    #[test]
    fn non_strict_cases_are_counted_and_listed_apart_never_as_passes_or_failures() {
        let mut run = fixtures::run();
        run.cases.retain(|c| c.status == Status::Pass);
        run.cases.push(fixtures::case(
            "methods/x/see",
            crate::declare::case::Family::Methods,
            "e",
            crate::declare::error_type::ErrorType::RouteError,
            Status::NonStrict,
        ));
        let md = render(&run);
        assert!(md.starts_with("## ⚠️ journey-conformance: 1 passed, 0 failed, 0 skipped, 1 non-strict"), "{md}");
        assert!(md.contains("| methods | 1 | 0 | 0 | 0 | 1 |\n"), "{md}");
        assert!(!md.contains("### Failures"), "{md}");
        assert!(md.contains("### Non-strict") && md.contains("`methods/x/see`") && md.contains("[see link]"), "{md}");
    }
}
