//! The case's expected outcomes: sets, 2xx, empty success and redirects.

use super::*;

#[test]
fn outcome_set_accepts_each_member_and_rejects_others() {
    let set = Expect::any_of(
        &[Outcome::Error(RouteError), Outcome::Error(ObjectNotFound), Outcome::Error(InvalidApiRequest)],
        crate::declare::spec::open::UNKNOWN_OBJECT_TYPE,
    );
    for t in [RouteError, ObjectNotFound, InvalidApiRequest] {
        assert_passes(&judge_get(&set, &good(t)));
    }
    for t in [AccountNotFound, InvalidValue, AuthenticationFailed, TooManyRequests] {
        let v = judge_get(&set, &good(t));
        let msgs = assert_breaks(&v, Rule::Expected);
        assert_eq!(
            msgs,
            vec![format!(
                "expected 404 ROUTE_ERROR | 404 OBJECT_NOT_FOUND | 400 INVALID_API_REQUEST, got {} {t}",
                t.status()
            )]
        );
        assert_eq!(v.violations().len(), 1, "{:#?}", v.violations());
    }
}

#[test]
fn success_outcome_accepts_any_2xx() {
    let set =
        Expect::any_of(&[Outcome::Error(InvalidValue), Outcome::Success], crate::declare::spec::open::UNKNOWN_FIELD);
    for status in [200, 201, 204] {
        assert_passes(&judge_get(&set, &json_resp(status, r#"{"id":"x","type":"task"}"#)));
    }
    assert_passes(&judge_get(&set, &good(InvalidValue)));
}

#[test]
fn empty_success_outcome() {
    let set = Expect::any_of(&[Outcome::Error(RouteError), Outcome::EmptySuccess], crate::declare::spec::open::OPTIONS);
    assert_passes(&judge_with("OPTIONS", &set, &resp(204, &[("allow", "GET, POST")], ""), Profile::Documented));
    assert_passes(&judge_get(&set, &resp(200, &[], "")));
    assert_passes(&judge_get(&set, &good(RouteError)));
    let v = judge_get(&set, &json_resp(200, "{}"));
    let msgs = assert_breaks(&v, Rule::Expected);
    assert!(msgs[0].ends_with("got 200 (non-empty body)"), "{msgs:?}");
    assert_breaks(&judge_get(&set, &resp(201, &[], "")), Rule::Expected);
}

#[test]
fn redirect_passes_only_where_an_attachment_fetch_expects_it() {
    let redirect = Expect { outcomes: vec![Outcome::Redirect], why: None };
    let with_location = resp(302, &[("location", "https://files.example/a.txt")], "");
    assert_passes(&judge_get(&redirect, &with_location));
    let msgs = assert_breaks(&judge_get(&redirect, &resp(302, &[], "")), Rule::Expected);
    assert!(msgs[0].contains("no Location"), "{msgs:?}");
    assert_breaks(&judge_get(&redirect, &good(ObjectNotFound)), Rule::Expected);
    assert_breaks(&judge_get(&Expect::error(ObjectNotFound), &with_location), Rule::ClientInput);
}

#[test]
fn the_outcome_rule_takes_the_grade_of_the_case_clause() {
    let should = &crate::declare::spec::Clause { anchor: "x", grade: crate::declare::spec::Grade::Should, says: "x" };
    let wrong = good(ObjectNotFound);
    let judged = |grade, p| super::judge_graded(&facts("GET"), &route_error(), grade, &wrong, p);
    let v = judged(should.grade, Profile::Documented);
    let msgs = assert_non_strict(&v, Rule::Recommended);
    assert_eq!(msgs, vec!["expected 404 ROUTE_ERROR, got 404 OBJECT_NOT_FOUND".to_string()]);
    assert_eq!(judged(should.grade, Profile::Strict).status(), Status::Fail);
    for grade in [crate::declare::spec::Grade::Must, crate::declare::spec::Grade::Open] {
        let v = judged(grade, Profile::Documented);
        assert_eq!(v.status(), Status::Fail, "{grade:?}");
        assert_breaks(&v, Rule::Expected);
    }
    let right = super::judge_graded(&facts("GET"), &route_error(), should.grade, &good(RouteError), Profile::Strict);
    assert_passes(&right);
}
