//! Listing is free: `journey-conformance list` and the harness's `--list` (libtest's and nextest's
//! formats) read the data model and nothing else, and `list` reads the same variables as `run`. A skipped
//! case run anyway never passes; and the project's self-tests ignore the caller's `JOURNEY_API_*`.

use super::{bin, clean_command, test_binary, text, Target};

/// The requests the target saw, each `METHOD path`.
fn requests(target: &Target) -> Vec<String> {
    target.switch.seen()
}

#[test]
fn list_reads_the_environment_and_only_the_data_model() {
    let target = Target::start();
    let out = bin(&target, &["list", "--family", "methods"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.lines().count() > 100 && stdout.lines().all(|l| l.starts_with("methods/")), "{stdout}");
    let datamodel = format!("GET /api/v4/{}/datamodel.json", target.env["JOURNEY_API_USER"]);
    assert_eq!(requests(&target), [datamodel], "the data model is the only request");
}

#[test]
fn the_harness_lists_in_both_formats_without_a_session() {
    let harness = test_binary("conformance");
    let target = Target::start();
    let datamodel = format!("GET /api/v4/{}/datamodel.json", target.env["JOURNEY_API_USER"]);
    let list = |args: &[&str]| {
        let before = requests(&target).len();
        let out = clean_command(&harness).args(args).envs(target.vars()).output().expect("run the harness");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
        assert_eq!(
            requests(&target)[before..],
            *std::slice::from_ref(&datamodel),
            "{args:?}: only the data model is read"
        );
        text(&out.stdout)
    };
    let plain = list(&["--list"]);
    assert!(plain.contains("methods/wrong-method/DELETE-objects-collection: test"), "{plain}");
    let terse = list(&["--list", "--format", "terse"]);
    let ignored = list(&["--list", "--format", "terse", "--ignored"]);
    assert!(terse.lines().count() > 2000, "every case is listed");
    // One account: the isolation cases cannot run, and are listed as ignored, never as runnable.
    assert!(ignored.lines().any(|l| l.starts_with("[accounts] accounts/")), "{ignored}");
    for line in ignored.lines() {
        assert!(terse.contains(line), "{line} is listed in both");
    }
}

#[test]
fn a_skipped_case_run_anyway_fails_instead_of_passing() {
    let harness = test_binary("conformance");
    let target = Target::start();
    let ignored = clean_command(&harness)
        .args(["--list", "--format", "terse", "--ignored"])
        .envs(target.vars())
        .output()
        .expect("list");
    let ignored = text(&ignored.stdout);
    let case = ignored
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(|l| l.split_once("] ").map_or(l, |(_, id)| id))
        .find(|id| !id.starts_with("snapshots/"))
        .unwrap_or_else(|| panic!("an ignored case: {ignored}"))
        .to_string();
    let out = clean_command(&harness)
        .args(["--include-ignored", "--exact", &case])
        .envs(target.vars())
        .output()
        .expect("run the harness");
    let stdout = text(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "{case} was counted as passed: {stdout}");
    assert!(stdout.contains("skipped, not passed: needs a second account"), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
    // A foreign target keeps no snapshots: its snapshot trials are ignored, and run anyway they fail.
    let out = clean_command(&harness)
        .args(["--include-ignored", "--exact", "snapshots/methods"])
        .envs(target.vars())
        .output()
        .expect("run the harness");
    let stdout = text(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "a skipped snapshot was counted as passed: {stdout}");
    assert!(stdout.contains("skipped, not passed: no snapshots for a foreign target"), "{stdout}");
}

#[test]
fn a_read_only_run_of_the_stateful_property_run_anyway_fails_and_writes_nothing() {
    let harness = test_binary("properties");
    let target = Target::start();
    let out = clean_command(&harness)
        .args(["--include-ignored", "--exact", "properties/stateful"])
        .envs(target.vars())
        .env("JOURNEY_API_READ_ONLY", "1")
        .output()
        .expect("run the harness");
    let stdout = text(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "a skipped property was counted as passed: {stdout}");
    assert!(stdout.contains("skipped, not passed: sequences write, and JOURNEY_API_READ_ONLY is set"), "{stdout}");
    let writes: Vec<String> = requests(&target).into_iter().filter(|r| !r.starts_with("GET ")).collect();
    assert!(writes.is_empty(), "read-only, yet it wrote: {writes:?}");
}

#[test]
fn self_tests_ignore_the_callers_journey_api_variables() {
    // What a user testing a deployment has set when running the README's command.
    let deployment = [
        ("JOURNEY_API_URL", "http://127.0.0.1:9/api/v4/deploymentacct"),
        ("JOURNEY_API_USER", "deploymentacct"),
        ("JOURNEY_API_PASSWORD", "deployment-password"),
        ("JOURNEY_API_URL_2", "http://127.0.0.1:9/api/v4/secondacct"),
        ("JOURNEY_API_USER_2", "secondacct"),
        ("JOURNEY_API_PASSWORD_2", "second-password"),
        ("JOURNEY_API_CONCURRENCY", "3"),
        ("JOURNEY_API_TEARDOWN_TIMEOUT", "2"),
    ];
    for name in ["setup_errors", "cli"] {
        let out = clean_command(test_binary(name)).envs(deployment).output().expect("run a self-test");
        assert!(out.status.success(), "{name} depends on the caller's variables:\n{}", text(&out.stdout));
    }
}

#[test]
fn the_properties_harness_lists_without_a_session_too() {
    let harness = test_binary("properties");
    let target = Target::start();
    let out = clean_command(&harness).args(["--list", "--format", "terse"]).envs(target.vars()).output().expect("list");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("properties/stateful: test"), "{}", text(&out.stdout));
    let datamodel = format!("GET /api/v4/{}/datamodel.json", target.env["JOURNEY_API_USER"]);
    assert_eq!(requests(&target), [datamodel], "only the data model is read");
}
