//! Faults in what the vendor's db client sends (journeyapps-db): a `query.json` expression read a
//! little wrong (`=` ignoring case, `or` binding tighter once parentheses are skipped, `starts with` as
//! `contains`, `not in` as `in`, an `in` array cut to its first ID), its location array refused, its
//! attachment URLs asking for credentials, and `total` only given when asked. Each is killed by one
//! `clients/*` control alone: the query faults still answer 200, so only the objects listed show them.

use super::body::{buffer, collection_route, each_object, has_shape, query_pairs, route};
use super::client_writes::signed_in_here;
use super::clients::{refusal, segments};
use super::filters::narrowed;
use super::isolation::rebuild;
use super::layer::{bufferable, with_body, Layer};
use super::Kind;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// JSON nesting the location search follows.
const DEPTH: usize = 64;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::QueryEqIgnoresCase
            | Kind::QueryOrBindsTighter
            | Kind::QueryStartsWithAsContains
            | Kind::QueryNotInAsIn
            | Kind::QueryInTakesFirst
            | Kind::LocationArrayRefused
            | Kind::AttachmentNeedsCredentials
            | Kind::TotalOnlyWhenAsked
            | Kind::TokenSchemeRefused
    )
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    match layer.kind {
        Kind::AttachmentNeedsCredentials => needs_credentials(layer, req).await,
        Kind::TotalOnlyWhenAsked => total_only_when_asked(layer, req).await,
        Kind::LocationArrayRefused => location_array_refused(layer, req).await,
        Kind::TokenSchemeRefused => token_scheme_refused(layer, req).await,
        _ => query(layer, req).await,
    }
}

/// The documented 401, with its challenge.
fn unauthorized(detail: &str) -> Response {
    let mut resp = refusal(StatusCode::UNAUTHORIZED, "AUTHENTICATION_FAILED", detail);
    resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"JourneyApps\""));
    resp
}

/// A capability URL answered only to a signed-in request, like every other route of the API.
async fn needs_credentials(layer: &Layer, req: Request) -> Response {
    let segs = segments(req.uri().path()).unwrap_or_default();
    let capability = matches!(segs.as_slice(), ["attachments", _, _] | ["files", _, _, _]);
    if capability && !req.headers().contains_key(header::AUTHORIZATION) {
        return unauthorized("Authentication is required.");
    }
    layer.forward(req).await
}

/// Only the docs' scheme words, `Basic` and `Bearer`: the db client's `Token <token>` is a wrong credential.
async fn token_scheme_refused(layer: &Layer, req: Request) -> Response {
    let scheme = req.headers().get(header::AUTHORIZATION).and_then(|v| v.as_bytes().split(|b| *b == b' ').next());
    if scheme.is_some_and(|s| s.eq_ignore_ascii_case(b"token")) {
        return unauthorized("Authentication failed.");
    }
    layer.forward(req).await
}

/// A list answered with `total` only when `total=true` asked for it.
async fn total_only_when_asked(layer: &Layer, req: Request) -> Response {
    let list = req.method() == Method::GET && collection_route(req.uri().path()).is_some();
    let asked = query_pairs(req.uri().query().unwrap_or_default()).iter().any(|p| p.key == "total");
    let (parts, body) = layer.forward(req).await.into_parts();
    let bytes = buffer(body).await;
    let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let dropped =
        list && !asked && parts.status.is_success() && doc.as_object_mut().is_some_and(|p| p.remove("total").is_some());
    if dropped {
        rebuild(parts, doc.to_string())
    } else {
        rebuild(parts, bytes)
    }
}

/// Whether a JSON value is the db client's location array.
fn location_array(v: &Value) -> bool {
    matches!(v, Value::Array(items) if items.len() == 6 && items[0].is_number() && items[1].is_number())
}

/// Object and batch writes whose location arrays the validator refuses, as it refuses any non-object.
async fn location_array_refused(layer: &Layer, req: Request) -> Response {
    let writes = matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT);
    let shape = route(req.uri().path()).map(|m| m.shape);
    let object_write = matches!(shape, Some(Shape::Collection | Shape::Object | Shape::Batch));
    if !(writes && object_write && bufferable(&req) && signed_in_here(layer, &req)) {
        return layer.forward(req).await;
    }
    layer
        .forward_edited(req, &mut |doc| {
            let mut refused = false;
            each_object(doc, DEPTH, &mut |m| {
                for v in m.values_mut().filter(|v| location_array(v)) {
                    // What the validator then sees: a value it rejects as INVALID_VALUE.
                    *v = Value::String("not a location object".into());
                    refused = true;
                }
            });
            refused
        })
        .await
}

/// The expression with its parentheses skipped and `or` binding tighter than `and`: `A and B or C` is read
/// as `A and (B or C)`.
fn or_binds_tighter(expression: &str) -> String {
    let flat: String = expression.chars().filter(|c| !matches!(c, '(' | ')')).collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let parts: Vec<String> =
        flat.split(" and ").map(|p| if p.contains(" or ") { format!("({p})") } else { p.to_string() }).collect();
    parts.join(" and ")
}

/// The indexes of the placeholders whose condition is `in` (not `not in`).
fn in_placeholders(expression: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, (at, _)) in expression.match_indices('?').enumerate() {
        let before = expression[..at].trim_end();
        if before.ends_with(" in") && !before.ends_with(" not in") {
            out.push(i);
        }
    }
    out
}

/// `F = ?` when that is the whole expression (parentheses aside), with its field.
fn single_equality(expression: &str) -> Option<&str> {
    let inner = expression.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let (field, rest) = inner.split_once(' ')?;
    (rest.trim() == "= ?" && field.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')).then_some(field)
}

/// A `query.json` request as the faulty parser reads it.
async fn query(layer: &Layer, req: Request) -> Response {
    let is_query = req.method() == Method::POST && has_shape(req.uri().path(), Shape::Query) && bufferable(&req);
    if !is_query {
        return layer.forward(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let Ok(mut doc) = serde_json::from_slice::<Value>(&bytes) else {
        return layer.forward(with_body(parts, bytes.to_vec())).await;
    };
    let Some(expression) = doc.get("expression").and_then(Value::as_str).map(str::to_string) else {
        return layer.forward(with_body(parts, bytes.to_vec())).await;
    };
    let mut keep_equal: Option<(String, String)> = None;
    match layer.kind {
        Kind::QueryStartsWithAsContains => {
            doc["expression"] = Value::String(expression.replace(" starts with ", " contains "))
        }
        Kind::QueryNotInAsIn => doc["expression"] = Value::String(expression.replace(" not in ", " in ")),
        Kind::QueryOrBindsTighter => doc["expression"] = Value::String(or_binds_tighter(&expression)),
        Kind::QueryInTakesFirst => {
            for i in in_placeholders(&expression) {
                if let Some(Value::Array(items)) = doc.pointer_mut(&format!("/arguments/{i}")) {
                    items.truncate(1);
                }
            }
        }
        _ => {
            // `=` on text compared in lower case: asked as `contains`, then narrowed to equal text.
            let arg = doc.pointer("/arguments/0").and_then(Value::as_str).map(str::to_string);
            if let (Some(field), Some(arg)) = (single_equality(&expression), arg) {
                doc["expression"] = Value::String(format!("({field} contains ?)"));
                keep_equal = Some((field.to_string(), arg.to_lowercase()));
            }
        }
    }
    let resp = layer.forward(with_body(parts, doc.to_string().into_bytes())).await;
    let Some((field, wanted)) = keep_equal else { return resp };
    narrowed(resp, |o| o.get(&field).and_then(Value::as_str).is_some_and(|s| s.to_lowercase() == wanted)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_misreading_changes_only_its_own_part() {
        assert_eq!(or_binds_tighter("((a = ? and b = ?) or c = ?)"), "a = ? and (b = ? or c = ?)");
        assert_eq!(or_binds_tighter("(a = ?)"), "a = ?");
        assert_eq!(in_placeholders("(a = ? and id in ? or b not in ?)"), vec![1]);
        assert_eq!(in_placeholders("id in ?"), vec![0]);
        assert_eq!(single_equality("(name = ?)"), Some("name"));
        assert_eq!(single_equality("name = ? and b = ?"), None);
        assert_eq!(single_equality("(name starts with ?)"), None);
        assert!(location_array(&serde_json::json!([1, 2, null, null, null, null])));
        assert!(!location_array(&serde_json::json!([1, 2])) && !location_array(&serde_json::json!({"latitude": 1})));
    }
}
