//! The spec sentences cases rest on, quoted once so every case cites the same words
//! (section numbers refer to the contract page the suite was written from).

/// §3 INVALID_API_REQUEST.
pub const INVALID_API_REQUEST: &str =
    "§3 INVALID_API_REQUEST 400: the request itself is bad: JSON syntax errors, wrong body shape";
/// §1: create and update bodies are wrapped in the model name.
pub const WRAPPED_BODY: &str =
    "§1 POST/PATCH/PUT objects: the body is wrapped in the model name; a wrong body shape is INVALID_API_REQUEST 400";
/// §5: an ill-formed batch fails as a whole.
pub const BATCH_ILL_FORMED: &str =
    "§5 an ill-formed batch (bad JSON, operations missing or not an array) fails as a whole with INVALID_API_REQUEST";
/// §7 body size row.
pub const OVERSIZED_BODY: &str =
    "§7 body over the server's size limit: INVALID_API_REQUEST (a 413 or a proxy's HTML page is a deviation)";
/// §3 ROUTE_ERROR.
pub const ROUTE_ERROR: &str =
    "§3 ROUTE_ERROR 404: the method + path combination is not an API route (a wrong method is 404 ROUTE_ERROR, not 405)";
/// §1 + §3 OBJECT_NOT_FOUND.
pub const OBJECT_NOT_FOUND: &str =
    "§1 object IDs are lowercase UUIDs; an invalid ID is OBJECT_NOT_FOUND. §3 OBJECT_NOT_FOUND 404: no object with that ID of that type";
/// §3 AUTHENTICATION_FAILED.
pub const AUTHENTICATION_FAILED: &str = "§3 AUTHENTICATION_FAILED 401: missing or wrong Basic credentials or token";
/// §3 ACCOUNT_NOT_FOUND.
pub const ACCOUNT_NOT_FOUND: &str =
    "§3 ACCOUNT_NOT_FOUND 404: the account ID in the path does not exist, or these credentials have no access to it";
/// §6.7 isolation.
pub const ISOLATION: &str =
    "§6.7 one account's credentials never read or change another account's data (ACCOUNT_NOT_FOUND, never 2xx)";
/// §3: a success means the operation happened; controls show the target is not rejecting everything.
pub const RATE_LIMITED: &str =
    "§6.8 a request over the limit is 429 TOO_MANY_REQUESTS with the documented body, and the target answers again after Retry-After";
pub const SUCCESS: &str = "§3 2xx means the operation happened (control: a valid request must succeed)";

/// §3 INVALID_VALUE with §4's table.
pub const INVALID_VALUE: &str =
    "§3 INVALID_VALUE 422: a well-formed request whose value breaks the data model (§4: wrong type, unknown option, bad date, bad filename)";
/// §4 read-back representations.
pub const READ_BACK: &str = "§4 an accepted value is stored and read back in the documented representation";
/// §1 PATCH and §4 update rules.
pub const NULL_CLEARS: &str = "§1 PATCH / §4: on update, `null` clears a field; an omitted field is left as it is";
/// §1 PUT.
pub const PUT_REPLACES: &str = "§1 PUT: full replace, omitted fields cleared";
/// §6.5.
pub const FAILED_WRITE: &str =
    "§6.5 a failed write changes nothing: the object reads back as before; a failed create leaves no object";
/// §6.6.
pub const AFTER_DELETE: &str =
    "§6.6 after DELETE, GET/PATCH/DELETE of that ID give OBJECT_NOT_FOUND (PUT creates it anew: documented upsert)";
/// §5 batch results.
pub const BATCH_RESULTS: &str =
    "§5 a well-formed batch answers one result per operation, in order; a failed one carries an error body; without stop_on_error the others are applied";
/// §5 stop_on_error.
pub const BATCH_ABORTED: &str =
    "§5 with stop_on_error: true, every operation after the first failure reports BATCH_ABORTED (424) and was not applied";
/// §5 the operation limit.
pub const BATCH_LIMIT: &str =
    "§3/§5 a batch over the operation limit (1000) is INVALID_API_REQUEST and applies nothing";
/// §1 list parameters.
pub const LIST_PARAMS: &str =
    "§1 list: `limit`/`skip` are non-negative integers, `sort[field]=asc|desc`, `query[field(.op)]=v`; §3 a bad query parameter is INVALID_API_REQUEST";
/// §1 oplog parameters.
pub const OPLOG_PARAMS: &str =
    "§1 oplog: `start` (inclusive), `end` (exclusive), `limit` (max 1000); §3 a missing required or bad parameter is INVALID_API_REQUEST";
/// §1 attachments.
pub const ATTACHMENT_REDIRECT: &str =
    "§1/§3 fetching an attachment answers with a 3xx redirect to the file (3xx is only for attachments)";

/// §7 outcome-set reasons, each tied to the row that leaves the answer open.
pub mod open {
    pub const UNKNOWN_OBJECT_TYPE: &str = "§7 unknown object type in the path: the docs name no type for it";
    pub const PATH_TRICK: &str = "§7 ID-segment tricks that change the path's shape may match no route at all";
    pub const HEAD: &str = "§7 HEAD is not documented; many servers derive it from GET (GET status, empty body)";
    pub const OPTIONS: &str = "§7 OPTIONS is not documented; 200/204 with no body is a CORS preflight answer";
    pub const BAD_CREDENTIALS_NON_ROUTE: &str =
        "§7 bad credentials on a non-route: the order of checks is not documented";
    pub const BAD_CREDENTIALS_UNKNOWN_ACCOUNT: &str =
        "§7 bad credentials and unknown account: the order of checks is not documented";
    pub const CONTENT_TYPE: &str =
        "§7 JSON body sent with a non-JSON or missing Content-Type: INVALID_API_REQUEST, or handled as JSON (form encoding is also documented)";
    pub const UNKNOWN_FIELD: &str =
        "§7 unknown field name in a create/update body: INVALID_VALUE, INVALID_API_REQUEST, or ignored (2xx, absent on read-back)";
    pub const INTEGER_FRACTION: &str = "§4 integer accepts a JSON integer; `1.0` is integral but written with a fraction, so the docs allow either reading";
    pub const INTEGER_RANGE: &str =
        "§4 names no integer range; 2^63 overflows 64 bits: INVALID_VALUE, or stored and read back exactly";
    pub const NUMBER_RANGE: &str =
        "RFC 8259 §6 lets a parser limit number range (INVALID_API_REQUEST); §4 makes a non-number INVALID_VALUE";
    pub const FILENAME_EDGE: &str = "§4 lists the allowed filename characters but no length limit, and says nothing of names made only of dots or spaces";
    pub const LIMIT_ABOVE_MAX: &str = "§7 `limit` above 1000: INVALID_API_REQUEST, or 2xx with at most 1000 objects";
    pub const POST_EXISTING_ID: &str =
        "§5 `post` with an ID that exists fails that operation; the docs name no type for it";
    pub const MISSING_OPLOG_START: &str =
        "§1 names `start` as the oplog's first parameter but not as required, so 2xx is also a reading";
    pub const BOM: &str = "RFC 8259 §8.1: a parser MAY ignore a leading byte order mark, so both readings are correct";
}
