//! Body size: a 1 GiB answer is read only up to the response cap, in bounded memory.

use crate::server::Hostility;
use crate::{run_some, BOUND, CAP};
use journey_conformance::oracle::Rule;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::send::response_summary::KEPT_BODY_BYTES;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1_gib_body_is_read_only_up_to_the_cap() {
    // Every case makes the server start a 1 GiB body; two families (~280 cases) show it and keep the test short.
    let o = run_some(Hostility::Huge, &[], &["ids/", "methods/"]).await;
    assert!(o.elapsed < BOUND, "took {:?}", o.elapsed);
    // A HEAD answer has no body to read (its Content-Length describes the GET answer).
    let answered: Vec<&CaseResult> =
        o.results.values().filter(|r| r.response.is_some() && !r.id.contains("/HEAD-")).collect();
    assert!(!answered.is_empty());
    for r in &answered {
        let resp = r.response.as_ref().expect("answered");
        assert!(resp.body_len <= CAP && resp.truncated, "{}: {} bytes read", r.id, resp.body_len);
        assert!(resp.excerpt.len() <= KEPT_BODY_BYTES, "{}: {} bytes kept", r.id, resp.excerpt.len());
        assert!(
            r.verdict.violations().iter().any(|v| v.rule == Rule::Transport && v.message.contains("exceeds the cap")),
            "{}",
            r.id
        );
    }
    assert!(o.failed() >= answered.len());
    if let Some(peak) = peak_rss_mib() {
        println!("peak RSS of the test process: {peak} MiB");
        assert!(peak < 512, "peak RSS {peak} MiB: a 1 GiB body must never be held");
    }
}

/// The process's peak resident memory in MiB (Linux), when it can be read.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib / 1024)
}
