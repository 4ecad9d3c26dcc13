//! Faults that rewrite the request before the reference sees it: a lenient parser, a tolerant
//! router, a missing authorization check, a sanitising upload library.

use super::body::{
    account, buffer, collection_route, each_object, has_shape, object_route, repair_json, sanitize_filename,
};
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::extract::Request;
use axum::http::{header, Method, Uri};
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// JSON nesting the body walkers follow; deeper bodies are forwarded untouched below it.
const DEPTH: usize = 64;

/// The request as the faulty target understands it.
pub(super) async fn rewrite(layer: &Layer, req: Request) -> Request {
    match layer.kind {
        Kind::UppercaseIdAccepted => rewrite_path(req, |path| match object_route(path) {
            Some((_, id)) if id.bytes().any(|b| b.is_ascii_uppercase()) => Some(path.replace(&id, &id.to_lowercase())),
            _ => None,
        }),
        Kind::TrailingSlashTolerated => rewrite_path(req, |path| {
            let trimmed = path.trim_end_matches('/');
            (trimmed.len() < path.len() && !trimmed.is_empty()).then(|| trimmed.to_string())
        }),
        Kind::CredentialsIgnoredOnOplog => {
            let (mut parts, body) = req.into_parts();
            let path = parts.uri.path();
            let oplog_of = account(path).filter(|_| has_shape(path, Shape::Oplog)).map(str::to_string);
            if let Some(good) = oplog_of.and_then(|account| layer.authorization_of(&account)) {
                parts.headers.remove(header::AUTHORIZATION);
                parts.headers.insert(header::AUTHORIZATION, good);
            }
            Request::from_parts(parts, body)
        }
        Kind::ForeignAccountAccess => {
            let (mut parts, body) = req.into_parts();
            let path_account = account(parts.uri.path()).map(str::to_string);
            let signed_in = layer.authenticated(parts.headers.get(header::AUTHORIZATION)).map(|a| a.id.clone());
            if let (Some(wanted), Some(have)) = (path_account, signed_in) {
                if wanted != have {
                    if let Some(good) = layer.authorization_of(&wanted) {
                        parts.headers.insert(header::AUTHORIZATION, good);
                    }
                }
            }
            Request::from_parts(parts, body)
        }
        Kind::PasswordPrefixCompare
        | Kind::PasswordCaseInsensitive
        | Kind::PasswordTrimmed
        | Kind::UserNotChecked
        | Kind::TokenPrefixCompare => super::auth::rewrite(layer, req),
        Kind::LenientJson => rewrite_body(req, |_, bytes| Some(repair_json(bytes))).await,
        Kind::UnwrappedBodyAccepted => {
            rewrite_body(req, |path, bytes| {
                let ty = collection_route(path).or_else(|| object_route(path).map(|(t, _)| t))?;
                match serde_json::from_slice::<Value>(bytes).ok()? {
                    Value::Object(map) if !map.contains_key(&ty) => {
                        Some(serde_json::json!({ ty: map }).to_string().into_bytes())
                    }
                    _ => None,
                }
            })
            .await
        }
        Kind::BadFilenameAccepted => {
            rewrite_json(req, |map| {
                if map.contains_key("base64") {
                    if let Some(Value::String(name)) = map.get("filename") {
                        let clean = sanitize_filename(name);
                        map.insert("filename".into(), Value::String(clean));
                    }
                }
            })
            .await
        }
        Kind::LooseTypes => {
            rewrite_json(req, |map| {
                for value in map.values_mut() {
                    if let Value::String(s) = value {
                        if let Some(loose) = coerce(s) {
                            *value = loose;
                        }
                    }
                }
            })
            .await
        }
        _ => req,
    }
}

/// What a loosely typed language makes of a string: numbers and booleans where they look like one.
fn coerce(s: &str) -> Option<Value> {
    match s {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                return Some(i.into());
            }
            let f = s.parse::<f64>().ok().filter(|f| f.is_finite() && s.bytes().any(|b| b.is_ascii_digit()))?;
            serde_json::Number::from_f64(f).map(Value::Number)
        }
    }
}

fn rewrite_path(req: Request, f: impl Fn(&str) -> Option<String>) -> Request {
    let (mut parts, body) = req.into_parts();
    if let Some(path) = f(parts.uri.path()) {
        let full = match parts.uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        if let Ok(uri) = full.parse::<Uri>() {
            parts.uri = uri;
        }
    }
    Request::from_parts(parts, body)
}

/// Rewrites the body of a write when `f` returns a new one.
async fn rewrite_body(req: Request, f: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) -> Request {
    if !matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT) || !bufferable(&req) {
        return req;
    }
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let new = f(parts.uri.path(), &bytes).unwrap_or_else(|| bytes.to_vec());
    with_body(parts, new)
}

/// Rewrites every object of a JSON body with `f`; other bodies pass unchanged.
async fn rewrite_json(req: Request, f: impl Fn(&mut serde_json::Map<String, Value>)) -> Request {
    rewrite_body(req, |_, bytes| {
        let before = serde_json::from_slice::<Value>(bytes).ok()?;
        let mut after = before.clone();
        each_object(&mut after, DEPTH, &mut |m| f(m));
        // Untouched bodies go through byte for byte, so the fault changes only what it models.
        (after != before).then(|| after.to_string().into_bytes())
    })
    .await
}
