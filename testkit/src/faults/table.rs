//! The table of every fault: one row per [`Kind`], each naming the bug it models and the clause it breaks.
//! The families' own helpers ([`isolation`], [`client`]) fill in what their rows share.

use super::isolation::isolation;
use super::table_clients::CLIENTS;
use super::table_depth::DEPTH;
use super::table_fuzz::FUZZ;
use super::{fault, Catcher, Fault, Kind};
use journey_conformance::oracle::Profile;

/// Every fault, in table order: the rows below, the vendor clients' rows (`table_clients.rs`), the deeper
/// checks' (`table_depth.rs`), then the rows only the fuzzers kill (`table_fuzz.rs`).
pub const ALL: &[Fault] =
    &join::<{ BASE.len() + DEPTH.len() + FUZZ.len() }>(&join::<{ BASE.len() + DEPTH.len() }>(&BASE, DEPTH), FUZZ);

const BASE: [Fault; CORE.len() + CLIENTS.len()] = join::<{ CORE.len() + CLIENTS.len() }>(CORE, CLIENTS);

/// Two tables as one, at compile time, so `ALL` stays a plain constant slice.
const fn join<const N: usize>(a: &[Fault], b: &[Fault]) -> [Fault; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

/// The faults of the error contract, accounts and state.
const CORE: &[Fault] = &[
    Fault {
        killed_within: Some("query/list/control/sort-updated-at-docs-example"),
        ..fault(
            "updated-at-sort-refused",
            "§1 list-params: the docs' own example sorts by `updated_at` (`limit=5&sort[updated_at]=desc`)",
            "a sort key check that knows the model's fields and the underscored hidden ones only: 400 on `sort[updated_at]`",
            Kind::UpdatedAtSortRefused,
        )
    },
    fault(
        "status-405",
        "§3 ROUTE_ERROR: a wrong method is 404, never 405",
        "a web framework's default 405 Method Not Allowed",
        Kind::Status405,
    ),
    fault(
        "missing-see",
        "§2/§6.1 the error body has `see`",
        "an error serializer that drops the `see` link",
        Kind::MissingSee,
    ),
    fault(
        "text-plain-errors",
        "§6.2 a JSON error is application/json",
        "errors written with the framework's default text/plain",
        Kind::TextPlainErrors,
    ),
    fault(
        "500-on-bad-request",
        "§6.3 bad client input never yields 5xx",
        "an unhandled parse exception becomes 500",
        Kind::ServerErrorOnBadRequest,
    ),
    fault(
        "stack-trace-in-detail",
        "§6.4 no stack traces or file paths",
        "a debug-mode error handler puts the trace in `detail`",
        Kind::StackTraceInDetail,
    ),
    fault(
        "echo-authorization",
        "§6.4 no echoed credentials",
        "a debug header echoes the request's Authorization",
        Kind::EchoAuthorization,
    ),
    fault("html-404", "§6.1 the error body is a JSON object", "a reverse proxy's HTML 404 page", Kind::HtmlNotFound),
    fault(
        "status-type-mismatch",
        "§3/§6.1 status and type agree",
        "OBJECT_NOT_FOUND sent with status 400",
        Kind::TypeStatusMismatch,
    ),
    Fault {
        profile: Profile::Strict,
        ..fault(
            "plain-text-401",
            "§2 quirk: JSON everywhere (strict profile)",
            "the documented plain-text 401 `HTTP Basic: Access denied.`",
            Kind::PlainText401,
        )
    },
    fault(
        "x-powered-by",
        "§6.4 no framework banners",
        "Express's default `X-Powered-By` header",
        Kind::PoweredByHeader,
    ),
    fault(
        "errors-as-200",
        "§6.3 bad client input never yields 2xx",
        "an RPC-style API that wraps every error in 200",
        Kind::ErrorsAs200,
    ),
    fault(
        "403-foreign-account",
        "§3 no 403 is documented: ACCOUNT_NOT_FOUND is 404",
        "an authorization layer's 403 Forbidden",
        Kind::Forbidden403,
    ),
    fault(
        "sql-error-on-bad-id",
        "§1/§6.3 a malformed ID is OBJECT_NOT_FOUND, not a database error",
        "a malformed ID reaches a uuid column: 500 with the driver's message",
        Kind::SqlErrorOnBadId,
    ),
    fault(
        "undocumented-type",
        "§3/§6.3 only the documented types",
        "a validation framework's own VALIDATION_ERROR type",
        Kind::UndocumentedType,
    ),
    fault(
        "see-without-type-fragment",
        "§6.1 SHOULD: `see` ends in #<type> (rule-see-link; only the SHOULD check kills it: non-strict)",
        "an error serializer that links the docs' error index instead of the type's own entry",
        Kind::SeeWithoutFragment,
    ),
    fault(
        "wrong-see-fragment",
        "§6.1 SHOULD: `see` names the answer's own type (rule-see-link; only the SHOULD check kills it: non-strict)",
        "an error serializer that links every error to one shared entry of the docs' error index",
        Kind::WrongSeeFragment,
    ),
    fault(
        "slow-query-header",
        "§6.4 SHOULD: no SQL in any header (only the judged marker searches see it: non-strict)",
        "a slow-query logger that echoes the SQL of a large page (limit > 100) into a debug header",
        Kind::SlowQueryHeader,
    ),
    fault(
        "echo-password-escaped",
        "§6.4 SECURITY (rule-echoed-credential): no credential comes back, JSON-escaped or URL-encoded either",
        "a debug error handler that quotes the caller's password in `detail` and URL-encoded in a header",
        Kind::EchoPasswordEscaped,
    ),
    fault(
        "debug-key-on-success",
        "§6.4 SHOULD: no SQL in the parts of a success body the server composes (non-strict)",
        "a query logger that adds a top-level `debug` key with the SQL to every success answer",
        Kind::DebugKeyOnSuccess,
    ),
    fault(
        "rate-limit-text-plain",
        "§6.8/§6.1 a 429 is the TOO_MANY_REQUESTS error body (only the judged retried 429 kills it)",
        "a gateway limiter that refuses with a bare text/plain 429 and no Retry-After; the retry passes",
        Kind::RateLimitTextPlain,
    ),
    fault(
        "retry-after-milliseconds",
        "§6.8 SHOULD: a 429's Retry-After is a plausible wait in seconds (rule-retry-after; only the judged \
         retried 429 kills it: non-strict)",
        "a limiter that writes its 1 s window in milliseconds (`Retry-After: 1000`); the retry passes",
        Kind::RetryAfterMilliseconds,
    ),
    Fault {
        caught_by: Catcher::StatefulProperty,
        ..fault(
            "rate-limit-text-plain-writes",
            "§6.8/§6.1 a 429 is the TOO_MANY_REQUESTS error body (the stateful property judges the 429s it retried)",
            "a gateway limiter in front of creates that refuses with a bare text/plain 429; the retry passes",
            Kind::RateLimitTextPlainWrites,
        )
    },
    fault(
        "lenient-json",
        "§3 INVALID_API_REQUEST: JSON syntax errors",
        "a lenient JSON5-ish parser that strips comments and trailing commas",
        Kind::LenientJson,
    ),
    fault(
        "unwrapped-body-accepted",
        "§1 create/update bodies are wrapped in the model name",
        "a body parser that wraps a bare object itself",
        Kind::UnwrappedBodyAccepted,
    ),
    fault(
        "uppercase-id-accepted",
        "§1 object IDs must be lowercase; an invalid ID is OBJECT_NOT_FOUND",
        "a database uuid column that ignores case",
        Kind::UppercaseIdAccepted,
    ),
    fault(
        "trailing-slash-tolerated",
        "§3 ROUTE_ERROR: the method + path is not an API route",
        "non-strict routing that strips a trailing slash",
        Kind::TrailingSlashTolerated,
    ),
    fault(
        "credentials-ignored-on-oplog",
        "§3 AUTHENTICATION_FAILED on every route",
        "one route mounted outside the authentication middleware",
        Kind::CredentialsIgnoredOnOplog,
    ),
    fault(
        "foreign-account-access",
        "§6.7 one account's credentials never reach another's data",
        "authentication without a per-account authorization check",
        Kind::ForeignAccountAccess,
    ),
    fault(
        "bad-filename-accepted",
        "§4 bad attachment filenames are INVALID_VALUE",
        "an upload library that silently sanitises filenames",
        Kind::BadFilenameAccepted,
    ),
    fault(
        "loose-types",
        "§4 a value of the wrong JSON type is INVALID_VALUE",
        "JavaScript-style coercion of numeric and boolean strings",
        Kind::LooseTypes,
    ),
    fault(
        "password-prefix-compare",
        "§3 AUTHENTICATION_FAILED: wrong credentials are refused",
        "a hash that keeps only the first 8 characters of the password",
        Kind::PasswordPrefixCompare,
    ),
    fault(
        "password-case-insensitive",
        "§3 AUTHENTICATION_FAILED: wrong credentials are refused",
        "passwords compared under a case-insensitive database collation",
        Kind::PasswordCaseInsensitive,
    ),
    fault(
        "password-trimmed",
        "§3 AUTHENTICATION_FAILED: wrong credentials are refused",
        "a form helper that trims whitespace before the compare",
        Kind::PasswordTrimmed,
    ),
    fault(
        "user-not-checked",
        "§3 AUTHENTICATION_FAILED: wrong credentials are refused",
        "a lookup by password alone that never compares the user name",
        Kind::UserNotChecked,
    ),
    Fault {
        bearer: true,
        ..fault(
            "token-prefix-compare",
            "§3 AUTHENTICATION_FAILED: wrong credentials are refused",
            "a token index that matches on the first 8 characters",
            Kind::TokenPrefixCompare,
        )
    },
    fault(
        "stale-read-after-delete",
        "§6.6 after DELETE, GET gives OBJECT_NOT_FOUND",
        "a read-through cache not invalidated on delete",
        Kind::StaleReadAfterDelete,
    ),
    fault(
        "half-applied-patch",
        "§6.5 a failed write changes nothing",
        "an update that clears a field before validation fails",
        Kind::HalfAppliedPatch,
    ),
    fault(
        "failed-create-leaves-object",
        "§6.5 a failed create leaves no object",
        "an ORM that inserts the row, then validates the rest",
        Kind::FailedCreateLeavesObject,
    ),
    fault(
        "batch-stop-on-error-ignored",
        "§5 with stop_on_error, nothing after the first failure is applied",
        "a batch runner that ignores the flag but labels results as aborted",
        Kind::BatchStopOnErrorIgnored,
    ),
    fault(
        "ill-formed-batch-half-applied",
        "§5 an ill-formed batch applies nothing",
        "a batch validated lazily, operation by operation",
        Kind::IllFormedBatchHalfApplied,
    ),
    fault(
        "stale-read-after-update",
        "§1 PATCH/PUT: a read after the update shows the new state",
        "a read-through cache not invalidated on PUT or PATCH",
        Kind::StaleReadAfterUpdate,
    ),
    fault(
        "batch-patch-replaces",
        "§5/§1 a batch patch is a partial update: omitted fields are kept",
        "a batch runner that maps `patch` onto its replace path",
        Kind::BatchPatchReplaces,
    ),
    Fault {
        caught_by: Catcher::StatefulProperty,
        ..fault(
            "oplog-missing-batch-writes",
            "§1 oplog: every create, update and delete is logged, batch writes too",
            "a change feed fed by the single-object handlers only",
            Kind::OplogMissingBatchWrites,
        )
    },
    fault(
        "list-lags-delete",
        "§6.6 after DELETE the object is gone from lists too",
        "a search index updated asynchronously after deletes",
        Kind::ListLagsDelete,
    ),
    fault(
        "delete-leaves-object",
        "§6.6 after DELETE, GET gives OBJECT_NOT_FOUND",
        "a soft delete whose flag the read path ignores",
        Kind::DeleteLeavesObject,
    ),
    // Its appended objects also overfill a page past its `limit` (`query/list/control/limit-1`).
    Fault {
        killed_within: Some("accounts/isolation/|query/list/control/"),
        ..isolation("list-leaks-foreign", "a list query that forgets its account scope", Kind::ListLeaksForeign)
    },
    isolation(
        "filtered-list-leaks-foreign",
        "filtered lists served from a search index shared by every deployment",
        Kind::FilteredListLeaksForeign,
    ),
    isolation(
        "query-json-leaks-foreign",
        "a query endpoint that builds its database query without the account condition",
        Kind::QueryJsonLeaksForeign,
    ),
    // Its appended entries also overfill the oplog walk's pages (their own sequences repeat).
    Fault {
        killed_within: Some("accounts/isolation/|query/oplog/window/"),
        ..isolation(
            "oplog-leaks-foreign",
            "one change log shared by every deployment: the other's newest writes at its end",
            Kind::OplogLeaksForeign,
        )
    },
    isolation(
        "batch-reaches-foreign",
        "a batch runner that looks objects up by ID alone when the account has none",
        Kind::BatchReachesForeign,
    ),
    isolation(
        "search-leaks-foreign",
        "a search index of all deployments' objects, queried without the account",
        Kind::SearchLeaksForeign,
    ),
    // Filtering after the store's page also breaks the marker-filtered windows of `query/list/`.
    Fault {
        killed_within: Some("query/list/contains/other-case-misses|query/list/"),
        ..fault(
            "contains-case-insensitive",
            "§1 contains-case: `query[field.contains]` is case-sensitive",
            "a `contains` filter applied in application code after the store's query, comparing in lower case",
            Kind::ContainsCaseInsensitive,
        )
    },
    // Killed by the search control and by accounts/isolation/search, which searches too.
    fault(
        "search-missing",
        "§1 search: POST objects/{type}/search.json searches all fields",
        "an implementation of the list and query routes only: search.json is 404 ROUTE_ERROR",
        Kind::SearchMissing,
    ),
    Fault {
        killed_within: Some("query/search/control/"),
        ..fault(
            "search-stub-empty",
            "§1 search: the answer lists the objects that match",
            "a search route stubbed to answer an empty list",
            Kind::SearchStubEmpty,
        )
    },
    isolation(
        "relation-reaches-foreign",
        "a belongs-to check and `embed` that look related objects up by ID in any account",
        Kind::RelationReachesForeign,
    ),
];
