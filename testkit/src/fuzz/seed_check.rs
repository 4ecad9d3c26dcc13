//! Committed seeds that kill a fuzz-only fault by themselves: with one among a target's seeds,
//! `scripts/fuzz-kill-table.sh` would time the seeds, not the fuzzer, so `scripts/fuzz-corpus-commit.sh`
//! leaves them out (`examples/fuzz_seeds.rs --drop-fuzz-only-kills`) and `tests/fuzz_corpus.rs` checks
//! the committed ones.

use super::{case_for, run, Harness, Shape, Target};
use crate::faults::{Catcher, ALL};
use crate::inprocess::InProcess;
use std::collections::BTreeSet;

/// The indexes of the `inputs` that make a finding against the reference behind some fault only the
/// fuzzers are to kill (`Catcher::Fuzz`), each sent in-process as `target` sends it. `Err` when an input
/// makes a finding against the clean reference: a false finding, to fix rather than leave out.
pub fn fuzz_only_kills(target: Target, inputs: &[Vec<u8>]) -> Result<BTreeSet<usize>, String> {
    let mut clean = Harness::reference();
    for (i, data) in inputs.iter().enumerate() {
        if let Err(f) = clean.check(target, data) {
            return Err(format!("input {i} is a finding against the clean reference:\n{f}"));
        }
    }
    let mut kills = BTreeSet::new();
    for fault in ALL.iter().filter(|f| f.caught_by == Catcher::Fuzz) {
        let faulty = InProcess::behind(fault);
        let shape = Shape::of(&faulty);
        for (i, data) in inputs.iter().enumerate() {
            if case_for(&shape, target, data).is_some_and(|case| run(&faulty, &case).is_err()) {
                kills.insert(i);
            }
        }
    }
    Ok(kills)
}
