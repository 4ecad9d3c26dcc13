//! The fuzz grammar's reading of a form-labelled body: a create sent as `task[field]=value` with
//! `Content-Type: application/x-www-form-urlencoded`, which the docs' update example uses and the
//! reference reads, is no finding; the same bytes labelled JSON are still held to JSON's rules. Nor is a
//! made-up attachment capability URL that opens nothing (404 OBJECT_NOT_FOUND, with or without credentials).

use journey_testkit::fuzz::{
    run, AccountChoice, AuthChoice, BodyChoice, ContentType, FuzzRequest, MethodChoice, Seg, Shape,
};
use journey_testkit::inprocess::InProcess;

fn create(content_type: ContentType, body: &[u8]) -> FuzzRequest {
    FuzzRequest {
        method: MethodChoice::Post,
        account: AccountChoice::Primary,
        segments: vec![Seg::Objects, Seg::Type],
        json_suffix: true,
        query: None,
        auth: AuthChoice::Primary,
        content_type,
        body: BodyChoice::Bytes(body.to_vec()),
    }
}

#[test]
fn a_form_create_the_reference_reads_is_no_finding() {
    let target = InProcess::reference();
    let shape = Shape::of(&target);
    let body = format!("{}%5Bname%5D=fuzzed", shape.ctx.object_type);
    for content_type in
        [ContentType::Form, ContentType::Raw(b"application/x-www-form-urlencoded; charset=utf-8".to_vec())]
    {
        let case = create(content_type, body.as_bytes()).case(&shape).expect("a path below the account");
        let verdict = run(&target, &case).unwrap_or_else(|f| panic!("a form create is a finding: {}", f.observed));
        assert!(verdict.is_some_and(|v| v.observed.to_string().starts_with("201")), "{case:?}");
    }
    // Labelled JSON, the same bytes are not JSON: INVALID_API_REQUEST, and nothing else passes.
    let case = create(ContentType::Json, body.as_bytes()).case(&shape).expect("a path below the account");
    assert!(!case.expect.allows_success(), "{:?}", case.expect);
    assert!(run(&target, &case).is_ok());
}

/// A made-up attachment capability URL, with or without credentials, is no finding when it opens nothing.
#[test]
fn a_capability_url_that_opens_nothing_is_no_finding() {
    let target = InProcess::reference();
    let shape = Shape::of(&target);
    for auth in [AuthChoice::Primary, AuthChoice::None] {
        let request = FuzzRequest {
            method: MethodChoice::Get,
            account: AccountChoice::Primary,
            segments: vec![Seg::Raw("attachments".into()), Seg::UnknownId, Seg::Raw("0123abcd".into())],
            json_suffix: false,
            query: None,
            auth,
            content_type: ContentType::Missing,
            body: BodyChoice::None,
        };
        let case = request.case(&shape).expect("a path under the account makes a request");
        let verdict =
            run(&target, &case).unwrap_or_else(|f| panic!("a made-up capability is a finding: {}", f.observed));
        assert!(verdict.is_some_and(|v| v.observed.to_string().starts_with("404")), "{case:?}");
    }
}
