//! Faults in what a list-shaped answer or the oplog carries: every answer is still a 2xx of the right
//! shape, so only a check that knows which objects and entries must be there (`oracle/list_window.rs`,
//! `oracle/oplog_pages.rs`) kills them. Each models an emulator's or a quick reimplementation's habit.

use super::body::{buffer, collection_route, has_shape, query_pairs};
use super::client_writes::signed_in_here as signed_in;
use super::isolation::rebuild;
use super::layer::{bufferable, Layer};
use super::Kind;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use journey_conformance::declare::routes::Shape;
use serde_json::Value;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::SkipIgnored
            | Kind::CountIsTotal
            | Kind::SortUppercaseIgnored
            | Kind::QueryJsonAsList
            | Kind::SearchListsAll
            | Kind::OplogNextStartRepeats
            | Kind::OplogTailFromStart
    )
}

/// A GET of `path?query` with these headers (the same caller's), answered as the reference answers it.
async fn get(layer: &Layer, headers: &HeaderMap, path_and_query: &str) -> Response {
    let mut again = Request::new(axum::body::Body::empty());
    *again.method_mut() = Method::GET;
    if let Ok(uri) = path_and_query.parse::<Uri>() {
        *again.uri_mut() = uri;
    }
    *again.headers_mut() = headers.clone();
    again.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    again.headers_mut().remove(axum::http::header::CONTENT_TYPE);
    layer.forward(again).await
}

/// The query rebuilt from the pairs `keep` keeps, each as it was sent.
fn kept(query: &str, keep: impl Fn(&str, &str) -> bool) -> String {
    let pairs = query_pairs(query);
    pairs.iter().filter(|p| keep(&p.key, &p.value)).map(|p| p.raw).collect::<Vec<_>>().join("&")
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    if !signed_in(layer, &req) {
        return layer.forward(req).await;
    }
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let list = req.method() == Method::GET && collection_route(&path).is_some();
    let oplog = req.method() == Method::GET && has_shape(&path, Shape::Oplog);
    match layer.kind {
        // An emulator that slices `objects[..limit]` and forgot the offset (once `skip` has been validated).
        Kind::SkipIgnored if list => {
            let positive = |k: &str, v: &str| k == "skip" && v.parse::<u64>().is_ok_and(|n| n > 0);
            if !query_pairs(&query).iter().any(|p| positive(&p.key, &p.value)) {
                return layer.forward(req).await;
            }
            let checked = layer.forward(get_copy(&req)).await;
            if !checked.status().is_success() {
                return checked;
            }
            get(layer, req.headers(), &with_query(&path, &kept(&query, |k, v| !positive(k, v)))).await
        }
        Kind::CountIsTotal if list => count_is_total(layer, req, &path, &query).await,
        // A direction compared with the lower-case words only: `DESC` sorts ascending.
        Kind::SortUppercaseIgnored if list => {
            let pairs = query_pairs(&query);
            let upper = |k: &str, v: &str| k.starts_with("sort[") && matches!(v, "DESC" | "ASC");
            if !pairs.iter().any(|p| upper(&p.key, &p.value)) {
                return layer.forward(req).await;
            }
            let rewritten: Vec<String> = pairs
                .iter()
                .map(|p| {
                    if upper(&p.key, &p.value) {
                        format!("{}=asc", p.raw.split('=').next().unwrap_or(""))
                    } else {
                        p.raw.to_string()
                    }
                })
                .collect();
            get(layer, req.headers(), &with_query(&path, &rewritten.join("&"))).await
        }
        Kind::QueryJsonAsList if req.method() == Method::POST && has_shape(&path, Shape::Query) && bufferable(&req) => {
            query_as_list(layer, req, &path).await
        }
        // A search that answers the type's list, whatever the text.
        Kind::SearchListsAll if req.method() == Method::POST && has_shape(&path, Shape::Search) => {
            let Some(list) = path.strip_suffix("/search.json").map(|p| format!("{p}.json")) else {
                return layer.forward(req).await;
            };
            get(layer, req.headers(), &list).await
        }
        // The last entry's own sequence handed back as the next start, so each page repeats it.
        Kind::OplogNextStartRepeats if oplog => {
            let (parts, body) = layer.forward(req).await.into_parts();
            let bytes = buffer(body).await;
            let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let next = doc
                .get("next_request_start")
                .and_then(|v| v.as_str().and_then(|s| s.parse::<u64>().ok()).or(v.as_u64()));
            match next
                .filter(|n| *n > 1 && parts.status.is_success() && doc.get("has_more") == Some(&Value::Bool(true)))
            {
                Some(n) => {
                    doc["next_request_start"] = Value::String((n - 1).to_string());
                    rebuild(parts, doc.to_string())
                }
                None => rebuild(parts, bytes),
            }
        }
        // `tail=true` not implemented: the log is read from its start, as if `start=0` were given.
        Kind::OplogTailFromStart if oplog => {
            let pairs = query_pairs(&query);
            if !pairs.iter().any(|p| p.key == "tail" && p.value == "true") {
                return layer.forward(req).await;
            }
            let mut rest = kept(&query, |k, _| k != "tail");
            if !pairs.iter().any(|p| p.key == "start") {
                rest = if rest.is_empty() { "start=0".into() } else { format!("start=0&{rest}") };
            }
            get(layer, req.headers(), &with_query(&path, &rest)).await
        }
        _ => layer.forward(req).await,
    }
}

/// A bodiless copy of a GET, to validate its parameters before the faulty reading.
fn get_copy(req: &Request) -> Request {
    let mut copy = Request::new(axum::body::Body::empty());
    *copy.method_mut() = Method::GET;
    *copy.uri_mut() = req.uri().clone();
    *copy.headers_mut() = req.headers().clone();
    copy
}

/// A list whose `count` is the number of all matches, as a store's count of the filter (Mongo's
/// `countDocuments`) reports it, not the page's length.
async fn count_is_total(layer: &Layer, req: Request, path: &str, query: &str) -> Response {
    let asked_total = query_pairs(query).iter().any(|p| p.key == "total");
    let counted = match (asked_total, query.is_empty()) {
        (true, _) => query.to_string(),
        (false, true) => "total=true".to_string(),
        (false, false) => format!("{query}&total=true"),
    };
    let (parts, body) = get(layer, req.headers(), &with_query(path, &counted)).await.into_parts();
    let bytes = buffer(body).await;
    let mut doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let Some(total) = doc.get("total").cloned().filter(|_| parts.status.is_success()) else {
        return layer.forward(req).await;
    };
    doc["count"] = total;
    if !asked_total {
        if let Some(map) = doc.as_object_mut() {
            map.remove("total");
        }
    }
    rebuild(parts, doc.to_string())
}

/// `query.json` answered as the type's plain list with the body's `limit` and `skip`: the expression,
/// its arguments and the sort are read past.
async fn query_as_list(layer: &Layer, req: Request, path: &str) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = buffer(body).await;
    let doc: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let (Some(list), true) = (path.strip_suffix("/query.json").map(|p| format!("{p}.json")), doc.is_object()) else {
        return layer.forward(super::layer::with_body(parts, bytes.to_vec())).await;
    };
    let paging: Vec<String> = ["limit", "skip"]
        .iter()
        .filter_map(|k| doc.get(*k).and_then(Value::as_u64).map(|n| format!("{k}={n}")))
        .collect();
    let req = Request::from_parts(parts, axum::body::Body::empty());
    get(layer, req.headers(), &with_query(&list, &paging.join("&"))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_query_keeps_the_pairs_as_sent() {
        let q = "query%5Bname.contains%5D=a+b&skip=1&limit=2";
        assert_eq!(kept(q, |k, _| k != "skip"), "query%5Bname.contains%5D=a+b&limit=2");
        assert_eq!(with_query("/p", ""), "/p");
        assert!(has_shape("/api/v4/acc/objects/task/query.json", Shape::Query));
    }
}
