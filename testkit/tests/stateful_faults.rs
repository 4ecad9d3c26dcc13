//! The stateful property against the state faults: each is killed within the default budget and
//! shrinks to at most four steps; the clean reference, reached over HTTP like any target, fails
//! nothing at the default budget (and at ten times it, `--ignored`). `STATEFUL_SHOW=1` prints each
//! fault's minimal failing sequence as a user would see it.

use journey_conformance::run::session::Session;
use journey_testkit::faults::target::FaultyTarget;
use journey_testkit::faults::{self, Fault};
use journey_testkit::properties::stateful::exec::Target;
use journey_testkit::properties::stateful::regression::SequenceRegression;
use journey_testkit::properties::stateful::runner::{self, Budget, Outcome};
use journey_testkit::properties::stateful::schema::Schema;
use journey_testkit::properties::stateful::schema_of;

/// The faults the stateful property exists to catch.
const STATE_FAULTS: [&str; 5] = [
    "stale-read-after-update",
    "batch-patch-replaces",
    "oplog-missing-batch-writes",
    "list-lags-delete",
    "delete-leaves-object",
];

/// Calls `f` with the reference behind `fault` (none: the clean one), reached over HTTP.
fn with_target<T>(fault: Option<&'static Fault>, f: impl FnOnce(&Target, &Schema) -> T) -> T {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let target = rt.block_on(FaultyTarget::start(fault, journey_reference::Config::demo())).expect("target starts");
    let settings = target.settings(&[]).expect("settings");
    let session: Session = rt.block_on(Session::start(settings)).expect("session starts");
    let schema = schema_of(&session).expect("the reference's task type has a text field");
    let out = f(&Target::new(&session, rt.handle().clone()), &schema);
    let _ = rt.block_on(session.teardown());
    out
}

/// Runs the property with `budget` against the reference behind `fault`.
fn measure(fault: Option<&'static Fault>, budget: &Budget) -> Outcome {
    with_target(fault, |target, schema| runner::run(target, schema, budget).expect("the property runs"))
}

#[test]
fn each_state_fault_is_killed_and_shrinks_to_at_most_four_steps() {
    let budget = Budget::default();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for name in STATE_FAULTS {
        let fault = faults::find(name).unwrap_or_else(|| panic!("fault {name} is registered"));
        let outcome = measure(Some(fault), &budget);
        let steps = outcome.failure.as_ref().map(|f| f.steps.len());
        rows.push(format!(
            "{name:<28} {:<9} {:>5} {:>6} requests {:>5.1}s",
            if steps.is_some() { "killed" } else { "SURVIVED" },
            steps.map_or("-".into(), |n| format!("{n} st")),
            outcome.requests,
            outcome.elapsed.as_secs_f64()
        ));
        match &outcome.failure {
            None => problems.push(format!("{name} survived {} sequences", outcome.sequences)),
            Some(f) if f.steps.len() > 4 => {
                problems.push(format!("{name} shrank only to {} steps:\n{}", f.steps.len(), f.render(&budget)))
            }
            Some(f) => {
                if std::env::var_os("STATEFUL_SHOW").is_some() {
                    println!("{}", f.render(&budget));
                }
                assert!(
                    f.report.contains("curl ") && f.report.contains("  1. "),
                    "no numbered curl repro:\n{}",
                    f.report
                );
                assert!(!f.report.contains("Basic "), "credentials in the report:\n{}", f.report);
            }
        }
    }
    println!("{}", rows.join("\n"));
    assert!(problems.is_empty(), "{}\n{}", problems.join("\n"), rows.join("\n"));
}

#[test]
fn the_clean_reference_fails_nothing_at_the_default_budget() {
    let outcome = measure(None, &Budget::default());
    println!(
        "clean: {} sequences, {} requests, {:.1}s",
        outcome.sequences,
        outcome.requests,
        outcome.elapsed.as_secs_f64()
    );
    assert!(outcome.failure.is_none(), "{}", outcome.failure.map(|f| f.render(&Budget::default())).unwrap_or_default());
    assert!(outcome.requests >= 64, "only {} requests", outcome.requests);
}

#[test]
#[ignore = "ten times the CI budget (about ten seconds in debug builds)"]
fn the_clean_reference_fails_nothing_at_ten_times_the_budget() {
    let budget = Budget { sequences: runner::DEFAULT_SEQUENCES * 10, ..Budget::default() };
    let outcome = measure(None, &budget);
    println!(
        "clean x10: {} sequences, {} requests, {:.1}s",
        outcome.sequences,
        outcome.requests,
        outcome.elapsed.as_secs_f64()
    );
    assert!(outcome.failure.is_none(), "{}", outcome.failure.map(|f| f.render(&budget)).unwrap_or_default());
}

#[test]
fn a_saved_minimal_sequence_fails_against_its_fault_and_passes_against_the_reference() {
    let fault = faults::find("list-lags-delete");
    let failure = measure(fault, &Budget::default()).failure.expect("the fault is killed");
    let kept = SequenceRegression { steps: failure.steps.clone(), note: "list-lags-delete, minimised".into() };
    let dir = std::env::var_os("JOURNEY_STATEFUL_SAVE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join(format!("stateful-save-{}", std::process::id())));
    let path = kept.save(&dir).expect("saved");
    let loaded = SequenceRegression::load_dir(&dir).expect("loads");
    let (_, again) = loaded.iter().find(|(p, _)| *p == path).expect("the saved file is found");
    assert_eq!(again, &kept);
    let against_fault = with_target(fault, |t, s| runner::replay(t, s, &again.steps));
    assert!(against_fault.is_err(), "the kept sequence passes against the fault it was found with");
    let against_clean = with_target(None, |t, s| runner::replay(t, s, &again.steps));
    assert!(against_clean.is_ok(), "the kept sequence fails against the clean reference: {against_clean:?}");
    if std::env::var_os("JOURNEY_STATEFUL_SAVE").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
