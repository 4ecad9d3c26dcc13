//! Long request-targets in the `request` grammar (`Seg::Repeat`, one input integer for the length): a
//! conforming target's answer passes, the reference's own or a refusal as INVALID_API_REQUEST with the
//! JSON error body past `LONG_TARGET` (the docs name no limit), while a front end's HTML 414 page is a
//! finding, in-process and over HTTP against the `long-uri-414` fault.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use journey_testkit::faults::LONG_URI;
use journey_testkit::fuzz::{
    run, AccountChoice, AuthChoice, BodyChoice, ContentType, FuzzRequest, MethodChoice, Seg, Shape, LONG_TARGET,
};
use journey_testkit::inprocess::InProcess;

/// `GET …/objects/{type}` and the given segments after it, with the first account's credentials.
fn get(more: Vec<Seg>) -> FuzzRequest {
    FuzzRequest {
        method: MethodChoice::Get,
        account: AccountChoice::Primary,
        segments: [vec![Seg::Objects, Seg::Type], more].concat(),
        json_suffix: false,
        query: None,
        auth: AuthChoice::Primary,
        content_type: ContentType::Missing,
        body: BodyChoice::None,
    }
}

/// An object ID of `unit` repeated to `len` (the grammar's scale: `u16::MAX` is about 4 KiB sent).
fn long_id(len: u16, unit: &str) -> FuzzRequest {
    get(vec![Seg::Repeat(len, unit.into())])
}

fn target_len(req: &Request) -> usize {
    req.uri().path_and_query().map_or(0, |p| p.as_str().len())
}

/// A front end with a small buffer that answers with its own HTML page (the `long-uri-414` fault).
async fn html_414(req: Request, next: Next) -> Response {
    if target_len(&req) > LONG_URI {
        let page = "<html><body><h1>414 Request-URI Too Large</h1></body></html>";
        return (StatusCode::URI_TOO_LONG, [(header::CONTENT_TYPE, "text/html")], page).into_response();
    }
    next.run(req).await
}

/// A front end that refuses a request-target over 1 KiB with the documented JSON error.
async fn json_400(req: Request, next: Next) -> Response {
    if target_len(&req) > 1024 {
        let body = r#"{"type":"INVALID_API_REQUEST","title":"Invalid API request.","detail":"The URI is too long.","see":"https://docs.journeyapps.com/api-errors#INVALID_API_REQUEST"}"#;
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    next.run(req).await
}

#[test]
fn a_repeat_segment_is_as_long_sent_as_its_integer_says() {
    let shape = Shape::of(&InProcess::reference());
    let sent = |req: FuzzRequest| req.case(&shape).expect("a path below the account").request.path.len();
    let base = sent(get(vec![Seg::Empty]));
    for unit in ["a", "é", "%", "objects", ""] {
        assert_eq!(sent(long_id(0, unit)), base, "{unit:?}");
        let full = sent(long_id(u16::MAX, unit)) - base;
        assert!((4096 - 3 * "objects".len()..4096).contains(&full), "{unit:?}: {full} bytes");
        let half = sent(long_id(u16::MAX / 2, unit)) - base;
        assert!((2048 - 3 * "objects".len()..2048).contains(&half), "{unit:?}: {half} bytes");
    }
    // Two full ones pass the 8,000 octets of a request line every recipient should take: no request.
    let two = get(vec![Seg::Repeat(u16::MAX, "a".into()), Seg::Repeat(u16::MAX, "a".into())]);
    assert!(two.case(&shape).is_none());
}

#[test]
fn a_long_uri_is_judged_as_a_conforming_target_answers_it() {
    let clean = InProcess::reference();
    let refusing = InProcess::wrapped(|r| r.layer(middleware::from_fn(json_400)));
    let html = InProcess::wrapped(|r| r.layer(middleware::from_fn(html_414)));
    // Each instance has accounts of its own, so each judges the request made for it.
    let check = |target: &InProcess, req: &FuzzRequest| {
        let case = req.case(&Shape::of(target)).expect("a request under the request-line limit");
        (case.request.path.len(), run(target, &case).map(|v| v.expect("sent").observed.to_string()))
    };
    for (len, unit) in [(u16::MAX, "a"), (50_000, "é"), (45_000, "x%y"), (u16::MAX, "objects")] {
        let req = long_id(len, unit);
        let (sent, answer) = check(&clean, &req);
        assert!(sent > LONG_URI, "{unit:?}: {sent} bytes");
        let answer = answer.unwrap_or_else(|f| panic!("a finding on the reference:\n{f}"));
        assert!(answer.starts_with("404"), "the reference has no limit of its own: {answer}");
        let answer = check(&refusing, &req).1.unwrap_or_else(|f| panic!("a finding on a JSON refusal:\n{f}"));
        assert!(answer.starts_with("400"), "{answer}");
        assert!(check(&html, &req).1.is_err(), "{unit:?}: an HTML 414 passed");
    }
    // Under LONG_TARGET the docs leave no room for a refusal: one is a finding.
    let req = long_id(20_000, "a");
    let (sent, answer) = check(&refusing, &req);
    assert!((1024..LONG_TARGET).contains(&sent), "{sent} bytes");
    assert!(answer.is_err(), "a refusal of {sent} bytes passed");
    if let Err(f) = check(&html, &req).1 {
        panic!("the fault answers only past its limit:\n{f}");
    }
}

#[cfg(feature = "http")]
#[test]
fn over_http_the_long_uri_fault_is_a_finding_and_the_clean_reference_is_not() {
    use journey_testkit::faults::{find, target::FaultyTarget};
    use journey_testkit::fuzz::Runner;
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    for fault in [None, find("long-uri-414")] {
        let target = rt.block_on(FaultyTarget::start(fault, journey_reference::Config::demo())).expect("bind");
        let runner = Runner::from_settings(target.settings(&[]).unwrap()).expect("a session on the target");
        let shape = runner.shape();
        let long = long_id(u16::MAX, "a").case(&shape).expect("under the request-line limit");
        let short = long_id(30_000, "a").case(&shape).expect("a path below the account");
        assert!(short.request.path.len() < LONG_URI && long.request.path.len() > LONG_URI);
        assert!(runner.check_case(&short).is_ok(), "{fault:?}");
        assert_eq!(runner.check_case(&long).is_err(), fault.is_some(), "{fault:?}");
    }
}
