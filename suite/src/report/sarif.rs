//! SARIF 2.1.0 (`--report sarif`, `results.sarif`) for GitHub code scanning and other SARIF readers: one
//! result per finding, never per case. A result's rule is the clause it breaks (its `docs/contract.md`
//! anchor, the clause's text as the rule's help), its level `error` for a MUST (and any level that is no
//! SHOULD) and `warning` for a SHOULD, and its partial fingerprint the finding ID, which is its cause, so
//! the same deviation is the same alert from run to run. An API has no source line: every result points
//! at one repository file, `--sarif-location` (by default the workflow file that ran the suite).

use super::finding_records::FindingRecord;
use super::record::RunRecord;
use serde_json::{json, Value};

/// Where results point without `--sarif-location` and outside GitHub Actions: a file most repositories have.
pub const DEFAULT_LOCATION: &str = "README.md";

/// The `partialFingerprints` key holding the finding ID (versioned, as SARIF recommends).
pub const FINGERPRINT: &str = "journeyFindingId/v1";

/// The file results point at: the flag, else the workflow file of a GitHub Actions run (every user of
/// the action has it: it is what ran the suite), else [`DEFAULT_LOCATION`].
pub fn location(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> String {
    if let Some(path) = flag.map(str::trim).filter(|p| !p.is_empty()) {
        return path.trim_start_matches("./").to_string();
    }
    // `owner/repo/.github/workflows/ci.yml@refs/heads/main`.
    let workflow = env("GITHUB_WORKFLOW_REF").and_then(|r| {
        let path = r.split('@').next()?.splitn(3, '/').nth(2)?.to_string();
        (!path.is_empty()).then_some(path)
    });
    workflow.unwrap_or_else(|| DEFAULT_LOCATION.to_string())
}

/// The finding level of a vulnerability (the oracle's SECURITY grade), which code scanning ranks as one.
const SECURITY: &str = "SECURITY";

/// SARIF's level of a finding level: only a SHOULD is a warning (a MUST, or a security level, is an error).
pub fn level(finding_level: &str) -> &'static str {
    if finding_level == "SHOULD" {
        "warning"
    } else {
        "error"
    }
}

/// The rule ID of a finding: its clause's anchor, else a slug of its first rule.
fn rule_id(f: &FindingRecord) -> String {
    match f.clause {
        Some(clause) => clause.anchor.to_string(),
        None => {
            let rule = f.rules.first().map(String::as_str).unwrap_or("finding");
            let slug: String =
                rule.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
            format!("rule-{}", slug.trim_matches('-'))
        }
    }
}

/// One `reportingDescriptor`: the clause, its grade and its text.
fn rule(f: &FindingRecord, id: &str) -> Value {
    let (says, grade) = f.clause.map_or((f.summary.as_str(), f.level), |c| (c.says, c.grade.as_str()));
    let help = format!("{says} ({grade}, docs/contract.md#{id})");
    // GitHub code scanning ranks a rule tagged `security` by its `security-severity` (7.0-8.9 is "high").
    let properties = if f.level == SECURITY {
        json!({ "tags": ["api-conformance", "security"], "security-severity": "8.0" })
    } else {
        json!({ "tags": ["api-conformance", grade.to_ascii_lowercase()] })
    };
    json!({
        "id": id,
        "name": id,
        "shortDescription": { "text": format!("{grade}: {id}") },
        "fullDescription": { "text": says },
        "help": { "text": help, "markdown": format!("**{grade}** — {says}\n\nClause `{id}` of the contract (`docs/contract.md#{id}`).") },
        "defaultConfiguration": { "level": level(f.level) },
        "properties": properties,
    })
}

/// One result: the finding's message, location, fingerprint and what reports say about it.
fn result(run: &RunRecord, f: &FindingRecord, rule_index: usize, rule_id: &str, uri: &str) -> Value {
    let cases = if f.count == 1 { "case" } else { "cases" };
    let first = f.cases.first().map(String::as_str).unwrap_or_default();
    let mut message = format!("{}: {} ({} {cases}, first {first})", f.id, f.summary, f.count);
    if let Some(target) = &f.target_level {
        message.push_str(&format!("; target-level: {target}"));
    }
    message.push_str(&format!(". Replay: journey-conformance replay {}", f.id));
    let mut properties = super::finding_records::json(f);
    if let Some(map) = properties.as_object_mut() {
        map.remove("record");
    }
    let mut out = json!({
        "ruleId": rule_id,
        "ruleIndex": rule_index,
        "level": level(f.level),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": { "startLine": 1 },
            },
        }],
        "partialFingerprints": { FINGERPRINT: f.id },
        // The finding as NDJSON records it: ID, level, rules, cause, example, count, cases, target level, curl.
        "properties": properties,
    });
    if let Some(baseline) = &run.baseline {
        out["baselineState"] = json!(if baseline.is_known(&f.id) { "unchanged" } else { "new" });
    }
    out
}

/// The SARIF log of a run: one run of one tool, its rules the clauses the findings break.
pub fn render(run: &RunRecord) -> String {
    let uri = run.sarif_location.clone().unwrap_or_else(|| DEFAULT_LOCATION.to_string());
    let mut rules: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for f in &run.findings {
        let id = rule_id(f);
        let index = ids.iter().position(|known| *known == id).unwrap_or_else(|| {
            rules.push(rule(f, &id));
            ids.push(id.clone());
            ids.len() - 1
        });
        results.push(result(run, f, index, &id, &uri));
    }
    let meta = &run.meta;
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "journey-conformance",
                "version": meta.version,
                "rules": rules,
            }},
            "automationDetails": { "id": "journey-conformance/" },
            "results": results,
            "properties": {
                "target": meta.target,
                "embedded": meta.embedded,
                "profile": meta.profile,
                "startedAt": meta.started_at,
            },
        }],
    });
    // A `Value` of strings and numbers always serialises.
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::fixtures;

    /// Parses a rendered log and checks it against the vendored OASIS schema (`tests/data/sarif/`).
    fn valid(text: &str) -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sarif/sarif-schema-2.1.0.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
        let log: Value = serde_json::from_str(text).expect("JSON");
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        log
    }

    #[test]
    fn one_result_per_finding_with_its_clause_level_and_fingerprint() {
        let run = fixtures::run();
        let log = valid(&render(&run));
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), run.findings.len());
        let levels: Vec<&str> = results.iter().filter_map(|r| r["level"].as_str()).collect();
        assert_eq!(levels, ["error", "warning"]);
        assert_eq!(results[0]["ruleId"], "route-error");
        assert_eq!(results[1]["ruleId"], "rule-no-leaks");
        assert_eq!(results[0]["partialFingerprints"][FINGERPRINT], "F-0000abcd");
        let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
        assert!(rules[0]["help"]["text"].as_str().is_some_and(|h| h.contains("a wrong method is 404")), "{rules:?}");
        assert_eq!(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], DEFAULT_LOCATION);
        assert!(results[0].get("baselineState").is_none());
        assert_eq!(level("SECURITY"), "error", "any level but SHOULD is an error");
        assert_eq!(rules[0]["properties"]["tags"][1], "must");
    }

    #[test]
    fn a_security_finding_is_an_error_ranked_by_code_scanning() {
        let mut run = fixtures::run();
        run.findings[0].level = "SECURITY";
        run.baseline = Some(crate::report::baseline::Comparison { known: vec![run.findings[0].id.clone()], ..Default::default() });
        let log = valid(&render(&run));
        assert_eq!(log["runs"][0]["results"][0]["baselineState"], "unchanged");
        assert_eq!(log["runs"][0]["results"][1]["baselineState"], "new");
        assert_eq!(log["runs"][0]["results"][0]["level"], "error");
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["properties"]["security-severity"], "8.0");
        assert_eq!(rule["properties"]["tags"][1], "security");
    }

    #[test]
    fn the_location_is_the_flag_else_the_workflow_else_the_readme() {
        let ci = |k: &str| (k == "GITHUB_WORKFLOW_REF").then(|| "o/r/.github/workflows/api.yml@refs/heads/main".into());
        assert_eq!(location(Some("./docs/api.md"), ci), "docs/api.md");
        assert_eq!(location(None, ci), ".github/workflows/api.yml");
        assert_eq!(location(None, |_| None), DEFAULT_LOCATION);
    }
}
