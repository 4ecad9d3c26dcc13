//! Runs the stateful property under proptest: a seeded runner, a budget of sequences, shrinking
//! bounded in time and iterations, and a failure that names the seed and the minimal steps.

use super::exec::{Sequence, Target};
use super::schema::Schema;
use super::steps::{sequences, Step};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How much a run may do.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub sequences: u32,
    pub max_steps: usize,
    pub seed: u64,
    /// Upper bounds on shrinking a failure (proptest's `max_shrink_time` in ms, `max_shrink_iters`).
    pub max_shrink_ms: u32,
    pub max_shrink_iters: u32,
}

/// The CI budget: 64 sequences of up to 20 steps.
pub const DEFAULT_SEQUENCES: u32 = 64;
pub const DEFAULT_STEPS: usize = 20;
/// The seed the properties share (`JOURNEY_PROPTEST_SEED` overrides it).
pub const DEFAULT_SEED: u64 = 0x6a6f_7572_6e65_7935;

impl Default for Budget {
    fn default() -> Budget {
        Budget {
            sequences: DEFAULT_SEQUENCES,
            max_steps: DEFAULT_STEPS,
            seed: DEFAULT_SEED,
            max_shrink_ms: 30_000,
            max_shrink_iters: 2048,
        }
    }
}

/// A minimised failure: the steps, and the report of their last run.
#[derive(Debug, Clone)]
pub struct Failure {
    pub steps: Vec<Step>,
    pub report: String,
    pub seed: u64,
}

/// What one run did.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Sequences executed, shrinking runs included.
    pub sequences: u64,
    pub requests: usize,
    pub elapsed: Duration,
    pub failure: Option<Failure>,
}

/// Runs the property against `target`; `Err` only when proptest gives up (too many rejections).
pub fn run(target: &Target, schema: &Schema, budget: &Budget) -> Result<Outcome, String> {
    let started = Instant::now();
    let requests_before = target.requests.load(Ordering::Relaxed);
    let config = Config {
        cases: budget.sequences.max(1),
        failure_persistence: None,
        max_shrink_iters: budget.max_shrink_iters,
        max_shrink_time: budget.max_shrink_ms,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    for chunk in seed_bytes.chunks_mut(8) {
        chunk.copy_from_slice(&budget.seed.to_le_bytes());
    }
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let executed = std::sync::atomic::AtomicU64::new(0);
    let result = runner.run(&sequences(schema, budget.max_steps), |(_, steps, seen)| {
        executed.fetch_add(1, Ordering::Relaxed);
        Sequence::new(target, schema).run(&steps, seen.as_deref()).map_err(TestCaseError::fail)
    });
    let failure = match result {
        Ok(()) => None,
        Err(TestError::Fail(reason, (_, steps, _))) => {
            // The shrinker drops the steps after the failing one without running the result, so the
            // minimal sequence is run once more to report exactly its own requests.
            let report = replay(target, schema, &steps).err().unwrap_or_else(|| reason.message().to_string());
            Some(Failure { steps, report, seed: budget.seed })
        }
        Err(TestError::Abort(why)) => {
            return Err(format!("the stateful property gave up (seed {:#x}): {why}", budget.seed))
        }
    };
    Ok(Outcome {
        sequences: executed.load(Ordering::Relaxed),
        requests: target.requests.load(Ordering::Relaxed) - requests_before,
        elapsed: started.elapsed(),
        failure,
    })
}

/// Runs fixed steps once (a regression file); `Err` is the report.
pub fn replay(target: &Target, schema: &Schema, steps: &[Step]) -> Result<(), String> {
    Sequence::new(target, schema).run(steps, None)
}

impl Failure {
    /// The failure as printed: seed, the minimal steps as a numbered list, the requests with `curl`
    /// repros, and how to replay it.
    pub fn render(&self, budget: &Budget) -> String {
        let mut out = format!(
            "stateful property failed (seed {:#x}); minimal sequence of {} step(s):\n",
            self.seed,
            self.steps.len()
        );
        for (i, s) in self.steps.iter().enumerate() {
            out.push_str(&format!("{:>3}. {s:?}\n", i + 1));
        }
        out.push_str(&self.report);
        out.push_str(&format!(
            "\n  replay:   JOURNEY_PROPTEST_SEED={:#x} JOURNEY_PROPTEST_SEQUENCES={} cargo test -p journey-conformance --test properties -- properties/stateful",
            self.seed, budget.sequences
        ));
        out
    }
}
