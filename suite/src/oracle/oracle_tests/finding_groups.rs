//! Findings: one per cause, whatever the case; IDs stable across runs; MUST and urgent ones first.

use super::*;
use crate::declare::case::Family;
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

/// A case that passed its answer and then failed one check (a read-back, a follow-up, a transport).
fn checked(found: Violation) -> Verdict {
    judged(RouteError, &good(RouteError)).checked(Checked::found(vec![found]))
}

#[test]
fn distinct_side_effects_and_transport_failures_are_distinct_findings_and_confirm_only_their_own() {
    let was = serde_json::json!({"id": "a", "name": "x", "count": 1});
    let name_changed =
        readback::unchanged("a", &was, Ok(Some(serde_json::json!({"id": "a", "name": "y", "count": 1}))));
    let gone = readback::unchanged("a", &was, Ok(None));
    let left = readback::marked("task", "name", "m", 0, Ok(vec!["z".into()]));
    let timeout = crate::send::client::TransportError::Timeout(std::time::Duration::from_secs(10));
    let reset = crate::send::client::TransportError::Connect("connection reset".into());
    let transport = |e: &crate::send::client::TransportError| {
        Verdict::broken(Rule::Transport, e.to_string(), Cause::transport("request", e))
    };
    let verdicts = [
        ("side-effects/a", Family::SideEffects, checked(name_changed.found[0].clone())),
        ("side-effects/b", Family::SideEffects, checked(gone.found[0].clone())),
        ("side-effects/c", Family::SideEffects, checked(left.found[0].clone())),
        ("ids/a", Family::Ids, transport(&timeout)),
        ("ids/b", Family::Ids, transport(&reset)),
    ];
    let findings = findings_of(&verdicts);
    assert_eq!(findings.len(), 5, "one finding per defect, none merged by rule: {findings:#?}");
    let ids: std::collections::HashSet<&str> = findings.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids.len(), 5);
    // The same defect on another object is the same finding.
    let was_b = serde_json::json!({"id": "b", "name": "p", "count": 7});
    let again = readback::unchanged("b", &was_b, Ok(Some(serde_json::json!({"id": "b", "name": "q", "count": 7}))));
    let twice =
        findings_of(&[verdicts[0].clone(), ("side-effects/d", Family::SideEffects, checked(again.found[0].clone()))]);
    assert_eq!((twice.len(), twice[0].count), (1, 2), "{twice:#?}");
    // --confirm: a finding is reproduced only when its own cause recurs, not another side effect.
    let name = findings.iter().find(|f| f.cases == ["side-effects/a"]).expect("the changed-name finding");
    assert_eq!(reconfirm(name, &verdicts[1].2), Reproduction::Flaky, "another side effect is not this one");
    assert_eq!(reconfirm(name, &verdicts[0].2), Reproduction::Reproduced);
    let timed_out = findings.iter().find(|f| f.cases == ["ids/a"]).expect("the timeout finding");
    assert_eq!(reconfirm(timed_out, &verdicts[4].2), Reproduction::Flaky, "a reset is not a timeout");
}

#[test]
fn a_follow_ups_missed_outcome_is_its_own_finding_but_its_banner_is_the_answers() {
    let wrong = judged(ObjectNotFound, &good(RouteError));
    let follow = readback::follow_up("GET", "/api/v4/acct/objects/task/1.json", &wrong);
    let main_cause = &wrong.violations().iter().find(|v| v.rule == Rule::Expected).unwrap().cause;
    let follow_cause = &follow.iter().find(|v| v.message.contains("[expected outcome]")).unwrap().cause;
    assert_ne!(main_cause, follow_cause, "then GET object answering 404 ROUTE_ERROR is not the main answers' pair");
    assert_eq!(follow_cause.to_string(), format!("then GET object: {main_cause}"));
    let bannered_follow =
        readback::follow_up("GET", "/api/v4/acct/objects/task/1.json", &judged(RouteError, &bannered(RouteError)));
    let banner = judged(RouteError, &bannered(RouteError));
    assert_eq!(bannered_follow[0].cause, banner.violations()[0].cause, "one banner, one finding");
}

#[test]
fn security_findings_come_first_and_say_so() {
    let echoed = judged(RouteError, &{
        let mut r = good(RouteError);
        r.headers.insert("x-echo", HeaderValue::from_bytes(PASSWORD).unwrap());
        r
    });
    let wrong = judged(ObjectNotFound, &good(RouteError));
    let findings = findings_of(&[("ids/a", Family::Ids, wrong), ("ids/b", Family::Ids, echoed)]);
    assert_eq!(findings[0].level, Level::Security, "{findings:#?}");
    assert_eq!(findings[0].level.as_str(), "SECURITY");
    assert_eq!(findings[0].rules, [Rule::EchoedCredential]);
}
