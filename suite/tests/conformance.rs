//! `cargo test` harness: every case is its own test, named by its case ID (filter with
//! `cargo test -p journey-conformance --test conformance -- methods/`), plus one snapshot test per family.

use journey_conformance::case::Family;
use journey_conformance::config::{Settings, TargetSpec};
use journey_conformance::report;
use journey_conformance::run::Run;
use journey_conformance::session::Session;
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
            if result.ok() {
                Ok(())
            } else {
                Err(Failed::from(report::failure(&run.session, &run.cases[index], &result)))
            }
        });
        trials.push(trial.with_kind(case.family.as_str()).with_ignored_flag(skip.is_some()));
    }
    for family in Family::ALL {
        let (run, handle, dir) = (Arc::clone(&run), runtime.handle().clone(), snapshots.clone());
        let trial = Trial::test(format!("snapshots/{family}"), move || {
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
    // The rate-limit checks burst past the target's limit on purpose: listed always, run only when
    // JOURNEY_API_RATE_LIMIT_FAMILY=1; both come from one burst, run once.
    let rate_checks = Arc::new(tokio::sync::OnceCell::new());
    let rate_limit_family = run.session.settings.rate_limit_family;
    for (i, id) in journey_conformance::ratelimit::IDS.iter().enumerate() {
        let (run, handle, checks) = (Arc::clone(&run), runtime.handle().clone(), Arc::clone(&rate_checks));
        let trial = Trial::test(id.to_string(), move || {
            let results = handle.block_on(checks.get_or_init(|| journey_conformance::ratelimit::check(&run.session)));
            let Some(r) = results.get(i) else { return Err(Failed::from("no result")) };
            if r.ok() {
                return Ok(());
            }
            let head = report::headline(&r.id, &r.verdict);
            let broken: Vec<String> =
                r.verdict.violations().iter().map(|v| format!("  broken:   [{}] {}", v.rule, v.message)).collect();
            let secrets = run.session.primary.secrets();
            Err(Failed::from(report::redact(
                &format!("{head}\n  observed: {}\n{}", r.verdict.observed, broken.join("\n")),
                &secrets,
            )))
        });
        trials.push(trial.with_kind("rate-limit").with_ignored_flag(!rate_limit_family));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // Said once: a run whose failures mostly share one unexpected answer is probably misconfigured.
    for warning in journey_conformance::warnings::warnings(&run.cases, &run.computed()) {
        eprintln!("journey-conformance: warning: {warning}");
    }
    if let Err(e) = runtime.block_on(run.session.teardown()) {
        eprintln!("journey-conformance: {e}");
    }
    if snapshots.is_none() {
        eprintln!(
            "journey-conformance: snapshots skipped for a foreign target; set JOURNEY_SNAPSHOT_DIR to keep your own"
        );
    }
    conclusion.exit_code()
}
