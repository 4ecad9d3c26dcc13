//! Faults that only rewrite the reference's answer: the status, a header, or the error body.

use super::body::{buffer, error_body, error_type};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

/// What a response rewrite may know of the request it answers.
pub(super) struct Facts {
    pub path: String,
    /// The query string, without `?` (empty when none).
    pub query: String,
    pub authorization: Option<HeaderValue>,
}

impl Facts {
    pub fn of(req: &Request) -> Facts {
        Facts {
            path: req.uri().path().to_string(),
            query: req.uri().query().unwrap_or_default().to_string(),
            authorization: req.headers().get(header::AUTHORIZATION).cloned(),
        }
    }
}

/// Whether `kind` rewrites answers.
fn rewrites(kind: Kind) -> bool {
    use Kind::*;
    matches!(
        kind,
        Status405
            | MissingSee
            | TextPlainErrors
            | ServerErrorOnBadRequest
            | StackTraceInDetail
            | EchoAuthorization
            | HtmlNotFound
            | TypeStatusMismatch
            | PlainText401
            | PoweredByHeader
            | ErrorsAs200
            | Forbidden403
            | SqlErrorOnBadId
            | UndocumentedType
            | SeeWithoutFragment
            | WrongSeeFragment
            | SlowQueryHeader
    )
}

/// The answer as the faulty target sends it.
pub(super) async fn rewrite(kind: Kind, facts: &Facts, resp: Response) -> Response {
    if !rewrites(kind) {
        return resp;
    }
    if kind == Kind::PoweredByHeader {
        let mut resp = resp;
        resp.headers_mut().insert("x-powered-by", HeaderValue::from_static("Express"));
        return resp;
    }
    if kind == Kind::SlowQueryHeader {
        let mut resp = resp;
        if large_page(&facts.query) {
            let sql = "SELECT * FROM objects WHERE account_id = $1 ORDER BY created_at LIMIT 1000";
            resp.headers_mut().insert("x-debug-slow-query", HeaderValue::from_static(sql));
        }
        return resp;
    }
    if resp.status().as_u16() < 400 {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = buffer(body).await;
    let mut json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let t = error_type(&bytes).unwrap_or_default();
    let mut out = bytes.to_vec();
    let status = parts.status;
    match kind {
        Kind::Status405 if t == "ROUTE_ERROR" => parts.status = StatusCode::METHOD_NOT_ALLOWED,
        Kind::MissingSee => {
            if let Some(map) = json.as_object_mut() {
                map.remove("see");
                out = json.to_string().into_bytes();
            }
        }
        Kind::SeeWithoutFragment => {
            if let Some(see) = json.get_mut("see") {
                *see = "https://docs.journeyapps.com/api-errors".into();
                out = json.to_string().into_bytes();
            }
        }
        Kind::WrongSeeFragment => {
            let other = if t == "OBJECT_NOT_FOUND" { "INVALID_API_REQUEST" } else { "OBJECT_NOT_FOUND" };
            if let Some(see) = json.get_mut("see") {
                *see = format!("https://docs.journeyapps.com/api-errors#{other}").into();
                out = json.to_string().into_bytes();
            }
        }
        Kind::TextPlainErrors => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        }
        Kind::ServerErrorOnBadRequest if status == StatusCode::BAD_REQUEST => {
            parts.status = StatusCode::INTERNAL_SERVER_ERROR;
            out = error_body("INTERNAL_SERVER_ERROR", "Unexpected token in JSON.");
        }
        Kind::StackTraceInDetail if json.is_object() => {
            json["detail"] = "Error: boom\n    at handler (/home/app/src/server.js:10:5)".into();
            out = json.to_string().into_bytes();
        }
        Kind::EchoAuthorization => {
            if let Some(auth) = &facts.authorization {
                parts.headers.insert("x-debug-authorization", auth.clone());
            }
        }
        Kind::HtmlNotFound if status == StatusCode::NOT_FOUND => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            out = b"<html><body><h1>404 Not Found</h1></body></html>".to_vec();
        }
        Kind::TypeStatusMismatch if t == "OBJECT_NOT_FOUND" => parts.status = StatusCode::BAD_REQUEST,
        Kind::PlainText401 if status == StatusCode::UNAUTHORIZED => {
            parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            out = b"HTTP Basic: Access denied.\n".to_vec();
        }
        Kind::ErrorsAs200 => parts.status = StatusCode::OK,
        Kind::Forbidden403 if t == "ACCOUNT_NOT_FOUND" => {
            parts.status = StatusCode::FORBIDDEN;
            out = error_body("FORBIDDEN", "You do not have access to this account.");
        }
        Kind::SqlErrorOnBadId if t == "OBJECT_NOT_FOUND" => {
            let id = super::body::object_route(&facts.path).map(|(_, id)| id).unwrap_or_default();
            if !is_lowercase_uuid(&id) {
                parts.status = StatusCode::INTERNAL_SERVER_ERROR;
                let detail = "PG::InvalidTextRepresentation: ERROR:  invalid input syntax for type uuid";
                out = error_body("INTERNAL_SERVER_ERROR", detail);
            }
        }
        Kind::UndocumentedType if t == "INVALID_API_REQUEST" => {
            out = error_body("VALIDATION_ERROR", "The request is invalid.")
        }
        _ => {}
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(out))
}

/// A page of more than 100 objects: the slow path a query logger notices.
fn large_page(query: &str) -> bool {
    query.split('&').filter_map(|pair| pair.strip_prefix("limit=")).any(|v| v.parse::<u32>().is_ok_and(|n| n > 100))
}

fn is_lowercase_uuid(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
            }
        })
}
