//! The suite in a user's CI (issue 24): SARIF validated against the OASIS schema with stable
//! fingerprints, a baseline that fails only on new findings, and the GitHub Action's shell steps run
//! with the action's environment. Targets are the reference behind faults of `testkit/src/faults/`,
//! stacked, on loopback ports.

mod action;
mod baseline;
mod harness;
mod sarif;

use journey_testkit::faults::{self, layer, target::FaultyTarget};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");

/// Starts the reference behind `stack` (the first fault innermost; none: the clean reference) in its own
/// thread; returns the variables a user would set for it (the first account only, documented profile).
pub fn target(stack: &[&'static str]) -> HashMap<String, String> {
    let stack: Vec<&'static faults::Fault> =
        stack.iter().map(|name| faults::find(name).unwrap_or_else(|| panic!("no fault {name}"))).collect();
    serve(move |app, accounts| stack.iter().fold(app, |app, fault| layer::wrap(fault, app, accounts.to_vec())))
}

/// Starts the reference, wrapped by `wrap` (given the reference's router and accounts), on a loopback port
/// in its own thread; returns the variables a user would set for it (first account, documented profile).
pub fn serve(
    wrap: impl FnOnce(axum::Router, &[journey_reference::Account]) -> axum::Router + Send + 'static,
) -> HashMap<String, String> {
    let mut env = journey_testkit::faults::target::in_background(move || async move {
        let config = journey_reference::Config::demo();
        let accounts = config.accounts.clone();
        let app = wrap(journey_reference::router(config), &accounts);
        FaultyTarget::serve(app, &accounts, None).await
    });
    env.retain(|k, _| !k.ends_with("_2"));
    env
}

/// The password of a target's variables: it must appear in no output or file.
pub fn password(env: &HashMap<String, String>) -> &str {
    env.get("JOURNEY_API_PASSWORD").map(String::as_str).unwrap_or("\u{0}never")
}

/// A command with exactly these variables (inherited `JOURNEY_*`, `GITHUB_*` and `INPUT_*` removed).
pub fn command(program: &str, env: &HashMap<String, String>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("CI", "true");
    for (k, _) in std::env::vars() {
        if k.starts_with("JOURNEY_") || k.starts_with("GITHUB_") || k.starts_with("INPUT_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env);
    cmd
}

/// Runs the binary; returns its output and stdout, checking no password was printed.
pub fn bin(args: &[&str], env: &HashMap<String, String>) -> (Output, String) {
    let out = command(BIN, env).args(args).output().expect("run the binary");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains(password(env)) && !stderr.contains(password(env)), "a password was printed");
    (out, stdout)
}

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jc-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
