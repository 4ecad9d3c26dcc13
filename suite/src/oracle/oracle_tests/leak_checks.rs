//! §6.4: nothing internal or secret leaks, while text the client sent may be echoed.

use super::*;

fn leaky_detail(detail: &str) -> Response {
    json_resp(404, error_json("ROUTE_ERROR", "Route not found.", detail, &see_for("ROUTE_ERROR")))
}

fn assert_leak(r: &Response, what: &str) {
    let v = judge_get(&route_error(), r);
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().any(|m| m.contains(what)), "wanted {what:?} in {msgs:?}");
    // The leak is the only thing wrong with these responses: a SHOULD, so the case is non-strict.
    assert!(v.violations().iter().all(|x| x.rule == Rule::NoLeaks), "{:#?}", v.violations());
    assert_non_strict(&v, Rule::NoLeaks);
    assert_eq!(judge_with("GET", &route_error(), r, Profile::Strict).status(), Status::Fail, "strict fails a leak");
}

/// Each detail, sent in an otherwise conforming body, leaks `what` and nothing else goes wrong.
fn assert_details_leak(what: &str, details: &[&str]) {
    for detail in details {
        assert_leak(&leaky_detail(detail), what);
    }
}

#[test]
fn conforming_bodies_do_not_leak() {
    assert_passes(&judge_get(&Expect::error(ObjectNotFound), &json_resp(404, DOC_EXAMPLE)));
    for detail in [
        "No task found with ID: 'c3d5'",
        "Invalid option \"test\" for field 'status'.",
        "Please select an option from the list.",
        "Filename 'a/b.png' is not allowed.",
        "No route for GET /api/v4/abc/objects/task.json",
        "Expected a value at line 1 column 5",
        "See https://example.com/home/app/usr/var for details.",
        "Update the value and set it again.",
        "Retry at 12:00.",
        "Errors:\nField A:\n bad value\n",
        "Use the C: drive? No.",
    ] {
        assert_passes(&judge_get(&route_error(), &leaky_detail(detail)));
    }
    let r = resp(
        404,
        &[("content-type", "application/json"), ("server", "nginx"), ("location", "https://x.example/var/app/")],
        good(RouteError).body,
    );
    assert_passes(&judge_get(&route_error(), &r));
}

#[test]
fn stack_traces_leak() {
    assert_details_leak(
        "stack trace",
        &[
            "Traceback (most recent call last):\n  File \"/srv/x.py\", line 3, in <module>",
            "thread 'main' panicked at src/main.rs:10:5",
            "stack backtrace:\n 0: rust_begin_unwind",
            "java.lang.NullPointerException\n\tat com.example.Foo.bar(Foo.java:42)",
            "TypeError: x is undefined\n    at Object.<anonymous> (index.js:3:9)",
            "Error\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
            "undefined method `x' for nil (NoMethodError) app.rb:12:in `block in <main>'",
            "called Option::unwrap() on a None value, lib.rs:33:7",
            "Exception in thread \"main\" java.lang.RuntimeException",
        ],
    );
}

#[test]
fn file_paths_leak() {
    assert_details_leak(
        "file path",
        &[
            "cannot open /home/deploy/config.yml",
            "ENOENT: no such file, open '/app/data/tasks.json'",
            "loaded from /usr/lib/ruby/x",
            "at /var/www/html",
            "/srv/api/server.js failed",
            "in /opt/journey/bin",
            "C:\\inetpub\\wwwroot\\web.config",
            "D:\\data\\app.db",
            "Cannot find module 'express' from node_modules",
        ],
    );
}

#[test]
fn sql_leaks() {
    assert_details_leak(
        "SQL",
        &[
            "SELECT \"tasks\".* FROM \"tasks\" WHERE id = $1",
            "INSERT INTO tasks (name) VALUES ('x')",
            "ERROR: syntax error at or near \"WHERE\"",
            "SQLSTATE[42000]",
            "ORA-00942: table or view does not exist",
            "PG::UndefinedTable",
            "ActiveRecord::RecordNotFound",
            "sqlite3.OperationalError: no such table",
        ],
    );
}

#[test]
fn banners_leak() {
    let body = good(RouteError).body;
    for (name, value, what) in [
        ("server", "nginx/1.25.3", "server carries a version"),
        ("server", "Apache/2.4.41 (Ubuntu)", "server carries a version"),
        ("x-powered-by", "Express", "x-powered-by is present"),
        ("x-powered-by", "PHP/8.1", "x-powered-by is present"),
    ] {
        let r = resp(404, &[("content-type", "application/json"), (name, value)], body.clone());
        assert_leak(&r, what);
    }
    assert_details_leak(
        "framework banner",
        &[
            "Werkzeug Debugger",
            "Phusion Passenger error",
            "Whitelabel Error Page",
            "<address>Apache/2.4 Server</address>",
        ],
    );
}

#[test]
fn leaks_in_headers_are_found() {
    let r = resp(
        404,
        &[("content-type", "application/json"), ("x-debug", "/home/app/src/x.rs:1:2")],
        good(RouteError).body,
    );
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().any(|m| m.starts_with("header x-debug leaks a file path")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.starts_with("header x-debug leaks a stack trace")), "{msgs:?}");
}

/// An echoed credential is the only thing wrong with `r`: a SECURITY failure under every profile, whose
/// message names `what` and never the secret.
fn assert_echoed(r: &Response, what: &str) {
    for profile in [Profile::Documented, Profile::Strict] {
        let v = judge_with("GET", &route_error(), r, profile);
        let msgs = assert_breaks(&v, Rule::EchoedCredential);
        assert!(msgs.iter().any(|m| m.contains(what)), "wanted {what:?} in {msgs:?}");
        assert!(msgs.iter().all(|m| m.starts_with("request secret #1")), "{msgs:?}");
        assert!(v.violations().iter().all(|x| x.rule == Rule::EchoedCredential), "{:#?}", v.violations());
        assert!(v.violations().iter().all(|x| x.level() == Level::Security), "{:#?}", v.violations());
        assert_eq!(v.status(), Status::Fail, "an echoed credential fails under {profile:?}");
        assert_eq!(v.at(Level::Must).count(), v.violations().len(), "listed with the MUST failures");
    }
}

#[test]
fn echoed_password_leaks_without_repeating_it() {
    let pw = std::str::from_utf8(PASSWORD).unwrap();
    let v = judge_get(&route_error(), &leaky_detail(&format!("wrong password {pw}")));
    let msgs = assert_breaks(&v, Rule::EchoedCredential);
    assert!(msgs.iter().all(|m| !m.contains(pw)), "{msgs:?}");
    assert_echoed(&leaky_detail(&format!("wrong password {pw}")), "body at byte");
    let r = resp(404, &[("content-type", "application/json"), ("x-echo", pw)], good(RouteError).body);
    assert_echoed(&r, "header x-echo");
}

#[test]
fn a_password_echoed_json_escaped_or_url_encoded_is_found_and_kept_out_of_every_message() {
    const ODD: &str = r#"pa"ss\w'rd /%+é"#;
    let secrets: [&[u8]; 1] = [ODD.as_bytes()];
    let req = RequestFacts { method: "GET", secrets: &secrets, sent: &[] };
    let url = percent_encoding::percent_encode(ODD.as_bytes(), percent_encoding::NON_ALPHANUMERIC).to_string();
    // A detail that quotes the password (JSON-escaped by the serializer), a header that echoes it URL-encoded.
    let padded = format!("{}{ODD}", "x".repeat(185));
    let body =
        serde_json::json!({"type": "ROUTE_ERROR", "title": "t", "detail": padded, "see": see_for("ROUTE_ERROR")});
    let r = resp(404, &[("content-type", "text/plain"), ("x-debug", &format!("password={url}"))], body.to_string());
    let v = super::judge(&req, &route_error(), &r, Profile::Documented);
    let msgs = assert_breaks(&v, Rule::EchoedCredential);
    assert!(msgs.iter().any(|m| m.contains("(JSON-escaped) comes back in body")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("(URL-encoded) comes back in header x-debug")), "{msgs:?}");
    assert_eq!(v.status(), Status::Fail);
    // A message that quotes the answer (an HTML page where JSON was due) quotes it redacted before it
    // was escaped or cut: the password straddles the excerpt's 200-character edge, and not even its
    // first characters show.
    let page = format!("<html>{}{ODD} trailing</html>", "x".repeat(190));
    let v = super::judge(&req, &route_error(), &resp(404, &[("content-type", "text/html")], page), Profile::Documented);
    let quoted: Vec<&String> =
        v.violations().iter().filter(|x| x.rule == Rule::ErrorBody).map(|x| &x.message).collect();
    assert!(quoted.iter().any(|m| m.starts_with("body is not JSON") && m.contains("x<red")), "{quoted:?}");
    assert!(quoted.iter().all(|m| !m.contains("xpa") && !m.contains("pa\\\"")), "{quoted:?}");
}

#[test]
fn echoed_base64_credentials_leak() {
    use base64::Engine;
    let b64 = |s: &[u8]| base64::engine::general_purpose::STANDARD.encode(s);
    // The password's own encoding, and the password inside echoed Basic `user:password` values
    // at every byte alignment.
    let mut echoes = vec![b64(PASSWORD)];
    for user in ["acc", "acct", "acct1"] {
        let mut creds = format!("{user}:").into_bytes();
        creds.extend_from_slice(PASSWORD);
        echoes.push(format!("Basic {}", b64(&creds)));
    }
    for echoed in echoes {
        let r = leaky_detail(&format!("bad credentials {echoed}"));
        assert_echoed(&r, "(base64)");
        let v = judge_get(&route_error(), &r);
        assert_eq!(v.violations().len(), 1, "one finding for one echo: {:#?}", v.violations());
    }
    // The URL-safe alphabet, without padding, too.
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([b"u:".as_slice(), PASSWORD].concat());
    assert_echoed(&leaky_detail(&format!("token {url_safe}")), "(base64)");
}

#[test]
fn short_and_empty_secrets_are_ignored() {
    let secrets: [&[u8]; 2] = [b"", b"ab"];
    let req = RequestFacts { method: "GET", secrets: &secrets, sent: &[] };
    assert_passes(&super::judge(&req, &route_error(), &good(RouteError), Profile::Documented));
}

#[test]
fn text_the_client_sent_is_an_echo_not_a_leak() {
    // An ID the client put in the path comes back quoted in `detail`: not a leak...
    let sent_path = b"/api/v4/a/objects/task/%2Fvar%2Fx INSERT INTO t.json".to_vec();
    let decoded = b"/api/v4/a/objects/task//var/x INSERT INTO t.json".to_vec();
    let sent: [&[u8]; 2] = [&sent_path, &decoded];
    let req = RequestFacts { method: "GET", secrets: &[], sent: &sent };
    let echo = leaky_detail("No task found with ID: '/var/x INSERT INTO t'");
    assert_passes(&super::judge(&req, &route_error(), &echo, Profile::Documented));
    // ...but the same patterns the client did not send still are, even after an echo.
    let real =
        leaky_detail("No task found with ID: '/var/x INSERT INTO t' (at /home/app/src/db.js) SELECT id FROM tasks");
    let v = super::judge(&req, &route_error(), &real, Profile::Documented);
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().any(|m| m.contains("file path")) && msgs.iter().any(|m| m.contains("SQL")), "{msgs:?}");
    // And a secret is never excused, even though the client sent it.
    let secrets: [&[u8]; 1] = [PASSWORD];
    let sent: [&[u8]; 1] = [PASSWORD];
    let req = RequestFacts { method: "GET", secrets: &secrets, sent: &sent };
    let r = leaky_detail(&format!("bad password {}", String::from_utf8_lossy(PASSWORD)));
    assert_breaks(&super::judge(&req, &route_error(), &r, Profile::Documented), Rule::EchoedCredential);
}

#[test]
fn a_gateways_own_headers_are_no_leaks() {
    let body = good(RouteError).body;
    let headers = [
        ("content-type", "application/json; charset=utf-8"),
        ("server", "nginx"),
        ("x-request-id", "req-0000002a"),
        ("x-forwarded-for", "127.0.0.1"),
    ];
    assert_passes(&judge_with("GET", &route_error(), &resp(404, &headers, body.clone()), Profile::Strict));
    let versioned = [("content-type", "application/json"), ("server", "nginx/1.25.3")];
    let v = judge_get(&route_error(), &resp(404, &versioned, body));
    let msgs = assert_non_strict(&v, Rule::NoLeaks);
    assert!(msgs[0].contains("server carries a version"), "{msgs:?}");
}

#[test]
fn a_users_stored_text_is_no_leak_but_the_same_text_in_an_error_body_is() {
    let note = r#"Migrated from SQLite; files were in /home/alice/db and C:\\Users\\bob\\Documents"#;
    let page = format!(
        r#"{{"objects":[{{"id":"11111111-0000-4000-8000-000000000000","type":"task","display":"{note}","name":"{note}"}}],"count":1,"more":false}}"#
    );
    let read = |body: String| judge_get(&Expect::success(), &json_resp(200, body));
    assert_passes(&read(page));
    let oplog = format!(
        r#"{{"entries":[{{"sequence":"7","operation":"put","object":{{"id":"x","description":"{note}"}}}}],"has_more":false}}"#
    );
    assert_passes(&read(oplog));
    let xml = format!("<?xml version=\"1.0\"?><task><id>x</id><name>{note}</name></task>");
    assert_passes(&judge_get(&Expect::success(), &resp(200, &[("content-type", "application/xml")], xml)));
    // What the server composes around the objects is still judged, and so is every error body.
    let debug = format!(r#"{{"objects":[],"count":0,"debug":"{note}"}}"#);
    assert_breaks(&read(debug), Rule::NoLeaks);
    let v = judge_get(&route_error(), &leaky_detail(note));
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().any(|m| m.contains("SQL")) && msgs.iter().any(|m| m.contains("file path")), "{msgs:?}");
}
