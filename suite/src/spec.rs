//! The contract clauses cases rest on, each quoted once with its anchor in `docs/contract.md` and its
//! grade, so every case cites the same words and a report can tell a broken MUST from a SHOULD.

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

/// §3 INVALID_API_REQUEST.
pub const INVALID_API_REQUEST: &Clause = &Clause {
    anchor: "invalid-api-request",
    grade: Grade::Must,
    says: "§3 INVALID_API_REQUEST 400: the request itself is bad: JSON syntax errors, wrong body shape",
};
/// §1: create and update bodies are wrapped in the model name.
pub const WRAPPED_BODY: &Clause = &Clause { anchor: "wrapped-body", grade: Grade::Must, says: "§1 POST/PATCH/PUT objects: the body is wrapped in the model name; a wrong body shape is INVALID_API_REQUEST 400" };
/// §5: an ill-formed batch fails as a whole.
pub const BATCH_ILL_FORMED: &Clause = &Clause { anchor: "batch-ill-formed", grade: Grade::Must, says: "§5 an ill-formed batch (bad JSON, operations missing or not an array) fails as a whole with INVALID_API_REQUEST" };
/// §7 body size row.
pub const OVERSIZED_BODY: &Clause = &Clause {
    anchor: "oversized-body",
    grade: Grade::Must,
    says: "§7 body over the server's size limit: INVALID_API_REQUEST (a 413 or a proxy's HTML page is a deviation)",
};
/// §3 ROUTE_ERROR.
pub const ROUTE_ERROR: &Clause = &Clause { anchor: "route-error", grade: Grade::Must, says: "§3 ROUTE_ERROR 404: the method + path combination is not an API route (a wrong method is 404 ROUTE_ERROR, not 405)" };
/// §1 + §3 OBJECT_NOT_FOUND.
pub const OBJECT_NOT_FOUND: &Clause = &Clause { anchor: "object-not-found", grade: Grade::Must, says: "§1 object IDs are lowercase UUIDs; an invalid ID is OBJECT_NOT_FOUND. §3 OBJECT_NOT_FOUND 404: no object with that ID of that type" };
/// §3 AUTHENTICATION_FAILED.
pub const AUTHENTICATION_FAILED: &Clause = &Clause {
    anchor: "authentication-failed",
    grade: Grade::Must,
    says: "§3 AUTHENTICATION_FAILED 401: missing or wrong Basic credentials or token",
};
/// §3 ACCOUNT_NOT_FOUND.
pub const ACCOUNT_NOT_FOUND: &Clause = &Clause {
    anchor: "account-not-found",
    grade: Grade::Must,
    says:
        "§3 ACCOUNT_NOT_FOUND 404: the account ID in the path does not exist, or these credentials have no access to it",
};
/// §6.7 isolation.
pub const ISOLATION: &Clause = &Clause {
    anchor: "isolation",
    grade: Grade::Must,
    says: "§6.7 one account's credentials never read or change another account's data (ACCOUNT_NOT_FOUND, never 2xx)",
};
/// §3: a success means the operation happened; controls show the target is not rejecting everything.
pub const RATE_LIMITED: &Clause = &Clause { anchor: "rate-limited", grade: Grade::Must, says: "§6.8 a request over the limit is 429 TOO_MANY_REQUESTS with the documented body, and the target answers again after Retry-After" };
pub const SUCCESS: &Clause = &Clause {
    anchor: "success",
    grade: Grade::Must,
    says: "§3 2xx means the operation happened (control: a valid request must succeed)",
};

/// §3 INVALID_VALUE with §4's table.
pub const INVALID_VALUE: &Clause = &Clause { anchor: "invalid-value", grade: Grade::Must, says: "§3 INVALID_VALUE 422: a well-formed request whose value breaks the data model (§4: wrong type, unknown option, bad date, bad filename)" };
/// §4 read-back representations.
pub const READ_BACK: &Clause = &Clause {
    anchor: "read-back",
    grade: Grade::Must,
    says: "§4 an accepted value is stored and read back in the documented representation",
};
/// §1 PATCH and §4 update rules.
pub const NULL_CLEARS: &Clause = &Clause {
    anchor: "null-clears",
    grade: Grade::Must,
    says: "§1 PATCH / §4: on update, `null` clears a field; an omitted field is left as it is",
};
/// §1 PUT.
pub const PUT_REPLACES: &Clause =
    &Clause { anchor: "put-replaces", grade: Grade::Must, says: "§1 PUT: full replace, omitted fields cleared" };
/// §1 PUT upsert.
pub const PUT_UPSERT: &Clause = &Clause {
    anchor: "put-upsert",
    grade: Grade::Must,
    says: "§1 PUT: if no object has that ID yet, it is created with that ID",
};
/// §6.5.
pub const FAILED_WRITE: &Clause = &Clause {
    anchor: "failed-write",
    grade: Grade::Must,
    says: "§6.5 a failed write changes nothing: the object reads back as before; a failed create leaves no object",
};
/// §6.6.
pub const AFTER_DELETE: &Clause = &Clause {
    anchor: "after-delete",
    grade: Grade::Must,
    says:
        "§6.6 after DELETE, GET/PATCH/DELETE of that ID give OBJECT_NOT_FOUND (PUT creates it anew: documented upsert)",
};
/// §5 batch results.
pub const BATCH_RESULTS: &Clause = &Clause { anchor: "batch-results", grade: Grade::Must, says: "§5 a well-formed batch answers one result per operation, in order; a failed one carries an error body; without stop_on_error the others are applied" };
/// §5 stop_on_error.
pub const BATCH_ABORTED: &Clause = &Clause { anchor: "batch-aborted", grade: Grade::Must, says: "§5 with stop_on_error: true, every operation after the first failure reports BATCH_ABORTED (424) and was not applied" };
/// §5 the operation limit.
pub const BATCH_LIMIT: &Clause = &Clause {
    anchor: "batch-limit",
    grade: Grade::Must,
    says: "§3/§5 a batch over the operation limit (1000) is INVALID_API_REQUEST and applies nothing",
};
/// §1 list parameters.
pub const LIST_PARAMS: &Clause = &Clause { anchor: "list-params", grade: Grade::Must, says: "§1 list: `limit`/`skip` are non-negative integers, `sort[field]=asc|desc`, `query[field(.op)]=v`; §3 a bad query parameter is INVALID_API_REQUEST" };
/// §1 oplog parameters.
pub const OPLOG_PARAMS: &Clause = &Clause { anchor: "oplog-params", grade: Grade::Must, says: "§1 oplog: `start` (inclusive), `end` (exclusive), `limit` (max 1000); §3 a missing required or bad parameter is INVALID_API_REQUEST" };
/// §1 attachments.
pub const ATTACHMENT_REDIRECT: &Clause = &Clause {
    anchor: "attachment-redirect",
    grade: Grade::Must,
    says: "§1/§3 fetching an attachment answers with a 3xx redirect to the file (3xx is only for attachments)",
};

/// §7 outcome-set reasons, each tied to the row that leaves the answer open.
pub mod open {
    use super::{Clause, Grade};

    pub const UNKNOWN_OBJECT_TYPE: &Clause = &Clause {
        anchor: "open-unknown-object-type",
        grade: Grade::Open,
        says: "§7 unknown object type in the path: the docs name no type for it",
    };
    pub const PATH_TRICK: &Clause = &Clause {
        anchor: "open-path-trick",
        grade: Grade::Open,
        says: "§7 ID-segment tricks that change the path's shape may match no route at all",
    };
    pub const HEAD: &Clause = &Clause {
        anchor: "open-head",
        grade: Grade::Open,
        says: "§7 HEAD is not documented; many servers derive it from GET (GET status, empty body)",
    };
    pub const OPTIONS: &Clause = &Clause {
        anchor: "open-options",
        grade: Grade::Open,
        says: "§7 OPTIONS is not documented; 200/204 with no body is a CORS preflight answer",
    };
    pub const BAD_CREDENTIALS_NON_ROUTE: &Clause = &Clause {
        anchor: "open-bad-credentials-non-route",
        grade: Grade::Open,
        says: "§7 bad credentials on a non-route: the order of checks is not documented",
    };
    pub const BAD_CREDENTIALS_UNKNOWN_ACCOUNT: &Clause = &Clause {
        anchor: "open-bad-credentials-unknown-account",
        grade: Grade::Open,
        says: "§7 bad credentials and unknown account: the order of checks is not documented",
    };
    pub const CONTENT_TYPE: &Clause = &Clause { anchor: "open-content-type", grade: Grade::Open, says: "§7 JSON body sent with a non-JSON or missing Content-Type: INVALID_API_REQUEST, or handled as JSON (form encoding is also documented)" };
    pub const UNKNOWN_FIELD: &Clause = &Clause { anchor: "open-unknown-field", grade: Grade::Open, says: "§7 unknown field name in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored (2xx, absent on read-back)" };
    pub const INTEGER_FRACTION: &Clause = &Clause { anchor: "open-integer-fraction", grade: Grade::Open, says: "§4 integer accepts a JSON integer; `1.0` is integral but written with a fraction, so the docs allow either reading" };
    pub const INTEGER_RANGE: &Clause = &Clause {
        anchor: "open-integer-range",
        grade: Grade::Open,
        says: "§4 names no integer range; 2^63 overflows 64 bits: INVALID_VALUE, or stored and read back exactly",
    };
    pub const NUMBER_RANGE: &Clause = &Clause {
        anchor: "open-number-range",
        grade: Grade::Open,
        says: "RFC 8259 §6 lets a parser limit number range (INVALID_API_REQUEST); §4 makes a non-number INVALID_VALUE",
    };
    pub const FILENAME_EDGE: &Clause = &Clause { anchor: "open-filename-edge", grade: Grade::Open, says: "§4 lists the allowed filename characters but no length limit, and says nothing of names made only of dots or spaces" };
    pub const LIMIT_ABOVE_MAX: &Clause = &Clause {
        anchor: "open-limit-above-max",
        grade: Grade::Open,
        says: "§7 `limit` above 1000: INVALID_API_REQUEST, or 2xx with at most 1000 objects",
    };
    pub const POST_EXISTING_ID: &Clause = &Clause {
        anchor: "open-post-existing-id",
        grade: Grade::Open,
        says: "§5 `post` with an ID that exists fails that operation; the docs name no type for it",
    };
    pub const MISSING_OPLOG_START: &Clause = &Clause {
        anchor: "open-missing-oplog-start",
        grade: Grade::Open,
        says: "§1 names `start` as the oplog's first parameter but not as required, so 2xx is also a reading",
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

    pub const MANY_FAULTS: &Clause = &Clause {
        anchor: "generated-many-faults",
        grade: Grade::Open,
        says: "§7 several faults at once: the type of any one of them is a correct reading",
    };
    pub const FILENAME_RULE: &Clause = &Clause {
        anchor: "generated-filename-rule",
        grade: Grade::Must,
        says: "§4 filenames: only lowercase a-z, digits, _, -, . and space; anything else (uppercase, /, \\, .. path \
     tricks, control characters, NUL, non-ASCII, empty) is INVALID_VALUE 422",
    };
    pub const FILENAME_EDGE: &Clause = &Clause {
        anchor: "generated-filename-edge",
        grade: Grade::Open,
        says: "§4 names no length limit and does not say whether `.` alone or a `..` inside a name (not a path \
     component) is a path trick: 2xx or INVALID_VALUE",
    };
    pub const NUMBER_RANGE: &Clause = &Clause {
        anchor: "generated-number-range",
        grade: Grade::Open,
        says: "RFC 8259 §9: a parser may limit the range of numbers (400); spec §4 calls 1e400 an invalid value (422)",
    };
    pub const NESTING_DEPTH: &Clause = &Clause {
        anchor: "generated-nesting-depth",
        grade: Grade::Open,
        says:
            "RFC 8259 §9: a parser may limit nesting depth (400); within the limit the value is judged as a field value",
    };
    pub const LONE_SURROGATE: &Clause = &Clause { anchor: "generated-lone-surrogate", grade: Grade::Open, says: "RFC 8259 §8.2: a lone surrogate escape is grammatical but not Unicode; receivers may reject it (400) or not" };
    pub const DUPLICATE_NAMES: &Clause = &Clause { anchor: "generated-duplicate-names", grade: Grade::Open, says: "RFC 8259 §4: with duplicate names the behaviour of the receiver is unpredictable (400, or one of the values is used)" };
    pub const UNKNOWN_FIELD: &Clause = &Clause {
        anchor: "generated-unknown-field",
        grade: Grade::Open,
        says: "§7 unknown field name in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored (2xx)",
    };
    pub const WRAPPED_VALUES: &Clause = &Clause {
        anchor: "generated-wrapped-values",
        grade: Grade::Open,
        says: "§1 a wrapped body is well-formed; §4 its values decide between 2xx and INVALID_VALUE 422",
    };
    pub const BATCH_OPERATION_SHAPE: &Clause = &Clause {
        anchor: "generated-batch-operation-shape",
        grade: Grade::Open,
        says: "§5 names only some ill-formed batches (400); an operation lacking `object`/`type`/`id`, a non-boolean \
     `stop_on_error` or an extra key is not named, so 400 or a 2xx with that operation failed",
    };
    pub const BATCH_WELL_FORMED: &Clause = &Clause {
        anchor: "generated-batch-well-formed",
        grade: Grade::Must,
        says: "§5 a well-formed batch answers 2xx with one result per operation (failures inside)",
    };
}
