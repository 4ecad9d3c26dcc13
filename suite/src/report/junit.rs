//! JUnit XML, so CI systems show each case as a test: one testsuite per family, one testcase per case,
//! failures carrying the full failure text, skipped cases marked skipped. A non-strict case (only
//! SHOULDs broken) is a passing testcase with a `non-strict` property and its findings in system-out,
//! never a `<failure>`; each suite counts them in a `non-strict` property.

use super::record::{RunRecord, Status};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

/// The JUnit document of a run.
pub fn render(run: &RunRecord) -> Result<String, String> {
    let mut report = Report::new("journey-conformance");
    report.set_time(run.meta.duration);
    if let Ok(ts) = chrono::DateTime::parse_from_rfc3339(&run.meta.started_at) {
        report.set_timestamp(ts);
    }
    for (family, _) in run.by_family() {
        let mut suite = TestSuite::new(family.as_str());
        suite.add_property(Property::new("target", run.meta.target.as_str()));
        suite.add_property(Property::new("profile", run.meta.profile.as_str()));
        if let Some(seed) = run.meta.seed {
            suite.add_property(Property::new("seed", seed.to_string()));
        }
        let non_strict = run.cases.iter().filter(|c| c.family == family && c.status == Status::NonStrict).count();
        suite.add_property(Property::new("non-strict", non_strict.to_string()));
        // Every suite carries the run's findings, so a CI view of any one family shows the causes.
        for f in &run.findings {
            let target = f.target_level.as_deref().map(|t| format!(" · TARGET-LEVEL: {t}")).unwrap_or_default();
            let value = format!("{} · {} · {} cases · first {}{target}", f.level, f.summary, f.count, f.cases[0]);
            suite.add_property(Property::new(format!("finding {}", f.id), value));
        }
        for case in run.cases.iter().filter(|c| c.family == family) {
            let status = match case.status {
                Status::Pass | Status::NonStrict => TestCaseStatus::success(),
                Status::Skip => {
                    let mut s = TestCaseStatus::skipped();
                    s.set_message(case.skip_reason.clone().unwrap_or_default());
                    s
                }
                Status::Inconclusive => {
                    // JUnit's "error": the case could not be judged, which is not a pass.
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                    s.set_message(format!(
                        "inconclusive: expected {}, observed {}",
                        case.expected_text(),
                        case.observed_text()
                    ));
                    s.set_type("inconclusive");
                    s.set_description(case.failure.clone().unwrap_or_default());
                    s
                }
                Status::Fail => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let first = case.first_broken().map(|(rule, msg)| format!("[{rule}] {msg}")).unwrap_or_default();
                    s.set_message(format!(
                        "expected {}, observed {}: {first}",
                        case.expected_text(),
                        case.observed_text()
                    ));
                    s.set_type(case.first_broken().map(|(rule, _)| rule).unwrap_or_default());
                    s.set_description(case.failure.clone().unwrap_or_default());
                    s
                }
            };
            let mut test = TestCase::new(case.id.as_str(), status);
            test.set_classname(format!("journey-conformance.{}", family.as_str()));
            test.set_time(case.elapsed);
            if case.status == Status::NonStrict {
                let findings: Vec<String> =
                    case.should.iter().map(|(rule, msg)| format!("[SHOULD {rule}] {msg}")).collect();
                test.add_property(Property::new("non-strict", findings.len().to_string()));
                test.set_system_out(format!("NON-STRICT {}\n{}", case.id, findings.join("\n")));
            }
            suite.add_test_case(test);
        }
        report.add_test_suite(suite);
    }
    let (left, interrupted) = (run.left_behind.as_ref(), run.meta.interrupted.as_deref());
    if let Some(suite) = super::session_steps::junit_suite(&run.steps, super::left::junit_cases(left, interrupted)) {
        report.add_test_suite(suite);
    }
    report.to_string().map_err(|e| format!("cannot write JUnit XML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::fixtures;

    #[test]
    fn junit_parses_and_carries_each_verdict() {
        let xml = render(&fixtures::run()).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("JUnit does not parse: {e}\n{xml}"));
        let suites: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testsuite")).collect();
        assert_eq!(suites.iter().map(|s| s.attribute("name").unwrap()).collect::<Vec<_>>(), ["methods", "accounts"]);
        let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
        assert_eq!(cases.len(), 3);
        let failed = cases.iter().find(|c| c.attribute("name") == Some("methods/wrong-method/DELETE-x")).unwrap();
        let failure = failed.children().find(|n| n.has_tag_name("failure")).expect("failure element");
        assert!(failure.attribute("message").unwrap().contains("</failure>"), "message text survives escaping");
        let skipped = cases.iter().find(|c| c.attribute("name") == Some("accounts/isolation/x")).unwrap();
        assert!(skipped.children().any(|n| n.has_tag_name("skipped")));
        let passed = cases.iter().find(|c| c.attribute("name") == Some("methods/wrong-method/GET-x")).unwrap();
        assert!(!passed.children().any(|n| n.is_element()), "a pass has no failure/skipped child");
        assert_eq!(suites[0].attribute("failures"), Some("1"));
    }

    #[test]
    fn a_non_strict_case_passes_with_a_property_and_its_findings_never_as_a_failure() {
        let mut run = fixtures::run();
        run.cases.push(fixtures::case(
            "methods/wrong-method/PUT-x",
            crate::declare::case::Family::Methods,
            "e",
            crate::declare::error_type::ErrorType::RouteError,
            Status::NonStrict,
        ));
        let xml = render(&run).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("JUnit does not parse: {e}\n{xml}"));
        let case = doc
            .descendants()
            .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("methods/wrong-method/PUT-x"))
            .expect("the non-strict testcase");
        assert!(!case.children().any(|n| n.has_tag_name("failure") || n.has_tag_name("error")), "{xml}");
        let property = case.descendants().find(|n| n.has_tag_name("property")).expect("a property");
        assert_eq!((property.attribute("name"), property.attribute("value")), (Some("non-strict"), Some("1")));
        let out = case.descendants().find(|n| n.has_tag_name("system-out")).and_then(|n| n.text()).unwrap_or("");
        assert!(out.contains("[SHOULD see link]") && out.contains("<should>"), "{out}");
        let methods = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
        assert_eq!(methods.attribute("failures"), Some("1"), "the non-strict case is no failure");
        let summary = methods.descendants().find(|n| n.attribute("name") == Some("non-strict")).unwrap();
        assert_eq!(summary.attribute("value"), Some("1"));
    }
}
