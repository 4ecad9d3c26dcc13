//! Faults that take what the vendor's own clients send and quietly drop part of it: a list parameter read
//! past (`embed[]`, `sort[…]`; a dropped `total=true` is no fault now that every page carries `total`), an
//! `.xml` suffix answered as JSON, a location's timestamp not kept.
//! Every answer is still a 2xx, so only a control that judges what the answer carries can kill them.

use super::body::{each_object, query_pairs, route};
use super::client_writes::signed_in_here as signed_in;
use super::clients::segments;
use super::layer::{bufferable, Layer};
use super::Kind;
use axum::extract::Request;
use axum::http::{Method, Uri};
use axum::response::Response;
use journey_conformance::declare::routes::Shape;

/// JSON nesting the location search follows.
const DEPTH: usize = 64;

/// Whether `kind` is one of these faults.
pub(super) fn handles(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::EmbedIgnored
            | Kind::SortIgnored
            | Kind::DataModelXmlAsJson
            | Kind::ListXmlAsJson
            | Kind::LocationTimestampDropped
    )
}

/// Whether the faulty target reads past this query parameter (its key percent-decoded).
fn dropped(kind: Kind, key: &str) -> bool {
    match kind {
        Kind::EmbedIgnored => key.starts_with("embed"),
        Kind::SortIgnored => key.starts_with("sort["),
        _ => false,
    }
}

/// The path the faulty router serves instead: a JSON rendering wherever XML was asked for.
fn as_json(kind: Kind, segs: &[&str]) -> bool {
    match (kind, segs) {
        (Kind::DataModelXmlAsJson, ["datamodel.xml"]) => true,
        // The list alone: a single object's `.xml` is `object-xml-as-json`'s.
        (Kind::ListXmlAsJson, ["objects", t]) => t.ends_with(".xml"),
        _ => false,
    }
}

/// The request as the faulty target reads it: parameters dropped, the suffix turned to `.json`.
fn rewritten(kind: Kind, uri: &Uri) -> Option<String> {
    let path = uri.path();
    let segs = segments(path)?;
    let path = if as_json(kind, &segs) { format!("{}.json", path.strip_suffix(".xml")?) } else { path.to_string() };
    let pairs = query_pairs(uri.query().unwrap_or_default());
    let kept: Vec<&str> = pairs.iter().filter(|p| !dropped(kind, &p.key)).map(|p| p.raw).collect();
    let same = path == uri.path() && kept.len() == pairs.len();
    (!same).then(|| if kept.is_empty() { path } else { format!("{path}?{}", kept.join("&")) })
}

/// The answer of the faulty target.
pub(super) async fn apply(layer: &Layer, req: Request) -> Response {
    if !signed_in(layer, &req) {
        return layer.forward(req).await;
    }
    if layer.kind == Kind::LocationTimestampDropped {
        return without_timestamps(layer, req).await;
    }
    let read_as = (req.method() == Method::GET).then(|| rewritten(layer.kind, req.uri())).flatten();
    let Some(uri) = read_as.and_then(|u| u.parse::<Uri>().ok()) else { return layer.forward(req).await };
    // The parameters are still validated (a bad one keeps its error), then read past.
    let mut again = Request::new(axum::body::Body::empty());
    *again.method_mut() = Method::GET;
    *again.uri_mut() = uri;
    *again.headers_mut() = req.headers().clone();
    let checked = layer.forward(req).await;
    if !checked.status().is_success() {
        return checked;
    }
    layer.forward(again).await
}

/// A create or update whose locations are stored without the timestamp of their fix (accepted, then lost).
async fn without_timestamps(layer: &Layer, req: Request) -> Response {
    let writes = matches!(*req.method(), Method::POST | Method::PATCH | Method::PUT);
    let object_write = route(req.uri().path()).is_some_and(|m| matches!(m.shape, Shape::Collection | Shape::Object));
    if !(writes && object_write && bufferable(&req)) {
        return layer.forward(req).await;
    }
    layer
        .forward_edited(req, &mut |doc| {
            let mut dropped = false;
            each_object(doc, DEPTH, &mut |m| {
                if m.contains_key("latitude") && m.contains_key("longitude") {
                    dropped |= m.remove("timestamp").is_some();
                }
            });
            dropped
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().expect("a test URI")
    }

    #[test]
    fn each_fault_drops_only_its_own_parameter_or_suffix() {
        let list = uri("/api/v4/acc/objects/task.json?total=true&embed%5B%5D=owner&sort%5Bname%5D=-1&limit=5");
        assert_eq!(
            rewritten(Kind::EmbedIgnored, &list).as_deref(),
            Some("/api/v4/acc/objects/task.json?total=true&sort%5Bname%5D=-1&limit=5")
        );
        assert_eq!(
            rewritten(Kind::SortIgnored, &list).as_deref(),
            Some("/api/v4/acc/objects/task.json?total=true&embed%5B%5D=owner&limit=5")
        );
        assert_eq!(rewritten(Kind::SortIgnored, &uri("/api/v4/acc/objects/task.json?limit=5")), None);
        let xml = uri("/api/v4/acc/objects/task.xml");
        assert_eq!(rewritten(Kind::ListXmlAsJson, &xml).as_deref(), Some("/api/v4/acc/objects/task.json"));
        assert_eq!(rewritten(Kind::DataModelXmlAsJson, &xml), None);
        let schema = uri("/api/v4/acc/datamodel.xml");
        assert_eq!(rewritten(Kind::DataModelXmlAsJson, &schema).as_deref(), Some("/api/v4/acc/datamodel.json"));
        assert_eq!(rewritten(Kind::ListXmlAsJson, &schema), None);
    }
}
