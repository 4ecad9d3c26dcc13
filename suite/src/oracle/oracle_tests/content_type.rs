//! §6.2: JSON error bodies travel as `application/json`.

use super::*;

#[test]
fn content_type_variants() {
    let body = good(RouteError).body;
    for ok in
        ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", " application/json "]
    {
        let r = resp(404, &[("content-type", ok)], body.clone());
        assert_passes(&judge_get(&route_error(), &r));
    }
    for bad in ["text/plain", "text/html; charset=utf-8", "application/problem+json", "application/jsonx", ""] {
        let r = resp(404, &[("content-type", bad)], body.clone());
        let v = judge_get(&route_error(), &r);
        let msgs = assert_breaks(&v, Rule::ContentType);
        assert!(msgs[0].contains("not application/json"), "{bad}: {msgs:?}");
        assert_eq!(v.violations().len(), 1, "{bad}: {:#?}", v.violations());
    }
    let v = judge_get(&route_error(), &resp(404, &[], body));
    let msgs = assert_breaks(&v, Rule::ContentType);
    assert_eq!(msgs, vec!["JSON error body sent without Content-Type".to_string()]);
}

#[test]
fn content_type_is_not_judged_on_success() {
    let v = judge_get(&Expect::success(), &resp(200, &[("content-type", "text/plain")], "{}"));
    assert_passes(&v);
}

#[test]
fn a_wrong_content_type_alone_is_non_strict_and_fails_when_strict() {
    let r = resp(404, &[("content-type", "text/plain")], good(RouteError).body);
    assert_non_strict(&judge_get(&route_error(), &r), Rule::ContentType);
    assert_eq!(judge_with("GET", &route_error(), &r, Profile::Strict).status(), Status::Fail);
    assert_passes(&judge_with("GET", &route_error(), &good(RouteError), Profile::Strict));
}
