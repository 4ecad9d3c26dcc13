//! The hostile loopback server: it answers the run's setup like a healthy target, then misbehaves
//! in the one way its `Hostility` names.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// What the server does once setup is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostility {
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
pub const MID_RUN_CASES: usize = 40;
const UUID: &str = "0b6f1c5e-3a51-4c8e-9c39-6f0a3e9d2b71";

pub struct Server {
    pub port: u16,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept task drops its JoinSet, which aborts every connection task.
        self.task.abort();
    }
}

pub async fn start(hostility: Hostility) -> Server {
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
            let _ = socket.set_nodelay(true);
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
