//! Fuzz-target logic, shared by the cargo-fuzz targets (`fuzz/`), regression replay
//! (`tests/regressions.rs`) and the broken-variant tests: bytes → request → in-process reference
//! → [`journey_conformance::oracle`]. Any oracle violation is a finding (the fuzz target panics on it).

mod grammar;
mod harness;
#[cfg(feature = "http")]
pub mod journal;
mod minimise;
mod regression;
mod route_outcomes;
mod seed_check;
pub use grammar::*;
pub use harness::*;
pub use minimise::minimise;
pub use regression::Regression;
pub use seed_check::fuzz_only_kills;

use crate::inprocess::InProcess;
use crate::properties::{self, PropCase};
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::oracle::Verdict;
use std::fmt;

/// The fuzz targets; the name is the cargo-fuzz target name and the regression files' `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Request,
    JsonBody,
    Filename,
    Batch,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::Request, Target::JsonBody, Target::Filename, Target::Batch];

    pub fn name(self) -> &'static str {
        match self {
            Target::Request => "request",
            Target::JsonBody => "json_body",
            Target::Filename => "filename",
            Target::Batch => "batch",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// What the classifiers need to know of a target, computed once per target instance.
#[derive(Debug, Clone)]
pub struct Shape {
    pub ctx: Ctx,
    pub model_types: Vec<String>,
    pub datamodel: serde_json::Value,
    /// The data model's keys of `ctx.object_type` ([`properties::known_keys`]).
    pub known: Vec<String>,
    /// Its attachment/photo/signature fields ([`properties::file_fields`]).
    pub file_fields: Vec<String>,
}

impl Shape {
    pub fn new(ctx: Ctx, datamodel: serde_json::Value) -> Shape {
        let model_types = datamodel
            .get("models")
            .and_then(|m| m.as_object())
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let known = properties::known_keys(&datamodel, &ctx.object_type);
        let file_fields = properties::file_fields(&datamodel, &ctx.object_type);
        Shape { ctx, model_types, datamodel, known, file_fields }
    }

    pub fn of(h: &InProcess) -> Shape {
        Shape::new(h.ctx.clone(), h.datamodel.clone())
    }
}

/// An oracle violation (or a request the target could not answer): everything needed to report it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub case: PropCase,
    pub verdict: Option<Verdict>,
    /// The observed answer, shortened; or why there was none.
    pub observed: String,
    pub curl: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "oracle violation: {}", self.case.what)?;
        writeln!(f, "  spec:     {}", self.case.spec)?;
        writeln!(f, "  request:  {} {}", self.case.request.method, self.case.request.path)?;
        writeln!(f, "  expected: {}", self.case.expect)?;
        writeln!(f, "  observed: {}", self.observed)?;
        if let Some(v) = &self.verdict {
            for violation in v.violations() {
                writeln!(f, "  broken:   [{}] {}", violation.rule, violation.message)?;
            }
        }
        write!(f, "  repro:    {}", self.curl)
    }
}
