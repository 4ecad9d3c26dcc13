//! The GitHub Action's shell steps (`scripts/action-run.sh`, called by `action.yml`) run as GitHub runs
//! them: inputs as `INPUT_*`, credentials as `JOURNEY_API_*`, results into the files named by
//! `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY`, against the reference on a loopback port. The built binary
//! stands in for the one the install step would build (`JOURNEY_CONFORMANCE_BIN`).

use super::{command, password, read, scratch, target, BIN};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/action-run.sh");

/// One GitHub step: its working directory (the workspace), the step's files and the step's exit code.
struct Step {
    workspace: PathBuf,
    code: Option<i32>,
    log: String,
}

impl Step {
    fn outputs(&self) -> HashMap<String, String> {
        read(&self.workspace.join("github-output"))
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect()
    }

    fn summary(&self) -> String {
        read(&self.workspace.join("step-summary"))
    }
}

/// Runs `scripts/action-run.sh SUBCOMMAND` with the target's variables and these inputs.
fn step(name: &str, subcommand: &str, target: &HashMap<String, String>, inputs: &[(&str, &str)]) -> Step {
    let workspace = scratch(name);
    let mut env = target.clone();
    for (k, v) in [
        ("GITHUB_OUTPUT", workspace.join("github-output")),
        ("GITHUB_STEP_SUMMARY", workspace.join("step-summary")),
        ("GITHUB_WORKSPACE", workspace.clone()),
        ("GITHUB_ACTION_PATH", Path::new(env!("CARGO_MANIFEST_DIR")).join("..")),
    ] {
        env.insert(k.into(), v.to_string_lossy().into_owned());
    }
    env.insert("JOURNEY_CONFORMANCE_BIN".into(), BIN.into());
    env.extend(inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let out = command("bash", &env).arg(SCRIPT).arg(subcommand).current_dir(&workspace).output().expect("run bash");
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    Step { workspace, code: out.status.code(), log }
}

/// No file the step wrote holds the password.
fn leaks_nothing(step: &Step, password: &str) {
    let mut files = vec![step.workspace.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).expect("list").map(|e| e.expect("entry").path()));
        } else {
            let bytes = std::fs::read(&path).expect("read");
            assert!(!String::from_utf8_lossy(&bytes).contains(password), "{} holds the password", path.display());
        }
    }
    assert!(!step.log.contains(password), "the step's log holds the password");
}

#[test]
fn a_failing_deployment_gets_a_summary_an_artifact_directory_and_outputs() {
    let env = target(&["status-405"]);
    let inputs = [
        ("INPUT_FAMILIES", " methods, ids\n"),
        ("INPUT_CASES", "methods/wrong-method/*,\n methods/non-route/*"),
        ("INPUT_REPORTS", "sarif, junit"),
        ("INPUT_REPORT_DIR", "out/journey"),
        ("INPUT_CONCURRENCY", "4"),
        ("INPUT_PROFILE", "documented"),
        ("INPUT_READ_ONLY", "true"),
    ];
    assert_eq!(step("action-install", "install", &env, &inputs).code, Some(0), "a given binary is not rebuilt");
    let run = step("action-fail", "run", &env, &inputs);
    assert_eq!(run.code, Some(1), "{}", run.log);
    let outputs = run.outputs();
    assert_eq!(outputs.get("exit-code").map(String::as_str), Some("1"), "{outputs:?}");
    let must: usize = outputs["must-failures"].parse().expect("a count of MUST failures");
    assert!(must > 0, "{outputs:?}");
    assert_eq!(outputs["should-findings"], "0", "{outputs:?}");
    assert_eq!(outputs["sarif"], "out/journey/results.sarif");
    assert_eq!(outputs["report-dir"], "out/journey");
    let dir = run.workspace.join("out/journey");
    for file in ["summary.md", "results.sarif", "junit.xml", "output.txt"] {
        assert!(dir.join(file).is_file(), "the artifact directory lacks {file}: {}", run.log);
    }
    super::sarif::valid(&dir.join("results.sarif"));
    let summary = run.summary();
    assert_eq!(summary, read(&dir.join("summary.md")), "the step summary is the Markdown report");
    assert!(summary.starts_with("## ❌ journey-conformance: ") && summary.contains("### Findings"), "{summary}");
    assert!(summary.contains(&format!("{must} failed")) || summary.contains(" failed"), "{summary}");
    leaks_nothing(&run, password(&env));
    let _ = std::fs::remove_dir_all(&run.workspace);
}

#[test]
fn a_clean_deployment_passes_and_a_baseline_round_trips_through_the_inputs() {
    let env = target(&[]);
    let inputs = [("INPUT_CASES", "methods/wrong-method/*"), ("INPUT_WRITE_BASELINE", "journey-baseline.json")];
    let run = step("action-clean", "run", &env, &inputs);
    assert_eq!(run.code, Some(0), "{}", run.log);
    let outputs = run.outputs();
    assert_eq!((outputs["exit-code"].as_str(), outputs["must-failures"].as_str()), ("0", "0"), "{outputs:?}");
    assert_eq!(outputs["sarif"], "journey-report/results.sarif", "sarif is among the default reports");
    assert!(run.summary().starts_with("## ✅ journey-conformance: "), "{}", run.summary());
    assert!(run.workspace.join("journey-baseline.json").is_file(), "{}", run.log);
    assert!(run.workspace.join("journey-report/report.html").is_file());
    leaks_nothing(&run, password(&env));
    let _ = std::fs::remove_dir_all(&run.workspace);
}

#[test]
fn a_setup_error_says_why_in_the_summary_and_a_long_summary_is_cut_below_the_limit() {
    let mut env = target(&[]);
    env.insert("JOURNEY_API_URL".into(), "ftp://nowhere/api/v4/x".into());
    let run = step("action-setup-error", "run", &env, &[]);
    assert_eq!(run.code, Some(2), "{}", run.log);
    assert_eq!(run.outputs()["exit-code"], "2");
    let summary = run.summary();
    assert!(
        summary.starts_with("## ❌ journey-conformance did not run (exit 2)") && summary.contains("JOURNEY_API_URL"),
        "{summary}"
    );
    let _ = std::fs::remove_dir_all(&run.workspace);

    let env = target(&["status-405"]);
    let limit = 3000;
    let run =
        step("action-cut", "run", &env, &[("INPUT_FAMILIES", "methods"), ("JOURNEY_ACTION_SUMMARY_LIMIT", "3000")]);
    assert_eq!(run.code, Some(1), "{}", run.log);
    let summary = run.summary();
    assert!(read(&run.workspace.join("journey-report/summary.md")).len() > limit, "the test needs a longer summary");
    assert!(summary.len() < limit + 200 && summary.contains("_Cut at 3000 of "), "{summary}");
    let _ = std::fs::remove_dir_all(&run.workspace);
}

/// `action.yml` and the script agree, and no input reaches shell text: every `run:` is a fixed command,
/// every `${{ inputs.X }}` names a declared input, every `INPUT_*` the script reads is mapped by the step
/// that runs it, and every output reads a key the script writes.
#[test]
fn action_yml_maps_inputs_through_env_only_and_matches_the_script() {
    let yml = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../action.yml"));
    let action: serde_json::Value = serde_norway::from_str(&yml).expect("action.yml is YAML");
    let script = read(Path::new(SCRIPT));
    let declared: Vec<&str> = action["inputs"].as_object().expect("inputs").keys().map(String::as_str).collect();
    for used in yml.split("inputs.").skip(1).map(|t| t.split([' ', '}']).next().unwrap_or("")) {
        assert!(declared.contains(&used), "inputs.{used} is not declared");
    }
    let read_by_script: std::collections::BTreeSet<&str> = script
        .split("INPUT_")
        .skip(1)
        .map(|t| t.split(|c: char| !(c.is_ascii_uppercase() || c == '_')).next().unwrap_or(""))
        .filter(|name| !name.is_empty())
        .collect();
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let mut mapped = std::collections::BTreeSet::new();
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "an expression in shell text: {run}");
            assert!(run.contains("$GITHUB_ACTION_PATH/scripts/action-run.sh"), "{run}");
        }
        if let Some(env) = step["env"].as_object() {
            mapped.extend(env.keys().filter_map(|k| k.strip_prefix("INPUT_")).map(String::from));
            for secret in ["JOURNEY_API_PASSWORD", "JOURNEY_API_TOKEN", "JOURNEY_API_PASSWORD_2", "JOURNEY_API_TOKEN_2"]
            {
                assert!(env.get(secret).is_some(), "{secret} reaches the step through env");
            }
        }
    }
    for name in &read_by_script {
        assert!(mapped.contains(*name), "the script reads INPUT_{name}, which no step maps");
    }
    for (name, output) in action["outputs"].as_object().expect("outputs") {
        let value = output["value"].as_str().unwrap_or_default();
        let key = value.trim_start_matches("${{ steps.run.outputs.").trim_end_matches(" }}");
        assert!(script.contains(&format!("echo \"{key}=")), "output {name} reads {key}, which the script never writes");
    }
}
