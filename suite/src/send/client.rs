//! The HTTP client: sends a request exactly as built, with a timeout and a response-size cap,
//! and never follows redirects (a 3xx is the target's answer, to be judged). It goes through the
//! configured proxies with the configured certificates (`tls.rs`), paces requests to what the target
//! allows (`pacing.rs`, learned from its 429s), retries a 429 after `Retry-After` (spec §6.8, read in
//! `retry_after.rs`) and a gateway's 5xx page after a pause, and waits out an outage with a half-open
//! circuit breaker (`breaker.rs`), so a deploy costs a pause and a dead target a bounded time.

use std::fmt;
use std::time::Duration;
#[cfg(feature = "http")]
use {
    crate::config::Network,
    crate::send::response::Response,
    crate::send::response::Retried,
    breaker::Breaker,
    http::{HeaderMap, HeaderName, HeaderValue, Method},
    pacing::Pacer,
    std::sync::Arc,
    tokio::sync::Semaphore,
};

#[cfg(feature = "http")]
mod answer_counts;
#[cfg(feature = "http")]
mod breaker;
mod pacing;
pub mod retry_wait;
#[cfg(feature = "http")]
mod tls;

pub use crate::config::{Pacing, SHARED_PAUSE_ABOVE};
#[cfg(feature = "http")]
pub use breaker::OutageReport;
pub use pacing::PaceReport;
pub use retry_wait::retry_wait;

/// One request on the wire, with every header spelled out (credentials included).
#[derive(Debug, Clone)]
pub struct WireRequest {
    pub method: String,
    /// Full URL: origin + path and query.
    pub url: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<crate::declare::request_body::Body>,
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
    /// Not sent: the target stopped answering (past the outage budget, or too many failures in a row).
    NotSent(String),
}

impl TransportError {
    /// Whether the circuit breaker held this request back: it never reached the target, so it proves nothing.
    pub fn held_back(&self) -> bool {
        matches!(self, TransportError::NotSent(_))
    }

    #[cfg(feature = "http")]
    /// Whether the target (not our own request building) is to blame, for the circuit breaker.
    fn counts_against_target(&self) -> bool {
        matches!(self, TransportError::Connect(_) | TransportError::Timeout(_) | TransportError::Other(_))
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::Connect(m) => write!(f, "cannot connect: {m}"),
            TransportError::Timeout(d) => write!(f, "no complete answer within {:.1}s", d.as_secs_f64()),
            TransportError::Build(m) => write!(f, "request could not be built: {m}"),
            TransportError::Other(m) => write!(f, "transport error: {m}"),
            TransportError::NotSent(m) => write!(f, "{NOT_SENT}{m}"),
        }
    }
}

/// How a request the circuit breaker held back is described, so reports can tell it from a real failure.
const NOT_SENT: &str = "not sent: ";

/// Retries of a gateway's 5xx page on one request (after its `Retry-After`, else 1 s doubling) before
/// the breaker asks whether the target itself still answers.
#[cfg(feature = "http")]
const GATEWAY_RETRIES: u32 = 3;

#[cfg(feature = "http")]
/// One request's fate: its answer (or why there is none) and the 429s retried on the way to it.
#[derive(Debug)]
pub struct Sent {
    pub result: Result<Response, TransportError>,
    pub retried: Retried,
}

#[cfg(feature = "http")]
/// A shared client with bounded concurrency; cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    inner: reqwest::Client,
    limit: Arc<Semaphore>,
    timeout: Duration,
    max_response_bytes: usize,
    pacing: Pacing,
    pacer: Arc<Pacer>,
    breaker: Arc<Breaker>,
    /// A client certificate is configured: a connection the target closes around the handshake may be its refusal.
    client_cert: bool,
}

#[cfg(feature = "http")]
fn install_crypto_provider() {
    // Several clients may be built in one process; only the first install counts and later ones are no-ops.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(feature = "http")]
impl HttpClient {
    /// Builds a client that allows `concurrency` requests in flight, straight to the target (no proxy).
    pub fn new(concurrency: usize, timeout: Duration, max_response_bytes: usize) -> Result<HttpClient, String> {
        HttpClient::with_network(concurrency, timeout, max_response_bytes, &Network::default())
    }

    /// [`HttpClient::new`] through the configured proxies, with the configured CA and client certificate.
    pub fn with_network(
        concurrency: usize,
        timeout: Duration,
        max_response_bytes: usize,
        network: &Network,
    ) -> Result<HttpClient, String> {
        install_crypto_provider();
        let builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .timeout(timeout)
            .tcp_nodelay(true)
            .pool_max_idle_per_host(concurrency.max(1))
            .user_agent(concat!("journey-conformance/", env!("CARGO_PKG_VERSION")));
        let inner = tls::configure(builder, network)?.build().map_err(|e| tls::build_error(network, &e))?;
        Ok(HttpClient {
            inner,
            limit: Arc::new(Semaphore::new(concurrency.max(1))),
            timeout,
            max_response_bytes,
            pacing: Pacing::default(),
            pacer: Arc::new(Pacer::new(Pacing::default())),
            breaker: Arc::default(),
            client_cert: network.identity.is_some(),
        })
    }

    /// The same client with this pacing policy (a pace and a breaker of its own).
    pub fn paced(mut self, pacing: Pacing) -> HttpClient {
        self.pacing = pacing;
        self.pacer = Arc::new(Pacer::new(pacing));
        self.breaker = Arc::default();
        self
    }

    /// The same client (connections, pace) with a fresh, closed breaker that waits out outages for at
    /// most `outage_budget`: for teardown, which must still delete what the run created after the
    /// run's own budget was spent.
    pub fn with_fresh_breaker(&self, outage_budget: Duration) -> HttpClient {
        let mut fresh = self.clone();
        fresh.pacing.outage_budget = outage_budget;
        fresh.breaker = Arc::default();
        if let Some(probe) = self.breaker.probe() {
            fresh.breaker.set_probe(probe);
        }
        fresh
    }

    /// Tells the breaker how to ask whether the target answers: a cheap, harmless request (the session
    /// gives its authenticated GET of the data model). Without one, the failed request itself is resent.
    pub fn set_probe(&self, probe: WireRequest) {
        self.breaker.set_probe(probe);
    }

    /// Why the client stopped sending (the target stayed down past the outage budget, or failed too
    /// many requests in a row), once it has.
    pub fn stopped(&self) -> Option<String> {
        self.breaker.stopped()
    }

    /// The pace the client settled on, its 429 retries and waits, for the run's summary.
    pub fn pace_report(&self) -> PaceReport {
        self.pacer.report()
    }

    /// The outages the run waited out, for its summary.
    pub fn outage_report(&self) -> OutageReport {
        self.breaker.report()
    }

    /// The summary's lines about the pace settled on, the 429 waits and the outages waited out (none
    /// when the target never limited or stalled the run).
    pub fn summary_lines(&self) -> Vec<String> {
        self.pace_report().line().into_iter().chain(self.outage_report().line()).collect()
    }

    /// Sends one request (retrying a 429 as the pacing policy says) and reads at most the configured
    /// number of body bytes. A 429 still there after the retries is returned as the answer. The retried
    /// 429s are dropped: only for callers that judge nothing but the last answer (property strategies).
    pub async fn send(&self, req: &WireRequest) -> Result<Response, TransportError> {
        self.send_keeping(req).await.result
    }

    /// [`HttpClient::send`], keeping the 429s it retried (bounded) so the oracle judges them too. A
    /// gateway's 5xx page is retried; a transport failure or a recurring gateway page while the target
    /// is down belongs to the outage: the request waits for the target and is resent (at most
    /// [`breaker::MAX_RESENDS`] times), or comes back not sent, never as its own failure.
    pub async fn send_keeping(&self, req: &WireRequest) -> Sent {
        let mut retried = Retried::default();
        let (mut gateway, mut outages) = (0u32, 0u32);
        let result = loop {
            if let Err(why) = self.until_up().await {
                break Err(TransportError::NotSent(why));
            }
            let (sent, result) = self.attempt(req).await;
            let failure = match result {
                Ok(resp) if resp.status == 429 => {
                    self.pacer.limited(sent);
                    self.breaker.answered(false);
                    let wait = (retried.count < self.pacing.retries_429)
                        .then(|| self.pacer.wait_for(&resp, retried.count))
                        .flatten();
                    let Some(wait) = wait else {
                        // A 429 that outlived its retries counts like a failure: a target that limits forever has stopped answering too.
                        self.breaker.strike(self.pacing.breaker, &format!("429 after {} retries", retried.count));
                        break Ok(resp);
                    };
                    tokio::time::sleep(wait).await;
                    retried.keep(resp);
                    continue;
                }
                Ok(resp) if retry_wait::gateway_page(&resp) && gateway < GATEWAY_RETRIES => {
                    tokio::time::sleep(retry_wait::retry_wait(&resp, gateway, self.pacing.max_retry_wait)).await;
                    gateway += 1;
                    continue;
                }
                Ok(resp) if retry_wait::gateway_page(&resp) => Ok(resp),
                Ok(resp) => {
                    self.pacer.answered();
                    self.breaker.answered(true);
                    break Ok(resp);
                }
                Err(e) if e.counts_against_target() => Err(e),
                Err(e) => break Err(e),
            };
            let what = match &failure {
                Ok(resp) => format!("{} {} answered {} from a gateway", req.method, req.url, resp.status),
                Err(e) => e.to_string(),
            };
            if self.target_answers(req, sent, tokio::time::Instant::now(), &what).await {
                if failure.is_err() {
                    self.breaker.strike(self.pacing.breaker, &what);
                }
                break failure;
            }
            outages += 1;
            gateway = 0;
            if outages > breaker::MAX_RESENDS {
                break Err(TransportError::NotSent(self.breaker.give_up()));
            }
        };
        Sent { result, retried }
    }

    /// One exchange, no retry: pacing, concurrency limit, timeout.
    pub async fn send_once(&self, req: &WireRequest) -> Result<Response, TransportError> {
        self.attempt(req).await.1
    }

    /// One exchange, and when it left (after the pace and the concurrency limit let it).
    async fn attempt(&self, req: &WireRequest) -> (tokio::time::Instant, Result<Response, TransportError>) {
        let request = match self.build(req) {
            Ok(request) => request,
            Err(e) => return (tokio::time::Instant::now(), Err(e)),
        };
        let _permit = match self.limit.acquire().await {
            Ok(permit) => permit,
            Err(e) => return (tokio::time::Instant::now(), Err(TransportError::Other(e.to_string()))),
        };
        self.pacer.pace().await;
        let sent = tokio::time::Instant::now();
        // The whole exchange, body included, is bounded by the timeout: a target that trickles bytes cannot hang us.
        let result = match tokio::time::timeout(self.timeout, self.exchange(request)).await {
            Ok(result) => result,
            Err(_) => Err(TransportError::Timeout(self.timeout)),
        };
        (sent, result)
    }

    fn build(&self, req: &WireRequest) -> Result<reqwest::Request, TransportError> {
        let method = Method::from_bytes(req.method.as_bytes()).map_err(|e| TransportError::Build(e.to_string()))?;
        let mut headers = HeaderMap::new();
        for (name, value) in &req.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|e| TransportError::Build(e.to_string()))?;
            let value = HeaderValue::from_bytes(value).map_err(|e| TransportError::Build(format!("{name}: {e}")))?;
            headers.append(name, value);
        }
        let mut builder = self.inner.request(method, &req.url).headers(headers);
        if let Some(body) = &req.body {
            builder = builder.body(body.to_reqwest());
        }
        builder.build().map_err(|e| TransportError::Build(e.to_string()))
    }

    async fn exchange(&self, request: reqwest::Request) -> Result<Response, TransportError> {
        let classify = |e| classify(e, self.timeout, self.client_cert);
        let mut resp = self.inner.execute(request).await.map_err(classify)?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        // Sized once from Content-Length (never past the cap): a large body grows by no reallocations,
        // whose freed halves would otherwise stay in the heap as fragments.
        let announced = resp.content_length().map_or(0, |n| n.min(self.max_response_bytes as u64) as usize);
        let mut body = Vec::with_capacity(announced);
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

#[cfg(feature = "http")]
fn classify(e: reqwest::Error, timeout: Duration, client_cert: bool) -> TransportError {
    use std::error::Error;
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    if let Some(hint) = tls::certificate_hint(&message).or_else(|| tls::closed_hint(&message, client_cert)) {
        message.push_str(hint);
    }
    if e.is_timeout() {
        TransportError::Timeout(timeout)
    } else if e.is_connect() {
        TransportError::Connect(message)
    } else {
        TransportError::Other(message)
    }
}

#[cfg(all(test, feature = "http"))]
mod client_tests;
