//! Faults in attachment URLs as capabilities: a deduplicating file store shared by every account, keyed
//! by an upload's filename and bytes, so a later upload of the same file reads back with the first
//! upload's URL, another account's included (only a read searched for the other account's URLs sees it);
//! and a file route that checks the attachment's ID but not its token (only a fetch with an altered
//! token sees it).

use super::body::{buffer, each_object, route};
use super::isolation::rebuild;
use super::layer::{bufferable, with_body, Layer};
use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// JSON nesting the search follows.
const DEPTH: usize = 64;

/// What the store has seen: each URL's file (filename and base64), and the first URL of each file.
#[derive(Default)]
pub(super) struct Memory {
    urls: Mutex<(HashMap<String, String>, HashMap<String, String>)>,
    /// Each attachment ID's token, as the answers' URLs showed it.
    tokens: Mutex<HashMap<String, String>>,
}

/// `(id, token)` of every `…/attachments/{id}/{token}` URL in a JSON answer.
fn tokens_in(doc: &Value, out: &mut Vec<(String, String)>) {
    match doc {
        Value::String(s) => {
            let mut parts = s.split("/attachments/").nth(1).into_iter().flat_map(|rest| rest.split('/'));
            if let (Some(id), Some(token)) = (parts.next(), parts.next()) {
                out.push((id.to_string(), token.to_string()));
            }
        }
        Value::Array(items) => items.iter().for_each(|v| tokens_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| tokens_in(v, out)),
        _ => {}
    }
}

/// The answer of a file route that checks the ID and not the token: a capability URL with any token
/// is read as the one with the right token; every other request is forwarded, its answer's tokens learned.
pub(super) async fn token_unchecked(layer: &Layer, mut req: Request) -> Response {
    let path = req.uri().path().to_string();
    let segs = super::clients::segments(&path).unwrap_or_default();
    let known = |id: &str| layer.capabilities.tokens.lock().ok().and_then(|t| t.get(id).cloned());
    let real = match segs.as_slice() {
        ["attachments", id, token] | ["files", id, token, _] => {
            known(id).filter(|real| real != token).map(|r| (*token, r))
        }
        _ => None,
    };
    if let Some((token, real)) = real {
        let fixed = path.replacen(&format!("/{token}"), &format!("/{real}"), 1);
        if let Ok(uri) = fixed.parse() {
            *req.uri_mut() = uri;
        }
        return layer.forward(req).await;
    }
    let (parts, body) = layer.forward(req).await.into_parts();
    let bytes = buffer(body).await;
    if let (Ok(doc), Ok(mut tokens)) = (serde_json::from_slice::<Value>(&bytes), layer.capabilities.tokens.lock()) {
        let mut found = Vec::new();
        tokens_in(&doc, &mut found);
        tokens.extend(found);
    }
    rebuild(parts, bytes)
}

/// The uploads of a write body: field name and file (filename and base64) of each `{base64, filename}` value.
fn uploads(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut doc = doc.clone();
    each_object(&mut doc, DEPTH, &mut |m| {
        for (k, v) in m.iter() {
            let file = v.get("filename").and_then(Value::as_str).zip(v.get("base64").and_then(Value::as_str));
            if let Some((name, data)) = file {
                out.push((k.clone(), format!("{name}\n{data}")));
            }
        }
    });
    out
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let writes = matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT)
        && route(req.uri().path()).is_some_and(|m| matches!(m.shape, Shape::Collection | Shape::Object))
        && bufferable(&req);
    let mut sent = Vec::new();
    let req = if writes {
        let (parts, body) = req.into_parts();
        let bytes = buffer(body).await;
        sent = serde_json::from_slice::<Value>(&bytes).map(|d| uploads(&d)).unwrap_or_default();
        with_body(parts, bytes.to_vec())
    } else {
        req
    };
    let (parts, body) = layer.forward(req).await.into_parts();
    let bytes = buffer(body).await;
    let Ok(mut doc) = serde_json::from_slice::<Value>(&bytes) else { return rebuild(parts, bytes) };
    let Ok(mut cache) = layer.capabilities.urls.lock() else { return rebuild(parts, bytes) };
    let (file_of, first) = &mut *cache;
    for (field, file) in &sent {
        let url = doc.get(field).and_then(|f| f.get("original")).and_then(Value::as_str).map(str::to_string);
        if let Some(url) = url.filter(|_| parts.status.is_success()) {
            file_of.insert(url.clone(), file.clone());
            first.entry(file.clone()).or_insert(url);
        }
    }
    let mut changed = false;
    each_object(&mut doc, DEPTH, &mut |m| {
        for v in m.values_mut() {
            let cached = v.as_str().and_then(|u| file_of.get(u)).and_then(|file| first.get(file));
            if let Some(url) = cached.filter(|u| Some(u.as_str()) != v.as_str()).cloned() {
                *v = Value::String(url);
                changed = true;
            }
        }
    });
    if changed {
        rebuild(parts, doc.to_string())
    } else {
        rebuild(parts, bytes)
    }
}
