//! The `rate-limit` family's one burst (docs/contract.md#rate-limited): sent on first demand with its own
//! unpaced client, it answers both of the family's cases, judged by `oracle::burst`.

use crate::declare::families::rate_limit::{BURST_REQUESTS, IDS};
use crate::declare::routes::Route;
use crate::oracle::{self, Cause, RequestFacts, Rule, Verdict};
use crate::run::runner::CaseResult;
use crate::run::session::Session;
use crate::send::client::{retry_wait, HttpClient, Pacing};
use crate::send::response::Response;
use std::time::{Duration, Instant};

/// Requests in flight during the burst.
const BURST_WIDTH: usize = 16;
/// Most waits for recovery, each at most [`MAX_WAIT`].
const RECOVERY_TRIES: u32 = 3;
const MAX_WAIT: Duration = Duration::from_secs(10);

fn result(id: &str, verdict: Verdict, response: Option<(Response, &[&[u8]])>, started: Instant) -> CaseResult {
    let response = response.map(|(r, secrets)| crate::send::response_summary::ResponseSummary::of(&r, false, secrets));
    CaseResult { id: id.to_string(), verdict, response, skipped: None, elapsed: started.elapsed() }
}

/// The result of the rate-limit case with this ID, from the session's one burst (sent on first demand).
pub async fn check_result(session: &Session, id: &str) -> Option<CaseResult> {
    let index = IDS.iter().position(|known| *known == id)?;
    session.burst.get_or_init(|| run_burst(session)).await.get(index).cloned()
}

/// Runs both checks against the session's first account.
async fn run_burst(session: &Session) -> Vec<CaseResult> {
    let started = Instant::now();
    let settings = &session.settings;
    // Its own client: no pacing, no retries, no breaker, so the burst really bursts and 429s are seen.
    let pacing = Pacing { rate: None, retries_429: 0, breaker: 0, ..Pacing::default() };
    let client =
        match HttpClient::with_network(BURST_WIDTH, settings.timeout, settings.max_response_bytes, &settings.network) {
            Ok(c) => c.paced(pacing),
            Err(e) => {
                return IDS
                    .iter()
                    .map(|id| {
                        result(
                            id,
                            Verdict::broken(Rule::Setup, e.clone(), Cause::step("burst", "no client")),
                            None,
                            started,
                        )
                    })
                    .collect()
            }
        };
    // The same request the family's cases declare. Nothing it sent excuses an echo: the burst's answers
    // carry no request text worth echoing, so every leak pattern counts.
    let req = Route::DataModel.request(&session.ctx);
    let wire = session.wire(&req);
    let secrets = session.secrets(&req);
    let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let facts = RequestFacts { method: "GET", secrets: &secret_refs, sent: &[] };
    let profile = settings.profile;

    let mut limited: Option<Response> = None;
    let mut sent = 0;
    while limited.is_none() && sent < BURST_REQUESTS {
        let answers = futures::future::join_all((0..BURST_WIDTH).map(|_| client.send_once(&wire))).await;
        sent += BURST_WIDTH;
        if let Some(e) = answers.iter().find_map(|a| a.as_ref().err()) {
            let v = Verdict::broken(Rule::Transport, format!("during the burst: {e}"), Cause::transport("burst", e));
            return vec![result(IDS[0], v.clone(), None, started), result(IDS[1], v, None, started)];
        }
        limited = answers.into_iter().filter_map(Result::ok).find(|r| r.status == 429);
    }
    let burst_verdict = oracle::burst_checks::burst(&facts, limited.as_ref(), sent, profile);
    let Some(limited) = limited else {
        return vec![
            result(IDS[0], burst_verdict.clone(), None, started),
            result(IDS[1], burst_verdict, None, started),
        ];
    };
    let burst = result(IDS[0], burst_verdict, Some((limited.clone(), &secret_refs)), started);

    let recovering = Instant::now();
    let mut last = limited;
    for attempt in 0..RECOVERY_TRIES {
        tokio::time::sleep(retry_wait(&last, attempt.min(1), MAX_WAIT)).await;
        match client.send_once(&wire).await {
            Ok(resp) if resp.status == 429 => last = resp,
            Ok(resp) => {
                let verdict = oracle::burst_checks::recovery(&facts, &resp, RECOVERY_TRIES, profile);
                return vec![burst, result(IDS[1], verdict, Some((resp, &secret_refs)), recovering)];
            }
            Err(e) => {
                let verdict = Verdict::broken(Rule::Transport, e.to_string(), Cause::transport("recovery", &e));
                return vec![burst, result(IDS[1], verdict, None, recovering)];
            }
        }
    }
    let verdict = oracle::burst_checks::recovery(&facts, &last, RECOVERY_TRIES, profile);
    vec![burst, result(IDS[1], verdict, Some((last, &secret_refs)), recovering)]
}
