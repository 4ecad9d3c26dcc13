//! The attachment capability check (`After::CapabilityFetch`): the URL fetched as the vendor's db client
//! fetches it, bare, and once more with its token altered.

use super::{follow_up, send_and_judge, Facts};
use crate::case::{Auth, CaseRequest};
use crate::oracle::Violation;
use crate::session::Session;

/// An attachment URL fetched as the vendor's db client fetches it, with no `Authorization`: it answers 2xx,
/// or a redirect whose `Location` on the target then answers 2xx, also without credentials; and the same
/// URL with its token altered (its last letter or digit changed) opens nothing (404).
pub(super) async fn fetch(session: &Session, path: &str) -> Vec<Violation> {
    use crate::{ErrorType, Expect, Outcome};
    let grade = crate::spec::clients::ATTACHMENT_CAPABILITY.grade;
    let bare = |path: &str| CaseRequest { auth: Auth::None, ..CaseRequest::new("GET", path.to_string()) };
    // Reports name the URLs without their tokens: a capability opens its file to whoever reads it.
    let shown = |path: &str| {
        let masked = crate::repro::without_capabilities(&format!("http://t{path}"));
        masked.strip_prefix("http://t").map_or_else(|| path.to_string(), str::to_string)
    };
    let req = bare(path);
    let expect = Expect { outcomes: vec![Outcome::Success, Outcome::Redirect], why: None };
    let (verdict, response, _) = send_and_judge(session, &req, &Facts::of(session, &req), &expect, grade).await;
    let mut out = follow_up("GET", &shown(path), verdict);
    let location = response
        .filter(|r| (300..400).contains(&r.status))
        .and_then(|r| r.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string));
    let origin = &session.primary.origin;
    let next = location.and_then(|l| if l.starts_with('/') { Some(l) } else { l.strip_prefix(origin.as_str()).map(str::to_string) });
    if let Some(next) = next.filter(|p| p.starts_with('/')) {
        let req = bare(&next);
        let (verdict, _, _) = send_and_judge(session, &req, &Facts::of(session, &req), &Expect::success(), grade).await;
        out.extend(follow_up("GET", &shown(&next), verdict));
    }
    if let Some(altered) = altered_token(path) {
        let req = bare(&altered);
        let not_found =
            Expect { outcomes: vec![Outcome::Error(ErrorType::ObjectNotFound), Outcome::Error(ErrorType::RouteError)], why: None };
        let (verdict, _, _) = send_and_judge(session, &req, &Facts::of(session, &req), &not_found, grade).await;
        out.extend(follow_up("GET", &format!("{} (token altered)", shown(&altered)), verdict));
    }
    out
}

/// `path` with its last letter or digit changed, as a guessed or mistyped capability.
fn altered_token(path: &str) -> Option<String> {
    let (at, c) = path.char_indices().rev().find(|(_, c)| c.is_ascii_alphanumeric())?;
    let other = if c == '0' { '1' } else { '0' };
    Some(format!("{}{other}{}", &path[..at], &path[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oracle::Rule;
    use crate::spec::Grade;

    #[test]
    fn an_altered_token_differs_in_its_last_letter_or_digit() {
        assert_eq!(altered_token("/a/attachments/9c/5e2d").as_deref(), Some("/a/attachments/9c/5e20"));
        assert_eq!(altered_token("/a/files/1/0f/x.txt").as_deref(), Some("/a/files/1/0f/x.tx0"));
        assert_eq!(altered_token("/a/b0").as_deref(), Some("/a/b1"));
        assert_eq!(altered_token("/-/"), None);
    }

    #[test]
    fn a_should_cases_own_claims_are_should_findings() {
        let found = vec![Violation::new(Rule::SideEffect, "x".into()), Violation::new(Rule::NoLeaks, "y".into())];
        let lowered = super::super::at_grade(found.clone(), Grade::Should);
        assert_eq!((lowered[0].rule, lowered[1].rule), (Rule::Recommended, Rule::NoLeaks));
        assert_eq!(super::super::at_grade(found, Grade::Must)[0].rule, Rule::SideEffect);
    }
}
