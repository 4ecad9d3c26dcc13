//! NDJSON: one JSON object per line per case, for tools that diff, grep or load runs.

use super::record::{CaseRecord, RunRecord};
use serde_json::{json, Value};

/// One case as a JSON object.
pub fn case_json(case: &CaseRecord) -> Value {
    json!({
        "id": case.id,
        "family": case.family.as_str(),
        "description": case.description,
        "spec": case.spec,
        "endpoint": case.endpoint,
        "request": {
            "method": case.method,
            "path": case.path,
            "headers": case.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "body_excerpt": case.body_excerpt,
            "body_bytes": case.body_bytes,
        },
        "expected": case.expected,
        "expected_why": case.expected_why,
        "observed": {
            "status": case.observed_status,
            "type": case.observed_type,
            "content_type": case.response_content_type,
            "body_excerpt": case.response_excerpt,
        },
        "verdict": case.status.as_str(),
        "skip_reason": case.skip_reason,
        "violations": case.violations.iter().map(|(rule, message)| json!({"level": "MUST", "rule": rule, "message": message}))
            .chain(case.should.iter().map(|(rule, message)| json!({"level": "SHOULD", "rule": rule, "message": message})))
            .collect::<Vec<_>>(),
        "timings": { "elapsed_ms": case.elapsed.as_secs_f64() * 1000.0 },
        "curl": case.curl,
    })
}

/// The whole run, one line per case, one per session step that found something, then one
/// `"record":"finding"` line per finding (known only at the end).
pub fn render(run: &RunRecord) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and serde_json writes only UTF-8.
    let _ = write(run, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the run line by line, so the file never exists whole in memory.
pub fn write(run: &RunRecord, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let (left, interrupted) = (run.left_behind.as_ref(), run.meta.interrupted.as_deref());
    let lines = run
        .cases
        .iter()
        .map(case_json)
        .chain(run.steps.iter().map(super::session_steps::json_line))
        .chain(super::left::json_lines(left, interrupted));
    for line in lines {
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    for finding in &run.findings {
        serde_json::to_writer(&mut *out, &super::finding_records::json(finding))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::record::fixtures;

    #[test]
    fn one_parsable_line_per_case() {
        let run = fixtures::run();
        let text = render(&run);
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
        assert_eq!(lines.len(), run.cases.len() + run.findings.len());
        assert!(lines[run.cases.len()..].iter().all(|l| l["record"] == "finding"));
        assert_eq!(lines[1]["id"], "methods/wrong-method/DELETE-x");
        assert_eq!(lines[1]["verdict"], "fail");
        assert_eq!(lines[1]["observed"]["status"], 405);
        assert_eq!(lines[1]["violations"][0]["rule"], "§6.1 error body");
        assert_eq!(lines[2]["verdict"], "skip");
        assert_eq!(lines[0]["request"]["headers"][0][1], "<redacted: configured credentials>");
        assert_eq!(lines[1]["violations"][0]["level"], "MUST");
    }

    #[test]
    fn a_non_strict_case_says_so_and_carries_its_should_findings() {
        let mut run = fixtures::run();
        run.cases.push(fixtures::case(
            "methods/x/y",
            crate::declare::case::Family::Methods,
            "e",
            crate::declare::error_type::ErrorType::RouteError,
            crate::oracle::Status::NonStrict,
        ));
        run.findings.clear();
        let last: Value = serde_json::from_str(render(&run).lines().last().unwrap()).unwrap();
        assert_eq!(last["verdict"], "non-strict");
        assert_eq!(last["violations"].as_array().map(Vec::len), Some(1));
        assert_eq!(last["violations"][0]["level"], "SHOULD");
        assert_eq!(last["violations"][0]["rule"], "see link");
    }
}
