//! `run`: every selected case against the target, progress while it runs, then on stdout the findings
//! (one per cause), the individual failures with `--verbose`, and a summary; report files on request.

use super::args::RunArgs;
use super::dispatch::setup_error;
use super::progress::Progress;
use crate::config::TargetSpec;
use crate::declare::case::Case;
use crate::oracle::Status;
use crate::report::record::{RunMeta, RunRecord};
use crate::report::terminal;
use crate::run::memo::Run;
use crate::run::runner::CaseResult;
use crate::run::session::{Session, TEARDOWN};
use futures::stream::{self, StreamExt};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

/// Runs the selected cases and writes the requested reports; returns the exit code.
pub async fn run(args: RunArgs) -> ExitCode {
    let started = Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut settings = match args.settings() {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    let baseline = match super::baseline_flags::read(&args) {
        Ok(b) => b,
        Err(e) => return setup_error(e),
    };
    // Naming an opt-in family is asking for it.
    settings.rate_limit_family |= args.select.family.iter().any(|f| f.opt_in());
    let embedded = settings.target == TargetSpec::Embedded;
    // Listening before set-up: from here on SIGINT/SIGTERM no longer kill the process mid-write.
    let run_id = Arc::new(std::sync::OnceLock::<String>::new());
    let signals = super::signal::Signals::listen({
        let run_id = Arc::clone(&run_id);
        move || match run_id.get() {
            Some(id) => {
                format!("Objects of run {id} may be left: `journey-conformance cleanup --run-id {id}` deletes them")
            }
            None => String::new(),
        }
    });
    let session = match Session::start(settings).await {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    let _ = run_id.set(session.ctx.run_id.clone());
    let mut run = Run::new(session);
    signals.interrupt_on_first(Arc::clone(&run.session));
    let selection = args.select.selection();
    run.retain(|c| selection.matches(c));
    let session = &run.session;
    if run.cases.is_empty() {
        let _ = session.teardown().await;
        return setup_error(format!("no case matches {}", selection.describe()));
    }
    println!(
        "journey-conformance: target {}{} · profile {:?} · object type `{}` · {} cases",
        session.primary.base_url(),
        if embedded { " (embedded reference)" } else { "" },
        session.settings.profile,
        session.ctx.object_type,
        run.cases.len()
    );
    let sending = Instant::now();
    let results = run_all(&run).await;
    let flaky = repeat(&run, &results, args.repeat).await;
    let sending = sending.elapsed();
    let interrupted = (signals.received() || session.interrupted()).then(|| {
        format!("SIGINT/SIGTERM after {} of {} cases; the rest were not sent", results.len(), run.cases.len())
    });
    // Said once, before the failures it explains (wrong credentials, base URL or deployment ID).
    for warning in crate::report::warnings::warnings(&run.cases, &results) {
        println!("WARNING: {warning}");
    }
    let findings = super::confirm::of(&run, &results, args.confirm && interrupted.is_none()).await;
    let findings = crate::report::finding_records::records(session, &run.cases, &findings);
    print!("{}", crate::report::finding_records::text(&findings));
    let known = baseline.map(|b| b.compare(&findings, |id| results.get(id).is_some_and(super::baseline_flags::judged)));
    if let Some(known) = &known {
        print!("{}", known.text(&findings));
    }
    // With --verbose, MUST failures first, then the SHOULD findings of non-strict cases, which never fail the run.
    let mut failures = super::baseline_flags::failures(&run, &results, known.as_ref());
    if args.verbose {
        for wanted in [true, false] {
            for case in &run.cases {
                let shown = |r: &&CaseResult| {
                    if wanted {
                        r.status().fails_run()
                    } else {
                        r.status() == Status::NonStrict
                    }
                };
                if let Some(result) = results.get(&case.id).filter(shown) {
                    println!("{}", terminal::failure(session, case, result));
                }
            }
        }
    }
    // Set-up answers no case saw are judged too, under their pseudo-case IDs.
    failures += print_steps(session, false);
    let steps = crate::report::session_steps::StepRecord::all_of(session);
    println!("{}", terminal::summary(&terminal::tally(&run.cases, &results), &steps));
    println!("{}", terminal::levels_line(results.values()));
    for line in &flaky {
        println!("FLAKY {line}");
    }
    let sent = results.values().filter(|r| r.skipped.is_none()).count() * args.repeat as usize;
    // Cases of scenario families send extra setup and read-back requests; the others send exactly one.
    println!(
        "ran {sent} cases in {:.3}s ({:.0} cases/s)",
        sending.as_secs_f64(),
        sent as f64 / sending.as_secs_f64().max(1e-9)
    );
    for line in session.client.summary_lines() {
        println!("{line}");
    }
    // Teardown before the report files, so its findings are in them too.
    let teardown = session.teardown_report().await;
    failures += print_steps(session, true);
    if let Err(e) = super::baseline_flags::write(&args, &findings) {
        return setup_error(e);
    }
    if !teardown.clean() {
        print!("{}", crate::redact::redact(&teardown.story(), &session.every_secret()));
    }
    if let Some(why) = &interrupted {
        println!("INTERRUPTED: {why}");
    }
    let mut code = match (teardown.clean(), &interrupted) {
        (false, _) => ExitCode::from(super::dispatch::EXIT_LEFT_BEHIND),
        (true, Some(_)) => ExitCode::from(super::dispatch::EXIT_INTERRUPTED),
        (true, None) if failures == 0 && flaky.is_empty() => ExitCode::SUCCESS,
        (true, None) => ExitCode::from(1),
    };
    if !args.report.is_empty() {
        let meta = RunMeta {
            target: crate::redact::redact(&session.primary.base_url(), &session.primary.secrets()),
            embedded,
            profile: format!("{:?}", session.settings.profile).to_lowercase(),
            object_type: session.ctx.object_type.clone(),
            concurrency: session.settings.concurrency,
            timeout: session.settings.timeout,
            seed: args.seed,
            rate: args.rate,
            started_at,
            duration: started.elapsed(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            interrupted: interrupted.clone(),
        };
        let mut record = RunRecord::build(meta, session, &run.cases, &results);
        record.findings = findings;
        record.baseline = known;
        record.sarif_location =
            Some(crate::report::sarif::location(args.sarif_location.as_deref(), |k| std::env::var(k).ok()));
        match crate::report::files::write_all(&args.report_dir, &args.report, &record) {
            Ok(paths) => {
                for p in paths {
                    println!("report: {}", p.display());
                }
            }
            Err(e) => code = setup_error(e),
        }
    }
    println!("finished in {:.2}s", started.elapsed().as_secs_f64());
    code
}

/// The cases of pass `pass` of a soak: scenario cases built anew with a per-pass run ID, so that one
/// pass's marked objects never count in another pass's read-backs; plain cases cloned from the first
/// pass (their bodies are reference-counted, never rebuilt or copied).
fn pass_cases(run: &Run, pass: u32) -> Arc<Vec<Case>> {
    let mut ctx = run.session.ctx.clone();
    ctx.run_id = format!("{}-pass{pass}", ctx.run_id);
    let scenario = |c: &&Case| !c.scenario.is_empty();
    let families: std::collections::BTreeSet<_> = run.cases.iter().filter(scenario).map(|c| c.family).collect();
    let mut fresh: std::collections::HashMap<String, Case> = families
        .into_iter()
        .flat_map(|f| f.cases(&ctx))
        .filter(|c| !c.scenario.is_empty())
        .map(|c| (c.id.clone(), c))
        .collect();
    Arc::new(run.cases.iter().map(|c| fresh.remove(&c.id).unwrap_or_else(|| c.clone())).collect())
}

/// Passes 2..=`times` of `--repeat`, all through one stream under the concurrency limit (so even a
/// single repeated case keeps every slot busy); returns one line per case whose answer (observed
/// status and type, or verdict) differs from the first pass, naming the earliest pass that differs.
async fn repeat(run: &Run, first: &BTreeMap<String, CaseResult>, times: u32) -> Vec<String> {
    // Plain cases are built once and shared by every pass; scenario cases are built per pass, lazily,
    // so a long soak never holds more than a couple of passes in memory.
    let shared = run.cases.iter().all(|c| c.scenario.is_empty()).then(|| Arc::new(run.cases.clone()));
    let jobs = stream::iter(2..=times)
        .flat_map(move |pass| {
            let cases = shared.clone().unwrap_or_else(|| pass_cases(run, pass));
            stream::iter((0..cases.len()).map(move |i| (pass, Arc::clone(&cases), i)))
        })
        .take_while(|_| std::future::ready(!run.session.interrupted()));
    let mut answers = jobs
        .map(|(pass, cases, i)| async move { (pass, crate::run::runner::run_case(&run.session, &cases[i]).await) })
        .buffer_unordered(run.session.settings.concurrency);
    let mut flaky: BTreeMap<String, (u32, String)> = BTreeMap::new();
    while let Some((pass, result)) = answers.next().await {
        let Some(was) = first.get(&result.id) else { continue };
        let differs = was.verdict.observed != result.verdict.observed || was.ok() != result.ok();
        if differs && flaky.get(&result.id).is_none_or(|(p, _)| pass < *p) {
            let line = format!(
                "{}: pass 1 observed {} ({}), pass {pass} observed {} ({})",
                result.id,
                was.verdict.observed,
                verdict_word(was),
                result.verdict.observed,
                verdict_word(&result)
            );
            flaky.insert(result.id.clone(), (pass, line));
        }
    }
    flaky.into_values().map(|(_, line)| line).collect()
}

/// Prints the session-level steps that found something, teardown's or the others, and returns how
/// many of them fail the run.
fn print_steps(session: &Session, teardown: bool) -> usize {
    let mut failing = 0;
    let steps = session.step_verdicts().into_iter().filter(|(id, _)| id.starts_with(TEARDOWN) == teardown);
    for (id, verdict) in steps {
        failing += usize::from(verdict.status().fails_run());
        println!("{}", terminal::session_step(session, &id, &verdict));
    }
    failing
}

fn verdict_word(r: &CaseResult) -> &'static str {
    match r.status() {
        Status::NonStrict => "non-strict",
        _ if r.ok() => "ok",
        _ => "failed",
    }
}

/// Runs every case of `run` under its concurrency limit, reporting progress as each finishes. Each
/// case is asked for once here, so its result is owned, not memoised in `run` and cloned (which holds
/// every result twice).
async fn run_all(run: &Run) -> BTreeMap<String, CaseResult> {
    let mut progress = Progress::new(run.cases.len());
    // Once interrupted no case starts; those in flight finish, so every object they made is known to teardown.
    let mut stream = stream::iter(&run.cases)
        .take_while(|_| std::future::ready(!run.session.interrupted()))
        .map(|case| crate::run::runner::run_case(&run.session, case))
        .buffer_unordered(run.session.settings.concurrency);
    let mut results = BTreeMap::new();
    while let Some(result) = stream.next().await {
        progress.case_done(&result.id, !result.status().fails_run());
        results.insert(result.id.clone(), result);
    }
    progress.finish();
    results
}
