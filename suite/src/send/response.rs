//! A response as the oracle sees it, whoever produced it (HTTP client, in-process router, fuzz target).

use http::HeaderMap;

/// Status, headers and a size-capped body: everything the oracle may judge.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    /// The body, at most the configured cap.
    pub body: Vec<u8>,
    /// True when the body was longer than the cap and was cut.
    pub truncated: bool,
}

impl Response {
    /// The `Content-Type` header as text, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }
}

/// How many distinct retried 429s one request keeps for the oracle: the first, and the first that
/// differs from it, so a limiter that changes its answer mid-way is still seen; the rest are counted.
const KEPT_429: usize = 2;

/// The 429s a request met before its answer (the client retried them), kept so the oracle judges them
/// too: a malformed 429 is a finding even when the retry succeeds. Bounded whatever the retry count.
#[derive(Debug, Clone, Default)]
pub struct Retried {
    /// At most [`KEPT_429`] answers, in the order they came, no two alike.
    pub kept: Vec<Response>,
    /// Every retried 429, kept or not.
    pub count: u32,
}

impl Retried {
    /// Counts one retried 429 and keeps it when it is new.
    pub fn keep(&mut self, resp: Response) {
        self.count += 1;
        let alike = |k: &Response| {
            k.headers.get(http::header::CONTENT_TYPE) == resp.headers.get(http::header::CONTENT_TYPE)
                && k.headers.contains_key(http::header::RETRY_AFTER)
                    == resp.headers.contains_key(http::header::RETRY_AFTER)
                && k.body == resp.body
                && crate::send::client::retry_wait::implausible(k)
                    == crate::send::client::retry_wait::implausible(&resp)
        };
        if self.kept.len() < KEPT_429 && !self.kept.iter().any(alike) {
            self.kept.push(resp);
        }
    }
}
