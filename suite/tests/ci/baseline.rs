//! `--write-baseline` then `--baseline`: the findings a deployment already has are known and fail
//! nothing, a new fault fails the run naming only its own finding, and a fault that went away is
//! reported as fixed. The faults come from `testkit/src/faults/`, stacked on one reference.

use super::{bin, read, scratch, target};

/// The methods family: both faults below break every one of its wrong-method cases.
const SELECT: [&str; 2] = ["--family", "methods"];

/// The `NEW` and `FIXED` lines of the baseline block, as (word, finding ID).
fn marked(stdout: &str) -> Vec<(String, String)> {
    let start = stdout.find("BASELINE: ").expect("a baseline block");
    stdout[start..]
        .lines()
        .skip(1)
        .map_while(|l| l.strip_prefix("  "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.next()?.to_string()))
        })
        .collect()
}

#[test]
fn only_new_findings_fail_and_gone_ones_are_reported_fixed() {
    let dir = scratch("baseline");
    let file = dir.join("journey-baseline.json");
    let file = file.to_str().unwrap();

    // A framework's 405 for every unknown method: a MUST finding, so the run fails; record it.
    let first = target(&["status-405"]);
    let (out, stdout) = bin(&[&SELECT[..], &["--write-baseline", file]].concat(), &first);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let written = read(std::path::Path::new(file));
    let baseline: serde_json::Value = serde_json::from_str(&written).expect("JSON");
    let entries = baseline["findings"].as_array().expect("findings");
    // One finding per expected outcome set the 405 replaces (a wrong method, OPTIONS, a non-route).
    assert!(!entries.is_empty(), "{written}");
    for e in entries {
        assert!(
            e["cause"].as_str().is_some_and(|c| c.ends_with("got 405 ROUTE_ERROR")) && e["level"] == "MUST",
            "{written}"
        );
        assert!(e["first_case"].as_str().is_some_and(|c| c.starts_with("methods/")), "{written}");
    }
    let known: Vec<String> = entries.iter().filter_map(|e| e["id"].as_str().map(String::from)).collect();
    let n = known.len();

    // The same target against its baseline: every finding is known, nothing fails.
    let (out, stdout) = bin(&[&SELECT[..], &["--baseline", file]].concat(), &first);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(&format!("BASELINE: {n} known, 0 new, 0 fixed")), "{stdout}");

    // A second fault on top (error bodies without `see`): exit 1, naming only the new finding.
    let both = target(&["status-405", "missing-see"]);
    let (out, stdout) = bin(&[&SELECT[..], &["--baseline", file]].concat(), &both);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("BASELINE: {n} known, 1 new, 0 fixed")), "{stdout}");
    let lines = marked(&stdout);
    assert!(lines.len() == 1 && lines[0].0 == "NEW" && !known.contains(&lines[0].1), "{stdout}");
    let new_line = stdout.lines().find(|l| l.starts_with("  NEW ")).unwrap_or_default();
    assert!(new_line.contains("\"see\""), "the new finding is the missing `see`: {new_line}");

    // The first fault removed: its findings are reported fixed; the second is still new.
    let second = target(&["missing-see"]);
    let (out, stdout) = bin(&[&SELECT[..], &["--baseline", file]].concat(), &second);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("BASELINE: 0 known, 1 new, {n} fixed")), "{stdout}");
    let fixed: Vec<String> = marked(&stdout).into_iter().filter(|(w, _)| w == "FIXED").map(|(_, id)| id).collect();
    assert_eq!(fixed.len(), n, "{stdout}");
    assert!(fixed.iter().all(|id| known.contains(id)), "{stdout}");

    // The same through the variable, against a clean target: all fixed, and nothing fails.
    let clean = target(&[]);
    let mut env = clean.clone();
    env.insert("JOURNEY_API_BASELINE".into(), file.into());
    let (out, stdout) = bin(&SELECT, &env);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        marked(&stdout).iter().all(|(w, id)| w == "FIXED" && known.contains(id)) && marked(&stdout).len() == n,
        "{stdout}"
    );

    // Nor can a run that skips a finding's first case: read-only mode skips the POST that first met the 405.
    let mut read_only = clean.clone();
    read_only.insert("JOURNEY_API_READ_ONLY".into(), "1".into());
    let (_, stdout) = bin(&[&SELECT[..], &["--baseline", file]].concat(), &read_only);
    let writes = |e: &&serde_json::Value| {
        e["first_case"].as_str().is_some_and(|c| !c.contains("/GET-") && !c.contains("/OPTIONS-"))
    };
    let skipped: Vec<&str> = entries.iter().filter(writes).filter_map(|e| e["id"].as_str()).collect();
    assert!(!skipped.is_empty(), "{written}");
    let fixed: Vec<String> = marked(&stdout).into_iter().map(|(_, id)| id).collect();
    assert!(skipped.iter().all(|id| !fixed.contains(&id.to_string())), "a skipped first case proves nothing: {stdout}");
    assert_eq!(fixed.len(), n - skipped.len(), "{stdout}");

    // A run that does not select the findings' first cases cannot tell they were fixed.
    let (_, stdout) = bin(&["--family", "ids", "--baseline", file], &clean);
    assert!(stdout.contains("BASELINE: 0 known, 0 new, 0 fixed"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_baseline_file_is_a_one_line_setup_error() {
    let dir = scratch("bad-baseline");
    let file = dir.join("b.json");
    std::fs::write(&file, "{\"findings\": 3}").expect("write");
    let env = target(&[]);
    for path in [file.to_str().unwrap(), "/nonexistent/baseline.json"] {
        let (out, stdout) = bin(&["--family", "methods", "--baseline", path], &env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
        assert!(stderr.starts_with("journey-conformance: baseline ") && stderr.lines().count() == 1, "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
