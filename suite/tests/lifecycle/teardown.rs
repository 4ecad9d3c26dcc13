//! Teardown on its own budget, in-process: it deletes past an open circuit breaker, waits out a
//! gateway's 503 + `Retry-After`, and against a target gone for good it ends within its budget, listing
//! every object it could not delete, which `cleanup_run` deletes once the target answers again.

use super::Target;
use journey_conformance::config::Settings;
use journey_conformance::run::session::{Account, Session};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn settings(target: &Target, extra: &[(&str, &str)]) -> Settings {
    let mut env = target.env.clone();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings")
}

/// Starts a session and makes `n` fresh objects marked with its run; returns it and their IDs with the fixture's.
async fn session_with_objects(target: &Target, n: usize, extra: &[(&str, &str)]) -> (Session, BTreeSet<String>) {
    let session = Session::start(settings(target, extra)).await.expect("setup");
    let field = session.ctx.marker_field().expect("the reference's task has a text field").to_string();
    let mut ids = BTreeSet::from([session.ctx.existing_id.clone()]);
    for i in 0..n {
        let mut fields = serde_json::Map::new();
        fields.insert(field.clone(), session.ctx.marker(&format!("lifecycle {i}")).into());
        let (id, _) = session.create_object(&session.ctx.object_type, &fields, false).await.expect("a fresh object");
        ids.insert(id);
    }
    (session, ids)
}

fn ids_in_store(target: &Target) -> BTreeSet<String> {
    target.marked_objects().into_iter().map(|(_, id, _)| id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teardown_deletes_everything_after_the_circuit_breaker_opened() {
    let target = tokio::task::block_in_place(Target::start);
    let (session, ids) = session_with_objects(&target, 5, &[("JOURNEY_API_MAX_TRANSPORT_FAILURES", "1")]).await;
    assert_eq!(tokio::task::block_in_place(|| ids_in_store(&target)), ids);
    // The target stops answering for a moment: one failure opens the run's breaker for good.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
    let req = journey_conformance::send::client::WireRequest {
        method: "GET".into(),
        url: format!("http://{dead}/"),
        headers: Vec::new(),
        body: None,
    };
    let _ = session.client.send(&req).await;
    assert!(session.client.stopped().is_some(), "the breaker is open");
    let outcome = session.teardown_report().await;
    assert!(outcome.clean(), "{}", outcome.story());
    assert_eq!(outcome.deleted, ids.len(), "{}", outcome.story());
    assert!(tokio::task::block_in_place(|| ids_in_store(&target)).is_empty(), "nothing left in the target");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teardown_waits_out_a_gateways_503_with_retry_after() {
    let target = tokio::task::block_in_place(Target::start);
    let (session, ids) = session_with_objects(&target, 3, &[]).await;
    target.switch.delete_503s.store(2, Ordering::SeqCst);
    let started = Instant::now();
    let outcome = session.teardown_report().await;
    let took = started.elapsed();
    assert!(outcome.clean(), "{}", outcome.story());
    assert_eq!(outcome.deleted, ids.len());
    // Two `Retry-After: 1` per object, the objects in parallel and the fixture last: at least 4 s.
    assert!(took >= Duration::from_millis(3900), "Retry-After honoured: took {took:?}");
    let deletes = target.switch.seen().iter().filter(|l| l.starts_with("DELETE ")).count();
    assert_eq!(deletes, 3 * ids.len(), "each object: two 503s, then deleted");
    let steps = session.step_verdicts();
    assert!(steps.iter().all(|(_, v)| !v.status().fails_run()), "a 503 waited out is no finding: {steps:?}");
    assert!(tokio::task::block_in_place(|| ids_in_store(&target)).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_gone_for_good_costs_the_budget_and_cleanup_deletes_the_rest_later() {
    let target = tokio::task::block_in_place(Target::start);
    let extra = [("JOURNEY_API_TEARDOWN_TIMEOUT", "1.5"), ("JOURNEY_API_TIMEOUT", "1")];
    let (session, ids) = session_with_objects(&target, 4, &extra).await;
    target.switch.down.store(true, Ordering::SeqCst);
    let started = Instant::now();
    let outcome = session.teardown_report().await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(8), "bounded by the 1.5 s budget: took {took:?}");
    let left: BTreeSet<String> = outcome.left.iter().map(|l| l.id.clone()).collect();
    assert_eq!(left, ids, "{}", outcome.story());
    assert!(outcome.left.iter().all(|l| l.account == Account::First), "{:?}", outcome.left);
    let fresh = outcome.left.iter().filter(|l| l.id != session.ctx.existing_id);
    assert!(fresh.clone().all(|l| l.why.starts_with("answered 503")), "the last answer is kept: {:?}", outcome.left);
    let story = outcome.story();
    assert!(story.starts_with("LEFT BEHIND: teardown deleted 0 objects but could not delete 5"), "{story}");
    let command = format!("journey-conformance cleanup --run-id {} --target ", session.ctx.run_id);
    assert!(story.contains(&command), "{story}");
    assert!(ids.iter().all(|id| story.contains(id.as_str())), "every ID is listed: {story}");
    assert!(session.teardown().await.is_err(), "the plain teardown says so too");

    // Later, the target answers again: cleanup finds the run's objects by their marker alone.
    target.switch.down.store(false, Ordering::SeqCst);
    let later = Session::bare(settings(&target, &[])).await.expect("a bare session");
    let cleaned = later.cleanup_run(&session.ctx.run_id).await;
    assert!(cleaned.clean(), "{}", cleaned.story());
    assert_eq!(cleaned.deleted, ids.len());
    assert!(tokio::task::block_in_place(|| ids_in_store(&target)).is_empty());
    let writes = target.switch.seen().into_iter().skip_while(|l| !l.contains(".contains%5D=")).collect::<Vec<_>>();
    assert!(writes.iter().all(|l| l.starts_with("GET ") || l.starts_with("DELETE ")), "{writes:?}");
}
