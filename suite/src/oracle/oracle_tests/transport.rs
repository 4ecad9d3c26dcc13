//! Transport and robustness: truncation, hostile bodies, and every violation reported at once.

use super::*;

#[test]
fn truncated_error_body_fails() {
    let mut r = good(RouteError);
    assert_passes(&judge_get(&route_error(), &r));
    r.body.truncate(30);
    r.truncated = true;
    let v = judge_get(&route_error(), &r);
    let msgs = assert_breaks(&v, Rule::Transport);
    assert_eq!(msgs, vec!["error body exceeds the cap: cut after 30 bytes".to_string()]);
    // Truncation is reported once, not again as "not JSON".
    assert_not_broken(&v, Rule::ErrorBody);
}

#[test]
fn truncated_success_body_is_fine() {
    let mut r = json_resp(200, r#"{"objects":[{"id":"x"},"#);
    r.truncated = true;
    assert_passes(&judge_get(&Expect::success(), &r));
}

#[test]
fn invalid_utf8_and_hostile_bodies_do_not_panic() {
    let mut bodies: Vec<Vec<u8>> = vec![
        vec![0xff, 0xfe, 0x00, 0x80, b'{', 0xc3],
        b"{\"type\":\"ROUTE_ERROR\",\"title\":\"\xff\xfe\"}".to_vec(),
        "[".repeat(100_000).into_bytes(),
        vec![b'\x1b'; 5000],
        "é".repeat(150).into_bytes(), // excerpt cut inside a multi-byte character
    ];
    bodies.push((0..=255u8).cycle().take(1 << 20).collect());
    for body in bodies {
        for method in ["GET", "HEAD"] {
            for p in [Profile::Documented, Profile::Strict] {
                let v = judge_with(method, &route_error(), &json_resp(404, body.clone()), p);
                assert!(!v.passed());
                for x in v.violations() {
                    assert!(x.message.chars().count() < 400, "{}", x.message);
                    assert!(!x.message.chars().any(|c| c.is_control()), "{:?}", x.message);
                }
            }
        }
    }
}

#[test]
fn all_violations_are_collected() {
    let r = resp(
        503,
        &[("content-type", "text/plain"), ("x-powered-by", "Express")],
        r#"{"type":"OOPS","title":"","see":"http://x"}"#,
    );
    let v = judge_get(&route_error(), &r);
    for rule in [Rule::ErrorBody, Rule::ContentType, Rule::ClientInput, Rule::NoLeaks, Rule::Expected] {
        assert_breaks(&v, rule);
    }
    assert!(v.violations().len() >= 9, "{:#?}", v.violations());
}
