//! An optional token bucket per account (spec §6.8: a sustained rate plus a burst, per backend
//! deployment), so the suite's pacing and 429 handling can be exercised against a real limit.
//! The bucket is governor's keyed GCRA limiter, which behaves as a token bucket refilled continuously.
//! Over the limit: 429 TOO_MANY_REQUESTS with the documented body and a `Retry-After` header.

use crate::error::{ApiError, ErrorType};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

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

/// The slowest refill a hand-built [`RateLimit`] gets: governor counts in u64 nanoseconds, and period × burst
/// must fit them (one an hour × a million is 3.6e18 ns).
const MAX_PERIOD: Duration = Duration::from_secs(3600);
/// The largest burst, as the parser allows; bigger would overflow the nanoseconds together with [`MAX_PERIOD`].
const MAX_BURST: f64 = 1e6;

/// Every account's bucket: a keyed GCRA limiter, one key per account ID.
#[derive(Debug)]
pub struct Buckets {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl Buckets {
    /// One request per `1 / per_second`, up to `burst` at once (rounded down, at least 1).
    pub fn new(limit: RateLimit) -> Buckets {
        let period = Duration::try_from_secs_f64(1.0 / limit.per_second)
            .unwrap_or(MAX_PERIOD)
            .clamp(Duration::from_nanos(1), MAX_PERIOD);
        let burst = NonZeroU32::new(limit.burst.clamp(1.0, MAX_BURST) as u32).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN)).allow_burst(burst);
        Buckets { limiter: RateLimiter::keyed(quota) }
    }

    /// Takes one token from `account`'s bucket, or says how long until one is there.
    pub fn take(&self, account: &str) -> Result<(), Duration> {
        self.limiter
            .check_key(&account.to_string())
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
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
        assert!(buckets.take("a").is_err(), "another account's request gives `a` nothing back");
    }

    #[test]
    fn the_wait_it_names_is_enough() {
        let buckets = Buckets::new(RateLimit { per_second: 20.0, burst: 1.0 });
        assert!(buckets.take("a").is_ok());
        let wait = buckets.take("a").expect_err("the burst is one");
        assert!(wait <= Duration::from_millis(50), "{wait:?}");
        std::thread::sleep(wait);
        assert!(buckets.take("a").is_ok(), "a client that waited as told is let in");
    }

    #[test]
    fn hand_built_limits_out_of_range_neither_panic_nor_disable_the_limit() {
        for limit in [
            RateLimit { per_second: 0.0, burst: f64::NAN },
            RateLimit { per_second: 1e-12, burst: 1e12 },
            RateLimit { per_second: f64::INFINITY, burst: 0.0 },
            RateLimit { per_second: -1.0, burst: -5.0 },
        ] {
            assert!(Buckets::new(limit).take("a").is_ok(), "{limit:?}");
        }
        let slowest = Buckets::new(RateLimit { per_second: 0.0, burst: f64::NAN });
        assert!(slowest.take("a").is_ok());
        let wait = slowest.take("a").expect_err("a zero rate still limits, with a burst of one");
        assert!(wait > MAX_PERIOD - Duration::from_secs(1) && wait <= MAX_PERIOD, "{wait:?}");
    }

    #[test]
    fn the_429_is_documented_and_says_when_to_retry() {
        // Whole seconds, rounded up so a client that obeys is never early; never 0.
        for (wait, header) in [(200, "1"), (0, "1"), (1000, "1"), (1001, "2"), (2500, "3")] {
            let response = too_many(Duration::from_millis(wait));
            assert_eq!(response.status().as_u16(), 429);
            assert_eq!(response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some(header));
        }
    }
}
