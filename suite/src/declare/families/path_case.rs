//! `methods/path-case/*`: every route's documented request with its path literals in upper case
//! (`/OBJECTS/task.json`), and the data model with an upper-case suffix. None is a path of the docs, and
//! paths compare case-sensitively (RFC 3986), so none is a route: 404 ROUTE_ERROR, where a case-insensitive
//! router (Express' default) serves the route.

use super::case;
use crate::declare::case::{Case, CaseRequest, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::routes::{Route, Shape};
use crate::declare::spec::depth::PATH_CASE;
use crate::ErrorType::RouteError;

/// Every case of the group: each shape's first documented route, spelled in upper case.
pub(super) fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    for shape in Shape::ALL.into_iter().chain(Shape::CLIENT) {
        let Some(route) = shape.routes().next() else { continue };
        let valid = route.request(ctx);
        let req =
            CaseRequest { path: shape.path_upper(ctx), target: crate::declare::routes::RouteTarget::NonRoute, ..valid };
        out.push(probe(shape.name(), route, "its literals", req));
    }
    let suffix = format!("{}/datamodel.JSON", ctx.base());
    out.push(probe("datamodel-suffix", Route::DataModel, "its `.json` suffix", CaseRequest::new("GET", suffix)));
    out
}

fn probe(name: &str, route: Route, part: &str, req: CaseRequest) -> Case {
    let (method, template) = (route.method(), route.shape().template());
    let what = format!("{method} {template} with {part} in upper case is no route: 404 ROUTE_ERROR");
    case(Family::Methods, format!("methods/path-case/{name}"), what, PATH_CASE, req, Expect::error(RouteError))
}
