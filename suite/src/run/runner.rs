//! Runs one case: prepare its fresh objects, send the request, let the oracle judge the answer, then
//! check the batch results and read back what must (not) have changed.

use crate::declare::case::{Auth, Case, CaseRequest, Requires};
use crate::run::runner::main_answer::{searches_main, FirstPage, MainAnswer};
use crate::oracle::isolation::ForeignObject;
use crate::send::client::TransportError;
use crate::oracle::{
    self, readback, readback::at_grade, Answered, Cause, Checked, Evidence, Reason, RequestFacts, Rule, Status, StepFailure, Verdict,
    Violation,
};
use crate::send::response::Response;
use crate::declare::scenario::{fill, fill_fields, After, Fresh, Shows, Subject};
use crate::run::session::{Session, Step};
use crate::declare::spec::Grade;
use crate::send::response_summary::ResponseSummary;
use crate::declare::request_body::Body;
use serde_json::Value;
use std::time::{Duration, Instant};

mod capability;
mod main_answer;

/// The result of one case, ready for reports and snapshots.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    /// The oracle's verdict: its status is the case's status in every report.
    pub verdict: Verdict,
    /// What is kept of the answer to the main request, when there was one: never its body, which is
    /// dropped once the oracle, batch results and read-backs have used it.
    pub response: Option<ResponseSummary>,
    /// Set when the case was not run, with the reason (the verdict is then `Status::Skip`).
    pub skipped: Option<String>,
    pub elapsed: Duration,
}

impl CaseResult {
    /// Passed, or skipped: nothing to report as a failure (an inconclusive case is not ok).
    pub fn ok(&self) -> bool {
        self.verdict.status().is_ok()
    }

    /// The case's status, as the oracle decided it.
    pub fn status(&self) -> Status {
        self.verdict.status()
    }

    /// Why the case proves nothing, when it does not.
    pub fn inconclusive(&self) -> Option<&Reason> {
        self.verdict.inconclusive()
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
    if let Auth::NearMiss(v) = &case.request.auth {
        let secondary = session.secondary.as_ref().map(|s| &s.credentials);
        if let Err(why) = v.header(&session.primary.credentials, secondary) {
            return Some(format!("{}: {why}", v.describe()));
        }
    }
    if case.family.opt_in() && !session.settings.rate_limit_family {
        return Some(format!(
            "opt-in: bursts past the target's limit on purpose; set JOURNEY_API_RATE_LIMIT_FAMILY=1 or pass --family {}",
            case.family
        ));
    }
    if session.settings.read_only && case.writes() {
        return Some("writes to the target, and JOURNEY_API_READ_ONLY is set".to_string());
    }
    None
}

/// The case's request with fresh IDs filled in.
fn filled(req: &CaseRequest, ids: &[String]) -> CaseRequest {
    if ids.is_empty() {
        return req.clone();
    }
    let mut out = req.clone();
    out.path = String::from_utf8_lossy(&fill(req.path.as_bytes(), ids)).into_owned();
    // A padded body has no placeholder to fill.
    out.body = req.body.as_ref().map(|b| b.as_bytes().map_or_else(|| b.clone(), |bytes| Body::from(fill(bytes, ids))));
    out
}

/// What the oracle needs to know of one request, built once and shared by every judgement of its
/// answer (the answer itself, its batch results, the 429 check).
pub struct Facts {
    method: String,
    secrets: Vec<Vec<u8>>,
    sent: Vec<Vec<u8>>,
    /// The body as sent, shared rather than copied.
    body: Option<Body>,
}

impl Facts {
    /// The secrets the request carries and the bytes the client itself sent.
    pub fn of(session: &Session, req: &CaseRequest) -> Facts {
        Facts {
            method: req.method.clone(),
            secrets: session.secrets(req),
            sent: oracle::sent_parts(&req.path, &req.headers, None),
            body: req.body.clone(),
        }
    }

    /// Facts of a request built from parts (the session's own set-up and cleanup requests).
    pub fn raw(method: &str, secrets: Vec<Vec<u8>>, sent: Vec<Vec<u8>>) -> Facts {
        Facts { method: method.to_string(), secrets, sent, body: None }
    }

    /// Lends these facts to the oracle.
    pub fn with<T>(&self, judge: impl FnOnce(&RequestFacts) -> T) -> T {
        let secrets: Vec<&[u8]> = self.secrets.iter().map(Vec::as_slice).collect();
        let mut sent: Vec<&[u8]> = self.sent.iter().map(Vec::as_slice).collect();
        sent.extend(self.body.iter().flat_map(Body::sent_parts));
        judge(&RequestFacts { method: &self.method, secrets: &secrets, sent: &sent })
    }
}

/// Sends a request, judges the 429s retried on the way and notes what a 2xx says it created.
async fn send(session: &Session, req: &CaseRequest, facts: &Facts) -> Result<Response, TransportError> {
    let sent = session.client.send_keeping(&session.wire(req)).await;
    let label = format!("{} {}", req.method, req.path);
    let profile = session.settings.profile;
    session.seen(Step::Request, facts.with(|f| oracle::seen::retried(f, &label, &sent.retried, profile)));
    if let Ok(response) = &sent.result {
        session.record_created(&req.method, response);
    }
    sent.result
}

/// How the oracle weighs `resp` for the case's final verdict, read before its body is dropped.
fn answered(session: &Session, case: &Case, facts: &Facts, resp: &Response) -> Answered {
    facts.with(|f| Answered::of(f, &case.expect, resp, session.settings.profile))
}

/// The follow-up request `req` of a check, judged against `expect`: its findings, or nothing proved when
/// it met a 429 or no answer.
async fn follow_up_checked(session: &Session, req: &CaseRequest, expect: &crate::Expect) -> Checked {
    follow_up_sent(session, req, &req.path, expect, Grade::Must, "follow-up").await.0
}

/// A follow-up request judged under `grade`, its findings naming it `then METHOD label` (`label`: its
/// path, or a form of it fit to print) and `step` when it brought nothing to judge; with its answer.
async fn follow_up_sent(
    session: &Session,
    req: &CaseRequest,
    label: &str,
    expect: &crate::Expect,
    grade: Grade,
    step: &'static str,
) -> (Checked, Option<Response>) {
    let facts = Facts::of(session, req);
    let line = format!("then {} {label}", req.method);
    match StepFailure::answer(&line, send(session, req, &facts).await, session.settings.pacing.retries_429) {
        Ok(resp) => {
            let profile = session.settings.profile;
            let verdict = facts.with(|f| oracle::judge_graded(f, expect, grade, &resp, profile));
            (follow_up(&req.method, label, verdict).into(), Some(resp))
        }
        Err(failure) => (Checked::failed(Rule::SideEffect, step, failure), None),
    }
}

/// Sends the case's request and judges the answer; transport failures are failed verdicts, not panics.
/// Every other answer the case sees (retried 429s, its fresh objects, read-backs, marker searches)
/// is judged too, and its findings join the case's verdict.
pub async fn run_case(session: &Session, case: &Case) -> CaseResult {
    let (mut result, seen) = crate::run::session::collecting(run_steps(session, case)).await;
    result.verdict = result.verdict.and_seen(seen);
    result
}

/// The case itself: fresh objects, the request, its batch results and read-backs.
async fn run_steps(session: &Session, case: &Case) -> CaseResult {
    let started = Instant::now();
    if let Some(reason) = skip_reason(session, case) {
        let verdict = Verdict::skipped();
        return CaseResult {
            id: case.id.clone(),
            verdict,
            response: None,
            skipped: Some(reason),
            elapsed: Duration::ZERO,
        };
    }
    // The rate-limit family's cases are verdicts of one shared burst, not requests of their own.
    if case.family == crate::declare::case::Family::RateLimit {
        if let Some(result) = crate::run::burst::check_result(session, &case.id).await {
            return result;
        }
    }
    let mut ids = Vec::new();
    let mut before = Vec::new();
    for fresh in &case.scenario.fresh {
        // A fresh object may point at an earlier one (a belongs-to set to its ID).
        let fields = fill_fields(&fresh.fields, &ids);
        match session.create_object(&fresh.object_type, &fields, fresh.foreign).await {
            Ok((id, snapshot)) => {
                ids.push(id);
                before.push(snapshot);
            }
            Err(failure) => {
                let verdict = oracle::setup_failed(failure, session.settings.profile);
                return CaseResult {
                    id: case.id.clone(),
                    verdict,
                    response: None,
                    skipped: None,
                    elapsed: started.elapsed(),
                };
            }
        }
    }
    let request = filled(&case.request, &ids);
    let facts = Facts::of(session, &request);
    let profile = session.settings.profile;
    let sent = send(session, &request, &facts).await;
    let held_back = sent.as_ref().err().is_some_and(TransportError::held_back);
    let (mut verdict, response) = match sent {
        Ok(resp) => (facts.with(|f| oracle::judge_case(f, &case.expect, case.spec, &resp, profile)), Some(resp)),
        Err(e) => (Verdict::broken(Rule::Transport, e.to_string(), Cause::transport("request", &e)), None),
    };
    if let (Some(ops), Some(resp)) = (&case.scenario.batch, &response) {
        if (200..300).contains(&resp.status) {
            let body = request.body.as_ref().and_then(Body::as_bytes);
            let found = facts.with(|f| oracle::batch_results::judge_results(f, body, ops, resp, profile));
            verdict = verdict.and(at_grade(found, case.spec.grade));
        }
    }
    if let Some(resp) = &response {
        let claims: Vec<&Shows> = case.scenario.after.iter().filter_map(After::shows).collect();
        let shows = || oracle::shows::judge(&claims, resp.status, &resp.body, &ids, case.spec.grade);
        // An answer that echoed a secret is quoted redacted, before the quote is cut.
        let echoed = verdict.violations().iter().any(|v| v.rule == Rule::EchoedCredential);
        let found = if echoed { facts.with(|f| crate::redact::within(f.secrets, shows)) } else { shows() };
        verdict = verdict.and(found);
    }
    let foreign = foreign_objects(session, &case.scenario.fresh, &ids, &before);
    // Judged: keep only what the checks below need, so the body is gone before they fetch more answers.
    let main = response.map(|r| {
        let first_page = searches_main(&case.scenario).map(|oplog| {
            let what = format!("the {} answer", request.method);
            facts.with(|f| FirstPage::of(&what, &r, &foreign, f.sent, oplog))
        });
        let answer = answered(session, case, &facts, &r);
        facts.with(|f| MainAnswer::take(r, &case.scenario, answer, first_page, f.secrets))
    });
    // Nor the request: a filled body is this case's own copy.
    drop((facts, request));
    // The answer is weighed before the checks join, so a 429 to it does not hide what they prove.
    let stopped = session.client.stopped();
    let seen = Evidence {
        answer: main.as_ref().map(|m| m.answered),
        held_back,
        stopped: stopped.as_deref(),
        retries_429: session.settings.pacing.retries_429,
    };
    let mut verdict = oracle::conclude(verdict, &seen);
    let write_checks = oracle::write_checks_apply(&seen);
    for after in case.scenario.after.iter().filter(|a| write_checks || !readback::relies_on_write(a)) {
        let scene = Scene { fresh: &case.scenario.fresh, ids: &ids, before: &before, foreign: &foreign };
        let checked = check_after(session, &scene, after, main.as_ref()).await;
        verdict = verdict.checked(Checked { found: at_grade(checked.found, case.spec.grade), ..checked });
    }
    CaseResult { id: case.id.clone(), verdict, response: main.map(|m| m.summary), skipped: None, elapsed: started.elapsed() }
}

/// The case's fresh objects, as its after-checks see them.
struct Scene<'a> {
    fresh: &'a [Fresh],
    ids: &'a [String],
    before: &'a [Value],
    /// The foreign fresh objects, as the isolation rule looks for them.
    foreign: &'a [ForeignObject],
}

/// The second account's fresh objects, each with the run's marker it carries and the URLs it read back with.
fn foreign_objects(session: &Session, fresh: &[Fresh], ids: &[String], before: &[Value]) -> Vec<ForeignObject> {
    let run = &session.ctx.run_id;
    fresh
        .iter()
        .zip(ids)
        .zip(before)
        .filter(|((f, _), _)| f.foreign)
        .map(|((f, id), read)| ForeignObject {
            id: id.clone(),
            marker: f.fields.values().filter_map(Value::as_str).find(|v| v.contains(run.as_str())).map(str::to_string),
            capabilities: urls(read),
        })
        .collect()
}

/// Every URL inside a read-back object (its attachments' links).
fn urls(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) if s.contains("://") => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(urls).collect(),
        Value::Object(map) => map.values().flat_map(urls).collect(),
        _ => Vec::new(),
    }
}

/// Fetches what one after-check needs and hands it to the oracle's read-back rules.
async fn check_after(session: &Session, scene: &Scene<'_>, after: &After, main: Option<&MainAnswer>) -> Checked {
    let Scene { fresh, ids, before, foreign: outsiders } = *scene;
    let fresh_type = |i: usize| fresh.get(i).map_or_else(|| session.ctx.object_type.clone(), |f| f.object_type.clone());
    let foreign = |i: usize| fresh.get(i).is_some_and(|f| f.foreign);
    let missing = |i: usize| readback::unreadable(StepFailure::answered("read-back", format!("no fresh object {i}")));
    match after {
        After::Unchanged(i) => {
            let (Some(id), Some(was)) = (ids.get(*i), before.get(*i)) else { return missing(*i) };
            readback::unchanged(id, was, session.read_object_in(foreign(*i), &fresh_type(*i), id).await)
        }
        After::Request(req, expect) => follow_up_checked(session, &filled(req, ids), expect).await,
        After::ReadBack { subject, field, repr } => match read_subject(session, subject, ids, main, fresh_type).await {
            Ok(Some((object_type, object))) => readback::field(&object_type, &object, field, repr, ids).into(),
            Ok(None) => Checked::default(),
            Err(e) => readback::unreadable(e),
        },
        After::AttachmentRedirect { subject, field } | After::CapabilityFetch { subject, field } => {
            let (_, object) = match read_subject(session, subject, ids, main, fresh_type).await {
                Ok(Some(found)) => found,
                Ok(None) => return Checked::default(),
                Err(e) => return readback::unreadable(e),
            };
            let path = match readback::attachment_path(field, &object, &session.primary.origin) {
                Ok(Some(path)) => path,
                Ok(None) => return Checked::default(),
                Err(violations) => return violations.into(),
            };
            if matches!(after, After::CapabilityFetch { .. }) {
                return capability::fetch(session, &path).await;
            }
            let expect = crate::Expect { outcomes: vec![crate::Outcome::Redirect], why: None };
            follow_up_checked(session, &CaseRequest::new("GET", path), &expect).await
        }
        After::NoObjectMarked { object_type, field, marker }
        | After::OneObjectMarked { object_type, field, marker } => {
            let want = if matches!(after, After::NoObjectMarked { .. }) { 0 } else { 1 };
            readback::marked(object_type, field, marker, want, session.find_marked(object_type, field, marker).await)
        }
        After::NothingForeign { read: None, .. } => {
            nothing_foreign(session, main.and_then(|m| m.first_page.as_ref()), outsiders).await
        }
        // Judged with the main answer, while its body is still there.
        After::Shows(_) => Checked::default(),
        After::OplogPages(i) => match ids.get(*i) {
            Some(id) => session.oplog_walk(id).await,
            None => missing(*i),
        },
        After::NothingForeign { read: Some(req), oplog } => {
            // A follow-up read whose answer is only searched: a target may refuse an undocumented parameter.
            let req = filled(req, ids);
            let facts = Facts::of(session, &req);
            let label = format!("{} {}", req.method, req.path);
            let answer = session.send_seen(Step::ReadBack, &session.wire(&req), &label, &facts).await;
            let first = match StepFailure::answer(&label, answer, session.settings.pacing.retries_429) {
                Ok(answer) => {
                    let what = format!("the {} answer", req.method);
                    facts.with(|f| FirstPage::of(&what, &answer, outsiders, f.sent, *oplog))
                }
                Err(failure) => return Checked::failed(Rule::Isolation, "follow-up read", failure),
            };
            nothing_foreign(session, Some(&first), outsiders).await
        }
    }
}

/// The isolation rule's findings on a first answer and, when it pages the oplog on, on each later page,
/// judged as it arrives (one page held at a time); a page that met a 429 or no answer proves nothing.
async fn nothing_foreign(session: &Session, first: Option<&FirstPage>, foreign: &[ForeignObject]) -> Checked {
    let Some(first) = first else { return Checked::default() };
    let retries = session.settings.pacing.retries_429;
    let pages = session
        .oplog_pages(first.next.clone(), |path, page| {
            oracle::isolation::page(&format!("GET {path}"), page, foreign, retries)
        })
        .await;
    pages.into_iter().fold(Checked::found(first.found.clone()), Checked::and)
}

/// A follow-up's findings for the case that made it: its MUST failures as side effects (the oracle's
/// read-back rule), its SHOULD findings kept at SHOULD, so a follow-up's banner header cannot fail a case.
fn follow_up(method: &str, path: &str, verdict: Verdict) -> Vec<Violation> {
    let (must, should) = verdict.split_should();
    let mut out = readback::follow_up(method, path, &must);
    out.extend(should.into_iter().map(|v| Violation { message: format!("then {method} {path}: {}", v.message), ..v }));
    out
}

/// Reads the object a check is about: `Ok(None)` when there is nothing to check (the main request failed,
/// which its own verdict already reports).
async fn read_subject(
    session: &Session,
    subject: &Subject,
    ids: &[String],
    main: Option<&MainAnswer>,
    fresh_type: impl Fn(usize) -> String,
) -> Result<Option<(String, Value)>, StepFailure> {
    let (object_type, id) = match subject {
        Subject::Fresh(i) => (
            fresh_type(*i),
            ids.get(*i).cloned().ok_or_else(|| StepFailure::answered("read-back", format!("no fresh object {i}")))?,
        ),
        Subject::Created(t) => match main.and_then(|m| m.created.clone()) {
            Some(id) => (t.clone(), id.map_err(|e| StepFailure::answered("read-back", e))?),
            None => return Ok(None),
        },
    };
    match session.read_object(&object_type, &id).await? {
        Some(object) => Ok(Some((object_type, object))),
        None => Err(StepFailure::Answered {
            message: format!("{object_type} {id} cannot be read back after a successful write"),
            subject: format!("a {object_type} cannot be read back after a successful write"),
        }),
    }
}
