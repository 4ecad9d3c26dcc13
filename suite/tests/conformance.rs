//! `cargo test` harness: every case is its own test, named by its case ID (filter with
//! `cargo test -p journey-conformance --test conformance -- methods/`), plus one snapshot test per family.
//! Libtest runs trials on its own few threads, so the cases the selected trials need are sent ahead on
//! the runtime, `JOURNEY_API_CONCURRENCY` at a time, and each trial awaits its memoised result.

#[path = "harness/plan.rs"]
mod plan;

use journey_conformance::case::Family;
use journey_conformance::config::{Settings, TargetSpec};
use journey_conformance::oracle::Status;
use journey_conformance::report;
use journey_conformance::run::Run;
use journey_conformance::session::{Session, TEARDOWN};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Where snapshots live: `JOURNEY_SNAPSHOT_DIR`, else the committed reference snapshots when the
/// target is the embedded reference; a foreign target without its own directory skips them.
fn snapshot_dir(settings: &Settings) -> Option<PathBuf> {
    match std::env::var_os("JOURNEY_SNAPSHOT_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None if settings.target == TargetSpec::Embedded => {
            Some(PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../snapshots")))
        }
        None => None,
    }
}

/// The session-level steps (teardown's, or all others) as one test: failed when one fails the run,
/// their non-strict findings printed.
fn session_steps(session: &Session, teardown: bool) -> Result<(), Failed> {
    let mut failed = Vec::new();
    for (id, verdict) in session.step_verdicts().into_iter().filter(|(id, _)| id.starts_with(TEARDOWN) == teardown) {
        let story = report::session_step(session, &id, &verdict);
        if verdict.status().fails_run() {
            failed.push(story);
        } else {
            println!("{story}");
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failed::from(failed.join("\n")))
    }
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let snapshots = snapshot_dir(&settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("journey-conformance: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let session = match runtime.block_on(Session::start(settings)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let run = Arc::new(Run::new(session));
    let mut trials = Vec::with_capacity(run.cases.len() + Family::ALL.len());
    for (index, case) in run.cases.iter().enumerate() {
        let skip = journey_conformance::runner::skip_reason(&run.session, case);
        let (run, handle) = (Arc::clone(&run), runtime.handle().clone());
        let trial = Trial::test(case.id.clone(), move || {
            let result = handle.block_on(run.result(index));
            match result.status() {
                // Only SHOULDs broken: said, not failed (under `--profile strict` the oracle made it a failure).
                Status::NonStrict => {
                    println!("{}", report::failure(&run.session, &run.cases[index], &result));
                    Ok(())
                }
                _ if result.ok() => Ok(()),
                _ => Err(Failed::from(report::failure(&run.session, &run.cases[index], &result))),
            }
        });
        trials.push(trial.with_kind(case.family.as_str()).with_ignored_flag(skip.is_some()));
    }
    // The session's own set-up answers, judged like a case's; teardown's are judged after the trials.
    let setup = Arc::clone(&run);
    trials.push(Trial::test("session/setup", move || session_steps(&setup.session, false)).with_kind("session"));
    // Opt-in families depend on the target's limit, so they keep no snapshot.
    for family in Family::ALL.into_iter().filter(|f| !f.opt_in()) {
        let (run, handle, dir) = (Arc::clone(&run), runtime.handle().clone(), snapshots.clone());
        let trial = Trial::test(format!("{}{family}", plan::SNAPSHOT_PREFIX), move || {
            let Some(dir) = dir else { return Ok(()) };
            let text = handle.block_on(run.family_snapshot(family));
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(dir);
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            settings.set_description(format!("family {family}: case-id  expected  observed  verdict"));
            settings.bind(|| insta::assert_snapshot!(family.as_str(), text));
            Ok(())
        });
        trials.push(trial.with_kind("snapshot").with_ignored_flag(snapshots.is_none()));
    }
    let ahead = plan::needed(&args, &trials, run.cases.len());
    let driver = runtime.spawn({
        let run = Arc::clone(&run);
        async move { run.compute(ahead).await }
    });
    let conclusion = libtest_mimic::run(&args, trials);
    // Every needed case was awaited by its trial; this only makes sure none still runs during teardown.
    let _ = runtime.block_on(driver);
    // Said once: a run whose failures mostly share one unexpected answer is probably misconfigured.
    for warning in journey_conformance::warnings::warnings(&run.cases, &run.computed()) {
        eprintln!("journey-conformance: warning: {warning}");
    }
    // And once more, by cause: the one thing to fix behind many failed trials.
    let found = journey_conformance::cli::findings::group(&run.cases, &run.computed());
    let records = journey_conformance::reports::findings::records(&run.session, &run.cases, &found);
    eprint!("{}", journey_conformance::reports::findings::text(&records));
    for line in run.session.client.summary_lines() {
        eprintln!("journey-conformance: {line}");
    }
    if let Err(e) = runtime.block_on(run.session.teardown()) {
        eprintln!("journey-conformance: {e}");
    }
    if let Err(failed) = session_steps(&run.session, true) {
        eprintln!("{}", failed.message().unwrap_or_default());
        return ExitCode::from(101);
    }
    if snapshots.is_none() {
        eprintln!(
            "journey-conformance: snapshots skipped for a foreign target; set JOURNEY_SNAPSHOT_DIR to keep your own"
        );
    }
    conclusion.exit_code()
}
