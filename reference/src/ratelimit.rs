//! An optional token bucket per account (spec §6.8: a sustained rate plus a burst, per backend
//! deployment), so the suite's pacing and 429 handling can be exercised against a real limit.
//! Over the limit: 429 TOO_MANY_REQUESTS with the documented body and a `Retry-After` header.

use crate::error::{ApiError, ErrorType};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A sustained rate and the burst allowed above it; parsed from `RPS[:BURST]` (burst defaults to RPS, at least 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Tokens added per second.
    pub per_second: f64,
    /// Bucket size: requests allowed at once after a quiet spell.
    pub burst: f64,
}

impl FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<RateLimit, String> {
        let (rate, burst) = match text.split_once(':') {
            Some((r, b)) => (r, Some(b)),
            None => (text, None),
        };
        let number = |s: &str, what: &str| match s.trim().parse::<f64>() {
            Ok(n) if n.is_finite() && n > 0.0 && n <= 1e6 => Ok(n),
            _ => Err(format!("{what} must be a positive number up to 1000000, not `{s}`")),
        };
        let per_second = number(rate, "the rate (requests per second)")?;
        let burst = match burst {
            Some(b) => number(b, "the burst")?.max(1.0),
            None => per_second.max(1.0),
        };
        Ok(RateLimit { per_second, burst })
    }
}

/// Every account's bucket: tokens left and when they were last counted.
#[derive(Debug)]
pub struct Buckets {
    limit: RateLimit,
    state: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Buckets {
    pub fn new(limit: RateLimit) -> Buckets {
        Buckets { limit, state: Mutex::new(HashMap::new()) }
    }

    /// Takes one token from `account`'s bucket, or says how long until one is there.
    pub fn take(&self, account: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (tokens, last) = state.entry(account.to_string()).or_insert((self.limit.burst, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * self.limit.per_second).min(self.limit.burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.limit.per_second))
        }
    }
}

/// The documented 429, with `Retry-After` in whole seconds (at least 1, as the docs ask clients to wait).
pub fn too_many(wait: Duration) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut response =
        ApiError::new(ErrorType::TooManyRequests, "Rate limit exceeded for this account; retry later.").into_response();
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rate_and_burst() {
        assert_eq!("5".parse::<RateLimit>(), Ok(RateLimit { per_second: 5.0, burst: 5.0 }));
        assert_eq!("0.5:3".parse::<RateLimit>(), Ok(RateLimit { per_second: 0.5, burst: 3.0 }));
        assert_eq!("0.5".parse::<RateLimit>().map(|l| l.burst), Ok(1.0));
        for bad in ["", "0", "-1", "x", "5:0", "5:x", "inf", "NaN"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_burst_passes_then_the_bucket_refuses_with_a_wait_per_account() {
        let buckets = Buckets::new(RateLimit { per_second: 1.0, burst: 3.0 });
        for _ in 0..3 {
            assert!(buckets.take("a").is_ok());
        }
        let wait = buckets.take("a").expect_err("the fourth is over the burst");
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(buckets.take("b").is_ok(), "buckets are per account");
    }

    #[test]
    fn the_429_is_documented_and_says_when_to_retry() {
        let response = too_many(Duration::from_millis(200));
        assert_eq!(response.status().as_u16(), 429);
        assert_eq!(response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some("1"));
    }
}
