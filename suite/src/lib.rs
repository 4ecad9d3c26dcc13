//! journey-conformance: a conformance suite for the error contract of the JourneyApps Backend API v4.
//!
//! A [`case::Case`] describes a request and its allowed outcomes; [`oracle::judge`] is the only code
//! that decides pass or fail; [`session::Session`] reaches the target (the embedded reference unless
//! `JOURNEY_API_URL` is set); [`report`] turns results into failures, summaries and snapshots.

pub mod body;
pub mod case;
pub mod client;
pub mod config;
pub mod ctx;
pub mod error_type;
pub mod expect;
pub mod families;
pub mod model;
pub mod near_miss;
pub mod oracle;
pub mod redact;
pub mod repro;
pub mod response;
pub mod routes;
pub mod scenario;
pub mod session;
pub mod spec;
pub mod summary;

// What sends, runs and reports: the `http` feature (default), off only for in-process fuzzing.
macro_rules! with_http {
    ($($module:ident),*) => { $(#[cfg(feature = "http")] pub mod $module;)* };
}
with_http!(cli, main_answer, report, reports, run, runner, warnings);

pub use error_type::ErrorType;
pub use expect::{Expect, Outcome};
pub use response::Response;
