//! Greedy minimisation of a failing input, without libFuzzer.

use super::*;

/// Greedy test-case minimisation (like `cargo fuzz tmin`, without libFuzzer): removes ever smaller
/// chunks while the input still fails, within `budget` attempts.
pub fn minimise(harness: &mut Harness, target: Target, input: &[u8], budget: usize) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len().max(1) / 2;
    while chunk >= 1 && tries < budget {
        let mut at = 0;
        let mut shrunk = false;
        while at < best.len() && tries < budget {
            let end = (at + chunk).min(best.len());
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            if harness.check(target, &candidate).is_err() {
                best = candidate;
                shrunk = true;
            } else {
                at += chunk;
            }
        }
        if !shrunk {
            chunk /= 2;
        }
    }
    best
}
