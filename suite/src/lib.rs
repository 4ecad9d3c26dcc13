//! journey-conformance: a conformance suite for the error contract of the JourneyApps Backend API v4.
//!
//! A [`case::Case`] describes a request and its allowed outcomes; [`oracle::judge`] is the only code
//! that decides pass or fail; [`session::Session`] reaches the target (the embedded reference unless
//! `JOURNEY_API_URL` is set); [`report`] turns results into failures, summaries and snapshots.

pub mod case;
#[cfg(feature = "http")]
pub mod cli;
pub mod client;
pub mod config;
pub mod ctx;
pub mod error_type;
pub mod expect;
pub mod families;
pub mod model;
pub mod oracle;
#[cfg(feature = "http")]
pub mod report;
#[cfg(feature = "http")]
pub mod reports;
pub mod repro;
pub mod response;
pub mod routes;
#[cfg(feature = "http")]
pub mod run;
#[cfg(feature = "http")]
pub mod runner;
pub mod scenario;
pub mod session;
pub mod spec;
#[cfg(feature = "http")]
pub mod warnings;

pub use error_type::ErrorType;
pub use expect::{Expect, Outcome};
pub use response::Response;
