//! journey-conformance: a conformance suite for the error contract of the JourneyApps Backend API v4.
//!
//! The crate is laid out as the path of one case (ARCHITECTURE.md): [`declare`] says what to send and
//! what may come back, [`send`] carries a request and its answer, [`oracle`] is the only code that
//! decides pass or fail, [`run`] conducts a case through sending and judging (the session, the runner),
//! [`report`] tells the results, and [`cli`] is the binary on top. Imports run one way only,
//! cli → report → run → oracle → send → declare; [`config`] and [`redact`] serve every stage
//! (`tests/layout.rs` draws the imports and fails on an arrow that runs back up).

pub mod config;
pub mod oracle;
pub mod redact;

// What sends, runs and reports over HTTP: the `http` feature (default), off only for in-process fuzzing.
macro_rules! with_http {
    ($($module:ident),*) => { $(#[cfg(feature = "http")] pub mod $module;)* };
}

/// What a case is: its request, its allowed outcomes, the clause it cites, and the families that list them.
pub mod declare {
    pub mod case;
    pub mod ctx;
    pub mod error_type;
    pub mod expect;
    pub mod families;
    pub mod model;
    pub mod near_miss;
    pub mod request_body;
    pub mod routes;
    pub mod scenario;
    pub mod spec;
}

/// What carries a request and its answer: the HTTP client, the answer, and what is kept and shown of it.
pub mod send {
    pub mod client;
    pub mod excerpt;
    pub mod response;
    pub mod response_summary;
}

/// What conducts a case through sending and judging: the session with the target, the runner, a run's
/// memoised results.
pub mod run {
    pub mod session;
    with_http!(burst, memo, runner);
}

/// What tells the results: the terminal's text, repros, warnings, findings and the report files.
pub mod report {
    pub mod repro;
    with_http!(
        baseline,
        files,
        finding_records,
        html,
        junit,
        left,
        markdown,
        ndjson,
        record,
        route_row,
        sarif,
        session_steps,
        terminal,
        warnings
    );
}

/// The binary's command line: `run` (the default), `list`, `replay`, `cleanup`.
#[cfg(feature = "http")]
pub mod cli {
    pub mod args;
    pub mod baseline_flags;
    pub mod cleanup;
    pub mod confirm;
    pub mod dispatch;
    pub mod list;
    pub mod progress;
    pub mod replay;
    pub mod run_command;
    pub mod select;
    pub mod signal;
}

pub use declare::error_type::ErrorType;
pub use declare::expect::{Expect, Outcome};
pub use send::response::Response;
