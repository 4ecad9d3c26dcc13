//! The deeper checks' rows of the fault table: realistic faulty implementations (paging, sorting,
//! query and search, the oplog, formats, routing and parsing habits of Rails, Express, nginx and
//! emulators), each killed only by the check made for its class.

use super::{fault, Fault, Kind};

/// A fault proven by one group of cases alone.
const fn within(name: &'static str, clause: &'static str, bug: &'static str, kind: Kind, group: &'static str) -> Fault {
    Fault { killed_within: Some(group), ..fault(name, clause, bug, kind) }
}

/// One row per class of deeper check: what a 2xx carries, every route under every attack, the `i_` inputs.
pub(super) const DEPTH: &[Fault] = &[
    within(
        "skip-ignored",
        "§1 list-window: a positive `skip` moves the page by that many",
        "an emulator that slices `objects[..limit]` and forgot the offset (after validating `skip`)",
        Kind::SkipIgnored,
        "query/list/window/",
    ),
    within(
        "count-is-total",
        "§1 list-window: `count` is the number of objects in the response",
        "`count` filled from the store's count of the filter (Mongo's countDocuments), not the page's length",
        Kind::CountIsTotal,
        // The db client's `total` control reads `count` beside `total` on the same page.
        "query/list/|clients/list/total-by-default",
    ),
    within(
        "sort-direction-case-sensitive",
        "§1 list-window: `DESC` sorts descending as `desc` does",
        "a direction compared with the lower-case words only: `DESC` falls through to ascending",
        Kind::SortUppercaseIgnored,
        "query/list/control/sort-uppercase-desc",
    ),
    within(
        "query-json-as-list",
        "§1 query-json-window: `query.json` lists the objects its expression matches",
        "an emulator that answers `query.json` with the type's plain list (its limit and skip kept, the expression read past)",
        Kind::QueryJsonAsList,
        // The db client's query controls post expressions to `query.json` too.
        "query/query-json/|clients/query/",
    ),
    within(
        "search-lists-all",
        "§1 search / list-window: the search lists the objects that match its text, no others",
        "a search route that answers the type's list whatever its text",
        Kind::SearchListsAll,
        "query/search/",
    ),
    within(
        "oplog-next-start-repeats",
        "§1 oplog-pages: following `next_request_start` reads every entry once",
        "`next_request_start` set to the last entry's own sequence, not the next one: every page repeats it",
        Kind::OplogNextStartRepeats,
        "query/oplog/window/",
    ),
    within(
        "oplog-tail-from-start",
        "§1 oplog-pages: `tail=true` gives the most recent entries",
        "an emulator without `tail`: the log is read from its start, as if `start=0` were given",
        Kind::OplogTailFromStart,
        "query/oplog/window/",
    ),
    within(
        "credentials-ignored-on-info",
        "§3 AUTHENTICATION_FAILED on every route (open-bad-credentials-other-route: never a 2xx)",
        "`info.json` and `indexes.json` mounted before the authentication middleware, as a status page is",
        Kind::CredentialsIgnoredOnInfo,
        "auth/",
    ),
    within(
        "object-xml-as-json",
        "§1 clients-format-suffix: `objects/{type}/{id}.xml` is the object as XML",
        "a router that strips a single object's `.xml` suffix and renders JSON anyway",
        Kind::ObjectXmlAsJson,
        "formats/",
    ),
    within(
        "method-override-honoured",
        "§1 method-override (SHOULD): an override header or `_method` changes nothing (only the SHOULD checks kill it: non-strict)",
        "Rack::MethodOverride and Express' method-override in front of the API: a POST becomes the method a header, `?_method` or a form's `_method` names",
        Kind::MethodOverrideHonored,
        "methods/override/",
    ),
    within(
        "case-insensitive-routes",
        "§3 path-case: `/OBJECTS/task.json` is no route (ROUTE_ERROR)",
        "Express' default router, which matches path literals in any case",
        Kind::CaseInsensitiveRoutes,
        "methods/path-case/",
    ),
    within(
        "vendor-routes-any-method",
        "§3 ROUTE_ERROR: a method the route lacks is no route (`DELETE info.json`)",
        "the vendor clients' documents registered with `app.all`: any method on them answers as GET",
        Kind::VendorRoutesAnyMethod,
        "methods/wrong-method/",
    ),
    within(
        "lone-surrogate-500",
        "§6.3 open-implementation-defined-json: a JSONTestSuite `i_` input is 400 or 2xx, never a 5xx",
        "a JSON parser that accepts a lone surrogate escape, then a database that cannot store it: 500",
        Kind::LoneSurrogate500,
        "malformed-json/implementation-defined/",
    ),
];
