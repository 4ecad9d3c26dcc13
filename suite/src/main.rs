//! The main binary: `run` (default), `list`, `replay`, `cleanup`; see `cli`. Exit 0: all passed; 1: a
//! case failed; 2: configuration or setup error; 3: teardown left objects behind; 130: interrupted.

use std::process::ExitCode;

fn main() -> ExitCode {
    journey_conformance::cli::dispatch::main()
}
