//! §6.3: client input never earns a 2xx, a 5xx, a redirect or an undocumented type.

use super::*;

#[test]
fn success_on_error_case_fails() {
    let r = json_resp(200, r#"{"id":"x","type":"task"}"#);
    let v = judge_get(&route_error(), &r);
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
    assert_eq!(v.observed, Observed { status: 200, error_type: None });
    let v = judge_get(&route_error(), &resp(204, &[], ""));
    assert_breaks(&v, Rule::ClientInput);
}

#[test]
fn error_body_under_2xx_is_observed() {
    let r = json_resp(200, error_json("INVALID_VALUE", "t", "d", &see_for("INVALID_VALUE")));
    let v = judge_get(&Expect::error(InvalidValue), &r);
    assert_eq!(v.observed.error_type.as_deref(), Some("INVALID_VALUE"));
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn status_500_fails_even_when_expected() {
    let expect = Expect::any_of(
        &[Outcome::Error(InternalServerError), Outcome::Success],
        crate::declare::spec::open::UNKNOWN_FIELD,
    );
    let v = judge_get(&expect, &good(InternalServerError));
    let msgs = assert_breaks(&v, Rule::ClientInput);
    assert_eq!(msgs, vec!["status 500 blames the server for client input".to_string()]);
    assert_not_broken(&v, Rule::Expected);
    let v = judge_get(&route_error(), &resp(503, &[], ""));
    assert_breaks(&v, Rule::ClientInput);
}

#[test]
fn redirect_fails() {
    let v = judge_get(&route_error(), &resp(302, &[("location", "https://example.com/x")], ""));
    assert_breaks(&v, Rule::ClientInput);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn undocumented_type_fails() {
    let r = json_resp(404, error_json("NOT_FOUND", "t", "d", &see_for("NOT_FOUND")));
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ClientInput);
    assert_eq!(msgs, vec![r#"type "NOT_FOUND" is outside the documented set"#.to_string()]);
    assert_breaks(&v, Rule::ErrorBody);
    assert_breaks(&v, Rule::Expected);
    assert_eq!(v.observed.error_type.as_deref(), Some("NOT_FOUND"));
    // Wire names are case-sensitive.
    let r = json_resp(404, error_json("route_error", "t", "d", &see_for("route_error")));
    assert_breaks(&judge_get(&route_error(), &r), Rule::ClientInput);
}
