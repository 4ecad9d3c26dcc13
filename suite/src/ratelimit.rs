//! The `rate-limit` checks (spec §6.8), opt-in because they burst past a real deployment's limit on
//! purpose (`JOURNEY_API_RATE_LIMIT_FAMILY=1`): a burst must meet a well-formed 429, and after waiting
//! as told (`Retry-After`, else at least a second) the target must answer again. The oracle judges both.

use crate::case::CaseRequest;
use crate::client::{retry_wait, HttpClient, Pacing};
use crate::error_type::ErrorType;
use crate::expect::Expect;
use crate::oracle::{self, Observed, RequestFacts, Rule, Verdict, Violation};
use crate::response::Response;
use crate::runner::CaseResult;
use crate::session::Session;
use std::time::{Duration, Instant};

/// Most requests the burst sends while looking for a 429.
pub const BURST_REQUESTS: usize = 400;
/// Requests in flight during the burst.
const BURST_WIDTH: usize = 16;
/// Most waits for recovery, each at most [`MAX_WAIT`].
const RECOVERY_TRIES: u32 = 3;
const MAX_WAIT: Duration = Duration::from_secs(10);

/// The IDs of the checks, in order.
pub const IDS: [&str; 2] = ["rate-limit/burst/429-well-formed", "rate-limit/recovery/after-retry-after"];

fn result(
    id: &str,
    verdict: Verdict,
    response: Option<Response>,
    inconclusive: Option<String>,
    started: Instant,
) -> CaseResult {
    CaseResult { id: id.to_string(), verdict, response, skipped: None, inconclusive, elapsed: started.elapsed() }
}

fn broken(rule: Rule, message: String) -> Verdict {
    Verdict { observed: Observed { status: 0, error_type: None }, violations: vec![Violation { rule, message }] }
}

/// Runs both checks against the session's first account.
pub async fn check(session: &Session) -> Vec<CaseResult> {
    let started = Instant::now();
    let settings = &session.settings;
    // Its own client: no pacing, no retries, no breaker, so the burst really bursts and 429s are seen.
    let pacing = Pacing { rate: None, retries_429: 0, breaker: 0, ..Pacing::default() };
    let client = match HttpClient::new(BURST_WIDTH, settings.timeout, settings.max_response_bytes) {
        Ok(c) => c.paced(pacing),
        Err(e) => {
            return IDS.iter().map(|id| result(id, broken(Rule::Setup, e.clone()), None, None, started)).collect()
        }
    };
    let req = CaseRequest::new("GET", format!("{}/datamodel.json", session.ctx.base()));
    let wire = session.wire(&req);
    let secrets = session.secrets(&req);
    let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let facts = RequestFacts { method: "GET", secrets: &secret_refs, sent: &[] };
    let judge = |expect: &Expect, resp: &Response| oracle::judge(&facts, expect, resp, settings.profile);

    let mut limited: Option<Response> = None;
    let mut sent = 0;
    while limited.is_none() && sent < BURST_REQUESTS {
        let answers = futures::future::join_all((0..BURST_WIDTH).map(|_| client.send_once(&wire))).await;
        sent += BURST_WIDTH;
        if let Some(e) = answers.iter().find_map(|a| a.as_ref().err()) {
            let v = broken(Rule::Transport, format!("during the burst: {e}"));
            return vec![result(IDS[0], v.clone(), None, None, started), result(IDS[1], v, None, None, started)];
        }
        limited = answers.into_iter().filter_map(Result::ok).find(|r| r.status == 429);
    }
    let Some(limited) = limited else {
        let why = format!("no 429 within {sent} requests: the limit is higher than this burst");
        let v = broken(Rule::Expected, why.clone());
        return vec![
            result(IDS[0], v.clone(), None, Some(why.clone()), started),
            result(IDS[1], v, None, Some(why), started),
        ];
    };
    let burst = result(
        IDS[0],
        judge(&Expect::error(ErrorType::TooManyRequests), &limited),
        Some(limited.clone()),
        None,
        started,
    );

    let recovering = Instant::now();
    let mut last = limited;
    for attempt in 0..RECOVERY_TRIES {
        tokio::time::sleep(retry_wait(&last, attempt.min(1), MAX_WAIT)).await;
        match client.send_once(&wire).await {
            Ok(resp) if resp.status == 429 => last = resp,
            Ok(resp) => {
                let verdict = judge(&Expect::success(), &resp);
                return vec![burst, result(IDS[1], verdict, Some(resp), None, recovering)];
            }
            Err(e) => {
                return vec![burst, result(IDS[1], broken(Rule::Transport, e.to_string()), None, None, recovering)]
            }
        }
    }
    let mut verdict = judge(&Expect::success(), &last);
    verdict.violations.push(Violation {
        rule: Rule::Expected,
        message: format!("still 429 after {RECOVERY_TRIES} waits as told by Retry-After (or ≥ 1 s)"),
    });
    vec![burst, result(IDS[1], verdict, Some(last), None, recovering)]
}
