//! `--report sarif`: every file the tests write validates against the vendored SARIF 2.1.0 schema
//! (OASIS, `tests/data/sarif/`), has one result per finding, and two runs against the same target give
//! the same fingerprints.

use super::{bin, read, scratch, target};
use serde_json::Value;
use std::path::Path;

/// The OASIS SARIF 2.1.0 schema (errata 01, draft-04), compiled once per call.
fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&read(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json"),
    ))
    .expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

/// Parses a written SARIF file and fails on any schema error, listing them all.
pub fn valid(path: &Path) -> Value {
    let log: Value = serde_json::from_str(&read(path)).expect("SARIF is JSON");
    let errors: Vec<String> = validator().iter_errors(&log).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{} breaks the SARIF 2.1.0 schema:\n{}", path.display(), errors.join("\n"));
    log
}

/// (ruleId, level, fingerprint) of each result.
fn results(log: &Value) -> Vec<(String, String, String)> {
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (s(&r["ruleId"]), s(&r["level"]), s(&r["partialFingerprints"]["journeyFindingId/v1"]))
        })
        .collect()
}

#[test]
fn the_schema_refuses_a_broken_log() {
    // The validator is no check that cannot fail: a log without `version` or with a bad level is refused.
    let broken = serde_json::json!({"runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"message": {"text": "m"}, "level": "fatal"}]}]});
    assert!(validator().iter_errors(&broken).count() >= 2);
}

#[test]
fn one_result_per_finding_valid_and_with_the_same_fingerprints_in_two_runs() {
    // A MUST finding (a framework's 405) and a SHOULD finding (a banner header) on every methods case.
    let env = target(&["status-405", "x-powered-by"]);
    let runs: Vec<Value> = (0..2)
        .map(|i| {
            let dir = scratch(&format!("sarif-{i}"));
            let args = ["--family", "methods", "--report", "sarif,ndjson", "--report-dir", dir.to_str().unwrap()];
            let (out, stdout) = bin(&[&args[..], &["--sarif-location", "api/journey.md"]].concat(), &env);
            assert_eq!(out.status.code(), Some(1), "{stdout}");
            let log = valid(&dir.join("results.sarif"));
            let findings =
                read(&dir.join("cases.ndjson")).lines().filter(|l| l.contains("\"record\":\"finding\"")).count();
            assert_eq!(results(&log).len(), findings, "one result per finding, not per case");
            assert!(!read(&dir.join("results.sarif")).contains(super::password(&env)));
            let _ = std::fs::remove_dir_all(&dir);
            log
        })
        .collect();
    let first = results(&runs[0]);
    assert_eq!(first, results(&runs[1]), "the same target gives the same results and fingerprints");
    let levels: Vec<&str> = first.iter().map(|(_, l, _)| l.as_str()).collect();
    assert!(levels.contains(&"error") && levels.contains(&"warning"), "{first:?}");
    assert!(first.iter().all(|(_, _, f)| f.starts_with("F-")), "{first:?}");
    assert!(first.iter().any(|(rule, _, _)| rule == "route-error"), "the 405's rule is its case's clause: {first:?}");
    let result = &runs[0]["runs"][0]["results"][0];
    assert_eq!(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "api/journey.md");
    let rules = runs[0]["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().all(|r| r["help"]["text"].as_str().is_some_and(|h| h.contains("docs/contract.md#"))));
}
