//! What a finished case keeps: a target that answers every request with a 1 MiB body (the reference's
//! answer padded with whitespace, so setup and judging work as usual) leaves each result and each report
//! record holding a few KiB, never the body. Sizes of the stored data, not RSS.

use journey_conformance::report::record::case_record;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_conformance::send::response_summary::{KEPT_BODY_BYTES, KEPT_HEADER_BYTES, KEPT_OPS_BYTES};
use journey_testkit::padded::{self, MIB};

/// Most bytes one report record may take, debug-printed: request, excerpts, repro and failure text.
const RECORD_BYTES: usize = 24 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1_mib_answer_leaves_a_few_kib_per_case() {
    let target = padded::start(journey_reference::Config::demo(), MIB).await.expect("bind");
    let session = Session::start(target.settings(&[]).expect("settings")).await.expect("setup reads padded JSON");
    let mut run = Run::new(session);
    // A plain family, one with read-backs and one with batch results (their per-operation outcomes are kept).
    run.retain(|c| ["ids/", "side-effects/", "batch/"].iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let answered: Vec<_> = results.values().filter_map(|r| r.response.as_ref().map(|s| (r, s))).collect();
    let whole = answered.iter().filter(|(_, s)| s.body_len == MIB && !s.truncated).count();
    assert!(whole * 10 >= answered.len() * 9, "only {whole} of {} answers arrived as 1 MiB", answered.len());
    for (r, s) in &answered {
        assert!(s.excerpt.len() <= KEPT_BODY_BYTES, "{}: {} body bytes kept", r.id, s.excerpt.len());
        assert!(s.kept_bytes() <= KEPT_BODY_BYTES + KEPT_HEADER_BYTES + KEPT_OPS_BYTES, "{}", r.id);
    }
    assert!(answered.iter().any(|(_, s)| s.ops.is_some()), "a batch answer keeps its per-operation outcomes");
    let passed = results.values().filter(|r| r.ok()).count();
    assert!(passed * 2 > results.len(), "padding is valid JSON whitespace: {passed} of {} passed", results.len());
    let mut largest = 0;
    for case in &run.cases {
        let Some(result) = results.get(&case.id) else { continue };
        largest = largest.max(format!("{:?}", case_record(&run.session, case, result)).len());
    }
    println!("{} cases, {whole} answers of 1 MiB; largest report record {largest} bytes", results.len());
    assert!(largest <= RECORD_BYTES, "a report record takes {largest} bytes");
    let _ = run.session.teardown().await;
}
