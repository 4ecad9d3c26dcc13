//! The single handler behind every request: route → authenticate → account → type → ID → body → apply.

use crate::attachments;
use crate::auth::authenticate;
use crate::batch;
use crate::body::{read_json, read_write, unwrap_model};
use crate::datamodel;
use crate::error::{ApiError, ErrorType};
use crate::model::{self, Model};
use crate::objects;
use crate::oplog;
use crate::routes::{match_route, Endpoint, Format};
use crate::store::{AccountData, Store};
use crate::values::parse_id;
use crate::xml;
use crate::Account;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::net::SocketAddr;
use std::sync::Arc;

/// Shared state of one server instance.
#[derive(Debug)]
pub struct AppState {
    pub accounts: Vec<Account>,
    pub max_body_bytes: usize,
    pub store: Store,
    /// Per-account token buckets, when the server was started with a rate limit.
    pub rate_limit: Option<crate::ratelimit::Buckets>,
}

/// The address `serve` is bound to, for absolute URLs when the request has no usable Host header.
#[derive(Clone, Copy, Debug)]
pub struct LocalAddr(pub SocketAddr);

/// Catch a panic while answering, so even an unexpected one becomes a JSON 500, never a dropped
/// connection. Caught in place rather than in a spawned task: the same answer without a task per
/// request (after the body is read nothing awaits, so no answer is cut short either way).
pub async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    use futures::FutureExt;
    match std::panic::AssertUnwindSafe(respond(state, request)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(ErrorType::InternalServerError, "The server failed to handle this request.").into_response()
        }
    }
}

async fn respond(state: Arc<AppState>, request: Request) -> Response {
    match dispatch(&state, request).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

fn json_response(status: StatusCode, value: serde_json::Value) -> Response {
    // Straight into bytes: `to_string` goes through `fmt::Write` a piece at a time. A `Value` always serialises.
    let body = serde_json::to_vec(&value).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

fn xml_response(status: StatusCode, text: impl Into<Body>) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/xml"))], text.into()).into_response()
}

/// An object read in the format its suffix asked for; `root` names the XML document element.
fn read_response(format: Format, root: &str, value: serde_json::Value) -> Response {
    match format {
        Format::Json => json_response(StatusCode::OK, value),
        Format::Xml => xml_response(StatusCode::OK, xml::document(root, &value)),
    }
}

/// A Host header is reused only when it is plainly a host[:port], so nothing odd is reflected in URLs.
fn host(headers: &HeaderMap) -> Option<&str> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']');
    (!host.is_empty() && host.len() <= 255 && host.bytes().all(plain)).then_some(host)
}

/// The account's base URL as the client reached it (attachment links and redirects point below it).
fn account_base(headers: &HeaderMap, local: Option<LocalAddr>, account: &str) -> String {
    let account = utf8_percent_encode(account, NON_ALPHANUMERIC);
    match (host(headers), local) {
        (Some(host), _) => format!("http://{host}/api/v4/{account}"),
        (None, Some(LocalAddr(addr))) => format!("http://{addr}/api/v4/{account}"),
        (None, None) => format!("/api/v4/{account}"),
    }
}

fn find_model(ty: &str) -> Result<&'static Model, ApiError> {
    // Step 4: spec §7 leaves the type open; ROUTE_ERROR says "this path is not part of the API".
    model::find(ty).ok_or_else(|| ApiError::new(ErrorType::RouteError, "Unknown object type in the path."))
}

/// `datamodel.json` or `datamodel.xml` with an ETag; a matching `If-None-Match` gets 304 and no body.
fn datamodel(headers: &HeaderMap, format: Format) -> Response {
    // One ETag per representation (RFC 9110 §8.8.3), so a cached JSON copy never validates the XML.
    let etag = match format {
        Format::Json => format!("\"{}\"", datamodel::datamodel_hash()),
        Format::Xml => format!("\"{}-xml\"", datamodel::datamodel_hash()),
    };
    let matches = headers.get_all(header::IF_NONE_MATCH).iter().filter_map(|v| v.to_str().ok()).any(|v| {
        v.split(',').map(str::trim).any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(&etag))
    });
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    let mut response = match format {
        Format::Json => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            datamodel::datamodel_json_text(),
        )
            .into_response(),
        Format::Xml => xml_response(StatusCode::OK, datamodel::datamodel_xml_text()),
    };
    response.headers_mut().insert(header::ETAG, etag_value);
    response
}

async fn dispatch(state: &AppState, request: Request) -> Result<Response, ApiError> {
    let local = request.extensions().get::<LocalAddr>().copied();
    let (parts, body) = request.into_parts();
    let matched = match_route(&parts.method, parts.uri.path()).ok_or_else(ApiError::route)?;
    if matched.endpoint.is_capability() {
        return capability(state, &parts.headers, local, matched);
    }
    let account = authenticate(&parts.headers, &state.accounts)?;
    // Limited per authenticated account (a backend deployment), before any work is done for it.
    if let Some(Err(wait)) = state.rate_limit.as_ref().map(|b| b.take(&account.id)) {
        return Ok(crate::ratelimit::too_many(wait));
    }
    if matched.account != account.id {
        return Err(ApiError::new(
            ErrorType::AccountNotFound,
            "No such account, or these credentials have no access to it.",
        ));
    }
    let base = account_base(&parts.headers, local, &account.id);
    let headers = &parts.headers;
    let query = parts.uri.query();
    let format = matched.format;
    let read_body = |body: Body, model: &'static Model| read_write(headers, body, state.max_body_bytes, model);
    // The lock is taken only after the body is read, and never held across an await.
    let with_data = |f: &mut dyn FnMut(&mut AccountData) -> Result<Response, ApiError>| {
        let mut accounts = state.store.lock();
        let data = accounts
            .get_mut(&account.id)
            .ok_or_else(|| ApiError::new(ErrorType::AccountNotFound, "No such account."))?;
        f(data)
    };
    match matched.endpoint {
        Endpoint::DataModel => Ok(datamodel(headers, format)),
        Endpoint::Info => Ok(json_response(StatusCode::OK, crate::info::info(&account.id))),
        Endpoint::Indexes => Ok(json_response(StatusCode::OK, crate::info::indexes())),
        Endpoint::List { ty } => {
            let model = find_model(&ty)?;
            with_data(&mut |data| Ok(read_response(format, "list", objects::list(data, model, query, &base)?)))
        }
        Endpoint::Query { ty } => {
            let model = find_model(&ty)?;
            let doc = read_json(headers, body, state.max_body_bytes).await?;
            with_data(&mut |data| Ok(json_response(StatusCode::OK, objects::query(data, model, &doc, &base)?)))
        }
        Endpoint::Search { ty } => {
            let model = find_model(&ty)?;
            let text = crate::body::read_search(headers, body, state.max_body_bytes, query).await?;
            with_data(&mut |data| Ok(json_response(StatusCode::OK, objects::search(data, model, &text, query, &base)?)))
        }
        Endpoint::Get { ty, id } => {
            let model = find_model(&ty)?;
            with_data(&mut |data| Ok(read_response(format, model.name, objects::get(data, model, &id, query, &base)?)))
        }
        Endpoint::Create { ty } => {
            let model = find_model(&ty)?;
            let doc = read_body(body, model).await?;
            let fields = unwrap_model(&doc, model.name)?;
            with_data(&mut |data| {
                let object = objects::create(data, model, fields)?;
                Ok(json_response(StatusCode::CREATED, objects::render(model, &object, &base)))
            })
        }
        Endpoint::Patch { ty, id } => {
            let model = find_model(&ty)?;
            // Step 5 before the body: an unknown object is OBJECT_NOT_FOUND whatever the body holds.
            with_data(&mut |data| objects::find(data, model, &id).map(|_| Response::default()))?;
            let doc = read_body(body, model).await?;
            let fields = unwrap_model(&doc, model.name)?;
            with_data(&mut |data| {
                let object = objects::patch(data, model, &id, fields)?;
                Ok(json_response(StatusCode::OK, objects::render(model, &object, &base)))
            })
        }
        Endpoint::Put { ty, id } => {
            let model = find_model(&ty)?;
            parse_id(&id).ok_or_else(|| objects::not_found(model.name, &id))?;
            let doc = read_body(body, model).await?;
            let fields = unwrap_model(&doc, model.name)?;
            with_data(&mut |data| {
                let (object, created) = objects::put(data, model, &id, fields)?;
                let status = if created { StatusCode::CREATED } else { StatusCode::OK };
                Ok(json_response(status, objects::render(model, &object, &base)))
            })
        }
        Endpoint::Delete { ty, id } => {
            let model = find_model(&ty)?;
            with_data(&mut |data| objects::delete(data, model, &id).map(|_| StatusCode::OK.into_response()))
        }
        Endpoint::Oplog => with_data(&mut |data| Ok(json_response(StatusCode::OK, oplog::oplog(data, query, &base)?))),
        Endpoint::Batch => {
            let doc = read_json(headers, body, state.max_body_bytes).await?;
            let batch = batch::parse(&doc)?;
            with_data(&mut |data| Ok(json_response(StatusCode::OK, batch::run(data, &batch))))
        }
        Endpoint::Attachment { .. } | Endpoint::File { .. } => Err(attachments::missing()),
    }
}

/// An attachment fetch: the token in the path is its credential, so no `Authorization` is read (a
/// request that carries one is answered the same way).
fn capability(
    state: &AppState,
    headers: &HeaderMap,
    local: Option<LocalAddr>,
    matched: crate::routes::Matched,
) -> Result<Response, ApiError> {
    let base = account_base(headers, local, &matched.account);
    let accounts = state.store.lock();
    let data = accounts.get(&matched.account).ok_or_else(attachments::missing)?;
    match matched.endpoint {
        Endpoint::Attachment { id, token } => attachments::redirect(data, &id, &token, &base),
        Endpoint::File { id, token, filename } => attachments::download(data, &id, &token, &filename),
        _ => Err(attachments::missing()),
    }
}
