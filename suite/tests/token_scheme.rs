//! `clients/auth/token-scheme` against the clean reference: signed in by token, the db client's
//! `Authorization: Token <token>` is answered 2xx; signed in by password there is no token to send, so the
//! control is skipped (never sent with the password, never passed unsent).

use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_testkit::faults::target::FaultyTarget;

const CASE: &str = "clients/auth/token-scheme";

async fn result(by_token: bool) -> journey_conformance::run::runner::CaseResult {
    let config = journey_reference::Config::demo();
    let token = config.accounts[0].token.clone();
    let target = FaultyTarget::start(None, config).await.expect("bind loopback");
    let extra: Vec<(&str, &str)> = if by_token {
        vec![("JOURNEY_API_USER", ""), ("JOURNEY_API_PASSWORD", ""), ("JOURNEY_API_TOKEN", &token)]
    } else {
        vec![]
    };
    let session = Session::start(target.settings(&extra).expect("settings")).await.expect("setup");
    let mut run = Run::new(session);
    run.retain(|c| c.id == CASE);
    let mut results = run.all().await;
    let _ = run.session.teardown().await;
    results.remove(CASE).expect("the token control runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_scheme_passes_by_token_and_is_skipped_by_password() {
    let by_token = result(true).await;
    assert!(by_token.ok() && by_token.skipped.is_none(), "{:?}", by_token.verdict.violations());
    assert_eq!(by_token.verdict.observed.status, 200);
    let by_password = result(false).await;
    assert!(by_password.skipped.is_some(), "sent without a token: {:?}", by_password.verdict);
}
