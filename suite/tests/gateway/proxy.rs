//! An in-process reverse proxy that behaves like the front ends real deployments sit behind (nginx, an
//! API gateway): it forwards every request to the upstream and dresses the answers the way those do.
//! Each connection, accepted or opened upstream, has TCP_NODELAY set; it stops when dropped.

use axum::body::{to_bytes, Body};
use axum::extract::{ConnectInfo, Request, State};
use axum::response::Response;
use axum::serve::ListenerExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The body the docs show for AUTHENTICATION_FAILED, as a Rails-style front end answers it.
const PLAIN_401: &str = "HTTP Basic: Access denied.";
/// Largest request body forwarded: far above the upstream's own limit, so the upstream judges size.
const MAX_FORWARDED: usize = 64 << 20;

/// How the proxy passes `Host` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostMode {
    /// A plain `proxy_pass`: `Host` becomes the upstream's address.
    Rewrite,
    /// `proxy_set_header Host $host`: the client's `Host` goes upstream.
    Preserve,
}

/// One front-end behaviour: what the proxy does besides forwarding.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub name: &'static str,
    pub host: HostMode,
    /// Adds keys to JSON error bodies and rewords their `title` and `detail`.
    pub rewrite_bodies: bool,
    /// Answers every 401 with the documented plain text instead of the upstream's body.
    pub plain_401: bool,
    /// A token bucket: (requests per second, burst); over it, a documented 429 with `Retry-After`.
    pub rate_limit: Option<(u32, u32)>,
}

struct Shared {
    upstream: SocketAddr,
    variant: Variant,
    client: reqwest::Client,
    limiter: Option<DefaultDirectRateLimiter>,
    next_id: AtomicU64,
    /// 429s the proxy answered itself.
    limited: Arc<AtomicU64>,
}

/// A running proxy; dropping it stops it.
pub struct Proxy {
    pub addr: SocketAddr,
    limited: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// How many requests the proxy's own rate limit answered with 429.
    pub fn limited(&self) -> u64 {
        self.limited.load(Ordering::Relaxed)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the proxy on 127.0.0.1 (an OS-assigned port) in front of `upstream`.
pub async fn start(upstream: SocketAddr, variant: Variant) -> Proxy {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .tcp_nodelay(true)
        .build()
        .expect("the proxy's upstream client");
    let limiter = variant.rate_limit.map(|(rate, burst)| {
        let per_second = NonZeroU32::new(rate).expect("a positive rate");
        RateLimiter::direct(Quota::per_second(per_second).allow_burst(NonZeroU32::new(burst).expect("a burst")))
    });
    let limited = Arc::new(AtomicU64::new(0));
    let shared =
        Arc::new(Shared { upstream, variant, client, limiter, next_id: AtomicU64::new(1), limited: limited.clone() });
    let app = axum::Router::new().fallback(forward).with_state(shared);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("proxy address");
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    Proxy { addr, limited, task }
}

/// Connection-scoped headers a proxy never forwards (RFC 9110 §7.6.1).
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection" | "keep-alive" | "proxy-connection" | "transfer-encoding" | "te" | "trailer" | "upgrade"
    ) || name == header::CONTENT_LENGTH
}

async fn forward(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
) -> Response {
    let id = format!("req-{:08x}", shared.next_id.fetch_add(1, Ordering::Relaxed));
    let is_head = req.method() == http::Method::HEAD;
    if let Some(limiter) = &shared.limiter {
        if limiter.check().is_err() {
            shared.limited.fetch_add(1, Ordering::Relaxed);
            // Read and drop the body first, as nginx's lingering close does: answering over a 4 MiB upload
            // and closing would reset the connection before the client reads the 429.
            let _ = to_bytes(req.into_body(), MAX_FORWARDED).await;
            return dress(&shared.variant, &id, is_head, too_many());
        }
    }
    let (parts, body) = req.into_parts();
    let Ok(body) = to_bytes(body, MAX_FORWARDED).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("http://{}{path}", shared.upstream);
    let mut headers = HeaderMap::new();
    for (name, value) in &parts.headers {
        if !hop_by_hop(name) && name != header::HOST {
            headers.append(name.clone(), value.clone());
        }
    }
    let client_host = parts.headers.get(header::HOST).cloned();
    if let (HostMode::Preserve, Some(host)) = (shared.variant.host, &client_host) {
        headers.insert(header::HOST, host.clone());
    }
    if let Some(host) = client_host {
        headers.insert(HeaderName::from_static("x-forwarded-host"), host);
    }
    headers.insert(HeaderName::from_static("x-forwarded-proto"), HeaderValue::from_static("http"));
    if let Ok(v) = HeaderValue::from_str(&peer.ip().to_string()) {
        headers.insert(HeaderName::from_static("x-forwarded-for"), v);
    }
    headers.insert(HeaderName::from_static("x-request-id"), HeaderValue::from_str(&id).expect("ascii id"));
    let sent = shared.client.request(parts.method.clone(), url).headers(headers).body(body).send().await;
    let upstream = match sent {
        Ok(r) => r,
        Err(e) => return plain(StatusCode::BAD_GATEWAY, &format!("upstream: {e}")),
    };
    let status = upstream.status();
    let mut out = HeaderMap::new();
    for (name, value) in upstream.headers() {
        if !hop_by_hop(name) {
            out.append(name.clone(), value.clone());
        }
    }
    let body = upstream.bytes().await.unwrap_or_default().to_vec();
    dress(&shared.variant, &id, is_head, (status, out, body))
}

type Answer = (StatusCode, HeaderMap, Vec<u8>);

/// The front end's touches on an upstream answer (or on its own 429).
fn dress(variant: &Variant, id: &str, is_head: bool, (status, mut headers, mut body): Answer) -> Response {
    headers.insert(header::SERVER, HeaderValue::from_static("nginx"));
    headers.insert(HeaderName::from_static("x-request-id"), HeaderValue::from_str(id).expect("ascii id"));
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    if is_json {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    }
    if status == StatusCode::UNAUTHORIZED && variant.plain_401 {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        body = if is_head { Vec::new() } else { format!("{PLAIN_401}\n").into_bytes() };
    } else if variant.rewrite_bodies && is_json && !status.is_success() && !is_head {
        body = reworded(&body, id, status).unwrap_or(body);
    }
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    *resp.headers_mut() = headers;
    resp
}

/// An error body as a gateway's error normaliser leaves it: the four fields kept (title and detail in
/// its own words), plus keys of its own.
fn reworded(body: &[u8], id: &str, status: StatusCode) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let map = value.as_object_mut()?;
    let title = map.get("title")?.as_str()?.to_string();
    let detail = map.get("detail").and_then(Value::as_str).unwrap_or_default().to_string();
    map.insert("title".into(), format!("Request failed: {title}").into());
    map.insert("detail".into(), format!("{detail} (gateway request {id})").into());
    map.insert("request_id".into(), id.into());
    map.insert("status".into(), status.as_u16().into());
    map.insert("gateway".into(), serde_json::json!({"region": "local", "retryable": false}));
    Some(value.to_string().into_bytes())
}

/// The documented 429, as a rate-limiting front end answers it.
fn too_many() -> Answer {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    let body = serde_json::json!({
        "type": "TOO_MANY_REQUESTS",
        "title": "Too many requests.",
        "detail": "The rate limit was exceeded; retry after the time in Retry-After.",
        "see": "https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS",
    });
    (StatusCode::TOO_MANY_REQUESTS, headers, body.to_string().into_bytes())
}

fn plain(status: StatusCode, text: &str) -> Response {
    let mut resp = Response::new(Body::from(text.to_string()));
    *resp.status_mut() = status;
    resp
}
