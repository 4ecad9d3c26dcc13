//! The optional per-account rate limit (`--rate-limit RPS[:BURST]`): the documented 429 and its `Retry-After`.

use crate::client::{basic, Api};
use axum::body::Body;
use axum::http::{header, StatusCode};

#[tokio::test]
async fn over_the_burst_is_a_documented_429_per_account() {
    let api = Api::rate_limited("0.5:2");
    for _ in 0..2 {
        assert_eq!(api.call("GET", "datamodel.json", None).await.status, StatusCode::OK);
    }
    let refused = api.call("GET", "datamodel.json", None).await;
    refused.error(429, "TOO_MANY_REQUESTS");
    // One token every two seconds: the wait is just under 2 s, rounded up.
    assert_eq!(refused.headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("2"));
    let theirs = basic(&api.other.id, &api.other.password);
    let other = api.raw("GET", "/api/v4/acc2/datamodel.json", &[("authorization", &theirs)], Body::empty()).await;
    assert_eq!(other.status, StatusCode::OK, "the other account has its own bucket");
    // Failed authentication never reaches the limiter, so it still says 401, not 429.
    api.raw("GET", "/api/v4/acc1/datamodel.json", &[], Body::empty()).await.error(401, "AUTHENTICATION_FAILED");
}
