//! `cargo nextest run` (one process per test) against a deployment sets up once per run: the processes
//! share one session through the run directory (`tests/harness/shared.rs`). Counted at the target: the
//! fixtures created (one per session) and what is left afterwards.

use super::{cargo, text, Target};
use std::collections::BTreeSet;

/// The run IDs of the fixtures created: POSTs whose body is a fixture's (`journey-conformance <run> fixture`).
fn fixture_runs(seen: &[String]) -> BTreeSet<String> {
    seen.iter()
        .filter(|l| l.starts_with("POST "))
        .filter_map(|l| {
            let marker = l.split("journey-conformance ").nth(1)?;
            let (run, rest) = marker.split_once(' ')?;
            rest.starts_with("fixture\"").then(|| run.to_string())
        })
        .collect()
}

#[test]
fn a_nextest_run_against_a_deployment_creates_one_fixture() {
    let version = cargo().args(["nextest", "--version"]).output();
    assert!(
        version.is_ok_and(|v| v.status.success()),
        "cargo-nextest is missing: install it with `cargo install --locked cargo-nextest` (.ci/run does)"
    );
    let target = Target::start();
    let out = cargo()
        .args(["nextest", "run", "-p", "journey-conformance", "--test", "conformance", "--locked", "--no-fail-fast"])
        .args(["--status-level", "fail", "--final-status-level", "fail"])
        .envs(target.vars())
        .output()
        .expect("run cargo nextest");
    let stderr = text(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(30).collect();
    assert!(out.status.success(), "nextest failed:\n{}", tail.into_iter().rev().collect::<Vec<_>>().join("\n"));
    let seen = target.switch.seen();
    let fixtures = fixture_runs(&seen);
    let summary = stderr.lines().find(|l| l.contains(" Summary ")).unwrap_or("(no summary)").trim().to_string();
    println!(
        "nextest run: {summary}; fixtures created: {} (runs {fixtures:?}); requests: {}",
        fixtures.len(),
        seen.len()
    );
    assert_eq!(fixtures.len(), 1, "one session for the whole nextest run");
    assert!(summary.contains("tests run") && !summary.contains(" 0 tests run"), "{summary}");
    assert!(target.marked_objects().is_empty(), "its teardown deleted everything");
}

#[test]
fn fixtures_are_told_from_other_creates() {
    let seen = [
        r#"POST /api/v4/a/objects/task.json {"task":{"name":"journey-conformance 0123abcd4567 fixture"}}"#.to_string(),
        r#"POST /api/v4/a/objects/task.json {"task":{"name":"journey-conformance 0123abcd4567 fixture"}}"#.to_string(),
        r#"POST /api/v4/a/objects/task.json {"task":{"name":"journey-conformance 0123abcd4567 values/x"}}"#.to_string(),
        r#"POST /api/v4/a/objects/task.json {"task":{"name":"journey-conformance 89abcdef0123 fixture"}}"#.to_string(),
        "GET /api/v4/a/objects/task.json?q=journey-conformance 0123abcd4567 fixture\"".to_string(),
    ];
    assert_eq!(fixture_runs(&seen), BTreeSet::from(["0123abcd4567".to_string(), "89abcdef0123".to_string()]));
}
