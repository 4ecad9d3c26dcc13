//! Faults in how the target takes the bodies the vendor's own clients write: a form-encoded update, a
//! query with a `null` skip, a batch `put` of an existing ID, a batch that deletes an ID no object has,
//! a location with the timestamp of its fix. Each breaks one `clients/*` control and nothing else.

use super::body::{account, buffer, each_object, route};
use super::clients::refusal;
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// JSON nesting the location search follows.
const DEPTH: usize = 64;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::FormBodyRefused
            | Kind::QueryNullSkipRefused
            | Kind::BatchPutAsCreate
            | Kind::BatchDeleteStopsOnError
            | Kind::LocationTimestampRefused
    )
}

/// Whether the request is signed in to the account its path names: the faulty checks run after
/// authentication, as the body is read after it, so a wrong credential still gets its 401 or 404.
pub(super) fn signed_in_here(layer: &Layer, req: &Request) -> bool {
    let own = account(req.uri().path());
    layer.authenticated(req.headers().get(header::AUTHORIZATION)).is_some_and(|a| Some(a.id.as_str()) == own)
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let writes = matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT);
    // The route table's shape: `objects/{type}/query.json` and `search.json` are their own routes, not object writes.
    let Some(shape) =
        route(&path).map(|m| m.shape).filter(|_| writes && bufferable(&req) && signed_in_here(layer, &req))
    else {
        return layer.forward(req).await;
    };
    let batch = shape == Shape::Batch;
    let query = shape == Shape::Query;
    let object_write = matches!(shape, Shape::Collection | Shape::Object);
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().to_ascii_lowercase().starts_with(b"application/x-www-form-urlencoded"));
    match layer.kind {
        // A JSON-only body parser (express.json() alone) in front of every object write.
        Kind::FormBodyRefused if form && object_write => {
            refusal(StatusCode::BAD_REQUEST, "INVALID_API_REQUEST", "The body must be application/json.")
        }
        Kind::QueryNullSkipRefused if query => {
            let (parts, body) = req.into_parts();
            let bytes = buffer(body).await;
            let doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if ["skip", "limit"].iter().any(|k| doc.get(k) == Some(&Value::Null)) {
                return refusal(StatusCode::BAD_REQUEST, "INVALID_API_REQUEST", "skip and limit must be integers.");
            }
            layer.forward(with_body(parts, bytes.to_vec())).await
        }
        Kind::BatchPutAsCreate if batch => put_as_create(layer, req).await,
        Kind::BatchDeleteStopsOnError if batch => stop_at_deletes(layer, req).await,
        // The create and update handlers' location validator; the batch runner validates on its own path.
        Kind::LocationTimestampRefused if object_write && !form => {
            let (parts, body) = req.into_parts();
            let bytes = buffer(body).await;
            let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let mut fixed = false;
            each_object(&mut doc, DEPTH, &mut |m| {
                fixed |= ["latitude", "longitude", "timestamp"].iter().all(|k| m.contains_key(*k));
            });
            if fixed {
                return refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "INVALID_VALUE",
                    "Location: unknown key \"timestamp\".",
                );
            }
            layer.forward(with_body(parts, bytes.to_vec())).await
        }
        _ => layer.forward(req).await,
    }
}

/// The batch run with `stop_on_error` on when it deletes and the client left the flag out, so the first
/// failure aborts the rest; the answer still echoes the flag as sent.
async fn stop_at_deletes(layer: &Layer, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let deletes = doc.get("operations").and_then(Value::as_array).is_some_and(|ops| {
        ops.iter().any(|op| op.get("method").and_then(Value::as_str).is_some_and(|m| m.eq_ignore_ascii_case("delete")))
    });
    match doc.as_object_mut() {
        Some(map) if deletes && !map.contains_key("stop_on_error") => {
            map.insert("stop_on_error".into(), Value::Bool(true));
            echo_as_sent(layer.forward(with_body(parts, doc.to_string().into_bytes())).await).await
        }
        _ => layer.forward(with_body(parts, bytes.to_vec())).await,
    }
}

/// A batch answer that echoes the `stop_on_error` the client sent (none, so false) rather than the one
/// the runner used.
async fn echo_as_sent(resp: Response) -> Response {
    let (parts, body) = resp.into_parts();
    let bytes = buffer(body).await;
    let mut answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    match answer.get_mut("stop_on_error") {
        Some(flag) => {
            *flag = Value::Bool(false);
            super::isolation::rebuild(parts, answer.to_string())
        }
        None => super::isolation::rebuild(parts, bytes),
    }
}

/// The batch with every `put` run as a `post` that keeps its ID, as an insert: an existing ID fails
/// that operation as taken (INVALID_VALUE). Results still name the method the client sent.
async fn put_as_create(layer: &Layer, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let mut puts = Vec::new();
    if let Some(ops) = doc.get_mut("operations").and_then(Value::as_array_mut) {
        for (i, op) in ops.iter_mut().enumerate() {
            if op.get("method").and_then(Value::as_str).is_some_and(|m| m.eq_ignore_ascii_case("put")) {
                op["method"] = "post".into();
                puts.push(i);
            }
        }
    }
    if puts.is_empty() {
        return layer.forward(with_body(parts, bytes.to_vec())).await;
    }
    let (rparts, rbody) = layer.forward(with_body(parts, doc.to_string().into_bytes())).await.into_parts();
    let rbody = buffer(rbody).await;
    let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
    let Some(results) = answer.get_mut("operations").and_then(Value::as_array_mut) else {
        return super::isolation::rebuild(rparts, rbody);
    };
    for i in puts {
        if let Some(result) = results.get_mut(i).and_then(Value::as_object_mut) {
            result.insert("method".into(), "put".into());
        }
    }
    super::isolation::rebuild(rparts, answer.to_string())
}
