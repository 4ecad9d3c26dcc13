//! A target that goes down mid-run and never recovers: the binary exits 3, lists every object it left
//! with the command that deletes them later, and every report says so; once the target answers again,
//! that command (`cleanup --run-id`) deletes them.

use super::{bin, run_id_in, runs_of, scratch, text, Target, PASSWORD};
use std::sync::atomic::Ordering;

#[test]
fn a_target_that_never_recovers_exits_3_listing_what_cleanup_deletes_later() {
    let target = Target::start();
    target.switch.down_after.store(40, Ordering::SeqCst);
    let dir = scratch("left-behind");
    let dir_arg = dir.to_string_lossy().into_owned();
    // Never recovers: the run waits out an outage for 2 s, not the default two minutes, before it stops.
    let budget =
        [("JOURNEY_API_TEARDOWN_TIMEOUT", "1"), ("JOURNEY_API_TIMEOUT", "1"), ("JOURNEY_API_OUTAGE_BUDGET", "2")];
    let out = bin(
        &target,
        &["run", "--family", "side-effects", "--report", "md,html,junit,ndjson", "--report-dir", &dir_arg],
        &budget,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(3), "exit 3 when objects are left behind\n{stdout}\n{stderr}");
    assert!(stdout.contains("LEFT BEHIND: teardown deleted "), "{stdout}");
    let run_id = run_id_in(&stdout).unwrap_or_else(|| panic!("a cleanup command: {stdout}"));
    let command = format!("journey-conformance cleanup --run-id {run_id} --target {}", target.env["JOURNEY_API_URL"]);
    assert!(stdout.contains(&command), "{stdout}");

    // What the target holds is exactly what the run said it left.
    target.switch.down.store(false, Ordering::SeqCst);
    target.switch.down_after.store(0, Ordering::SeqCst);
    let left = target.marked_objects();
    assert!(!left.is_empty(), "the run created objects before the target went down");
    assert_eq!(runs_of(&left).len(), 1, "{left:?}");
    for (object_type, id, _) in &left {
        assert!(stdout.contains(&format!("  {object_type} {id}: ")), "{id} is listed: {stdout}");
    }
    for file in ["summary.md", "report.html", "junit.xml", "cases.ndjson"] {
        let report = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(report.contains(&run_id) && report.contains(&left[0].1), "{file} names the leftovers:\n{report}");
        assert!(!report.contains(PASSWORD), "{file} leaks the password");
    }
    let md = std::fs::read_to_string(dir.join("summary.md")).expect("md");
    assert!(md.starts_with("## ❌") && md.contains("objects LEFT BEHIND"), "{md}");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).expect("junit");
    assert!(
        junit.contains("name=\"session/teardown/left-behind\"") && junit.contains("type=\"left-behind\""),
        "{junit}"
    );
    let ndjson = std::fs::read_to_string(dir.join("cases.ndjson")).expect("ndjson");
    assert!(ndjson.lines().any(|l| l.contains("\"record\":\"left-behind\"")), "{ndjson}");
    assert!(std::fs::read_to_string(dir.join("report.html")).expect("html").contains("id=\"left-behind\""));
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));

    // Later: the printed command, with the same credentials in the environment, deletes them all.
    let out = bin(&target, &["cleanup", "--run-id", &run_id, "--target", &target.env["JOURNEY_API_URL"]], &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains(&format!("cleanup: run {run_id}: deleted {} objects, none left", left.len())), "{stdout}");
    assert!(target.marked_objects().is_empty(), "nothing of the run is left");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cargo_test_harness_exits_3_too_and_says_what_it_left() {
    let harness = super::test_binary("conformance");
    let target = Target::start();
    target.switch.down_after.store(40, Ordering::SeqCst);
    let out = super::clean_command(&harness)
        .args(["side-effects/"])
        .envs(target.vars())
        .envs([("JOURNEY_API_TEARDOWN_TIMEOUT", "1"), ("JOURNEY_API_TIMEOUT", "1"), ("JOURNEY_API_OUTAGE_BUDGET", "2")])
        .output()
        .expect("run the harness");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("LEFT BEHIND: teardown deleted ") && stderr.contains("cleanup --run-id "), "{stderr}");
    target.switch.down.store(false, Ordering::SeqCst);
    target.switch.down_after.store(0, Ordering::SeqCst);
    let left = target.marked_objects();
    assert!(!left.is_empty() && left.iter().all(|(_, id, _)| stderr.contains(id.as_str())), "{left:?}\n{stderr}");
}

#[test]
fn cleanup_without_a_target_or_with_a_bad_run_id_is_one_line_and_exit_2() {
    let target = Target::start();
    let out = bin(&target, &["cleanup", "--run-id", "a*"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("is not a run ID"), "{}", text(&out.stderr));
    let mut cmd = super::clean_command(super::BIN);
    let out = cmd.args(["cleanup", "--run-id", "0123abcd4567"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cleanup needs a target"), "{stderr}");
}
