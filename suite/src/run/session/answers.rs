//! Every answer the session receives goes to the oracle: fixtures, fresh objects, read-backs, marker
//! searches and cleanup, and each 429 retried on the way. Findings land on the case whose future saw
//! them (a task-local sink, so a helper needs no extra parameter to attribute what it sees), or, outside
//! any case, on the session step's pseudo-case (`session/setup/…`, `session/teardown/…`).

use super::{Endpoint, Session};
use crate::oracle::{self, Verdict, Violation};
use crate::run::runner::Facts;
use crate::send::client::{TransportError, WireRequest};
use crate::send::response::Response;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// How teardown's pseudo-case IDs start: their findings exist only once teardown has run.
pub const TEARDOWN: &str = "session/teardown/";

/// Most findings one case or step keeps: a target that breaks every answer still costs bounded memory.
const KEPT: usize = 16;

tokio::task_local! {
    /// The findings of the case whose future is running.
    static CASE: Arc<Mutex<Vec<Violation>>>;
}

/// Runs one case's `work`, collecting the findings on every answer it sees besides its own.
pub async fn collecting<F: Future>(work: F) -> (F::Output, Vec<Violation>) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let out = CASE.scope(Arc::clone(&sink), work).await;
    let found = sink.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    (out, found)
}

/// Which step sent a request: names the pseudo-case its findings go to when no case is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A case's own request or follow-up (only its retried 429s are recorded here).
    Request,
    Datamodel,
    FindExisting,
    Fixture,
    FreshObject,
    ReadBack,
    MarkerSearch,
    Sweep,
    Cleanup,
}

impl Step {
    /// The stable pseudo-case ID of the step outside any case (reports, failures, the harness).
    pub fn id(self) -> &'static str {
        match self {
            Step::Request => "session/steps/request",
            Step::Datamodel => "session/setup/datamodel",
            Step::FindExisting => "session/setup/find-existing",
            Step::Fixture => "session/setup/fixture",
            Step::FreshObject => "session/steps/fresh-object",
            Step::ReadBack => "session/steps/read-back",
            Step::MarkerSearch => "session/steps/marker-search",
            Step::Sweep => "session/teardown/marker-sweep",
            Step::Cleanup => "session/teardown/delete",
        }
    }

    /// What the step is for, after its request line in a finding.
    fn what(self) -> &'static str {
        match self {
            Step::Request => "request",
            Step::Datamodel => "data model",
            Step::FindExisting => "existing object",
            Step::Fixture => "fixture object",
            Step::FreshObject => "fresh object",
            Step::ReadBack => "read-back",
            Step::MarkerSearch => "marker search",
            Step::Sweep => "teardown sweep",
            Step::Cleanup => "cleanup",
        }
    }
}

fn extend_bounded(into: &mut Vec<Violation>, found: Vec<Violation>) {
    let room = KEPT.saturating_sub(into.len());
    into.extend(found.into_iter().take(room));
}

impl Session {
    /// Records findings on an answer: onto the running case, else under the step's pseudo-case.
    pub fn seen(&self, step: Step, found: Vec<Violation>) {
        if found.is_empty() {
            return;
        }
        let mut found = Some(found);
        let in_case = CASE
            .try_with(|sink| {
                if let (Ok(mut sink), Some(found)) = (sink.lock(), found.take()) {
                    extend_bounded(&mut sink, found);
                }
            })
            .is_ok();
        if let (false, Some(found), Ok(mut steps)) = (in_case, found, self.steps.lock()) {
            extend_bounded(steps.entry(step.id()).or_default(), found);
        }
    }

    /// The verdicts of the session-level steps that found something, by pseudo-case ID, in ID order.
    pub fn step_verdicts(&self) -> Vec<(String, Verdict)> {
        let steps = self.steps.lock().map(|s| s.clone()).unwrap_or_default();
        let profile = self.settings.profile;
        steps.into_iter().map(|(id, found)| (id.to_string(), oracle::seen::session_step(found, profile))).collect()
    }

    /// Sends a request built from parts with the given account's credentials, and hands its answer
    /// and every 429 retried on the way to the oracle.
    pub(super) async fn call(
        &self,
        endpoint: &Endpoint,
        step: Step,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Response, TransportError> {
        let (req, facts) = self.step_request(endpoint, method, path, body);
        self.send_seen(step, &req, &format!("{method} {path} ({})", step.what()), &facts).await
    }

    /// [`Session::call`] sent once, past the run's circuit breaker (teardown and cleanup keep their own
    /// budget: objects must go even after the run gave up on the target), and not judged yet: only the
    /// answer the caller keeps is ([`Session::judge_unguarded`]), not a gateway's 503 it retried.
    pub(super) async fn call_unguarded(
        &self,
        endpoint: &Endpoint,
        method: &str,
        path: &str,
    ) -> Result<Response, TransportError> {
        let (req, _) = self.step_request(endpoint, method, path, None);
        self.client.send_once(&req).await
    }

    /// Judges the answer a [`Session::call_unguarded`] caller kept, and the 429s it retried on the way.
    pub(super) fn judge_unguarded(
        &self,
        (endpoint, step): (&Endpoint, Step),
        (method, path): (&str, &str),
        resp: &Response,
        retried: &crate::send::response::Retried,
    ) {
        let (_, facts) = self.step_request(endpoint, method, path, None);
        let label = format!("{method} {path} ({})", step.what());
        let profile = self.settings.profile;
        let mut found = facts.with(|f| oracle::seen::retried(f, &label, retried, profile));
        found.extend(facts.with(|f| oracle::seen::step(f, &label, resp, profile)));
        self.seen(step, found);
    }

    /// The request of a session step with the account's credentials, and what the oracle knows of it.
    fn step_request(
        &self,
        endpoint: &Endpoint,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> (WireRequest, Facts) {
        let mut headers = vec![("authorization".to_string(), endpoint.authorization())];
        if body.is_some() {
            headers.push(crate::declare::case::json_content_type());
        }
        let facts = Facts::raw(method, self.every_secret(), oracle::sent_parts(path, &headers, body.as_deref()));
        let req = WireRequest {
            method: method.into(),
            url: format!("{}{}", endpoint.origin, path),
            headers,
            body: body.map(Into::into),
        };
        (req, facts)
    }

    /// Sends a request of `step` and hands its answer and every 429 retried on the way to the oracle,
    /// named by `label` in what it finds.
    pub async fn send_seen(
        &self,
        step: Step,
        req: &WireRequest,
        label: &str,
        facts: &Facts,
    ) -> Result<Response, TransportError> {
        let sent = self.client.send_keeping(req).await;
        let profile = self.settings.profile;
        let mut found = facts.with(|f| oracle::seen::retried(f, label, &sent.retried, profile));
        if let Ok(resp) = &sent.result {
            found.extend(facts.with(|f| oracle::seen::step(f, label, resp, profile)));
        }
        self.seen(step, found);
        sent.result
    }

    /// Both accounts' secrets: none may come back in any answer, and reports redact them.
    pub fn every_secret(&self) -> Vec<Vec<u8>> {
        let mut secrets = self.primary.secrets();
        secrets.extend(self.secondary.iter().flat_map(Endpoint::secrets));
        secrets
    }
}
