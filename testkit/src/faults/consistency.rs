//! Faults where a later read disagrees with an earlier write: a cache, a lazy index, a lossy change
//! log. Each keeps a little memory and may call the reference again; only a client that reads back
//! after writing (the stateful property, read-back cases) can see them.

use super::body::{account, buffer, collection_route, has_shape, object_route};
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Bound on every remembered collection, so a long run cannot grow it without limit.
const ENTRIES: usize = 10_000;
/// How many list reads still show a deleted object.
const LAG_READS: u8 = 3;

/// What these faults remember between requests.
#[derive(Default)]
pub(super) struct Memory {
    /// Object answers by path (the stale cache).
    cache: Mutex<HashMap<String, Bytes>>,
    /// IDs written by batches (the lossy oplog).
    batch_ids: Mutex<HashSet<String>>,
    /// Deleted objects a lagging list index still serves: (collection path, object, reads left).
    deleted: Mutex<Vec<(String, Value, u8)>>,
}

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::StaleReadAfterUpdate
            | Kind::BatchPatchReplaces
            | Kind::OplogMissingBatchWrites
            | Kind::ListLagsDelete
            | Kind::DeleteLeavesObject
    )
}

fn json_response(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn rebuild(mut parts: axum::http::response::Parts, body: impl Into<Bytes>) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.into()))
}

/// Forwards the request and buffers the answer.
async fn exchange(layer: &Layer, req: Request) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = layer.forward(req).await.into_parts();
    (parts, buffer(body).await)
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let method = req.method().clone();
    let auth = req.headers().get(header::AUTHORIZATION).cloned();
    let memory = &layer.consistency;
    match layer.kind {
        Kind::StaleReadAfterUpdate if method == Method::GET && object_route(&path).is_some() => {
            let (parts, body) = exchange(layer, req).await;
            if parts.status != StatusCode::OK {
                return rebuild(parts, body);
            }
            let Ok(mut cache) = memory.cache.lock() else { return rebuild(parts, body) };
            if let Some(cached) = cache.get(&path) {
                return json_response(StatusCode::OK, cached.clone());
            }
            if cache.len() >= ENTRIES {
                cache.clear();
            }
            cache.insert(path, body.clone());
            rebuild(parts, body)
        }
        Kind::StaleReadAfterUpdate if method == Method::POST && collection_route(&path).is_some() => {
            // Filled on create too, as a write-through cache is; only updates forget to refresh it.
            let (parts, body) = exchange(layer, req).await;
            let created: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let id = created.get("id").and_then(Value::as_str);
            if let (true, Some(ty), Some(id), Ok(mut cache)) =
                (parts.status.is_success(), collection_route(&path), id, memory.cache.lock())
            {
                if cache.len() >= ENTRIES {
                    cache.clear();
                }
                let account = account(&path).unwrap_or_default();
                cache.insert(format!("/api/v4/{account}/objects/{ty}/{id}.json"), body.clone());
            }
            rebuild(parts, body)
        }
        Kind::BatchPatchReplaces if method == Method::POST && has_shape(&path, Shape::Batch) && bufferable(&req) => {
            let (parts, body) = req.into_parts();
            let mut doc: Value = serde_json::from_slice(&buffer(body).await).unwrap_or(Value::Null);
            let mut patched = Vec::new();
            let account = account(&path).unwrap_or_default().to_string();
            if let Some(ops) = doc.get_mut("operations").and_then(Value::as_array_mut) {
                for (i, op) in ops.iter_mut().enumerate() {
                    let target = (
                        op.pointer("/object/type").and_then(Value::as_str),
                        op.pointer("/object/id").and_then(Value::as_str),
                    );
                    let (Some("patch"), (Some(ty), Some(id))) = (op.get("method").and_then(Value::as_str), target)
                    else {
                        continue;
                    };
                    // Only an existing object takes the replace path; a missing one still fails as not found.
                    let object = format!("/api/v4/{account}/objects/{ty}/{id}.json");
                    if layer.call(Method::GET, &object, auth.as_ref(), None).await.0 == 200 {
                        op["method"] = Value::from("put");
                        patched.push(i);
                    }
                }
            }
            let (rparts, rbody) = exchange(layer, with_body(parts, doc.to_string().into_bytes())).await;
            let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
            let Some(results) = answer.get_mut("operations").and_then(Value::as_array_mut) else {
                return rebuild(rparts, rbody);
            };
            // The answer still says `patch`, so only a read-back shows the replace.
            for i in patched {
                if let Some(r) = results.get_mut(i).and_then(Value::as_object_mut) {
                    r.insert("method".into(), Value::from("patch"));
                }
            }
            rebuild(rparts, answer.to_string())
        }
        Kind::OplogMissingBatchWrites if method == Method::POST && has_shape(&path, Shape::Batch) => {
            let (parts, body) = exchange(layer, req).await;
            let answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let written = answer.get("operations").and_then(Value::as_array).into_iter().flatten().filter_map(|r| {
                let ok = r.get("success") == Some(&Value::Bool(true));
                r.pointer("/object/id").and_then(Value::as_str).filter(|_| ok).map(str::to_string)
            });
            if let Ok(mut ids) = memory.batch_ids.lock() {
                if ids.len() >= ENTRIES {
                    ids.clear();
                }
                ids.extend(written);
            }
            rebuild(parts, body)
        }
        Kind::OplogMissingBatchWrites if method == Method::GET && has_shape(&path, Shape::Oplog) => {
            let (parts, body) = exchange(layer, req).await;
            let mut answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (Some(entries), Ok(ids)) =
                (answer.get_mut("entries").and_then(Value::as_array_mut), memory.batch_ids.lock())
            else {
                return rebuild(parts, body);
            };
            entries.retain(|e| !e.pointer("/object/id").and_then(Value::as_str).is_some_and(|id| ids.contains(id)));
            drop(ids);
            rebuild(parts, answer.to_string())
        }
        Kind::ListLagsDelete if method == Method::DELETE && object_route(&path).is_some() => {
            let (status, before) = layer.call(Method::GET, &path, auth.as_ref(), None).await;
            let (parts, body) = exchange(layer, req).await;
            let object: Value = serde_json::from_slice(&before).unwrap_or(Value::Null);
            if let (true, 200, Some((ty, _)), Ok(mut deleted)) =
                (parts.status.is_success(), status, object_route(&path), memory.deleted.lock())
            {
                if deleted.len() >= ENTRIES {
                    deleted.clear();
                }
                let account = account(&path).unwrap_or_default();
                deleted.push((format!("/api/v4/{account}/objects/{ty}.json"), object, LAG_READS));
            }
            rebuild(parts, body)
        }
        Kind::ListLagsDelete if method == Method::GET && collection_route(&path).is_some() => {
            let (parts, body) = exchange(layer, req).await;
            let mut answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (true, Some(objects), Ok(mut deleted)) = (
                parts.status.is_success(),
                answer.get_mut("objects").and_then(Value::as_array_mut),
                memory.deleted.lock(),
            ) else {
                return rebuild(parts, body);
            };
            let filter = equality_filter(&query);
            for (collection, object, left) in deleted.iter_mut() {
                if *collection == path && filter.iter().all(|(k, v)| field_text(object, k).as_deref() == Some(v)) {
                    objects.push(object.clone());
                    *left -= 1;
                }
            }
            deleted.retain(|(_, _, left)| *left > 0);
            drop(deleted);
            rebuild(parts, answer.to_string())
        }
        Kind::DeleteLeavesObject if method == Method::DELETE && object_route(&path).is_some() => {
            let (status, _) = layer.call(Method::GET, &path, auth.as_ref(), None).await;
            if status == 200 {
                // Answered like a delete, but nothing was removed (a soft delete whose flag reads ignore).
                let mut resp = Response::new(Body::empty());
                *resp.status_mut() = StatusCode::OK;
                return resp;
            }
            layer.forward(req).await
        }
        _ => layer.forward(req).await,
    }
}

/// The `query[field]=value` pairs of a list query (operator forms like `query[f.gt]` are left out).
fn equality_filter(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let field = decode(k).strip_prefix("query[")?.strip_suffix(']')?.to_string();
            (!field.contains('.')).then(|| (field, decode(v)))
        })
        .collect()
}

fn field_text(object: &Value, field: &str) -> Option<String> {
    match object.get(field)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}
