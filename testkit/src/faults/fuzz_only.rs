//! Faults only the fuzzers find: each shows on an input no fixed case sends (a rare construct in a
//! body, a character class in a query, a length past any fixed case's), so the fixed cases pass
//! against them and the HTTP fuzz targets are what kill them (`Catcher::Fuzz`;
//! `scripts/fuzz-kill-table.sh` prints which target kills each and how fast).

use super::body::buffer;
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// The request-target length (path and query) past which the faulty front end gives up. The longest a
/// fixed case sends is about 2,100 bytes (`ids/malformed/*-very-long`), so only longer inputs reach it.
pub const LONG_URI: usize = 2560;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(kind, Kind::DuplicateFieldServerError | Kind::AstralQueryServerError | Kind::LongUriRefused)
}

pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    match layer.kind {
        Kind::LongUriRefused if req.uri().path_and_query().is_some_and(|p| p.as_str().len() > LONG_URI) => answer(
            StatusCode::URI_TOO_LONG,
            "text/html",
            "<html><body><h1>414 Request-URI Too Large</h1></body></html>",
        ),
        Kind::AstralQueryServerError if req.uri().query().is_some_and(astral) => {
            answer(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "Internal Server Error")
        }
        Kind::DuplicateFieldServerError if bufferable(&req) => {
            let (parts, body) = req.into_parts();
            let bytes = buffer(body).await;
            if duplicate_key(&bytes) {
                return answer(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "Internal Server Error");
            }
            layer.forward(with_body(parts, bytes.to_vec())).await
        }
        _ => layer.forward(req).await,
    }
}

fn answer(status: StatusCode, content_type: &'static str, body: &'static str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// Whether the decoded query holds a character outside the Basic Multilingual Plane (four bytes in
/// UTF-8): what a search index on a three-byte `utf8` column chokes on.
fn astral(query: &str) -> bool {
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(&query.replace('+', " ")).collect();
    String::from_utf8_lossy(&decoded).chars().any(|c| u32::from(c) > 0xFFFF)
}

/// Whether the body is JSON in which some object names one key twice: the construct a parser that
/// builds each object with insert-or-fail dies on (serde_json and the reference keep the last value).
fn duplicate_key(body: &[u8]) -> bool {
    use crate::properties::json::{parse, Parsed};
    matches!(parse(body), Parsed::Limited(why, _) if why == journey_conformance::declare::spec::generated::DUPLICATE_NAMES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_trigger_is_narrow() {
        assert!(duplicate_key(br#"{"task":{"name":"a","count":1,"name":"b"}}"#));
        assert!(duplicate_key(br#"{"operations":[{"object":{"type":"task","type":"task"}}]}"#));
        assert!(!duplicate_key(br#"{"task":{"name":"a","count":1}}"#));
        assert!(!duplicate_key(br#"{"task":{"name":"a","name":"b"}"#), "invalid JSON is the parser's 400, not this");
        assert!(astral("query%5Bname%5D=%F0%9F%98%80"));
        assert!(!astral("query%5Bname%5D=%E3%80%80%C3%A9"));
        assert!(!astral("limit=5"));
    }
}
