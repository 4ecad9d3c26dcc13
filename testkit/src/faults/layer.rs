//! The fault layer: an outer router that owns the reference's router, rewrites what goes in and/or
//! comes out according to one [`Kind`], and may call the reference again for extra requests.

use super::body::{buffer, BUFFER_LIMIT};
use super::{
    capability, client_db, client_ignored, client_writes, clients, consistency, echoes, filters, fuzz_only, isolation,
    pages, relations, requests, responses, retried, routing, stateful, Fault, Kind,
};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use bytes::Bytes;
use journey_reference::{Account, Config};
use std::sync::Arc;
use tower::ServiceExt;

/// What a fault needs besides the request: the reference itself, its accounts, and memory.
pub(super) struct Layer {
    pub kind: Kind,
    pub inner: Router,
    pub accounts: Vec<Account>,
    pub memory: stateful::Memory,
    pub consistency: consistency::Memory,
    pub relations: relations::Memory,
    pub retried: retried::Memory,
    pub capabilities: capability::Memory,
}

/// The reference behind `fault` (the unmodified reference when `None`).
pub fn router(fault: Option<&'static Fault>, config: Config) -> Router {
    let accounts = config.accounts.clone();
    let inner = journey_reference::router(config);
    match fault {
        None => inner,
        Some(f) => wrap(f, inner, accounts),
    }
}

/// `inner` (the reference for `accounts`, perhaps behind other faults already) behind `fault`: faults
/// stack, so a test can add a second deviation to a target that has one (the baseline tests).
pub fn wrap(fault: &'static Fault, inner: Router, accounts: Vec<Account>) -> Router {
    let layer = Layer {
        kind: fault.kind,
        inner,
        accounts,
        memory: Default::default(),
        consistency: Default::default(),
        relations: Default::default(),
        retried: Default::default(),
        capabilities: Default::default(),
    };
    Router::new().fallback(handle).with_state(Arc::new(layer))
}

async fn handle(State(layer): State<Arc<Layer>>, req: Request) -> Response {
    if stateful::handles(layer.kind) {
        return stateful::apply(&layer, req).await;
    }
    if consistency::handles(layer.kind) {
        return consistency::apply(&layer, req).await;
    }
    if isolation::handles(layer.kind) {
        return isolation::apply(&layer, req).await;
    }
    if retried::handles(layer.kind) {
        return retried::apply(&layer, req).await;
    }
    if clients::handles(layer.kind) {
        return clients::apply(&layer, req).await;
    }
    if client_writes::handles(layer.kind) {
        return client_writes::apply(&layer, req).await;
    }
    if layer.kind == Kind::CapabilityUrlShared {
        return capability::apply(&layer, req).await;
    }
    if layer.kind == Kind::CapabilityTokenUnchecked {
        return capability::token_unchecked(&layer, req).await;
    }
    if client_db::handles(layer.kind) {
        return client_db::apply(&layer, req).await;
    }
    if client_ignored::handles(layer.kind) {
        return client_ignored::apply(&layer, req).await;
    }
    if filters::handles(layer.kind) {
        return filters::apply(&layer, req).await;
    }
    if pages::handles(layer.kind) {
        return pages::apply(&layer, req).await;
    }
    if routing::handles(layer.kind) {
        return routing::apply(&layer, req).await;
    }
    if echoes::handles(layer.kind) {
        return echoes::apply(&layer, req).await;
    }
    if fuzz_only::handles(layer.kind) {
        return fuzz_only::apply(&layer, req).await;
    }
    let facts = responses::Facts::of(&req);
    let req = requests::rewrite(&layer, req).await;
    let resp = layer.forward(req).await;
    responses::rewrite(layer.kind, &facts, resp).await
}

impl Layer {
    /// Sends a request to the reference as it is.
    pub async fn forward(&self, req: Request) -> Response {
        match self.inner.clone().oneshot(req).await {
            Ok(resp) => resp,
            Err(never) => match never {},
        }
    }

    /// An extra request to the reference, answered as status and body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&HeaderValue>,
        body: Option<Vec<u8>>,
    ) -> (u16, Bytes) {
        self.call_as(method, path, auth, body, HeaderValue::from_static("application/json")).await
    }

    /// [`Layer::call`] with a body of this `Content-Type` (a search's form, say).
    pub async fn call_as(
        &self,
        method: Method,
        path: &str,
        auth: Option<&HeaderValue>,
        body: Option<Vec<u8>>,
        content_type: HeaderValue,
    ) -> (u16, Bytes) {
        let mut builder = axum::http::Request::builder().method(method).uri(path);
        if let Some(auth) = auth {
            builder = builder.header(header::AUTHORIZATION, auth.clone());
        }
        if body.is_some() {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        let Ok(req) = builder.body(body.map_or_else(Body::empty, Body::from)) else { return (0, Bytes::new()) };
        let resp = self.forward(req).await;
        let status = resp.status().as_u16();
        (status, buffer(resp.into_body()).await)
    }

    /// The Basic `Authorization` value of an account.
    pub fn authorization_of(&self, account_id: &str) -> Option<HeaderValue> {
        let account = self.accounts.iter().find(|a| a.id == account_id)?;
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", account.id, account.password));
        HeaderValue::from_str(&format!("Basic {encoded}")).ok()
    }

    /// The account these request headers authenticate as (Basic or Bearer), if any.
    pub fn authenticated(&self, auth: Option<&HeaderValue>) -> Option<&Account> {
        let value = auth?.to_str().ok()?;
        if let Some(token) = value.strip_prefix("Bearer ") {
            return self.accounts.iter().find(|a| a.token == token.trim());
        }
        let decoded = base64::engine::general_purpose::STANDARD.decode(value.strip_prefix("Basic ")?.trim()).ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, password) = text.split_once(':')?;
        self.accounts.iter().find(|a| a.id == user && a.password == password)
    }
}

impl Layer {
    /// Forwards `req` with its JSON body as `edit` leaves it; re-serialised only when `edit` says it changed
    /// something, since a round trip through `Value` changes other input (`-0`). A body that is no JSON goes as it came.
    pub async fn forward_edited(
        &self,
        req: Request,
        edit: &mut (dyn FnMut(&mut serde_json::Value) -> bool + Send),
    ) -> Response {
        let (parts, body) = req.into_parts();
        let bytes = buffer(body).await;
        let mut doc = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
        let edited = doc.as_mut().is_some_and(edit);
        let body = match doc {
            Some(doc) if edited => doc.to_string().into_bytes(),
            _ => bytes.to_vec(),
        };
        self.forward(with_body(parts, body)).await
    }
}

/// A request rebuilt around a new body, with its length header fixed.
pub(super) fn with_body(mut parts: axum::http::request::Parts, body: Vec<u8>) -> Request {
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::TRANSFER_ENCODING);
    if let Ok(len) = HeaderValue::from_str(&body.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, len);
    }
    Request::from_parts(parts, Body::from(body))
}

/// Whether a body of this declared length can be buffered by a fault.
pub(super) fn bufferable(req: &Request) -> bool {
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    declared.is_none_or(|n| n <= BUFFER_LIMIT)
}
