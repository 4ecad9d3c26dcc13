//! Methods: arbitrary RFC 9110 method tokens against every route and a few non-routes. A token that
//! is not the route's documented method is 404 ROUTE_ERROR (never 405); the documented method gets
//! its documented answer.

use super::PropCase;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::expect::{Expect, Outcome};
use journey_conformance::declare::routes::Shape;
use journey_conformance::declare::spec;
use journey_conformance::ErrorType::{ObjectNotFound, RouteError};
use proptest::prelude::*;

/// RFC 9110 §5.6.2 `tchar`.
pub const TCHAR: &str = "[!#$%&'*+.^_`|~0-9A-Za-z-]";

/// The paths the property crosses with methods: every route shape of the suite's route table
/// ([`Shape::ALL`]), and one path that is no route (`None`).
pub fn targets() -> Vec<Option<Shape>> {
    Shape::ALL.into_iter().map(Some).chain([None]).collect()
}

/// Tokens, biased towards near-misses of real methods (case variants, prefixes).
pub fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::string::string_regex(&format!("{TCHAR}{{1,12}}")).expect("tchar regex"),
        1 => prop::sample::select(vec!["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "get", "Post", "PURGE", "MKCOL", "PROPFIND", "LINK", "QUERY"])
            .prop_map(str::to_string),
    ]
    // hyper's client cannot send CONNECT with an origin-form target, so no target could be asked it.
    .prop_filter("CONNECT needs an authority-form target", |t| t != "CONNECT")
}

/// The property's strategy: (method token, index into [`targets`]).
pub fn strategy() -> impl Strategy<Value = (String, usize)> {
    (token(), 0..targets().len())
}

/// The case of one generated input. The object path names a well-formed unknown ID, so nothing real
/// is touched: its documented GET/PATCH/DELETE answer is OBJECT_NOT_FOUND and PUT is the upsert.
pub fn case(ctx: &Ctx, input: &(String, usize)) -> PropCase {
    let (method, index) = input;
    let targets = targets();
    let shape = targets[*index % targets.len()];
    let name = shape.map_or("unknown-path", Shape::name);
    let documented: Vec<&str> = shape.into_iter().flat_map(Shape::routes).map(|r| r.method()).collect();
    let path = match shape {
        None => format!("{}/journey-conformance.json", ctx.base()),
        Some(shape) => {
            let mut at = ctx.clone();
            // PUT creates (upsert), so it gets an ID of its own: the unknown ID must stay unknown.
            at.existing_id =
                if method == "PUT" { "00000000-0000-4000-8000-00000000c0de".into() } else { ctx.unknown_id.clone() };
            shape.path(&at)
        }
    };
    let body = match (name, method.as_str()) {
        (_, "GET" | "HEAD" | "DELETE" | "OPTIONS" | "TRACE") => None,
        ("batch", _) => Some(ctx.batch_body()),
        _ => Some(ctx.wrapped_body()),
    };
    let get_ok = documented.contains(&"GET");
    let (expect, spec) = if documented.contains(&method.as_str()) {
        let e = match (name, method.as_str()) {
            ("object", "PUT") => Expect::success(),
            ("object", _) => Expect::error(ObjectNotFound),
            _ => Expect::success(),
        };
        let spec = if e_is_success(&e) { spec::SUCCESS } else { spec::OBJECT_NOT_FOUND };
        (e, spec)
    } else {
        match method.as_str() {
            "HEAD" if get_ok => {
                // HEAD mirrors GET's status: the object path's GET is OBJECT_NOT_FOUND.
                let get = if name == "object" { Outcome::Error(ObjectNotFound) } else { Outcome::Success };
                (Expect::any_of(&[get, Outcome::Error(RouteError)], spec::open::HEAD), spec::open::HEAD)
            }
            "OPTIONS" => (
                Expect::any_of(&[Outcome::EmptySuccess, Outcome::Error(RouteError)], spec::open::OPTIONS),
                spec::open::OPTIONS,
            ),
            _ => (Expect::error(RouteError), spec::ROUTE_ERROR),
        }
    };
    let mut request = CaseRequest::new(method, path);
    if let Some(body) = body {
        request = request.json(body);
    }
    PropCase { what: format!("{method} on {name}"), spec, request, expect }
}

fn e_is_success(e: &Expect) -> bool {
    e.outcomes == [Outcome::Success]
}
