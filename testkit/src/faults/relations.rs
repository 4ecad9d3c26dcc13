//! A belongs-to lookup and `embed` not scoped by account: an update may point a relation at another
//! account's object (its ID is checked in any account), and reading the object with `embed` then shows
//! that object. Part of the isolation faults (`isolation.rs`), which find the other account.

use super::body::{account, buffer, object_route};
use super::isolation::{rebuild, Other};
use super::layer::{bufferable, with_body, Layer};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// Bound on the remembered relations, so a long run cannot grow them without limit.
const ENTRIES: usize = 10_000;

/// One relation pointed at another account's object.
#[derive(Clone)]
struct ForeignRelation {
    rel: String,
    /// `{rel}_id`.
    key: String,
    id: String,
    /// The foreign object's path, read with the other account's credentials.
    theirs: String,
}

/// Relations pointed at another account's object, by the path of the object that holds them.
#[derive(Default)]
pub(super) struct Memory {
    foreign: Mutex<HashMap<String, Vec<ForeignRelation>>>,
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request, other: &Other) -> Response {
    let path = req.uri().path().to_string();
    let Some((ty, _)) = object_route(&path) else { return layer.forward(req).await };
    let auth = req.headers().get(header::AUTHORIZATION).cloned();
    let method = req.method().clone();
    if matches!(method, Method::PATCH | Method::PUT) && bufferable(&req) {
        return update(layer, req, other, &ty, auth.as_ref()).await;
    }
    let embeds = req.uri().query().is_some_and(|q| q.contains("embed"));
    if method != Method::GET || !embeds {
        return layer.forward(req).await;
    }
    let (parts, body) = layer.forward(req).await.into_parts();
    let body = buffer(body).await;
    let remembered = layer.relations.foreign.lock().ok().and_then(|m| m.get(&path).cloned()).unwrap_or_default();
    let mut answer: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if !parts.status.is_success() || remembered.is_empty() || !answer.is_object() {
        return rebuild(parts, body);
    }
    for ForeignRelation { rel, key, id, theirs } in remembered {
        let (status, object) = layer.call(Method::GET, &theirs, Some(&other.auth), None).await;
        answer[key] = Value::String(id);
        answer[rel] = if status == 200 { serde_json::from_slice(&object).unwrap_or(Value::Null) } else { Value::Null };
    }
    rebuild(parts, answer.to_string())
}

/// The update with every relation that names another account's object taken out (so the reference
/// accepts the rest), remembered, and reported back as if stored.
async fn update(layer: &Layer, req: Request, other: &Other, ty: &str, auth: Option<&HeaderValue>) -> Response {
    let path = req.uri().path().to_string();
    let own = account(&path).unwrap_or_default().to_string();
    let (parts, body) = req.into_parts();
    let sent = buffer(body).await;
    let mut doc: Value = serde_json::from_slice(&sent).unwrap_or(Value::Null);
    let (_, model) = layer.call(Method::GET, &format!("/api/v4/{own}/datamodel.json"), auth, None).await;
    let model: Value = serde_json::from_slice(&model).unwrap_or(Value::Null);
    let mut found = Vec::new();
    if let Some(fields) = doc.get_mut(ty).and_then(Value::as_object_mut) {
        let keys: Vec<String> = fields.keys().filter(|k| k.ends_with("_id")).cloned().collect();
        for key in keys {
            let (Some(id), Some(rel)) = (fields.get(&key).and_then(Value::as_str), key.strip_suffix("_id")) else {
                continue;
            };
            let target = model.pointer(&format!("/models/{ty}/belongs_to/{rel}"));
            let Some(target) = target.and_then(|t| t.get("type").or_else(|| t.get("model"))).and_then(Value::as_str)
            else {
                continue;
            };
            let mine = format!("/api/v4/{own}/objects/{target}/{id}.json");
            let theirs = format!("/api/v4/{}/objects/{target}/{id}.json", other.id);
            let in_own = layer.call(Method::GET, &mine, auth, None).await.0 == 200;
            if !in_own && layer.call(Method::GET, &theirs, Some(&other.auth), None).await.0 == 200 {
                found.push(ForeignRelation { rel: rel.to_string(), key: key.clone(), id: id.to_string(), theirs });
            }
        }
        for f in &found {
            fields.remove(&f.key);
        }
    }
    let body = if found.is_empty() { sent.to_vec() } else { doc.to_string().into_bytes() };
    let (rparts, rbody) = layer.forward(with_body(parts, body)).await.into_parts();
    let rbody = buffer(rbody).await;
    let mut answer: Value = serde_json::from_slice(&rbody).unwrap_or(Value::Null);
    if found.is_empty() || !rparts.status.is_success() || !answer.is_object() {
        return rebuild(rparts, rbody);
    }
    for f in &found {
        answer[&f.key] = Value::String(f.id.clone());
    }
    if let Ok(mut memory) = layer.relations.foreign.lock() {
        if memory.len() >= ENTRIES {
            memory.clear();
        }
        memory.insert(path, found);
    }
    rebuild(rparts, answer.to_string())
}
