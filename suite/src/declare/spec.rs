//! The contract clauses cases rest on, each paraphrased once from the public doc sentence (or RFC) it rests
//! on, with its anchor in `docs/contract.md` and its grade, so every case cites the same words and a report
//! can tell a broken MUST from a SHOULD. [`all`] lists them; `tests/contract.rs` holds the two in step.

pub mod rules;
use std::fmt;

/// How firmly the docs fix a clause: what a broken one means for the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// The public docs state it: breaking it fails the case.
    Must,
    /// An RFC or common practice, not the docs: breaking it is a non-strict finding (a failure under `--profile strict`).
    Should,
    /// The docs leave it open: the case allows an outcome set, and an answer outside the set fails.
    Open,
    /// Above the docs' grades: a credential echoed, another account's data shown, or access without valid
    /// credentials is a vulnerability whatever the docs say (OWASP ASVS V7/V8, RFC 9110 §11), so it fails
    /// the run under every profile.
    Security,
}

/// One rule of the contract: where it is written down, how firm it is, and what it says in our words.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Clause {
    /// The heading anchor in `docs/contract.md` (stable: reports and findings link to it).
    pub anchor: &'static str,
    pub grade: Grade,
    /// The rule, paraphrased from the doc sentence it rests on.
    pub says: &'static str,
}

impl Grade {
    /// The word used in reports and in `docs/contract.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Must => "MUST",
            Grade::Should => "SHOULD",
            Grade::Open => "OPEN",
            Grade::Security => "SECURITY",
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} docs/contract.md#{})", self.says, self.grade.as_str(), self.anchor)
    }
}

/// Error Responses, INVALID_API_REQUEST: a request the API cannot take.
pub const INVALID_API_REQUEST: &Clause = &Clause {
    anchor: "invalid-api-request",
    grade: Grade::Must,
    says: "INVALID_API_REQUEST 400: the request is not valid, e.g. its body has JSON errors or a required parameter is missing",
};
/// RFC 8259 is what decides that lenient spellings (comments, trailing commas, NaN…) are JSON errors.
pub const STRICT_JSON: &Clause = &Clause {
    anchor: "strict-json",
    grade: Grade::Should,
    says: "RFC 8259 grammar: comments, trailing commas, single quotes, NaN, leading zeros and the like are not JSON, \
     so a body using them has JSON errors (400), not a repaired reading",
};
/// Create / Update a Single Object: the body wraps the fields in the model name.
pub const WRAPPED_BODY: &Clause = &Clause {
    anchor: "wrapped-body",
    grade: Grade::Must,
    says: "create and update bodies hold the fields under the model name (`task[status]=1`, `{\"task\":{…}}`); \
     a body without that wrapper is not a valid request (INVALID_API_REQUEST 400)",
};
/// Batch Operations: an ill-formed batch performs none of its operations.
pub const BATCH_ILL_FORMED: &Clause = &Clause {
    anchor: "batch-ill-formed",
    grade: Grade::Must,
    says: "a batch that is ill-formed as a whole (not JSON, no `operations` array) fails without performing any \
     operation (INVALID_API_REQUEST 400)",
};
/// No doc page names a body size limit, and photos are uploaded inline as base64.
pub const OVERSIZED_BODY: &Clause = &Clause {
    anchor: "oversized-body",
    grade: Grade::Open,
    says: "the docs name no body size limit and photos travel inline as base64, so a large body may be taken (2xx); \
     refused, it is INVALID_API_REQUEST",
};
/// Error Responses, ROUTE_ERROR.
pub const ROUTE_ERROR: &Clause = &Clause {
    anchor: "route-error",
    grade: Grade::Must,
    says: "ROUTE_ERROR 404: the combination of HTTP method and path is not valid (a wrong method is 404, not 405)",
};
/// RFC 9110 lets an intermediary answer TRACE itself, so a proxy's 405 is a deviation, not a contract break.
pub const TRACE_ROUTE_ERROR: &Clause = &Clause {
    anchor: "trace-route-error",
    grade: Grade::Should,
    says: "TRACE is no API method, so ROUTE_ERROR 404; a front proxy may answer it itself (405) before the API sees it",
};
/// Update a Single Object + Error Responses, OBJECT_NOT_FOUND.
pub const OBJECT_NOT_FOUND: &Clause = &Clause {
    anchor: "object-not-found",
    grade: Grade::Must,
    says: "object IDs are lowercase UUIDs; OBJECT_NOT_FOUND 404: the object may have been deleted or the ID may be invalid",
};
/// Error Responses, AUTHENTICATION_FAILED; Introduction, Authentication.
pub const AUTHENTICATION_FAILED: &Clause = &Clause {
    anchor: "authentication-failed",
    grade: Grade::Must,
    says: "every request carries HTTP Basic credentials or `Bearer O:token`; missing or not valid is \
     AUTHENTICATION_FAILED 401",
};
/// Error Responses, ACCOUNT_NOT_FOUND.
pub const ACCOUNT_NOT_FOUND: &Clause = &Clause {
    anchor: "account-not-found",
    grade: Grade::Must,
    says: "ACCOUNT_NOT_FOUND 404: the deployment ID in the path could not be found",
};
/// Introduction, Enabling the API: credentials belong to one deployment.
pub const ISOLATION: &Clause = &Clause {
    anchor: "isolation",
    grade: Grade::Must,
    says: "each deployment has its own API credentials: one deployment's credentials never read or change another's \
     data (an error, never 2xx)",
};
/// API Limits: over the rate limit is 429.
pub const RATE_LIMITED: &Clause = &Clause {
    anchor: "rate-limited",
    grade: Grade::Must,
    says: "a request over the rate limit gets 429 Too Many Requests (TOO_MANY_REQUESTS); after a pause the API \
     answers again",
};
/// Error Responses: 2xx means the operation was completed; controls show the target is not refusing everything.
pub const SUCCESS: &Clause = &Clause {
    anchor: "success",
    grade: Grade::Must,
    says: "a 2xx status means the operation was completed (control: a valid request succeeds)",
};
/// Error Responses, INVALID_VALUE; Field Representation.
pub const INVALID_VALUE: &Clause = &Clause {
    anchor: "invalid-value",
    grade: Grade::Must,
    says: "INVALID_VALUE 422: a value invalid for the data model schema, or an invalid attachment/photo/signature \
     filename (Field Representation lists what each type accepts)",
};
/// Field Representation: what each type reads back as.
pub const READ_BACK: &Clause = &Clause {
    anchor: "read-back",
    grade: Grade::Must,
    says: "an accepted value reads back in the form Field Representation gives for its type",
};
/// Field Representation: null clears, omitted keeps.
pub const NULL_CLEARS: &Clause = &Clause {
    anchor: "null-clears",
    grade: Grade::Must,
    says: "on update, a field set to null is cleared and an omitted field keeps its value",
};
/// Update a Single Object, PUT.
pub const PUT_REPLACES: &Clause = &Clause {
    anchor: "put-replaces",
    grade: Grade::Must,
    says: "PUT replaces the whole object: fields it leaves out are cleared",
};
/// Update a Single Object, PUT upsert.
pub const PUT_UPSERT: &Clause = &Clause {
    anchor: "put-upsert",
    grade: Grade::Must,
    says: "PUT of an ID no object has yet creates the object with that ID",
};
/// Error Responses: a non-2xx status means the operation failed.
pub const FAILED_WRITE: &Clause = &Clause {
    anchor: "failed-write",
    grade: Grade::Must,
    says: "a status outside 2xx means the operation failed: the object reads back as before, a failed create \
     leaves no object",
};
/// OBJECT_NOT_FOUND covers deleted objects; PUT creates a missing ID.
pub const AFTER_DELETE: &Clause = &Clause {
    anchor: "after-delete",
    grade: Grade::Must,
    says: "after DELETE the object is gone: GET/PATCH/DELETE give OBJECT_NOT_FOUND, lists omit it (PUT creates it \
     anew, the documented upsert)",
};
/// Batch Operations: results per operation.
pub const BATCH_RESULTS: &Clause = &Clause {
    anchor: "batch-results",
    grade: Grade::Must,
    says: "a well-formed batch runs each operation in order and answers success with a result per operation \
     (`success` flag, `error` details); without stop_on_error a failure does not stop the rest",
};
/// Batch Operations, stop_on_error.
pub const BATCH_ABORTED: &Clause = &Clause {
    anchor: "batch-aborted",
    grade: Grade::Must,
    says: "with stop_on_error: true, no operation after the first failure is applied (their results report \
     BATCH_ABORTED)",
};
/// Batch Operations, the operation limit.
pub const BATCH_LIMIT: &Clause = &Clause {
    anchor: "batch-limit",
    grade: Grade::Must,
    says: "up to 1000 operations per batch; more makes the request invalid: an error, nothing applied",
};
/// Retrieve All Objects, Limit and Skip, Sort Results, Query Objects.
pub const LIST_PARAMS: &Clause = &Clause {
    anchor: "list-params",
    grade: Grade::Must,
    says: "list parameters: `limit`/`skip` are non-negative integers, `sort[field]` takes 1, -1, asc, ASC, desc or \
     DESC, `query[field(.op)]` names model fields and the documented operators; anything else is \
     INVALID_API_REQUEST",
};
/// Query Objects, the `contains` operator.
pub const CONTAINS_CASE: &Clause = &Clause {
    anchor: "contains-case",
    grade: Grade::Must,
    says: "`query[field.contains]=value` matches a partial text and is case-sensitive",
};
/// Query Objects, searching across all fields.
pub const SEARCH: &Clause = &Clause {
    anchor: "search",
    grade: Grade::Must,
    says: "`POST objects/{model}/search.json` with the text in a URL-encoded `query` parameter answers, as Retrieve \
     All Objects does, the objects with a partial match of it in their fields",
};
/// Oplog API parameters.
pub const OPLOG_PARAMS: &Clause = &Clause {
    anchor: "oplog-params",
    grade: Grade::Must,
    says: "oplog: `start` (inclusive) and `end` (exclusive) are sequence IDs, `limit` at most 1000, `tail=true` \
     gives the latest entries; a bad parameter is INVALID_API_REQUEST",
};
/// Error Responses (3xx) and Field Representation (attachment URLs).
pub const ATTACHMENT_REDIRECT: &Clause = &Clause {
    anchor: "attachment-redirect",
    grade: Grade::Must,
    says: "an uploaded attachment reads back with a `state` and, once uploaded, URLs; 3xx is used only for calls \
     such as fetching attachments",
};

/// Every clause of the contract, in `docs/contract.md` order: the one list reports and the contract test read.
pub fn all() -> &'static [&'static Clause] {
    ALL
}

const ALL: &[&Clause] = &[
    INVALID_API_REQUEST,
    STRICT_JSON,
    WRAPPED_BODY,
    BATCH_ILL_FORMED,
    OVERSIZED_BODY,
    ROUTE_ERROR,
    TRACE_ROUTE_ERROR,
    OBJECT_NOT_FOUND,
    AUTHENTICATION_FAILED,
    ACCOUNT_NOT_FOUND,
    ISOLATION,
    RATE_LIMITED,
    SUCCESS,
    INVALID_VALUE,
    READ_BACK,
    NULL_CLEARS,
    PUT_REPLACES,
    PUT_UPSERT,
    FAILED_WRITE,
    AFTER_DELETE,
    BATCH_RESULTS,
    BATCH_ABORTED,
    BATCH_LIMIT,
    LIST_PARAMS,
    CONTAINS_CASE,
    SEARCH,
    OPLOG_PARAMS,
    ATTACHMENT_REDIRECT,
    open::UNKNOWN_OBJECT_TYPE,
    open::PATH_TRICK,
    open::MERGED_SLASHES,
    open::HEAD,
    open::OPTIONS,
    open::BAD_CREDENTIALS_NON_ROUTE,
    open::BAD_CREDENTIALS_UNKNOWN_ACCOUNT,
    open::FOREIGN_CREDENTIALS,
    open::DUPLICATE_AUTHORIZATION,
    open::CONTENT_TYPE,
    open::UNKNOWN_FIELD,
    open::INTEGER_FRACTION,
    open::INTEGER_RANGE,
    open::NUMBER_RANGE,
    open::FILENAME_EDGE,
    open::LIMIT_ABOVE_MAX,
    open::EMPTY_PARAMETER,
    open::POST_EXISTING_ID,
    open::BATCH_BAD_OPERATION,
    open::BATCH_FORWARD_REFERENCE,
    open::MISSING_OPLOG_START,
    open::BOM,
    generated::MANY_FAULTS,
    generated::FILENAME_RULE,
    generated::FILENAME_EDGE,
    generated::NUMBER_RANGE,
    generated::NESTING_DEPTH,
    generated::LONE_SURROGATE,
    generated::DUPLICATE_NAMES,
    generated::UNKNOWN_FIELD,
    generated::WRAPPED_VALUES,
    generated::BATCH_OPERATION_SHAPE,
    generated::BATCH_WELL_FORMED,
    client_clauses::EMPTY_PAGING,
    client_clauses::SORT_NUMERIC,
    client_clauses::BATCH_EXPLICIT_IDS,
    client_clauses::BATCH_DELETE_UNKNOWN,
    client_clauses::LOCATION_TIMESTAMP,
    client_clauses::DATAMODEL_XML,
    client_clauses::QUERY_BODY,
    client_clauses::OPLOG_PAGING,
    client_clauses::FORMAT_SUFFIX,
    client_clauses::FORM_BODY,
    client_clauses::INFO,
    client_clauses::LIST_TOTAL,
    client_clauses::LIST_EMBED,
    depth::LIST_WINDOW,
    depth::QUERY_WINDOW,
    depth::OPLOG_PAGES,
    depth::METHOD_OVERRIDE,
    depth::PATH_CASE,
    depth::IMPLEMENTATION_DEFINED,
    depth::BAD_CREDENTIALS_OTHER_ROUTE,
    client_clauses::QUERY_LANGUAGE,
    client_clauses::LIST_TOTAL_DEFAULT,
    client_clauses::LOCATION_ARRAY,
    client_clauses::ATTACHMENT_CAPABILITY,
    client_clauses::TOKEN_SCHEME,
];

/// Outcome-set reasons: where the docs leave the answer open.
pub mod open;

/// Clauses behind the generated (property and fuzz) expectations, which no fixed case cites.
pub mod generated;

/// What the vendor's own clients send and read, stated by the v4 docs pages they implement; the
/// `clients` family's controls rest on these, and each must succeed on a conforming target.
pub mod client_clauses;

/// What a success answer carries when the suite knows the answer, and the attacks every route meets.
pub mod depth;
