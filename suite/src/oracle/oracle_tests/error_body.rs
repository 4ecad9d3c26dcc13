//! §6.1: the error body's shape, status and `see` URL, and the documented plain-text 401 quirk.

use super::*;

#[test]
fn good_route_error_passes() {
    let v = judge_get(&route_error(), &good(RouteError));
    assert_passes(&v);
    assert_eq!(v.observed, Observed { status: 404, error_type: Some("ROUTE_ERROR".into()) });
}

#[test]
fn every_documented_type_passes_with_its_status_in_both_profiles() {
    for t in ErrorType::ALL {
        if t == InternalServerError {
            continue; // §6.3 forbids 500 for client input whatever the case says.
        }
        for p in [Profile::Documented, Profile::Strict] {
            assert_passes(&judge_with("GET", &Expect::error(t), &good(t), p));
        }
    }
}

#[test]
fn documented_example_body_passes_strict() {
    let v = judge_with("GET", &Expect::error(ObjectNotFound), &json_resp(404, DOC_EXAMPLE), Profile::Strict);
    assert_passes(&v);
}

#[test]
fn status_405_fails() {
    let r = json_resp(405, error_json("ROUTE_ERROR", "t", "d", &see_for("ROUTE_ERROR")));
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs.iter().any(|m| m == "status 405 is not a documented error status"), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("travels with 404, got 405")), "{msgs:?}");
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn undocumented_statuses_fail() {
    for status in [403, 413, 502, 503, 418, 101] {
        let v = judge_get(&route_error(), &json_resp(status, error_json("X", "t", "d", &see_for("X"))));
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains(&format!("status {status} is not a documented"))));
    }
}

#[test]
fn status_type_mismatch_fails() {
    let r = json_resp(400, error_json("ROUTE_ERROR", "t", "d", &see_for("ROUTE_ERROR")));
    let v = judge_get(&Expect::error(InvalidApiRequest), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert_eq!(msgs, vec![r#"type "ROUTE_ERROR" travels with 404, got 400"#.to_string()]);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn missing_each_key_fails() {
    for key in ["type", "title", "detail", "see"] {
        let mut obj: serde_json::Value = serde_json::from_slice(&good(RouteError).body).unwrap();
        obj.as_object_mut().unwrap().remove(key);
        let v = judge_get(&route_error(), &json_resp(404, obj.to_string()));
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m == &format!("body has no \"{key}\" key")), "{key}: {msgs:?}");
    }
}

#[test]
fn non_string_keys_fail() {
    let r = json_resp(404, r#"{"type":404,"title":["x"],"detail":null,"see":{"u":1}}"#);
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    for key in ["type", "title", "detail", "see"] {
        assert!(msgs.iter().any(|m| m.starts_with(&format!("\"{key}\" is a "))), "{key}: {msgs:?}");
    }
    assert_eq!(v.observed.error_type, None);
}

#[test]
fn empty_title_fails() {
    for title in ["", "   "] {
        let r = json_resp(404, error_json("ROUTE_ERROR", title, "d", &see_for("ROUTE_ERROR")));
        let msgs = assert_breaks(&judge_get(&route_error(), &r), Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains("is empty")), "{msgs:?}");
    }
}

#[test]
fn empty_detail_is_fine() {
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "", &see_for("ROUTE_ERROR")));
    assert_passes(&judge_get(&route_error(), &r));
}

#[test]
fn relative_see_fails_and_a_non_https_see_is_non_strict() {
    for see in
        ["/api-errors#ROUTE_ERROR", "api-errors#ROUTE_ERROR", "https:/docs.journeyapps.com#ROUTE_ERROR", "https://", ""]
    {
        let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", see));
        let v = judge_get(&route_error(), &r);
        assert_eq!(v.status(), Status::Fail, "{see}");
        let msgs = assert_breaks(&v, Rule::ErrorBody);
        assert!(msgs.iter().any(|m| m.contains("is not an absolute URL")), "{see}: {msgs:?}");
    }
    for see in ["http://docs.journeyapps.com/api-errors#ROUTE_ERROR", "ftp://docs.journeyapps.com/#ROUTE_ERROR"] {
        let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", see));
        let msgs = assert_non_strict(&judge_get(&route_error(), &r), Rule::SeeLink);
        assert!(msgs.iter().any(|m| m.contains("is not an https URL")), "{see}: {msgs:?}");
        assert_eq!(judge_with("GET", &route_error(), &r, Profile::Strict).status(), Status::Fail, "{see}");
    }
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", "http://x"));
    let msgs = assert_non_strict(&judge_get(&route_error(), &r), Rule::SeeLink);
    assert_eq!(
        msgs,
        vec![
            r#"see "http://x" is not an https URL"#.to_string(),
            r#"see "http://x" does not end in #ROUTE_ERROR"#.into()
        ]
    );
    assert_passes(&judge_get(&route_error(), &good(RouteError)));
}

#[test]
fn see_without_its_type_fragment_is_non_strict_and_fails_when_strict() {
    let see = "https://docs.journeyapps.com/api-errors";
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", see));
    let msgs = assert_non_strict(&judge_with("GET", &route_error(), &r, Profile::Documented), Rule::SeeLink);
    assert_eq!(msgs, vec![format!("see \"{see}\" does not end in #ROUTE_ERROR")]);
    let v = judge_with("GET", &route_error(), &r, Profile::Strict);
    assert_eq!(v.status(), Status::Fail);
    assert_breaks(&v, Rule::SeeLink);
    assert_passes(&judge_with("GET", &route_error(), &good(RouteError), Profile::Strict));
}

#[test]
fn see_naming_another_documented_type_is_non_strict() {
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", &see_for("OBJECT_NOT_FOUND")));
    let msgs = assert_non_strict(&judge_get(&route_error(), &r), Rule::SeeLink);
    assert_eq!(msgs.len(), 1, "one finding, not also the missing fragment: {msgs:?}");
    assert!(msgs[0].ends_with("names the documented type OBJECT_NOT_FOUND, not the answer's ROUTE_ERROR"), "{msgs:?}");
    assert_eq!(judge_with("GET", &route_error(), &r, Profile::Strict).status(), Status::Fail);
    // An undocumented word after `#` is only a missing fragment.
    let r = json_resp(404, error_json("ROUTE_ERROR", "t", "d", "https://docs.journeyapps.com/x#errors"));
    let msgs = assert_non_strict(&judge_get(&route_error(), &r), Rule::SeeLink);
    assert!(msgs[0].ends_with("does not end in #ROUTE_ERROR"), "{msgs:?}");
}

#[test]
fn body_not_json_fails() {
    let v = judge_get(&route_error(), &json_resp(404, "Not Found"));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert_eq!(msgs, vec![r#"body is not JSON: "Not Found""#.to_string()]);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn json_array_body_fails() {
    let v = judge_get(&route_error(), &json_resp(404, r#"[{"type":"ROUTE_ERROR"}]"#));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("body is JSON array but not an object"), "{msgs:?}");
}

#[test]
fn empty_error_body_fails() {
    let v = judge_get(&route_error(), &json_resp(404, ""));
    assert_breaks(&v, Rule::ErrorBody);
    assert_breaks(&v, Rule::Expected);
}

#[test]
fn html_error_page_fails() {
    let html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
    let v = judge_get(&route_error(), &resp(404, &[("content-type", "text/html")], html));
    let msgs = assert_breaks(&v, Rule::ErrorBody);
    assert!(msgs[0].starts_with("body is not JSON: \"<html>"), "{msgs:?}");
    // §6.2 only judges bodies that are JSON; the HTML is already a §6.1 failure.
    assert_not_broken(&v, Rule::ContentType);
}

#[test]
fn plaintext_401_is_accepted_as_documented_non_strict_and_fails_strict() {
    let expect = Expect::error(AuthenticationFailed);
    for body in ["HTTP Basic: Access denied.", "HTTP Basic: Access denied.\n", "  HTTP Basic: Access denied.\r\n"] {
        let r = resp(401, &[("content-type", "text/plain; charset=utf-8")], body);
        let v = judge_with("GET", &expect, &r, Profile::Documented);
        let msgs = assert_non_strict(&v, Rule::Plain401);
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert_eq!(v.observed.status, 401);
        let v = judge_with("GET", &expect, &r, Profile::Strict);
        assert_eq!(v.status(), Status::Fail);
        assert_breaks(&v, Rule::Plain401);
        assert_not_broken(&v, Rule::Expected);
    }
    assert_passes(&judge_with("GET", &expect, &good(AuthenticationFailed), Profile::Strict));
    // The quirk is for 401 alone, and for that exact text.
    let r = resp(404, &[("content-type", "text/plain")], "HTTP Basic: Access denied.");
    assert_breaks(&judge_with("GET", &route_error(), &r, Profile::Documented), Rule::ErrorBody);
    let r = resp(401, &[("content-type", "text/plain")], "Access denied");
    assert_breaks(&judge_with("GET", &expect, &r, Profile::Documented), Rule::ErrorBody);
}

#[test]
fn plaintext_401_does_not_satisfy_other_types() {
    let r = resp(401, &[("content-type", "text/plain")], "HTTP Basic: Access denied.");
    let v = judge_with("GET", &route_error(), &r, Profile::Documented);
    assert_breaks(&v, Rule::Expected);
}
