//! The suite must fail against targets that break the contract. Each test wraps the reference in one
//! deliberate deviation (a response rewrite), runs the relevant cases through the real client and
//! oracle over loopback, and asserts that the matching cases fail for the matching rule — and that the
//! unmodified reference, reached through `JOURNEY_API_URL` like any foreign target, fails nothing.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use journey_conformance::case::Case;
use journey_conformance::config::Settings;
use journey_conformance::oracle::Rule;
use journey_conformance::run::Run;
use journey_conformance::runner::CaseResult;
use journey_conformance::session::Session;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// One way a target can get the contract wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// None: the control.
    Clean,
    /// A framework's default 405 for a wrong method.
    Status405,
    /// Error bodies without `see`.
    MissingSee,
    /// JSON error bodies sent as text/plain.
    TextPlain,
    /// Bad requests crash into 500 INTERNAL_SERVER_ERROR.
    ServerErrorOnBadRequest,
    /// A stack trace with a file path in `detail`.
    StackTraceInDetail,
    /// The Authorization header echoed back in a debug header.
    EchoAuthorization,
    /// A proxy's HTML 404 page instead of the JSON error.
    HtmlNotFound,
    /// OBJECT_NOT_FOUND sent with status 400.
    TypeStatusMismatch,
    /// Every 401 is a plain-text body (the documented quirk): passes `documented`, fails `strict`.
    PlainText401,
}

async fn rewrite(fault: Fault, req: Request<Body>, next: Next) -> Response {
    let auth = req.headers().get(header::AUTHORIZATION).cloned();
    let resp = next.run(req).await;
    if fault == Fault::Clean || resp.status().as_u16() < 400 {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let error_type = json.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    let mut out = bytes.to_vec();
    let mut set_json = |json: &Value| out = json.to_string().into_bytes();
    match fault {
        Fault::Clean => {}
        Fault::Status405 if error_type == "ROUTE_ERROR" => parts.status = StatusCode::METHOD_NOT_ALLOWED,
        Fault::MissingSee => {
            if let Some(map) = json.as_object_mut() {
                map.remove("see");
            }
            set_json(&json);
        }
        Fault::TextPlain => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        }
        Fault::ServerErrorOnBadRequest if parts.status == StatusCode::BAD_REQUEST => {
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            json["type"] = "INTERNAL_SERVER_ERROR".into();
            json["see"] = "https://docs.journeyapps.com/api-errors#INTERNAL_SERVER_ERROR".into();
            set_json(&json);
        }
        Fault::StackTraceInDetail => {
            json["detail"] = "Error: boom\n    at handler (/home/app/src/server.js:10:5)".into();
            set_json(&json);
        }
        Fault::EchoAuthorization => {
            if let Some(auth) = auth {
                parts.headers.insert("x-debug-authorization", auth);
            }
        }
        Fault::HtmlNotFound if parts.status == StatusCode::NOT_FOUND => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            out = b"<html><body><h1>404 Not Found</h1></body></html>".to_vec();
        }
        Fault::TypeStatusMismatch if error_type == "OBJECT_NOT_FOUND" => parts.status = StatusCode::BAD_REQUEST,
        Fault::PlainText401 if parts.status == StatusCode::UNAUTHORIZED => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            out = b"HTTP Basic: Access denied.\n".to_vec();
        }
        _ => {}
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

/// Starts the reference behind `fault` on 127.0.0.1 and returns the environment a user would set.
async fn start(fault: Fault) -> HashMap<String, String> {
    let config = journey_reference::Config::demo();
    let accounts = config.accounts.clone();
    let app = journey_reference::router(config).layer(middleware::from_fn(move |req, next| rewrite(fault, req, next)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let mut env = HashMap::new();
    for (account, suffix) in accounts.iter().zip(["", "_2"]) {
        env.insert(format!("JOURNEY_API_URL{suffix}"), journey_reference::base_url(addr, &account.id));
        env.insert(format!("JOURNEY_API_USER{suffix}"), account.id.clone());
        env.insert(format!("JOURNEY_API_PASSWORD{suffix}"), account.password.clone());
    }
    env
}

/// Runs the cases whose ID starts with one of `prefixes` against the faulty target.
async fn run(fault: Fault, profile: &str, prefixes: &[&str]) -> (Vec<Case>, BTreeMap<String, CaseResult>) {
    let mut env = start(fault).await;
    env.insert("JOURNEY_API_PROFILE".into(), profile.into());
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings");
    let session = Session::start(settings).await.expect("setup against the faulty reference");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    assert!(!run.cases.is_empty(), "no case matches {prefixes:?}");
    let results = run.all().await;
    (run.cases.clone(), results)
}

/// IDs of failed cases whose violations include `rule`.
fn failed_for(results: &BTreeMap<String, CaseResult>, rule: Rule) -> Vec<String> {
    results.iter().filter(|(_, r)| r.verdict.violations.iter().any(|v| v.rule == rule)).map(|(id, _)| id.clone()).collect()
}

fn assert_caught(results: &BTreeMap<String, CaseResult>, rule: Rule, must_fail: &[&str]) {
    let failed = failed_for(results, rule);
    for id in must_fail {
        assert!(failed.iter().any(|f| f == id), "{id} did not fail for {rule}; failures for it: {failed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_reference_through_its_url_fails_nothing() {
    let (cases, results) = run(Fault::Clean, "strict", &[""]).await;
    let failures: Vec<_> = results.iter().filter(|(_, r)| !r.ok()).map(|(id, r)| format!("{id}: {:?}", r.verdict.violations)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(results.values().all(|r| r.skipped.is_none()), "the second account is configured: nothing may be skipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_405_for_wrong_methods_is_caught() {
    let (_, results) = run(Fault::Status405, "documented", &["methods/"]).await;
    let ids = ["methods/wrong-method/DELETE-objects-collection", "methods/non-route/GET-unknown-path"];
    assert_caught(&results, Rule::ErrorBody, &ids);
    assert_caught(&results, Rule::Expected, &ids);
    assert!(results["methods/control/GET-datamodel"].ok(), "a control must still pass");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_see_is_caught() {
    let (_, results) = run(Fault::MissingSee, "documented", &["ids/unknown/", "auth/none/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/unknown/GET-random-v4", "auth/none/datamodel"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_content_type_is_caught() {
    let (_, results) = run(Fault::TextPlain, "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::ContentType, &["ids/unknown/GET-random-v4", "ids/unknown/DELETE-nil-uuid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_for_bad_input_is_caught() {
    let (_, results) = run(Fault::ServerErrorOnBadRequest, "documented", &["malformed-json/syntax/create/"]).await;
    assert_caught(&results, Rule::ClientInput, &["malformed-json/syntax/create/nan", "malformed-json/syntax/create/trailing-garbage"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_trace_and_an_echoed_credential_are_caught() {
    let (_, results) = run(Fault::StackTraceInDetail, "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::NoLeaks, &["ids/unknown/GET-random-v4"]);
    let (_, results) = run(Fault::EchoAuthorization, "documented", &["accounts/", "ids/unknown/"]).await;
    assert_caught(&results, Rule::NoLeaks, &["ids/unknown/GET-random-v4", "accounts/unknown-account/datamodel"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_error_page_and_a_status_type_mismatch_are_caught() {
    let (_, results) = run(Fault::HtmlNotFound, "documented", &["ids/unknown/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/unknown/GET-random-v4"]);
    let (_, results) = run(Fault::TypeStatusMismatch, "documented", &["ids/"]).await;
    assert_caught(&results, Rule::ErrorBody, &["ids/malformed/GET-uppercase-existing", "ids/unknown/PATCH-max-uuid"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plain_text_401_passes_documented_and_fails_strict() {
    let (_, documented) = run(Fault::PlainText401, "documented", &["auth/wrong-password/"]).await;
    assert!(documented.values().all(CaseResult::ok), "documented profile must accept the plain-text 401");
    let (_, strict) = run(Fault::PlainText401, "strict", &["auth/wrong-password/"]).await;
    assert_caught(&strict, Rule::ErrorBody, &["auth/wrong-password/datamodel", "auth/wrong-password/batch"]);
}
