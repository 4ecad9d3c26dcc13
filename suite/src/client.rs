//! The HTTP client: sends a request exactly as built, with a timeout and a response-size cap,
//! and never follows redirects (a 3xx is the target's answer, to be judged).

use crate::response::Response;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// One request on the wire, with every header spelled out (credentials included).
#[derive(Debug, Clone)]
pub struct WireRequest {
    pub method: String,
    /// Full URL: origin + path and query.
    pub url: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<Bytes>,
}

/// Why no response could be judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing listens there, or the connection was refused or reset before an answer.
    Connect(String),
    /// No complete answer within the timeout.
    Timeout(Duration),
    /// The request could not even be built (bad method token, bad header bytes, bad URL).
    Build(String),
    /// Anything else the HTTP layer reported.
    Other(String),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Connect(m) => write!(f, "cannot connect: {m}"),
            TransportError::Timeout(d) => write!(f, "no complete answer within {:.1}s", d.as_secs_f64()),
            TransportError::Build(m) => write!(f, "request could not be built: {m}"),
            TransportError::Other(m) => write!(f, "transport error: {m}"),
        }
    }
}

/// A shared client with bounded concurrency; cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    limit: Arc<Semaphore>,
    timeout: Duration,
    max_response_bytes: usize,
}

fn install_crypto_provider() {
    // Several clients may be built in one process; only the first install counts and later ones are no-ops.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl HttpClient {
    /// Builds a client that allows `concurrency` requests in flight.
    pub fn new(concurrency: usize, timeout: Duration, max_response_bytes: usize) -> Result<HttpClient, String> {
        install_crypto_provider();
        let inner = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .pool_max_idle_per_host(concurrency.max(1))
            .user_agent(concat!("journey-conformance/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(HttpClient { inner, limit: Arc::new(Semaphore::new(concurrency.max(1))), timeout, max_response_bytes })
    }

    /// Sends one request and reads at most the configured number of body bytes.
    pub async fn send(&self, req: &WireRequest) -> Result<Response, TransportError> {
        let method = Method::from_bytes(req.method.as_bytes()).map_err(|e| TransportError::Build(e.to_string()))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &req.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| TransportError::Build(e.to_string()))?;
            let value = HeaderValue::from_bytes(value).map_err(|e| TransportError::Build(format!("{name}: {e}")))?;
            headers.append(name, value);
        }
        let mut builder = self.inner.request(method, &req.url).headers(headers);
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let request = builder.build().map_err(|e| TransportError::Build(e.to_string()))?;
        let _permit = self.limit.acquire().await.map_err(|e| TransportError::Other(e.to_string()))?;
        // The whole exchange, body included, is bounded by the timeout: a target that trickles bytes cannot hang us.
        match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::Timeout(self.timeout)),
        }
    }

    async fn exchange(&self, request: reqwest::Request) -> Result<Response, TransportError> {
        let classify = |e| classify(e, self.timeout);
        let mut resp = self.inner.execute(request).await.map_err(classify)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = resp.chunk().await.map_err(classify)? {
            let room = self.max_response_bytes - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, headers, body, truncated })
    }
}

fn classify(e: reqwest::Error, timeout: Duration) -> TransportError {
    use std::error::Error;
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    if e.is_timeout() {
        TransportError::Timeout(timeout)
    } else if e.is_connect() {
        TransportError::Connect(message)
    } else {
        TransportError::Other(message)
    }
}
