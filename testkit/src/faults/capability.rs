//! A fault in attachment URLs as capabilities: a deduplicating file store shared by every account, keyed
//! by an upload's filename and bytes, so a later upload of the same file reads back with the first
//! upload's URL, another account's included. Only a read searched for the other account's URLs sees it.

use super::body::{buffer, each_object, route};
use super::isolation::rebuild;
use super::layer::{bufferable, with_body, Layer};
use axum::extract::Request;
use axum::http::Method;
use axum::response::Response;
use journey_conformance::routes::Shape;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Mutex;

/// JSON nesting the search follows.
const DEPTH: usize = 64;

/// What the store has seen: each URL's file (filename and base64), and the first URL of each file.
#[derive(Default)]
pub(super) struct Memory {
    urls: Mutex<(HashMap<String, String>, HashMap<String, String>)>,
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
