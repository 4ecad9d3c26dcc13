//! Bad input to the suite itself (bad variables, a dead or silent target, a target that answers HTML)
//! ends in one clear line and a non-zero exit, fast: never a panic, a hang, or hundreds of failures.

use journey_conformance::config::Settings;
use journey_conformance::run::session::Session;
use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, Instant};

fn settings(pairs: &[(&str, &str)]) -> Settings {
    let env: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings")
}

/// A loopback port on which nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

async fn setup_error(url: &str) -> (String, Duration) {
    let started = Instant::now();
    let s = settings(&[
        ("JOURNEY_API_URL", url),
        ("JOURNEY_API_USER", "acc"),
        ("JOURNEY_API_PASSWORD", "s3cret-pw"),
        ("JOURNEY_API_TIMEOUT", "0.5"),
    ]);
    match Session::start(s).await {
        Ok(_) => panic!("setup against {url} should fail"),
        Err(e) => (e.to_string(), started.elapsed()),
    }
}

#[tokio::test]
async fn an_unreachable_target_is_one_clear_line() {
    let url = format!("http://127.0.0.1:{}/api/v4/acc", closed_port());
    let (message, took) = setup_error(&url).await;
    assert!(message.contains("target unreachable") && message.contains(&url), "{message}");
    assert!(!message.contains('\n') && !message.contains("s3cret-pw"), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn a_silent_target_times_out_in_bounded_time() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    // Accepts connections and never answers.
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let (message, took) = setup_error(&format!("http://127.0.0.1:{port}/api/v4/acc")).await;
    server.abort();
    assert!(message.contains("no complete answer within 0.5s"), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test]
async fn a_target_that_answers_html_is_named_as_such() {
    let app =
        axum::Router::new().fallback(|| async { axum::response::Html("<html><body>Welcome to nginx!</body></html>") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let (message, _) = setup_error(&format!("http://127.0.0.1:{port}/api/v4/acc")).await;
    server.abort();
    assert!(message.contains("not JSON"), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

fn binary(env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_journey-conformance"));
    // None of the caller's variables (a deployment's, when the README's command runs this file too).
    for (var, _) in std::env::vars().filter(|(k, _)| k.starts_with("JOURNEY_")) {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let out = cmd.output().expect("run the binary");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_exits_2_with_one_line_naming_the_variable() {
    let (code, _, stderr) =
        binary(&[("JOURNEY_API_URL", "http://127.0.0.1:1/api/v4/acc"), ("JOURNEY_API_USER", "acc")]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("JOURNEY_API_PASSWORD"), "{stderr}");

    let (code, _, stderr) = binary(&[("JOURNEY_API_URL", "https://example.com/v4/acc"), ("JOURNEY_API_TOKEN", "O:t")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("JOURNEY_API_URL") && stderr.contains("/api/v4/"), "{stderr}");
}

#[test]
fn the_binary_exits_2_on_an_unreachable_target_without_running_cases() {
    let url = format!("http://127.0.0.1:{}/api/v4/acc", closed_port());
    let (code, stdout, stderr) =
        binary(&[("JOURNEY_API_URL", &url), ("JOURNEY_API_USER", "acc"), ("JOURNEY_API_PASSWORD", "pw-secret")]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "no case may run: {stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("unreachable") && !stderr.contains("pw-secret"), "{stderr}");
}
