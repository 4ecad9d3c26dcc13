//! Outcome-set reasons: where the docs leave the answer open, each names what they leave open.

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
pub const MERGED_SLASHES: &Clause = &Clause {
    anchor: "open-merged-slashes",
    grade: Grade::Open,
    says: "a path with `//` is no documented path (ROUTE_ERROR), but front proxies merge repeated slashes by \
     default, so the request may reach the route it becomes (2xx)",
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
