//! The read-back checks of the values, filenames, batch and side-effects families can fail: against a
//! reference variant with one write bug, the family meant to notice it fails the expected cases, for
//! the expected rule — while the status alone would have passed where the bug is silent.

use journey_conformance::oracle::Rule;
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::run::session::Session;
use journey_testkit::faults::{find, target::FaultyTarget};
use std::collections::BTreeMap;

/// Runs the cases under `prefix` against the reference behind the named fault.
async fn run(fault: &str, prefix: &str) -> BTreeMap<String, CaseResult> {
    let fault = find(fault).unwrap_or_else(|| panic!("no fault named {fault}"));
    let target =
        FaultyTarget::start(Some(fault), journey_reference::Config::demo()).await.expect("start the faulty target");
    let session = Session::start(target.settings(&[]).expect("settings")).await.expect("setup");
    let mut run = Run::new(session);
    run.retain(|c| c.id.starts_with(prefix));
    let results = run.all().await;
    let _ = run.session.teardown().await;
    results
}

fn assert_fails_for(results: &BTreeMap<String, CaseResult>, id: &str, rule: Rule) {
    let result = results.get(id).unwrap_or_else(|| panic!("no case {id}"));
    assert!(
        result.verdict.violations().iter().any(|v| v.rule == rule),
        "{id} should fail for {rule}, got {:?}",
        result.verdict.violations()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accepted_bad_filename_fails_the_filename_cases() {
    let results = run("bad-filename-accepted", "filenames/").await;
    for id in ["filenames/control-soh", "filenames/tab", "filenames/uppercase-extension", "filenames/fullwidth-letter"]
    {
        assert_fails_for(&results, id, Rule::Expected);
    }
    assert!(results["filenames/all-allowed-characters"].ok(), "a valid name must still pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_applied_patch_fails_the_unchanged_read_back() {
    let results = run("half-applied-patch", "values/").await;
    // The status is still the documented 422: only reading the object back shows the damage.
    let case = &results["values/integer/fraction/patch"];
    assert_eq!(case.verdict.observed.error_type.as_deref(), Some("INVALID_VALUE"));
    assert_fails_for(&results, "values/integer/fraction/patch", Rule::SideEffect);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ignored_stop_on_error_fails_the_abort_case() {
    let results = run("batch-stop-on-error-ignored", "batch/").await;
    assert_fails_for(&results, "batch/stop-on-error/aborts-the-rest", Rule::SideEffect);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_write_bugs_fail_their_read_backs() {
    let results = run("failed-create-leaves-object", "values/text/").await;
    assert_fails_for(&results, "values/text/number/create", Rule::SideEffect);
    let results = run("ill-formed-batch-half-applied", "batch/ill-formed/").await;
    assert_fails_for(&results, "batch/ill-formed/unknown-method", Rule::SideEffect);
    let results = run("stale-read-after-delete", "side-effects/").await;
    assert_fails_for(&results, "side-effects/after-delete/GET-not-found", Rule::SideEffect);
}
