//! Each rule is shown passing a good response and failing a deliberately broken one.

use super::*;
use crate::declare::error_type::ErrorType::{self, *};
use crate::declare::expect::{Expect, Outcome};
use crate::send::response::Response;
use http::{HeaderMap, HeaderName, HeaderValue};

mod client_input;
mod content_type;
mod error_body;
mod finding_groups;
mod head;
mod inconclusive_reasons;
mod leak_checks;
mod outcomes;
mod step_failures;
mod transport;

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

/// Asserts the verdict broke only SHOULD clauses (non-strict), `rule` among them; returns its messages.
fn assert_non_strict(v: &Verdict, rule: Rule) -> Vec<String> {
    assert_eq!(v.status(), Status::NonStrict, "expected non-strict, got {:#?}", v.violations());
    assert!(v.violations().iter().all(|x| x.level() == Level::Should), "{:#?}", v.violations());
    assert_breaks(v, rule)
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
