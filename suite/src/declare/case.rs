//! A case: a stable ID, what it checks and why, the request to send, and the outcomes it allows.

use crate::declare::expect::Expect;
use crate::declare::request_body::Body;
use crate::declare::routes::RouteTarget;
use crate::declare::scenario::Scenario;
use std::fmt;

pub use crate::declare::families::Family;

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which credentials a request carries; secrets are resolved only when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// The configured credentials of the first account.
    Primary,
    /// The configured credentials of the second account.
    Secondary,
    /// No `Authorization` header at all.
    None,
    /// Exactly these `Authorization` header values (deliberately wrong ones; never real secrets).
    Raw(Vec<Vec<u8>>),
    /// The first account's valid header, then these extra `Authorization` values.
    PrimaryPlus(Vec<Vec<u8>>),
    /// A credential one small step from the configured one, derived only when sent (so never stored).
    NearMiss(crate::declare::near_miss::NearMiss),
    /// The first account's configured token under the scheme word `Token` (`Token <token>`), as the vendor's
    /// db client sends it; nothing when the first account signs in with a password.
    PrimaryToken,
}

/// The request a case sends, with the target's real values already filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRequest {
    /// The method token as sent; may be a non-standard token.
    pub method: String,
    /// Path and query from the origin root, exactly as to be sent (already percent-encoded).
    pub path: String,
    /// Extra headers (besides `Authorization`), e.g. `Content-Type`.
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<Body>,
    pub auth: Auth,
    /// The route it addresses, set where it is built ([`crate::declare::routes`]); reports group by it.
    pub target: RouteTarget,
}

/// What a case needs from the target before it can mean anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    Nothing,
    /// A second account (`JOURNEY_API_URL_2`); without one the case is skipped, never passed.
    SecondAccount,
    /// A real object behind `Ctx::existing_id` (read-only mode on an empty type has none).
    ExistingObject,
}

/// One conformance case: the unit of running, reporting and snapshotting.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable, greppable ID: `family/group/name`.
    pub id: String,
    pub family: Family,
    /// One line: what this case checks.
    pub description: String,
    /// The contract clause it rests on (its heading in `docs/contract.md`).
    pub spec: &'static crate::declare::spec::Clause,
    pub request: CaseRequest,
    pub expect: Expect,
    pub requires: Requires,
    /// Fresh objects, batch expectations and read-back checks around the request; empty for most cases.
    pub scenario: Scenario,
    /// Set when the target cannot host this case (e.g. its data model lacks the field type): skipped with this reason.
    pub unsupported: Option<String>,
}

impl Case {
    /// Whether running the case may write to the target (skipped in read-only mode).
    pub fn writes(&self) -> bool {
        self.scenario.writes() || !matches!(self.request.method.as_str(), "GET" | "HEAD" | "OPTIONS")
    }
}

/// The JSON media type, as a header pair for cases that send a body.
pub fn json_content_type() -> (String, Vec<u8>) {
    ("content-type".to_string(), b"application/json".to_vec())
}

impl CaseRequest {
    /// A request with the first account's credentials and no body, addressing no route until told
    /// otherwise (see [`crate::declare::routes::Shape::request`]).
    pub fn new(method: &str, path: impl Into<String>) -> CaseRequest {
        CaseRequest {
            method: method.to_string(),
            path: path.into(),
            headers: Vec::new(),
            body: None,
            auth: Auth::Primary,
            target: RouteTarget::NonRoute,
        }
    }

    /// Adds a JSON body with `Content-Type: application/json`.
    pub fn json(mut self, body: impl Into<Body>) -> CaseRequest {
        self.headers.push(json_content_type());
        self.body = Some(body.into());
        self
    }

    /// Adds a form body (`application/x-www-form-urlencoded`), as the docs' update and search examples send.
    pub fn form(self, body: impl Into<Body>) -> CaseRequest {
        self.raw_body(vec![("content-type".into(), b"application/x-www-form-urlencoded".to_vec())], body)
    }

    /// Adds a body with exactly these headers (none for a missing `Content-Type`).
    pub fn raw_body(mut self, headers: Vec<(String, Vec<u8>)>, body: impl Into<Body>) -> CaseRequest {
        self.headers.extend(headers);
        self.body = Some(body.into());
        self
    }

    /// Replaces the credentials.
    pub fn auth(mut self, auth: Auth) -> CaseRequest {
        self.auth = auth;
        self
    }
}
