//! A well-formed 429 makes a case prove nothing, whatever the grade of the clause it missed.

use super::*;
use crate::declare::spec::Grade;

fn concluded(grade: Grade, answer: &Response) -> Verdict {
    let expect = Expect::error(InvalidApiRequest);
    let verdict = super::super::judge_graded(&facts("GET"), &expect, grade, answer, Profile::Documented);
    let answered = Answered::of(&facts("GET"), &expect, answer, Profile::Documented);
    conclude(verdict, &Evidence { answer: Some(answered), retries_429: 2, ..Evidence::default() })
}

#[test]
fn a_well_formed_429_is_inconclusive_for_must_and_should_cases_alike() {
    for grade in [Grade::Must, Grade::Should] {
        let v = concluded(grade, &good(TooManyRequests));
        assert_eq!(v.status(), Status::Inconclusive, "{grade:?}: {v:?}");
        assert_eq!(v.inconclusive(), Some(&Reason::RateLimited { retries: 2 }));
    }
}

#[test]
fn a_malformed_429_or_another_answer_keeps_its_verdict() {
    let plain = resp(429, &[("content-type", "text/plain")], "slow down");
    assert_eq!(concluded(Grade::Must, &plain).status(), Status::Fail);
    assert_eq!(concluded(Grade::Should, &good(ObjectNotFound)).status(), Status::NonStrict);
}

fn side_effect() -> Violation {
    Violation::caused(
        Rule::SideEffect,
        "object changed after a failed write".into(),
        Cause::step("read-back", "changed n"),
    )
}

fn limited_step() -> StepFailure {
    StepFailure::rate_limited("GET /api/v4/a/objects/task/1.json", 3)
}

#[test]
fn a_429_on_the_answer_no_longer_hides_what_a_read_back_proved() {
    let limited = concluded(Grade::Must, &good(TooManyRequests));
    assert_eq!(limited.status(), Status::Inconclusive);
    assert!(limited.violations().is_empty(), "the outcome a 429 missed is no finding: {limited:?}");
    let proved = limited.clone().checked(Checked::found(vec![side_effect()]));
    assert_eq!((proved.status(), proved.inconclusive()), (Status::Fail, None), "{proved:?}");
    assert_eq!(proved.violations(), [side_effect()], "only what the read-back proved is reported");
    assert_eq!(limited.checked(Checked::default()).status(), Status::Inconclusive);
}

#[test]
fn a_step_that_met_a_429_or_no_answer_makes_a_passing_case_inconclusive_but_not_a_failed_one() {
    let pass = concluded(Grade::Must, &good(InvalidApiRequest));
    assert_eq!(pass.status(), Status::Pass);
    let StepFailure::Unanswered(why) = limited_step() else { panic!("a 429 leaves the step unanswered") };
    let unproven = Checked { found: Vec::new(), unproven: Some(why.clone()) };
    let inconclusive = pass.clone().checked(unproven);
    assert_eq!((inconclusive.status(), inconclusive.inconclusive()), (Status::Inconclusive, Some(&why)));
    assert!(why.to_string().contains("still rate limited (429) after 3 retries"), "{why}");
    assert_eq!(why.root(), &Reason::RateLimited { retries: 3 });
    // A MUST proved by another step (or by the answer) stands, in either order.
    let unproven = || Checked { found: Vec::new(), unproven: Some(why.clone()) };
    let failed_first = pass.clone().checked(Checked::found(vec![side_effect()])).checked(unproven());
    let failed_last = pass.clone().checked(unproven()).checked(Checked::found(vec![side_effect()]));
    assert_eq!((failed_first.status(), failed_last.status()), (Status::Fail, Status::Fail));
    let wrong = concluded(Grade::Must, &good(ObjectNotFound));
    assert_eq!(wrong.checked(unproven()).status(), Status::Fail, "the answer's own MUST failure stands");
    // A SHOULD found on the way keeps the case inconclusive, not non-strict.
    let should = Violation::caused(Rule::SeeLink, "s".into(), Cause::Check("s"));
    assert_eq!(pass.checked(Checked { found: vec![should], unproven: Some(why) }).status(), Status::Inconclusive);
}

#[test]
fn a_fresh_object_that_met_a_429_or_no_answer_is_inconclusive_and_a_refused_one_a_setup_failure() {
    let lost =
        StepFailure::lost("POST /x (fresh object)", &crate::send::client::TransportError::Connect("reset".into()));
    for failure in [limited_step(), lost] {
        let v = setup_failed(failure, Profile::Documented);
        assert_eq!(v.status(), Status::Inconclusive, "{v:?}");
        assert!(v.violations().is_empty());
    }
    let held = crate::send::client::TransportError::NotSent("the target stopped answering".into());
    let v = setup_failed(StepFailure::lost("POST /x (fresh object)", &held), Profile::Documented);
    assert!(matches!(v.inconclusive().map(Reason::root), Some(Reason::TargetStopped(_))), "{v:?}");
    let refused = setup_failed(StepFailure::answered("POST /x (fresh object)", "status 500"), Profile::Documented);
    assert_eq!(refused.status(), Status::Fail);
    assert_eq!(refused.violations()[0].rule, Rule::Setup);
    assert_eq!(refused.violations()[0].cause, Cause::step("fresh object", "status 500"));
}

#[test]
fn a_later_oplog_page_that_met_a_429_or_no_answer_leaves_the_case_unproven() {
    use crate::oracle::isolation::{page, ForeignObject};
    let foreign =
        [ForeignObject { id: "7d1f0b8e-0000-4000-8000-000000000001".into(), marker: None, capabilities: Vec::new() }];
    let limited = page("GET oplog", &Ok(good(TooManyRequests)), &foreign, 3);
    assert!(limited.found.is_empty() && limited.unproven.is_some(), "{limited:?}");
    let timeout = crate::send::client::TransportError::Timeout(std::time::Duration::from_secs(10));
    let lost = page("GET oplog", &Err(timeout), &foreign, 3);
    assert!(lost.found.is_empty() && lost.unproven.is_some(), "{lost:?}");
    let refused = page("GET oplog", &Ok(good(InvalidApiRequest)), &foreign, 3);
    assert_eq!((refused.found.len(), refused.unproven), (1, None), "a refusal is a finding");
    let leaked = json_resp(200, br#"{"entries":[{"object":{"id":"7d1f0b8e-0000-4000-8000-000000000001"}}]}"#.to_vec());
    assert_eq!(page("GET oplog", &Ok(leaked), &foreign, 3).found[0].rule, Rule::Isolation);
}

#[test]
fn checks_that_rely_on_the_write_apply_only_after_a_judged_answer() {
    let judged = Evidence { answer: Some(Answered::Judged), ..Evidence::default() };
    let limited = Evidence { answer: Some(Answered::RateLimited), ..Evidence::default() };
    assert!(write_checks_apply(&judged));
    assert!(!write_checks_apply(&limited) && !write_checks_apply(&Evidence::default()));
}
