//! Fuzz target `batch`: see `journey_conformance::fuzz`. In-process against the reference by default;
//! with `JOURNEY_API_URL` set, the same inputs go over HTTP to that target.
#![no_main]

use journey_conformance::fuzz::{Runner, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    Runner::global().check_or_panic(Target::Batch, data);
});
