//! Findings: one per cause, whatever the case; IDs stable across runs; MUST and urgent ones first.

use super::*;
use crate::case::Family;
use crate::oracle::findings::{group, is_finding_id, reconfirm, Finding, Reproduction};

const BANNER: &str = "BaseHTTP/0.6 Python/3.11.7";

/// A conforming answer for `t`, plus a `Server` header with a version (one §6.4 banner).
fn bannered(t: ErrorType) -> Response {
    let mut r = good(t);
    r.headers.insert(http::header::SERVER, HeaderValue::from_static(BANNER));
    r
}

fn judged(t: ErrorType, r: &Response) -> Verdict {
    judge_get(&Expect::error(t), r)
}

fn findings_of(verdicts: &[(&str, Family, Verdict)]) -> Vec<Finding> {
    group(verdicts.iter().map(|(id, f, v)| (*id, *f, v)))
}

#[test]
fn one_header_on_different_answers_is_one_finding_and_target_level() {
    let verdicts: Vec<(String, Family, Verdict)> = [RouteError, ObjectNotFound, InvalidValue, AuthenticationFailed]
        .iter()
        .enumerate()
        .flat_map(|(i, t)| [0, 1].map(|j| (format!("ids/x/{i}-{j}"), Family::Ids, judged(*t, &bannered(*t)))))
        .collect();
    let borrowed: Vec<(&str, Family, Verdict)> = verdicts.iter().map(|(a, f, v)| (a.as_str(), *f, v.clone())).collect();
    let findings = findings_of(&borrowed);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!((f.count, f.cases.len(), f.first_case()), (8, 5, "ids/x/0-0"));
    assert_eq!(f.rules, [Rule::NoLeaks]);
    assert_eq!(f.summary(), format!("header server: \"{BANNER}\""));
    assert_eq!(f.target_level, [(Family::Ids, 8, 8)]);
    assert!(is_finding_id(&f.id), "{}", f.id);
}

#[test]
fn ids_are_stable_and_tell_causes_apart() {
    let banner = judged(RouteError, &bannered(RouteError));
    let other = {
        let mut r = good(RouteError);
        r.headers.insert(http::header::SERVER, HeaderValue::from_static("nginx/1.25.3"));
        judged(RouteError, &r)
    };
    let a = findings_of(&[("m/a", Family::Methods, banner.clone())]);
    let b = findings_of(&[("m/b", Family::Ids, banner)]);
    let c = findings_of(&[("m/c", Family::Methods, other)]);
    assert_eq!(a[0].id, b[0].id, "the ID depends on the cause alone, not the case");
    assert_ne!(a[0].id, c[0].id, "another header value is another finding");
    // Pinned: SHA-256 of `cause header server: "BaseHTTP/0.6 Python/3.11.7"`, so a new Rust release (or
    // this crate's next version) keeps the ID a saved report names.
    assert_eq!(a[0].id, "F-12af7635");
    assert!(!is_finding_id("methods/x/y") && !is_finding_id("F-12") && is_finding_id("F-0a1b2c3d"));
}

#[test]
fn a_status_pair_breaking_two_rules_is_one_finding_and_must_comes_before_should() {
    // A ROUTE_ERROR sent with 400: the outcome rule and §6.1's status/type agreement name the same pair.
    let mut wrong = good(RouteError);
    wrong.status = 400;
    let status400 = judged(RouteError, &wrong);
    assert_eq!(status400.violations().len(), 2, "{:#?}", status400.violations());
    let banner = judged(ObjectNotFound, &bannered(ObjectNotFound));
    let findings = findings_of(&[
        ("ids/a", Family::Ids, banner.clone()),
        ("ids/b", Family::Ids, banner.clone()),
        ("methods/a", Family::Methods, status400),
        ("ids/c", Family::Ids, banner),
    ]);
    let shown: Vec<(Level, String, usize)> = findings.iter().map(|f| (f.level, f.summary(), f.count)).collect();
    assert_eq!(
        shown,
        [
            (Level::Must, "expected 404 ROUTE_ERROR, got 400 ROUTE_ERROR".to_string(), 1),
            (Level::Should, format!("header server: \"{BANNER}\""), 3),
        ]
    );
    assert_eq!(findings[0].rules, [Rule::ErrorBody, Rule::Expected]);
    // A 405 is undocumented as well as not the 404 due: still the one pair.
    wrong.status = 405;
    let status405 = judged(RouteError, &wrong);
    assert_eq!(status405.violations().len(), 3, "{:#?}", status405.violations());
    let findings = findings_of(&[("methods/b", Family::Methods, status405)]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].summary(), "expected 404 ROUTE_ERROR, got 405 ROUTE_ERROR");
    assert!(findings.iter().all(|f| !f.is_target_level()), "families under four cases are never target-level");
}

#[test]
fn leaks_and_server_errors_sort_before_more_frequent_findings_of_their_level() {
    let mut five_hundred = good(RouteError);
    five_hundred.status = 500;
    let mut wrong_type = good(RouteError);
    wrong_type.status = 405;
    let mut verdicts = vec![("c/0", Family::Ids, judged(RouteError, &five_hundred))];
    for i in 1..4 {
        verdicts.push((["c/1", "c/2", "c/3"][i - 1], Family::Ids, judged(RouteError, &wrong_type)));
    }
    let findings = findings_of(&verdicts);
    assert!(findings[0].cause.server_error(), "{findings:#?}");
    assert!(findings.iter().position(|f| f.count == 3).is_some_and(|i| i > 0));
}

#[test]
fn skipped_inconclusive_and_passing_cases_add_nothing_and_confirm_tells_flaky_apart() {
    let pass = judged(RouteError, &good(RouteError));
    let findings = findings_of(&[("a/x", Family::Ids, pass.clone()), ("a/y", Family::Ids, Verdict::skipped())]);
    assert!(findings.is_empty());
    let banner = judged(RouteError, &bannered(RouteError));
    let findings = findings_of(&[("a/z", Family::Ids, banner.clone())]);
    assert_eq!(reconfirm(&findings[0], &banner), Reproduction::Reproduced);
    assert_eq!(reconfirm(&findings[0], &pass), Reproduction::Flaky);
}
