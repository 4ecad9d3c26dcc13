//! Rate limiting: a target that answers 429 forever is inconclusive, never passed; the rate-limit
//! checks and a paced run against the reference's token bucket.

use crate::server::{start, Hostility};
use crate::{run_against, settings, BOUND};
use journey_conformance::oracle::Rule;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_answers_429_forever_is_inconclusive_never_passed() {
    let o = run_against(Hostility::TooManyForever, &[("JOURNEY_API_429_RETRIES", "1")]).await;
    assert!(o.elapsed < BOUND, "took {:?}", o.elapsed);
    assert_eq!(o.passed(), 0, "a rate-limited case is never a pass");
    assert_eq!(o.failed(), 0, "a well-formed 429 is inconclusive, not a failure");
    assert!(o.warnings.iter().any(|w| w.contains("stopped answering")), "{:?}", o.warnings);
    assert!(o.warnings.iter().any(|w| w.contains("rate limited")), "{:?}", o.warnings);
}

/// The reference with a token bucket per account, behind no fault.
async fn limited_reference(limit: &str) -> journey_testkit::faults::target::FaultyTarget {
    let config = journey_reference::Config {
        rate_limit: Some(limit.parse().expect("limit")),
        ..journey_reference::Config::demo()
    };
    journey_testkit::faults::target::FaultyTarget::start(None, config).await.expect("bind loopback")
}

/// The `rate-limit` family's cases, run through the runner like any other family's.
async fn check(session: &Session) -> Vec<journey_conformance::run::runner::CaseResult> {
    let cases = journey_conformance::declare::case::Family::RateLimit.cases(&session.ctx);
    let mut results = Vec::new();
    for case in &cases {
        results.push(journey_conformance::run::runner::run_case(session, case).await);
    }
    results
}

const OPT_IN: (&str, &str) = ("JOURNEY_API_RATE_LIMIT_FAMILY", "1");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_checks_pass_on_a_limited_reference_and_fail_on_an_html_429() {
    use journey_conformance::declare::families::rate_limit::IDS;
    let target = limited_reference("20:5").await;
    let session =
        Session::start(target.settings(&[("JOURNEY_API_RATE", "18"), OPT_IN]).expect("settings")).await.expect("setup");
    let results = check(&session).await;
    assert_eq!(results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), IDS);
    for r in &results {
        assert!(r.ok(), "{}: {:?} {:?}", r.id, r.verdict.violations(), r.inconclusive());
    }
    let limited = results[0].response.as_ref().expect("the 429");
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());

    // Without a limit there is nothing to see: inconclusive, never passed.
    let unlimited = journey_testkit::faults::target::FaultyTarget::start(None, journey_reference::Config::demo())
        .await
        .expect("bind");
    let session = Session::start(unlimited.settings(&[OPT_IN]).expect("settings")).await.expect("setup");
    let skipped = Session::start(unlimited.settings(&[]).expect("settings")).await.expect("setup");
    for r in check(&skipped).await {
        assert!(r.skipped.as_deref().is_some_and(|why| why.contains("opt-in")), "{}: {:?}", r.id, r.skipped);
    }
    for r in check(&session).await {
        assert!(!r.ok() && r.inconclusive().is_some(), "{}: {:?}", r.id, r.inconclusive());
    }

    // A 429 as an HTML page breaks §6.1, and a target that never recovers fails the recovery check.
    let server = start(Hostility::TooManyAsHtml).await;
    let url = format!("http://127.0.0.1:{}/api/v4/acc", server.port);
    let session = Session::start(settings(&url, &[OPT_IN])).await.expect("setup");
    let started = Instant::now();
    let results = check(&session).await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert!(
        results[0].verdict.violations().iter().any(|v| v.rule == Rule::ErrorBody),
        "{:?}",
        results[0].verdict.violations()
    );
    assert!(!results[1].ok() && results[1].inconclusive().is_none(), "{:?}", results[1].verdict.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paced_run_against_a_rate_limited_reference_passes_without_inconclusive_cases() {
    let target = limited_reference("40:8").await;
    let session =
        Session::start(target.settings(&[("JOURNEY_API_RATE", "36")]).expect("settings")).await.expect("setup");
    let mut run = Run::new(session);
    run.retain(|c| c.id.starts_with("ids/") || c.id.starts_with("methods/control/"));
    let started = Instant::now();
    let results = run.all().await;
    let bad: Vec<String> = results
        .values()
        .filter(|r| !r.ok())
        .map(|r| format!("{}: {:?} {:?}", r.id, r.inconclusive(), r.verdict.violations()))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Pacing, not luck: at 36/s the run cannot be faster than the cases allow.
    let floor = Duration::from_secs_f64((results.len() as f64 - 8.0).max(0.0) / 36.0 * 0.9);
    assert!(started.elapsed() >= floor, "{} cases in {:?}: faster than the pace", results.len(), started.elapsed());
}
