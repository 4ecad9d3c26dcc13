//! The main binary as a user meets it: subcommands, flags over variables, exit codes 0/1/2, and the
//! four report files (the JUnit read back with a real XML parser). Targets are loopback servers.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use journey_reference::{Account, Config};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");
/// The fixed password of the loopback target; it must appear in no output or report.
const PASSWORD: &str = "cli-test-password-8f3a";

/// Runs the binary with exactly these variables (the inherited `JOURNEY_*` ones removed).
fn bin(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("CI", "true");
    for (k, _) in std::env::vars() {
        if k.starts_with("JOURNEY_") {
            cmd.env_remove(k);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// How the loopback target deviates from the reference.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Clean,
    /// Every 404 becomes a framework's 405.
    Status405,
    /// A 404 for a method + path seen before becomes a 405: the second pass of a soak differs.
    FlakyOnRepeat,
}

/// Starts the reference (deviating per `mode`) on a loopback port in its own thread; returns the
/// variables a user would set.
fn target(mode: Mode) -> HashMap<String, String> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::<String>::new()));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let accounts = vec![Account { password: PASSWORD.into(), ..Account::generate("cliacct") }];
            let config = Config { accounts, ..Config::demo() };
            let app =
                journey_reference::router(config).layer(middleware::from_fn(move |req: Request<Body>, next: Next| {
                    let seen = std::sync::Arc::clone(&seen);
                    async move {
                        let key = format!("{} {}", req.method(), req.uri());
                        let repeated = !seen.lock().map(|mut s| s.insert(key)).unwrap_or(true);
                        let mut resp: Response = next.run(req).await;
                        let deviate = match mode {
                            Mode::Clean => false,
                            Mode::Status405 => true,
                            Mode::FlakyOnRepeat => repeated,
                        };
                        if deviate && resp.status() == StatusCode::NOT_FOUND {
                            *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
                        }
                        resp
                    }
                }));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            let addr = listener.local_addr().expect("addr");
            tx.send(journey_reference::base_url(addr, "cliacct")).expect("send url");
            // Ends with the test process; a bounded test run bounds it.
            let _ = axum::serve(listener, app).await;
        });
    });
    let url = rx.recv().expect("server started");
    HashMap::from([
        ("JOURNEY_API_URL".to_string(), url),
        ("JOURNEY_API_USER".to_string(), "cliacct".to_string()),
        ("JOURNEY_API_PASSWORD".to_string(), PASSWORD.to_string()),
    ])
}

/// The documented 429 body (spec §6.8), well-formed, so a 429 for a case is inconclusive, not a failure.
const TOO_MANY: &str = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests.","detail":"Slow down.","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
/// A data model with one type, enough for setup.
const MODEL: &str = r#"{"models":{"task":{"name":"task","label":"Task","fields":{"name":{"name":"name","label":"Name","type":"text"}}}},"datamodel_hash":"h"}"#;

/// Starts a loopback target that answers setup (data model, fixture) like a healthy one and then
/// 429 forever, with `Retry-After: 0` (the `TooManyForever` target of tests/hostile.rs); returns the
/// variables a user would set, with one 429 retry so a replay is quick.
fn rate_limited_forever() -> HashMap<String, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
            tx.send(listener.local_addr().expect("addr").port()).expect("send port");
            let served = Arc::new(AtomicUsize::new(0));
            // Stops by itself; a replay is over long before.
            let _ = tokio::time::timeout(Duration::from_secs(60), async {
                while let Ok((socket, _)) = listener.accept().await {
                    let _ = socket.set_nodelay(true);
                    tokio::spawn(answer_setup_then_429(socket, Arc::clone(&served)));
                }
            })
            .await;
        });
    });
    let port = rx.recv().expect("server started");
    HashMap::from([
        ("JOURNEY_API_URL".to_string(), format!("http://127.0.0.1:{port}/api/v4/acc")),
        ("JOURNEY_API_USER".to_string(), "acc".to_string()),
        ("JOURNEY_API_PASSWORD".to_string(), PASSWORD.to_string()),
        ("JOURNEY_API_429_RETRIES".to_string(), "1".to_string()),
    ])
}

/// Serves one connection: the first two requests of the target (setup) healthily, every later one a 429.
async fn answer_setup_then_429(socket: tokio::net::TcpStream, served: Arc<AtomicUsize>) {
    let mut socket = tokio::io::BufReader::new(socket);
    loop {
        let (mut request_line, mut length) = (String::new(), 0);
        loop {
            let mut line = String::new();
            if !matches!(socket.read_line(&mut line).await, Ok(n) if n > 0) {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if request_line.is_empty() {
                request_line = line;
            }
        }
        let mut body = vec![0; length];
        if socket.read_exact(&mut body).await.is_err() {
            return;
        }
        let setup = served.fetch_add(1, Ordering::SeqCst) < 2;
        let (status, extra, body) = if setup && request_line.contains("/datamodel.json ") {
            ("200 OK", "", MODEL.to_string())
        } else if setup && request_line.starts_with("POST ") {
            ("201 Created", "", format!(r#"{{"id":"{}","type":"task","name":"x"}}"#, uuid::Uuid::new_v4()))
        } else {
            ("429 Too Many Requests", "Retry-After: 0\r\n", TOO_MANY.to_string())
        };
        let head = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n", body.len());
        if socket.get_mut().write_all(format!("{head}{extra}\r\n{body}").as_bytes()).await.is_err() {
            return;
        }
    }
}

fn env_pairs(env: &HashMap<String, String>) -> Vec<(&str, &str)> {
    env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_writes_four_reports_that_agree_and_leak_nothing() {
    let dir = scratch("reports");
    let env = target(Mode::Clean);
    let out = bin(
        &[
            "run",
            "--family",
            "methods,auth",
            "--report",
            "junit,html,md,ndjson",
            "--report-dir",
            dir.to_str().unwrap(),
            "--seed",
            "99",
        ],
        &env_pairs(&env),
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let junit = read(&dir.join("junit.xml"));
    let doc = roxmltree::Document::parse(&junit).expect("JUnit parses as XML");
    let suites: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("testsuite")).filter_map(|n| n.attribute("name")).collect();
    assert_eq!(suites, ["methods", "auth"]);
    let testcases = doc.descendants().filter(|n| n.has_tag_name("testcase")).count();
    let lines: Vec<Value> =
        read(&dir.join("cases.ndjson")).lines().map(|l| serde_json::from_str(l).expect("NDJSON line")).collect();
    assert_eq!(testcases, lines.len());
    // One account only, so the cases that need a second one are skipped, saying so; the rest pass.
    let second_account = |l: &Value| l["skip_reason"].as_str().is_some_and(|r| r.contains("JOURNEY_API_URL_2"));
    assert!(lines.iter().all(|l| (l["verdict"] == "pass" || l["verdict"] == "skip" && second_account(l))
        && l["family"].is_string()
        && l["request"]["method"].is_string()));
    let html = read(&dir.join("report.html"));
    assert!(html.contains("<table id=\"matrix\">") && html.contains("seed</th><td>99"));
    let md = read(&dir.join("summary.md"));
    let skipped = lines.iter().filter(|l| l["verdict"] == "skip").count();
    assert!(md.contains(&format!("{} passed, 0 failed", testcases - skipped)), "{md}");
    for (name, body) in [("junit", &junit), ("html", &html), ("md", &md), ("stdout", &stdout), ("stderr", &stderr)] {
        assert!(!body.contains(PASSWORD), "{name} leaks the password");
    }
    assert!(!read(&dir.join("cases.ndjson")).contains(PASSWORD), "ndjson leaks the password");
    assert!(stderr.contains("progress:") && !stderr.contains('\r'), "plain progress lines under CI: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failing_target_exits_1_and_the_junit_carries_the_failures() {
    let dir = scratch("failing");
    let env = target(Mode::Status405);
    let out = bin(
        &["--case", "methods/wrong-method/*", "--report", "junit", "--report-dir", dir.to_str().unwrap()],
        &env_pairs(&env),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let junit = read(&dir.join("junit.xml"));
    let doc = roxmltree::Document::parse(&junit).expect("JUnit parses");
    let failures: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("failure")).collect();
    assert!(!failures.is_empty(), "no <failure> for a 405 target");
    let message = failures[0].attribute("message").unwrap_or_default();
    assert!(message.contains("405") && message.contains("ROUTE_ERROR"), "{message}");
    assert!(failures[0].text().unwrap_or_default().contains("repro:"), "failure text carries the repro");
    assert!(!junit.contains(PASSWORD));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts the reference behind one fault of the testkit catalogue in its own thread; returns its variables.
fn fault_target(name: &'static str) -> HashMap<String, String> {
    journey_testkit::faults::target::in_background(move || async move {
        let fault = journey_testkit::faults::find(name).expect("a fault of that name");
        journey_testkit::faults::target::FaultyTarget::start(Some(fault), Config::demo()).await
    })
}

#[test]
fn a_non_strict_only_run_exits_0_by_default_and_1_under_strict() {
    let env = fault_target("see-without-type-fragment");
    let dir = scratch("non-strict");
    let args =
        ["--case", "ids/unknown/*", "--verbose", "--report", "junit,ndjson", "--report-dir", dir.to_str().unwrap()];
    let out = bin(&args, &env_pairs(&env));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "only SHOULDs broken: {stdout}{}", text(&out.stderr));
    assert!(stdout.contains("NON-STRICT ids/unknown/") && stdout.contains("should:   [see link]"), "{stdout}");
    assert!(!stdout.contains("FAIL ids/"), "no failure printed: {stdout}");
    assert!(stdout.contains("MUST failures: 0 cases · inconclusive: 0 cases · SHOULD findings: "), "{stdout}");
    assert!(stdout.contains("non-strict"), "{stdout}");
    let junit = read(&dir.join("junit.xml"));
    assert!(!junit.contains("<failure"), "non-strict is no JUnit failure: {junit}");
    assert!(junit.contains("name=\"non-strict\""), "{junit}");
    assert!(read(&dir.join("cases.ndjson")).contains("\"verdict\":\"non-strict\""));
    let replay = bin(&["replay", "ids/unknown/GET-random-v4"], &env_pairs(&env));
    let shown = text(&replay.stdout);
    assert_eq!(replay.status.code(), Some(0), "a non-strict replay exits 0: {shown}");
    assert!(shown.contains("verdict:  NON-STRICT") && shown.contains("should:   [see link]"), "{shown}");
    let strict = bin(&[&args[..3], &["--profile", "strict"]].concat(), &env_pairs(&env));
    let stdout = text(&strict.stdout);
    assert_eq!(strict.status.code(), Some(1), "strict fails a broken SHOULD: {stdout}");
    assert!(stdout.contains("FAIL ids/unknown/") && stdout.contains("(failed under --profile strict)"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Arguments, variables, and the text the error line must contain.
type BadInput<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[test]
fn configuration_errors_exit_2_naming_the_culprit() {
    let cases: [BadInput; 7] = [
        (&["--concurrency", "0"], &[], "--concurrency (JOURNEY_API_CONCURRENCY)"),
        (&[], &[("JOURNEY_API_CONCURRENCY", "0")], "JOURNEY_API_CONCURRENCY:"),
        (&["--target", "ftp://x/api/v4/a"], &[("JOURNEY_API_TOKEN", "t0ken-value")], "--target (JOURNEY_API_URL)"),
        (&["--case", "no-such-family/*"], &[], "no case matches --case 'no-such-family/*'"),
        (&["--family", "nope"], &[], "unknown family `nope`"),
        (&["list", "--case", "ids/[a"], &[], "invalid value 'ids/[a' for '--case <GLOB>': unclosed character class"),
        (&["--report", "pdf"], &[], "unknown report format `pdf`"),
    ];
    for (args, env, expected) in cases {
        let out = bin(args, env);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("t0ken-value"), "{stderr}");
    }
}

#[test]
fn list_prints_id_description_and_spec() {
    let out = bin(&["list", "--family", "accounts"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(!lines.is_empty());
    for line in &lines {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "{line}");
        assert!(
            fields[0].starts_with("accounts/") && !fields[1].is_empty() && fields[2].contains("docs/contract.md#"),
            "{line}"
        );
    }
    assert!(text(&out.stderr).contains(&format!("{} cases", lines.len())));
}

#[test]
fn replay_runs_one_case_verbosely_and_rejects_unknown_ids() {
    let env = target(Mode::Clean);
    let listed = text(&bin(&["list", "--case", "methods/wrong-method/DELETE-*"], &[]).stdout);
    let id = listed.lines().next().and_then(|l| l.split('\t').next()).expect("a wrong-method case").to_string();
    let out = bin(&["replay", &id], &env_pairs(&env));
    check_replay(&out);
    let out = bin(&["replay", "methods/wrong-method/NOPE"], &env_pairs(&env));
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no case has the ID") && stderr.contains("similar: methods/wrong-method/"), "{stderr}");
}

#[test]
fn replay_of_an_inconclusive_case_exits_1() {
    let env = rate_limited_forever();
    let started = Instant::now();
    let out = bin(&["replay", "methods/wrong-method/DELETE-objects-collection"], &env_pairs(&env));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        stdout.contains("response: 429") && stdout.contains("verdict:  INCONCLUSIVE (still rate limited"),
        "{stdout}{stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "an inconclusive case proves nothing: {stdout}{stderr}");
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

fn check_replay(out: &Output) {
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    for part in ["case:", "request:", "response: 404", "verdict:  PASS", "repro:    curl", "$JOURNEY_API_PASSWORD"] {
        assert!(stdout.contains(part), "replay output lacks {part}: {stdout}");
    }
    assert!(!stdout.contains(PASSWORD), "replay leaks the password");
}

#[test]
fn repeat_soaks_the_same_cases_and_names_answers_that_change() {
    let env = target(Mode::Clean);
    let out = bin(&["--family", "methods", "--repeat", "3"], &env_pairs(&env));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    let ran: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ran "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a `ran N cases` line");
    // The header names the family's cases (`· N cases`), so the count follows the family as it grows.
    let cases: usize = stdout
        .lines()
        .find_map(|l| l.rsplit_once(" · ").and_then(|(_, n)| n.strip_suffix(" cases")))
        .and_then(|n| n.parse().ok())
        .expect("a `· N cases` header");
    assert!(cases > 100, "the methods family has {cases} cases: {stdout}");
    assert_eq!(ran, 3 * cases, "three passes of the methods family: {stdout}");
    assert!(!stdout.contains("FLAKY"), "{stdout}");

    // Scenario cases mark what they create; a second pass must not count the first pass's objects.
    let out = bin(&["--family", "batch,side-effects", "--repeat", "2"], &env_pairs(&env));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("FLAKY"), "{stdout}");

    let env = target(Mode::FlakyOnRepeat);
    let out = bin(&["--family", "methods", "--repeat", "2"], &env_pairs(&env));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FLAKY methods/wrong-method/DELETE-objects-collection: pass 1 observed 404 ROUTE_ERROR (ok), pass 2 observed 405"), "{stdout}");
    assert!(!stdout.contains(PASSWORD));
}
