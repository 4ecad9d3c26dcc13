//! What a success answer carries when the suite knows the answer (list windows, the oplog's pages), and
//! the attacks every route meets (method overrides, route literals in another case, JSONTestSuite's
//! implementation-defined inputs, credentials on the vendor clients' routes).

use super::{Clause, Grade};

pub const LIST_WINDOW: &Clause = &Clause {
    anchor: "list-window",
    grade: Grade::Must,
    says: "Retrieve All Objects, Limit and Skip, Sort Results, Query Objects: a list page holds the objects the \
     query matched and no other, `skip` of them in and no more than `limit`, in the order `sort` asks (any of \
     1, -1, asc, ASC, desc, DESC); `count` is the number of objects in the response, `total` the number \
     matched, `more` true when matches remain",
};
pub const QUERY_WINDOW: &Clause = &Clause {
    anchor: "query-json-window",
    grade: Grade::Must,
    says: "Querying Objects, as the vendor's typed client posts it to `query.json`: the answer lists exactly \
     the objects whose fields meet the expression with its arguments, sorted, skipped and limited as the \
     body says",
};
pub const OPLOG_PAGES: &Clause = &Clause {
    anchor: "oplog-pages",
    grade: Grade::Must,
    says: "Oplog API: a page holds the entries with start <= sequence < end, no more than `limit`, in strictly \
     increasing sequence; `tail=true` gives the most recent entries; the vendor's typed client pages by \
     `has_more` and `next_request_start`, so following them reads every entry once",
};
pub const METHOD_OVERRIDE: &Clause = &Clause {
    anchor: "method-override",
    grade: Grade::Should,
    says: "no page mentions a method override, and RFC 9110 §9.1 makes the method token the request's meaning: \
     an `X-HTTP-Method-Override`, `X-HTTP-Method` or `X-Method-Override` header or a `_method` parameter \
     (which Rails' Rack::MethodOverride and Express' method-override turn into another method) changes \
     nothing the request does",
};
pub const PATH_CASE: &Clause = &Clause {
    anchor: "path-case",
    grade: Grade::Must,
    says: "Error Responses: ROUTE_ERROR when the method and path are not valid according to the documentation, \
     which writes every route literal in lower case; paths compare case-sensitively (RFC 3986 §6.2.2.1), so \
     `/OBJECTS/task.json` or `/datamodel.JSON` is no route: 404 ROUTE_ERROR",
};
pub const IMPLEMENTATION_DEFINED: &Clause = &Clause {
    anchor: "open-implementation-defined-json",
    grade: Grade::Open,
    says: "JSONTestSuite's `i_` inputs are left to the parser by RFC 8259 (lone surrogates §8.2, number range and \
     nesting §9, encodings §8.1): a body carrying one is refused (400 INVALID_API_REQUEST) or read (2xx; a \
     number its field cannot hold is INVALID_VALUE), never a 5xx",
};
pub const BAD_CREDENTIALS_OTHER_ROUTE: &Clause = &Clause {
    anchor: "open-bad-credentials-other-route",
    grade: Grade::Open,
    says: "bad credentials on a route beyond spec §1's (`datamodel.xml`, `info.json`, `indexes.json`, \
     `query.json`, `search.json`) or on a read in another representation (`.xml`, the format left out): 401, \
     or 404 ROUTE_ERROR on a target that lacks the route (its own control judges that), since the docs order \
     no checks on a path that is no route",
};
