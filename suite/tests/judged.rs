//! Every answer goes to the oracle: the 429s the client retried and the session's own set-up,
//! read-back, marker-search and cleanup answers are judged like a case's, and their findings land on
//! the case that saw them or on a `session/…` pseudo-case. Each fault here changes nothing a case's
//! own final answer shows, so only these judgements can kill it.

use journey_conformance::oracle::{Cause, Rule, Status, Violation};
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::{collecting, Session, Step};
use journey_testkit::faults::{self, target::FaultyTarget};

/// A run of the cases under `prefixes` against the reference behind `fault` (`None`: clean).
async fn start(fault: Option<&str>, profile: &str, prefixes: &[&str]) -> (FaultyTarget, Run) {
    let fault = fault.map(|n| faults::find(n).unwrap_or_else(|| panic!("no fault named {n}")));
    let target = FaultyTarget::start(fault, journey_reference::Config::demo()).await.expect("bind loopback");
    let settings = target.settings(&[("JOURNEY_API_PROFILE", profile)]).expect("valid settings");
    let session = Session::start(settings).await.expect("setup against the reference");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    (target, run)
}

const RETRIED: &str = "a 429 retried before the answer";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_plain_429_that_the_retry_gets_past_is_still_a_failure() {
    let (_target, run) = start(Some("rate-limit-text-plain"), "documented", &["methods/control/", "auth/"]).await;
    let results = run.all().await;
    let control = &results["methods/control/GET-datamodel"];
    assert_eq!((control.status(), control.verdict.observed.status), (Status::Fail, 200), "the retry passed");
    let failed: Vec<_> = results.iter().filter(|(_, r)| !r.ok()).collect();
    assert!(failed.len() > 3, "only {} cases failed", failed.len());
    for (id, r) in &failed {
        // Killed by the judged 429 alone: every finding is on a retried 429, none on the final answer.
        assert!(r.verdict.violations().iter().all(|v| v.message.contains(RETRIED)), "{id}: {:?}", r.verdict);
        assert!(r.verdict.violations().iter().any(|v| v.rule == Rule::ErrorBody), "{id}");
    }
    // The session's own first request met it too: a finding of the set-up pseudo-case, not of any case.
    let steps = run.session.step_verdicts();
    let setup = steps.iter().find(|(id, _)| id == "session/setup/datamodel").expect("set-up judged");
    assert_eq!(setup.1.status(), Status::Fail, "{:?}", setup.1);
    assert!(setup.1.violations().iter().all(|v| v.message.contains("(data model): ") && v.message.contains(RETRIED)));
    let _ = run.session.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_see_fragment_naming_another_type_is_non_strict_documented_and_fails_strict() {
    let (_target, documented) = start(Some("wrong-see-fragment"), "documented", &["ids/unknown/"]).await;
    let results = documented.all().await;
    assert!(results.values().all(|r| r.status() == Status::NonStrict), "every error answer is non-strict");
    let names_other = |v: &Violation| v.rule == Rule::SeeLink && v.message.contains("names the documented type");
    assert!(results.values().all(|r| r.verdict.violations().iter().all(names_other)));
    let _ = documented.session.teardown().await;
    let (_target, strict) = start(Some("wrong-see-fragment"), "strict", &["ids/unknown/GET-"]).await;
    let results = strict.all().await;
    assert!(results.values().all(|r| r.status() == Status::Fail), "strict fails the SHOULD");
    let _ = strict.session.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_land_on_the_running_case_else_on_the_steps_pseudo_case() {
    let (_target, run) = start(None, "documented", &["methods/control/"]).await;
    let session = &run.session;
    let finding = |m: &str| vec![Violation::caused(Rule::ErrorBody, m.into(), Cause::Check("test"))];
    let ((), in_case) = collecting(async { session.seen(Step::FreshObject, finding("in a case")) }).await;
    assert_eq!(in_case.len(), 1, "the running case gets it");
    assert!(
        session.step_verdicts().is_empty(),
        "a clean set-up finds nothing, and the case's finding is not the session's"
    );
    session.seen(Step::Cleanup, finding("outside"));
    let steps = session.step_verdicts();
    assert_eq!(
        steps.iter().map(|(id, v)| (id.as_str(), v.status())).collect::<Vec<_>>(),
        [("session/teardown/delete", Status::Fail)]
    );
    // A flood of findings stays bounded.
    for _ in 0..100 {
        session.seen(Step::Cleanup, finding("again"));
    }
    assert!(session.step_verdicts()[0].1.violations().len() <= 16);
    // The clean reference's own answers, set-up and teardown included, find nothing.
    let (_target, clean) = start(None, "strict", &["side-effects/", "values/"]).await;
    let results = clean.all().await;
    assert!(results.values().all(|r| r.ok()), "a clean run stays clean");
    let _ = clean.session.teardown().await;
    assert!(clean.session.step_verdicts().is_empty(), "{:?}", clean.session.step_verdicts());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_prints_a_failed_set_up_step_and_exits_1() {
    let fault = faults::find("rate-limit-text-plain");
    let target = FaultyTarget::start(fault, journey_reference::Config::demo()).await.expect("bind loopback");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_journey-conformance"));
    let dir = std::env::temp_dir().join(format!("jc-judged-{}", std::process::id()));
    let reports = ["--report", "junit,ndjson", "--report-dir", dir.to_str().expect("utf-8 temp dir")];
    cmd.args(["--case", "ids/unknown/GET-*"]).args(reports).env("CI", "true");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("JOURNEY_")) {
        cmd.env_remove(k);
    }
    cmd.envs(&target.env);
    let out = tokio::task::spawn_blocking(move || cmd.output()).await.expect("joined").expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL session/setup/datamodel") && stdout.contains(RETRIED), "{stdout}");
    assert!(!stdout.contains("FAIL ids/"), "the cases' own answers were fine: {stdout}");
    let password = &target.env["JOURNEY_API_PASSWORD"];
    assert!(!stdout.contains(password.as_str()), "no secret in the output");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).expect("junit written");
    let doc = roxmltree::Document::parse(&junit).expect("JUnit parses");
    let step = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("session/setup/datamodel"))
        .expect("the set-up step is a testcase");
    assert!(step.children().any(|n| n.has_tag_name("failure")), "{junit}");
    let ndjson = std::fs::read_to_string(dir.join("cases.ndjson")).expect("ndjson written");
    let line = ndjson.lines().find(|l| l.contains("session/setup/datamodel")).expect("the step's line");
    assert!(line.contains("\"verdict\":\"fail\"") && !ndjson.contains(password.as_str()), "{line}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leak_only_marker_searches_see_is_a_finding_of_the_case_and_of_teardowns_sweep() {
    let (_target, run) = start(Some("slow-query-header"), "documented", &["batch/ill-formed/"]).await;
    let results = run.all().await;
    let marked: Vec<_> = results.iter().filter(|(_, r)| r.status() == Status::NonStrict).collect();
    assert!(!marked.is_empty(), "no case saw the marker search's leak");
    for (id, r) in &marked {
        let from_step = |v: &Violation| v.rule == Rule::NoLeaks && v.message.contains("(marker search): ");
        assert!(r.verdict.violations().iter().all(from_step), "{id}: {:?}", r.verdict);
    }
    assert!(results.values().all(|r| !r.status().fails_run()), "a SHOULD only: nothing fails");
    run.session.teardown().await.expect("teardown");
    let steps = run.session.step_verdicts();
    let sweep = steps.iter().find(|(id, _)| id == "session/teardown/marker-sweep").expect("the sweep judged");
    assert_eq!(sweep.1.status(), Status::NonStrict, "{:?}", sweep.1);
    let (_target, strict) = start(Some("slow-query-header"), "strict", &["batch/ill-formed/"]).await;
    let results = strict.all().await;
    assert!(results.values().any(|r| r.status() == Status::Fail), "strict fails the SHOULD");
    let _ = strict.session.teardown().await;
}
