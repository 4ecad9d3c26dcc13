//! A well-formed 429 makes a case prove nothing, whatever the grade of the clause it missed.

use super::*;
use crate::spec::Grade;

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
