//! The main job: run every case against the configured target (the embedded reference by default),
//! print a per-family summary and every failure. Exit 0: all passed; 1: a case failed; 2: configuration
//! or setup error.

use journey_conformance::config::{Settings, TargetSpec};
use journey_conformance::report;
use journey_conformance::run::Run;
use journey_conformance::session::Session;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("journey-conformance: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(main_job(settings))
}

async fn main_job(settings: Settings) -> ExitCode {
    let started = Instant::now();
    let embedded = settings.target == TargetSpec::Embedded;
    let session = match Session::start(settings).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("journey-conformance: {e}");
            return ExitCode::from(2);
        }
    };
    let run = Run::new(session);
    let session = &run.session;
    println!(
        "journey-conformance: target {}{} · profile {:?} · object type `{}` · {} cases",
        session.primary.base_url(),
        if embedded { " (embedded reference)" } else { "" },
        session.settings.profile,
        session.ctx.object_type,
        run.cases.len()
    );
    let results = run.all().await;
    let mut failures = 0;
    for case in &run.cases {
        if let Some(result) = results.get(&case.id).filter(|r| !r.ok()) {
            failures += 1;
            println!("{}", report::failure(session, case, result));
        }
    }
    println!("{}", report::summary(&report::tally(&run.cases, &results)));
    if let Err(e) = session.teardown().await {
        eprintln!("journey-conformance: {e}");
    }
    println!("finished in {:.2}s", started.elapsed().as_secs_f64());
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
