//! The HTTP client: sends a request exactly as built, with a timeout and a response-size cap,
//! and never follows redirects (a 3xx is the target's answer, to be judged). It paces requests to
//! the configured rate, retries a 429 after `Retry-After` (spec §6.8), and stops sending once the
//! target has stopped answering (a circuit breaker), so a dead target costs seconds, not hours.

use crate::response::Response;
use std::fmt;
use std::time::Duration;
#[cfg(feature = "http")]
use {
    crate::response::Retried,
    governor::{DefaultDirectRateLimiter, Quota, RateLimiter},
    http::{HeaderMap, HeaderName, HeaderValue, Method},
    std::sync::atomic::{AtomicUsize, Ordering},
    std::sync::{Arc, Mutex},
    tokio::sync::Semaphore,
};

/// One request on the wire, with every header spelled out (credentials included).
#[derive(Debug, Clone)]
pub struct WireRequest {
    pub method: String,
    /// Full URL: origin + path and query.
    pub url: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Option<crate::body::Body>,
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
    /// Not sent: earlier requests in a row all failed in transport, so the target stopped answering.
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

/// How politely the client treats the target: pace, 429 retries, and when to give up on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pacing {
    /// Requests per second across the whole client (retries included); `None` sends as fast as allowed.
    pub rate: Option<f64>,
    /// How many times a 429 is retried before its answer is handed back.
    pub retries_429: u32,
    /// The longest one wait for a 429 may be, whatever `Retry-After` says.
    pub max_retry_wait: Duration,
    /// Consecutive transport failures after which nothing more is sent; 0 never stops.
    pub breaker: usize,
    /// Whether a 429's `Retry-After` pauses every request of the client, not only the one retried: the
    /// limit is the target's, so the others would only draw 429s of their own meanwhile.
    pub shared_pause: bool,
}

impl Default for Pacing {
    fn default() -> Pacing {
        Pacing { rate: None, retries_429: 3, max_retry_wait: Duration::from_secs(30), breaker: 10, shared_pause: true }
    }
}

#[cfg(feature = "http")]
/// One request's fate: its answer (or why there is none) and the 429s retried on the way to it.
#[derive(Debug)]
pub struct Sent {
    pub result: Result<Response, TransportError>,
    pub retried: Retried,
}

#[cfg(feature = "http")]
/// The circuit breaker's memory: failures in a row, and why it opened.
#[derive(Default)]
struct Breaker {
    in_a_row: AtomicUsize,
    opened: Mutex<Option<String>>,
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
    /// Paces requests to `pacing.rate`; `None` when unpaced.
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    breaker: Arc<Breaker>,
    /// Until when every request waits, after a 429 said `Retry-After` (with `shared_pause`).
    paused_until: Arc<Mutex<Option<tokio::time::Instant>>>,
}

#[cfg(feature = "http")]
fn install_crypto_provider() {
    // Several clients may be built in one process; only the first install counts and later ones are no-ops.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[cfg(feature = "http")]
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
        Ok(HttpClient {
            inner,
            limit: Arc::new(Semaphore::new(concurrency.max(1))),
            timeout,
            max_response_bytes,
            pacing: Pacing::default(),
            limiter: None,
            breaker: Arc::default(),
            paused_until: Arc::default(),
        })
    }

    /// The same client with this pacing policy.
    pub fn paced(mut self, pacing: Pacing) -> HttpClient {
        self.pacing = pacing;
        self.limiter = limiter(pacing.rate);
        self
    }

    /// Why the client stopped sending, once the circuit breaker has opened.
    pub fn stopped(&self) -> Option<String> {
        self.breaker.opened.lock().ok()?.clone()
    }

    /// Sends one request (retrying a 429 as the pacing policy says) and reads at most the configured
    /// number of body bytes. A 429 still there after the retries is returned as the answer. The retried
    /// 429s are dropped: only for callers that judge nothing but the last answer (property strategies).
    pub async fn send(&self, req: &WireRequest) -> Result<Response, TransportError> {
        self.send_keeping(req).await.result
    }

    /// [`HttpClient::send`], keeping the 429s it retried (bounded) so the oracle judges them too.
    pub async fn send_keeping(&self, req: &WireRequest) -> Sent {
        let mut retried = Retried::default();
        if let Some(why) = self.stopped() {
            return Sent { result: Err(TransportError::NotSent(why)), retried };
        }
        let result = loop {
            match self.send_once(req).await {
                Ok(resp) if resp.status == 429 && retried.count < self.pacing.retries_429 => {
                    let wait = retry_wait(&resp, retried.count, self.pacing.max_retry_wait);
                    if self.pacing.shared_pause && resp.headers.contains_key(http::header::RETRY_AFTER) {
                        self.pause_all(wait);
                    }
                    tokio::time::sleep(wait).await;
                    retried.keep(resp);
                }
                other => break other,
            }
        };
        match &result {
            // A 429 that outlived its retries counts like a failure: a target that limits forever has stopped answering too.
            Ok(resp) if resp.status == 429 => self.strike(&format!("429 after {} retries", retried.count)),
            Ok(_) => self.breaker.in_a_row.store(0, Ordering::Relaxed),
            Err(e) if e.counts_against_target() => self.strike(&e.to_string()),
            Err(_) => {}
        }
        Sent { result, retried }
    }

    /// Counts one failure in a row; opens the breaker at the threshold.
    fn strike(&self, last: &str) {
        let in_a_row = self.breaker.in_a_row.fetch_add(1, Ordering::Relaxed) + 1;
        if self.pacing.breaker > 0 && in_a_row >= self.pacing.breaker {
            if let Ok(mut opened) = self.breaker.opened.lock() {
                opened.get_or_insert_with(|| {
                    format!("the target stopped answering ({in_a_row} requests in a row failed; last: {last})")
                });
            }
        }
    }

    /// Waits until the configured rate lets this request leave, and out any pause a 429 asked for.
    async fn pace(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
        let until = self.paused_until.lock().ok().and_then(|p| *p);
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    /// Holds every request back for `wait` from now (never shortening a pause already asked for).
    fn pause_all(&self, wait: Duration) {
        let until = tokio::time::Instant::now() + wait;
        if let Ok(mut paused) = self.paused_until.lock() {
            *paused = Some(paused.map_or(until, |p| p.max(until)));
        }
    }

    /// One exchange, no retry: pacing, concurrency limit, timeout.
    pub async fn send_once(&self, req: &WireRequest) -> Result<Response, TransportError> {
        self.exchange_bounded(req).await
    }

    async fn exchange_bounded(&self, req: &WireRequest) -> Result<Response, TransportError> {
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
        let request = builder.build().map_err(|e| TransportError::Build(e.to_string()))?;
        let _permit = self.limit.acquire().await.map_err(|e| TransportError::Other(e.to_string()))?;
        self.pace().await;
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
/// A limiter letting one request through every `1 / rate` seconds: with a burst of 1 the pace is
/// even from the first request on, so a target limiting at that rate never sees a burst.
fn limiter(rate: Option<f64>) -> Option<Arc<DefaultDirectRateLimiter>> {
    let period = Duration::try_from_secs_f64(1.0 / rate.filter(|r| *r > 0.0)?).ok()?;
    Some(Arc::new(RateLimiter::direct(Quota::with_period(period)?)))
}

/// How long to wait before retrying a 429: `Retry-After` (seconds or an HTTP date) when sent, else
/// 1 s doubling per attempt (the docs say wait at least a second); never more than `max`.
pub fn retry_wait(resp: &Response, attempt: u32, max: Duration) -> Duration {
    let header = resp.headers.get(http::header::RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::trim);
    let asked = header.and_then(|h| {
        if let Ok(secs) = h.parse::<f64>() {
            return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(max.as_secs_f64())));
        }
        let when = chrono::DateTime::parse_from_rfc2822(h).ok()?;
        let secs = (when.timestamp_millis() - chrono::Utc::now().timestamp_millis()).max(0) as f64 / 1000.0;
        Some(Duration::from_secs_f64(secs.min(max.as_secs_f64())))
    });
    asked.unwrap_or_else(|| Duration::from_secs(1u64 << attempt.min(5))).min(max)
}

#[cfg(feature = "http")]
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

#[cfg(all(test, feature = "http"))]
mod tests {
    use super::*;

    fn with_retry_after(value: Option<&str>) -> Response {
        let mut headers = HeaderMap::new();
        if let Some(v) = value {
            headers.insert(http::header::RETRY_AFTER, HeaderValue::from_str(v).expect("header"));
        }
        Response { status: 429, headers, body: Vec::new(), truncated: false }
    }

    #[tokio::test]
    async fn pacing_spaces_requests_across_clones_and_unpaced_does_not_wait() {
        let client = HttpClient::new(4, Duration::from_secs(1), 1024).expect("client");
        let started = std::time::Instant::now();
        for _ in 0..20 {
            client.pace().await;
        }
        assert!(started.elapsed() < Duration::from_millis(100), "unpaced waited {:?}", started.elapsed());

        // 11 requests at 50/s: the first leaves at once, each next one 20 ms later, whichever clone sends it.
        let paced = client.paced(Pacing { rate: Some(50.0), ..Pacing::default() });
        let started = std::time::Instant::now();
        let tasks: Vec<_> =
            (0..11).map(|_| paced.clone()).map(|c| tokio::spawn(async move { c.pace().await })).collect();
        for task in tasks {
            task.await.expect("pace");
        }
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(190) && took < Duration::from_secs(2), "11 at 50/s took {took:?}");
    }

    #[tokio::test]
    async fn a_pause_holds_back_every_request_of_the_client_and_clones() {
        let client = HttpClient::new(4, Duration::from_secs(1), 1024).expect("client");
        client.clone().pause_all(Duration::from_millis(200));
        client.pause_all(Duration::from_millis(50));
        let started = std::time::Instant::now();
        client.pace().await;
        assert!(started.elapsed() >= Duration::from_millis(190), "a shorter pause never shortens a longer one");
        let started = std::time::Instant::now();
        client.pace().await;
        assert!(started.elapsed() < Duration::from_millis(100), "a pause once over holds nothing back");
    }

    #[tokio::test]
    async fn the_breaker_holds_requests_back_as_not_sent() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let client = HttpClient::new(1, Duration::from_secs(2), 1024)
            .expect("client")
            .paced(Pacing { breaker: 2, ..Pacing::default() });
        let req =
            WireRequest { method: "GET".into(), url: format!("http://127.0.0.1:{port}/"), headers: vec![], body: None };
        for _ in 0..2 {
            let e = client.send(&req).await.expect_err("nothing listens");
            assert!(matches!(e, TransportError::Connect(_)) && !e.held_back(), "{e:?}");
        }
        let e = client.send(&req).await.expect_err("held back");
        assert!(e.held_back(), "{e:?}");
        assert!(e.to_string().starts_with(NOT_SENT) && e.to_string().contains("2 requests in a row failed"), "{e}");
    }

    #[test]
    fn retry_after_is_honoured_and_bounded_and_absent_means_at_least_a_second() {
        let max = Duration::from_secs(30);
        assert_eq!(retry_wait(&with_retry_after(Some("2")), 0, max), Duration::from_secs(2));
        assert_eq!(retry_wait(&with_retry_after(Some("99999")), 0, max), max);
        assert_eq!(retry_wait(&with_retry_after(None), 0, max), Duration::from_secs(1));
        assert_eq!(retry_wait(&with_retry_after(None), 2, max), Duration::from_secs(4));
        assert_eq!(retry_wait(&with_retry_after(Some("soon")), 0, max), Duration::from_secs(1));
        assert_eq!(retry_wait(&with_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), 0, max), Duration::ZERO);
    }
}
