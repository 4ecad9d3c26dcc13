//! One session per `cargo nextest run`, whatever number of processes it starts. nextest runs every test
//! in a process of its own; each would otherwise set up (data model, fixture) and tear down on its own,
//! thousands of fixtures in a deployment. So the processes of one nextest run share a directory keyed by
//! `NEXTEST_RUN_ID`: the first to take its file lock runs the whole plan with one session, tears down and
//! writes the outcome; the others wait for the lock and read it. Nothing here sends a request.

use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io;
use std::path::PathBuf;

/// One case's outcome as a trial needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseOutcome {
    pub id: String,
    /// The trial's kind: the case's family.
    pub kind: String,
    /// Listed as ignored: the case cannot run against this target (its skip reason is `skip`).
    pub ignored: bool,
    /// The oracle's status, as `Status::as_str` spells it.
    pub status: String,
    /// The failure (or non-strict) story, redacted, as the terminal shows it.
    pub story: Option<String>,
    pub skip: Option<String>,
}

/// What the leading process found, for every process of the run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// Set when the session could not start: every process fails with it, none tries again.
    pub setup_error: Option<String>,
    pub run_id: String,
    pub cases: Vec<CaseOutcome>,
    /// `(family, snapshot text)` of each family whose snapshot trial exists.
    pub snapshots: Vec<(String, String)>,
    /// The failing set-up steps' stories, when one failed.
    pub setup_failed: Option<String>,
    /// The failing teardown steps' stories and what teardown left behind, when either happened.
    pub teardown_failed: Option<String>,
    /// Set when SIGINT/SIGTERM stopped the leading process.
    pub interrupted: bool,
}

/// The nextest run this process belongs to, when nextest runs one test per process.
pub fn nextest_run() -> Option<String> {
    let id = std::env::var("NEXTEST_RUN_ID").ok().filter(|v| !v.trim().is_empty())?;
    let mode = std::env::var("NEXTEST_EXECUTION_MODE").unwrap_or_default();
    (mode.is_empty() || mode == "process-per-test").then_some(id)
}

/// The directory the processes of one nextest run share.
pub struct RunDir {
    path: PathBuf,
}

impl RunDir {
    /// The run's directory under the target's scratch space, created if missing.
    pub fn open(run: &str) -> io::Result<RunDir> {
        let safe: String = run.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect();
        let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journey-conformance-nextest");
        let path = root.join(safe);
        std::fs::create_dir_all(&path)?;
        Ok(RunDir { path })
    }

    /// Where it is, for messages.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Takes the run's lock, waiting for whoever holds it; released when the file is dropped (also
    /// when the holder dies, so a killed leader hands over to the next process).
    pub fn lock(&self) -> io::Result<File> {
        let file = File::options().create(true).truncate(false).write(true).open(self.path.join("lock"))?;
        file.lock()?;
        Ok(file)
    }

    /// The outcome a leader wrote, if one finished.
    pub fn read(&self) -> Option<Outcome> {
        let bytes = std::fs::read(self.path.join("outcome.json")).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Writes the outcome whole or not at all (a reader never sees half a file).
    pub fn write(&self, outcome: &Outcome) -> io::Result<()> {
        let tmp = self.path.join("outcome.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(outcome).map_err(io::Error::other)?)?;
        std::fs::rename(&tmp, self.path.join("outcome.json"))
    }
}
