//! SIGINT/SIGTERM mid-run: no case starts after it, the cases in flight finish, teardown deletes every
//! object the run made, the reports are written for what ran, and the process exits 130; for the binary
//! and for the `cargo test` harness alike.

use super::{clean_command, scratch, test_binary, text, Target, BIN};
use std::process::{Child, Stdio};
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

#[test]
fn sigint_mid_run_tears_down_writes_the_reports_and_exits_130() {
    let target = Target::start();
    target.switch.delay_ms.store(20, Ordering::SeqCst);
    let dir = scratch("sigint");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let reports = dir.join("reports");
    let mut child = clean_command(BIN)
        .args(["run", "--concurrency", "2", "--report", "md,html,junit,ndjson", "--report-dir"])
        .arg(&reports)
        .envs(target.vars())
        .stdout(Stdio::from(std::fs::File::create(&out).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(&err).expect("stderr file")))
        .spawn()
        .expect("start the binary");
    wait_for_requests(&target, 200);
    let sent_before = target.switch.requests.load(Ordering::SeqCst);
    signal(&child, "INT");
    let code = exit_code(&mut child, Duration::from_secs(60));
    let (stdout, stderr) =
        (std::fs::read_to_string(&out).unwrap_or_default(), std::fs::read_to_string(&err).unwrap_or_default());
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
    target.switch.delay_ms.store(20, Ordering::SeqCst);
    let dir = scratch("sigterm-harness");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = clean_command(&harness)
        .env_remove("NEXTEST_RUN_ID")
        .envs(target.vars())
        .stdout(Stdio::from(std::fs::File::create(&out).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(&err).expect("stderr file")))
        .spawn()
        .expect("start the harness");
    wait_for_requests(&target, 200);
    signal(&child, "TERM");
    let code = exit_code(&mut child, Duration::from_secs(60));
    let stderr = std::fs::read_to_string(&err).unwrap_or_default();
    let stdout = text(&std::fs::read(&out).unwrap_or_default());
    assert_eq!(code, Some(130), "{}\n{stderr}", stdout.lines().rev().take(20).collect::<Vec<_>>().join("\n"));
    assert!(stderr.contains("interrupted; teardown ran"), "{stderr}");
    assert!(stdout.contains("skipped, not passed: not sent: the run was interrupted"), "unsent cases never pass");
    assert!(target.marked_objects().is_empty(), "teardown deleted every object the run made");
    let _ = std::fs::remove_dir_all(&dir);
}
