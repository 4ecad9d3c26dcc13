//! Faults in what the vendor's own clients read: a route they fetch that is missing, a format they ask
//! for that is not served, a list or oplog parameter they send (or a docs example uses) that is refused.
//! Each turns one control (`clients/*`, or the docs example's `query/*` control) into an error, the proof
//! that the control can fail.

use super::body::{account, below_account, error_body, query_pairs};
use super::layer::Layer;
use super::{fault, Fault, Kind};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;

/// A fault of this file or of `client_writes.rs`: only the cases whose IDs start with `within` may kill it.
pub(super) const fn client(
    name: &'static str,
    clause: &'static str,
    bug: &'static str,
    kind: Kind,
    within: &'static str,
) -> Fault {
    Fault { killed_within: Some(within), ..fault(name, clause, bug, kind) }
}

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::EmptyPagingRefused
            | Kind::SortWordsOnly
            | Kind::SortDirectionUnsigned
            | Kind::TotalRefused
            | Kind::EmbedRefused
            | Kind::OplogSequenceIdsRefused
            | Kind::DataModelXmlMissing
            | Kind::DataModelSuffixRequired
            | Kind::ListSuffixRequired
            | Kind::ListXmlMissing
            | Kind::InfoMissing
            | Kind::IndexesMissing
            | Kind::UpdatedAtSortRefused
            | Kind::SearchMissing
    )
}

/// A documented error answer, as the faulty target words it.
pub(super) fn refusal(status: StatusCode, t: &str, detail: &str) -> Response {
    let mut resp = Response::new(Body::from(error_body(t, detail)));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

/// The segments of a reference path below its account (`["objects", "task.json"]`), if it has an account.
pub(super) fn segments(path: &str) -> Option<Vec<&str>> {
    let (_, below) = below_account(path)?;
    Some(below.strip_prefix('/')?.split('/').collect())
}

/// Whether a path is the list of a type (`objects/{type}`, in any format).
fn is_list(segs: &[&str]) -> bool {
    matches!(segs, ["objects", t] if !t.is_empty())
}

/// Whether a path is one object (`objects/{type}/{id}`, in any format), not `query.json`.
fn is_object(segs: &[&str]) -> bool {
    matches!(segs, ["objects", t, id] if !t.is_empty() && !id.is_empty() && *id != "query.json")
}

/// The query's pairs, keys and values percent-decoded (`sort%5Bname%5D=-1` is `("sort[name]", "-1")`).
fn pairs(query: &str) -> Vec<(String, String)> {
    query_pairs(query).into_iter().map(|p| (p.key, p.value)).collect()
}

/// Whether the faulty router has no route for this path: the client's document is never served.
fn missing(kind: Kind, segs: &[&str]) -> bool {
    let last = segs.last().copied().unwrap_or_default();
    match kind {
        // A JSON-only reimplementation: the schema was never rendered as XML.
        Kind::DataModelXmlMissing => segs == ["datamodel.xml"],
        // The schema served as a static file by its full name.
        Kind::DataModelSuffixRequired => segs == ["datamodel"],
        // The list route declared as `objects/:type.:format` with a mandatory format.
        Kind::ListSuffixRequired => is_list(segs) && !last.contains('.'),
        // Object routes that render JSON only.
        // (A single object's `.xml` is `object-xml-as-json`'s, judged by `formats/get/xml`.)
        Kind::ListXmlMissing => is_list(segs) && last.ends_with(".xml"),
        Kind::InfoMissing => matches!(segs, ["info.json" | "info"]),
        Kind::IndexesMissing => matches!(segs, ["indexes.json" | "indexes"]),
        // An implementation of the list and query routes only, without the docs' search.
        Kind::SearchMissing => matches!(segs, ["objects", _, "search.json" | "search"]),
        _ => false,
    }
}

/// Why the faulty target refuses a GET with these parameters, if it does.
fn refused(kind: Kind, segs: &[&str], pairs: &[(String, String)]) -> Option<&'static str> {
    let any = |f: &dyn Fn(&str, &str) -> bool| pairs.iter().any(|(k, v)| f(k, v));
    let sort = |k: &str| k.starts_with("sort[");
    let hit = match kind {
        // `limit=` parsed as an integer with no case for "given but empty".
        Kind::EmptyPagingRefused => is_list(segs) && any(&|k, v| matches!(k, "limit" | "skip") && v.is_empty()),
        // Only the words of the docs' first example: asc, desc, ASC, DESC.
        Kind::SortWordsOnly => is_list(segs) && any(&|k, v| sort(k) && matches!(v, "1" | "-1")),
        // A word or an unsigned digit: the minus sign of `-1` fails the parse.
        Kind::SortDirectionUnsigned => is_list(segs) && any(&|k, v| sort(k) && v.starts_with('-')),
        Kind::TotalRefused => is_list(segs) && any(&|k, _| k == "total"),
        Kind::EmbedRefused => (is_list(segs) || is_object(segs)) && any(&|k, _| k.starts_with("embed")),
        Kind::OplogSequenceIdsRefused => matches!(segs, ["oplog.json" | "oplog"]) && any(&|k, _| k == "sequence_ids"),
        // Sort keys checked against the model's fields and the underscored hidden ones only.
        Kind::UpdatedAtSortRefused => is_list(segs) && any(&|k, _| k == "sort[updated_at]"),
        _ => false,
    };
    hit.then_some(match kind {
        Kind::EmptyPagingRefused => "limit and skip must be non-negative integers.",
        Kind::SortWordsOnly | Kind::SortDirectionUnsigned => "The sort direction must be asc or desc.",
        Kind::OplogSequenceIdsRefused => "Unknown parameter: sequence_ids.",
        Kind::UpdatedAtSortRefused => "Invalid sort field 'updated_at'.",
        _ => "Unknown parameter.",
    })
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let Some(segs) = segments(&path).filter(|_| account(&path).is_some_and(|a| !a.is_empty())) else {
        return layer.forward(req).await;
    };
    if missing(layer.kind, &segs) {
        return refusal(StatusCode::NOT_FOUND, "ROUTE_ERROR", "No route matches this method and path.");
    }
    let pairs = pairs(req.uri().query().unwrap_or_default());
    let why = (req.method() == Method::GET).then(|| refused(layer.kind, &segs, &pairs)).flatten();
    let resp = layer.forward(req).await;
    // Parameters are read after authentication, account and type: only an answer that would have succeeded changes.
    match why {
        Some(detail) if resp.status().is_success() => refusal(StatusCode::BAD_REQUEST, "INVALID_API_REQUEST", detail),
        _ => resp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_decoded_and_routes_recognised() {
        assert_eq!(
            pairs("limit=&sort%5Bname%5D=-1&embed%5B%5D=owner&total"),
            [("limit", ""), ("sort[name]", "-1"), ("embed[]", "owner"), ("total", "")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        fn segs(p: &str) -> Vec<&str> {
            segments(p).unwrap_or_default()
        }
        assert!(is_list(&segs("/api/v4/acc/objects/task")) && is_list(&segs("/api/v4/acc/objects/task.xml")));
        assert!(is_object(&segs("/api/v4/acc/objects/task/ab.json")));
        assert!(!is_object(&segs("/api/v4/acc/objects/task/query.json")));
        assert!(missing(Kind::ListSuffixRequired, &segs("/api/v4/acc/objects/task")));
        assert!(!missing(Kind::ListSuffixRequired, &segs("/api/v4/acc/objects/task.json")));
        assert!(missing(Kind::DataModelSuffixRequired, &segs("/api/v4/acc/datamodel")));
        assert!(!missing(Kind::DataModelSuffixRequired, &segs("/api/v4/acc/datamodel.json")));
    }
}
