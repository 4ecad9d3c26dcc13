//! How politely the run treats the target (`JOURNEY_API_RATE` and the 429, breaker and outage settings)
//! and how literally it reads the docs (`--profile`): settings every stage reads, so they live here.

use std::time::Duration;

/// How politely the client treats the target: pace, 429 retries, and when to give up on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pacing {
    /// Requests per second across the whole client (retries included), at most; `None` bounds nothing.
    pub rate: Option<f64>,
    /// Whether the client learns a slower pace from the target's 429s (under `rate`); off, it sends
    /// at exactly `rate` (or unpaced) whatever the target says.
    pub adaptive: bool,
    /// How many times a 429 is retried before its answer is handed back.
    pub retries_429: u32,
    /// The longest one wait for a 429 may be, whatever `Retry-After` says.
    pub max_retry_wait: Duration,
    /// The most the run's 429 waits may add up to; past it a 429 is handed back (inconclusive), so a
    /// target whose every 429 asks for long waits costs a bounded time.
    pub max_total_wait: Duration,
    /// Requests in a row that fail although the target answers (a transport failure the probe did not
    /// confirm as an outage, or a 429 past its retries) after which nothing more is sent; 0: never stop,
    /// and no outage is waited out either (every failure is handed back at once).
    pub breaker: usize,
    /// How long the run waits in all for a target that went down to answer again (the half-open breaker
    /// probes it meanwhile); once spent, the rest is not sent.
    pub outage_budget: Duration,
    /// Whether a 429's `Retry-After` pauses every request of the client, not only the one retried: the
    /// limit is the target's, so the others would only draw 429s of their own meanwhile. A learning
    /// client pauses all only for a wait above [`SHARED_PAUSE_ABOVE`]; a shorter one its cut absorbs.
    pub shared_pause: bool,
}

/// The longest `Retry-After` a learning client leaves to its rate cut instead of pausing every request.
pub const SHARED_PAUSE_ABOVE: Duration = Duration::from_secs(2);

impl Default for Pacing {
    fn default() -> Pacing {
        Pacing {
            rate: None,
            adaptive: true,
            retries_429: 3,
            max_retry_wait: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(600),
            breaker: 10,
            outage_budget: Duration::from_secs(120),
            shared_pause: true,
        }
    }
}

/// How literally to read the docs: what a broken SHOULD clause does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// The docs as written: a broken SHOULD (no MUST broken) makes the case non-strict, not failed.
    #[default]
    Documented,
    /// Every SHOULD read as a MUST: a broken SHOULD fails the case (JSON 401 bodies, `see` ending in `#<type>`).
    Strict,
}
