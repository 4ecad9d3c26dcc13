//! The route table and path parsing: which method + path shape is an API route.

use axum::http::Method;
use percent_encoding::percent_decode_str;

/// What a matched request asks for; captures are already percent-decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Endpoint {
    DataModel,
    Info,
    Indexes,
    List {
        ty: String,
    },
    Create {
        ty: String,
    },
    Query {
        ty: String,
    },
    Search {
        ty: String,
    },
    Get {
        ty: String,
        id: String,
    },
    Patch {
        ty: String,
        id: String,
    },
    Put {
        ty: String,
        id: String,
    },
    Delete {
        ty: String,
        id: String,
    },
    Oplog,
    Batch,
    /// An attachment's capability URL: the random token in the path is the only credential it needs.
    Attachment {
        id: String,
        token: String,
    },
    File {
        id: String,
        token: String,
        filename: String,
    },
}

impl Endpoint {
    /// Whether the path itself is the credential (attachment fetches, as the vendor's db client makes
    /// them with a bare `fetch(url)`), so no `Authorization` is asked for.
    pub fn is_capability(&self) -> bool {
        matches!(self, Endpoint::Attachment { .. } | Endpoint::File { .. })
    }
}

/// The representation a document route was asked for by its suffix; errors are always JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// `.json` or no suffix at all (the docs show both forms).
    #[default]
    Json,
    /// `.xml`, served where the docs offer XML (data model, object reads).
    Xml,
}

/// A matched route: the account segment, what is asked of it and in which format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matched {
    pub account: String,
    pub endpoint: Endpoint,
    pub format: Format,
}

/// Whether a document segment may also end in `.xml`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Xml {
    Yes,
    No,
}

/// One piece of a path pattern below the account segment.
#[derive(Clone, Copy)]
enum Seg {
    /// Must equal this text after decoding.
    Lit(&'static str),
    /// A document name: this text plus `.json`, `.xml` (when allowed) or no suffix.
    Doc(&'static str, Xml),
    /// Any non-empty document segment (suffix as for `Doc`); captures the decoded stem.
    DocCapture(Xml),
    /// Any non-empty segment; captures it decoded.
    Capture,
}

use Seg::{Capture, Doc, DocCapture, Lit};

/// Turns a matched pattern's captures (in order) into the endpoint.
type Build = fn(Vec<String>) -> Option<Endpoint>;

/// One row of the route table: method, pattern below the account, endpoint builder.
type Route = (&'static str, &'static [Seg], Build);

/// The route table (spec §1), as data so the whole API surface is readable in one place.
/// `query.json` and `search.json` come before the single-object rows so that POST reaches them; no other
/// method shares them.
const ROUTES: &[Route] = &[
    ("GET", &[Doc("datamodel", Xml::Yes)], |_| Some(Endpoint::DataModel)),
    ("GET", &[Doc("info", Xml::No)], |_| Some(Endpoint::Info)),
    ("GET", &[Doc("indexes", Xml::No)], |_| Some(Endpoint::Indexes)),
    ("GET", &[Lit("objects"), DocCapture(Xml::Yes)], |c| Some(Endpoint::List { ty: first(c)? })),
    ("POST", &[Lit("objects"), DocCapture(Xml::No)], |c| Some(Endpoint::Create { ty: first(c)? })),
    ("POST", &[Lit("objects"), Capture, Doc("query", Xml::No)], |c| Some(Endpoint::Query { ty: first(c)? })),
    ("POST", &[Lit("objects"), Capture, Doc("search", Xml::No)], |c| Some(Endpoint::Search { ty: first(c)? })),
    ("GET", &[Lit("objects"), Capture, DocCapture(Xml::Yes)], |c| {
        let (ty, id) = two(c)?;
        Some(Endpoint::Get { ty, id })
    }),
    ("PATCH", &[Lit("objects"), Capture, DocCapture(Xml::No)], |c| {
        let (ty, id) = two(c)?;
        Some(Endpoint::Patch { ty, id })
    }),
    ("PUT", &[Lit("objects"), Capture, DocCapture(Xml::No)], |c| {
        let (ty, id) = two(c)?;
        Some(Endpoint::Put { ty, id })
    }),
    ("DELETE", &[Lit("objects"), Capture, DocCapture(Xml::No)], |c| {
        let (ty, id) = two(c)?;
        Some(Endpoint::Delete { ty, id })
    }),
    ("GET", &[Doc("oplog", Xml::No)], |_| Some(Endpoint::Oplog)),
    ("POST", &[Doc("batch", Xml::No)], |_| Some(Endpoint::Batch)),
    ("GET", &[Lit("attachments"), Capture, Capture], |c| {
        let (id, token) = two(c)?;
        Some(Endpoint::Attachment { id, token })
    }),
    ("GET", &[Lit("files"), Capture, Capture, Capture], |c| {
        let mut it = c.into_iter();
        Some(Endpoint::File { id: it.next()?, token: it.next()?, filename: it.next()? })
    }),
];

fn first(captures: Vec<String>) -> Option<String> {
    captures.into_iter().next()
}

fn two(captures: Vec<String>) -> Option<(String, String)> {
    let mut it = captures.into_iter();
    Some((it.next()?, it.next()?))
}

/// Decode one raw segment; invalid UTF-8 becomes U+FFFD, which no type, ID or account contains,
/// so such a segment simply matches nothing.
fn decode(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

/// Split a raw document segment into its stem and format; the suffix is read before decoding,
/// so `task%2Ejson` is the stem `task.json` in JSON, never `task`.
fn document(raw: &str, xml: Xml) -> Option<(&str, Format)> {
    let (stem, format) = match (raw.strip_suffix(".json"), raw.strip_suffix(".xml")) {
        (Some(stem), _) => (stem, Format::Json),
        (None, Some(stem)) if xml == Xml::Yes => (stem, Format::Xml),
        (None, Some(_)) => return None,
        (None, None) => (raw, Format::Json),
    };
    (!stem.is_empty()).then_some((stem, format))
}

/// Match method and raw path against the table; None means 404 ROUTE_ERROR.
///
/// The raw path is split on `/` before decoding, so `%2F` stays inside its segment. HEAD is
/// matched as GET (hyper drops the body); OPTIONS and unknown methods match nothing.
pub fn match_route(method: &Method, raw_path: &str) -> Option<Matched> {
    match_row(method, raw_path).map(|(_, matched)| matched)
}

/// [`match_route`] with the row that matched.
fn match_row(method: &Method, raw_path: &str) -> Option<(&'static Route, Matched)> {
    let method = if method == Method::HEAD { "GET" } else { method.as_str() };
    let mut segments = raw_path.split('/');
    if segments.next() != Some("") {
        return None;
    }
    if segments.next().map(decode).as_deref() != Some("api") || segments.next().map(decode).as_deref() != Some("v4") {
        return None;
    }
    let account = decode(segments.next()?);
    if account.is_empty() {
        return None;
    }
    let rest: Vec<&str> = segments.collect();
    ROUTES.iter().find_map(|route| {
        let (route_method, pattern, build) = route;
        if *route_method != method || pattern.len() != rest.len() {
            return None;
        }
        let mut captures = Vec::new();
        let mut format = Format::Json;
        for (seg, raw) in pattern.iter().zip(&rest) {
            match seg {
                Lit(text) => {
                    if decode(raw) != *text {
                        return None;
                    }
                }
                Doc(name, xml) => {
                    let (stem, f) = document(raw, *xml)?;
                    if decode(stem) != *name {
                        return None;
                    }
                    format = f;
                }
                DocCapture(xml) => {
                    let (stem, f) = document(raw, *xml)?;
                    captures.push(decode(stem));
                    format = f;
                }
                Capture => {
                    if raw.is_empty() {
                        return None;
                    }
                    captures.push(decode(raw));
                }
            }
        }
        Some((route, Matched { account: account.clone(), endpoint: build(captures)?, format }))
    })
}

/// A row of the route table as read from outside (the suite's route-agreement test, which holds it in
/// step with the suite's table and the OpenAPI description): its method, its template below the account
/// (`{}` per captured segment, a document with its format's suffix), and whether the path is a capability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteRow {
    pub method: &'static str,
    pub template: String,
    pub capability: bool,
}

/// Every row of the route table, documents in their `.json` form.
pub fn route_rows() -> Vec<RouteRow> {
    let row_of = |route: &Route| {
        let captures = route.1.iter().filter(|seg| matches!(seg, DocCapture(_) | Capture)).map(|_| "x".to_string());
        let capability = (route.2)(captures.collect()).is_some_and(|endpoint| endpoint.is_capability());
        route_row(route, Format::Json, capability)
    };
    ROUTES.iter().map(row_of).collect()
}

/// The row `method` on `raw_path` matches, its document in the format asked for; `None` is 404 ROUTE_ERROR.
pub fn matched_row(method: &str, raw_path: &str) -> Option<RouteRow> {
    let (route, matched) = match_row(&Method::from_bytes(method.as_bytes()).ok()?, raw_path)?;
    Some(route_row(route, matched.format, matched.endpoint.is_capability()))
}

fn route_row(route: &Route, format: Format, capability: bool) -> RouteRow {
    let suffix = if format == Format::Xml { ".xml" } else { ".json" };
    let segment = |seg: &Seg| match seg {
        Lit(text) => format!("/{text}"),
        Doc(name, _) => format!("/{name}{suffix}"),
        DocCapture(_) => format!("/{{}}{suffix}"),
        Capture => "/{}".to_string(),
    };
    RouteRow { method: route.0, template: route.1.iter().map(segment).collect(), capability }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(method: &str, path: &str) -> Option<Endpoint> {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        match_route(&method, path).map(|matched| {
            assert_eq!(matched.account, "acc");
            matched.endpoint
        })
    }

    #[test]
    fn documented_routes_match() {
        assert_eq!(m("GET", "/api/v4/acc/datamodel.json"), Some(Endpoint::DataModel));
        assert_eq!(m("GET", "/api/v4/acc/objects/task.json"), Some(Endpoint::List { ty: "task".into() }));
        assert_eq!(m("POST", "/api/v4/acc/objects/task.json"), Some(Endpoint::Create { ty: "task".into() }));
        let id = "550e8400-e29b-41d4-a716-446655440000";
        for (method, want) in [
            ("GET", Endpoint::Get { ty: "task".into(), id: id.into() }),
            ("PATCH", Endpoint::Patch { ty: "task".into(), id: id.into() }),
            ("PUT", Endpoint::Put { ty: "task".into(), id: id.into() }),
            ("DELETE", Endpoint::Delete { ty: "task".into(), id: id.into() }),
        ] {
            assert_eq!(m(method, &format!("/api/v4/acc/objects/task/{id}.json")), Some(want));
        }
        assert_eq!(m("GET", "/api/v4/acc/oplog.json"), Some(Endpoint::Oplog));
        assert_eq!(m("POST", "/api/v4/acc/batch.json"), Some(Endpoint::Batch));
        assert_eq!(
            m("GET", "/api/v4/acc/attachments/x/t"),
            Some(Endpoint::Attachment { id: "x".into(), token: "t".into() })
        );
        assert_eq!(
            m("GET", "/api/v4/acc/files/x/t/a.txt"),
            Some(Endpoint::File { id: "x".into(), token: "t".into(), filename: "a.txt".into() })
        );
        assert_eq!(m("GET", "/api/v4/acc/attachments/x"), None, "an attachment URL without its capability");
    }

    #[test]
    fn head_is_get_and_other_methods_match_nothing() {
        assert_eq!(m("HEAD", "/api/v4/acc/datamodel.json"), Some(Endpoint::DataModel));
        assert_eq!(m("OPTIONS", "/api/v4/acc/datamodel.json"), None);
        assert_eq!(m("TRACE", "/api/v4/acc/datamodel.json"), None);
        assert_eq!(m("FOO", "/api/v4/acc/datamodel.json"), None);
        assert_eq!(m("POST", "/api/v4/acc/datamodel.json"), None);
        assert_eq!(m("DELETE", "/api/v4/acc/objects/task.json"), None);
        assert_eq!(m("GET", "/api/v4/acc/batch.json"), None);
    }

    #[test]
    fn percent_encoding_is_decoded_per_segment() {
        assert_eq!(m("GET", "/api/v4/acc/objects/t%61sk.json"), Some(Endpoint::List { ty: "task".into() }));
        assert_eq!(m("GET", "/api/v4/%61cc/data%6Dodel.json"), Some(Endpoint::DataModel));
        // %2F stays inside the segment instead of splitting it.
        assert_eq!(
            m("GET", "/api/v4/acc/objects/task/a%2Fb.json"),
            Some(Endpoint::Get { ty: "task".into(), id: "a/b".into() })
        );
        // Invalid UTF-8 decodes to a value that matches no real type.
        let Some(Endpoint::List { ty }) = m("GET", "/api/v4/acc/objects/%ff.json") else { panic!() };
        assert!(ty.contains('\u{FFFD}'));
        // The suffix is taken from the raw segment, before decoding.
        assert_eq!(m("GET", "/api/v4/acc/objects/task%2Ejson"), Some(Endpoint::List { ty: "task.json".into() }));
    }

    #[test]
    fn malformed_paths_match_nothing() {
        for path in [
            "/api/v4/acc/objects/task.json/",
            "/api/v4/acc/oplog.xml",
            "/api/v4/acc/info.xml",
            "/api/v4/acc/objects//task.json",
            "/api/v4/acc//objects/task.json",
            "/api/v4//objects/task.json",
            "/api/v3/acc/objects/task.json",
            "/api/v4/acc/objects/.json",
            "/api/v4/acc/datamodel.json/",
            "/api/v4/acc",
            "/api/v4/acc/",
            "/",
            "*",
            "",
            "/api/v4/acc/objects/task/a/b.json",
        ] {
            assert_eq!(m("GET", path), None, "{path}");
        }
    }

    fn format(method: &str, path: &str) -> Option<Format> {
        match_route(&Method::from_bytes(method.as_bytes()).unwrap(), path).map(|matched| matched.format)
    }

    #[test]
    fn document_suffix_is_json_xml_or_none() {
        let id = "550e8400-e29b-41d4-a716-446655440000";
        for (path, want) in [
            ("datamodel.json", Format::Json),
            ("datamodel.xml", Format::Xml),
            ("datamodel", Format::Json),
            ("objects/task.xml", Format::Xml),
            ("objects/task", Format::Json),
        ] {
            assert_eq!(format("GET", &format!("/api/v4/acc/{path}")), Some(want), "{path}");
        }
        assert_eq!(format("GET", &format!("/api/v4/acc/objects/task/{id}.xml")), Some(Format::Xml));
        assert_eq!(m("GET", "/api/v4/acc/datamodel"), Some(Endpoint::DataModel));
        assert_eq!(m("GET", "/api/v4/acc/objects/task"), Some(Endpoint::List { ty: "task".into() }));
        assert_eq!(
            m("GET", &format!("/api/v4/acc/objects/task/{id}")),
            Some(Endpoint::Get { ty: "task".into(), id: id.into() })
        );
        assert_eq!(
            m("DELETE", &format!("/api/v4/acc/objects/task/{id}")),
            Some(Endpoint::Delete { ty: "task".into(), id: id.into() })
        );
        assert_eq!(m("GET", "/api/v4/acc/info.json"), Some(Endpoint::Info));
        assert_eq!(m("GET", "/api/v4/acc/indexes"), Some(Endpoint::Indexes));
        assert_eq!(m("POST", "/api/v4/acc/objects/task/query.json"), Some(Endpoint::Query { ty: "task".into() }));
        assert_eq!(m("POST", "/api/v4/acc/objects/task/search.json"), Some(Endpoint::Search { ty: "task".into() }));
        assert_eq!(
            m("GET", "/api/v4/acc/objects/task/search.json"),
            Some(Endpoint::Get { ty: "task".into(), id: "search".into() })
        );
        assert_eq!(
            m("GET", "/api/v4/acc/objects/task/query.json"),
            Some(Endpoint::Get { ty: "task".into(), id: "query".into() })
        );
        // Writes and the other documents have no XML form.
        assert_eq!(m("POST", "/api/v4/acc/objects/task.xml"), None);
        assert_eq!(m("PATCH", &format!("/api/v4/acc/objects/task/{id}.xml")), None);
        assert_eq!(m("POST", "/api/v4/acc/batch.xml"), None);
    }
}
