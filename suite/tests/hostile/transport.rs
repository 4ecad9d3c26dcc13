//! Transport faults: silence, trickling, garbage, resets, bad headers, short bodies, HTML, redirect
//! loops and a port that closes mid-run all end in clear verdicts, quickly.

use crate::server::Hostility;
use crate::{assert_stopped, run_against, BOUND};
use journey_conformance::oracle::Rule;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_target_is_reported_once_not_as_a_timeout_per_case() {
    let o = run_against(Hostility::Silent, &[]).await;
    assert_stopped(&o, BOUND);
    assert_eq!(o.passed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_answering_one_byte_per_second_times_out_whole() {
    let o = run_against(Hostility::Trickle, &[]).await;
    assert_stopped(&o, BOUND);
    assert_eq!(o.passed(), 0);
    // Said where the case ended: failed by the timeout, or inconclusive because the stopped target
    // (stopped by that timeout) never got the request.
    let timed_out = |text: &str| text.contains("no complete answer within 0.5s");
    assert!(o.results.values().any(|r| r.verdict.violations().iter().any(|v| timed_out(&v.message))
        || r.verdict.inconclusive().is_some_and(|why| timed_out(&why.to_string()))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_resets_bad_headers_and_short_bodies_stop_the_run_cleanly() {
    for hostility in [Hostility::Garbage, Hostility::Reset, Hostility::BadHeaderBytes, Hostility::LyingContentLength] {
        let o = run_against(hostility, &[]).await;
        assert_stopped(&o, BOUND);
        assert_eq!(o.passed(), 0, "{hostility:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_redirect_loops_fail_every_error_case() {
    let o = run_against(Hostility::Html, &[]).await;
    assert!(o.elapsed < BOUND);
    assert!(o.failed() > o.results.len() / 2, "HTML for everything must fail most cases");
    assert!(o.results.values().any(|r| r.verdict.violations().iter().any(|v| v.rule == Rule::ClientInput)));
    let o = run_against(Hostility::RedirectLoop, &[]).await;
    assert!(o.elapsed < BOUND);
    assert_eq!(o.passed(), 0, "a redirect is never a pass");
    assert!(o.results.values().filter(|r| r.response.is_some()).all(|r| r
        .verdict
        .violations()
        .iter()
        .any(|v| v.message.contains("redirects"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_closes_its_port_mid_run_stops_the_run() {
    let o = run_against(Hostility::ClosesMidRun, &[]).await;
    assert_stopped(&o, BOUND);
    assert!(o.results.values().any(|r| r.response.is_some()), "some cases were answered before the port closed");
}
