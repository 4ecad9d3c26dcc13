//! journey-conformance: a conformance suite for the error contract of the JourneyApps Backend API v4.
//!
//! A [`case::Case`] describes a request and its allowed outcomes; [`oracle::judge`] is the only code
//! that decides pass or fail; [`session::Session`] reaches the target (the embedded reference unless
//! `JOURNEY_API_URL` is set); [`report`] turns results into failures, summaries and snapshots.

pub mod case;
pub mod cli;
pub mod client;
pub mod config;
pub mod ctx;
pub mod error_type;
pub mod expect;
pub mod families;
pub mod model;
pub mod oracle;
pub mod report;
pub mod reports;
pub mod response;
pub mod routes;
pub mod run;
pub mod runner;
pub mod scenario;
pub mod session;
pub mod spec;
pub mod warnings;

pub use error_type::ErrorType;
pub use expect::{Expect, Outcome};
pub use response::Response;
