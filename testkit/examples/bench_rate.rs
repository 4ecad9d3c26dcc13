//! Rate benchmark (run by `scripts/bench-rate.sh`): the suite against a rate-limited reference,
//! paced at the allowed rate, against an unpaced baseline run in the same invocation. Prints the
//! achieved rate as a share of the allowed rate and the share of 429 answers, counted by the server.

use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

#[derive(Default)]
struct Counts {
    all: AtomicUsize,
    limited: AtomicUsize,
}

/// One run's numbers: achieved share of the allowed rate, 429 share, requests, 429s, cases not ok, seconds.
type Measured = (f64, f64, usize, usize, usize, f64);

async fn one_run(rate: f64, burst: f64, pace: Option<f64>, shared: bool, prefixes: &[&str]) -> Measured {
    let limit = journey_reference::RateLimit { per_second: rate, burst };
    let config = journey_reference::Config { rate_limit: Some(limit), ..journey_reference::Config::demo() };
    let accounts = config.accounts.clone();
    let counts = Arc::new(Counts::default());
    let seen = Arc::clone(&counts);
    let app = journey_reference::router(config).layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let seen = Arc::clone(&seen);
            async move {
                let resp = next.run(req).await;
                seen.all.fetch_add(1, Ordering::Relaxed);
                if resp.status().as_u16() == 429 {
                    seen.limited.fetch_add(1, Ordering::Relaxed);
                }
                resp
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut env: HashMap<String, String> = HashMap::new();
    for (account, suffix) in accounts.iter().zip(["", "_2"]) {
        env.insert(format!("JOURNEY_API_URL{suffix}"), journey_reference::base_url(addr, &account.id));
        env.insert(format!("JOURNEY_API_USER{suffix}"), account.id.clone());
        env.insert(format!("JOURNEY_API_PASSWORD{suffix}"), account.password.clone());
    }
    if let Some(p) = pace {
        env.insert("JOURNEY_API_RATE".into(), p.to_string());
    }
    // Generous retries so the unpaced baseline also finishes every case.
    env.insert("JOURNEY_API_429_RETRIES".into(), "20".into());
    let mut settings = journey_conformance::config::Settings::from_lookup(|k| env.get(k).cloned()).expect("settings");
    settings.pacing.shared_pause = shared;
    let started = Instant::now();
    let session = Session::start(settings).await.expect("setup");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let _ = run.session.teardown().await;
    let elapsed = started.elapsed().as_secs_f64();
    server.abort();
    let all = counts.all.load(Ordering::Relaxed);
    let limited = counts.limited.load(Ordering::Relaxed);
    let not_ok = results.values().filter(|r| !r.ok()).count();
    let achieved = (all - limited) as f64 / elapsed;
    (achieved / rate, limited as f64 / all.max(1) as f64, all, limited, not_ok, elapsed)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let arg = |i: usize, default: f64| std::env::args().nth(i).and_then(|a| a.parse::<f64>().ok()).unwrap_or(default);
    let (rate, burst) = (arg(1, 50.0), arg(2, 10.0));
    let prefixes = ["ids/", "methods/", "accounts/"];
    println!("allowed: {rate} req/s per account, burst {burst}; cases: {prefixes:?}");
    println!(
        "{:<30} {:>10} {:>10} {:>9} {:>7} {:>13} {:>8} {:>9}",
        "run", "rate/allow", "429 share", "requests", "429s", "cases not ok", "time", "time/base"
    );
    let runs = [
        ("unpaced, per-request waits", None, false),
        ("unpaced, shared pause", None, true),
        ("paced at the allowed rate", Some(rate), true),
    ];
    let mut baseline = None;
    for (name, pace, shared) in runs {
        let (share, limited_share, all, limited, not_ok, secs) = one_run(rate, burst, pace, shared, &prefixes).await;
        let base = *baseline.get_or_insert(secs);
        println!(
            "{name:<30} {:>9.1}% {:>9.2}% {all:>9} {limited:>7} {not_ok:>13} {secs:>7.1}s {:>8.2}x",
            share * 100.0,
            limited_share * 100.0,
            secs / base
        );
    }
}
