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
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

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
    serde_json::from_slice::<Duplicates>(body).is_ok_and(|d| d.0)
}

/// A JSON document read only for whether any of its objects repeats a key.
struct Duplicates(bool);

impl<'de> Deserialize<'de> for Duplicates {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DuplicatesVisitor)
    }
}

struct DuplicatesVisitor;

impl<'de> Visitor<'de> for DuplicatesVisitor {
    type Value = Duplicates;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_str<E>(self, _: &str) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_unit<E>(self) -> Result<Duplicates, E> {
        Ok(Duplicates(false))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Duplicates, A::Error> {
        let mut found = false;
        while let Some(Duplicates(d)) = seq.next_element()? {
            found |= d;
        }
        Ok(Duplicates(found))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Duplicates, A::Error> {
        let mut keys = HashSet::new();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            found |= !keys.insert(key);
            found |= map.next_value::<Duplicates>()?.0;
        }
        Ok(Duplicates(found))
    }
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
