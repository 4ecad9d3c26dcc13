//! The main binary: `run` (default), `list`, `replay`; see `cli`. Exit 0: all passed; 1: a case
//! failed; 2: configuration or setup error.

use std::process::ExitCode;

fn main() -> ExitCode {
    journey_conformance::cli::main()
}
