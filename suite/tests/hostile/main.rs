//! Hostile targets: whatever a target does, the suite ends with a clear verdict, in bounded time and
//! memory, and never reports a pass it did not see. Each test starts a tiny loopback server that
//! answers the run's setup (data model, fixture) like a healthy target and then misbehaves in one way;
//! the whole suite runs against it through the real client, oracle and circuit breaker.

mod body_size;
mod kept;
mod rate_limit;
mod server;
mod tls;
mod transport;

use journey_conformance::config::Settings;
use journey_conformance::report::warnings::warnings;
use journey_conformance::run::memo::Run;
use journey_conformance::run::runner::CaseResult;
use journey_conformance::run::session::Session;
use server::{start, Hostility, MID_RUN_CASES};
use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

/// The response cap the runs use, so the 1 GiB body shows the cap at work.
const CAP: usize = 64 * 1024;
const PASSWORD: &str = "hostile-secret-pw";

struct Outcome {
    elapsed: Duration,
    results: BTreeMap<String, CaseResult>,
    warnings: Vec<String>,
}

impl Outcome {
    fn count(&self, f: impl Fn(&CaseResult) -> bool) -> usize {
        self.results.values().filter(|r| f(r)).count()
    }
    fn passed(&self) -> usize {
        self.count(|r| r.skipped.is_none() && r.ok())
    }
    fn inconclusive(&self) -> usize {
        self.count(|r| r.inconclusive().is_some())
    }
    fn failed(&self) -> usize {
        self.count(|r| !r.ok() && r.inconclusive().is_none())
    }
    fn report(&self, name: &str) {
        println!(
            "{name:<22} {:>5.1}s  passed {:>4}  failed {:>4}  inconclusive {:>4}  warnings: {:?}",
            self.elapsed.as_secs_f64(),
            self.passed(),
            self.failed(),
            self.inconclusive(),
            self.warnings
        );
    }
}

fn settings(url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = [
        ("JOURNEY_API_URL", url),
        ("JOURNEY_API_USER", "acc"),
        ("JOURNEY_API_PASSWORD", PASSWORD),
        ("JOURNEY_API_TIMEOUT", "0.5"),
        ("JOURNEY_API_MAX_RESPONSE_BYTES", "65536"),
        // These targets never recover: a second of waiting for them is enough to show the budget ends it.
        ("JOURNEY_API_OUTAGE_BUDGET", "1"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings")
}

/// The whole suite against a hostile server; setup must succeed (the server answers it healthily).
async fn run_against(hostility: Hostility, extra: &[(&str, &str)]) -> Outcome {
    run_some(hostility, extra, &[""]).await
}

/// Like [`run_against`], only the cases whose ID starts with one of `prefixes`.
async fn run_some(hostility: Hostility, extra: &[(&str, &str)], prefixes: &[&str]) -> Outcome {
    let server = start(hostility).await;
    let started = Instant::now();
    let url = format!("http://127.0.0.1:{}/api/v4/acc", server.port);
    let session = Session::start(settings(&url, extra)).await.expect("setup is answered healthily");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let warnings = warnings(&run.cases, &results);
    let outcome = Outcome { elapsed: started.elapsed(), results, warnings };
    outcome.report(&format!("{hostility:?}"));
    for r in outcome.results.values() {
        let rendered = format!("{:?}", r.verdict.violations());
        assert!(!rendered.contains(PASSWORD), "a verdict carries the password: {rendered}");
    }
    outcome
}

/// A target that stops answering: a handful of real transport failures, then the breaker holds the
/// rest back as inconclusive, said once; nothing passes; far quicker than one timeout per case.
fn assert_stopped(o: &Outcome, bound: Duration) {
    let cases = o.results.len();
    assert!(o.elapsed < bound, "took {:?} (bound {bound:?})", o.elapsed);
    assert!(
        o.failed() <= 40 + MID_RUN_CASES,
        "{} real failures: the breaker should have held the rest back",
        o.failed()
    );
    assert!(o.inconclusive() > cases / 2, "only {} of {cases} inconclusive", o.inconclusive());
    let stopped: Vec<&String> = o.warnings.iter().filter(|w| w.contains("stopped answering")).collect();
    assert_eq!(stopped.len(), 1, "the dead target must be said once: {:?}", o.warnings);
    assert!(!stopped[0].contains('\n'));
}

const BOUND: Duration = Duration::from_secs(30);
