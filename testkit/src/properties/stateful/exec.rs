//! One sequence against a live target: each step made concrete (IDs, the sequence's marker, JSON
//! bodies), sent, its answer judged by the oracle against the model's prediction, and its reads
//! compared with the model's state ([`super::reads`]). Every request is kept, numbered, with a
//! redacted `curl` repro, so a failure prints as the requests that led to it.

use super::model::{Answer, Model, Prediction};
use super::reads;
use super::schema::Schema;
use super::steps::{Fields, Op, Slot, Step, SLOTS};
use crate::properties::{self, PropCase};
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::expect::Expect;
use journey_conformance::declare::request_body::Body;
use journey_conformance::declare::routes::Shape;
use journey_conformance::declare::scenario::OpExpect;
use journey_conformance::declare::spec;
use journey_conformance::oracle::{self, RequestFacts, Verdict, Violation};
use journey_conformance::run::session::Session;
use journey_conformance::send::response::Response;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The target a stateful run talks to: a started session and the runtime its client lives on.
pub struct Target<'a> {
    pub session: &'a Session,
    pub handle: tokio::runtime::Handle,
    /// Requests sent so far (steps, oplog pages, cleanup), for the budget report.
    pub requests: AtomicUsize,
}

/// Sequences started in this process: each one's marker is unique, even when two runs share a session
/// (the property and its regression replay run side by side).
static SEQUENCES: AtomicU64 = AtomicU64::new(0);

impl<'a> Target<'a> {
    pub fn new(session: &'a Session, handle: tokio::runtime::Handle) -> Target<'a> {
        Target { session, handle, requests: AtomicUsize::new(0) }
    }

    /// Sends one request; `Err` says why there is no answer.
    pub(super) fn send(&self, req: &CaseRequest) -> Result<Response, String> {
        self.send_judging_retries(req).0
    }

    /// [`Target::send`], with the oracle's findings on the 429s the client retried on the way.
    fn send_judging_retries(&self, req: &CaseRequest) -> (Result<Response, String>, Vec<Violation>) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let wire = self.session.wire(req);
        let sent = self.handle.block_on(self.session.client.send_keeping(&wire));
        let secrets = || self.session.secrets(req);
        let found = properties::judge_retried(req, secrets, &sent.retried, self.session.settings.profile);
        (sent.result.map_err(|e| e.to_string()), found)
    }

    /// The oracle's verdict on one answer, given what the model allows.
    pub(super) fn judge(&self, req: &CaseRequest, expect: Expect, resp: &Response) -> Verdict {
        // The clause is only shown by the property reports; the stateful report names the step instead.
        let case = PropCase { what: String::new(), spec: spec::BATCH_RESULTS, request: req.clone(), expect };
        properties::judge(&case, &self.session.secrets(req), resp, self.session.settings.profile)
    }

    fn curl(&self, req: &CaseRequest) -> String {
        journey_conformance::report::repro::curl_request(&self.session.primary, self.session.secondary.as_ref(), req)
    }
}

fn expect(answer: Answer) -> Expect {
    match answer {
        Answer::Success => Expect::success(),
        Answer::Error(t) => Expect::error(t),
    }
}

/// One sequence's concrete side: its objects' IDs, its marker, and the requests it sent.
pub struct Sequence<'t, 'a> {
    target: &'t Target<'a>,
    pub(super) schema: &'t Schema,
    pub(super) marker: String,
    /// The ID behind each slot: fresh UUIDs (never used), replaced by the ID a create answers.
    pub(super) ids: Vec<String>,
    /// IDs that may name an object the sequence made, for cleanup.
    touched: BTreeSet<String>,
    pub(super) oplog_after: u64,
    log: Vec<String>,
    /// Findings on the 429s the client retried during the current step, judged as the fixed cases' are.
    retried: Vec<Violation>,
}

impl<'t, 'a> Sequence<'t, 'a> {
    pub fn new(target: &'t Target<'a>, schema: &'t Schema) -> Sequence<'t, 'a> {
        let n = SEQUENCES.fetch_add(1, Ordering::Relaxed);
        let marker = target.session.ctx.marker(&format!("stateful {n}"));
        let ids = (0..SLOTS).map(|_| uuid::Uuid::new_v4().to_string()).collect();
        Sequence {
            target,
            schema,
            marker,
            ids,
            touched: BTreeSet::new(),
            oplog_after: 0,
            log: Vec::new(),
            retried: Vec::new(),
        }
    }

    /// Runs `steps` from an empty model; `seen` counts the steps started (for the shrinker).
    /// Cleans up whatever happens; `Err` is the failure report.
    pub fn run(mut self, steps: &[Step], seen: Option<&AtomicUsize>) -> Result<(), String> {
        let result = self.steps(steps, seen);
        self.cleanup();
        result
    }

    fn steps(&mut self, steps: &[Step], seen: Option<&AtomicUsize>) -> Result<(), String> {
        if steps.contains(&Step::Oplog) {
            self.oplog_after = self.oplog_baseline()?;
        }
        let mut model = Model::default();
        for (i, step) in steps.iter().enumerate() {
            if let Some(seen) = seen {
                seen.fetch_add(1, Ordering::SeqCst);
            }
            if !model.allows(step) {
                // Only a hand-edited or stale regression file gets here; generated steps always pass.
                return Err(format!(
                    "step {} of {}: {step:?} is not a step the model predicts from {model:?}",
                    i + 1,
                    steps.len()
                ));
            }
            let (next, prediction) = model.step(step);
            let mut problems = Vec::new();
            self.execute(step, &prediction, &next, &mut problems)?;
            problems.append(&mut self.retried);
            if !problems.is_empty() {
                return Err(self.failure(i, steps.len(), step, &prediction, &problems));
            }
            model = next;
        }
        Ok(())
    }

    /// Sends `req`, numbered in the sequence's log.
    pub(super) fn send(&mut self, req: &CaseRequest) -> Result<Response, String> {
        self.log.push(format!(
            "{:>3}. {} {}\n       {}",
            self.log.len() + 1,
            req.method,
            req.path,
            self.target.curl(req)
        ));
        let (sent, retried) = self.target.send_judging_retries(req);
        self.retried.extend(retried);
        sent.map_err(|e| self.failure_text(&format!("no answer to {} {}: {e}", req.method, req.path)))
    }

    pub(super) fn judge(&self, req: &CaseRequest, expect: Expect, resp: &Response) -> Verdict {
        self.target.judge(req, expect, resp)
    }

    /// `{prefix}/api/v4/{account}` of the target.
    pub(super) fn base(&self) -> String {
        self.target.session.ctx.base()
    }

    /// The ID behind `slot` (steps are checked against the model first, so it is in range).
    fn id(&self, slot: Slot) -> String {
        self.ids.get(usize::from(slot)).cloned().unwrap_or_default()
    }

    fn object_request(&self, method: &str, slot: Slot) -> CaseRequest {
        Shape::Object.request(method, self.target.session.ctx.object(&self.id(slot)))
    }

    /// The flat fields of a write: the marker (unless a PATCH) and the step's values.
    fn body_fields(&self, fields: &Fields, with_marker: bool) -> Map<String, Value> {
        let mut out = Map::new();
        if with_marker {
            out.insert(self.schema.marker_field.clone(), Value::String(self.marker.clone()));
        }
        for (i, v) in fields {
            // A regression file may name a field this target's type lacks; such a value is dropped.
            if let Some(name) = self.schema.name(*i) {
                out.insert(name.to_string(), v.json());
            }
        }
        out
    }

    fn wrapped(&self, fields: Map<String, Value>) -> Vec<u8> {
        json!({ &self.schema.object_type: fields }).to_string().into_bytes()
    }

    fn execute(
        &mut self,
        step: &Step,
        prediction: &Prediction,
        after: &Model,
        problems: &mut Vec<Violation>,
    ) -> Result<(), String> {
        let one = match prediction {
            Prediction::One(a) => *a,
            Prediction::Batch(_) => Answer::Success,
        };
        match step {
            Step::Create { slot, fields } => {
                let body = self.wrapped(self.body_fields(fields, true));
                let req = Shape::Collection.request("POST", self.target.session.ctx.collection()).json(body);
                let resp = self.send(&req)?;
                let verdict = self.judge(&req, expect(one), &resp);
                if verdict.passed() && one == Answer::Success {
                    match reads::id_of(&resp.body) {
                        Some(id) => self.bind(*slot, id),
                        None => problems.push(reads::side("the create's 2xx answer names no `id`".into())),
                    }
                    problems.extend(reads::object(self, &resp.body, after.life(*slot)));
                }
                problems.extend(verdict.violations().iter().cloned());
            }
            Step::Patch { slot, fields } | Step::Put { slot, fields } => {
                let method = if matches!(step, Step::Patch { .. }) { "PATCH" } else { "PUT" };
                let body = self.wrapped(self.body_fields(fields, method == "PUT"));
                let req = self.object_request(method, *slot).json(body);
                if method == "PUT" {
                    self.touched.insert(self.id(*slot));
                }
                let resp = self.send(&req)?;
                let verdict = self.judge(&req, expect(one), &resp);
                if verdict.passed() && one == Answer::Success {
                    problems.extend(reads::object(self, &resp.body, after.life(*slot)));
                }
                problems.extend(verdict.violations().iter().cloned());
            }
            Step::Delete { slot } => {
                let req = self.object_request("DELETE", *slot);
                let resp = self.send(&req)?;
                problems.extend(self.judge(&req, expect(one), &resp).violations().iter().cloned());
            }
            Step::Get { slot } => {
                let req = self.object_request("GET", *slot);
                let resp = self.send(&req)?;
                let verdict = self.judge(&req, expect(one), &resp);
                if verdict.passed() && one == Answer::Success {
                    problems.extend(reads::object(self, &resp.body, after.life(*slot)));
                }
                problems.extend(verdict.violations().iter().cloned());
            }
            Step::List => problems.extend(reads::list(self, after)?),
            Step::Oplog => problems.extend(reads::oplog(self, after)?),
            Step::Batch { stop_on_error, ops } => {
                let answers = match prediction {
                    Prediction::Batch(a) => a.clone(),
                    Prediction::One(_) => Vec::new(),
                };
                problems.extend(self.batch(*stop_on_error, ops, &answers)?);
            }
        }
        Ok(())
    }

    fn batch(&mut self, stop_on_error: bool, ops: &[Op], answers: &[Answer]) -> Result<Vec<Violation>, String> {
        let mut operations = Vec::new();
        for op in ops {
            let mut object =
                self.body_fields(op.fields().unwrap_or(&Fields::new()), matches!(op, Op::Post { .. } | Op::Put { .. }));
            object.insert("type".into(), Value::String(self.schema.object_type.clone()));
            // A post names its slot's fresh ID (documented as optional), so later operations can address it.
            object.insert("id".into(), Value::String(self.id(op.slot())));
            operations.push(json!({ "method": op.method(), "object": object }));
        }
        let mut doc = json!({ "operations": operations });
        if stop_on_error {
            doc["stop_on_error"] = Value::Bool(true);
        }
        let body = doc.to_string().into_bytes();
        let base = self.target.session.ctx.base();
        let req = Shape::Batch.request("POST", format!("{base}/batch.json")).json(body.clone());
        let resp = self.send(&req)?;
        let verdict = self.judge(&req, Expect::success(), &resp);
        if !verdict.passed() {
            return Ok(verdict.violations().to_vec());
        }
        let expectations: Vec<OpExpect> = answers
            .iter()
            .map(|a| match a {
                Answer::Success => OpExpect::Success,
                Answer::Error(t) => OpExpect::Error(Expect::error(*t)),
            })
            .collect();
        let secrets = self.target.session.secrets(&req);
        let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let sent = oracle::sent_parts(&req.path, &req.headers, req.body.as_ref().and_then(Body::as_bytes));
        let sent_refs: Vec<&[u8]> = sent.iter().map(Vec::as_slice).collect();
        let facts = RequestFacts { method: "POST", secrets: &secret_refs, sent: &sent_refs };
        let problems = oracle::batch_results::judge_results(
            &facts,
            Some(&body),
            &expectations,
            &resp,
            self.target.session.settings.profile,
        );
        let results: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        for (i, op) in ops.iter().enumerate() {
            let ok = answers.get(i) == Some(&Answer::Success);
            match op {
                Op::Post { slot, .. } if ok => {
                    let named = results.pointer(&format!("/operations/{i}/object/id")).and_then(Value::as_str);
                    let want = self.id(*slot);
                    if named != Some(want.as_str()) {
                        return Ok(vec![reads::side(format!(
                            "batch post {i} created {named:?}, not the ID it named ({want})"
                        ))]);
                    }
                    self.touched.insert(self.id(*slot));
                }
                Op::Post { slot, .. } | Op::Put { slot, .. } => {
                    self.touched.insert(self.id(*slot));
                }
                _ => {}
            }
        }
        Ok(problems)
    }

    fn bind(&mut self, slot: Slot, id: String) {
        self.touched.insert(id.clone());
        if let Some(s) = self.ids.get_mut(usize::from(slot)) {
            *s = id;
        }
    }

    /// The oplog's newest sequence number now (0 when empty): the sequence reads only what follows.
    fn oplog_baseline(&mut self) -> Result<u64, String> {
        let base = self.target.session.ctx.base();
        let req = Shape::Oplog.request("GET", format!("{base}/oplog.json?tail=true&limit=1"));
        let resp = self.target.send(&req).map_err(|e| format!("oplog baseline: {e}"))?;
        if !(200..300).contains(&resp.status) {
            return Err(format!("oplog baseline: GET {} answered {}", req.path, resp.status));
        }
        Ok(reads::oplog_entries(&resp.body).iter().map(|e| e.sequence).max().unwrap_or(0))
    }

    /// Deletes what the sequence may have made, then anything still carrying its marker.
    fn cleanup(&mut self) {
        let ctx = &self.target.session.ctx;
        for id in std::mem::take(&mut self.touched) {
            let _ = self.target.send(&Shape::Object.request("DELETE", ctx.object(&id)));
        }
        let list = reads::marker_list(self);
        if let Ok(resp) = self.target.send(&list) {
            for id in reads::listed(self, &resp.body).into_iter().filter_map(|o| reads::id_of_value(&o)) {
                let _ = self.target.send(&Shape::Object.request("DELETE", ctx.object(&id)));
            }
        }
    }

    fn failure_text(&self, headline: &str) -> String {
        let secrets = self.target.session.secrets(&CaseRequest::new("GET", "/"));
        journey_conformance::redact::redact(&format!("{headline}\n  requests:\n{}", self.log.join("\n")), &secrets)
    }

    fn failure(&self, i: usize, n: usize, step: &Step, prediction: &Prediction, problems: &[Violation]) -> String {
        let mut head = format!("step {} of {n}: {step:?}\n  model predicts: {prediction:?}", i + 1);
        for v in problems {
            head.push_str(&format!("\n  broken:   [{}] {}", v.rule, v.message));
        }
        self.failure_text(&head)
    }
}
