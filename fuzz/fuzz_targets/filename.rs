//! Fuzz target `filename`: see `journey_testkit::fuzz`. In-process against the reference by default;
//! built with `--features http` and `JOURNEY_API_URL` set, the same inputs go over HTTP to that target.
#![no_main]

use journey_testkit::fuzz::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    #[cfg(feature = "http")]
    journey_testkit::fuzz::Runner::global().check_or_panic(Target::Filename, data);
    #[cfg(not(feature = "http"))]
    journey_testkit::fuzz::check_in_process_or_panic(Target::Filename, data);
});
