//! `methods`: every method against every route (the vendor clients' too) and a set of non-routes. A
//! method + path that is not a route is 404 ROUTE_ERROR, never 405. Method overrides
//! (`method_override.rs`) and route literals in another case (`path_case.rs`) are this family's too.

use super::case;
use crate::declare::case::{Case, CaseRequest, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::routes::{RouteTarget, Shape};
use crate::declare::spec;
use crate::ErrorType::RouteError;

/// Every method the family sends; `BREW` stands for any unknown token.
pub const METHODS: [&str; 9] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "BREW"];

/// Builds a path from the target's values.
type PathOf = fn(&Ctx) -> String;

/// Paths that are no route for any method; object paths name an unknown ID so a lenient server harms nothing.
/// A suffix-less path (`/datamodel`) is no entry: the docs let the `.json` format be left out, so it is a route.
const NON_ROUTES: &[(&str, PathOf)] = &[
    ("unknown-path", |c| format!("{}/journey-conformance.json", c.base())),
    ("objects-without-type", |c| format!("{}/objects.json", c.base())),
    ("account-root", |c| c.base()),
    ("account-root-slash", |c| format!("{}/", c.base())),
    ("trailing-slash-datamodel", |c| format!("{}/datamodel.json/", c.base())),
    ("trailing-slash-collection", |c| format!("{}/", c.collection())),
    ("double-slash-datamodel", |c| format!("{}//datamodel.json", c.base())),
    ("double-slash-collection", |c| format!("{}/objects//{}.json", c.base(), c.object_type)),
    ("wrong-version-v3", |c| format!("{}/api/v3/{}/datamodel.json", c.prefix, c.account)),
    ("wrong-version-v5", |c| format!("{}/api/v5/{}/datamodel.json", c.prefix, c.account)),
];

/// A valid body for methods that carry one, so the method is the only fault.
fn with_body(ctx: &Ctx, method: &str, batch: bool, req: CaseRequest) -> CaseRequest {
    if !matches!(method, "POST" | "PUT" | "PATCH") {
        return req;
    }
    let body = if batch { ctx.batch_body() } else { ctx.wrapped_body() };
    req.json(body)
}

/// The clause a method's non-route case rests on: a front proxy may answer TRACE itself.
fn clause_of(method: &str) -> &'static crate::declare::spec::Clause {
    if method == "TRACE" {
        spec::TRACE_ROUTE_ERROR
    } else {
        spec::ROUTE_ERROR
    }
}

/// The answers an undocumented method may get on a path; `get_ok` says whether GET works there.
fn not_a_route(method: &str, get_ok: bool) -> Expect {
    match method {
        "HEAD" if get_ok => Expect::any_of(&[Outcome::Success, Outcome::Error(RouteError)], spec::open::HEAD),
        "OPTIONS" => Expect::any_of(&[Outcome::EmptySuccess, Outcome::Error(RouteError)], spec::open::OPTIONS),
        _ => Expect::error(RouteError),
    }
}

/// Whether `path` becomes a documented route of `method` once repeated slashes are merged, as front
/// proxies do by default.
fn reached_once_merged(ctx: &Ctx, method: &str, path: &str) -> bool {
    if !path.contains("//") {
        return false;
    }
    let mut merged = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && merged.ends_with('/')) {
            merged.push(c);
        }
    }
    matches!(RouteTarget::of_path(method, &merged, &ctx.base()), RouteTarget::Route(_))
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    for shape in Shape::ALL {
        let get_ok = shape.route("GET").is_some();
        for method in METHODS {
            let req = with_body(ctx, method, shape == Shape::Batch, shape.request(method, shape.path(ctx)));
            if method == "GET" && get_ok {
                let id = format!("methods/control/GET-{}", shape.name());
                let mut control = case(
                    Family::Methods,
                    id,
                    format!("GET {} succeeds", shape.name()),
                    spec::SUCCESS,
                    req,
                    Expect::success(),
                );
                if shape == Shape::Object {
                    control.requires = Requires::ExistingObject;
                }
                out.push(control);
            } else if shape.route(method).is_none() {
                let id = format!("methods/wrong-method/{method}-{}", shape.name());
                let what = format!("{method} is not a method of {}: 404 ROUTE_ERROR, not 405", shape.name());
                out.push(case(Family::Methods, id, what, clause_of(method), req, not_a_route(method, get_ok)));
            }
        }
    }
    out.extend(client_shapes(ctx));
    out.extend(super::method_override::cases(ctx));
    out.extend(super::path_case::cases(ctx));
    for (name, path) in NON_ROUTES {
        for method in METHODS {
            let req = with_body(ctx, method, false, CaseRequest::new(method, path(ctx)));
            let id = format!("methods/non-route/{method}-{name}");
            let what = format!("{method} on a non-route ({name}) is 404 ROUTE_ERROR");
            let expect = if reached_once_merged(ctx, method, &req.path) {
                Expect::any_of(&[Outcome::Error(RouteError), Outcome::Success], spec::open::MERGED_SLASHES)
            } else {
                not_a_route(method, false)
            };
            out.push(case(Family::Methods, id, what, clause_of(method), req, expect));
        }
    }
    out
}

/// Every method the vendor clients' routes (and the search) do not document, as for spec §1's: a method
/// that makes the path another route (`GET objects/{type}/query.json` reads the object `query`) is that
/// route's, and left to the `ids` family. No GET control: the `clients` family has them, under their grades.
fn client_shapes(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    for shape in Shape::CLIENT {
        let path = shape.path(ctx);
        let elsewhere = |method: &str| matches!(RouteTarget::of_path(method, &path, &ctx.base()), RouteTarget::Route(r) if r.shape() != shape);
        let get_ok = shape.route("GET").is_some();
        for method in METHODS {
            // HEAD is GET's: where GET reads another route, so does HEAD.
            if shape.route(method).is_some() || elsewhere(method) || (method == "HEAD" && elsewhere("GET")) {
                continue;
            }
            let req = with_body(ctx, method, false, shape.request(method, path.clone()));
            let id = format!("methods/wrong-method/{method}-{}", shape.name());
            let what = format!("{method} is not a method of {}: 404 ROUTE_ERROR, not 405", shape.name());
            out.push(case(Family::Methods, id, what, clause_of(method), req, not_a_route(method, get_ok)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::families::tests::ctx;
    use crate::declare::routes::match_path;
    use cases as all_cases;

    #[test]
    fn merged_slashes_open_only_the_methods_of_the_route_they_reach() {
        let c = ctx();
        let expect = |id: &str| all_cases(&c).into_iter().find(|k| k.id == id).map(|k| k.expect);
        let open = |e: Option<Expect>| e.is_some_and(|e| e.why == Some(spec::open::MERGED_SLASHES));
        assert!(open(expect("methods/non-route/GET-double-slash-datamodel")));
        assert!(open(expect("methods/non-route/POST-double-slash-collection")));
        assert!(!open(expect("methods/non-route/DELETE-double-slash-collection")));
        assert!(!open(expect("methods/non-route/GET-trailing-slash-datamodel")));
    }

    /// The docs let a path's format be `json`, `xml` or left out, so a non-route must stay one under each.
    #[test]
    fn no_non_route_is_a_route_in_another_format() {
        let c = ctx();
        for (name, path) in NON_ROUTES {
            let path = path(&c);
            let Some(below) = path.strip_prefix(&c.base()) else { continue };
            let stem = [".json", ".xml"].iter().fold(below.to_string(), |p, s| p.strip_suffix(s).unwrap_or(&p).into());
            for format in ["", ".json"] {
                let spelled = format!("{stem}{format}");
                assert!(
                    match_path(&spelled).is_none_or(|m| m.target("GET") == RouteTarget::NonRoute),
                    "non-route {name} is the route {spelled} with format `{format}`"
                );
            }
        }
    }
}
