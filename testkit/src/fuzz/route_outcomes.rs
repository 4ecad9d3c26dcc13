//! What the spec allows for a method and a path below the account that is a route of the suite's route
//! table, as the `request` grammar (`grammar.rs`) judges its generated requests.

use super::Shape;
use crate::properties::json::{expect_batch_body, expect_object_body, BodyRoute};
use journey_conformance::declare::expect::Outcome;
use journey_conformance::declare::routes::{match_segments, match_segments_for, Route};
use journey_conformance::ErrorType::{InvalidApiRequest, InvalidValue, ObjectNotFound, RouteError};

/// `GET attachments/{id}/{token}` or `files/{id}/{token}/{filename}`: the reference's capability URLs.
pub(super) fn capability_path(method: &str, segs: &[String]) -> bool {
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    matches!(method, "GET" | "HEAD") && matches!(segs.as_slice(), ["attachments", _, _] | ["files", _, _, _])
}

fn is_uuid(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                matches!(c, b'0'..=b'9' | b'a'..=b'f')
            }
        })
}

/// For a method + path that is a route (by the suite's route table): (faults certain from the path,
/// everything possible otherwise); `None` when it is no route (HEAD of a GET route counts as a route, §7).
pub(super) fn route_outcomes(
    h: &Shape,
    method: &str,
    segs: &[String],
    (json_ct, form_ct): (bool, bool),
    body: &[u8],
    query: bool,
) -> Option<(Vec<Outcome>, Vec<Outcome>)> {
    use Outcome::{Error, Success};
    let ctx = &h.ctx;
    let as_get = method == "HEAD";
    let m = if as_get { "GET" } else { method };
    let known_type = |t: &str| h.model_types.iter().any(|k| k == t);
    let unknown_type = vec![Error(RouteError), Error(ObjectNotFound), Error(InvalidApiRequest)];
    let known = &h.known;
    let body_set = |route: BodyRoute, ty: &str| -> Vec<Outcome> {
        let mut e = match route {
            BodyRoute::Batch => expect_batch_body(body).outcomes,
            _ if ty == ctx.object_type => expect_object_body(body, ty, known).outcomes,
            // Another model: its keys are not looked up here, so any value-level answer is possible.
            _ => vec![Success, Error(InvalidValue), Error(InvalidApiRequest)],
        };
        if !json_ct {
            e.push(Error(InvalidApiRequest));
        }
        if form_ct && !matches!(route, BodyRoute::Batch) {
            e.extend([Success, Error(InvalidValue)]);
        }
        e
    };
    let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let found = match_segments_for(m, &segs)?;
    // A path both a client shape and the object template match (`objects/task/search.json`): a target
    // may also treat it as that route's, whatever the method.
    let shared = match_segments(&segs).is_some_and(|first| first.shape != found.shape);
    let (ty, id) = (found.object_type.unwrap_or_default(), found.id.unwrap_or_default());
    let route = found.shape.route(m)?;
    let mut out = match route {
        Route::DataModel => (vec![], vec![Success]),
        Route::Oplog => (vec![], vec![Success, Error(InvalidApiRequest)]),
        Route::Batch => (vec![], body_set(BodyRoute::Batch, "")),
        // The vendor clients' routes beyond spec §1: a target may not serve them (ROUTE_ERROR).
        Route::DataModelXml | Route::Info | Route::Indexes => (vec![], vec![Success, Error(RouteError)]),
        Route::Query | Route::Search => {
            (vec![], [unknown_type.clone(), vec![Success, Error(InvalidApiRequest)]].concat())
        }
        Route::List | Route::Create => {
            if !known_type(ty) {
                (unknown_type, vec![])
            } else if route == Route::List {
                (vec![], vec![Success, Error(InvalidApiRequest)])
            } else {
                (vec![], body_set(BodyRoute::Create, ty))
            }
        }
        Route::Get | Route::Patch | Route::Put | Route::Delete => {
            if !known_type(ty) {
                (unknown_type, vec![])
            } else if !is_uuid(id) {
                let mut possible = vec![];
                if id.is_empty() {
                    // `/objects/<type>/.json`: §7 path tricks, OBJECT_NOT_FOUND or ROUTE_ERROR.
                    possible.push(Error(RouteError));
                }
                if matches!(route, Route::Patch | Route::Put) {
                    possible.extend(body_set(BodyRoute::Patch, ty));
                }
                (vec![Error(ObjectNotFound)], possible)
            } else {
                match route {
                    Route::Get | Route::Delete => (vec![], vec![Success, Error(ObjectNotFound)]),
                    Route::Patch => (vec![], [vec![Error(ObjectNotFound)], body_set(BodyRoute::Patch, ty)].concat()),
                    _ => (vec![], body_set(BodyRoute::Put, ty)),
                }
            }
        }
    };
    if query {
        // Query parameters are documented for list and oplog only; elsewhere the docs are silent.
        out.1.push(Error(InvalidApiRequest));
    }
    if segs.last().is_some_and(|s| s.ends_with(".xml")) {
        // An object or list in XML is a vendor clients' format beyond spec §1: a target may serve it
        // for reads only, or not at all (the reference answers ROUTE_ERROR to `PATCH …/{id}.xml`).
        out.1.push(Error(RouteError));
    }
    if as_get || shared {
        // §7 HEAD: the GET status with an empty body, or ROUTE_ERROR; a path shared with a client route
        // may be refused as that route's.
        out.1.push(Error(RouteError));
    }
    Some(out)
}
