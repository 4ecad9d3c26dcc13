//! A gateway's rate limiter in front of the reference that refuses a request once, then lets its
//! retry through: the final answers are the reference's own, so only a suite that judges the 429s it
//! retried can see that they break the error contract (a text/plain 429), or ask for a wait no limiter
//! means (`Retry-After: 1000`, its window in milliseconds).

use super::layer::Layer;
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use std::collections::HashSet;
use std::sync::Mutex;

/// Bound on the requests remembered as refused, so a client that never retries cannot grow it.
const REFUSED: usize = 256;

/// Requests refused once and not yet retried, by method, URI and credentials.
#[derive(Default)]
pub(super) struct Memory {
    refused: Mutex<HashSet<String>>,
}

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(kind, Kind::RateLimitTextPlain | Kind::RateLimitTextPlainWrites | Kind::RetryAfterMilliseconds)
}

/// Whether the limiter refuses this request's first attempt: GETs of the data model (which the fixed
/// cases' setup sends), or creates (the writes a stateful sequence starts with).
fn limited(kind: Kind, req: &Request) -> bool {
    let path = req.uri().path();
    match kind {
        Kind::RateLimitTextPlain | Kind::RetryAfterMilliseconds => {
            req.method() == Method::GET && path.ends_with("/datamodel.json")
        }
        Kind::RateLimitTextPlainWrites => req.method() == Method::POST && path.rsplit('/').nth(1) == Some("objects"),
        _ => false,
    }
}

/// A limited request is refused on its first attempt, with a bare `text/plain` 429 (no Retry-After) or
/// the documented 429 with `Retry-After: 1000`; the same request again is let through (and forgotten).
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let limited = limited(layer.kind, &req);
    if !limited {
        return layer.forward(req).await;
    }
    let auth = req.headers().get(header::AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let key = format!("{} {} {}", req.method(), req.uri(), auth.unwrap_or_default());
    let first = match layer.retried.refused.lock() {
        Ok(mut refused) => !refused.remove(&key) && refused.len() < REFUSED && refused.insert(key),
        Err(_) => false,
    };
    if !first {
        return layer.forward(req).await;
    }
    if layer.kind == Kind::RetryAfterMilliseconds {
        return milliseconds_window();
    }
    let mut resp = Response::new(Body::from("Too Many Requests\n"));
    *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    resp
}

/// The documented 429 in every respect but its `Retry-After`: a 1 s window written in milliseconds.
fn milliseconds_window() -> Response {
    let body = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests.","detail":"Rate limit exceeded; retry later.","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1000"));
    resp
}
