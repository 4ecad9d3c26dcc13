//! The `cargo test` harness (`tests/conformance.rs`) as a user's terminal sees it: one finding per cause.
//! A deployment whose every error body is labelled `text/html` (one SHOULD cause on every error) prints
//! fewer than 150 lines and names the cause; one MUST deviation on every route prints three lines per
//! failed trial, all of them libtest's framing (the finding, an example, the cases and the replay command
//! are in the block), and the findings block last. The harness is the `conformance` test binary of this
//! build, found beside this one.

use super::{command, password, target};
use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::{self, Next};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Output;

/// The `conformance` harness built with this test (cargo puts test binaries side by side in `deps/`).
fn harness() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let deps = exe.parent().expect("deps directory");
    let candidates = std::fs::read_dir(deps).expect("list deps").filter_map(Result::ok).filter(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        name.strip_prefix("conformance-").is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let newest = candidates.map(|e| e.path()).max_by_key(|p| modified(p));
    let build = "build it with this test: cargo test -p journey-conformance --no-run";
    let harness = newest.unwrap_or_else(|| panic!("no conformance harness in {}: {build}", deps.display()));
    // `cargo test --test ci` alone builds no harness: one older than its own sources is stale.
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut sources = vec![tests.join("conformance.rs")];
    sources.extend(
        std::fs::read_dir(tests.join("harness")).expect("harness sources").filter_map(|e| Some(e.ok()?.path())),
    );
    let built = modified(&harness);
    if let Some(newer) = sources.iter().find(|s| modified(s) > built) {
        panic!("{} is older than {}: {build}", harness.display(), newer.display());
    }
    harness
}

/// Runs the harness with libtest `args` against `env`; returns its output and all it printed.
fn run(args: &[&str], env: &HashMap<String, String>) -> (Output, String, String) {
    let out = command(harness().to_str().expect("a UTF-8 path"), env).args(args).output().expect("run the harness");
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(!stdout.contains(password(env)) && !stderr.contains(password(env)), "a password was printed");
    (out, stdout, stderr)
}

/// The reference with every error body labelled `text/html` (the JSON itself unchanged).
fn html_labelled() -> HashMap<String, String> {
    super::serve(|app, _| {
        app.layer(middleware::from_fn(|req: Request<Body>, next: Next| async {
            let mut resp = next.run(req).await;
            if resp.status().as_u16() >= 400 {
                resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
            }
            resp
        }))
    })
}

/// `(passed, failed)` from libtest's summary line.
fn counts(stdout: &str) -> (usize, usize) {
    let line = stdout.lines().find(|l| l.starts_with("test result: ")).expect("libtest's summary");
    let number = |word: &str| {
        line.split("; ")
            .find_map(|p| p.split('.').next_back()?.trim().strip_suffix(word)?.trim().parse().ok())
            .unwrap_or(0)
    };
    (number(" passed"), number(" failed"))
}

#[test]
fn one_should_cause_on_every_error_is_one_finding_in_under_150_lines() {
    let env = html_labelled();
    let (out, stdout, stderr) = run(&[], &env);
    let lines = stdout.lines().count() + stderr.lines().count();
    println!("{lines} lines\n{stdout}{stderr}");
    assert_eq!(out.status.code(), Some(0), "only a SHOULD is broken");
    assert!(lines < 150, "{lines} lines");
    let (passed, failed) = counts(&stdout);
    assert!(passed > 2000 && failed == 0, "{stdout}");
    let told = stdout.lines().filter(|l| l.starts_with("NON-STRICT ") && !l.starts_with("NON-STRICT session/"));
    assert_eq!(told.count(), 0, "a non-strict trial printed its story: {stdout}");
    assert!(!stdout.contains("repro:"), "a story was printed: {stdout}");
    let block = &stderr[stderr.find("FINDINGS: ").expect("a findings block")..];
    assert!(
        block.starts_with("FINDINGS: 1 ") && block.contains("text/html") && block.contains("TARGET-LEVEL"),
        "{block}"
    );
    assert!(
        block.trim_end().lines().last().is_some_and(|l| l.contains("MUST failures: 0 cases")),
        "the block is last: {stderr}"
    );
}

#[test]
fn one_must_deviation_on_every_route_is_three_lines_per_failed_trial_then_the_findings() {
    let env = target(&["status-405"]);
    let (out, stdout, stderr) = run(&[], &env);
    let (_, failed) = counts(&stdout);
    assert!(out.status.code() != Some(0) && failed > 100, "{stdout}");
    // libtest's framing of each failure: `---- id ----`, the message (none: the block names its finding),
    // a blank line, and the name in its closing list.
    let sections: Vec<&str> = stdout.split("\n---- ").skip(1).collect();
    assert_eq!(sections.len(), failed, "{stdout}");
    for section in &sections {
        let message: Vec<&str> = section.lines().skip(1).take_while(|l| !l.is_empty()).collect();
        assert!(message.is_empty(), "a failure whose finding is in the block says nothing more: {section}");
    }
    let block_start = stderr.find("FINDINGS: ").expect("a findings block");
    let block = stderr[block_start..].lines().count();
    let lines = stdout.lines().count() + stderr.lines().count();
    // Per failure three lines (`---- id ----`, a blank line, the name in the closing list); once, the
    // title, the line of dots, two `failures:` headings and the summary, with blank lines.
    let framing = 14;
    let before_block = stderr[..block_start].lines().count();
    println!("{lines} lines for {failed} failed trials; findings block {block} lines");
    assert!(lines <= 3 * failed + framing + block + before_block, "{lines} lines");
    assert!(before_block <= 5, "only notes before the block: {stderr}");
    // The block tells what each failure would have: the cause, an example with the answer, the cases, how to replay.
    let findings = &stderr[block_start..];
    assert!(findings.contains("got 405 ROUTE_ERROR") || findings.contains("observed 405"), "{findings}");
    assert!(
        findings.contains("  e.g.:") && findings.contains("  cases:") && findings.contains("replay F-"),
        "{findings}"
    );
}

#[test]
fn verbose_tells_the_whole_story_and_a_baseline_passes_accepted_findings() {
    let env = target(&["status-405"]);
    let filter = "methods/wrong-method/DELETE-";
    let mut verbose = env.clone();
    verbose.insert("JOURNEY_API_VERBOSE".into(), "1".into());
    let (_, stdout, _) = run(&[filter], &verbose);
    assert!(stdout.contains("  repro:    curl") && stdout.contains("  spec:     "), "{stdout}");

    let dir = super::scratch("harness-baseline");
    let file = dir.join("baseline.json");
    let mut write = env.clone();
    write.insert("JOURNEY_API_WRITE_BASELINE".into(), file.to_string_lossy().into_owned());
    let (out, _, stderr) = run(&[filter], &write);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr.contains("baseline: ") && file.is_file(), "{stderr}");
    let mut known = env.clone();
    known.insert("JOURNEY_API_BASELINE".into(), file.to_string_lossy().into_owned());
    let (out, stdout, stderr) = run(&[filter], &known);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("BASELINE: ") && stderr.contains(" known, 0 new, 0 fixed"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
