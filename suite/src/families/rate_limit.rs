//! The `rate-limit` checks (API Limits; docs/contract.md#rate-limited), opt-in because they burst past a real deployment's limit on
//! purpose (`JOURNEY_API_RATE_LIMIT_FAMILY=1`): a burst must meet a well-formed 429, and after waiting
//! as told (`Retry-After`, else at least a second) the target must answer again. The oracle judges both.

use crate::case::{Case, Family};
use crate::ctx::Ctx;
use crate::error_type::ErrorType;
use crate::expect::Expect;
use crate::families::{self, Route};
use crate::spec;
#[cfg(feature = "http")]
use {
    crate::client::{retry_wait, HttpClient, Pacing},
    crate::oracle::{self, Cause, RequestFacts, Rule, Verdict},
    crate::response::Response,
    crate::runner::CaseResult,
    crate::session::Session,
    std::time::{Duration, Instant},
};

/// Most requests the burst sends while looking for a 429.
pub const BURST_REQUESTS: usize = 400;
#[cfg(feature = "http")]
/// Requests in flight during the burst.
const BURST_WIDTH: usize = 16;
#[cfg(feature = "http")]
/// Most waits for recovery, each at most [`MAX_WAIT`].
const RECOVERY_TRIES: u32 = 3;
#[cfg(feature = "http")]
const MAX_WAIT: Duration = Duration::from_secs(10);

/// The IDs of the checks, in order.
pub const IDS: [&str; 2] = ["rate-limit/burst/429-well-formed", "rate-limit/recovery/after-retry-after"];

#[cfg(feature = "http")]
fn result(id: &str, verdict: Verdict, response: Option<(Response, &[&[u8]])>, started: Instant) -> CaseResult {
    let response = response.map(|(r, secrets)| crate::summary::ResponseSummary::of(&r, false, secrets));
    CaseResult { id: id.to_string(), verdict, response, skipped: None, elapsed: started.elapsed() }
}

/// The family's two cases, declared like any other; the runner answers both from one burst.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let checks = [
        ("a burst of requests meets a well-formed 429", Expect::error(ErrorType::TooManyRequests)),
        ("after waiting as Retry-After says, the target answers again", Expect::success()),
    ];
    IDS.iter()
        .zip(checks)
        .map(|(id, (what, expect))| {
            let request = Route::DataModel.request(ctx);
            families::case(Family::RateLimit, id.to_string(), what.into(), spec::RATE_LIMITED, request, expect)
        })
        .collect()
}

#[cfg(feature = "http")]
/// The result of the rate-limit case with this ID, from the session's one burst (sent on first demand).
pub async fn check_result(session: &Session, id: &str) -> Option<CaseResult> {
    let index = IDS.iter().position(|known| *known == id)?;
    session.burst.get_or_init(|| run_burst(session)).await.get(index).cloned()
}

#[cfg(feature = "http")]
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
    let burst_verdict = oracle::rate_limit::burst(&facts, limited.as_ref(), sent, profile);
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
                let verdict = oracle::rate_limit::recovery(&facts, &resp, RECOVERY_TRIES, profile);
                return vec![burst, result(IDS[1], verdict, Some((resp, &secret_refs)), recovering)];
            }
            Err(e) => {
                let verdict = Verdict::broken(Rule::Transport, e.to_string(), Cause::transport("recovery", &e));
                return vec![burst, result(IDS[1], verdict, None, recovering)];
            }
        }
    }
    let verdict = oracle::rate_limit::recovery(&facts, &last, RECOVERY_TRIES, profile);
    vec![burst, result(IDS[1], verdict, Some((last, &secret_refs)), recovering)]
}
