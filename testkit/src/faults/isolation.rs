//! Faults where one account's read or batch path reaches another account's data: a query, search index,
//! change feed or batch lookup not scoped by account. Each forwards the request, asks the reference the
//! same thing as the other account, and merges the answers as an unscoped store would. Only objects the
//! other account holds can leak, so each needs the suite's second account to show.

use super::body::{account, buffer, collection_route, error_type, has_shape};
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use bytes::Bytes;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// A fault of this file: only the `accounts/isolation/*` cases may kill it.
pub(super) const fn isolation(name: &'static str, bug: &'static str, kind: Kind) -> super::Fault {
    super::Fault {
        killed_within: Some("accounts/isolation/"),
        ..super::fault(name, "§6.7 one account's read paths never show another account's objects", bug, kind)
    }
}

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::ListLeaksForeign
            | Kind::FilteredListLeaksForeign
            | Kind::QueryJsonLeaksForeign
            | Kind::SearchLeaksForeign
            | Kind::OplogLeaksForeign
            | Kind::BatchReachesForeign
            | Kind::RelationReachesForeign
    )
}

/// The other account of a request signed in to its own path: its path for the same request, and its
/// credentials.
pub(super) struct Other {
    pub id: String,
    pub path: String,
    pub auth: HeaderValue,
}

pub(super) fn other(layer: &Layer, req: &Request) -> Option<Other> {
    let own = account(req.uri().path())?;
    if layer.authenticated(req.headers().get(header::AUTHORIZATION))?.id != own {
        return None;
    }
    let theirs = layer.accounts.iter().find(|a| a.id != own)?;
    let full = req.uri().path_and_query().map_or_else(|| req.uri().path(), |p| p.as_str());
    let path = full.replacen(&format!("/api/v4/{own}/"), &format!("/api/v4/{}/", theirs.id), 1);
    Some(Other { id: theirs.id.clone(), path, auth: layer.authorization_of(&theirs.id)? })
}

/// Whether a list query filters (`query[...]` or `q[...]`, encoded or not).
fn filtered(query: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(query).decode_utf8_lossy();
    decoded.split('&').any(|pair| pair.starts_with("query[") || pair.starts_with("q["))
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let query = req.uri().query().unwrap_or_default().to_string();
    let Some(other) = other(layer, &req) else { return layer.forward(req).await };
    let list = method == Method::GET && collection_route(&path).is_some();
    match layer.kind {
        Kind::ListLeaksForeign if list => merged(layer, req, &other, "objects", false).await,
        Kind::FilteredListLeaksForeign if list && filtered(&query) => {
            merged(layer, req, &other, "objects", false).await
        }
        Kind::QueryJsonLeaksForeign if method == Method::POST && has_shape(&path, Shape::Query) && bufferable(&req) => {
            merged(layer, req, &other, "objects", false).await
        }
        Kind::SearchLeaksForeign if method == Method::POST && has_shape(&path, Shape::Search) && bufferable(&req) => {
            merged(layer, req, &other, "objects", false).await
        }
        Kind::OplogLeaksForeign if method == Method::GET && has_shape(&path, Shape::Oplog) => {
            merged(layer, req, &other, "entries", true).await
        }
        Kind::BatchReachesForeign if method == Method::POST && has_shape(&path, Shape::Batch) && bufferable(&req) => {
            batch(layer, req, &other).await
        }
        Kind::RelationReachesForeign => super::relations::apply(layer, req, &other).await,
        _ => layer.forward(req).await,
    }
}

pub(super) fn rebuild(mut parts: axum::http::response::Parts, body: impl Into<Bytes>) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.into()))
}

/// The request's own answer with the other account's `key` items appended (and counts raised to match);
/// with `at_end`, only to a page that says it is the last (`has_more` not true): one log shared by both
/// accounts holds the other's newest writes at its end, which only a client that reads to the end sees.
async fn merged(layer: &Layer, req: Request, other: &Other, key: &str, at_end: bool) -> Response {
    let method = req.method().clone();
    let json = HeaderValue::from_static("application/json");
    let content_type = req.headers().get(header::CONTENT_TYPE).cloned().unwrap_or(json);
    let (parts, body) = req.into_parts();
    let sent = buffer(body).await;
    let resent = (!sent.is_empty()).then(|| sent.to_vec());
    let (rparts, rbody) = {
        let (p, b) = layer.forward(with_body(parts, sent.to_vec())).await.into_parts();
        (p, buffer(b).await)
    };
    let (status, theirs) = layer.call_as(method, &other.path, Some(&other.auth), resent, content_type).await;
    let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
    let theirs: Value = serde_json::from_slice(&theirs).unwrap_or(Value::Null);
    let extra = theirs.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    if !rparts.status.is_success() {
        return rebuild(rparts, rbody);
    }
    let last = answer.get("has_more") != Some(&Value::Bool(true));
    let Some(items) = answer.get_mut(key).and_then(Value::as_array_mut) else { return rebuild(rparts, rbody) };
    if status != 200 || extra.is_empty() || (at_end && !last) {
        return rebuild(rparts, rbody);
    }
    let added = extra.len() as u64;
    items.extend(extra);
    for count in ["count", "total"] {
        if let Some(n) = answer.get(count).and_then(Value::as_u64) {
            answer[count] = Value::from(n + added);
        }
    }
    rebuild(rparts, answer.to_string())
}

/// The batch as the reference runs it, except that a patch or delete of an ID the account does not have
/// is run against the other account (an object lookup by ID alone), and its result reported instead.
async fn batch(layer: &Layer, req: Request, other: &Other) -> Response {
    let (parts, body) = req.into_parts();
    let sent = buffer(body).await;
    let doc: Value = serde_json::from_slice(&sent).unwrap_or(Value::Null);
    let (rparts, rbody) = {
        let (p, b) = layer.forward(with_body(parts, sent.to_vec())).await.into_parts();
        (p, buffer(b).await)
    };
    let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
    let ops = doc.get("operations").and_then(Value::as_array).cloned().unwrap_or_default();
    let Some(results) = answer.get_mut("operations").and_then(Value::as_array_mut) else {
        return rebuild(rparts, rbody);
    };
    let mut changed = false;
    for (op, result) in ops.iter().zip(results.iter_mut()) {
        let by_id = matches!(op.get("method").and_then(Value::as_str), Some("patch" | "delete"));
        let missing = result
            .get("error")
            .is_some_and(|e| error_type(e.to_string().as_bytes()).as_deref() == Some("OBJECT_NOT_FOUND"));
        if !(by_id && missing) {
            continue;
        }
        let one = serde_json::json!({ "operations": [op] }).to_string().into_bytes();
        let (status, theirs) = layer.call(Method::POST, &other.path, Some(&other.auth), Some(one)).await;
        let theirs: Value = serde_json::from_slice(&theirs).unwrap_or(Value::Null);
        if let (200, Some(their)) = (status, theirs.pointer("/operations/0")) {
            if their.get("success") == Some(&Value::Bool(true)) {
                *result = their.clone();
                changed = true;
            }
        }
    }
    if changed {
        rebuild(rparts, answer.to_string())
    } else {
        rebuild(rparts, rbody)
    }
}
