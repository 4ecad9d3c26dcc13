//! What a run leaves the reader to act on apart from its cases: the objects teardown could not delete
//! (with the command that deletes them later) and an interrupt. Every report says both: a JUnit testcase
//! of the `session` suite, an NDJSON record, a section of the Markdown and HTML.

use maud::{html, Markup};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus};
use serde_json::{json, Value};
use std::fmt::Write;

/// The pseudo-case ID under which left-behind objects are reported.
pub const LEFT_BEHIND_ID: &str = "session/teardown/left-behind";
/// The pseudo-case ID under which an interrupt is reported.
pub const INTERRUPTED_ID: &str = "session/interrupted";

/// Objects a teardown could not delete, redacted when built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftBehind {
    /// One line: how many were deleted and how many were not.
    pub headline: String,
    /// `type id (account): why`, one per object.
    pub objects: Vec<String>,
    /// Searches for the run's objects that failed (there may be more objects than listed).
    pub problems: Vec<String>,
    /// The command that deletes them later, when the target outlives the run.
    pub command: Option<String>,
}

impl LeftBehind {
    /// What `session`'s teardown left, if it ran and left something.
    pub fn of(session: &crate::run::session::Session) -> Option<LeftBehind> {
        let outcome = session.torn_down().filter(|t| !t.clean())?;
        let secrets = session.every_secret();
        let clean = |s: &str| crate::redact::redact(s, &secrets);
        Some(LeftBehind {
            headline: clean(&outcome.headline()),
            objects: outcome
                .left
                .iter()
                .map(|l| {
                    let account = if l.account == crate::run::session::Account::Second { " (second account)" } else { "" };
                    clean(&format!("{} {}{account}: {}", l.object_type, l.id, l.why))
                })
                .collect(),
            problems: outcome.problems.iter().map(|p| clean(p)).collect(),
            command: outcome.cleanup.as_deref().map(clean),
        })
    }

    /// The whole story as text, one object per line.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.headline);
        for line in self.objects.iter().chain(&self.problems) {
            let _ = writeln!(out, "  {line}");
        }
        if let Some(command) = &self.command {
            let _ = writeln!(out, "  delete them later: {command}");
        }
        out
    }
}

/// The Markdown section of what is left behind and of an interrupt.
pub fn markdown(left: Option<&LeftBehind>, interrupted: Option<&str>, cell: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    if let Some(why) = interrupted {
        let _ = writeln!(out, "**Interrupted:** {}\n", cell(why));
    }
    if let Some(left) = left {
        let _ = writeln!(out, "### ❌ Left behind in the target\n\n{}\n", cell(&left.headline));
        for line in left.objects.iter().chain(&left.problems) {
            let _ = writeln!(out, "- `{}`", line.replace('`', "'"));
        }
        if let Some(command) = &left.command {
            let _ = writeln!(out, "\nDelete them later:\n\n```sh\n{command}\n```");
        }
        out.push('\n');
    }
    out
}

/// The HTML section of what is left behind and of an interrupt.
pub fn html(left: Option<&LeftBehind>, interrupted: Option<&str>) -> Markup {
    html! {
        @if let Some(why) = interrupted {
            p class="verdict bad" id="interrupted" { "Interrupted: " (why) }
        }
        @if let Some(left) = left {
            h2 { "Left behind in the target" }
            div id="left-behind" {
                p class="verdict bad" { (left.headline) }
                ul {
                    @for line in left.objects.iter().chain(&left.problems) { li { code { (line) } } }
                }
                @if let Some(command) = &left.command {
                    p { "Delete them later:" }
                    pre { (command) }
                }
            }
        }
    }
}

/// JUnit testcases of the `session` suite: left-behind objects as a failure, an interrupt as an error.
pub fn junit_cases(left: Option<&LeftBehind>, interrupted: Option<&str>) -> Vec<TestCase> {
    let mut out = Vec::new();
    if let Some(left) = left {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(left.headline.clone());
        status.set_type("left-behind");
        status.set_description(left.text());
        let mut test = TestCase::new(LEFT_BEHIND_ID, status);
        test.set_classname("journey-conformance.session");
        out.push(test);
    }
    if let Some(why) = interrupted {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(why.to_string());
        status.set_type("interrupted");
        let mut test = TestCase::new(INTERRUPTED_ID, status);
        test.set_classname("journey-conformance.session");
        out.push(test);
    }
    out
}

/// NDJSON records: `{"record":"left-behind",…}` and `{"record":"interrupted",…}`.
pub fn json_lines(left: Option<&LeftBehind>, interrupted: Option<&str>) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(left) = left {
        out.push(json!({
            "record": "left-behind",
            "id": LEFT_BEHIND_ID,
            "headline": left.headline,
            "objects": left.objects,
            "problems": left.problems,
            "command": left.command,
        }));
    }
    if let Some(why) = interrupted {
        out.push(json!({"record": "interrupted", "id": INTERRUPTED_ID, "message": why}));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::{fixtures, Status};
    use crate::report::session_steps::StepRecord;
    use crate::report::files::ReportKind;

    /// The fixture run, all cases passed, with a failed teardown step, two objects left and an interrupt.
    fn run() -> crate::report::record::RunRecord {
        let mut run = fixtures::run();
        run.cases.retain(|c| c.status == Status::Pass);
        run.findings.clear();
        run.steps.push(StepRecord {
            id: "session/teardown/delete".into(),
            status: Status::Fail,
            findings: vec![("MUST", "§6.1 error body".into(), "DELETE /x (cleanup): body is not JSON".into())],
            failure: "FAIL session/teardown/delete".into(),
        });
        run.left_behind = Some(LeftBehind {
            headline: "LEFT BEHIND: teardown deleted 3 objects but could not delete 2".into(),
            objects: vec!["task 11111111-aaaa: answered 503".into(), "task 22222222-bbbb (second account): answered 503".into()],
            problems: Vec::new(),
            command: Some("journey-conformance cleanup --run-id 0123abcd4567 --target http://127.0.0.1:1/api/v4/acct".into()),
        });
        run.meta.interrupted = Some("SIGINT/SIGTERM after 1 of 3 cases".into());
        run
    }

    #[test]
    fn every_report_tells_the_failed_step_the_objects_left_and_the_interrupt() {
        let run = run();
        let totals = run.totals();
        assert_eq!((totals.passed, totals.failed), (1, 1), "the failed step counts in the totals");
        assert!(run.failed(), "a run that left objects failed");
        let md = ReportKind::Markdown.render(&run).expect("md");
        assert!(md.starts_with("## ❌ journey-conformance: 1 passed, 1 failed, 0 skipped, objects LEFT BEHIND (2), interrupted"), "{md}");
        assert!(md.contains("| session | 0 | 1 | 0 | 0 | 0 |") && md.contains("| **total** | **1** | **1** |"), "{md}");
        assert!(md.contains("`session/teardown/delete` | fail | [MUST §6.1 error body]"), "{md}");
        assert!(md.contains("- `task 22222222-bbbb (second account): answered 503`"), "{md}");
        assert!(md.contains("```sh\njourney-conformance cleanup --run-id 0123abcd4567"), "{md}");
        assert!(md.contains("**Interrupted:** SIGINT/SIGTERM after 1 of 3 cases"), "{md}");

        let html = ReportKind::Html.render(&run).expect("html");
        assert!(html.contains("class=\"verdict bad\" id=\"verdict\""), "never green");
        assert!(html.contains("1 passed · 1 failed · 0 skipped · objects LEFT BEHIND (2)"), "the verdict line");
        assert!(html.contains("<ul id=\"steps\">") && html.contains("<code>session/teardown/delete</code> fail"));
        assert!(html.contains("<div id=\"left-behind\">") && html.contains("<code>task 11111111-aaaa: answered 503</code>"));
        assert!(html.contains("<pre>journey-conformance cleanup --run-id 0123abcd4567"), "the command");
        assert!(html.contains("id=\"interrupted\">Interrupted: SIGINT/SIGTERM"), "{html}");

        let xml = ReportKind::Junit.render(&run).expect("junit");
        let doc = roxmltree::Document::parse(&xml).expect("JUnit parses");
        let case = |name: &str| doc.descendants().find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some(name));
        let left = case(LEFT_BEHIND_ID).expect("a left-behind testcase");
        let failure = left.children().find(|n| n.has_tag_name("failure")).expect("a failure");
        assert!(failure.text().unwrap_or_default().contains("22222222-bbbb"), "{xml}");
        let interrupted = case(INTERRUPTED_ID).expect("an interrupted testcase");
        assert!(interrupted.children().any(|n| n.has_tag_name("error")), "{xml}");
        assert!(case("session/teardown/delete").is_some_and(|c| c.children().any(|n| n.has_tag_name("failure"))));

        let ndjson = ReportKind::Ndjson.render(&run).expect("ndjson");
        let lines: Vec<serde_json::Value> = ndjson.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        let record = |kind: &str| lines.iter().find(|l| l["record"] == kind).cloned().unwrap_or_default();
        assert_eq!(record("left-behind")["objects"][1], "task 22222222-bbbb (second account): answered 503");
        assert!(record("left-behind")["command"].as_str().is_some_and(|c| c.contains("--run-id 0123abcd4567")));
        assert_eq!(record("interrupted")["message"], "SIGINT/SIGTERM after 1 of 3 cases");
        assert!(lines.iter().any(|l| l["id"] == "session/teardown/delete" && l["verdict"] == "fail"));
    }

    #[test]
    fn a_clean_run_says_nothing_of_either() {
        let mut run = run();
        run.left_behind = None;
        run.meta.interrupted = None;
        run.steps.clear();
        assert!(!run.failed());
        for kind in ReportKind::ALL {
            let text = kind.render(&run).expect("render");
            let said = ["LEFT BEHIND", "id=\"left-behind\"", "\"left-behind\"", "left-behind\"", "nterrupted:"];
            assert!(said.iter().all(|s| !text.contains(s)), "{text}");
        }
        assert!(ReportKind::Markdown.render(&run).expect("md").starts_with("## ✅"));
    }
}
