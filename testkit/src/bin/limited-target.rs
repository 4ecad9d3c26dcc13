//! `limited-target RPS BURST [FAULT|-] [MAX_SECONDS] [RETRY_AFTER]`: the reference behind the named fault (`-`: none)
//! on a loopback port, behind a gateway's token bucket per account (RPS requests a second, BURST at
//! once, for every request to the account's URLs; over it the documented 429 with `Retry-After` in whole
//! seconds, at least 1), for `scripts/bench-rate.sh`. The bucket sits in front of the fault, so a fault's
//! own calls to the reference never draw a 429 and the fault always fires. RETRY_AFTER, when given, is
//! sent as every 429's `Retry-After` instead (`1000`: a limiter that writes its window in milliseconds). Prints the
//! `JOURNEY_API_*` settings of its two accounts on one line, then serves until interrupted (SIGINT) or
//! MAX_SECONDS (default 1800) have passed, so a benchmark that dies never leaves it running; at the end
//! it prints, per account, the answers it let through and the 429s it sent.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use journey_testkit::faults::{find, layer, target::FaultyTarget};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Per account ID: (answers let through, 429s).
type Counts = Arc<Mutex<BTreeMap<String, (u64, u64)>>>;

/// The documented 429, as a gateway's limiter answers it (`Retry-After` the wait, or `fixed`).
fn too_many(wait: Duration, fixed: Option<HeaderValue>) -> Response {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let body = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests.","detail":"Rate limit exceeded; retry later.","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(value) = fixed.or_else(|| HeaderValue::from_str(&seconds.to_string()).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, value);
    }
    resp
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let usage = || std::io::Error::other("usage: limited-target RPS BURST [FAULT|-] [MAX_SECONDS] [RETRY_AFTER]");
    let retry_after: Option<HeaderValue> =
        arg(4).map(HeaderValue::from_str).transpose().map_err(std::io::Error::other)?;
    let limit = format!("{}:{}", arg(0).ok_or_else(usage)?, arg(1).ok_or_else(usage)?);
    let limit: journey_reference::RateLimit =
        limit.parse().map_err(|e: String| std::io::Error::other(format!("RPS:BURST: {e}")))?;
    let period = Duration::try_from_secs_f64(1.0 / limit.per_second).map_err(std::io::Error::other)?;
    let burst = std::num::NonZeroU32::new(limit.burst as u32).unwrap_or(std::num::NonZeroU32::MIN);
    let quota = Quota::with_period(period).ok_or_else(usage)?.allow_burst(burst);
    let buckets: Arc<DefaultKeyedRateLimiter<String>> = Arc::new(RateLimiter::keyed(quota));
    let fault = match arg(2) {
        None | Some("-") => None,
        Some(name) => Some(find(name).ok_or_else(|| std::io::Error::other(format!("no fault named `{name}`")))?),
    };
    let max = Duration::from_secs(arg(3).and_then(|a| a.parse().ok()).unwrap_or(1800));
    let config = journey_reference::Config::demo();
    let accounts = config.accounts.clone();
    let counts: Counts = Arc::default();
    let seen = Arc::clone(&counts);
    let app = layer::router(fault, config).layer(axum::middleware::from_fn(move |req: Request, next: Next| {
        let seen = Arc::clone(&seen);
        let account = req.uri().path().split('/').nth(3).unwrap_or_default().to_string();
        let buckets = Arc::clone(&buckets);
        let retry_after = retry_after.clone();
        async move {
            let resp = match buckets.check_key(&account) {
                Ok(()) => next.run(req).await,
                Err(not_until) => too_many(not_until.wait_time_from(buckets.clock().now()), retry_after.clone()),
            };
            if let Ok(mut counts) = seen.lock() {
                let entry = counts.entry(account).or_default();
                if resp.status().as_u16() == 429 {
                    entry.1 += 1;
                } else {
                    entry.0 += 1;
                }
            }
            resp
        }
    }));
    let target = FaultyTarget::serve(app, &accounts, fault).await?;
    FaultyTarget::print_env(&target.env)?;
    tokio::select! {
        _ = tokio::time::sleep(max) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    drop(target);
    let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    for account in &accounts {
        let (through, limited) = counts.get(&account.id).copied().unwrap_or_default();
        writeln!(stdout, "account {} answered {through} limited {limited}", account.id)?;
    }
    stdout.flush()
}
