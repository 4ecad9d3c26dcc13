//! The client against a scripted loopback server: outages waited out, gateway pages retried, a
//! request's own failure handed back, the budget and the strike limit stopping the run.

use super::*;
use crate::declare::request_body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What the scripted server does with a request, by path: `/slow` always stalls; everything else
/// follows the current mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Holds every request (the client times out).
    Stall,
    /// Answers every request with a load balancer's HTML 503 and `Retry-After: 0`.
    Gateway,
}

struct Script {
    mode: Mutex<Mode>,
    served: AtomicUsize,
}

async fn handle(State(script): State<Arc<Script>>, uri: axum::http::Uri) -> axum::response::Response {
    script.served.fetch_add(1, Ordering::SeqCst);
    let mode = *script.mode.lock().unwrap();
    if uri.path() == "/slow" || mode == Mode::Stall {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    match mode {
        Mode::Gateway => {
            (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "0"), ("content-type", "text/html")], "<html>503</html>")
                .into_response()
        }
        _ => (StatusCode::OK, [("content-type", "application/json")], "{}").into_response(),
    }
}

struct Server {
    url: String,
    script: Arc<Script>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    async fn start() -> Server {
        use axum::serve::ListenerExt;
        let script = Arc::new(Script { mode: Mutex::new(Mode::Normal), served: AtomicUsize::new(0) });
        let app = axum::Router::new().fallback(handle).with_state(Arc::clone(&script));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server { url, script, task }
    }

    fn set(&self, mode: Mode) {
        *self.script.mode.lock().unwrap() = mode;
    }

    fn get(&self, path: &str) -> WireRequest {
        WireRequest { method: "GET".into(), url: format!("{}{path}", self.url), headers: vec![], body: None }
    }
}

fn client(pacing: Pacing) -> HttpClient {
    HttpClient::new(4, Duration::from_millis(300), 1024).expect("client").paced(pacing)
}

#[tokio::test]
async fn a_target_that_never_answered_is_not_waited_for() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let client = client(Pacing::default());
    let req =
        WireRequest { method: "GET".into(), url: format!("http://127.0.0.1:{port}/"), headers: vec![], body: None };
    let started = std::time::Instant::now();
    let e = client.send(&req).await.expect_err("nothing listens");
    assert!(matches!(e, TransportError::Connect(_)) && !e.held_back(), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "a wrong URL fails at once: {:?}", started.elapsed());
    assert_eq!(client.outage_report().outages, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_waited_out_and_the_requests_it_failed_are_resent() {
    let server = Server::start().await;
    let client = client(Pacing::default());
    client.set_probe(server.get("/probe"));
    assert_eq!(client.send(&server.get("/a")).await.expect("up").status, 200);
    server.set(Mode::Stall);
    let sends: Vec<_> = (0..6)
        .map(|i| {
            let (client, req) = (client.clone(), server.get(&format!("/case/{i}")));
            tokio::spawn(async move { client.send(&req).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.set(Mode::Normal);
    for send in sends {
        let answer = send.await.expect("task");
        assert_eq!(answer.expect("resent after the outage, never a failure").status, 200);
    }
    let report = client.outage_report();
    assert_eq!(report.outages, 1, "{report:?}");
    assert!(report.waited > Duration::ZERO && report.waited < Duration::from_secs(5), "{report:?}");
    assert!(report.line().is_some_and(|l| l.contains("down 1 time;")), "{report:?}");
    assert_eq!(client.stopped(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_page_is_retried_and_handed_back_only_while_the_target_otherwise_answers() {
    let server = Server::start().await;
    let client = client(Pacing::default());
    client.set_probe(server.get("/probe"));
    assert_eq!(client.send(&server.get("/a")).await.expect("up").status, 200);
    // A deploy behind a load balancer: 503 pages for a while, then answers; the page is never the answer.
    server.set(Mode::Gateway);
    let send = {
        let (client, req) = (client.clone(), server.get("/b"));
        tokio::spawn(async move { client.send(&req).await })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.set(Mode::Normal);
    assert_eq!(send.await.expect("task").expect("answered").status, 200);

    // A page that recurs on one request while the probe is answered is that request's answer, to be judged.
    let gateway_only = Server::start().await;
    let client = client_for_gateway_only(&gateway_only).await;
    let answer = client.send(&gateway_only.get("/gateway")).await.expect("an answer");
    assert_eq!(answer.status, 503);
    assert_eq!(client.outage_report().outages, 0);
}

/// A client whose probe goes to a healthy server while `/gateway` on `server` always answers 503 pages.
async fn client_for_gateway_only(server: &Server) -> HttpClient {
    let healthy = Server::start().await;
    let client = client(Pacing::default());
    assert_eq!(client.send(&healthy.get("/a")).await.expect("up").status, 200);
    client.set_probe(healthy.get("/probe"));
    server.set(Mode::Gateway);
    // The healthy server must outlive the client's probes: leak it into a task that ends with the test.
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(healthy);
    });
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_of_its_own_that_times_out_is_its_failure_and_enough_in_a_row_stop_the_run() {
    let server = Server::start().await;
    let client = client(Pacing { breaker: 3, ..Pacing::default() });
    client.set_probe(server.get("/probe"));
    assert_eq!(client.send(&server.get("/a")).await.expect("up").status, 200);
    for _ in 0..3 {
        let e = client.send(&server.get("/slow")).await.expect_err("times out");
        assert!(matches!(e, TransportError::Timeout(_)), "the probe answered, so the timeout is the request's: {e:?}");
    }
    let e = client.send(&server.get("/a")).await.expect_err("held back");
    assert!(e.held_back() && e.to_string().contains("3 requests in a row failed"), "{e}");
    assert_eq!(client.outage_report().outages, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_down_past_the_outage_budget_is_said_once_and_the_rest_not_sent() {
    let server = Server::start().await;
    let client = client(Pacing { outage_budget: Duration::from_millis(800), ..Pacing::default() });
    client.set_probe(server.get("/probe"));
    assert_eq!(client.send(&server.get("/a")).await.expect("up").status, 200);
    server.set(Mode::Stall);
    let started = std::time::Instant::now();
    let e = client.send(&server.get("/b")).await.expect_err("never answered");
    assert!(e.held_back(), "{e:?}");
    let why = client.stopped().expect("stopped");
    assert!(why.contains("outage budget") && why.contains("no complete answer within 0.3s"), "{why}");
    assert!(started.elapsed() < Duration::from_secs(4), "bounded by the budget: {:?}", started.elapsed());
    let served = server.script.served.load(Ordering::SeqCst);
    let e = client.send(&server.get("/c")).await.expect_err("held back");
    assert!(e.to_string().starts_with(NOT_SENT), "{e}");
    assert_eq!(server.script.served.load(Ordering::SeqCst), served, "nothing more reaches the target");

    // Teardown gets a breaker of its own, so it still deletes what the run created once the target is back.
    server.set(Mode::Normal);
    let teardown = client.with_fresh_breaker(Duration::from_secs(5));
    assert_eq!(teardown.send(&server.get("/d")).await.expect("sent again").status, 200);
}

#[tokio::test]
async fn with_the_breaker_off_every_failure_is_handed_back_at_once() {
    let server = Server::start().await;
    let client = client(Pacing { breaker: 0, ..Pacing::default() });
    assert_eq!(client.send(&server.get("/a")).await.expect("up").status, 200);
    server.set(Mode::Stall);
    for _ in 0..12 {
        let e = client.send(&server.get("/b")).await.expect_err("times out");
        assert!(matches!(e, TransportError::Timeout(_)), "{e:?}");
    }
    assert_eq!(client.stopped(), None);
}

/// What a server reads of one request: its header block and exactly `Content-Length` body bytes.
async fn read_request(socket: &mut tokio::net::TcpStream) -> (String, Vec<u8>) {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut buf = [0u8; 8192];
    let end = loop {
        let n = socket.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed before the headers ended");
        seen.extend_from_slice(&buf[..n]);
        if let Some(i) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&seen[..end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a Content-Length header");
    let mut body = seen.split_off(end);
    while body.len() < length {
        let n = socket.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed before the body ended");
        body.extend_from_slice(&buf[..n]);
    }
    (head, body)
}

#[tokio::test]
async fn a_padded_body_goes_out_with_its_content_length_not_chunked() {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let body = Body::padded(&b"{\"t\":\""[..], 300_000, &b"\"}"[..]);
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        socket.set_nodelay(true).expect("nodelay");
        let seen = read_request(&mut socket).await;
        socket.write_all(b"HTTP/1.1 204 No Content\r\n\r\n").await.expect("answer");
        seen
    });
    let client = crate::send::client::HttpClient::new(1, std::time::Duration::from_secs(10), 1024).expect("client");
    let req = crate::send::client::WireRequest {
        method: "POST".into(),
        url: format!("http://127.0.0.1:{port}/"),
        headers: vec![],
        body: Some(body.clone()),
    };
    let resp = client.send(&req).await.expect("answered");
    assert_eq!(resp.status, 204);
    let (head, sent) =
        tokio::time::timeout(std::time::Duration::from_secs(10), server).await.expect("in time").expect("server");
    assert!(head.contains("content-length: 300000\r\n"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
    assert_eq!(sent, body.to_bytes());
}
