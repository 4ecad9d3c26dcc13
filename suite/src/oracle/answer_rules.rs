//! Spec §6 rules 1–4 and the case's outcome set, applied to one response. Every check always runs;
//! the level of what it finds comes from its rule's clause (`spec::rules`), and the profile only
//! decides, in the verdict, whether a broken SHOULD fails the case or makes it non-strict.

use super::cause::{share_status_pair, Cause, SERVER_ERROR, UNDOCUMENTED_STATUS};
use super::{leaks, Observed, Profile, RequestFacts, Rule, Verdict, Violation};
use crate::declare::error_type::ErrorType;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::spec::Grade;
use crate::send::response::Response;
use serde_json::{Map, Value};

/// The 401 body the docs show verbatim: accepted as AUTHENTICATION_FAILED, a SHOULD finding (JSON preferred).
const PLAIN_401: &[u8] = b"HTTP Basic: Access denied.";

/// Longest excerpt (in characters shown) a message carries, so a megabyte body never floods a report.
const EXCERPT_CHARS: usize = 200;

/// How the body read, decided once so every rule sees the same thing.
enum Body {
    Empty,
    /// The documented plain-text 401 (counts as AUTHENTICATION_FAILED).
    Plain401,
    Object(Map<String, Value>),
    OtherJson(Value),
    NotJson(serde_json::Error),
    /// A 2xx/3xx body: only its top-level `type` (`top_type.rs`), whatever the rest holds.
    Success(Option<String>),
}

/// Judges one response: every broken rule becomes a violation; none are dropped after the first. The
/// outcome rule takes the grade of the outcome set's clause (MUST when there is none).
pub fn judge(req: &RequestFacts, expect: &Expect, resp: &Response, profile: Profile) -> Verdict {
    judge_graded(req, expect, expect.why.map_or(Grade::Must, |c| c.grade), resp, profile)
}

/// [`judge`] for a case whose clause has `grade`: an answer outside the outcomes breaks a MUST (a
/// MUST or OPEN clause) or a SHOULD (a SHOULD clause, so the case is non-strict).
pub fn judge_graded(req: &RequestFacts, expect: &Expect, grade: Grade, resp: &Response, profile: Profile) -> Verdict {
    let mut echoed = Vec::new();
    leaks::scan_secrets(req, resp, &mut echoed);
    // An answer that holds a credential is judged with its secrets in scope, so every excerpt a message
    // quotes is redacted before it is escaped or cut (a cut must not leave half a password).
    let (observed, mut out) = if echoed.is_empty() {
        judge_rules(req, expect, grade, resp)
    } else {
        crate::redact::within(req.secrets, || judge_rules(req, expect, grade, resp))
    };
    out.extend(echoed);
    Verdict::judged(observed, out, profile)
}

/// Every rule but the echoed credentials, on one answer.
fn judge_rules(req: &RequestFacts, expect: &Expect, grade: Grade, resp: &Response) -> (Observed, Vec<Violation>) {
    let status = resp.status;
    let is_head = req.method.eq_ignore_ascii_case("HEAD");
    let is_error = !(200..400).contains(&status);
    let body = read_body(resp, is_error);
    let wire_type = match &body {
        Body::Object(map) => map.get("type").and_then(Value::as_str),
        Body::Success(wire_type) => wire_type.as_deref(),
        _ => None,
    };
    // Success bodies are objects with a model `type` ("task"); only a documented name there
    // is worth reporting, since it means an error body went out under a 2xx.
    // Cut, since the verdict outlives the body: a hostile `type` string must not be kept whole.
    let error_type = wire_type.filter(|t| is_error || ErrorType::from_wire(t).is_some()).map(|t| {
        crate::send::response_summary::cut(
            String::from_utf8_lossy(&crate::redact::scoped(t.as_bytes())).into_owned(),
            crate::send::response_summary::KEPT_TYPE_BYTES,
        )
    });
    let mut out = Vec::new();

    if is_error && resp.truncated {
        out.push(caused(
            Rule::Transport,
            format!("error body exceeds the cap: cut after {} bytes", resp.body.len()),
            Cause::Check("error body over the response-size cap"),
        ));
    }
    if is_head {
        check_head(resp, is_error, &mut out);
    } else if is_error {
        check_error_body(&body, resp, &mut out);
        check_content_type(&body, resp, &mut out);
    }
    check_client_input(status, expect, if is_head { None } else { wire_type }, &mut out);
    leaks::scan(req, resp, &mut out);
    check_expected(
        Rule::outcome(grade),
        status,
        expect,
        is_head,
        &body,
        wire_type,
        &error_type,
        resp.headers.contains_key(http::header::LOCATION),
        &mut out,
    );
    share_status_pair(status, &mut out);
    (Observed { status, error_type }, out)
}

fn read_body(resp: &Response, is_error: bool) -> Body {
    if resp.body.is_empty() {
        return Body::Empty;
    }
    if is_error && resp.status == 401 && resp.body.trim_ascii() == PLAIN_401 {
        return Body::Plain401;
    }
    if !is_error {
        return Body::Success(super::top_type::top_level_type(&resp.body));
    }
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(map)) => Body::Object(map),
        Ok(other) => Body::OtherJson(other),
        Err(e) => Body::NotJson(e),
    }
}

/// HEAD answers carry no body (RFC 9110), so only the status can be judged.
fn check_head(resp: &Response, is_error: bool, out: &mut Vec<Violation>) {
    if is_error {
        check_documented_status(resp.status, out);
    }
    if !resp.body.is_empty() {
        // On an error status this is the error-body rule; on 2xx/3xx it is broken HTTP framing.
        let rule = if is_error { Rule::ErrorBody } else { Rule::Transport };
        out.push(caused(
            rule,
            format!("HEAD answer carries a {}-byte body: {}", resp.body.len(), excerpt(&resp.body)),
            Cause::Check("HEAD answer carries a body"),
        ));
    }
}

fn check_documented_status(status: u16, out: &mut Vec<Violation>) {
    if !ErrorType::ALL.iter().any(|t| t.status() == status) {
        let cause = Cause::Value { what: UNDOCUMENTED_STATUS, value: status.to_string() };
        out.push(caused(Rule::ErrorBody, format!("status {status} is not a documented error status"), cause));
    }
}

/// Spec §6.1 and §2: the four keys, their shapes, and status/type agreement.
fn check_error_body(body: &Body, resp: &Response, out: &mut Vec<Violation>) {
    let status = resp.status;
    check_documented_status(status, out);
    let map = match body {
        Body::Plain401 => {
            out.push(caused(
                Rule::Plain401,
                "401 answered with the documented plain text, not the JSON error body every other failure carries"
                    .into(),
                Cause::Check("plain-text 401"),
            ));
            return;
        }
        Body::Object(map) => map,
        Body::Empty => {
            let cause = Cause::Value { what: "empty error body with status", value: status.to_string() };
            out.push(caused(Rule::ErrorBody, format!("status {status} with an empty body"), cause));
            return;
        }
        Body::OtherJson(v) => {
            out.push(caused(
                Rule::ErrorBody,
                format!("body is JSON {} but not an object: {}", json_kind(v), excerpt(&resp.body)),
                Cause::Value { what: "error body is JSON but not an object", value: json_kind(v).into() },
            ));
            return;
        }
        Body::NotJson(e) => {
            // A body cut at the cap cannot parse; the Transport violation already says why.
            if !(resp.truncated && e.is_eof()) {
                let shown = format!("body is not JSON: {}", excerpt(&resp.body));
                out.push(caused(Rule::ErrorBody, shown, Cause::Check("error body is not JSON")));
            }
            return;
        }
        // Only 2xx/3xx answers are read this way, and they have no error body to check.
        Body::Success(_) => return,
    };

    let wire_type = match map.get("type") {
        None => {
            out.push(missing("type"));
            None
        }
        Some(Value::String(t)) => Some(t.as_str()),
        Some(other) => {
            out.push(not_a_string("type", other));
            None
        }
    };
    if let Some(t) = wire_type {
        match ErrorType::from_wire(t) {
            None => out.push(caused(
                Rule::ErrorBody,
                format!("type {} is not a documented error type", quote(t)),
                Cause::Value { what: "undocumented error type", value: quote(t) },
            )),
            // The same pair the outcome rule names, so both rules make one finding.
            Some(known) if known.status() != status => out.push(caused(
                Rule::ErrorBody,
                format!("type {} travels with {}, got {status}", quote(t), known.status()),
                Cause::Status { expected: format!("{} {t}", known.status()), got: format!("{status} {t}") },
            )),
            Some(_) => {}
        }
    }

    match map.get("title") {
        None => out.push(missing("title")),
        Some(Value::String(s)) if s.trim().is_empty() => {
            let cause = Cause::Field { key: "title".into(), problem: "empty".into() };
            out.push(caused(Rule::ErrorBody, format!("title {} is empty", quote(s)), cause))
        }
        Some(Value::String(_)) => {}
        Some(other) => out.push(not_a_string("title", other)),
    }

    match map.get("detail") {
        None => out.push(missing("detail")),
        Some(Value::String(_)) => {}
        Some(other) => out.push(not_a_string("detail", other)),
    }

    match map.get("see") {
        None => out.push(missing("see")),
        Some(Value::String(see)) => super::see::check(see, wire_type, out),
        Some(other) => out.push(not_a_string("see", other)),
    }
}

/// Spec §6.2: only a body that is JSON is held to the JSON media type.
fn check_content_type(body: &Body, resp: &Response, out: &mut Vec<Violation>) {
    if !matches!(body, Body::Object(_) | Body::OtherJson(_)) {
        return;
    }
    let Some(raw) = resp.headers.get(http::header::CONTENT_TYPE) else {
        let cause = Cause::Check("JSON error body without Content-Type");
        out.push(caused(Rule::ContentType, "JSON error body sent without Content-Type".into(), cause));
        return;
    };
    let media = raw.as_bytes().split(|&b| b == b';').next().unwrap_or_default().trim_ascii();
    if !media.eq_ignore_ascii_case(b"application/json") {
        out.push(caused(
            Rule::ContentType,
            format!("JSON error body sent as Content-Type {}, not application/json", excerpt(raw.as_bytes())),
            Cause::Value { what: "JSON error body sent as Content-Type", value: excerpt(raw.as_bytes()) },
        ));
    }
}

/// Spec §6.3: a client's bad input never earns 5xx, an unasked-for 2xx, a 3xx or an unknown type.
fn check_client_input(status: u16, expect: &Expect, wire_type: Option<&str>, out: &mut Vec<Violation>) {
    match status {
        200..=299 if !expect.allows_success() => out.push(caused(
            Rule::ClientInput,
            format!("status {status} reports success, but the case allows only errors ({expect})"),
            Cause::Value { what: "success for client input", value: status.to_string() },
        )),
        300..=399 if !expect.allows_redirect() => out.push(caused(
            Rule::ClientInput,
            format!("status {status} redirects; 3xx is only for attachment fetches"),
            Cause::Value { what: "redirect for client input", value: status.to_string() },
        )),
        500..=599 => out.push(caused(
            Rule::ClientInput,
            format!("status {status} blames the server for client input"),
            Cause::Value { what: SERVER_ERROR, value: status.to_string() },
        )),
        _ => {}
    }
    let is_error = !(200..400).contains(&status);
    if let Some(t) = wire_type.filter(|_| is_error) {
        if ErrorType::from_wire(t).is_none() {
            let cause = Cause::Value { what: "undocumented error type", value: quote(t) };
            out.push(caused(Rule::ClientInput, format!("type {} is outside the documented set", quote(t)), cause));
        }
    }
}

#[allow(clippy::too_many_arguments)] // every argument is one fact about the same response
fn check_expected(
    rule: Rule,
    status: u16,
    expect: &Expect,
    is_head: bool,
    body: &Body,
    wire_type: Option<&str>,
    error_type: &Option<String>,
    has_location: bool,
    out: &mut Vec<Violation>,
) {
    let body_type = match body {
        Body::Plain401 => Some(ErrorType::AuthenticationFailed.as_str()),
        _ => wire_type,
    };
    let matches = |o: &Outcome| match o {
        Outcome::Error(t) => status == t.status() && (is_head || body_type == Some(t.as_str())),
        Outcome::Success => (200..300).contains(&status),
        Outcome::EmptySuccess => matches!(status, 200 | 204) && matches!(body, Body::Empty),
        Outcome::Redirect => (300..400).contains(&status) && has_location,
    };
    if !expect.outcomes.iter().any(matches) {
        let observed = Observed { status, error_type: error_type.clone() };
        let extra = match body {
            Body::Plain401 => " (plain-text 401)",
            Body::Empty if (200..300).contains(&status) => "",
            Body::Empty if (300..400).contains(&status) => " (no Location header)",
            Body::Empty => " (empty body)",
            _ if (200..300).contains(&status) => " (non-empty body)",
            _ => "",
        };
        let cause = Cause::Status { expected: expect.to_string(), got: format!("{observed}{extra}") };
        out.push(caused(rule, format!("expected {expect}, got {observed}{extra}"), cause));
    }
}

/// Up to about [`EXCERPT_CHARS`] characters of `bytes`, quoted, as lossy UTF-8 with control
/// characters escaped; only the head is decoded, so a huge body costs no more than a short one.
pub(super) fn excerpt(bytes: &[u8]) -> String {
    // Redacted whole, before it is cut or escaped, when the answer being judged holds a secret.
    let bytes = crate::redact::scoped(bytes);
    let head = &bytes[..bytes.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut s = String::with_capacity(EXCERPT_CHARS + 16);
    s.push('"');
    let mut shown = 0;
    let mut cut = head.len() < bytes.len();
    for c in text.chars() {
        if shown >= EXCERPT_CHARS {
            cut = true;
            break;
        }
        // Escapes count at their shown width, so a body of control bytes stays short too.
        shown += match c {
            '"' | '\\' => {
                s.push('\\');
                s.push(c);
                2
            }
            c if c.is_control() => {
                let escaped = c.escape_default();
                let width = escaped.len();
                s.extend(escaped);
                width
            }
            c => {
                s.push(c);
                1
            }
        };
    }
    s.push('"');
    if cut {
        s.push('…');
    }
    s
}

pub(super) fn quote(s: &str) -> String {
    excerpt(s.as_bytes())
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn missing(key: &str) -> Violation {
    let cause = Cause::Field { key: key.into(), problem: "missing".into() };
    caused(Rule::ErrorBody, format!("body has no \"{key}\" key"), cause)
}

fn not_a_string(key: &str, v: &Value) -> Violation {
    let shown = serde_json::to_string(v).unwrap_or_default();
    let cause = Cause::Field { key: key.into(), problem: format!("a {}, not a string", json_kind(v)) };
    caused(
        Rule::ErrorBody,
        format!("\"{key}\" is a {}, not a string: {}", json_kind(v), excerpt(shown.as_bytes())),
        cause,
    )
}

pub(super) fn caused(rule: Rule, message: String, cause: Cause) -> Violation {
    Violation::caused(rule, message, cause)
}
