//! Runs one case: prepare its fresh objects, send the request, let the oracle judge the answer, then
//! check the batch results and read back what must (not) have changed.

use crate::case::{Case, CaseRequest, Requires};
use crate::client::TransportError;
use crate::oracle::{self, Observed, RequestFacts, Rule, Verdict, Violation};
use crate::response::Response;
use crate::scenario::{fill, json_eq, matches_repr, After, Fresh, OpExpect, Subject};
use crate::session::Session;
use bytes::Bytes;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The result of one case, ready for reports and snapshots.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    pub verdict: Verdict,
    /// The answer to the main request, when there was one.
    pub response: Option<Response>,
    /// Set when the case was not run, with the reason.
    pub skipped: Option<String>,
    /// Set when the case proves nothing either way (still rate limited after its retries, or not sent
    /// because the target stopped answering): never a pass; its verdict then always has a violation.
    pub inconclusive: Option<String>,
    pub elapsed: Duration,
}

impl CaseResult {
    /// Passed, or skipped: nothing to report as a failure (an inconclusive case is not ok).
    pub fn ok(&self) -> bool {
        self.skipped.is_some() || (self.inconclusive.is_none() && self.verdict.passed())
    }
}

/// Why a case cannot run against this session, if it cannot.
pub fn skip_reason(session: &Session, case: &Case) -> Option<String> {
    if let Some(reason) = &case.unsupported {
        return Some(reason.clone());
    }
    match case.requires {
        Requires::SecondAccount if session.secondary.is_none() => {
            return Some("needs a second account: set JOURNEY_API_URL_2 and its credentials".to_string());
        }
        Requires::ExistingObject if !session.has_fixture => {
            return Some(format!(
                "needs an existing {} object, and read-only mode found none to use",
                session.ctx.object_type
            ));
        }
        _ => {}
    }
    if session.settings.read_only && case.writes() {
        return Some("writes to the target, and JOURNEY_API_READ_ONLY is set".to_string());
    }
    None
}

fn no_response(status: u16) -> Observed {
    Observed { status, error_type: None }
}

fn violation(rule: Rule, message: String) -> Violation {
    Violation { rule, message }
}

/// The case's request with fresh IDs filled in.
fn filled(req: &CaseRequest, ids: &[String]) -> CaseRequest {
    if ids.is_empty() {
        return req.clone();
    }
    let mut out = req.clone();
    out.path = String::from_utf8_lossy(&fill(req.path.as_bytes(), ids)).into_owned();
    out.body = req.body.as_ref().map(|b| Bytes::from(fill(b, ids)));
    out
}

/// What the oracle needs to know of one request, built once and shared by every judgement of its
/// answer (the answer itself, its batch results, the 429 check).
pub struct Facts {
    method: String,
    secrets: Vec<Vec<u8>>,
    sent: Vec<Vec<u8>>,
}

impl Facts {
    /// The secrets the request carries and the bytes the client itself sent.
    pub fn of(session: &Session, req: &CaseRequest) -> Facts {
        Facts {
            method: req.method.clone(),
            secrets: session.secrets(req),
            sent: oracle::sent_parts(&req.path, &req.headers, req.body.as_deref()),
        }
    }

    /// Lends these facts to the oracle.
    pub fn with<T>(&self, judge: impl FnOnce(&RequestFacts) -> T) -> T {
        let secrets: Vec<&[u8]> = self.secrets.iter().map(Vec::as_slice).collect();
        let sent: Vec<&[u8]> = self.sent.iter().map(Vec::as_slice).collect();
        judge(&RequestFacts { method: &self.method, secrets: &secrets, sent: &sent })
    }
}

/// Sends a request and judges the answer against `expect`.
async fn send_and_judge(
    session: &Session,
    req: &CaseRequest,
    facts: &Facts,
    expect: &crate::Expect,
) -> (Verdict, Option<Response>) {
    match session.client.send(&session.wire(req)).await {
        Ok(response) => {
            session.record_created(&req.method, &response);
            let verdict = facts.with(|f| oracle::judge(f, expect, &response, session.settings.profile));
            (verdict, Some(response))
        }
        Err(e) => (transport_verdict(&e), None),
    }
}

/// Sends the case's request and judges the answer; transport failures are failed verdicts, not panics.
pub async fn run_case(session: &Session, case: &Case) -> CaseResult {
    let started = Instant::now();
    if let Some(reason) = skip_reason(session, case) {
        let verdict = Verdict { observed: no_response(0), violations: Vec::new() };
        return CaseResult {
            id: case.id.clone(),
            verdict,
            response: None,
            skipped: Some(reason),
            inconclusive: None,
            elapsed: Duration::ZERO,
        };
    }
    let mut ids = Vec::new();
    let mut before = Vec::new();
    for fresh in &case.scenario.fresh {
        match session.create_object(&fresh.object_type, &fresh.fields).await {
            Ok((id, snapshot)) => {
                ids.push(id);
                before.push(snapshot);
            }
            Err(message) => {
                let verdict = Verdict { observed: no_response(0), violations: vec![violation(Rule::Setup, message)] };
                let facts = Facts::of(session, &case.request);
                let inconclusive = crate::inconclusive::reason(session, case, &facts, &verdict, None);
                return CaseResult {
                    id: case.id.clone(),
                    verdict,
                    response: None,
                    skipped: None,
                    inconclusive,
                    elapsed: started.elapsed(),
                };
            }
        }
    }
    let request = filled(&case.request, &ids);
    let facts = Facts::of(session, &request);
    let (mut verdict, response) = send_and_judge(session, &request, &facts, &case.expect).await;
    if let (Some(ops), Some(resp)) = (&case.scenario.batch, &response) {
        if (200..300).contains(&resp.status) {
            verdict.violations.extend(check_batch(session, &request, &facts, ops, resp));
        }
    }
    for after in &case.scenario.after {
        verdict
            .violations
            .extend(check_after(session, &case.scenario.fresh, after, &ids, &before, response.as_ref()).await);
    }
    let inconclusive = crate::inconclusive::reason(session, case, &facts, &verdict, response.as_ref());
    CaseResult { id: case.id.clone(), verdict, response, skipped: None, inconclusive, elapsed: started.elapsed() }
}

/// Spec §5: one result per operation, in order, each judged; `stop_on_error` echoed.
fn check_batch(
    session: &Session,
    req: &CaseRequest,
    facts: &Facts,
    ops: &[OpExpect],
    resp: &Response,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let Ok(body) = serde_json::from_slice::<Value>(&resp.body) else {
        return vec![violation(Rule::Expected, "batch answer is not JSON".into())];
    };
    let sent: Value = req.body.as_ref().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
    let asked = sent.get("stop_on_error").and_then(Value::as_bool).unwrap_or(false);
    if body.get("stop_on_error").and_then(Value::as_bool) != Some(asked) {
        out.push(violation(Rule::Expected, format!("batch answer does not echo stop_on_error={asked}")));
    }
    let Some(results) = body.get("operations").and_then(Value::as_array) else {
        out.push(violation(Rule::Expected, "batch answer has no `operations` array of results".into()));
        return out;
    };
    if results.len() != ops.len() {
        out.push(violation(Rule::Expected, format!("{} operations sent, {} results", ops.len(), results.len())));
    }
    facts.with(|facts| {
        for (i, (op, result)) in ops.iter().zip(results).enumerate() {
            let expected = match op {
                OpExpect::Success => None,
                OpExpect::Error(e) => Some(e),
            };
            out.extend(oracle::judge_operation(facts, i, expected, result, session.settings.profile));
        }
    });
    out
}

async fn check_after(
    session: &Session,
    fresh: &[Fresh],
    after: &After,
    ids: &[String],
    before: &[Value],
    main: Option<&Response>,
) -> Vec<Violation> {
    let fresh_type = |i: usize| fresh.get(i).map_or_else(|| session.ctx.object_type.clone(), |f| f.object_type.clone());
    let side = |m: String| vec![violation(Rule::SideEffect, m)];
    match after {
        After::Unchanged(i) => {
            let (Some(id), Some(was)) = (ids.get(*i), before.get(*i)) else {
                return side(format!("no fresh object {i}"));
            };
            match session.read_object(&fresh_type(*i), id).await {
                Ok(Some(now)) if json_eq(&now, was) => Vec::new(),
                Ok(Some(now)) => side(format!("object {id} changed after a failed write: {}", diff(was, &now))),
                Ok(None) => side(format!("object {id} is gone after a failed write")),
                Err(e) => side(format!("cannot read back object {id}: {e}")),
            }
        }
        After::Request(req, expect) => {
            let req = filled(req, ids);
            let (verdict, _) = send_and_judge(session, &req, &Facts::of(session, &req), expect).await;
            verdict
                .violations
                .into_iter()
                .map(|v| {
                    violation(Rule::SideEffect, format!("then {} {}: [{}] {}", req.method, req.path, v.rule, v.message))
                })
                .collect()
        }
        After::ReadBack { subject, field, repr } => {
            let (object_type, object) = match read_subject(session, subject, ids, main, fresh_type).await {
                Ok(Some(found)) => found,
                Ok(None) => return Vec::new(),
                Err(e) => return side(e),
            };
            match matches_repr(object.get(field), repr, ids) {
                Ok(()) => Vec::new(),
                Err(why) => {
                    side(format!("field `{field}` of {object_type} {} {why}", object.get("id").unwrap_or(&Value::Null)))
                }
            }
        }
        After::AttachmentRedirect { subject, field } => {
            let (_, object) = match read_subject(session, subject, ids, main, fresh_type).await {
                Ok(Some(found)) => found,
                Ok(None) => return Vec::new(),
                Err(e) => return side(e),
            };
            let value = object.get(field).cloned().unwrap_or(Value::Null);
            let url = value
                .get("urls")
                .and_then(Value::as_object)
                .and_then(|u| u.values().find_map(Value::as_str))
                .or_else(|| value.get("url").and_then(Value::as_str));
            let Some(url) = url else { return side(format!("uploaded `{field}` reads back without a URL: {value}")) };
            let Some(path) = url.strip_prefix(&session.primary.origin).filter(|p| p.starts_with('/')) else {
                return vec![violation(
                    Rule::Setup,
                    format!(
                        "attachment URL {url} is not on the target ({}); the suite does not fetch off the target",
                        session.primary.origin
                    ),
                )];
            };
            let req = CaseRequest::new("GET", path);
            let expect = crate::Expect { outcomes: vec![crate::Outcome::Redirect], why: None };
            let (verdict, _) = send_and_judge(session, &req, &Facts::of(session, &req), &expect).await;
            verdict
                .violations
                .into_iter()
                .map(|v| violation(Rule::SideEffect, format!("then GET {path}: [{}] {}", v.rule, v.message)))
                .collect()
        }
        After::NoObjectMarked { object_type, field, marker }
        | After::OneObjectMarked { object_type, field, marker } => {
            let want = if matches!(after, After::NoObjectMarked { .. }) { 0 } else { 1 };
            match session.find_marked(object_type, field, marker).await {
                Ok(found) if found.len() == want => Vec::new(),
                Ok(found) => side(format!(
                    "{} {object_type} object(s) carry marker `{marker}` in `{field}`, expected {want}: {}",
                    found.len(),
                    found.join(", ")
                )),
                Err(e) => side(format!("cannot list {object_type} objects marked `{marker}`: {e}")),
            }
        }
    }
}

/// Reads the object a check is about: `Ok(None)` when there is nothing to check (the main request failed,
/// which its own verdict already reports).
async fn read_subject(
    session: &Session,
    subject: &Subject,
    ids: &[String],
    main: Option<&Response>,
    fresh_type: impl Fn(usize) -> String,
) -> Result<Option<(String, Value)>, String> {
    let (object_type, id) = match subject {
        Subject::Fresh(i) => (fresh_type(*i), ids.get(*i).cloned().ok_or_else(|| format!("no fresh object {i}"))?),
        Subject::Created(t) => {
            let created = main
                .filter(|r| (200..300).contains(&r.status))
                .and_then(|r| serde_json::from_slice::<Value>(&r.body).ok());
            let Some(created) = created else { return Ok(None) };
            let id = created.get("id").and_then(Value::as_str).ok_or("the created object's answer has no `id`")?;
            (t.clone(), id.to_string())
        }
    };
    match session.read_object(&object_type, &id).await {
        Ok(Some(object)) => Ok(Some((object_type, object))),
        Ok(None) => Err(format!("{object_type} {id} cannot be read back after a successful write")),
        Err(e) => Err(format!("cannot read back {object_type} {id}: {e}")),
    }
}

/// Names the top-level keys whose values differ.
fn diff(was: &Value, now: &Value) -> String {
    let (Some(a), Some(b)) = (was.as_object(), now.as_object()) else { return format!("{was} → {now}") };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let changed: Vec<String> = keys
        .into_iter()
        .filter(|k| !matches!((a.get(*k), b.get(*k)), (Some(x), Some(y)) if json_eq(x, y)))
        .map(|k| {
            format!(
                "`{k}` {} → {}",
                a.get(k).map_or("absent".into(), Value::to_string),
                b.get(k).map_or("absent".into(), Value::to_string)
            )
        })
        .collect();
    changed.join(", ")
}

fn transport_verdict(e: &TransportError) -> Verdict {
    Verdict { observed: no_response(0), violations: vec![violation(Rule::Transport, e.to_string())] }
}
