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
