//! The leak rule judges what the target wrote, not what its users stored: a deployment that already
//! holds a user's object whose text mentions "SQLite", `/home/…` and `C:\Users\…` shows it on every
//! list, oplog and object read, and a whole run against it finds no leak.

use base64::Engine;
use journey_conformance::declare::expect::Expect;
use journey_conformance::oracle::{self, Profile, RequestFacts, Rule, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_conformance::send::client::{HttpClient, WireRequest};
use journey_testkit::faults::target::FaultyTarget;
use std::time::Duration;

/// The user's own note, as they typed it.
const NOTE: &str = r"Migrated from SQLite 3.41; the old files are in /home/alice/journey/db and C:\Users\bob\Documents";

fn request(method: &str, url: String, auth: &[u8], body: Option<Vec<u8>>) -> WireRequest {
    let mut headers = vec![("authorization".to_string(), auth.to_vec())];
    if body.is_some() {
        headers.push(("content-type".to_string(), b"application/json".to_vec()));
    }
    WireRequest { method: method.into(), url, headers, body: body.map(Into::into) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_stored_text_is_no_leak_anywhere_in_a_run() {
    let config = journey_reference::Config::demo();
    let account = config.accounts[0].clone();
    let target = FaultyTarget::start(None, config).await.expect("bind loopback");
    let base = journey_reference::base_url(target.addr, &account.id);
    let basic = format!("{}:{}", account.id, account.password);
    let auth = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(basic)).into_bytes();
    let client = HttpClient::new(2, Duration::from_secs(10), 1 << 20).expect("client");
    let body = serde_json::json!({"task": {"name": NOTE, "description": NOTE}}).to_string().into_bytes();
    let created = client.send(&request("POST", format!("{base}/objects/task.json"), &auth, Some(body))).await;
    assert!(created.is_ok_and(|r| r.status == 201 || r.status == 200), "the user's object is created");

    // The deployment shows it: a list page carries the note, and the oracle passes that page.
    let list = client.send(&request("GET", format!("{base}/objects/task.json"), &auth, None)).await.expect("list");
    assert!(String::from_utf8_lossy(&list.body).contains("SQLite 3.41"), "the page shows the user's note");
    let facts = RequestFacts { method: "GET", secrets: &[], sent: &[] };
    let judged = oracle::judge(&facts, &Expect::success(), &list, Profile::Strict);
    assert_eq!(judged.status(), Status::Pass, "{:?}", judged.violations());

    // A whole run, strict, finds no leak on any answer: the cases', their steps' or the session's.
    let settings = target.settings(&[("JOURNEY_API_PROFILE", "strict")]).expect("settings");
    let session = Session::start(settings).await.expect("set-up");
    let run = Run::new(session);
    let results = run.all().await;
    let _ = run.session.teardown().await;
    let leaks: Vec<String> = results
        .iter()
        .flat_map(|(id, r)| r.verdict.violations().iter().map(move |v| (id, v)))
        .chain(
            run.session
                .step_verdicts()
                .iter()
                .flat_map(|(id, v)| v.violations().iter().map(|x| (id, x)).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
        )
        .filter(|(_, v)| v.rule == Rule::NoLeaks)
        .map(|(id, v)| format!("{id}: {}", v.message))
        .collect();
    assert!(leaks.is_empty(), "{} leak findings on the user's own data:\n{}", leaks.len(), leaks.join("\n"));
    let failed: Vec<&String> = results.iter().filter(|(_, r)| !r.ok()).map(|(id, _)| id).collect();
    assert!(failed.is_empty(), "the clean reference fails nothing, strict: {failed:?}");
}
