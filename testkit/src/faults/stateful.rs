//! Faults with memory or extra writes: they call the reference more than once per request, the way
//! a cache, a non-transactional update or a lazy batch runner does.

use super::body::{account, buffer, collection_route, error_body, error_type, has_shape, object_route};
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use journey_conformance::declare::routes::Shape;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// Cached object answers by path; bounded so a long run cannot grow it without limit.
#[derive(Default)]
pub(super) struct Memory(Mutex<HashMap<String, Bytes>>);

const MEMORY_ENTRIES: usize = 10_000;
/// Most operations an ill-formed batch may half-apply (one over the documented limit).
const MAX_LAZY_OPS: usize = 1001;

impl Memory {
    fn put(&self, path: String, body: Bytes) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= MEMORY_ENTRIES {
                map.clear();
            }
            map.insert(path, body);
        }
    }

    fn get(&self, path: &str) -> Option<Bytes> {
        self.0.lock().ok()?.get(path).cloned()
    }
}

/// Whether `kind` is handled here rather than by a plain request or response rewrite.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StaleReadAfterDelete
            | Kind::HalfAppliedPatch
            | Kind::FailedCreateLeavesObject
            | Kind::BatchStopOnErrorIgnored
            | Kind::IllFormedBatchHalfApplied
    )
}

fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// Forwards `parts` + `bytes` and returns the answer buffered.
async fn exchange(
    layer: &Layer,
    parts: &axum::http::request::Parts,
    bytes: &Bytes,
) -> (axum::http::response::Parts, Bytes) {
    let mut copy = Request::new(Body::empty());
    *copy.method_mut() = parts.method.clone();
    *copy.uri_mut() = parts.uri.clone();
    *copy.headers_mut() = parts.headers.clone();
    let (copy_parts, _) = copy.into_parts();
    let resp = layer.forward(with_body(copy_parts, bytes.to_vec())).await;
    let (rparts, body) = resp.into_parts();
    (rparts, buffer(body).await)
}

fn rebuild(mut parts: axum::http::response::Parts, body: impl Into<Bytes>) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.into()))
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let is_batch = has_shape(&path, Shape::Batch);
    let relevant = match layer.kind {
        Kind::StaleReadAfterDelete => {
            (method == Method::GET && object_route(&path).is_some())
                || (method == Method::POST && collection_route(&path).is_some())
        }
        Kind::HalfAppliedPatch => method == Method::PATCH && object_route(&path).is_some(),
        Kind::FailedCreateLeavesObject => method == Method::POST && collection_route(&path).is_some(),
        Kind::BatchStopOnErrorIgnored | Kind::IllFormedBatchHalfApplied => method == Method::POST && is_batch,
        _ => false,
    };
    if !relevant || !bufferable(&req) {
        return layer.forward(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let auth = parts.headers.get(header::AUTHORIZATION).cloned();
    let account = account(&path).unwrap_or_default().to_string();
    match layer.kind {
        Kind::StaleReadAfterDelete => {
            let (rparts, rbody) = exchange(layer, &parts, &bytes).await;
            if method == Method::GET {
                if rparts.status == StatusCode::OK {
                    layer.memory.put(path, rbody.clone());
                } else if error_type(&rbody).as_deref() == Some("OBJECT_NOT_FOUND") {
                    if let Some(cached) = layer.memory.get(&path) {
                        return json_response(StatusCode::OK, cached);
                    }
                }
            } else if rparts.status.is_success() {
                let created: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
                if let (Some(ty), Some(id)) = (collection_route(&path), created.get("id").and_then(Value::as_str)) {
                    layer.memory.put(format!("/api/v4/{account}/objects/{ty}/{id}.json"), rbody.clone());
                }
            }
            rebuild(rparts, rbody)
        }
        Kind::HalfAppliedPatch => {
            let (rparts, rbody) = exchange(layer, &parts, &bytes).await;
            if rparts.status == StatusCode::UNPROCESSABLE_ENTITY {
                if let Some((ty, _)) = object_route(&path) {
                    clear_one_field(layer, &path, &ty, auth.as_ref(), &bytes).await;
                }
            }
            rebuild(rparts, rbody)
        }
        Kind::FailedCreateLeavesObject => {
            let (rparts, rbody) = exchange(layer, &parts, &bytes).await;
            if rparts.status == StatusCode::UNPROCESSABLE_ENTITY {
                if let Some(ty) = collection_route(&path) {
                    save_valid_fields(layer, &account, &ty, auth.as_ref(), &bytes).await;
                }
            }
            rebuild(rparts, rbody)
        }
        Kind::BatchStopOnErrorIgnored => {
            let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let asked = doc.get("stop_on_error") == Some(&Value::Bool(true));
            if !asked {
                let (rparts, rbody) = exchange(layer, &parts, &bytes).await;
                return rebuild(rparts, rbody);
            }
            if let Some(map) = doc.as_object_mut() {
                map.remove("stop_on_error");
            }
            let (rparts, rbody) = exchange(layer, &parts, &Bytes::from(doc.to_string())).await;
            let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
            if !rparts.status.is_success() || !answer.is_object() {
                return rebuild(rparts, rbody);
            }
            relabel_as_aborted(&mut answer);
            rebuild(rparts, answer.to_string())
        }
        Kind::IllFormedBatchHalfApplied => {
            let (rparts, rbody) = exchange(layer, &parts, &bytes).await;
            if rparts.status == StatusCode::BAD_REQUEST {
                let doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let ops = doc.get("operations").and_then(Value::as_array).cloned().unwrap_or_default();
                for op in ops.into_iter().take(MAX_LAZY_OPS) {
                    let one = json!({ "operations": [op] }).to_string().into_bytes();
                    layer.call(Method::POST, &path, auth.as_ref(), Some(one)).await;
                }
            }
            rebuild(rparts, rbody)
        }
        _ => layer.forward(with_body(parts, bytes.to_vec())).await,
    }
}

/// Clears one field of the object (one the failed PATCH named and the object has set, else any set
/// field), as an update that resets columns before validating would.
async fn clear_one_field(layer: &Layer, path: &str, ty: &str, auth: Option<&HeaderValue>, sent: &[u8]) {
    let (status, current) = layer.call(Method::GET, path, auth, None).await;
    if status != 200 {
        return;
    }
    let current: Value = serde_json::from_slice(&current).unwrap_or(Value::Null);
    let sent: Value = serde_json::from_slice(sent).unwrap_or(Value::Null);
    let named: Vec<String> =
        sent.get(ty).and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let is_set = |k: &str| current.get(k).is_some_and(|v| !v.is_null());
    let meta = ["id", "type", "updated_at", "display"];
    let field = named
        .iter()
        .find(|k| is_set(k))
        .cloned()
        .or_else(|| {
            current.as_object().and_then(|m| m.keys().find(|k| !meta.contains(&k.as_str()) && is_set(k)).cloned())
        })
        .or_else(|| named.first().cloned());
    if let Some(field) = field {
        let body = json!({ ty: { field: null } }).to_string().into_bytes();
        layer.call(Method::PATCH, path, auth, Some(body)).await;
    }
}

/// Creates the object empty, then writes each field that passes on its own.
async fn save_valid_fields(layer: &Layer, account: &str, ty: &str, auth: Option<&HeaderValue>, sent: &[u8]) {
    let sent: Value = serde_json::from_slice(sent).unwrap_or(Value::Null);
    let Some(fields) = sent.get(ty).and_then(Value::as_object) else { return };
    let collection = format!("/api/v4/{account}/objects/{ty}.json");
    let (status, created) =
        layer.call(Method::POST, &collection, auth, Some(json!({ ty: {} }).to_string().into_bytes())).await;
    let created: Value = serde_json::from_slice(&created).unwrap_or(Value::Null);
    let Some(id) = created.get("id").and_then(Value::as_str).filter(|_| (200..300).contains(&status)) else { return };
    let object = format!("/api/v4/{account}/objects/{ty}/{id}.json");
    for (k, v) in fields {
        let mut one = Map::new();
        one.insert(k.clone(), v.clone());
        layer.call(Method::PATCH, &object, auth, Some(json!({ ty: one }).to_string().into_bytes())).await;
    }
}

/// Makes a batch answer look as if `stop_on_error` had been honoured.
fn relabel_as_aborted(answer: &mut Value) {
    answer["stop_on_error"] = Value::Bool(true);
    let Some(ops) = answer.get_mut("operations").and_then(Value::as_array_mut) else { return };
    let Some(first) = ops.iter().position(|op| op.get("success") == Some(&Value::Bool(false))) else { return };
    let aborted: Value =
        serde_json::from_slice(&error_body("BATCH_ABORTED", "An earlier operation failed.")).unwrap_or(Value::Null);
    for op in ops.iter_mut().skip(first + 1) {
        op["success"] = Value::Bool(false);
        op["error"] = aborted.clone();
    }
}
