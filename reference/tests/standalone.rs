//! The way other implementations are tested: start the reference binary alone with `--account`,
//! paste the lines it prints into the suite's environment, and every case passes — none skipped.

use journey_conformance::config::Settings;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Kills the server however the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and returns it with the two `JOURNEY_API_…` lines it printed, as variables.
fn start() -> (Server, HashMap<String, String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_journey-reference"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--account",
            "standalone-one:first-secret-pw",
            "--account",
            "standalone-two:second-secret-pw",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start journey-reference");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().take(2) {
            let _ = tx.send(line.unwrap_or_default());
        }
    });
    let mut env = HashMap::new();
    for suffix in ["", "_2"] {
        let line = rx.recv_timeout(Duration::from_secs(20)).expect("the binary prints one line per account");
        for pair in line.split(' ') {
            let (key, value) = pair.split_once('=').expect("KEY=value");
            env.insert(format!("{key}{suffix}"), value.to_string());
        }
    }
    (server, env)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_standalone_binary_passes_every_case() {
    let (_server, env) = start();
    assert_eq!(env["JOURNEY_API_USER"], "standalone-one");
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("the printed lines are valid settings");
    let session = Session::start(settings).await.expect("setup against the standalone reference");
    assert!(!session.embedded);
    let run = Run::new(session);
    let results = run.all().await;
    let failed: Vec<String> =
        results.iter().filter(|(_, r)| !r.ok()).map(|(id, r)| format!("{id}: {:?}", r.verdict.violations())).collect();
    // The opt-in rate-limit family is listed and skipped unless asked for, and the token control has no
    // token when the suite signs in with passwords (suite/tests/token_scheme.rs runs it by token); nothing else may be.
    let opted_out = |id: &str| id.starts_with("rate-limit/") || id == "clients/auth/token-scheme";
    let skipped = results.iter().filter(|(id, r)| r.skipped.is_some() && !opted_out(id)).count();
    run.session.teardown().await.expect("cleanup");
    // The account started empty, so after teardown every list must be empty again.
    for object_type in ["task", "category"] {
        let path = format!("{}/objects/{object_type}.json", run.session.ctx.base());
        let wire = run.session.wire(&CaseRequest::new("GET", path.clone()));
        let resp = run.session.client.send(&wire).await.expect("list after teardown");
        let list: serde_json::Value = serde_json::from_slice(&resp.body).expect("JSON list");
        assert_eq!(list["objects"].as_array().map(Vec::len), Some(0), "{path} after teardown: {list}");
    }
    assert!(failed.is_empty(), "{} of {} failed:\n{}", failed.len(), results.len(), failed.join("\n"));
    assert_eq!(skipped, 0, "both accounts are configured, so nothing may be skipped");
    assert!(results.len() > 2000, "only {} cases ran", results.len());
}
