//! The reference router driven in-process, with no sockets: `WireRequest` → axum `Request` →
//! `tower::ServiceExt::oneshot` → [`Response`]. Fuzz targets, regression replay and the
//! broken-variant tests share it, so a finding replays exactly as it was found.

use axum::body::Body;
use journey_conformance::config::Credentials;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::request_body::Body as CaseBody;
use journey_conformance::run::session::{self, Endpoint};
use journey_conformance::send::client::WireRequest;
use journey_conformance::send::response::Response;
use serde_json::Value;
use std::borrow::Cow;
use tower::ServiceExt;

/// The origin in-process requests claim; nothing listens there, and the router never looks at it.
pub const ORIGIN: &str = "http://reference.invalid";

/// Largest response body the harness keeps (the same default as the HTTP client).
const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// A hook that wraps the reference router, e.g. in a test-only layer that injects a bug.
pub type Wrap = fn(axum::Router) -> axum::Router;

/// One reference instance: its router, its two demo accounts, and what families need to know of it.
pub struct InProcess {
    router: axum::Router,
    pub primary: Endpoint,
    pub secondary: Endpoint,
    pub ctx: Ctx,
    /// The object types of the served data model (to tell a known type from an unknown one).
    pub model_types: Vec<String>,
    /// The served data model, as `GET datamodel.json` answers it.
    pub datamodel: Value,
    /// Both accounts' own secrets, worked out once: every judged input needs them.
    account_secrets: Vec<Vec<u8>>,
    rt: tokio::runtime::Runtime,
}

impl InProcess {
    /// The unmodified reference.
    pub fn reference() -> InProcess {
        InProcess::wrapped(|r| r)
    }

    /// The reference inside `wrap` (identity for the real thing); creates the fixture object.
    pub fn wrapped(wrap: Wrap) -> InProcess {
        InProcess::serving(journey_reference::Config::demo(), |config| wrap(journey_reference::router(config)))
    }

    /// The reference behind one fault of the fault set, as a loopback `FaultyTarget` serves it.
    pub fn behind(fault: &'static crate::faults::Fault) -> InProcess {
        let mut config = journey_reference::Config::demo();
        crate::faults::configure(fault, &mut config);
        InProcess::serving(config, |config| crate::faults::layer::router(Some(fault), config))
    }

    /// `router` made of `config`, its accounts signed in as `config` has them.
    fn serving(
        config: journey_reference::Config,
        router: impl FnOnce(journey_reference::Config) -> axum::Router,
    ) -> InProcess {
        let endpoints: Vec<Endpoint> = config
            .accounts
            .iter()
            .map(|a| {
                let credentials = Credentials::Basic { user: a.id.clone(), password: a.password.clone() };
                Endpoint::new(ORIGIN.to_string(), String::new(), a.id.clone(), credentials)
            })
            .collect();
        let mut endpoints = endpoints.into_iter();
        let (primary, secondary) = match (endpoints.next(), endpoints.next()) {
            (Some(p), Some(s)) => (p, s),
            _ => panic!("the reference's demo config must have two accounts"),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime for the in-process reference");
        let router = router(config);
        let ctx = Ctx {
            prefix: String::new(),
            account: primary.account_id.clone(),
            second_account: Some(secondary.account_id.clone()),
            object_type: String::new(),
            field: None,
            existing_id: String::new(),
            unknown_id: uuid::Uuid::new_v4().to_string(),
            oversize_bytes: journey_reference::DEFAULT_MAX_BODY_BYTES + 1024,
            run_id: "in-process".into(),
            model: Value::Null,
            bearer: false,
        };
        let account_secrets = session::endpoint_secrets(&primary, Some(&secondary));
        let mut me = InProcess {
            router,
            primary,
            secondary,
            ctx,
            model_types: Vec::new(),
            datamodel: Value::Null,
            account_secrets,
            rt,
        };
        let model = me.send_request(&CaseRequest::new("GET", format!("{}/datamodel.json", me.ctx.base())));
        let model: Value = model
            .ok()
            .and_then(|r| serde_json::from_slice(&r.body).ok())
            .expect("the in-process reference serves its data model");
        let (ty, field) = session::choose_type_and_field(&model, None).expect("the reference's data model has a type");
        me.model_types =
            model.get("models").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
        me.ctx.model = model.clone();
        me.datamodel = model;
        me.ctx.object_type = ty;
        me.ctx.field = field;
        let created = me.send_request(&CaseRequest::new("POST", me.ctx.collection()).json(me.ctx.wrapped_body()));
        me.ctx.existing_id = created
            .ok()
            .and_then(|r| serde_json::from_slice::<Value>(&r.body).ok())
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
            .expect("the in-process reference creates the fixture object");
        me
    }

    /// Resolves a case request (credentials filled in) into wire bytes.
    pub fn wire(&self, req: &CaseRequest) -> WireRequest {
        session::wire_for(&self.primary, Some(&self.secondary), req)
    }

    /// Every secret a request may carry (for the oracle and for redaction); the accounts' own,
    /// borrowed, when the request brings none of its own (nearly every one).
    pub fn secrets(&self, req: &CaseRequest) -> Cow<'_, [Vec<u8>]> {
        let own = session::request_secrets(&self.primary, Some(&self.secondary), req);
        if own.is_empty() {
            return Cow::Borrowed(&self.account_secrets);
        }
        let mut secrets = self.account_secrets.clone();
        secrets.extend(own);
        Cow::Owned(secrets)
    }

    /// The axum request [`InProcess::wire`] + [`to_axum`] make of a case request, built from what
    /// the case and the accounts hold without copying them into a [`WireRequest`] first (the fuzz
    /// targets build one per input). `Err` says why HTTP cannot carry it.
    pub fn request(&self, req: &CaseRequest) -> Result<http::Request<Body>, String> {
        let auth = session::authorizations(&self.primary, Some(&self.secondary), &req.auth);
        let headers = auth.iter().map(|v| ("authorization", v.as_ref()));
        let headers = headers.chain(req.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())));
        // The URL would be `ORIGIN` + path; `ORIGIN` has no `/` after its scheme, so this is its `path_of`.
        let path = req.path.find('/').map_or("/", |i| &req.path[i..]);
        build(&req.method, path, headers, req.body.as_ref().map(CaseBody::to_bytes))
    }

    /// Resolves and sends a case request.
    pub fn send_request(&self, req: &CaseRequest) -> Result<Response, String> {
        self.send(&self.wire(req))
    }

    /// Sends one wire request through the router and waits for the whole answer.
    /// `Err` means the request cannot be expressed in HTTP at all (bad method token or header bytes).
    pub fn send(&self, wire: &WireRequest) -> Result<Response, String> {
        self.send_axum(to_axum(wire)?)
    }

    /// Sends a request already built by [`to_axum`] (the fuzz path builds it once to learn whether
    /// HTTP can carry the input at all, then sends that same request).
    pub fn send_axum(&self, request: http::Request<Body>) -> Result<Response, String> {
        let is_head = request.method() == http::Method::HEAD;
        self.rt.block_on(async {
            let response = match self.router.clone().oneshot(request).await {
                Ok(r) => r,
                Err(never) => match never {},
            };
            let (parts, body) = response.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|e| format!("response body: {e}"))?;
            let truncated = bytes.len() > MAX_RESPONSE_BYTES;
            let body = bytes[..bytes.len().min(MAX_RESPONSE_BYTES)].to_vec();
            // hyper drops the body of a HEAD answer on the wire; in-process nothing does.
            let body = if is_head { Vec::new() } else { body };
            Ok(Response { status: parts.status.as_u16(), headers: parts.headers, body, truncated })
        })
    }
}

/// The path and query of a wire URL (everything after the origin).
pub fn path_of(url: &str) -> &str {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => url,
    }
}

/// Builds the axum request exactly as the wire request says, or says why HTTP cannot carry it.
pub fn to_axum(wire: &WireRequest) -> Result<http::Request<Body>, String> {
    let headers = wire.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice()));
    build(&wire.method, path_of(&wire.url), headers, wire.body.as_ref().map(CaseBody::to_bytes))
}

/// The one place a request is put together from its parts, so [`to_axum`] and
/// [`InProcess::request`] cannot differ.
fn build<'a>(
    method: &str,
    path_and_query: &str,
    headers: impl Iterator<Item = (&'a str, &'a [u8])>,
    body: Option<bytes::Bytes>,
) -> Result<http::Request<Body>, String> {
    let method = http::Method::from_bytes(method.as_bytes()).map_err(|e| format!("method: {e}"))?;
    let uri: http::Uri = path_and_query.parse().map_err(|e| format!("uri: {e}"))?;
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| format!("header name: {e}"))?;
        let value = http::HeaderValue::from_bytes(value).map_err(|e| format!("header value: {e}"))?;
        builder = builder.header(name, value);
    }
    builder.body(body.map(Body::from).unwrap_or_else(Body::empty)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use journey_conformance::declare::case::Auth;

    /// Method, URI, headers and body of a built request, or why it could not be built.
    fn parts(h: &InProcess, built: Result<http::Request<Body>, String>) -> Result<String, String> {
        let (parts, body) = built?.into_parts();
        let body = h.rt.block_on(axum::body::to_bytes(body, usize::MAX)).map_err(|e| e.to_string())?;
        Ok(format!("{} {} {:?} {body:?}", parts.method, parts.uri, parts.headers))
    }

    #[test]
    fn a_case_request_builds_as_its_wire_request_does() {
        let h = InProcess::reference();
        let path = format!("{}/objects/task.json?limit=1", h.ctx.base());
        let raw = vec![b"Basic x".to_vec(), b"Bearer \n".to_vec()];
        let requests = [
            CaseRequest::new("GET", path.clone()),
            CaseRequest::new("POST", path.clone()).auth(Auth::Secondary).json(h.ctx.wrapped_body()),
            CaseRequest::new("PATCH", "?no/leading/slash").auth(Auth::None),
            CaseRequest::new("DELETE", "").auth(Auth::Raw(raw[..1].to_vec())),
            CaseRequest::new("GET", path.clone()).auth(Auth::PrimaryPlus(raw.clone())),
            CaseRequest::new("BAD METHOD", path.clone()),
            CaseRequest::new("GET", "/a b"),
        ];
        for req in requests {
            assert_eq!(parts(&h, h.request(&req)), parts(&h, to_axum(&h.wire(&req))), "{req:?}");
        }
    }
}
