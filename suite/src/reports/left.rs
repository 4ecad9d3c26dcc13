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
    pub fn of(session: &crate::session::Session) -> Option<LeftBehind> {
        let outcome = session.torn_down().filter(|t| !t.clean())?;
        let secrets = session.every_secret();
        let clean = |s: &str| crate::report::redact(s, &secrets);
        Some(LeftBehind {
            headline: clean(&outcome.headline()),
            objects: outcome
                .left
                .iter()
                .map(|l| {
                    let account = if l.account == crate::session::Account::Second { " (second account)" } else { "" };
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
