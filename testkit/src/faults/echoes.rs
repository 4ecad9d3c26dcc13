//! Faults that send back what they should not, in forms a search for the raw text misses: a debug
//! error handler that quotes the caller's password (the JSON serializer escapes it, a header
//! URL-encodes it), and a success answer with the server's own debug key beside the stored objects.
//! The accounts of the first get a password with `"`, `\`, `'` and non-ASCII in it, so its escaped
//! forms differ from the raw one.

use super::body::buffer;
use super::layer::Layer;
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use base64::Engine;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(kind, Kind::EchoPasswordEscaped | Kind::DebugKeyOnSuccess)
}

/// The target's accounts as this fault needs them: passwords whose JSON-escaped and URL-encoded forms
/// are not the password itself (every other fault keeps the random alphanumeric ones).
pub(super) fn configure(kind: Kind, config: &mut journey_reference::Config) {
    if kind == Kind::EchoPasswordEscaped {
        for account in &mut config.accounts {
            account.password = format!("q\"{}\\'é/", account.password);
        }
    }
}

/// The user and password of a Basic `Authorization` value.
fn basic_credentials(auth: Option<&HeaderValue>) -> Option<(String, String)> {
    let encoded = auth?.to_str().ok()?.strip_prefix("Basic ")?.trim();
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    let (user, password) = String::from_utf8(decoded).ok()?.split_once(':').map(|(u, p)| (u.into(), p.into()))?;
    Some((user, password))
}

/// The reference's answer, rewritten as the fault sends it.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let credentials = basic_credentials(req.headers().get(header::AUTHORIZATION));
    let resp = layer.forward(req).await;
    let status = resp.status().as_u16();
    let (mut parts, body) = resp.into_parts();
    let bytes = buffer(body).await;
    let mut json: Value = match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Value::Object(map),
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    match layer.kind {
        // Every error quotes the password: in `detail` (JSON-escaped by the serializer), and URL-encoded
        // in a debug header; never as the raw bytes.
        Kind::EchoPasswordEscaped if status >= 400 => {
            let Some((user, password)) = credentials else { return Response::from_parts(parts, Body::from(bytes)) };
            json["detail"] = format!("request by {user} with password {password} failed").into();
            let encoded = utf8_percent_encode(&password, NON_ALPHANUMERIC).to_string();
            if let Ok(value) = HeaderValue::from_str(&format!("user={user}&password={encoded}")) {
                parts.headers.insert("x-debug-credentials", value);
            }
        }
        // A 2xx carries the server's own debug key next to what it reads back.
        Kind::DebugKeyOnSuccess if (200..300).contains(&status) => {
            json["debug"] = "query ran on SQLite: SELECT * FROM objects WHERE account_id = ?".into();
        }
        _ => return Response::from_parts(parts, Body::from(bytes)),
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}
