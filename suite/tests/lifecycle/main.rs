//! A run's life on a real deployment, from the user's side: teardown that cleans up past an outage or a
//! gateway's 503s within its own budget, leftovers listed with a `cleanup --run-id` that removes them
//! later, SIGINT/SIGTERM (binary and `cargo test` harness), listing that writes nothing, and self-tests
//! that ignore the caller's `JOURNEY_API_*` variables. Targets are the reference on loopback behind a
//! switch (`Switch`) that can slow it down, take it down, or answer DELETEs with 503 + `Retry-After`.

mod deployment;
mod interrupt;
mod left_behind;
mod listing;
mod nextest;
mod teardown;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use journey_conformance::send::client::{HttpClient, WireRequest};
use journey_reference::{Account, Config};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");
/// The loopback target's password: it must appear in no output.
const PASSWORD: &str = "lifecycle-test-password-5c1e";
/// The longest any target lives: every test ends long before.
const TARGET_LIFETIME: Duration = Duration::from_secs(600);

/// How the target behaves, changed by the test while it runs.
#[derive(Default)]
pub struct Switch {
    /// Requests seen so far.
    pub requests: AtomicUsize,
    /// Every answer is a gateway's 503 HTML page while set.
    pub down: AtomicBool,
    /// Goes down by itself after this many requests (0: never).
    pub down_after: AtomicUsize,
    /// Each answer waits this long first, in milliseconds.
    pub delay_ms: AtomicU64,
    /// Each DELETE path is answered 503 + `Retry-After: 1` this many times before it goes through.
    pub delete_503s: AtomicUsize,
    /// `METHOD path?query` of every request, in order; a POST's with the start of its body.
    pub log: Mutex<Vec<String>>,
    refused: Mutex<HashMap<String, usize>>,
}

impl Switch {
    /// The requests seen, as `METHOD path?query`.
    pub fn seen(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// A gateway's page, as nginx sends it when its upstream is gone.
fn gateway_page(retry_after: Option<&str>) -> Response {
    let mut resp = (
        StatusCode::SERVICE_UNAVAILABLE,
        [("content-type", "text/html")],
        "<html><body>503 Service Unavailable</body></html>",
    )
        .into_response();
    if let Some(after) = retry_after {
        resp.headers_mut().insert("retry-after", after.parse().expect("header value"));
    }
    resp
}

async fn switched(switch: Arc<Switch>, req: Request<Body>, next: Next) -> Response {
    let n = switch.requests.fetch_add(1, Ordering::SeqCst) + 1;
    let line = format!("{} {}", req.method(), req.uri());
    let req = if req.method() == axum::http::Method::POST {
        // Read whole and handed on unchanged; the start is kept, to tell a fixture from other creates.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 16 << 20).await.unwrap_or_default();
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
        if let Ok(mut log) = switch.log.lock() {
            log.push(format!("{line} {start}"));
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        if let Ok(mut log) = switch.log.lock() {
            log.push(line.clone());
        }
        req
    };
    let after = switch.down_after.load(Ordering::SeqCst);
    if after > 0 && n > after {
        switch.down.store(true, Ordering::SeqCst);
    }
    let delay = switch.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    if switch.down.load(Ordering::SeqCst) {
        return gateway_page(None);
    }
    if req.method() == axum::http::Method::DELETE {
        let wanted = switch.delete_503s.load(Ordering::SeqCst);
        let refused = switch.refused.lock().map(|mut r| {
            let count = r.entry(line).or_default();
            *count += 1;
            *count <= wanted
        });
        if refused.unwrap_or(false) {
            return gateway_page(Some("1"));
        }
    }
    next.run(req).await
}

/// A reference on loopback behind a [`Switch`], on a thread of its own; it stops when dropped.
pub struct Target {
    pub switch: Arc<Switch>,
    /// The variables a user would set for its first account.
    pub env: HashMap<String, String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Target {
    /// Starts the reference with one account.
    pub fn start() -> Target {
        let switch = Arc::new(Switch::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let layer_switch = Arc::clone(&switch);
        std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let account = Account { password: PASSWORD.into(), ..Account::generate("lifecycleacct") };
                let accounts = vec![account];
                let config = Config { accounts: accounts.clone(), ..Config::demo() };
                let app = journey_reference::router(config)
                    .layer(axum::middleware::from_fn(move |req, next| switched(Arc::clone(&layer_switch), req, next)));
                let target =
                    journey_testkit::faults::target::FaultyTarget::serve(app, &accounts, None).await.expect("serve");
                let mut env = target.env.clone();
                env.remove("JOURNEY_API_PROFILE");
                tx.send(env).expect("send env");
                let _ = tokio::time::timeout(TARGET_LIFETIME, stopped).await;
                drop(target);
            });
        });
        let env = rx.recv().expect("target started");
        Target { switch, env, stop: Some(stop) }
    }

    /// `(variable, value)` pairs for a child process.
    pub fn vars(&self) -> Vec<(String, String)> {
        self.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Every object in the target's store whose text carries a `journey-conformance` marker, as
    /// `(type, id, marker)`, read past the switch's memory (the switch must be up).
    pub fn marked_objects(&self) -> Vec<(String, String, String)> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let client = HttpClient::new(2, Duration::from_secs(5), 64 << 20).expect("client");
            let base = self.env["JOURNEY_API_URL"].clone();
            let auth = format!(
                "Basic {}",
                base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    format!("{}:{}", self.env["JOURNEY_API_USER"], PASSWORD)
                )
            );
            let get = |url: String| {
                let req = WireRequest {
                    method: "GET".into(),
                    url,
                    headers: vec![("authorization".into(), auth.clone().into_bytes())],
                    body: None,
                };
                let client = client.clone();
                async move {
                    let resp = client.send(&req).await.expect("the target answers");
                    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
                    serde_json::from_slice::<Value>(&resp.body).expect("JSON")
                }
            };
            let model = get(format!("{base}/datamodel.json")).await;
            let types: Vec<String> =
                model["models"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
            let mut out = Vec::new();
            for t in types {
                let list = get(format!("{base}/objects/{t}.json?limit=1000")).await;
                for object in list["objects"].as_array().into_iter().flatten() {
                    let marker = object
                        .as_object()
                        .into_iter()
                        .flat_map(|o| o.values())
                        .filter_map(Value::as_str)
                        .find(|v| v.starts_with("journey-conformance "));
                    if let (Some(id), Some(marker)) = (object["id"].as_str(), marker) {
                        out.push((t.clone(), id.to_string(), marker.to_string()));
                    }
                }
            }
            out
        })
    }
}

/// The `JOURNEY_*` variables of this process: a child gets none of them unless a test sets it.
fn inherited_journey_vars() -> Vec<String> {
    std::env::vars().map(|(k, _)| k).filter(|k| k.starts_with("JOURNEY_")).collect()
}

/// A command with none of the caller's `JOURNEY_*` variables, `CI` set (plain progress).
fn clean_command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    for k in inherited_journey_vars() {
        cmd.env_remove(k);
    }
    cmd.env("CI", "true");
    cmd
}

/// Runs the binary against `target` with `args` and `extra` variables.
fn bin(target: &Target, args: &[&str], extra: &[(&str, &str)]) -> Output {
    let mut cmd = clean_command(BIN);
    cmd.args(args).envs(target.vars()).envs(extra.iter().copied());
    cmd.output().expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh scratch directory for this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jc-lifecycle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A `cargo` command without the variables cargo sets for a test process (`CARGO_PKG_*`,
/// `CARGO_MANIFEST_DIR`, …): build scripts that watch them (ring's) would otherwise see them change and
/// rebuild, for this command and again for the next outer build.
fn cargo() -> Command {
    let mut cmd = clean_command(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    let set_for_tests = |k: &str| {
        ["CARGO_PKG_", "CARGO_BIN_EXE_", "CARGO_MANIFEST_", "NEXTEST"].iter().any(|p| k.starts_with(p))
            || ["CARGO_CRATE_NAME", "CARGO_BIN_NAME", "CARGO_TARGET_TMPDIR", "CARGO_PRIMARY_PACKAGE", "OUT_DIR"]
                .contains(&k)
    };
    for (k, _) in std::env::vars().filter(|(k, _)| set_for_tests(k)) {
        cmd.env_remove(k);
    }
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The path of this package's test target `name`, built now if needed (`cargo test --no-run`), so a
/// test never runs a stale copy of another test target.
fn test_binary(name: &str) -> PathBuf {
    let out = cargo()
        .args(["test", "-p", "journey-conformance", "--test", name, "--no-run", "--message-format=json", "--locked"])
        .output()
        .expect("run cargo");
    assert!(out.status.success(), "cargo test --no-run --test {name}: {}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["target"]["name"] == name && m["target"]["kind"][0] == "test")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .unwrap_or_else(|| panic!("no executable for test target {name}"))
}

/// The run ID a binary run printed in its `cleanup --run-id` command or report.
fn run_id_in(text: &str) -> Option<String> {
    let at = text.find("--run-id ")? + "--run-id ".len();
    Some(text[at..].split_whitespace().next()?.to_string())
}

/// The distinct run IDs of the markers of `objects`.
fn runs_of(objects: &[(String, String, String)]) -> HashSet<String> {
    objects.iter().filter_map(|(_, _, m)| m.split_whitespace().nth(1).map(str::to_string)).collect()
}
