//! `rule-access` (SECURITY): a request that carries no valid credentials for the deployment it
//! addresses never succeeds. The case's own clause already fails such a 2xx as a MUST; this raises it
//! above the docs' grades, whatever the profile.

use super::{Cause, Profile, RequestFacts, Rule, Verdict, Violation};
use crate::declare::expect::Expect;
use crate::declare::spec::Clause;
use crate::send::response::Response;

/// [`judge_graded`](super::judge_graded) for a case citing `clause`. A case whose clause guards access sends no valid
/// credentials for the deployment it addresses (none, wrong ones, another deployment's): a 2xx to it,
/// where the case allows no success, also breaks the SECURITY rule `rule-access`, whatever the profile.
pub fn judge_case(req: &RequestFacts, expect: &Expect, clause: &Clause, resp: &Response, profile: Profile) -> Verdict {
    use crate::declare::spec::rules::guards_access;
    let verdict = super::judge_graded(req, expect, clause.grade, resp, profile);
    // An outcome set's own clause says more than the case's (several `Authorization` values, one of them
    // valid, is no request without credentials).
    let guarded = guards_access(expect.why.unwrap_or(clause));
    if !guarded || !(200..300).contains(&resp.status) || expect.allows_success() {
        return verdict;
    }
    let status = resp.status;
    let message = format!(
        "status {status} grants a request that carries no valid credentials for this deployment ({expect} expected)"
    );
    let cause =
        Cause::Value { what: "success without valid credentials", value: format!("{status} ({})", clause.anchor) };
    verdict.and([Violation::caused(Rule::Access, message, cause)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::error_type::ErrorType::AuthenticationFailed;
    use crate::declare::expect::Outcome;
    use crate::declare::spec;
    use crate::oracle::{Level, Status};
    use http::{header, HeaderMap, HeaderValue};

    const FACTS: RequestFacts = RequestFacts { method: "GET", secrets: &[], sent: &[] };

    fn answer(status: u16) -> Response {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let body = br#"{"type":"AUTHENTICATION_FAILED","title":"t","detail":"d","see":"https://docs.journeyapps.com/api-errors#AUTHENTICATION_FAILED"}"#;
        Response { status, headers, body: body.to_vec(), truncated: false }
    }

    fn access(v: &Verdict) -> Vec<&Violation> {
        v.violations().iter().filter(|x| x.rule == Rule::Access).collect()
    }

    #[test]
    fn a_2xx_without_valid_credentials_is_security_under_every_profile() {
        let expect = Expect::error(AuthenticationFailed);
        for profile in [Profile::Documented, Profile::Strict] {
            for clause in [spec::AUTHENTICATION_FAILED, spec::ISOLATION] {
                let v = judge_case(&FACTS, &expect, clause, &answer(200), profile);
                assert_eq!(access(&v).len(), 1, "{}: {v:?}", clause.anchor);
                assert_eq!((access(&v)[0].level(), v.status()), (Level::Security, Status::Fail));
            }
        }
        let foreign = Expect::any_of(
            &[
                Outcome::Error(AuthenticationFailed),
                Outcome::Error(crate::declare::error_type::ErrorType::AccountNotFound),
            ],
            spec::open::FOREIGN_CREDENTIALS,
        );
        assert_eq!(access(&judge_case(&FACTS, &foreign, spec::ISOLATION, &answer(204), Profile::Documented)).len(), 1);
    }

    #[test]
    fn a_refusal_a_case_that_allows_success_or_valid_credentials_among_others_is_not_held_to_it() {
        let expect = Expect::error(AuthenticationFailed);
        let refused = judge_case(&FACTS, &expect, spec::AUTHENTICATION_FAILED, &answer(401), Profile::Documented);
        assert!(refused.passed(), "{refused:?}");
        let listed = judge_case(&FACTS, &Expect::success(), spec::ISOLATION, &answer(200), Profile::Documented);
        assert!(access(&listed).is_empty(), "the isolation probes expect their own list to succeed");
        let duplicate = Expect::any_of(&[Outcome::Error(AuthenticationFailed)], spec::open::DUPLICATE_AUTHORIZATION);
        let v = judge_case(&FACTS, &duplicate, spec::AUTHENTICATION_FAILED, &answer(200), Profile::Documented);
        assert!(access(&v).is_empty() && v.status() == Status::Fail, "a MUST failure, not SECURITY: {v:?}");
        let elsewhere = judge_case(&FACTS, &expect, spec::ROUTE_ERROR, &answer(200), Profile::Documented);
        assert!(access(&elsewhere).is_empty());
    }
}
