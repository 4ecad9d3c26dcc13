//! SIGINT/SIGTERM mid-run: no case starts after it, the cases in flight finish, teardown deletes every
//! object the run made, the reports are written for what ran, and the process exits 130; for the binary
//! and for the `cargo test` harness alike.

use super::{clean_command, scratch, test_binary, text, Target, BIN};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Waits until the target has seen `n` requests (the run is well under way), at most a minute.
fn wait_for_requests(target: &Target, n: usize) {
    let started = Instant::now();
    while target.switch.requests.load(Ordering::SeqCst) < n {
        assert!(started.elapsed() < Duration::from_secs(60), "the run never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Sends `signal` to the child.
fn signal(child: &Child, signal: &str) {
    let status = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(status.is_ok_and(|s| s.success()), "kill -{signal}");
}

/// Waits for the child to exit, at most `limit`; returns its exit code.
fn exit_code(child: &mut Child, limit: Duration) -> Option<i32> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("still running {limit:?} after the signal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts `cmd` against a slowed `target` (20 ms an answer) with its output in `dir`, signals it with
/// `sig` once the run is under way, and returns its exit code, stdout and stderr, and the requests
/// seen before the signal.
fn interrupted(target: &Target, mut cmd: Command, dir: &Path, sig: &str) -> (Option<i32>, String, String, usize) {
    target.switch.delay_ms.store(20, Ordering::SeqCst);
    std::fs::create_dir_all(dir).expect("scratch dir");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = cmd
        .envs(target.vars())
        .stdout(Stdio::from(std::fs::File::create(&out).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(&err).expect("stderr file")))
        .spawn()
        .expect("start the command");
    wait_for_requests(target, 200);
    let before = target.switch.requests.load(Ordering::SeqCst);
    signal(&child, sig);
    let code = exit_code(&mut child, Duration::from_secs(60));
    let read = |path| text(&std::fs::read(path).unwrap_or_default());
    (code, read(&out), read(&err), before)
}

#[test]
fn sigint_mid_run_tears_down_writes_the_reports_and_exits_130() {
    let target = Target::start();
    let dir = scratch("sigint");
    let reports = dir.join("reports");
    let mut cmd = clean_command(BIN);
    cmd.args(["run", "--concurrency", "2", "--report", "md,html,junit,ndjson", "--report-dir"]).arg(&reports);
    let (code, stdout, stderr, sent_before) = interrupted(&target, cmd, &dir, "INT");
    assert_eq!(code, Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("interrupted: no new case starts"), "{stderr}");
    assert!(stdout.contains("INTERRUPTED: SIGINT/SIGTERM after "), "{stdout}");
    let total = target.switch.requests.load(Ordering::SeqCst);
    assert!(total < sent_before + 1000, "it stopped sending cases: {sent_before} before the signal, {total} in all");
    assert!(target.marked_objects().is_empty(), "teardown deleted every object the run made");
    for file in ["summary.md", "report.html", "junit.xml", "cases.ndjson"] {
        let report = std::fs::read_to_string(reports.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(report.contains("nterrupted"), "{file} says the run was interrupted");
    }
    let md = std::fs::read_to_string(reports.join("summary.md")).expect("md");
    assert!(md.lines().next().is_some_and(|l| l.contains(", interrupted")), "{md}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_mid_run_of_the_cargo_test_harness_still_tears_down_and_exits_130() {
    let harness = test_binary("conformance");
    let target = Target::start();
    let dir = scratch("sigterm-harness");
    let mut cmd = clean_command(&harness);
    cmd.env_remove("NEXTEST_RUN_ID");
    let (code, stdout, stderr, _) = interrupted(&target, cmd, &dir, "TERM");
    assert_eq!(code, Some(130), "{}\n{stderr}", stdout.lines().rev().take(20).collect::<Vec<_>>().join("\n"));
    assert!(stderr.contains("interrupted; teardown ran"), "{stderr}");
    assert!(stdout.contains("skipped, not passed: not sent: the run was interrupted"), "unsent cases never pass");
    assert!(target.marked_objects().is_empty(), "teardown deleted every object the run made");
    let _ = std::fs::remove_dir_all(&dir);
}
