//! The SECURITY level: an echoed credential (in any encoding), a request that succeeds without valid
//! credentials, and another account's data on a read path fail the run under the default `documented`
//! profile, each named SECURITY; a banner or a stack trace stays SHOULD.

use journey_conformance::oracle::{findings, Level, Rule, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::run::session::Session;
use journey_testkit::faults::{self, target::FaultyTarget};
use std::collections::BTreeMap;

/// Every case under `prefixes`, documented, against the reference behind the fault named `name`.
async fn run(name: &str, prefixes: &[&str]) -> BTreeMap<String, CaseResult> {
    let fault = faults::find(name).unwrap_or_else(|| panic!("no fault named {name}"));
    let target = FaultyTarget::start(Some(fault), journey_reference::Config::demo()).await.expect("bind loopback");
    let settings = target.settings(&[("JOURNEY_API_PROFILE", "documented")]).expect("settings");
    let session = Session::start(settings).await.expect("set-up");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let _ = run.session.teardown().await;
    results
}

/// The cases that failed on `rule`, which each must carry at the SECURITY level.
fn failed_on(results: &BTreeMap<String, CaseResult>, rule: Rule) -> Vec<&String> {
    let failed: Vec<&String> = results
        .iter()
        .filter(|(_, r)| r.verdict.violations().iter().any(|v| v.rule == rule))
        .map(|(id, r)| {
            assert_eq!(r.status(), Status::Fail, "{id}: SECURITY fails the documented run: {:?}", r.verdict);
            assert!(r.verdict.violations().iter().filter(|v| v.rule == rule).all(|v| v.level() == Level::Security));
            assert!(r.verdict.at(Level::Must).any(|v| v.label().starts_with("SECURITY ")), "{id}");
            id
        })
        .collect();
    assert!(!failed.is_empty(), "no case failed on {rule}");
    failed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_echoed_json_escaped_and_url_encoded_fails_the_default_run() {
    let results = run("echo-password-escaped", &["ids/unknown/", "auth/wrong-password/"]).await;
    let failed = failed_on(&results, Rule::EchoedCredential);
    assert!(failed.iter().any(|id| id.starts_with("ids/unknown/")), "{failed:?}");
    let messages: Vec<&String> = results
        .values()
        .flat_map(|r| r.verdict.violations())
        .filter(|v| v.rule == Rule::EchoedCredential)
        .map(|v| &v.message)
        .collect();
    assert!(messages.iter().any(|m| m.contains("(JSON-escaped)")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("(URL-encoded)")), "{messages:?}");
    let grouped = findings::group(
        results.iter().map(|(id, r)| (id.as_str(), journey_conformance::declare::case::Family::Ids, &r.verdict)),
    );
    assert_eq!(grouped[0].level, Level::Security, "SECURITY findings come first: {grouped:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn success_without_valid_credentials_is_security() {
    let results = run("password-prefix-compare", &["auth/"]).await;
    let failed = failed_on(&results, Rule::Access);
    assert!(failed.iter().all(|id| id.starts_with("auth/")), "{failed:?}");
    let results = run("foreign-account-access", &["accounts/", "side-effects/isolation/"]).await;
    failed_on(&results, Rule::Access);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_accounts_object_on_a_read_path_is_security_and_a_banner_stays_should() {
    let results = run("list-leaks-foreign", &["accounts/isolation/"]).await;
    failed_on(&results, Rule::Isolation);
    let results = run("x-powered-by", &["ids/unknown/"]).await;
    assert!(results.values().all(|r| r.status() == Status::NonStrict), "a banner alone is non-strict");
}
