//! Redaction by construction, end to end: a target echoes the password in every form the suite
//! produces or recognises (as sent, base64 of `user:password`, URL-encoded, JSON-escaped; a password
//! with `"`, `\`, `'`, `/`, `&` and a non-ASCII letter), and no piece of it shows in stdout, stderr,
//! any report file, any repro or a replay, while the echo fails the default run as SECURITY.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use journey_reference::{Account, Config};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use std::collections::HashMap;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_journey-conformance");
const USER: &str = "redactacct";
/// Two runs of letters and digits no escaper changes: any form that shows a piece of the password shows one.
const PASSWORD: &str = r#"x"Zq8vK3tWm9'\é/&Lp4Rr7Yx"#;
const PIECES: [&str; 2] = ["Zq8vK3tWm9", "Lp4Rr7Yx"];

fn user_password_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
}

fn url_encoded() -> String {
    utf8_percent_encode(PASSWORD, NON_ALPHANUMERIC).to_string()
}

/// Every error answer echoes the password: JSON-escaped and base64 in a 404's `detail`, raw in a 400's
/// text body, URL-encoded and URL-safe base64 in a 401's; every answer URL-encoded in a header.
async fn echo(req: Request<Body>, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let status = resp.status();
    if let Ok(value) = HeaderValue::from_str(&format!("pw={}", url_encoded())) {
        resp.headers_mut().insert("x-echo", value);
    }
    let error = |detail: String| {
        serde_json::json!({"type": "x", "title": "t", "detail": detail, "see": "https://docs.journeyapps.com/api-errors"})
            .to_string()
    };
    let (body, content_type) = match status {
        StatusCode::NOT_FOUND => (error(format!("pw={PASSWORD} basic={}", user_password_b64())), "application/json"),
        StatusCode::BAD_REQUEST => (format!("denied {USER}:{PASSWORD} (Basic {})", user_password_b64()), "text/plain"),
        StatusCode::UNAUTHORIZED => {
            let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{USER}:{PASSWORD}"));
            (error(format!("pw={} token={url_safe}", url_encoded())), "application/json")
        }
        _ => return resp,
    };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Response::from_parts(parts, Body::from(body))
}

/// The echoing reference on a loopback port in its own thread; the variables a user would set.
fn target() -> HashMap<String, String> {
    journey_testkit::faults::target::in_background(|| async {
        let account = Account { password: PASSWORD.into(), ..Account::generate(USER) };
        let config = Config { accounts: vec![account.clone()], ..Config::demo() };
        let app = journey_reference::router(config).layer(middleware::from_fn(echo));
        journey_testkit::faults::target::FaultyTarget::serve(app, &[account], None).await
    })
}

/// Runs the binary with exactly these variables (the inherited `JOURNEY_*` ones removed).
fn bin(args: &[&str], env: &HashMap<String, String>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("CI", "true");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("JOURNEY_")) {
        cmd.env_remove(k);
    }
    cmd.envs(env);
    cmd.output().expect("run the binary")
}

/// What must never show: a piece of the password (as sent, JSON-, URL-, HTML- or debug-escaped: each
/// keeps the runs of letters and digits), or any base64 form of it.
fn forbidden() -> Vec<String> {
    let mut out: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
    out.push(user_password_b64());
    for (encoding, form) in journey_conformance::redact::wire_forms(PASSWORD.as_bytes()) {
        if encoding == journey_conformance::redact::Encoding::Base64 {
            out.push(String::from_utf8(form).expect("base64 is text"));
        }
    }
    out
}

fn assert_clean(name: &str, text: &str) {
    for form in forbidden() {
        assert!(!text.contains(&form), "{name} shows {form:?}:\n{}", &text[..text.len().min(4000)]);
    }
}

#[test]
fn no_form_of_an_echoed_password_shows_in_any_output_and_the_echo_fails_the_default_run() {
    let env = target();
    let dir = std::env::temp_dir().join(format!("jc-redaction-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let args = [
        "run",
        "--family",
        "ids,auth,malformed-json",
        "--verbose",
        "--report",
        "junit,html,md,ndjson",
        "--report-dir",
        dir.to_str().expect("utf-8 path"),
    ];
    let out = bin(&args, &env);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "an echoed password fails the default run:\n{stdout}\n{stderr}");
    assert!(stdout.contains("[SECURITY echoed credential]"), "the level shows: {stdout}");
    assert!(stdout.contains("<redacted>"), "the echoes were quoted, redacted: {stdout}");
    assert_clean("stdout", &stdout);
    assert_clean("stderr", &stderr);
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("report dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("report is text");
        assert_clean(&path.display().to_string(), &text);
        files += 1;
    }
    assert_eq!(files, 4, "four reports");
    let ndjson = std::fs::read_to_string(dir.join("cases.ndjson")).expect("ndjson");
    assert!(ndjson.contains("\"level\":\"SECURITY\""), "findings carry the level");
    // A replay by case and by finding prints the whole answer and the repro: redacted too.
    let finding = ndjson
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["record"] == "finding" && v["level"] == "SECURITY")
        .and_then(|v| v["id"].as_str().map(str::to_string))
        .expect("a SECURITY finding");
    for id in ["ids/unknown/GET-random-v4", "malformed-json/syntax/POST-objects-empty-body", finding.as_str()] {
        let replay = bin(&["replay", id], &env);
        let shown = String::from_utf8_lossy(&replay.stdout);
        assert_clean(&format!("replay {id}"), &shown);
        assert_clean(&format!("replay {id} (stderr)"), &String::from_utf8_lossy(&replay.stderr));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
