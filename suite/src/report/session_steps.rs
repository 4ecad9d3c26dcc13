//! The session's own steps in the report files: a `session/setup/…` or `session/teardown/…` pseudo-case
//! whose answers broke a response rule is a JUnit testcase of a `session` suite and an NDJSON line, so
//! a CI run that reads only the files still sees it.

use super::record::Status;
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use serde_json::{json, Value};

/// One session step that found something, redacted when built.
#[derive(Debug, Clone)]
pub struct StepRecord {
    /// Its stable pseudo-case ID.
    pub id: String,
    pub status: Status,
    /// (level, rule, message) of each finding.
    pub findings: Vec<(&'static str, String, String)>,
    /// The story the terminal prints.
    pub failure: String,
}

impl StepRecord {
    /// Every session step of `session` that found something.
    pub fn all_of(session: &crate::run::session::Session) -> Vec<StepRecord> {
        let secrets = session.every_secret();
        session
            .step_verdicts()
            .into_iter()
            .map(|(id, verdict)| StepRecord {
                status: verdict.status(),
                findings: verdict
                    .violations()
                    .iter()
                    .map(|v| {
                        (v.level().as_str(), v.label(), crate::redact::redact(&v.message, &secrets))
                    })
                    .collect(),
                failure: crate::report::terminal::session_step(session, &id, &verdict),
                id,
            })
            .collect()
    }
}

/// The steps as a JUnit suite (`None` when no step found anything and there is nothing `more`): a failing
/// step is a failure, a non-strict one a passing testcase with a `non-strict` property; `more` are the
/// run's other session testcases (left-behind objects, an interrupt).
pub fn junit_suite(steps: &[StepRecord], more: Vec<TestCase>) -> Option<TestSuite> {
    if steps.is_empty() && more.is_empty() {
        return None;
    }
    let mut suite = TestSuite::new("session");
    for step in steps {
        let first = step.findings.first().map(|(_, rule, msg)| format!("[{rule}] {msg}")).unwrap_or_default();
        let status = if step.status.fails_run() {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(first);
            s.set_description(step.failure.clone());
            s
        } else {
            TestCaseStatus::success()
        };
        let mut test = TestCase::new(step.id.as_str(), status);
        test.set_classname("journey-conformance.session");
        if step.status == Status::NonStrict {
            test.add_property(Property::new("non-strict", step.findings.len().to_string()));
            test.set_system_out(step.failure.clone());
        }
        suite.add_test_case(test);
    }
    suite.add_test_cases(more);
    Some(suite)
}

/// One step as an NDJSON line, shaped like a case's where the fields exist.
pub fn json_line(step: &StepRecord) -> Value {
    json!({
        "id": step.id,
        "family": "session",
        "verdict": step.status.as_str(),
        "violations": step.findings.iter().map(|(level, rule, message)| json!({"level": level, "rule": rule, "message": message})).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(status: Status) -> StepRecord {
        let level = if status == Status::Fail { "MUST" } else { "SHOULD" };
        StepRecord {
            id: "session/teardown/delete".into(),
            status,
            findings: vec![(level, "§6.1 error body".into(), "DELETE /x (cleanup): body is not JSON".into())],
            failure: "FAIL session/teardown/delete".into(),
        }
    }

    #[test]
    fn a_failing_step_is_a_junit_failure_and_a_non_strict_one_is_not() {
        assert!(junit_suite(&[], Vec::new()).is_none(), "no steps, no suite");
        let mut report = quick_junit::Report::new("r");
        report.add_test_suite(junit_suite(&[step(Status::Fail)], Vec::new()).expect("a suite"));
        let xml = report.to_string().expect("xml");
        assert!(xml.contains("name=\"session/teardown/delete\"") && xml.contains("<failure"), "{xml}");
        let mut report = quick_junit::Report::new("r");
        report.add_test_suite(junit_suite(&[step(Status::NonStrict)], Vec::new()).expect("a suite"));
        let xml = report.to_string().expect("xml");
        assert!(!xml.contains("<failure") && xml.contains("non-strict"), "{xml}");
        let line = json_line(&step(Status::Fail));
        assert_eq!((line["family"].as_str(), line["verdict"].as_str()), (Some("session"), Some("fail")));
        assert_eq!(line["violations"][0]["level"], "MUST");
    }
}
