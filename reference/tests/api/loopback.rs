//! The real server over loopback TCP and the binary's start-up lines.

use crate::client::basic;
use journey_reference::{base_url, serve, Account, Config};

#[test]
fn base_url_shape() {
    let addr: std::net::SocketAddr = "127.0.0.1:4567".parse().unwrap();
    assert_eq!(base_url(addr, "abc"), "http://127.0.0.1:4567/api/v4/abc");
}

/// Send raw HTTP/1.1 over loopback and return the whole response text (connection closed by the server).
fn raw_http(addr: std::net::SocketAddr, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn over_loopback_head_options_and_unknown_methods() {
    let me = Account::generate("acc1");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server =
        tokio::spawn(serve(listener, Config { accounts: vec![me.clone()], max_body_bytes: 1024, rate_limit: None }));
    let auth = basic(&me.id, &me.password);
    let send = |method: &'static str, path: &'static str| {
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n");
        tokio::task::spawn_blocking(move || raw_http(addr, &request))
    };
    let head = send("HEAD", "/api/v4/acc1/datamodel.json").await.unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    let head_missing = send("HEAD", "/api/v4/acc1/nothing.json").await.unwrap();
    assert!(head_missing.starts_with("HTTP/1.1 404"), "{head_missing}");
    for method in ["OPTIONS", "FOO", "TRACE"] {
        let reply = send(method, "/api/v4/acc1/datamodel.json").await.unwrap();
        assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
        assert!(reply.contains("\"type\":\"ROUTE_ERROR\""), "{reply}");
        assert!(!reply.to_ascii_lowercase().contains("\nserver:"), "{reply}");
    }
    let created = {
        let body = r#"{"task":{"photo":{"base64":"aGk=","filename":"p.png"}}}"#;
        let request = format!(
            "POST /api/v4/acc1/objects/task.json HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tokio::task::spawn_blocking(move || raw_http(addr, &request)).await.unwrap()
    };
    assert!(created.starts_with("HTTP/1.1 201"), "{created}");
    assert!(created.contains(&format!("\"original\":\"http://{addr}/api/v4/acc1/attachments/")), "{created}");
    server.abort();
}

#[test]
fn binary_prints_connection_lines() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey-reference"))
        .args(["--listen", "127.0.0.1:0", "--account", "abc:secret"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("a line within 20 s");
    let parts: Vec<&str> = line.trim_end().split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    let url = parts[0].strip_prefix("JOURNEY_API_URL=http://127.0.0.1:").unwrap();
    let (port, rest) = url.split_once('/').unwrap();
    assert!(port.parse::<u16>().unwrap() > 0);
    assert_eq!(rest, "api/v4/abc");
    assert_eq!(parts[1], "JOURNEY_API_USER=abc");
    assert_eq!(parts[2], "JOURNEY_API_PASSWORD=secret");
}
