//! A front end that answers as the reference does, with every body padded by trailing whitespace to a
//! fixed size: setup and judging read the same JSON, yet every answer is large. It shows that a run's
//! memory does not grow with answer size (`suite/tests/hostile/kept.rs`, `scripts/bench-memory.sh`).

use crate::faults::target::FaultyTarget;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use journey_reference::Config;

/// The body size the memory benchmark pads to: the suite's default response cap, read whole.
pub const MIB: usize = 1 << 20;

/// The reference for `config`, every answer with a body padded to `size` bytes.
pub fn router(config: Config, size: usize) -> axum::Router {
    journey_reference::router(config).layer(axum::middleware::from_fn_with_state(size, pad))
}

/// Starts the padded reference on a loopback port; it stops when dropped.
pub async fn start(config: Config, size: usize) -> std::io::Result<FaultyTarget> {
    let accounts = config.accounts.clone();
    FaultyTarget::serve(router(config, size), &accounts, None).await
}

/// Pads one answer; HEAD, 204 and 304 answers carry no body and stay as they are.
async fn pad(State(size): State<usize>, req: Request, next: Next) -> Response {
    let head = req.method() == Method::HEAD;
    let resp = next.run(req).await;
    if head || matches!(resp.status().as_u16(), 204 | 304) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    // The reference's own answers are small and finite; a read error leaves an empty body, padded too.
    let original = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let mut padded = Vec::with_capacity(size.max(original.len()));
    padded.extend_from_slice(&original);
    padded.resize(size.max(original.len()), b' ');
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(padded.len()));
    Response::from_parts(parts, Body::from(padded))
}
