//! `accounts/isolation/oplog` on a log longer than its page bound: the clean reference passes, and a
//! shared log whose other-account entries sit only at its end is caught on the newest page (`tail=true`)
//! the case reads once its bounded forward paging stops.

use journey_conformance::declare::case::CaseRequest;
use journey_conformance::oracle::{Rule, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_testkit::faults::{self, target::FaultyTarget, Fault};

/// Batches of 1000 creates made in the first account first: past the four forward pages of 1000 the case reads.
const BATCHES: usize = 6;

async fn oplog_case(fault: Option<&'static Fault>) -> journey_conformance::run::runner::CaseResult {
    let target = FaultyTarget::start(fault, journey_reference::Config::demo()).await.expect("target starts");
    let session = Session::start(target.settings(&[]).expect("settings")).await.expect("session starts");
    let ops: Vec<_> = (0..1000).map(|_| serde_json::json!({"method": "post", "object": {"type": "task"}})).collect();
    let body = serde_json::json!({ "operations": ops }).to_string();
    for _ in 0..BATCHES {
        let req = CaseRequest::new("POST", format!("{}/batch.json", session.ctx.base())).json(body.clone());
        let answer = session.client.send(&session.wire(&req)).await.expect("the batch is answered");
        assert_eq!(answer.status, 200, "the filling batch failed");
    }
    let mut run = Run::new(session);
    run.retain(|c| c.id == "accounts/isolation/oplog");
    let mut results = run.all().await;
    let _ = run.session.teardown().await;
    results.remove("accounts/isolation/oplog").expect("the case ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_entry_at_the_end_of_a_long_oplog_is_found_on_its_newest_page() {
    let clean = oplog_case(None).await;
    assert_eq!(clean.status(), Status::Pass, "{:?}", clean.verdict.violations());
    let leaky = oplog_case(faults::find("oplog-leaks-foreign")).await;
    let found: Vec<_> = leaky.verdict.violations().iter().filter(|v| v.rule == Rule::Isolation).collect();
    assert_eq!(leaky.status(), Status::Fail, "{:?}", leaky.verdict.violations());
    assert!(found.len() == 1 && found[0].message.contains("tail=true"), "{found:?}");
}
