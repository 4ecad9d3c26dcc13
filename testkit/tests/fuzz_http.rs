//! The `request` grammar over HTTP judges what is sent. Two false findings came from a grammar that
//! judged one request while the HTTP client sent another:
//! - with one account configured, "the second account's credentials" are the first account's (the
//!   session falls back to them), while the grammar expected ACCOUNT_NOT_FOUND;
//! - `…/objects/../objects/task/objects` goes out as `…/objects/task/objects` (URL parsing removes dot
//!   segments), while the grammar judged the unresolved path (ROUTE_ERROR).
//!
//! Each is replayed here against the clean reference over HTTP, with one account and with two.
#![cfg(feature = "http")]

use journey_testkit::faults::target::FaultyTarget;
use journey_testkit::fuzz::{
    run, AccountChoice, AuthChoice, BodyChoice, ContentType, FuzzRequest, MethodChoice, Runner, Seg, Shape,
};
use journey_testkit::inprocess::InProcess;

fn get(account: AccountChoice, segments: Vec<Seg>, json_suffix: bool, auth: AuthChoice) -> FuzzRequest {
    FuzzRequest {
        method: MethodChoice::Get,
        account,
        segments,
        json_suffix,
        query: None,
        auth,
        content_type: ContentType::Missing,
        body: BodyChoice::None,
    }
}

/// The clean reference over HTTP with the first `accounts` of the demo accounts, and a fuzz runner on it.
fn runner_on_reference(accounts: usize) -> (tokio::runtime::Runtime, FaultyTarget, Runner) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mut config = journey_reference::Config::demo();
    config.accounts.truncate(accounts);
    let target = rt.block_on(FaultyTarget::start(None, config)).expect("bind loopback");
    let runner = Runner::from_settings(target.settings(&[]).unwrap()).expect("a session on the reference");
    (rt, target, runner)
}

/// The inputs of both false findings, and their neighbours.
fn inputs() -> Vec<FuzzRequest> {
    use AccountChoice as A;
    use AuthChoice as Au;
    let dots = |segs: Vec<Seg>| get(A::Primary, segs, false, Au::Primary);
    let raw = |s: &str| Seg::Raw(s.into());
    vec![
        get(A::Primary, vec![Seg::DataModel], true, Au::Secondary),
        get(A::Primary, vec![Seg::Objects, Seg::Type], true, Au::Secondary),
        get(A::Secondary, vec![Seg::Objects, Seg::Type], true, Au::Secondary),
        get(A::Secondary, vec![Seg::DataModel], true, Au::Primary),
        dots(vec![Seg::Objects, raw(".."), Seg::Objects, Seg::Type, Seg::Objects]),
        dots(vec![Seg::Objects, raw("."), Seg::Type]),
        dots(vec![Seg::Objects, Seg::Type, raw("..")]),
        dots(vec![Seg::Objects, Seg::Type, Seg::Fixture, raw(".")]),
        dots(vec![raw(".."), raw(".."), Seg::DataModel]),
        get(A::Raw("..".into()), vec![Seg::Objects], false, Au::Primary),
    ]
}

#[test]
fn the_grammar_judges_the_path_the_http_client_sends() {
    let shape = Shape::of(&InProcess::reference());
    for req in inputs() {
        let Some(case) = req.case(&shape) else { continue };
        let (path, query) = case.request.path.split_once('?').unwrap_or((&case.request.path, ""));
        let parsed = url::Url::parse(&format!("http://127.0.0.1{}", case.request.path)).unwrap();
        assert_eq!(parsed.path(), path, "{req:?}");
        assert_eq!(parsed.query().unwrap_or(""), query, "{req:?}");
    }
    // A `..` above the account leaves the API: no request is made of it.
    let above =
        get(AccountChoice::Primary, vec![Seg::Raw("..".into()), Seg::Raw("..".into())], false, AuthChoice::Primary);
    assert!(above.case(&shape).is_none());
}

#[test]
fn no_false_finding_in_process() {
    let target = InProcess::reference();
    let shape = Shape::of(&target);
    for req in inputs() {
        let Some(case) = req.case(&shape) else { continue };
        if let Err(f) = run(&target, &case) {
            panic!("{req:?}:\n{f}");
        }
    }
}

#[test]
fn no_false_finding_over_http_with_one_account_or_two() {
    for accounts in [1, 2] {
        let (_rt, _target, runner) = runner_on_reference(accounts);
        let shape = runner.shape();
        assert_eq!(shape.ctx.second_account.is_some(), accounts == 2);
        for req in inputs() {
            let Some(case) = req.case(&shape) else { continue };
            if let Err(f) = runner.check_case(&case) {
                panic!("{accounts} account(s), {req:?}:\n{f}");
            }
        }
    }
}
