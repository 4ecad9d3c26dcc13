//! A rate limit that only a case's steps meet proves nothing about the case: a target that answers a
//! well-formed 429 to every read-back of an object, to every fresh object's creation, or to every long
//! page (marker searches, oplog pages) leaves the cases that needed them inconclusive (naming the step),
//! never failed, and every other case judged as usual.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use journey_conformance::oracle::{Reason, Status};
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_testkit::faults::target::FaultyTarget;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Which requests the target limits.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Limits {
    /// A GET of one object that exists (what every read-back is).
    ObjectReads,
    /// Every create but the first (the session's fixture): what every fresh object is.
    Creations,
    /// A GET of a full page (`limit=1000`): what marker searches and later oplog pages ask for.
    LongPages,
}

fn too_many() -> Response {
    let body = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests","detail":"Slow down.","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    resp.headers_mut().insert(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json"));
    resp
}

/// The segments below `/api/v4/{account}/`.
fn below_account(path: &str) -> Vec<&str> {
    path.split('/').skip(4).collect()
}

async fn target(limits: Limits) -> FaultyTarget {
    let config = journey_reference::Config::demo();
    let accounts = config.accounts.clone();
    let creates = Arc::new(AtomicUsize::new(0));
    let app = journey_reference::router(config).layer(middleware::from_fn(move |req: Request<Body>, next: Next| {
        let creates = Arc::clone(&creates);
        async move {
            let segments = below_account(req.uri().path());
            let object = matches!(segments.as_slice(), ["objects", _, id] if id.ends_with(".json"));
            let collection =
                matches!(segments.as_slice(), ["objects", t] if t.ends_with(".json") && !t.contains("query"));
            match limits {
                Limits::Creations if req.method() == Method::POST && collection => {
                    if creates.fetch_add(1, Ordering::Relaxed) > 0 {
                        // Read the body first, as a front's lingering close does: answering a large
                        // upload early and closing would make the client's write fail (a broken pipe).
                        let _ = axum::body::to_bytes(req.into_body(), usize::MAX).await;
                        return too_many();
                    }
                    next.run(req).await
                }
                Limits::LongPages
                    if req.method() == Method::GET && req.uri().query().is_some_and(|q| q.contains("limit=1000")) =>
                {
                    too_many()
                }
                Limits::ObjectReads if req.method() == Method::GET && object => {
                    let resp = next.run(req).await;
                    if resp.status().is_success() {
                        too_many()
                    } else {
                        resp
                    }
                }
                _ => next.run(req).await,
            }
        }
    }));
    FaultyTarget::serve(app, &accounts, None).await.expect("bind loopback")
}

/// Runs every case against the target; returns the results (the target is dropped after teardown).
async fn run_against(limits: Limits) -> Vec<(String, Status, Option<Reason>, String)> {
    let target = target(limits).await;
    // No waiting on 429s and no breaker: every limited step answers at once, and the run goes on.
    let extra = [("JOURNEY_API_429_RETRIES", "0"), ("JOURNEY_API_MAX_TRANSPORT_FAILURES", "0")];
    let session = Session::start(target.settings(&extra).expect("settings")).await.expect("set-up starts");
    let run = Run::new(session);
    let results = run.all().await;
    let _ = run.session.teardown().await;
    results
        .iter()
        .map(|(id, r)| (id.clone(), r.status(), r.inconclusive().cloned(), format!("{:?}", r.verdict.violations())))
        .collect()
}

fn check(limits: Limits, results: &[(String, Status, Option<Reason>, String)], step_word: &str) {
    let failed: Vec<String> =
        results.iter().filter(|(_, s, _, _)| *s == Status::Fail).map(|(id, _, _, v)| format!("{id}: {v}")).collect();
    assert!(failed.is_empty(), "{limits:?}: {} cases failed on a rate limit:\n{}", failed.len(), failed.join("\n"));
    let by_step: Vec<&(String, Status, Option<Reason>, String)> = results
        .iter()
        .filter(|(_, s, why, _)| {
            *s == Status::Inconclusive
                && why.as_ref().is_some_and(|w| {
                    matches!(w, Reason::Step { step, .. } if step.contains(step_word))
                        && *w.root() == Reason::RateLimited { retries: 0 }
                })
        })
        .collect();
    assert!(by_step.len() >= 20, "{limits:?}: only {} cases were inconclusive by a limited step", by_step.len());
    let passed = results.iter().filter(|(_, s, _, _)| *s == Status::Pass).count();
    assert!(passed > 1000, "{limits:?}: the rest is judged as usual, yet only {passed} passed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limited_read_backs_leave_their_cases_inconclusive_never_failed() {
    let results = run_against(Limits::ObjectReads).await;
    check(Limits::ObjectReads, &results, "GET ");
    let unchanged = results.iter().find(|(id, ..)| id == "side-effects/failed-write/PATCH-unknown-field");
    if let Some((id, status, why, _)) = unchanged {
        assert_eq!(*status, Status::Inconclusive, "{id}: {why:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limited_fresh_objects_leave_their_cases_inconclusive_never_failed() {
    let results = run_against(Limits::Creations).await;
    check(Limits::Creations, &results, "(fresh object)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limited_marker_searches_and_oplog_pages_leave_their_cases_inconclusive_never_failed() {
    let results = run_against(Limits::LongPages).await;
    check(Limits::LongPages, &results, "limit=1000");
}
