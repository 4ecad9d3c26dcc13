//! `JOURNEY_API_READ_ONLY=1` writes nothing: every case that could write is skipped (never passed),
//! no fixture is created, and the target's data is exactly as before the run.

use journey_conformance::config::Settings;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use serde_json::Value;
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_mode_skips_every_write_and_changes_nothing() {
    let config = journey_reference::Config::demo();
    let account = config.accounts[0].clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(journey_reference::serve(listener, config));
    let env: HashMap<&str, String> = HashMap::from([
        ("JOURNEY_API_URL", journey_reference::base_url(addr, &account.id)),
        ("JOURNEY_API_USER", account.id.clone()),
        ("JOURNEY_API_PASSWORD", account.password.clone()),
        ("JOURNEY_API_READ_ONLY", "1".into()),
    ]);
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
    let session = Session::start(settings).await.expect("setup");
    let run = Run::new(session);
    let results = run.all().await;
    run.session.teardown().await.expect("teardown");

    let mut ran = 0;
    for case in &run.cases {
        let result = &results[&case.id];
        if case.writes() {
            assert!(result.skipped.is_some(), "{} ran in read-only mode", case.id);
        } else if result.skipped.is_none() {
            ran += 1;
            assert!(result.ok(), "{} failed: {:?}", case.id, result.verdict.violations());
        }
    }
    assert!(ran > 150, "only {ran} read-only cases ran");
    let read_only_skips =
        results.values().filter(|r| r.skipped.as_deref().is_some_and(|s| s.contains("JOURNEY_API_READ_ONLY"))).count();
    assert!(read_only_skips > 1000, "only {read_only_skips} cases name read-only mode as their skip reason");

    for object_type in ["task", "category"] {
        let path = format!("{}/objects/{object_type}.json", run.session.ctx.base());
        let resp =
            run.session.client.send(&run.session.wire(&CaseRequest::new("GET", path.clone()))).await.expect("list");
        let list: Value = serde_json::from_slice(&resp.body).expect("JSON");
        assert_eq!(list["objects"].as_array().map(Vec::len), Some(0), "{path}: read-only run created {list}");
    }
}
