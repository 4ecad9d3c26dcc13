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
pub const SUCCESS: &str = "§3 2xx means the operation happened (control: a valid request must succeed)";

/// §7 outcome-set reasons, each tied to the row that leaves the answer open.
pub mod open {
    pub const UNKNOWN_OBJECT_TYPE: &str = "§7 unknown object type in the path: the docs name no type for it";
    pub const PATH_TRICK: &str = "§7 ID-segment tricks that change the path's shape may match no route at all";
    pub const HEAD: &str = "§7 HEAD is not documented; many servers derive it from GET (GET status, empty body)";
    pub const OPTIONS: &str = "§7 OPTIONS is not documented; 200/204 with no body is a CORS preflight answer";
    pub const BAD_CREDENTIALS_NON_ROUTE: &str = "§7 bad credentials on a non-route: the order of checks is not documented";
    pub const BAD_CREDENTIALS_UNKNOWN_ACCOUNT: &str =
        "§7 bad credentials and unknown account: the order of checks is not documented";
    pub const CONTENT_TYPE: &str =
        "§7 JSON body sent with a non-JSON or missing Content-Type: INVALID_API_REQUEST, or handled as JSON (form encoding is also documented)";
    pub const BOM: &str = "RFC 8259 §8.1: a parser MAY ignore a leading byte order mark, so both readings are correct";
}
