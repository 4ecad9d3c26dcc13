//! The rows of the faults only the fuzzers kill (`fuzz_only.rs`): the fixed cases pass against each,
//! and an HTTP fuzz target finds it within its budget (`scripts/fuzz-kill-table.sh`).

use super::{fault, Catcher, Fault, Kind};

/// A fault scored by the fuzzers, not by the fixed cases.
const fn fuzz(name: &'static str, clause: &'static str, bug: &'static str, kind: Kind) -> Fault {
    Fault { caught_by: Catcher::Fuzz, ..fault(name, clause, bug, kind) }
}

pub(super) const FUZZ: &[Fault] = &[
    fuzz(
        "duplicate-field-500",
        "§6.3 bad client input never yields 5xx (a body naming one field twice)",
        "a body parser that builds each object with insert-or-fail: a repeated key is an unhandled 500",
        Kind::DuplicateFieldServerError,
    ),
    fuzz(
        "astral-query-500",
        "§6.3 bad client input never yields 5xx (a query value outside the BMP)",
        "a list filter run against a three-byte `utf8` column: an emoji in a query value is a 500",
        Kind::AstralQueryServerError,
    ),
    fuzz(
        "long-uri-414",
        "§3/§6.1 every error is a documented status with the JSON error body (a request-target over 2,560 bytes)",
        "a front end with a small request-line buffer: a long path or query gets its own HTML 414 page",
        Kind::LongUriRefused,
    ),
];
