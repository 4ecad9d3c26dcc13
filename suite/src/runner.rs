//! Runs one case: resolve the request, send it, let the oracle judge the answer.

use crate::case::{Case, Requires};
use crate::client::TransportError;
use crate::oracle::{self, Observed, RequestFacts, Rule, Verdict, Violation};
use crate::response::Response;
use crate::session::Session;
use std::time::{Duration, Instant};

/// The result of one case, ready for reports and snapshots.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    pub verdict: Verdict,
    /// The answer, when there was one.
    pub response: Option<Response>,
    /// Set when the case was not run, with the reason.
    pub skipped: Option<String>,
    pub elapsed: Duration,
}

impl CaseResult {
    /// Passed, or skipped: nothing to report as a failure.
    pub fn ok(&self) -> bool {
        self.skipped.is_some() || self.verdict.passed()
    }
}

/// Why a case cannot run against this session, if it cannot.
pub fn skip_reason(session: &Session, case: &Case) -> Option<String> {
    match case.requires {
        Requires::SecondAccount if session.secondary.is_none() => {
            Some("needs a second account: set JOURNEY_API_URL_2 and its credentials".to_string())
        }
        _ => None,
    }
}

/// Sends the case's request and judges the answer; transport failures are failed verdicts, not panics.
pub async fn run_case(session: &Session, case: &Case) -> CaseResult {
    let started = Instant::now();
    if let Some(reason) = skip_reason(session, case) {
        let verdict = Verdict { observed: Observed { status: 0, error_type: None }, violations: Vec::new() };
        return CaseResult { id: case.id.clone(), verdict, response: None, skipped: Some(reason), elapsed: Duration::ZERO };
    }
    let wire = session.wire(&case.request);
    let secrets = session.secrets(&case.request);
    let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let result = session.client.send(&wire).await;
    let elapsed = started.elapsed();
    match result {
        Ok(response) => {
            session.record_created(&case.request.method, &response);
            let sent = oracle::sent_parts(&case.request.path, &case.request.headers, case.request.body.as_deref());
            let sent_refs: Vec<&[u8]> = sent.iter().map(Vec::as_slice).collect();
            let facts = RequestFacts { method: &case.request.method, secrets: &secret_refs, sent: &sent_refs };
            let verdict = oracle::judge(&facts, &case.expect, &response, session.settings.profile);
            CaseResult { id: case.id.clone(), verdict, response: Some(response), skipped: None, elapsed }
        }
        Err(e) => CaseResult { id: case.id.clone(), verdict: transport_verdict(&e), response: None, skipped: None, elapsed },
    }
}

fn transport_verdict(e: &TransportError) -> Verdict {
    Verdict {
        observed: Observed { status: 0, error_type: None },
        violations: vec![Violation { rule: Rule::Transport, message: e.to_string() }],
    }
}
