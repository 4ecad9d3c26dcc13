//! Replays every committed fuzz finding (`suite/regressions/*.json`) through the same in-process
//! path and oracle as the fuzz targets, and shows the crash-to-regression loop works: a
//! deliberately broken reference (a test-only layer; the reference itself is untouched) is caught
//! within a bounded budget, and its minimised input fails against the broken variant and passes
//! against the clean reference.

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use journey_testkit::fuzz::{minimise, Harness, Regression, Target};
use std::path::PathBuf;

fn regressions_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/regressions"))
}

#[test]
fn committed_regressions_pass_against_the_reference() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(regressions_dir())
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut harness = Harness::reference();
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let case: Regression =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not a regression case: {e}", file.display()));
        if let Err(report) = case.replay(&mut harness) {
            failures.push(format!("{} ({}):\n{report}", file.display(), case.note));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} regression cases fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

/// Bug 1: a framework's default 405 for methods it does not know.
async fn answer_405(req: Request, next: Next) -> Response {
    let standard = [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];
    let unknown = !standard.contains(req.method());
    let mut resp = next.run(req).await;
    if unknown && resp.status() == StatusCode::NOT_FOUND {
        *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    }
    resp
}

/// Bug 2: a body with a NUL byte crashes the JSON layer into a 500.
async fn crash_on_nul(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    if bytes.contains(&0) {
        let body = r#"{"type":"INTERNAL_SERVER_ERROR","title":"Internal server error.","detail":"oops","see":"https://docs.journeyapps.com/api-errors#INTERNAL_SERVER_ERROR"}"#;
        return Response::builder()
            .status(500)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap_or_default();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

/// Deterministic pseudo-random inputs (xorshift), so the search is bounded and repeatable.
fn inputs(seed: u64, count: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count).map(move |_| {
        let len = (next() % 96) as usize + 1;
        (0..len).map(|_| next() as u8).collect()
    })
}

/// Search, minimise, write a regression file, and replay it against both variants.
fn loop_catches(broken: fn(axum::Router) -> axum::Router, target: Target, budget: usize) {
    let mut bad = Harness::new(broken);
    let found = inputs(0x5eed, budget).find(|input| bad.check(target, input).is_err());
    let found = found
        .unwrap_or_else(|| panic!("the broken variant was not caught by `{}` within {budget} inputs", target.name()));
    let minimal = minimise(&mut bad, target, &found, 2000);
    assert!(minimal.len() <= found.len());
    let report = bad.check(target, &minimal).expect_err("the minimised input still fails");
    eprintln!("caught ({} → {} bytes):\n{report}", found.len(), minimal.len());

    // The finding becomes a regression file, exactly as scripts/fuzz-nightly.sh writes them.
    let case = Regression::new(target, &minimal, format!("broken-variant test: {}", report.case.what));
    let dir = std::env::temp_dir().join(format!("journey-regressions-{}-{}", std::process::id(), target.name()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(case.file_name().expect("the input decodes"));
    std::fs::write(&path, serde_json::to_string_pretty(&case).expect("json")).expect("write regression");
    let loaded: Regression =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read back")).expect("parse back");
    assert_eq!(loaded, case);

    assert!(loaded.replay(&mut Harness::new(broken)).is_err(), "the regression must fail against the broken variant");
    loaded
        .replay(&mut Harness::reference())
        .unwrap_or_else(|e| panic!("the regression must pass against the clean reference:\n{e}"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_405_for_unknown_methods_is_caught_and_kept_as_a_regression() {
    loop_catches(|r| r.layer(middleware::from_fn(answer_405)), Target::Request, 20_000);
}

#[test]
fn a_500_for_some_bodies_is_caught_and_kept_as_a_regression() {
    loop_catches(|r| r.layer(middleware::from_fn(crash_on_nul)), Target::JsonBody, 20_000);
}

/// The fuzz targets' own logic stays quiet on the clean reference for a bounded random sample
/// (the same inputs the broken variants are caught with), so a crash always means a real finding.
#[test]
fn random_inputs_pass_against_the_clean_reference() {
    let mut harness = Harness::reference();
    for target in Target::ALL {
        for input in inputs(0x5eed ^ target as u64, 2_000) {
            if let Err(finding) = harness.check(target, &input) {
                panic!("`{}` flags the clean reference on {input:?}:\n{finding}", target.name());
            }
        }
    }
}
