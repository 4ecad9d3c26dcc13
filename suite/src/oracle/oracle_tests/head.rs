//! HEAD answers: judged by status alone, and must carry no body.

use super::*;

#[test]
fn head_404_empty_passes_for_route_error() {
    let r = resp(404, &[("content-type", "application/json"), ("content-length", "120")], "");
    let v = judge_with("HEAD", &route_error(), &r, Profile::Strict);
    assert_passes(&v);
    assert_eq!(v.observed, Observed { status: 404, error_type: None });
}

#[test]
fn head_with_body_fails() {
    let v = judge_with("HEAD", &route_error(), &good(RouteError), Profile::Documented);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("HEAD answer carries a"), "{msgs:?}");
    let v = judge_with("HEAD", &Expect::success(), &json_resp(200, "{}"), Profile::Documented);
    assert_breaks(&v, Rule::Transport);
}

#[test]
fn head_is_matched_by_status_only() {
    let set = Expect::any_of(&[Outcome::Error(ObjectNotFound), Outcome::Success], crate::declare::spec::open::HEAD);
    assert_passes(&judge_with("HEAD", &set, &resp(404, &[], ""), Profile::Documented));
    assert_passes(&judge_with("HEAD", &set, &resp(200, &[], ""), Profile::Documented));
    let v = judge_with("HEAD", &set, &resp(400, &[], ""), Profile::Documented);
    assert_breaks(&v, Rule::Expected);
    let v = judge_with("HEAD", &set, &resp(405, &[], ""), Profile::Documented);
    assert_breaks(&v, Rule::ErrorBody);
}
