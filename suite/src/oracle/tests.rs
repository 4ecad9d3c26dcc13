//! Each rule is shown passing a good response and failing a deliberately broken one.

use super::*;
use crate::error_type::ErrorType::{self, *};
use crate::expect::{Expect, Outcome};
use crate::response::Response;
use http::{HeaderMap, HeaderName, HeaderValue};

const DOC_EXAMPLE: &str = r#"{"type":"OBJECT_NOT_FOUND","title":"Object not found.","detail":"No task found with ID: 'c3d59ff0-ba4a-11e3-a567-001e6733fe3d'","see":"https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND"}"#;
const PASSWORD: &[u8] = b"s3cretPassw0rd-xyz";

fn resp(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Response {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        map.append(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    Response { status, headers: map, body: body.into(), truncated: false }
}

fn json_resp(status: u16, body: impl Into<Vec<u8>>) -> Response {
    resp(status, &[("content-type", "application/json")], body)
}

/// A conforming error body for `t`, sent with its own status.
fn good(t: ErrorType) -> Response {
    json_resp(t.status(), error_json(t.as_str(), "Something went wrong.", "details", &see_for(t.as_str())))
}

fn see_for(t: &str) -> String {
    format!("https://docs.journeyapps.com/api-errors#{t}")
}

fn error_json(t: &str, title: &str, detail: &str, see: &str) -> String {
    serde_json::json!({"type": t, "title": title, "detail": detail, "see": see}).to_string()
}

fn facts(method: &str) -> RequestFacts<'static> {
    static SECRETS: [&[u8]; 1] = [PASSWORD];
    RequestFacts { method: if method == "HEAD" { "HEAD" } else { "GET" }, secrets: &SECRETS, sent: &[] }
}

fn judge_with(method: &str, expect: &Expect, r: &Response, p: Profile) -> Verdict {
    super::judge(&facts(method), expect, r, p)
}

fn judge_get(expect: &Expect, r: &Response) -> Verdict {
    judge_with("GET", expect, r, Profile::Documented)
}

fn assert_passes(v: &Verdict) {
    assert!(v.passed(), "expected a pass, got {:#?}", v.violations());
}

/// Asserts the verdict breaks `rule` and returns that rule's messages for further checks.
fn assert_breaks(v: &Verdict, rule: Rule) -> Vec<String> {
    let msgs: Vec<String> = v.violations().iter().filter(|x| x.rule == rule).map(|x| x.message.clone()).collect();
    assert!(!msgs.is_empty(), "expected {rule} to be broken, got {:#?}", v.violations());
    msgs
}

fn assert_not_broken(v: &Verdict, rule: Rule) {
    assert!(v.violations().iter().all(|x| x.rule != rule), "expected {rule} to hold, got {:#?}", v.violations());
}

fn route_error() -> Expect {
    Expect::error(RouteError)
}

// ---- §6.1 error body -------------------------------------------------------------------------

#[test]
fn good_route_error_passes() {
    let v = judge_get(&route_error(), &good(RouteError));
    assert_passes(&v);
    assert_eq!(v.observed, Observed { status: 404, error_type: Some("ROUTE_ERROR".into()) });
}

#[test]
fn every_documented_type_passes_with_its_status_in_both_profiles() {
    for t in ErrorType::ALL {
        if t == InternalServerError {
            continue; // §6.3 forbids 500 for client input whatever the case says.
        }
        for p in [Profile::Documented, Profile::Strict] {
            assert_passes(&judge_with("GET", &Expect::error(t), &good(t), p));
        }
    }
}

#[test]
fn documented_example_body_passes_strict() {
    let v = judge_with("GET", &Expect::error(ObjectNotFound), &json_resp(404, DOC_EXAMPLE), Profile::Strict);
    assert_passes(&v);
}

#[test]
fn status_405_fails() {
    let r = json_resp(405, error_json("ROUTE_ERROR", "t", "d", &see_for("ROUTE_ERROR")));
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs.iter().any(|m| m == "status 405 is not a documented error status"), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("travels with 404, got 405")), "{msgs:?}");
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn undocumented_statuses_fail() {
    for status in [403, 413, 502, 503, 418, 101] {
        let v = judge_get(&route_error(), &json_resp(status, error_json("X", "t", "d", &see_for("X"))));
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains(&format!("status {status} is not a documented"))));
    }
}

#[test]
fn status_type_mismatch_fails() {
    let r = json_resp(400, error_json("ROUTE_ERROR", "t", "d", &see_for("ROUTE_ERROR")));
    let v = judge_get(&Expect::error(InvalidApiRequest), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert_eq!(msgs, vec![r#"type "ROUTE_ERROR" travels with 404, got 400"#.to_string()]);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn missing_each_key_fails() {
    for key in ["type", "title", "detail", "see"] {
        let mut obj: serde_json::Value = serde_json::from_slice(&good(RouteError).body).unwrap();
        obj.as_object_mut().unwrap().remove(key);
        let v = judge_get(&route_error(), &json_resp(404, obj.to_string()));
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m == &format!("body has no \"{key}\" key")), "{key}: {msgs:?}");
    }
}

#[test]
fn non_string_keys_fail() {
    let r = json_resp(404, r#"{"type":404,"title":["x"],"detail":null,"see":{"u":1}}"#);
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    for key in ["type", "title", "detail", "see"] {
        assert!(msgs.iter().any(|m| m.starts_with(&format!("\"{key}\" is a "))), "{key}: {msgs:?}");
    }
    assert_eq!(v.observed.error_type, None);
}

#[test]
fn empty_title_fails() {
    for title in ["", "   "] {
        let r = json_resp(404, error_json("ROUTE_ERROR", title, "d", &see_for("ROUTE_ERROR")));
        let msgs = assert_breaks(&judge_get(&route_error(), &r), Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains("is empty")), "{msgs:?}");
    }
}

#[test]
fn empty_detail_is_fine() {
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "", &see_for("ROUTE_ERROR")));
    assert_passes(&judge_get(&route_error(), &r));
}

#[test]
fn non_https_or_relative_see_fails() {
    for see in [
        "http://x",
        "http://docs.journeyapps.com/api-errors#ROUTE_ERROR",
        "/api-errors#ROUTE_ERROR",
        "api-errors#ROUTE_ERROR",
        "https:/docs.journeyapps.com#ROUTE_ERROR",
        "https://",
        "",
        "ftp://docs.journeyapps.com/#ROUTE_ERROR",
    ] {
        let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", see));
        let msgs = assert_breaks(&judge_get(&route_error(), &r), Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains("is not an absolute https URL")), "{see}: {msgs:?}");
    }
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", "http://x"));
    let msgs = assert_breaks(&judge_get(&route_error(), &r), Rule::ErrorBody);
    assert_eq!(msgs, vec![r#"see "http://x" is not an absolute https URL"#.to_string()]);
}

#[test]
fn strict_see_without_type_fragment_fails_but_documented_passes() {
    for see in ["https://docs.journeyapps.com/api-errors", "https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND"] {
        let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", see));
        assert_passes(&judge_with("GET", &route_error(), &r, Profile::Documented));
        let v = judge_with("GET", &route_error(), &r, Profile::Strict);
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.ends_with("does not end in #ROUTE_ERROR")), "{msgs:?}");
    }
}

#[test]
fn body_not_json_fails() {
    let v = judge_get(&route_error(), &json_resp(404, "Not Found"));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert_eq!(msgs, vec![r#"body is not JSON: "Not Found""#.to_string()]);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn json_array_body_fails() {
    let v = judge_get(&route_error(), &json_resp(404, r#"[{"type":"ROUTE_ERROR"}]"#));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("body is JSON array but not an object"), "{msgs:?}");
}

#[test]
fn empty_error_body_fails() {
    let v = judge_get(&route_error(), &json_resp(404, ""));
    assert_breaks(&v, Rule::ErrorBody);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn html_error_page_fails() {
    let html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
    let v = judge_get(&route_error(), &resp(404, &[("content-type", "text/html")], html));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("body is not JSON: \"<html>"), "{msgs:?}");
    // §6.2 only judges bodies that are JSON; the HTML is already a §6.1 failure.
    assert_not_broken(&v, Rule::ContentType);
}

#[test]
fn plaintext_401_passes_documented_fails_strict() {
    let expect = Expect::error(AuthenticationFailed);
    for body in ["HTTP Basic: Access denied.", "HTTP Basic: Access denied.\n", "  HTTP Basic: Access denied.\r\n"] {
        let r = resp(401, &[("content-type", "text/plain; charset=utf-8")], body);
        assert_passes(&judge_with("GET", &expect, &r, Profile::Documented));
        let v = judge_with("GET", &expect, &r, Profile::Strict);
        assert_breaks(&v, Rule::ErrorBody);
        assert_breaks(&v, Rule::Expected);
    }
    // The quirk is for 401 alone, and for that exact text.
    let r = resp(404, &[("content-type", "text/plain")], "HTTP Basic: Access denied.");
    assert_breaks(&judge_with("GET", &route_error(), &r, Profile::Documented), Rule::ErrorBody);
    let r = resp(401, &[("content-type", "text/plain")], "Access denied");
    assert_breaks(&judge_with("GET", &expect, &r, Profile::Documented), Rule::ErrorBody);
}

#[test]
fn plaintext_401_does_not_satisfy_other_types() {
    let r = resp(401, &[("content-type", "text/plain")], "HTTP Basic: Access denied.");
    let v = judge_with("GET", &route_error(), &r, Profile::Documented);
    assert_breaks(&v, Rule::Expected);
}

// ---- §6.2 content type -----------------------------------------------------------------------

#[test]
fn content_type_variants() {
    let body = good(RouteError).body;
    for ok in
        ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", " application/json "]
    {
        let r = resp(404, &[("content-type", ok)], body.clone());
        assert_passes(&judge_get(&route_error(), &r));
    }
    for bad in ["text/plain", "text/html; charset=utf-8", "application/problem+json", "application/jsonx", ""] {
        let r = resp(404, &[("content-type", bad)], body.clone());
        let v = judge_get(&route_error(), &r);
        let msgs = assert_breaks(&v, Rule::ContentType);
        assert!(msgs[0].contains("not application/json"), "{bad}: {msgs:?}");
        assert_eq!(v.violations().len(), 1, "{bad}: {:#?}", v.violations());
    }
    let v = judge_get(&route_error(), &resp(404, &[], body));
    let msgs = assert_breaks(&v, Rule::ContentType);
    assert_eq!(msgs, vec!["JSON error body sent without Content-Type".to_string()]);
}

#[test]
fn content_type_is_not_judged_on_success() {
    let v = judge_get(&Expect::success(), &resp(200, &[("content-type", "text/plain")], "{}"));
    assert_passes(&v);
}

// ---- §6.3 client input -----------------------------------------------------------------------

#[test]
fn success_on_error_case_fails() {
    let r = json_resp(200, r#"{"id":"x","type":"task"}"#);
    let v = judge_get(&route_error(), &r);
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
    assert_eq!(v.observed, Observed { status: 200, error_type: None });
    let v = judge_get(&route_error(), &resp(204, &[], ""));
    assert_breaks(&v, Rule::ClientInput);
}

#[test]
fn error_body_under_2xx_is_observed() {
    let r = json_resp(200, error_json("INVALID_VALUE", "t", "d", &see_for("INVALID_VALUE")));
    let v = judge_get(&Expect::error(InvalidValue), &r);
    assert_eq!(v.observed.error_type.as_deref(), Some("INVALID_VALUE"));
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn status_500_fails_even_when_expected() {
    let expect = Expect::any_of(&[Outcome::Error(InternalServerError), Outcome::Success], "weird");
    let v = judge_get(&expect, &good(InternalServerError));
    let msgs = assert_breaks(&v, Rule::ClientInput);
    assert_eq!(msgs, vec!["status 500 blames the server for client input".to_string()]);
    assert_not_broken(&v, Rule::Expected);
    let v = judge_get(&route_error(), &resp(503, &[], ""));
    assert_breaks(&v, Rule::ClientInput);
}

#[test]
fn redirect_fails() {
    let v = judge_get(&route_error(), &resp(302, &[("location", "https://example.com/x")], ""));
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn undocumented_type_fails() {
    let r = json_resp(404, error_json("NOT_FOUND", "t", "d", &see_for("NOT_FOUND")));
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ClientInput);
    assert_eq!(msgs, vec![r#"type "NOT_FOUND" is outside the documented set"#.to_string()]);
    assert_breaks(&v, Rule::ErrorBody);
    assert_breaks(&v, Rule::Expected);
    assert_eq!(v.observed.error_type.as_deref(), Some("NOT_FOUND"));
    // Wire names are case-sensitive.
    let r = json_resp(404, error_json("route_error", "t", "d", &see_for("route_error")));
    assert_breaks(&judge_get(&route_error(), &r), Rule::ClientInput);
}

// ---- §6.4 leaks ------------------------------------------------------------------------------

fn leaky_detail(detail: &str) -> Response {
    json_resp(404, error_json("ROUTE_ERROR", "Route not found.", detail, &see_for("ROUTE_ERROR")))
}

fn assert_leak(r: &Response, what: &str) {
    let v = judge_get(&route_error(), r);
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().any(|m| m.contains(what)), "wanted {what:?} in {msgs:?}");
    // The leak is the only thing wrong with these responses.
    assert!(v.violations().iter().all(|x| x.rule == Rule::NoLeaks), "{:#?}", v.violations());
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
    for detail in [
        "Traceback (most recent call last):\n  File \"/srv/x.py\", line 3, in <module>",
        "thread 'main' panicked at src/main.rs:10:5",
        "stack backtrace:\n 0: rust_begin_unwind",
        "java.lang.NullPointerException\n\tat com.example.Foo.bar(Foo.java:42)",
        "TypeError: x is undefined\n    at Object.<anonymous> (index.js:3:9)",
        "Error\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "undefined method `x' for nil (NoMethodError) app.rb:12:in `block in <main>'",
        "called Option::unwrap() on a None value, lib.rs:33:7",
        "Exception in thread \"main\" java.lang.RuntimeException",
    ] {
        assert_leak(&leaky_detail(detail), "stack trace");
    }
}

#[test]
fn file_paths_leak() {
    for detail in [
        "cannot open /home/deploy/config.yml",
        "ENOENT: no such file, open '/app/data/tasks.json'",
        "loaded from /usr/lib/ruby/x",
        "at /var/www/html",
        "/srv/api/server.js failed",
        "in /opt/journey/bin",
        "C:\\inetpub\\wwwroot\\web.config",
        "D:\\data\\app.db",
        "Cannot find module 'express' from node_modules",
    ] {
        assert_leak(&leaky_detail(detail), "file path");
    }
}

#[test]
fn sql_leaks() {
    for detail in [
        "SELECT \"tasks\".* FROM \"tasks\" WHERE id = $1",
        "INSERT INTO tasks (name) VALUES ('x')",
        "ERROR: syntax error at or near \"WHERE\"",
        "SQLSTATE[42000]",
        "ORA-00942: table or view does not exist",
        "PG::UndefinedTable",
        "ActiveRecord::RecordNotFound",
        "sqlite3.OperationalError: no such table",
    ] {
        assert_leak(&leaky_detail(detail), "SQL");
    }
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
    for detail in [
        "Werkzeug Debugger",
        "Phusion Passenger error",
        "Whitelabel Error Page",
        "<address>Apache/2.4 Server</address>",
    ] {
        assert_leak(&leaky_detail(detail), "framework banner");
    }
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

#[test]
fn echoed_password_leaks_without_repeating_it() {
    let pw = std::str::from_utf8(PASSWORD).unwrap();
    let v = judge_get(&route_error(), &leaky_detail(&format!("wrong password {pw}")));
    let msgs = assert_breaks(&v, Rule::NoLeaks);
    assert!(msgs.iter().all(|m| !m.contains(pw)), "{msgs:?}");
    assert!(msgs[0].starts_with("request secret #1"), "{msgs:?}");
    let r = resp(404, &[("content-type", "application/json"), ("x-echo", pw)], good(RouteError).body);
    assert_leak(&r, "header x-echo");
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
        assert_leak(&r, "(base64)");
        let v = judge_get(&route_error(), &r);
        assert_eq!(v.violations().len(), 1, "{:#?}", v.violations());
    }
}

#[test]
fn short_and_empty_secrets_are_ignored() {
    let secrets: [&[u8]; 2] = [b"", b"ab"];
    let req = RequestFacts { method: "GET", secrets: &secrets, sent: &[] };
    assert_passes(&super::judge(&req, &route_error(), &good(RouteError), Profile::Documented));
}

// ---- HEAD ------------------------------------------------------------------------------------

#[test]
fn head_404_empty_passes_for_route_error() {
    let r = resp(404, &[("content-type", "application/json"), ("content-length", "120")], "");
    let v = judge_with("HEAD", &route_error(), &r, Profile::Strict);
    assert_passes(&v);
    assert_eq!(v.observed, Observed { status: 404, error_type: None });
}

#[test]
fn head_with_body_fails() {
    let v = judge_with("HEAD", &route_error(), &good(RouteError), Profile::Documented);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("HEAD answer carries a"), "{msgs:?}");
    let v = judge_with("HEAD", &Expect::success(), &json_resp(200, "{}"), Profile::Documented);
    assert_breaks(&v, Rule::Transport);
}

#[test]
fn head_is_matched_by_status_only() {
    let set = Expect::any_of(&[Outcome::Error(ObjectNotFound), Outcome::Success], "HEAD");
    assert_passes(&judge_with("HEAD", &set, &resp(404, &[], ""), Profile::Documented));
    assert_passes(&judge_with("HEAD", &set, &resp(200, &[], ""), Profile::Documented));
    let v = judge_with("HEAD", &set, &resp(400, &[], ""), Profile::Documented);
    assert_breaks(&v, Rule::Expected);
    let v = judge_with("HEAD", &set, &resp(405, &[], ""), Profile::Documented);
    assert_breaks(&v, Rule::ErrorBody);
}

// ---- expected outcomes -----------------------------------------------------------------------

#[test]
fn outcome_set_accepts_each_member_and_rejects_others() {
    let set = Expect::any_of(
        &[Outcome::Error(RouteError), Outcome::Error(ObjectNotFound), Outcome::Error(InvalidApiRequest)],
        "unknown object type in the path",
    );
    for t in [RouteError, ObjectNotFound, InvalidApiRequest] {
        assert_passes(&judge_get(&set, &good(t)));
    }
    for t in [AccountNotFound, InvalidValue, AuthenticationFailed, TooManyRequests] {
        let v = judge_get(&set, &good(t));
        let msgs = assert_breaks(&v, Rule::Expected);
        assert_eq!(
            msgs,
            vec![format!(
                "expected 404 ROUTE_ERROR | 404 OBJECT_NOT_FOUND | 400 INVALID_API_REQUEST, got {} {t}",
                t.status()
            )]
        );
        assert_eq!(v.violations().len(), 1, "{:#?}", v.violations());
    }
}

#[test]
fn success_outcome_accepts_any_2xx() {
    let set = Expect::any_of(&[Outcome::Error(InvalidValue), Outcome::Success], "unknown field");
    for status in [200, 201, 204] {
        assert_passes(&judge_get(&set, &json_resp(status, r#"{"id":"x","type":"task"}"#)));
    }
    assert_passes(&judge_get(&set, &good(InvalidValue)));
}

#[test]
fn empty_success_outcome() {
    let set = Expect::any_of(&[Outcome::Error(RouteError), Outcome::EmptySuccess], "OPTIONS");
    assert_passes(&judge_with("OPTIONS", &set, &resp(204, &[("allow", "GET, POST")], ""), Profile::Documented));
    assert_passes(&judge_get(&set, &resp(200, &[], "")));
    assert_passes(&judge_get(&set, &good(RouteError)));
    let v = judge_get(&set, &json_resp(200, "{}"));
    let msgs = assert_breaks(&v, Rule::Expected);
    assert!(msgs[0].ends_with("got 200 (non-empty body)"), "{msgs:?}");
    assert_breaks(&judge_get(&set, &resp(201, &[], "")), Rule::Expected);
}

// ---- transport and robustness ----------------------------------------------------------------

#[test]
fn truncated_error_body_fails() {
    let mut r = good(RouteError);
    assert_passes(&judge_get(&route_error(), &r));
    r.body.truncate(30);
    r.truncated = true;
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::Transport);
    assert_eq!(msgs, vec!["error body exceeds the cap: cut after 30 bytes".to_string()]);
    // Truncation is reported once, not again as "not JSON".
    assert_not_broken(&v, Rule::ErrorBody);
}

#[test]
fn truncated_success_body_is_fine() {
    let mut r = json_resp(200, r#"{"objects":[{"id":"x"},"#);
    r.truncated = true;
    assert_passes(&judge_get(&Expect::success(), &r));
}

#[test]
fn invalid_utf8_and_hostile_bodies_do_not_panic() {
    let mut bodies: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00, 0x80, b'{', 0xc3],
        b"{\"type\":\"ROUTE_ERROR\",\"title\":\"\xff\xfe\"}".to_vec(),
        "[".repeat(100_000).into_bytes(),
        vec![b'\x1b'; 5000],
        "é".repeat(150).into_bytes(), // excerpt cut inside a multi-byte character
    ];
    bodies.push((0..=255u8).cycle().take(1 << 20).collect());
    for body in bodies {
        for method in ["GET", "HEAD"] {
            for p in [Profile::Documented, Profile::Strict] {
                let v = judge_with(method, &route_error(), &json_resp(404, body.clone()), p);
                assert!(!v.passed());
                for x in v.violations() {
                    assert!(x.message.chars().count() < 400, "{}", x.message);
                    assert!(!x.message.chars().any(|c| c.is_control()), "{:?}", x.message);
                }
            }
        }
    }
}

#[test]
fn all_violations_are_collected() {
    let r = resp(
        503,
        &[("content-type", "text/plain"), ("x-powered-by", "Express")],
        r#"{"type":"OOPS","title":"","see":"http://x"}"#,
    );
    let v = judge_get(&route_error(), &r);
    for rule in [Rule::ErrorBody, Rule::ContentType, Rule::ClientInput, Rule::NoLeaks, Rule::Expected] {
        assert_breaks(&v, rule);
    }
    assert!(v.violations().len() >= 9, "{:#?}", v.violations());
}

#[test]
fn redirect_passes_only_where_an_attachment_fetch_expects_it() {
    let redirect = Expect { outcomes: vec![Outcome::Redirect], why: None };
    let with_location = resp(302, &[("location", "https://files.example/a.txt")], "");
    assert_passes(&judge_get(&redirect, &with_location));
    let msgs = assert_breaks(&judge_get(&redirect, &resp(302, &[], "")), Rule::Expected);
    assert!(msgs[0].contains("no Location"), "{msgs:?}");
    assert_breaks(&judge_get(&redirect, &good(ObjectNotFound)), Rule::Expected);
    assert_breaks(&judge_get(&Expect::error(ObjectNotFound), &with_location), Rule::ClientInput);
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
    assert_breaks(&super::judge(&req, &route_error(), &r, Profile::Documented), Rule::NoLeaks);
}
