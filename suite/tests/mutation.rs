//! The mutation score: the whole suite runs against the reference behind each named fault
//! (`journey_testkit::faults::ALL`); every fault must be killed (some case fails) and the clean
//! reference, reached through `JOURNEY_API_URL` like any foreign target, must fail nothing; a fault with
//! `killed_within` is killed by that group's cases alone (`a|b`: by either group's). A fault
//! only a sequence of requests can show (`Catcher::StatefulProperty`) is scored by the stateful
//! property instead of the fixed cases. A fault only a fuzzer's input reaches (`Catcher::Fuzz`) is run
//! against the fixed cases too, and must survive them: it is what the HTTP fuzz targets find beyond
//! the fixed cases (`scripts/fuzz-kill-table.sh` shows them killing it).
//! `scripts/mutation-score.sh` prints the same table. Faults are measured a few at a time
//! (`JOURNEY_MUTATION_JOBS`, default 3): each run waits on its loopback target as much as it computes.

use futures::StreamExt;
use journey_testkit::faults::score::{measure, measure_stateful, table, FaultScore};
use journey_testkit::faults::{Catcher, Fault, ALL};

/// Faults measured at once unless `JOURNEY_MUTATION_JOBS` says otherwise.
const JOBS: usize = 3;

async fn score(fault: &'static Fault) -> FaultScore {
    match fault.caught_by {
        Catcher::Cases | Catcher::Fuzz => measure(Some(fault), &[""], &[]).await,
        Catcher::StatefulProperty => measure_stateful(Some(fault)).await,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_is_killed_and_the_control_is_clean() {
    let only: Option<String> = std::env::var("JOURNEY_FAULT").ok().filter(|v| !v.is_empty());
    let jobs =
        std::env::var("JOURNEY_MUTATION_JOBS").ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(JOBS);
    let mut scores: Vec<FaultScore> = vec![measure(None, &[""], &[]).await];
    let faults = ALL.iter().filter(|f| only.as_deref().is_none_or(|o| o == f.name));
    // In the table's order, whatever order they finish in.
    scores.extend(futures::stream::iter(faults).map(score).buffered(jobs).collect::<Vec<_>>().await);
    let text = table(&scores);
    println!("{text}");
    let control = &scores[0];
    assert!(
        control.setup_error.is_none() && control.killers.is_empty(),
        "the clean reference fails:\n{text}\nfailed: {:?}",
        control.killers
    );
    assert!(control.cases > 1000, "the control ran only {} cases", control.cases);
    let fuzz_only = |s: &&FaultScore| s.fault.is_some_and(|f| f.caught_by == Catcher::Fuzz);
    let survivors: Vec<&str> =
        scores[1..].iter().filter(|s| !fuzz_only(s) && !s.killed()).map(FaultScore::name).collect();
    assert!(survivors.is_empty(), "faults survived: {survivors:?}\n{text}");
    // The fuzz-only faults are beyond the fixed cases: a fixed case that kills one makes it no proof
    // of what fuzzing adds (move it to the fixed cases' rows instead).
    let caught: Vec<&str> = scores[1..].iter().filter(|s| fuzz_only(s) && s.killed()).map(FaultScore::name).collect();
    assert!(caught.is_empty(), "fuzz-only faults killed by fixed cases: {caught:?}\n{text}");
    // A fault that proves one group's checks is killed by that group alone (its setup must start, too).
    let mut strayed = Vec::new();
    for s in &scores[1..] {
        let Some(within) = s.fault.and_then(|f| f.killed_within) else { continue };
        // `a|b`: either group (a deeper check that also sees the fault, beside the control it proves).
        let strays: Vec<&String> = s.killers.iter().filter(|k| !within.split('|').any(|w| k.starts_with(w))).collect();
        if s.setup_error.is_some() || !strays.is_empty() {
            strayed.push(format!("{} must be killed by {within}* alone, also by: {strays:?}", s.name()));
        }
    }
    assert!(strayed.is_empty(), "{}\n{text}", strayed.join("\n"));
}
