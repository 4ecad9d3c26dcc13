//! The suite must fail against targets that break the contract. Each test wraps the reference in one
//! deliberate deviation from `journey_testkit::faults` (the same catalogue the mutation score uses), runs the relevant cases through the real client and
//! oracle over loopback, and asserts that the matching cases fail for the matching rule — and that the
//! unmodified reference, reached through `JOURNEY_API_URL` like any foreign target, fails nothing.

use journey_conformance::declare::case::Case;
use journey_conformance::oracle::{Rule, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::run::session::Session;
use journey_testkit::faults::{self, target::FaultyTarget};
use std::collections::BTreeMap;

/// The fault of this name from the library's catalogue (`None` = the clean reference).
fn fault(name: &str) -> Option<&'static faults::Fault> {
    match name {
        "clean" => None,
        _ => Some(faults::find(name).unwrap_or_else(|| panic!("no fault named {name}"))),
    }
}

/// Runs the cases whose ID starts with one of `prefixes` against the faulty target.
async fn run(fault_name: &str, profile: &str, prefixes: &[&str]) -> (Vec<Case>, BTreeMap<String, CaseResult>) {
    let target =
        FaultyTarget::start(fault(fault_name), journey_reference::Config::demo()).await.expect("bind loopback");
    let settings = target.settings(&[("JOURNEY_API_PROFILE", profile)]).expect("valid settings");
    let session = Session::start(settings).await.expect("setup against the faulty reference");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    assert!(!run.cases.is_empty(), "no case matches {prefixes:?}");
    let results = run.all().await;
    (run.cases.clone(), results)
}

/// IDs of failed cases whose violations include `rule`.
fn failed_for(results: &BTreeMap<String, CaseResult>, rule: Rule) -> Vec<String> {
    results
        .iter()
        .filter(|(_, r)| r.verdict.violations().iter().any(|v| v.rule == rule))
        .map(|(id, _)| id.clone())
        .collect()
}

fn assert_caught(results: &BTreeMap<String, CaseResult>, rule: Rule, must_fail: &[&str]) {
    let failed = failed_for(results, rule);
    for id in must_fail {
        assert!(failed.iter().any(|f| f == id), "{id} did not fail for {rule}; failures for it: {failed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_reference_through_its_url_fails_nothing() {
    let (cases, results) = run("clean", "strict", &[""]).await;
    let failures: Vec<_> =
        results.iter().filter(|(_, r)| !r.ok()).map(|(id, r)| format!("{id}: {:?}", r.verdict.violations())).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    // Only the opt-in rate-limit family is skipped (it bursts past a limit on purpose), and the token control,
    // which has no token when the run signs in with a password (tests/token_scheme.rs runs it by token).
    let skipped: Vec<&String> = results.iter().filter(|(_, r)| r.skipped.is_some()).map(|(id, _)| id).collect();
    assert!(
        skipped.iter().all(|id| id.starts_with("rate-limit/") || *id == "clients/auth/token-scheme"),
        "the second account is configured: nothing else may be skipped: {skipped:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_405_for_wrong_methods_is_caught() {
    let (_, results) = run("status-405", "documented", &["methods/"]).await;
    let ids = ["methods/wrong-method/DELETE-objects-collection", "methods/non-route/GET-unknown-path"];
    assert_caught(&results, Rule::ErrorBody, &ids);
    assert_caught(&results, Rule::Expected, &ids);
    assert!(results["methods/control/GET-datamodel"].ok(), "a control must still pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_see_is_caught() {
    let (_, results) = run("missing-see", "documented", &["ids/unknown/", "auth/none/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/unknown/GET-random-v4", "auth/none/datamodel"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_content_type_is_caught() {
    let (_, results) = run("text-plain-errors", "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::ContentType, &["ids/unknown/GET-random-v4", "ids/unknown/DELETE-nil-uuid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_for_bad_input_is_caught() {
    let (_, results) = run("500-on-bad-request", "documented", &["malformed-json/syntax/create/"]).await;
    assert_caught(
        &results,
        Rule::ClientInput,
        &["malformed-json/syntax/create/nan", "malformed-json/syntax/create/trailing-garbage"],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_trace_and_an_echoed_credential_are_caught() {
    let (_, results) = run("stack-trace-in-detail", "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::NoLeaks, &["ids/unknown/GET-random-v4"]);
    let (_, results) = run("echo-authorization", "documented", &["accounts/", "ids/unknown/"]).await;
    let echoed = ["ids/unknown/GET-random-v4", "accounts/unknown-account/datamodel"];
    assert_caught(&results, Rule::EchoedCredential, &echoed);
    // SECURITY: it fails the documented run, not only the strict one.
    assert!(echoed.iter().all(|id| results[*id].status() == journey_conformance::oracle::Status::Fail));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_error_page_and_a_status_type_mismatch_are_caught() {
    let (_, results) = run("html-404", "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/unknown/GET-random-v4"]);
    let (_, results) = run("status-type-mismatch", "documented", &["ids/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/malformed/GET-uppercase-existing", "ids/unknown/PATCH-max-uuid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_text_401_is_non_strict_documented_and_fails_strict() {
    let (_, documented) = run("plain-text-401", "documented", &["auth/wrong-password/"]).await;
    // Every case is accepted; those answered with the plain text (HEAD has no body) are non-strict.
    let statuses: Vec<Status> = documented.values().map(CaseResult::status).collect();
    assert!(
        statuses.iter().all(|s| matches!(s, Status::NonStrict | Status::Pass)),
        "documented profile must accept the plain-text 401, as a SHOULD finding only: {statuses:?}"
    );
    for id in ["auth/wrong-password/datamodel", "auth/wrong-password/batch"] {
        assert_eq!(documented[id].status(), Status::NonStrict, "{id}");
    }
    assert!(documented.values().all(|r| r.verdict.violations().iter().all(|v| v.rule == Rule::Plain401)));
    let (_, strict) = run("plain-text-401", "strict", &["auth/wrong-password/"]).await;
    assert_caught(&strict, Rule::Plain401, &["auth/wrong-password/datamodel", "auth/wrong-password/batch"]);
    assert!(strict.values().all(|r| r.status() != Status::NonStrict), "strict leaves nothing non-strict");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_see_link_without_its_type_fragment_is_caught_only_by_the_should_check_as_non_strict() {
    let (_, documented) = run("see-without-type-fragment", "documented", &["ids/unknown/", "methods/"]).await;
    let non_strict: Vec<&String> =
        documented.iter().filter(|(_, r)| r.status() == Status::NonStrict).map(|(id, _)| id).collect();
    assert!(non_strict.len() > 10, "only {} non-strict cases", non_strict.len());
    assert!(documented.values().all(|r| !r.status().fails_run()), "nothing fails under the documented profile");
    assert!(documented.values().all(|r| r.verdict.violations().iter().all(|v| v.rule == Rule::SeeLink)));
    assert_caught(&documented, Rule::SeeLink, &["ids/unknown/GET-random-v4"]);
    let (_, strict) = run("see-without-type-fragment", "strict", &["ids/unknown/"]).await;
    assert_eq!(strict["ids/unknown/GET-random-v4"].status(), Status::Fail, "strict fails the SHOULD");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_family_dominated_by_one_unexpected_answer_is_warned_about_once() {
    let (cases, results) = run("403-foreign-account", "documented", &["accounts/", "ids/unknown/"]).await;
    let warnings = journey_conformance::report::warnings::warnings(&cases, &results);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("accounts cases") && warnings[0].contains("403"), "{warnings:?}");
    let (cases, results) = run("clean", "documented", &["accounts/", "ids/unknown/"]).await;
    assert!(journey_conformance::report::warnings::warnings(&cases, &results).is_empty());
    // A right status with a wrong body is a contract failure, not a misconfiguration: no warning.
    let (cases, results) = run("plain-text-401", "strict", &["auth/wrong-password/"]).await;
    assert!(results.values().any(|r| !r.ok()));
    assert!(journey_conformance::report::warnings::warnings(&cases, &results).is_empty());
}
