//! A conforming target that goes down mid-run the way a deploy does: after its Nth request it holds
//! every request for a while (the old instance is draining, the new one not yet up), then answers the
//! requests it held with a load balancer's HTML 503 and `Retry-After: 1`, and from then on serves
//! normally. The held requests never reach the reference, so the outage changes nothing in its store.

use crate::faults::target::FaultyTarget;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::time::Instant;

/// What the outage did, counted as it happened.
#[derive(Default)]
pub struct OutageCounts {
    /// Requests that reached the front, held or not.
    pub requests: AtomicUsize,
    /// Requests held by the outage (each answered with the 503 page at its end, if still there).
    pub held: AtomicUsize,
    began: OnceLock<Instant>,
}

/// The reference (`config`) behind a front that goes down for `stall` after its `after`th request.
pub async fn start(
    config: journey_reference::Config,
    after: usize,
    stall: Duration,
) -> std::io::Result<(FaultyTarget, Arc<OutageCounts>)> {
    let accounts = config.accounts.clone();
    let counts = Arc::new(OutageCounts::default());
    let seen = Arc::clone(&counts);
    let app = journey_reference::router(config).layer(axum::middleware::from_fn(move |req: Request, next: Next| {
        let seen = Arc::clone(&seen);
        async move { front(&seen, after, stall, req, next).await }
    }));
    let target = FaultyTarget::serve(app, &accounts, None).await?;
    Ok((target, counts))
}

async fn front(counts: &OutageCounts, after: usize, stall: Duration, req: Request, next: Next) -> Response {
    let n = counts.requests.fetch_add(1, Ordering::SeqCst);
    if n >= after {
        let end = *counts.began.get_or_init(Instant::now) + stall;
        if Instant::now() < end {
            counts.held.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep_until(end).await;
            return gateway_page();
        }
    }
    next.run(req).await
}

/// What nginx answers when its upstream is not there yet.
fn gateway_page() -> Response {
    let page = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n\
                <center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n\
                </body>\r\n</html>\r\n";
    let mut resp = Response::new(Body::from(page));
    *resp.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    resp.headers_mut().insert(header::SERVER, HeaderValue::from_static("nginx"));
    resp
}
