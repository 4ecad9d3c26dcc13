//! The clauses behind the oracle's response rules, one per [`crate::oracle::Rule`]: every violation
//! cites one, and its grade is the violation's level (a broken MUST fails the case, a broken SHOULD
//! makes it non-strict). MUST is what the public v4 docs state; SHOULD is our reading of an RFC or of
//! common practice. Anchors are headings in `docs/contract.md`, section "Response rules".

use super::{Clause, Grade};

/// Error Responses page: every failure carries the JSON body with the four fields, `type` one of the
/// documented types, travelling with its status.
pub const ERROR_BODY: &Clause = &Clause {
    anchor: "rule-error-body",
    grade: Grade::Must,
    says: "an error answer carries a JSON object with string `type`, `title` (not empty), `detail` and `see` \
           (an absolute URL); `type` is a documented type sent with its documented status",
};

/// Error Responses page: 4xx is the client's fault, 5xx the server's, 2xx means done, 3xx only for
/// calls such as attachment fetches; only the documented types exist.
pub const CLIENT_INPUT: &Clause = &Clause {
    anchor: "rule-client-input",
    grade: Grade::Must,
    says: "bad client input is answered 4xx with a documented type: never 5xx, never 2xx, and 3xx only where \
           an attachment is fetched",
};

/// Error Responses page, AUTHENTICATION_FAILED row: the plain text is documented, so it is accepted;
/// the page's own general sentence (a JSON error body with every failure) is the better answer.
pub const JSON_401: &Clause = &Clause {
    anchor: "rule-json-401",
    grade: Grade::Should,
    says: "a 401 carries the JSON error body like every other failure; the documented plain text \
           `HTTP Basic: Access denied.` is accepted as AUTHENTICATION_FAILED",
};

/// The docs' examples link `see` to `https://docs.journeyapps.com/api-errors#<TYPE>`; the docs only
/// require "a URL", so the scheme and fragment are our reading.
pub const SEE_LINK: &Clause = &Clause {
    anchor: "rule-see-link",
    grade: Grade::Should,
    says: "`see` is an https URL ending in `#<type>` of the answer's own type, never a fragment naming \
           another documented type",
};

/// Introduction page: responses are JSON; the media type header itself is RFC 8259 §11, not the docs.
pub const CONTENT_TYPE: &Clause = &Clause {
    anchor: "rule-content-type",
    grade: Grade::Should,
    says: "a JSON error body is sent as `application/json` (parameters such as `charset` allowed)",
};

/// Common practice (OWASP error handling), not the docs: nothing internal or secret comes back.
pub const NO_LEAKS: &Clause = &Clause {
    anchor: "rule-no-leaks",
    grade: Grade::Should,
    says: "no stack traces, file paths, SQL, framework banners or server version headers in an error body, a \
           header or the parts of a success body the server composes",
};

/// OWASP ASVS V7 (errors and logs carry no secrets) and V8 (data protection), RFC 9110 §11 (credentials
/// authenticate; nothing says they come back): a credential on the wire back to the caller, or into a
/// proxy's log, is a vulnerability whatever the docs say.
pub const ECHOED_CREDENTIAL: &Clause = &Clause {
    anchor: "rule-echoed-credential",
    grade: Grade::Security,
    says: "no credential (a password, a token, an `Authorization` value) comes back in a body or header, in any \
           encoding: as sent, base64 of `user:password`, URL-encoded or JSON-escaped",
};

/// RFC 9110 §11.6.1 (401: the request lacks valid credentials for the resource) and the Introduction
/// (each deployment has its own credentials), held above the docs' grades (OWASP ASVS V8).
pub const ACCESS: &Clause = &Clause {
    anchor: "rule-access",
    grade: Grade::Security,
    says: "a request without valid credentials for the deployment it addresses (none, wrong ones, another \
           deployment's) never succeeds: no 2xx",
};

/// An answer must arrive to be judged at all; a HEAD answer has no body (RFC 9110 §9.3.2).
pub const TRANSPORT: &Clause = &Clause {
    anchor: "rule-transport",
    grade: Grade::Must,
    says: "an answer arrives whole, within the timeout and the size cap; a HEAD answer carries no body",
};

/// The case's own read-back clauses (spec §6.5–6.7, §4) decide; this is their common heading.
pub const SIDE_EFFECT: &Clause = &Clause {
    anchor: "rule-side-effect",
    grade: Grade::Must,
    says: "a failed write changes nothing, a deletion sticks, accounts stay apart, and an accepted value \
           reads back as documented",
};

/// Introduction page (each deployment has its own API credentials), held on every read path: what
/// one deployment lists, filters, queries or reads from its oplog never includes another's objects.
pub const ISOLATION_READS: &Clause = &Clause {
    anchor: "rule-isolation",
    grade: Grade::Security,
    says: "one deployment's list, filtered list, `query.json`, oplog and embedded relations never show another \
           deployment's objects, by ID or by content",
};

/// A case that cannot prepare its objects proves nothing, and says so as a failure.
pub const SETUP: &Clause = &Clause {
    anchor: "rule-setup",
    grade: Grade::Must,
    says: "the objects a case needs can be created on the target before it runs",
};

/// Whether a case citing `clause` sends no valid credentials for the deployment it addresses, so a 2xx
/// to it breaks [`ACCESS`]: the auth family's clauses and cross-account requests.
pub fn guards_access(clause: &Clause) -> bool {
    use super::open;
    let guarded = [
        super::AUTHENTICATION_FAILED,
        super::ISOLATION,
        open::BAD_CREDENTIALS_NON_ROUTE,
        open::BAD_CREDENTIALS_UNKNOWN_ACCOUNT,
        open::FOREIGN_CREDENTIALS,
    ];
    guarded.iter().any(|g| g.anchor == clause.anchor)
}

/// RFC 9110 §10.2.3 (`Retry-After` is delay-seconds or a date) read with the docs' pause of a second or a
/// few: a wait of minutes is a window sent in the wrong unit, and a client obeying it would stall the run.
pub const RETRY_AFTER: &Clause = &Clause {
    anchor: "rule-retry-after",
    grade: Grade::Should,
    says: "a 429's `Retry-After` asks for a plausible wait in seconds: at most two minutes",
};

/// Every rule clause, for the contract test (no case cites these: every answer is held to them).
pub const ALL: &[&Clause] = &[
    ERROR_BODY,
    CLIENT_INPUT,
    JSON_401,
    SEE_LINK,
    CONTENT_TYPE,
    NO_LEAKS,
    ECHOED_CREDENTIAL,
    ACCESS,
    TRANSPORT,
    SIDE_EFFECT,
    SETUP,
    ISOLATION_READS,
    RETRY_AFTER,
];
