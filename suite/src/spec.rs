//! The contract clauses cases rest on, each paraphrased once from the public doc sentence (or RFC) it rests
//! on, with its anchor in `docs/contract.md` and its grade, so every case cites the same words and a report
//! can tell a broken MUST from a SHOULD. [`all`] lists them; `tests/contract.rs` holds the two in step.

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
    OPLOG_PARAMS,
    ATTACHMENT_REDIRECT,
    open::UNKNOWN_OBJECT_TYPE,
    open::PATH_TRICK,
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
];

/// Outcome-set reasons: where the docs leave the answer open, each names what they leave open.
pub mod open {
    use super::{Clause, Grade};

    pub const UNKNOWN_OBJECT_TYPE: &Clause = &Clause {
        anchor: "open-unknown-object-type",
        grade: Grade::Open,
        says: "a model the data model lacks: no error type is documented for it (ROUTE_ERROR, OBJECT_NOT_FOUND or \
         INVALID_API_REQUEST)",
    };
    pub const PATH_TRICK: &Clause = &Clause {
        anchor: "open-path-trick",
        grade: Grade::Open,
        says: "a raw ID segment that changes the path's shape may match no route (ROUTE_ERROR) or an unknown object",
    };
    pub const HEAD: &Clause = &Clause {
        anchor: "open-head",
        grade: Grade::Open,
        says: "HEAD is not documented; servers commonly derive it from GET (GET's status, empty body)",
    };
    pub const OPTIONS: &Clause = &Clause {
        anchor: "open-options",
        grade: Grade::Open,
        says: "OPTIONS is not documented; 200/204 with no body is a CORS preflight answer",
    };
    pub const BAD_CREDENTIALS_NON_ROUTE: &Clause = &Clause {
        anchor: "open-bad-credentials-non-route",
        grade: Grade::Open,
        says: "bad credentials on a non-route: the docs do not order the checks (401 or 404 ROUTE_ERROR)",
    };
    pub const BAD_CREDENTIALS_UNKNOWN_ACCOUNT: &Clause = &Clause {
        anchor: "open-bad-credentials-unknown-account",
        grade: Grade::Open,
        says: "bad credentials below an unknown account: the docs do not order the checks (401 or ACCOUNT_NOT_FOUND)",
    };
    pub const FOREIGN_CREDENTIALS: &Clause = &Clause {
        anchor: "open-foreign-credentials",
        grade: Grade::Open,
        says: "valid credentials of another deployment: not valid for this path (401) or this deployment not found \
         for them (ACCOUNT_NOT_FOUND); the docs do not say which",
    };
    pub const DUPLICATE_AUTHORIZATION: &Clause = &Clause {
        anchor: "open-duplicate-authorization",
        grade: Grade::Open,
        says: "several Authorization headers: RFC 9110 allows one, the docs say nothing, so 401 or 400",
    };
    pub const CONTENT_TYPE: &Clause = &Clause {
        anchor: "open-content-type",
        grade: Grade::Open,
        says: "a JSON body labelled otherwise: form encoding is documented too, so the body may be read as a form \
         (400 or 422 for what it then holds) or as JSON (2xx)",
    };
    pub const UNKNOWN_FIELD: &Clause = &Clause {
        anchor: "open-unknown-field",
        grade: Grade::Open,
        says: "a field name the model lacks in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored \
         (2xx, absent on read-back)",
    };
    pub const INTEGER_FRACTION: &Clause = &Clause {
        anchor: "open-integer-fraction",
        grade: Grade::Open,
        says: "integer takes any JSON integer; `1.0` is integral but written with a fraction, so either reading",
    };
    pub const INTEGER_RANGE: &Clause = &Clause {
        anchor: "open-integer-range",
        grade: Grade::Open,
        says: "no integer range is documented; 2^63 overflows 64 bits: INVALID_VALUE, or stored and read back exactly",
    };
    pub const NUMBER_RANGE: &Clause = &Clause {
        anchor: "open-number-range",
        grade: Grade::Open,
        says: "RFC 8259 §6 lets a parser limit number range (400); a number the type cannot hold is INVALID_VALUE",
    };
    pub const FILENAME_EDGE: &Clause = &Clause {
        anchor: "open-filename-edge",
        grade: Grade::Open,
        says: "the allowed filename characters are listed, but no length limit, nor names of only dots or spaces",
    };
    pub const LIMIT_ABOVE_MAX: &Clause = &Clause {
        anchor: "open-limit-above-max",
        grade: Grade::Open,
        says: "`limit` above 1000: the docs give the maximum but not the answer (INVALID_API_REQUEST, or 2xx capped)",
    };
    pub const EMPTY_PARAMETER: &Clause = &Clause {
        anchor: "open-empty-parameter",
        grade: Grade::Open,
        says: "an empty `limit=`/`skip=`: the vendor db client sends both on every list, so empty may mean not \
         given (2xx); the docs only say integers",
    };
    pub const POST_EXISTING_ID: &Clause = &Clause {
        anchor: "open-post-existing-id",
        grade: Grade::Open,
        says: "a batch `post` with an existing ID fails, but no error type is documented for it",
    };
    pub const BATCH_BAD_OPERATION: &Clause = &Clause {
        anchor: "open-batch-bad-operation",
        grade: Grade::Open,
        says: "one malformed operation: the whole batch may fail (400, nothing applied) or that operation alone \
         (2xx, with stop_on_error the rest aborted)",
    };
    pub const BATCH_FORWARD_REFERENCE: &Clause = &Clause {
        anchor: "open-batch-forward-reference",
        grade: Grade::Open,
        says: "inside a batch a belongs-to ID may name an object not (yet) there: the vendor client orders \
         operations so objects can point at later ones, so it may be accepted or INVALID_VALUE",
    };
    pub const MISSING_OPLOG_START: &Clause = &Clause {
        anchor: "open-missing-oplog-start",
        grade: Grade::Open,
        says: "`start` is in every documented oplog URL but not called required, and `tail` needs none: 2xx or 400",
    };
    pub const BOM: &Clause = &Clause {
        anchor: "open-bom",
        grade: Grade::Open,
        says: "RFC 8259 §8.1: a parser MAY ignore a leading byte order mark, so both readings are correct",
    };
}

/// Clauses behind the generated (property and fuzz) expectations, which no fixed case cites.
pub mod generated {
    use super::{Clause, Grade};

    /// Every generated clause: the contract test counts them as cited.
    pub const ALL: &[&Clause] = &[
        MANY_FAULTS,
        FILENAME_RULE,
        FILENAME_EDGE,
        NUMBER_RANGE,
        NESTING_DEPTH,
        LONE_SURROGATE,
        DUPLICATE_NAMES,
        UNKNOWN_FIELD,
        WRAPPED_VALUES,
        BATCH_OPERATION_SHAPE,
        BATCH_WELL_FORMED,
    ];

    pub const MANY_FAULTS: &Clause = &Clause {
        anchor: "generated-many-faults",
        grade: Grade::Open,
        says: "several faults at once: the docs order no checks, so the type of any one of them is a correct reading",
    };
    pub const FILENAME_RULE: &Clause = &Clause {
        anchor: "generated-filename-rule",
        grade: Grade::Must,
        says: "filenames: only lowercase a-z, digits, _, -, . and space; anything else (uppercase, /, \\, control \
         characters, NUL, non-ASCII, empty) is INVALID_VALUE 422",
    };
    pub const FILENAME_EDGE: &Clause = &Clause {
        anchor: "generated-filename-edge",
        grade: Grade::Open,
        says: "no filename length limit is documented, nor whether `.` alone or a `..` inside a name is refused: 2xx \
         or INVALID_VALUE",
    };
    pub const NUMBER_RANGE: &Clause = &Clause {
        anchor: "generated-number-range",
        grade: Grade::Open,
        says: "RFC 8259 §9: a parser may limit the range of numbers (400); a value the type cannot hold is 422",
    };
    pub const NESTING_DEPTH: &Clause = &Clause {
        anchor: "generated-nesting-depth",
        grade: Grade::Open,
        says:
            "RFC 8259 §9: a parser may limit nesting depth (400); within the limit the value is judged as a field value",
    };
    pub const LONE_SURROGATE: &Clause = &Clause {
        anchor: "generated-lone-surrogate",
        grade: Grade::Open,
        says: "RFC 8259 §8.2: a lone surrogate escape is grammatical but not Unicode; receivers may reject it (400) or not",
    };
    pub const DUPLICATE_NAMES: &Clause = &Clause {
        anchor: "generated-duplicate-names",
        grade: Grade::Open,
        says: "RFC 8259 §4: with duplicate names the receiver's behaviour is unpredictable (400, or one value is used)",
    };
    pub const UNKNOWN_FIELD: &Clause = &Clause {
        anchor: "generated-unknown-field",
        grade: Grade::Open,
        says: "a field name the model lacks in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored",
    };
    pub const WRAPPED_VALUES: &Clause = &Clause {
        anchor: "generated-wrapped-values",
        grade: Grade::Open,
        says: "a wrapped body is well-formed; its values decide between 2xx and INVALID_VALUE 422",
    };
    pub const BATCH_OPERATION_SHAPE: &Clause = &Clause {
        anchor: "generated-batch-operation-shape",
        grade: Grade::Open,
        says: "an operation lacking `object`/`type`/`id`, a non-boolean `stop_on_error` or an extra key is not named \
         ill-formed by the docs: 400, or a 2xx with that operation failed",
    };
    pub const BATCH_WELL_FORMED: &Clause = &Clause {
        anchor: "generated-batch-well-formed",
        grade: Grade::Must,
        says: "a well-formed batch answers success with one result per operation (failures inside)",
    };
}
