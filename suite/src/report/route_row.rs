//! Which route a request addresses, as a matrix row: reports group cases by it, so a reader sees at a
//! glance which endpoint mishandles which kind of error. The route comes from the case's declaration
//! ([`crate::declare::routes`]); nothing here reads a path.

use crate::declare::routes::{Route, RouteTarget, Shape};

/// The row of requests whose path matches no route shape.
pub const NON_ROUTE: &str = "non-route paths";
const WRONG_METHOD: &str = "other methods on ";

/// The matrix row of a request: `GET /datamodel.json`, `other methods on /batch.json`, or [`NON_ROUTE`].
pub fn row(target: &RouteTarget) -> String {
    match target {
        RouteTarget::Route(route) => format!("{} {}", route.method(), route.shape().template()),
        RouteTarget::OtherMethod(shape) => format!("{WRONG_METHOD}{}", shape.template()),
        RouteTarget::NonRoute => NON_ROUTE.to_string(),
    }
}

/// Every target in matrix order: documented routes in spec order (then those beyond spec §1: the vendor
/// clients' and the search), then wrong methods per shape, then non-routes.
fn in_order() -> impl Iterator<Item = RouteTarget> {
    let routes = Route::ALL.into_iter().chain(Route::CLIENT).map(RouteTarget::Route);
    routes.chain(Shape::ALL.into_iter().map(RouteTarget::OtherMethod)).chain([RouteTarget::NonRoute])
}

/// Sort key of a row, in the order of `in_order`; a row no target prints sorts with the non-routes.
pub fn rank(row_text: &str) -> usize {
    let mut last = 0;
    for (index, target) in in_order().enumerate() {
        if row(&target) == row_text {
            return index;
        }
        last = index;
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::routes::match_path;

    /// The row of `method` on a path below the account base, as a family declaring it by the matcher gets it.
    fn row_of(method: &str, below_account: &str) -> String {
        row(&match_path(below_account).map_or(RouteTarget::NonRoute, |m| m.target(method)))
    }

    #[test]
    fn rows_follow_the_route_table() {
        assert_eq!(row_of("GET", "/datamodel.json"), "GET /datamodel.json");
        assert_eq!(row_of("POST", "/objects/task.json"), "POST /objects/{type}.json");
        assert_eq!(row_of("DELETE", "/objects/task.json"), "other methods on /objects/{type}.json");
        assert_eq!(row_of("PATCH", "/objects/task/%7Bx%7D.json"), "PATCH /objects/{type}/{id}.json");
        assert_eq!(row_of("GET", "/oplog.json?start=0"), "GET /oplog.json");
        assert_eq!(row_of("HEAD", "/batch.json"), "other methods on /batch.json");
        assert_eq!(row_of("GET", "/objects/task/x/y.json"), NON_ROUTE);
        assert_eq!(row_of("GET", "/objects/.json"), NON_ROUTE);
        assert_eq!(row(&RouteTarget::NonRoute), NON_ROUTE);
    }

    #[test]
    fn ranks_put_routes_first_and_non_routes_last() {
        assert_eq!(rank("GET /datamodel.json"), 0);
        assert_eq!(rank("DELETE /objects/{type}/{id}.json"), 6);
        assert!(rank("POST /batch.json") < rank("POST /objects/{type}/search.json"));
        assert!(rank("POST /objects/{type}/search.json") < rank("other methods on /datamodel.json"));
        assert!(rank("other methods on /batch.json") < rank(NON_ROUTE));
        assert_eq!(rank("no such row"), rank(NON_ROUTE));
    }
}
