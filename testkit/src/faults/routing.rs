//! Routing and parsing habits of web frameworks, each killed by the attack made for it: a route mounted
//! before the authentication middleware, a single object's `.xml` rendered as JSON, a method override
//! honoured (Rack::MethodOverride, Express' method-override), a case-insensitive router (Express' default),
//! handlers registered for every method (`app.all`), and a database that refuses a lone surrogate the JSON
//! parser let through (a 500).

use super::body::{account, buffer, query_pairs, route};
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use journey_conformance::declare::routes::Shape;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::CredentialsIgnoredOnInfo
            | Kind::ObjectXmlAsJson
            | Kind::MethodOverrideHonored
            | Kind::CaseInsensitiveRoutes
            | Kind::VendorRoutesAnyMethod
            | Kind::LoneSurrogate500
    )
}

/// The override headers Rack and Express' method-override read.
const OVERRIDE_HEADERS: [&str; 3] = ["x-http-method-override", "x-http-method", "x-method-override"];

/// The route literals of the API, lower case, with and without their suffix.
const LITERALS: [&str; 9] =
    ["objects", "datamodel", "oplog", "batch", "info", "indexes", "query", "search", "attachments"];

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, mut req: Request) -> Response {
    let path = req.uri().path().to_string();
    match layer.kind {
        // `info.json` and `indexes.json` mounted before the authentication middleware, as a status page is.
        Kind::CredentialsIgnoredOnInfo if req.method() == Method::GET => {
            let open = route(&path).is_some_and(|m| matches!(m.shape, Shape::Info | Shape::Indexes));
            if let (true, Some(auth)) = (open, account(&path).and_then(|a| layer.authorization_of(a))) {
                req.headers_mut().insert(header::AUTHORIZATION, auth);
            }
            layer.forward(req).await
        }
        // One object's `.xml` served by the JSON renderer under the suffix the router stripped.
        Kind::ObjectXmlAsJson if req.method() == Method::GET => {
            let object = route(&path).is_some_and(|m| m.shape == Shape::Object) && path.ends_with(".xml");
            if let Some(uri) = object.then(|| json_uri(req.uri())).flatten() {
                *req.uri_mut() = uri;
            }
            layer.forward(req).await
        }
        Kind::MethodOverrideHonored if req.method() == Method::POST => overridden(layer, req).await,
        // Express' router matches case-insensitively: a literal in any case reaches its route.
        Kind::CaseInsensitiveRoutes => {
            if let Some(uri) = lowered(req.uri()) {
                *req.uri_mut() = uri;
            }
            layer.forward(req).await
        }
        // Handlers registered with `app.all`: any method on the vendor clients' documents is a GET.
        Kind::VendorRoutesAnyMethod if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) => {
            let document =
                route(&path).is_some_and(|m| matches!(m.shape, Shape::Info | Shape::Indexes | Shape::DataModelXml));
            if document {
                *req.method_mut() = Method::GET;
                *req.body_mut() = Body::empty();
                req.headers_mut().remove(header::CONTENT_LENGTH);
            }
            layer.forward(req).await
        }
        Kind::LoneSurrogate500 if bufferable(&req) => {
            let (parts, body) = req.into_parts();
            let bytes = buffer(body).await;
            if stores_lone_surrogate(&bytes) {
                let detail = r#"{"error":"unsupported Unicode escape sequence"}"#;
                return (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, "application/json")], detail)
                    .into_response();
            }
            layer.forward(with_body(parts, bytes.to_vec())).await
        }
        _ => layer.forward(req).await,
    }
}

/// The URI with its `.xml` suffix read as `.json`.
fn json_uri(uri: &Uri) -> Option<Uri> {
    let path = uri.path().strip_suffix(".xml")?;
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{path}.json{query}").parse().ok()
}

/// The URI with every route literal below the account lowered (`OBJECTS` → `objects`, `datamodel.JSON` →
/// `datamodel.json`), if any was in another case.
fn lowered(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    let (prefix, below) = path.split_once("/api/v4/")?;
    let (acct, rest) = below.split_once('/')?;
    let segments: Vec<String> = rest
        .split('/')
        .map(|s| {
            let lower = s.to_ascii_lowercase();
            let stem = lower.split('.').next().unwrap_or("");
            if LITERALS.contains(&stem)
                && lower != s
                && (stem == lower || lower.ends_with(".json") || lower.ends_with(".xml"))
            {
                lower
            } else if let Some(stem) = s.strip_suffix(".JSON") {
                format!("{stem}.json")
            } else {
                s.to_string()
            }
        })
        .collect();
    let new = format!("{prefix}/api/v4/{acct}/{}", segments.join("/"));
    if new == path {
        return None;
    }
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    format!("{new}{query}").parse().ok()
}

/// A POST turned into the method an override names: a header, `_method` in the query or in a form body.
async fn overridden(layer: &Layer, req: Request) -> Response {
    let from_header =
        OVERRIDE_HEADERS.iter().find_map(|h| req.headers().get(*h)).and_then(|v| v.to_str().ok()).map(str::to_string);
    let query = req.uri().query().unwrap_or_default().to_string();
    let from_query = query_pairs(&query).into_iter().find(|p| p.key == "_method").map(|p| p.value);
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded"));
    if !bufferable(&req) {
        return layer.forward(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let mut bytes = buffer(body).await.to_vec();
    let mut method = from_header.or(from_query);
    if form {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(found) = query_pairs(&text).into_iter().find(|p| p.key == "_method") {
            method = method.or(Some(found.value));
            let rest: Vec<&str> = text.split('&').filter(|p| !p.starts_with("_method=")).collect();
            bytes = rest.join("&").into_bytes();
        }
    }
    if let Some(m) = method.and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok()) {
        parts.method = m;
        if parts.method == Method::DELETE {
            bytes.clear();
            parts.headers.remove(header::CONTENT_TYPE);
        }
        parts.headers.insert("x-overridden", HeaderValue::from_static("1"));
    }
    layer.forward(with_body(parts, bytes)).await
}

/// Whether a body's JSON holds a `\u` escape of an unpaired surrogate and is otherwise well-formed: what a
/// parser that accepts the escape hands a database that cannot store it.
fn stores_lone_surrogate(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    let escapes: Vec<(usize, u16)> = text
        .match_indices("\\u")
        .filter(|(at, _)| !text[..*at].ends_with('\\') || text[..*at].ends_with("\\\\"))
        .filter_map(|(at, _)| Some((at, u16::from_str_radix(text.get(at + 2..at + 6)?, 16).ok()?)))
        .collect();
    let high = |u: u16| (0xD800..0xDC00).contains(&u);
    let low = |u: u16| (0xDC00..0xE000).contains(&u);
    let mut lone = Vec::new();
    let mut i = 0;
    while i < escapes.len() {
        let (at, u) = escapes[i];
        let paired = high(u) && escapes.get(i + 1).is_some_and(|(next, v)| *next == at + 6 && low(*v));
        if paired {
            i += 2;
            continue;
        }
        if high(u) || low(u) {
            lone.push(at);
        }
        i += 1;
    }
    if lone.is_empty() {
        return false;
    }
    // The rest must parse: the escapes put aside, a well-formed body is what reaches the database.
    let mut patched = text.into_owned();
    for at in lone.into_iter().rev() {
        patched.replace_range(at..at + 6, "\\u0020");
    }
    serde_json::from_str::<serde_json::Value>(&patched).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_case_literals_are_lowered_and_parameters_kept() {
        let uri = |s: &str| s.parse::<Uri>().expect("a test URI");
        assert_eq!(
            lowered(&uri("/api/v4/acc/OBJECTS/Task.json?x=1")).unwrap().to_string(),
            "/api/v4/acc/objects/Task.json?x=1"
        );
        assert_eq!(lowered(&uri("/api/v4/acc/datamodel.JSON")).unwrap().to_string(), "/api/v4/acc/datamodel.json");
        assert_eq!(
            lowered(&uri("/api/v4/acc/objects/task/QUERY.json")).unwrap().to_string(),
            "/api/v4/acc/objects/task/query.json"
        );
        assert!(lowered(&uri("/api/v4/acc/objects/task/AB12.json")).is_none());
        assert!(lowered(&uri("/api/v4/acc/objects/task.json")).is_none());
    }

    #[test]
    fn only_a_well_formed_body_with_a_lone_surrogate_reaches_the_database() {
        assert!(stores_lone_surrogate(br#"{"task":{"name":"m \uD800"}}"#));
        assert!(stores_lone_surrogate(br#"{"task":{"name":"\uDFAA x"}}"#));
        assert!(!stores_lone_surrogate(br#"{"task":{"name":"\uD834\uDD1E"}}"#), "a pair");
        assert!(!stores_lone_surrogate(br#"{"task":{"name":"\uD800"#), "broken JSON is the parser's");
        assert!(!stores_lone_surrogate(br#"{"task":{"name":"\\uD800"}}"#), "an escaped backslash");
    }
}
