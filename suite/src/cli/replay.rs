//! `replay CASE-ID`: one case, verbosely: what it checks, the request, the whole (redacted) answer,
//! the verdict and a curl repro — the first thing to run when a case fails.

use super::args::{SelectArgs, TargetArgs};
use super::dispatch::setup_error;
use crate::declare::case::Case;
use crate::oracle::findings::is_finding_id;
use crate::report::record::{case_record, Status};
use crate::run::memo::Run;
use crate::run::runner::CaseResult;
use crate::run::session::Session;
use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

/// Closest IDs shown when the given one does not exist.
const SUGGESTIONS: usize = 5;

/// Runs the case with exactly this ID; exit 0 pass, skip or non-strict, 1 fail or inconclusive (a case still rate
/// limited after its retries, or held back from a target that stopped answering, proves nothing, so
/// it is not a pass), 2 unknown ID or setup error.
pub async fn replay(id: &str, target: &TargetArgs, select: &SelectArgs, from: Option<&Path>) -> ExitCode {
    let mut settings = match target.settings_from(Vec::new(), |k| std::env::var(k).ok()) {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    // Naming a case of an opt-in family is asking for it.
    let family = id.split_once('/').and_then(|(name, _)| super::select::parse_family(name).ok());
    settings.rate_limit_family |= family.is_some_and(|f| f.opt_in()) || select.family.iter().any(|f| f.opt_in());
    let session = match Session::start(settings).await {
        Ok(s) => s,
        Err(e) => return setup_error(e),
    };
    let mut run = Run::new(session);
    if is_finding_id(id) {
        return match finding_case(&mut run, id, select, from).await {
            Ok((case, result)) => show(&run, &case, &result).await,
            Err(e) => {
                let _ = run.session.teardown().await;
                setup_error(e)
            }
        };
    }
    if !run.cases.iter().any(|c| c.id == id) {
        let stem = id.rsplit_once('/').map_or(id, |(s, _)| s);
        let near: Vec<&str> =
            run.cases.iter().map(|c| c.id.as_str()).filter(|c| c.starts_with(stem)).take(SUGGESTIONS).collect();
        let _ = run.session.teardown().await;
        let hint = if near.is_empty() {
            "see `journey-conformance list`".to_string()
        } else {
            format!("similar: {}", near.join(", "))
        };
        return setup_error(format!("no case has the ID `{id}`; {hint}"));
    }
    run.retain(|c| c.id == id);
    let result = run.result(0).await;
    show(&run, &run.cases[0], &result).await
}

/// The first case of finding `id` and its new result: the case ID comes from `from`'s `finding` records, or
/// from grouping a fresh run of the selected cases; the case is then built and sent once more on its own.
async fn finding_case(
    run: &mut Run,
    id: &str,
    select: &SelectArgs,
    from: Option<&Path>,
) -> Result<(Case, CaseResult), String> {
    let first = match from {
        Some(path) => saved_first_case(path, id)?,
        None => {
            let selection = select.selection();
            run.retain(|c| selection.matches(c));
            let results = run.all().await;
            let found = super::confirm::group(&run.cases, &results);
            let finding = found.iter().find(|f| f.id.eq_ignore_ascii_case(id));
            finding.ok_or_else(|| not_found(id, &found))?.first_case().to_string()
        }
    };
    // A fresh run ID, so a scenario case's marked objects never meet those of the grouping run.
    let mut ctx = run.session.ctx.clone();
    ctx.run_id = format!("{}-replay", ctx.run_id);
    let case = crate::declare::families::all(&ctx)
        .into_iter()
        .find(|c| c.id == first)
        .ok_or_else(|| format!("finding `{id}` names case `{first}`, which this version does not have"))?;
    let result = crate::run::runner::run_case(&run.session, &case).await;
    println!("finding:  {id} (first case {first})");
    Ok((case, result))
}

/// Why finding `id` is not among `found`, naming those that are.
fn not_found(id: &str, found: &[crate::oracle::findings::Finding]) -> String {
    let seen: Vec<&str> = found.iter().map(|f| f.id.as_str()).collect();
    let seen = if seen.is_empty() { "none".to_string() } else { seen.join(", ") };
    format!(
        "finding `{id}` is not among this run's findings ({seen}); select the run's --family/--case, \
         or pass --from cases.ndjson"
    )
}

/// The first case of finding `id` in a saved NDJSON report.
fn saved_first_case(path: &Path, id: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["record"] == "finding" && v["id"].as_str().is_some_and(|f| f.eq_ignore_ascii_case(id)))
        .and_then(|v| v["cases"][0].as_str().map(str::to_owned))
        .ok_or_else(|| format!("no finding `{id}` in {}", path.display()))
}

/// Prints one case's whole story and returns its exit code.
async fn show(run: &Run, case: &Case, result: &CaseResult) -> ExitCode {
    let session = &run.session;
    let record = case_record(session, case, result);
    let mut out = String::new();
    let _ = writeln!(out, "case:     {}", record.id);
    let _ = writeln!(out, "what:     {}", record.description);
    let _ = writeln!(out, "spec:     {}", record.spec);
    let _ = writeln!(out, "request:  {} {}{}", record.method, session.primary.origin, record.path);
    for (name, value) in &record.headers {
        let _ = writeln!(out, "          {name}: {value}");
    }
    if let Some(body) = &record.body_excerpt {
        let _ = writeln!(out, "body:     {body} ({} bytes)", record.body_bytes);
    }
    let _ = writeln!(out, "expected: {}", record.expected_text());
    if let Some(why) = &record.expected_why {
        let _ = writeln!(out, "          (an outcome set: {why})");
    }
    let secrets = session.secrets(&case.request);
    match &result.response {
        Some(resp) => {
            let _ = writeln!(out, "response: {} in {:.1} ms", resp.status, result.elapsed.as_secs_f64() * 1000.0);
            for (name, value) in &resp.headers {
                let value = crate::redact::redact(&crate::send::excerpt::excerpt(value), &secrets);
                let _ = writeln!(out, "          {name}: {value}");
            }
            if resp.headers_dropped > 0 {
                let _ = writeln!(out, "          ({} more headers not kept)", resp.headers_dropped);
            }
            let truncated = if resp.truncated { " (cut at the response-size cap)" } else { "" };
            let _ = writeln!(out, "          {}{truncated}", record.response_excerpt.clone().unwrap_or_default());
        }
        None => {
            let _ = writeln!(out, "response: none");
        }
    }
    let _ = writeln!(out, "observed: {}", record.observed_text());
    for (rule, message) in &record.violations {
        let _ = writeln!(out, "broken:   [{rule}] {message}");
    }
    for (rule, message) in &record.should {
        let _ = writeln!(out, "should:   [{rule}] {message}");
    }
    if let Some(reason) = &record.skip_reason {
        let _ = writeln!(out, "skipped:  {reason}");
    }
    let why = result.inconclusive().map(|why| format!(" ({why})")).unwrap_or_default();
    let _ = writeln!(out, "verdict:  {}{why}", record.status.as_str().to_uppercase());
    let _ = writeln!(out, "repro:    {}", record.curl);
    print!("{}", crate::redact::redact(&out, &secrets));
    if let Err(e) = session.teardown().await {
        eprintln!("journey-conformance: {e}");
    }
    match record.status {
        // Non-strict: only SHOULDs broken, which fail the case only under `--profile strict`.
        Status::Pass | Status::Skip | Status::NonStrict => ExitCode::SUCCESS,
        Status::Fail | Status::Inconclusive => ExitCode::from(1),
    }
}
