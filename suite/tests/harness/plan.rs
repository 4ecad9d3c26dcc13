//! Which cases the `cargo test` harness runs ahead of its trials: exactly those libtest will run, by their
//! own trial or through their family's snapshot trial, so a filtered run sends nothing more than before.

use libtest_mimic::{Arguments, Trial};
use std::collections::HashSet;

/// The prefix of a family's snapshot trial; the rest of its name is the family, the kind of its cases' trials.
pub const SNAPSHOT_PREFIX: &str = "snapshots/";

/// Indices of the cases a run of `trials` under `args` needs. The first `cases` trials are the cases'
/// own, in case order, each of the kind of its family; the rest are snapshot trials `snapshots/{family}`.
pub fn needed(args: &Arguments, trials: &[Trial], cases: usize) -> Vec<usize> {
    if args.list {
        return Vec::new();
    }
    let (own, snapshots) = trials.split_at(cases.min(trials.len()));
    let runs = |t: &Trial| !args.is_filtered_out(t) && !args.is_ignored(t);
    let families: HashSet<&str> =
        snapshots.iter().filter(|t| runs(t)).filter_map(|t| t.name().strip_prefix(SNAPSHOT_PREFIX)).collect();
    own.iter().enumerate().filter(|(_, t)| runs(t) || families.contains(t.kind())).map(|(i, _)| i).collect()
}
