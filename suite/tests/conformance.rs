//! `cargo test` harness: every case is its own test, named by its case ID (filter with
//! `cargo test -p journey-conformance --test conformance -- methods/`), plus one snapshot test per family.
//!
//! - Listing (`-- --list`, as nextest does) starts no session and writes nothing: the target's data model
//!   is the only request.
//! - Under libtest, trials run on its own few threads, so the cases the selected trials need are sent
//!   ahead on the runtime, `JOURNEY_API_CONCURRENCY` at a time, and each trial awaits its memoised result.
//! - Under `cargo nextest run` (one process per test), the processes of one run share one session: the
//!   first runs the whole plan and tears down, the others read its outcome (`harness/shared.rs`).
//!
//! One finding per cause (`harness/brief.rs`): libtest prints one character per trial (`--format terse`
//! unless a format is asked for), a failed trial's message is three lines, a passing non-strict trial
//! prints nothing, and the findings block comes last on stderr; `JOURNEY_API_VERBOSE=1` prints the full
//! stories, `JOURNEY_API_BASELINE` passes trials that fail only through accepted findings.
//!
//! A skipped case never passes: run anyway (`--include-ignored`), it fails with its reason. SIGINT or
//! SIGTERM stops sending cases; teardown still runs, and the process exits 130 (3 when teardown left
//! objects behind, with their IDs and the `cleanup --run-id` command).

#[path = "harness/brief.rs"]
mod brief;
#[path = "harness/plan.rs"]
mod plan;
#[path = "harness/shared.rs"]
mod shared;

use journey_conformance::cli::dispatch::{EXIT_INTERRUPTED, EXIT_LEFT_BEHIND, EXIT_SETUP};
use journey_conformance::cli::signal::Signals;
use journey_conformance::config::{Settings, TargetSpec};
use journey_conformance::declare::case::Family;
use journey_conformance::oracle::Status;
use journey_conformance::report::terminal;
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::{skip_reason, CaseResult};
use journey_conformance::run::session::{Session, TEARDOWN};
use libtest_mimic::{Arguments, Failed, Trial};
use shared::{CaseOutcome, Outcome, RunDir};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Why a snapshot trial is skipped (ignored) for a foreign target; run anyway, it fails with this.
const NO_SNAPSHOTS: &str =
    "skipped, not passed: no snapshots for a foreign target; set JOURNEY_SNAPSHOT_DIR to keep your own";
/// The trial of the session's own set-up answers.
const SETUP_TRIAL: &str = "session/setup";
/// The trial of teardown's answers and leftovers, under nextest (under libtest they decide the exit code).
const TEARDOWN_TRIAL: &str = "session/teardown";

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

/// The stories of the session-level steps (teardown's, or all others) that fail the run, joined; their
/// non-strict findings are printed.
fn failing_steps(session: &Session, teardown: bool) -> Option<String> {
    let mut failed = Vec::new();
    for (id, verdict) in session.step_verdicts().into_iter().filter(|(id, _)| id.starts_with(TEARDOWN) == teardown) {
        let story = terminal::session_step(session, &id, &verdict);
        if verdict.status().fails_run() {
            failed.push(story);
        } else if brief::verbose() {
            println!("{story}");
        } else {
            println!("{}", brief::step_line(&id, &verdict));
        }
    }
    (!failed.is_empty()).then(|| failed.join("\n"))
}

/// A trial's verdict from a case's status: a non-strict case passes with its story printed, a skipped
/// one that runs anyway (`--include-ignored`, or an interrupt) fails with its reason.
fn verdict(status: Status, story: impl FnOnce() -> Option<String>, skip: Option<&str>) -> Result<(), Failed> {
    match status {
        Status::Pass => Ok(()),
        // Its finding is in the block at the end; the story only when asked for.
        Status::NonStrict => {
            if let Some(story) = story().filter(|_| brief::verbose()) {
                println!("{story}");
            }
            Ok(())
        }
        Status::Skip => {
            Err(Failed::from(format!("skipped, not passed: {}", skip.unwrap_or("the case cannot run here"))))
        }
        Status::Fail | Status::Inconclusive => Err(story().map_or_else(Failed::without_message, Failed::from)),
    }
}

/// Compares one family's snapshot text with its committed snapshot in `dir`.
fn assert_snapshot(dir: PathBuf, family: Family, text: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_description(format!("family {family}: case-id  expected  observed  verdict"));
    settings.bind(|| insta::assert_snapshot!(family.as_str(), text));
}

/// The families with a snapshot trial: opt-in families depend on the target's limit, so they keep none.
fn snapshot_families() -> impl Iterator<Item = Family> {
    Family::ALL.into_iter().filter(|f| !f.opt_in())
}

fn main() -> ExitCode {
    let mut args = Arguments::from_args();
    // One character per trial: thousands of `test … ok` lines would bury the findings.
    if args.format.is_none() && !args.quiet {
        args.format = Some(libtest_mimic::FormatSetting::Terse);
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let snapshots = snapshot_dir(&settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("journey-conformance: cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let nextest = shared::nextest_run();
    if args.list {
        return list(&args, &runtime, settings, snapshots.is_none(), nextest.is_some());
    }
    match nextest {
        Some(run) => shared_run(&args, &runtime, settings, snapshots, &run),
        None => own_run(&args, &runtime, settings, snapshots),
    }
}

/// `--list`: the trials a run would have, from a session that only reads the data model.
fn list(
    args: &Arguments,
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    no_snapshots: bool,
    nextest: bool,
) -> ExitCode {
    let session = match runtime.block_on(Session::listing(settings)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let run = Run::new(session);
    let mut trials: Vec<Trial> = run
        .cases
        .iter()
        .map(|c| {
            let ignored = skip_reason(&run.session, c).is_some();
            Trial::test(c.id.clone(), || Ok(())).with_kind(c.family.as_str()).with_ignored_flag(ignored)
        })
        .collect();
    trials.push(Trial::test(SETUP_TRIAL, || Ok(())).with_kind("session"));
    for family in snapshot_families() {
        let trial = Trial::test(format!("{}{family}", plan::SNAPSHOT_PREFIX), || Ok(()));
        trials.push(trial.with_kind("snapshot").with_ignored_flag(no_snapshots));
    }
    if nextest {
        trials.push(Trial::test(TEARDOWN_TRIAL, || Ok(())).with_kind("session"));
    }
    libtest_mimic::run(args, trials).exit_code()
}

/// A libtest run: one session for this process, the cases its selected trials need sent ahead.
fn own_run(
    args: &Arguments,
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    snapshots: Option<PathBuf>,
) -> ExitCode {
    let accepted = match brief::baseline() {
        Ok(b) => Arc::new(b),
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let signals = runtime.block_on(async { Signals::listen(String::new) });
    let session = match runtime.block_on(Session::start(settings)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let run = Arc::new(Run::new(session));
    runtime.block_on(async { signals.interrupt_on_first(Arc::clone(&run.session)) });
    let mut trials = Vec::with_capacity(run.cases.len() + Family::ALL.len() + 1);
    for (index, case) in run.cases.iter().enumerate() {
        let skip = skip_reason(&run.session, case);
        let (run, handle, accepted) = (Arc::clone(&run), runtime.handle().clone(), Arc::clone(&accepted));
        let trial = Trial::test(case.id.clone(), move || {
            let result: CaseResult = handle.block_on(run.result(index));
            let case = &run.cases[index];
            if result.status().fails_run() && brief::accepted(&run.session, case, &result, accepted.as_ref().as_ref()) {
                return Ok(());
            }
            let story = || brief::trial_message(&run.session, case, &result);
            verdict(result.status(), story, result.skipped.as_deref())
        });
        trials.push(trial.with_kind(case.family.as_str()).with_ignored_flag(skip.is_some()));
    }
    // The session's own set-up answers, judged like a case's; teardown's are judged after the trials.
    let setup = Arc::clone(&run);
    trials.push(
        Trial::test(SETUP_TRIAL, move || failing_steps(&setup.session, false).map_or(Ok(()), |s| Err(s.into())))
            .with_kind("session"),
    );
    for family in snapshot_families() {
        let (run, handle, dir) = (Arc::clone(&run), runtime.handle().clone(), snapshots.clone());
        let trial = Trial::test(format!("{}{family}", plan::SNAPSHOT_PREFIX), move || {
            let Some(dir) = dir else { return Err(Failed::from(NO_SNAPSHOTS)) };
            assert_snapshot(dir, family, handle.block_on(terminal::run_family_snapshot(&run, family)));
            Ok(())
        });
        trials.push(trial.with_kind("snapshot").with_ignored_flag(snapshots.is_none()));
    }
    let ahead = plan::needed(args, &trials, run.cases.len());
    let driver = runtime.spawn({
        let run = Arc::clone(&run);
        async move { run.compute(ahead).await }
    });
    let conclusion = libtest_mimic::run(args, trials);
    // Every needed case was awaited by its trial; this only makes sure none still runs during teardown.
    let _ = runtime.block_on(driver);
    let teardown = runtime.block_on(run.session.teardown_report());
    let mut code = conclusion.exit_code();
    if let Some(failed) = failing_steps(&run.session, true) {
        eprintln!("{failed}");
        code = ExitCode::from(101);
    }
    if snapshots.is_none() {
        eprintln!(
            "journey-conformance: snapshots skipped for a foreign target; set JOURNEY_SNAPSHOT_DIR to keep your own"
        );
    }
    if !teardown.clean() {
        eprint!("{}", journey_conformance::redact::redact(&teardown.story(), &run.session.every_secret()));
        code = ExitCode::from(EXIT_LEFT_BEHIND);
    } else if signals.received() {
        eprintln!("journey-conformance: interrupted; teardown ran");
        code = ExitCode::from(EXIT_INTERRUPTED);
    }
    // The pace learned from 429s and the outages waited out: why the run took as long as it did.
    for line in run.session.client.summary_lines() {
        eprintln!("journey-conformance: {line}");
    }
    // Last, after libtest's summary and teardown: what the reader acts on.
    eprint!("{}", brief::block(&run, accepted.as_ref().as_ref()));
    code
}

/// A nextest process: the run's outcome, computed by whichever process of the run took the lock first.
fn shared_run(
    args: &Arguments,
    runtime: &tokio::runtime::Runtime,
    settings: Settings,
    snapshots: Option<PathBuf>,
    run: &str,
) -> ExitCode {
    let dir = match RunDir::open(run) {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("journey-conformance: cannot open the nextest run directory for {run}: {e}");
            return ExitCode::from(EXIT_SETUP);
        }
    };
    let (outcome, led) = {
        let _lock = match dir.lock() {
            Ok(lock) => lock,
            Err(e) => {
                eprintln!("journey-conformance: cannot lock {}: {e}", dir.path().display());
                return ExitCode::from(EXIT_SETUP);
            }
        };
        match dir.read() {
            Some(outcome) => (outcome, false),
            None => {
                let outcome = lead(runtime, settings, snapshots.is_some(), &dir);
                if let Err(e) = dir.write(&outcome) {
                    eprintln!("journey-conformance: cannot write {}: {e}", dir.path().display());
                }
                (outcome, true)
            }
        }
    };
    if let Some(e) = &outcome.setup_error {
        eprintln!("journey-conformance: {e}");
        return ExitCode::from(EXIT_SETUP);
    }
    let outcome = Arc::new(outcome);
    let mut trials = Vec::with_capacity(outcome.cases.len() + Family::ALL.len() + 2);
    for (index, case) in outcome.cases.iter().enumerate() {
        let shared = Arc::clone(&outcome);
        let trial = Trial::test(case.id.clone(), move || {
            let case = &shared.cases[index];
            let story = || Some(case.story.clone().unwrap_or_else(|| format!("{} {}", case.status, case.id)));
            verdict(status_of(&case.status), story, case.skip.as_deref())
        });
        trials.push(trial.with_kind(case.kind.clone()).with_ignored_flag(case.ignored));
    }
    let steps = |failed: Option<String>| move || failed.map_or(Ok(()), |s| Err(Failed::from(s)));
    trials.push(Trial::test(SETUP_TRIAL, steps(outcome.setup_failed.clone())).with_kind("session"));
    for family in snapshot_families() {
        let (shared, dir) = (Arc::clone(&outcome), snapshots.clone());
        let trial = Trial::test(format!("{}{family}", plan::SNAPSHOT_PREFIX), move || {
            let Some(dir) = dir else { return Err(Failed::from(NO_SNAPSHOTS)) };
            let text = shared.snapshots.iter().find(|(f, _)| f == family.as_str()).map(|(_, t)| t.clone());
            assert_snapshot(dir, family, text.unwrap_or_default());
            Ok(())
        });
        trials.push(trial.with_kind("snapshot").with_ignored_flag(snapshots.is_none()));
    }
    trials.push(Trial::test(TEARDOWN_TRIAL, steps(outcome.teardown_failed.clone())).with_kind("session"));
    let code = libtest_mimic::run(args, trials).exit_code();
    if led && outcome.interrupted {
        return ExitCode::from(EXIT_INTERRUPTED);
    }
    code
}

/// A status as `Status::as_str` spells it (an unknown word fails: it can only come from a damaged file).
fn status_of(word: &str) -> Status {
    [Status::Pass, Status::Fail, Status::Skip, Status::Inconclusive, Status::NonStrict]
        .into_iter()
        .find(|s| s.as_str() == word)
        .unwrap_or(Status::Fail)
}

/// The leading process of a nextest run: one session, every case, teardown; the outcome for all.
fn lead(runtime: &tokio::runtime::Runtime, settings: Settings, snapshots: bool, dir: &RunDir) -> Outcome {
    let accepted = match brief::baseline() {
        Ok(b) => b,
        Err(e) => return Outcome { setup_error: Some(e), ..Outcome::default() },
    };
    let signals = runtime.block_on(async { Signals::listen(String::new) });
    let session = match runtime.block_on(Session::start(settings)) {
        Ok(s) => s,
        Err(e) => return Outcome { setup_error: Some(e.to_string()), ..Outcome::default() },
    };
    let run = Arc::new(Run::new(session));
    runtime.block_on(async { signals.interrupt_on_first(Arc::clone(&run.session)) });
    runtime.block_on(run.compute(0..run.cases.len()));
    let cases = run
        .cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let result = runtime.block_on(run.result(index));
            let status = match result.status() {
                s if s.fails_run() && brief::accepted(&run.session, case, &result, accepted.as_ref()) => Status::Pass,
                s => s,
            };
            let told = status.fails_run() || status == Status::NonStrict;
            CaseOutcome {
                id: case.id.clone(),
                kind: case.family.as_str().to_string(),
                ignored: skip_reason(&run.session, case).is_some(),
                status: status.as_str().to_string(),
                story: told.then(|| brief::message(&run.session, case, &result)),
                skip: result.skipped.clone(),
            }
        })
        .collect();
    let snapshots = if snapshots {
        snapshot_families()
            .map(|f| (f.as_str().to_string(), runtime.block_on(terminal::run_family_snapshot(&run, f))))
            .collect()
    } else {
        Vec::new()
    };
    let setup_failed = failing_steps(&run.session, false);
    let notes = brief::block(&run, accepted.as_ref());
    let teardown = runtime.block_on(run.session.teardown_report());
    let left = (!teardown.clean())
        .then(|| journey_conformance::redact::redact(&teardown.story(), &run.session.every_secret()));
    let teardown_failed = match (failing_steps(&run.session, true), left) {
        (None, None) => None,
        (a, b) => Some([a, b].into_iter().flatten().collect::<Vec<_>>().join("\n")),
    };
    // Said once per nextest run, by the one process that ran the plan, and kept beside the outcome.
    let summary = format!(
        "{notes}journey-conformance: one session for nextest run (run {}): {} cases; outcome in {}\n",
        run.session.ctx.run_id,
        run.cases.len(),
        dir.path().display()
    );
    eprint!("{summary}");
    let _ = std::fs::write(dir.path().join("summary.txt"), &summary);
    Outcome {
        setup_error: None,
        run_id: run.session.ctx.run_id.clone(),
        cases,
        snapshots,
        setup_failed,
        teardown_failed,
        interrupted: signals.received(),
    }
}
