//! Faults in what a read matches: `query[field.contains]` compared in lower case, as a filter applied in
//! application code after the store's query often is, and a search stubbed to find nothing. The answer
//! is a 2xx list either way, so only a control that judges which objects are listed can kill them.

use super::body::{buffer, collection_route, has_shape, query_pairs};
use super::isolation::rebuild;
use super::layer::Layer;
use super::Kind;
use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::Response;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// Whether `kind` is this file's fault.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(kind, Kind::ContainsCaseInsensitive | Kind::SearchStubEmpty)
}

/// The `contains` condition of a list query, as `(field, value)`, and the query without it.
fn contains(query: &str) -> Option<((String, String), String)> {
    let pairs = query_pairs(query);
    let (at, found) = pairs.iter().enumerate().find_map(|(i, p)| {
        let inner = p.key.strip_prefix("query[").or_else(|| p.key.strip_prefix("q["))?.strip_suffix(".contains]")?;
        Some((i, (inner.to_string(), p.value.clone())))
    })?;
    let rest: Vec<&str> = pairs.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, p)| p.raw).collect();
    Some((found, rest.join("&")))
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    if layer.kind == Kind::SearchStubEmpty {
        return stub_search(layer, req).await;
    }
    contains_any_case(layer, req).await
}

/// A signed-in search answered with the list envelope of nothing.
async fn stub_search(layer: &Layer, req: Request) -> Response {
    let search = req.method() == Method::POST && has_shape(req.uri().path(), Shape::Search);
    let (parts, body) = layer.forward(req).await.into_parts();
    let bytes = buffer(body).await;
    if !(search && parts.status.is_success()) {
        return rebuild(parts, bytes);
    }
    rebuild(parts, serde_json::json!({"objects": [], "count": 0, "more": false}).to_string())
}

/// The list without the `contains` condition, then filtered ignoring case.
async fn contains_any_case(layer: &Layer, mut req: Request) -> Response {
    let list = req.method() == Method::GET && collection_route(req.uri().path()).is_some();
    let Some(((field, value), rest)) = list.then(|| contains(req.uri().query().unwrap_or_default())).flatten() else {
        return layer.forward(req).await;
    };
    let path = req.uri().path().to_string();
    let Ok(uri) = (if rest.is_empty() { path } else { format!("{path}?{rest}") }).parse::<Uri>() else {
        return layer.forward(req).await;
    };
    *req.uri_mut() = uri;
    let needle = value.to_lowercase();
    narrowed(layer.forward(req).await, |o| {
        o.get(&field).and_then(Value::as_str).is_some_and(|s| s.to_lowercase().contains(&needle))
    })
    .await
}

/// A 2xx list answer with only the objects `keep` takes, its `count` (and `total`, when it has one) to match.
pub(super) async fn narrowed(resp: Response, keep: impl Fn(&Value) -> bool) -> Response {
    let (parts, body) = resp.into_parts();
    let bytes = buffer(body).await;
    let mut page: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let Some(objects) = page.get_mut("objects").and_then(Value::as_array_mut).filter(|_| parts.status.is_success())
    else {
        return rebuild(parts, bytes);
    };
    objects.retain(keep);
    let count = objects.len();
    page["count"] = Value::from(count);
    if page.get("total").is_some() {
        page["total"] = Value::from(count);
    }
    rebuild(parts, page.to_string())
}

#[cfg(test)]
mod tests {
    use super::contains;

    #[test]
    fn the_contains_condition_is_found_and_taken_out_of_the_query() {
        let ((field, value), rest) = contains("limit=5&query%5Bname.contains%5D=Wash+Dish&sort%5Bname%5D=1").unwrap();
        assert_eq!((field.as_str(), value.as_str(), rest.as_str()), ("name", "Wash Dish", "limit=5&sort%5Bname%5D=1"));
        assert_eq!(contains("q[name.contains]=x").map(|(f, r)| (f.0, r)), Some(("name".to_string(), String::new())));
        assert!(contains("query%5Bname%5D=x&limit=1").is_none());
    }
}
