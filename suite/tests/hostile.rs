//! Hostile targets: whatever a target does, the suite ends with a clear verdict, in bounded time and
//! memory, and never reports a pass it did not see. Each test starts a tiny loopback server that
//! answers the run's setup (data model, fixture) like a healthy target and then misbehaves in one way;
//! the whole suite runs against it through the real client, oracle and circuit breaker.

use journey_conformance::config::Settings;
use journey_conformance::oracle::Rule;
use journey_conformance::run::Run;
use journey_conformance::runner::CaseResult;
use journey_conformance::session::Session;
use journey_conformance::warnings::warnings;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// What the server does once setup is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hostility {
    /// Accepts and never answers.
    Silent,
    /// Answers one byte per second.
    Trickle,
    /// Announces and streams a 1 GiB body.
    Huge,
    /// Answers bytes that are not HTTP.
    Garbage,
    /// Answers every request with a 200 HTML page.
    Html,
    /// Resets the connection (RST) instead of answering.
    Reset,
    /// Redirects every request to itself.
    RedirectLoop,
    /// Answers 429 (documented body, `Retry-After: 1`) forever.
    TooManyForever,
    /// Answers 429 as an HTML page without `Retry-After`, forever.
    TooManyAsHtml,
    /// Answers with control bytes in a header.
    BadHeaderBytes,
    /// Announces more body than it sends, then closes.
    LyingContentLength,
    /// Serves a few cases, then closes its port.
    ClosesMidRun,
}

/// Requests answered healthily before the hostility starts: the data model and the fixture.
const SETUP_REQUESTS: usize = 2;
/// Cases `ClosesMidRun` answers before it closes the port.
const MID_RUN_CASES: usize = 40;
/// The response cap the runs use, so the 1 GiB body shows the cap at work.
const CAP: usize = 64 * 1024;
const PASSWORD: &str = "hostile-secret-pw";
const UUID: &str = "0b6f1c5e-3a51-4c8e-9c39-6f0a3e9d2b71";

struct Server {
    port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept task drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

async fn start(hostility: Hostility) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let served = Arc::new(AtomicUsize::new(0));
    let task = tokio::spawn(async move {
        let mut connections = JoinSet::new();
        while let Ok((socket, _)) = listener.accept().await {
            if hostility == Hostility::ClosesMidRun && served.load(Ordering::SeqCst) >= SETUP_REQUESTS + MID_RUN_CASES {
                // Close the port: the listener and every open connection go away.
                drop(socket);
                connections.abort_all();
                break;
            }
            connections.spawn(serve(socket, hostility, Arc::clone(&served)));
        }
        drop(listener);
        // Keep the task alive (and so the JoinSet's remaining tasks) until aborted.
        std::future::pending::<()>().await;
    });
    Server { port, task }
}

/// Reads one request head and its body (discarded); `None` when the client went away.
async fn read_request(socket: &mut TcpStream) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    let deadline = Duration::from_secs(5);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 64 * 1024 {
            return None;
        }
        match tokio::time::timeout(deadline, socket.read(&mut byte)).await {
            Ok(Ok(1)) => head.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut words = text.split_whitespace();
    let (method, path) = (words.next()?.to_string(), words.next()?.to_string());
    let length = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<u64>().unwrap_or(0))
        })
        .unwrap_or(0);
    let mut left = length.min(64 << 20);
    let mut sink = vec![0u8; 64 * 1024];
    while left > 0 {
        let want = sink.len().min(left as usize);
        match tokio::time::timeout(deadline, socket.read(&mut sink[..want])).await {
            Ok(Ok(n)) if n > 0 => left -= n as u64,
            _ => return None,
        }
    }
    Some((method, path))
}

fn response(status: &str, content_type: &str, extra: &str, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}\r\n{body}", body.len())
        .into_bytes()
}

fn healthy(method: &str, path: &str) -> Vec<u8> {
    if method == "GET" && path.ends_with("/datamodel.json") {
        let model = r#"{"models":{"task":{"name":"task","label":"Task","fields":{"name":{"name":"name","label":"Name","type":"text"}}}},"datamodel_hash":"h"}"#;
        response("200 OK", "application/json", "", model)
    } else if method == "POST" {
        response("201 Created", "application/json", "", &format!(r#"{{"id":"{UUID}","type":"task","name":"x"}}"#))
    } else {
        let body = r#"{"type":"OBJECT_NOT_FOUND","title":"Object not found.","detail":"No such object.","see":"https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND"}"#;
        response("404 Not Found", "application/json", "", body)
    }
}

async fn serve(mut socket: TcpStream, hostility: Hostility, served: Arc<AtomicUsize>) {
    loop {
        let Some((method, path)) = read_request(&mut socket).await else { return };
        let n = served.fetch_add(1, Ordering::SeqCst);
        let limit = if hostility == Hostility::ClosesMidRun { SETUP_REQUESTS + MID_RUN_CASES } else { SETUP_REQUESTS };
        if n < limit {
            if socket.write_all(&healthy(&method, &path)).await.is_err() {
                return;
            }
            continue;
        }
        misbehave(socket, hostility, &path).await;
        return;
    }
}

async fn misbehave(mut socket: TcpStream, hostility: Hostility, path: &str) {
    let close = "Connection: close\r\n";
    let _ = match hostility {
        Hostility::Silent | Hostility::ClosesMidRun => {
            // Hold the connection until the client gives up (bounded, like every loop here).
            let mut buf = [0u8; 1024];
            let _ = tokio::time::timeout(Duration::from_secs(30), async {
                while matches!(socket.read(&mut buf).await, Ok(n) if n > 0) {}
            })
            .await;
            Ok(())
        }
        Hostility::Trickle => {
            for b in b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}" {
                if socket.write_all(&[*b]).await.is_err() {
                    break;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Ok(())
        }
        Hostility::Huge => {
            let head = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{close}\r\n",
                1u64 << 30
            );
            let chunk = vec![b' '; 64 * 1024];
            let mut result = socket.write_all(head.as_bytes()).await;
            // 1 GiB in 64 KiB chunks from one buffer: never materialised; stops when the client hangs up.
            for _ in 0..(1 << 30) / chunk.len() {
                if result.is_err() {
                    break;
                }
                result = socket.write_all(&chunk).await;
            }
            result
        }
        Hostility::Garbage => socket.write_all(b"\x00\xff\xfeSSH-2.0-OpenSSH_9.6 \x1b[31m garbage\r\n\r\n").await,
        Hostility::Html => {
            socket
                .write_all(&response(
                    "200 OK",
                    "text/html",
                    close,
                    "<html><body><h1>Welcome to nginx!</h1></body></html>",
                ))
                .await
        }
        Hostility::Reset => {
            #[allow(deprecated)]
            let _ = socket.set_linger(Some(Duration::ZERO));
            Ok(())
        }
        Hostility::RedirectLoop => {
            socket.write_all(&response("302 Found", "text/plain", &format!("Location: {path}\r\n{close}"), "")).await
        }
        Hostility::TooManyForever => {
            let body = r#"{"type":"TOO_MANY_REQUESTS","title":"Too many requests.","detail":"Slow down.","see":"https://docs.journeyapps.com/api-errors#TOO_MANY_REQUESTS"}"#;
            socket
                .write_all(&response(
                    "429 Too Many Requests",
                    "application/json",
                    &format!("Retry-After: 1\r\n{close}"),
                    body,
                ))
                .await
        }
        Hostility::TooManyAsHtml => {
            socket
                .write_all(&response(
                    "429 Too Many Requests",
                    "text/html",
                    close,
                    "<html><body>Slow down</body></html>",
                ))
                .await
        }
        Hostility::BadHeaderBytes => {
            socket.write_all(b"HTTP/1.1 404 Not Found\r\nX-B\x01d: v\x00\x7f\r\nContent-Length: 0\r\n\r\n").await
        }
        Hostility::LyingContentLength => socket
            .write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":",
            )
            .await,
    };
    let _ = socket.shutdown().await;
}

struct Outcome {
    elapsed: Duration,
    results: BTreeMap<String, CaseResult>,
    warnings: Vec<String>,
}

impl Outcome {
    fn count(&self, f: impl Fn(&CaseResult) -> bool) -> usize {
        self.results.values().filter(|r| f(r)).count()
    }
    fn passed(&self) -> usize {
        self.count(|r| r.skipped.is_none() && r.ok())
    }
    fn inconclusive(&self) -> usize {
        self.count(|r| r.inconclusive().is_some())
    }
    fn failed(&self) -> usize {
        self.count(|r| !r.ok() && r.inconclusive().is_none())
    }
    fn report(&self, name: &str) {
        println!(
            "{name:<22} {:>5.1}s  passed {:>4}  failed {:>4}  inconclusive {:>4}  warnings: {:?}",
            self.elapsed.as_secs_f64(),
            self.passed(),
            self.failed(),
            self.inconclusive(),
            self.warnings
        );
    }
}

fn settings(url: &str, extra: &[(&str, &str)]) -> Settings {
    let mut env: HashMap<String, String> = [
        ("JOURNEY_API_URL", url),
        ("JOURNEY_API_USER", "acc"),
        ("JOURNEY_API_PASSWORD", PASSWORD),
        ("JOURNEY_API_TIMEOUT", "0.5"),
        ("JOURNEY_API_MAX_RESPONSE_BYTES", "65536"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings")
}

/// The whole suite against a hostile server; setup must succeed (the server answers it healthily).
async fn run_against(hostility: Hostility, extra: &[(&str, &str)]) -> Outcome {
    run_some(hostility, extra, &[""]).await
}

/// Like [`run_against`], only the cases whose ID starts with one of `prefixes`.
async fn run_some(hostility: Hostility, extra: &[(&str, &str)], prefixes: &[&str]) -> Outcome {
    let server = start(hostility).await;
    let started = Instant::now();
    let url = format!("http://127.0.0.1:{}/api/v4/acc", server.port);
    let session = Session::start(settings(&url, extra)).await.expect("setup is answered healthily");
    let mut run = Run::new(session);
    run.retain(|c| prefixes.iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let warnings = warnings(&run.cases, &results);
    let outcome = Outcome { elapsed: started.elapsed(), results, warnings };
    outcome.report(&format!("{hostility:?}"));
    for r in outcome.results.values() {
        let rendered = format!("{:?}", r.verdict.violations());
        assert!(!rendered.contains(PASSWORD), "a verdict carries the password: {rendered}");
    }
    outcome
}

/// A target that stops answering: a handful of real transport failures, then the breaker holds the
/// rest back as inconclusive, said once; nothing passes; far quicker than one timeout per case.
fn assert_stopped(o: &Outcome, bound: Duration) {
    let cases = o.results.len();
    assert!(o.elapsed < bound, "took {:?} (bound {bound:?})", o.elapsed);
    assert!(
        o.failed() <= 40 + MID_RUN_CASES,
        "{} real failures: the breaker should have held the rest back",
        o.failed()
    );
    assert!(o.inconclusive() > cases / 2, "only {} of {cases} inconclusive", o.inconclusive());
    let stopped: Vec<&String> = o.warnings.iter().filter(|w| w.contains("stopped answering")).collect();
    assert_eq!(stopped.len(), 1, "the dead target must be said once: {:?}", o.warnings);
    assert!(!stopped[0].contains('\n'));
}

const BOUND: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_target_is_reported_once_not_as_a_timeout_per_case() {
    let o = run_against(Hostility::Silent, &[]).await;
    assert_stopped(&o, BOUND);
    assert_eq!(o.passed(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_answering_one_byte_per_second_times_out_whole() {
    let o = run_against(Hostility::Trickle, &[]).await;
    assert_stopped(&o, BOUND);
    assert_eq!(o.passed(), 0);
    assert!(o.results.values().any(|r| r
        .verdict
        .violations()
        .iter()
        .any(|v| v.message.contains("no complete answer within 0.5s"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1_gib_body_is_read_only_up_to_the_cap() {
    // Every case makes the server start a 1 GiB body; two families (~280 cases) show it and keep the test short.
    let o = run_some(Hostility::Huge, &[], &["ids/", "methods/"]).await;
    assert!(o.elapsed < BOUND, "took {:?}", o.elapsed);
    // A HEAD answer has no body to read (its Content-Length describes the GET answer).
    let answered: Vec<&CaseResult> =
        o.results.values().filter(|r| r.response.is_some() && !r.id.contains("/HEAD-")).collect();
    assert!(!answered.is_empty());
    for r in &answered {
        let resp = r.response.as_ref().expect("answered");
        assert!(resp.body.len() <= CAP && resp.truncated, "{}: {} bytes kept", r.id, resp.body.len());
        assert!(
            r.verdict.violations().iter().any(|v| v.rule == Rule::Transport && v.message.contains("exceeds the cap")),
            "{}",
            r.id
        );
    }
    assert!(o.failed() >= answered.len());
    if let Some(peak) = peak_rss_mib() {
        println!("peak RSS of the test process: {peak} MiB");
        assert!(peak < 512, "peak RSS {peak} MiB: a 1 GiB body must never be held");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_resets_bad_headers_and_short_bodies_stop_the_run_cleanly() {
    for hostility in [Hostility::Garbage, Hostility::Reset, Hostility::BadHeaderBytes, Hostility::LyingContentLength] {
        let o = run_against(hostility, &[]).await;
        assert_stopped(&o, BOUND);
        assert_eq!(o.passed(), 0, "{hostility:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_redirect_loops_fail_every_error_case() {
    let o = run_against(Hostility::Html, &[]).await;
    assert!(o.elapsed < BOUND);
    assert!(o.failed() > o.results.len() / 2, "HTML for everything must fail most cases");
    assert!(o.results.values().any(|r| r.verdict.violations().iter().any(|v| v.rule == Rule::ClientInput)));
    let o = run_against(Hostility::RedirectLoop, &[]).await;
    assert!(o.elapsed < BOUND);
    assert_eq!(o.passed(), 0, "a redirect is never a pass");
    assert!(o.results.values().filter(|r| r.response.is_some()).all(|r| r
        .verdict
        .violations()
        .iter()
        .any(|v| v.message.contains("redirects"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_answers_429_forever_is_inconclusive_never_passed() {
    let o = run_against(Hostility::TooManyForever, &[("JOURNEY_API_429_RETRIES", "1")]).await;
    assert!(o.elapsed < BOUND, "took {:?}", o.elapsed);
    assert_eq!(o.passed(), 0, "a rate-limited case is never a pass");
    assert_eq!(o.failed(), 0, "a well-formed 429 is inconclusive, not a failure");
    assert!(o.warnings.iter().any(|w| w.contains("stopped answering")), "{:?}", o.warnings);
    assert!(o.warnings.iter().any(|w| w.contains("rate limited")), "{:?}", o.warnings);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_closes_its_port_mid_run_stops_the_run() {
    let o = run_against(Hostility::ClosesMidRun, &[]).await;
    assert_stopped(&o, BOUND);
    assert!(o.results.values().any(|r| r.response.is_some()), "some cases were answered before the port closed");
}

/// Setup against a TLS mismatch fails with one line, quickly, without the password.
async fn setup_error(url: &str) -> (String, Duration) {
    let started = Instant::now();
    match Session::start(settings(url, &[])).await {
        Ok(_) => panic!("setup against {url} must fail"),
        Err(e) => (e.to_string(), started.elapsed()),
    }
}

fn assert_one_line(message: &str, took: Duration) {
    println!("{message} ({:.1}s)", took.as_secs_f64());
    assert!(!message.contains('\n') && !message.is_empty(), "{message}");
    assert!(!message.contains(PASSWORD), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_on_a_plain_port_and_plain_http_on_a_tls_url_fail_cleanly() {
    let tls = TlsServer::start();
    let (message, took) = setup_error(&format!("http://127.0.0.1:{}/api/v4/acc", tls.port)).await;
    assert_one_line(&message, took);
    // The same server at an https URL: its self-signed certificate is refused, cleanly.
    let (message, took) = setup_error(&format!("https://127.0.0.1:{}/api/v4/acc", tls.port)).await;
    assert_one_line(&message, took);
    let plain = start(Hostility::Html).await;
    let (message, took) = setup_error(&format!("https://127.0.0.1:{}/api/v4/acc", plain.port)).await;
    assert_one_line(&message, took);
}

/// A TLS server with a self-signed certificate made now (rcgen), on a thread that stops by itself.
struct TlsServer {
    port: u16,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl TlsServer {
    fn start() -> TlsServer {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).expect("self-signed cert");
        let cert = CertificateDer::from(certified.cert.der().to_vec());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("server config");
        let config = Arc::new(config);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !flag.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut socket, _)) => {
                        let _ = socket.set_nonblocking(false);
                        let _ = socket.set_read_timeout(Some(Duration::from_secs(2)));
                        let _ = socket.set_write_timeout(Some(Duration::from_secs(2)));
                        if let Ok(mut conn) = rustls::ServerConnection::new(Arc::clone(&config)) {
                            // Handshake (or fail on plain HTTP, sending an alert), then answer nothing more.
                            for _ in 0..10 {
                                if conn.complete_io(&mut socket).is_err() || !conn.is_handshaking() {
                                    break;
                                }
                            }
                            let _ = conn.write_tls(&mut socket);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        TlsServer { port, stop }
    }
}

/// The process's peak resident memory in MiB (Linux), when it can be read.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib / 1024)
}

/// The reference with a token bucket per account, behind no fault.
async fn limited_reference(limit: &str) -> journey_testkit::faults::target::FaultyTarget {
    let config = journey_reference::Config {
        rate_limit: Some(limit.parse().expect("limit")),
        ..journey_reference::Config::demo()
    };
    journey_testkit::faults::target::FaultyTarget::start(None, config).await.expect("bind loopback")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_checks_pass_on_a_limited_reference_and_fail_on_an_html_429() {
    use journey_conformance::ratelimit::{check, IDS};
    let target = limited_reference("20:5").await;
    let session =
        Session::start(target.settings(&[("JOURNEY_API_RATE", "18")]).expect("settings")).await.expect("setup");
    let results = check(&session).await;
    assert_eq!(results.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), IDS);
    for r in &results {
        assert!(r.ok(), "{}: {:?} {:?}", r.id, r.verdict.violations(), r.inconclusive());
    }
    let limited = results[0].response.as_ref().expect("the 429");
    assert_eq!(limited.status, 429);
    assert!(limited.headers.contains_key("retry-after"));

    // Without a limit there is nothing to see: inconclusive, never passed.
    let unlimited = journey_testkit::faults::target::FaultyTarget::start(None, journey_reference::Config::demo())
        .await
        .expect("bind");
    let session = Session::start(unlimited.settings(&[]).expect("settings")).await.expect("setup");
    for r in check(&session).await {
        assert!(!r.ok() && r.inconclusive().is_some(), "{}: {:?}", r.id, r.inconclusive());
    }

    // A 429 as an HTML page breaks §6.1, and a target that never recovers fails the recovery check.
    let server = start(Hostility::TooManyAsHtml).await;
    let url = format!("http://127.0.0.1:{}/api/v4/acc", server.port);
    let session = Session::start(settings(&url, &[])).await.expect("setup");
    let started = Instant::now();
    let results = check(&session).await;
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    assert!(
        results[0].verdict.violations().iter().any(|v| v.rule == Rule::ErrorBody),
        "{:?}",
        results[0].verdict.violations()
    );
    assert!(!results[1].ok() && results[1].inconclusive().is_none(), "{:?}", results[1].verdict.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paced_run_against_a_rate_limited_reference_passes_without_inconclusive_cases() {
    let target = limited_reference("40:8").await;
    let session =
        Session::start(target.settings(&[("JOURNEY_API_RATE", "36")]).expect("settings")).await.expect("setup");
    let mut run = Run::new(session);
    run.retain(|c| c.id.starts_with("ids/") || c.id.starts_with("methods/control/"));
    let started = Instant::now();
    let results = run.all().await;
    let bad: Vec<String> = results
        .values()
        .filter(|r| !r.ok())
        .map(|r| format!("{}: {:?} {:?}", r.id, r.inconclusive(), r.verdict.violations()))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Pacing, not luck: at 36/s the run cannot be faster than the cases allow.
    let floor = Duration::from_secs_f64((results.len() as f64 - 8.0).max(0.0) / 36.0 * 0.9);
    assert!(started.elapsed() >= floor, "{} cases in {:?}: faster than the pace", results.len(), started.elapsed());
}
