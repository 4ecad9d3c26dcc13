//! The attachment capability check (`After::CapabilityFetch`): the URL fetched as the vendor's db client
//! fetches it, bare, and once more with its token altered.

use super::follow_up_sent;
use crate::declare::case::{Auth, CaseRequest};
use crate::oracle::Checked;
use crate::send::response::Response;
use crate::run::session::Session;
use crate::declare::spec::Grade;
use crate::Expect;

/// An attachment URL fetched as the vendor's db client fetches it, with no `Authorization`: it answers 2xx,
/// or a redirect whose `Location` on the target then answers 2xx, also without credentials; and the same
/// URL with its token altered (its last letter or digit changed) opens nothing (404).
pub(super) async fn fetch(session: &Session, path: &str) -> Checked {
    use crate::{ErrorType, Outcome};
    let grade = crate::declare::spec::client_clauses::ATTACHMENT_CAPABILITY.grade;
    let expect = Expect { outcomes: vec![Outcome::Success, Outcome::Redirect], why: None };
    let (mut out, response) = fetch_bare(session, path, &shown(path), &expect, grade).await;
    let location = response
        .filter(|r| (300..400).contains(&r.status))
        .and_then(|r| r.headers.get(http::header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string));
    let origin = &session.primary.origin;
    let next = location.and_then(|l| if l.starts_with('/') { Some(l) } else { l.strip_prefix(origin.as_str()).map(str::to_string) });
    if let Some(next) = next.filter(|p| p.starts_with('/')) {
        out = out.and(fetch_bare(session, &next, &shown(&next), &Expect::success(), grade).await.0);
    }
    if let Some(altered) = altered_token(path) {
        let not_found =
            Expect { outcomes: vec![Outcome::Error(ErrorType::ObjectNotFound), Outcome::Error(ErrorType::RouteError)], why: None };
        let label = format!("{} (token altered)", shown(&altered));
        out = out.and(fetch_bare(session, &altered, &label, &not_found, grade).await.0);
    }
    out
}

/// The path as reports name it, without its token: a capability opens its file to whoever reads it.
fn shown(path: &str) -> String {
    let masked = crate::send::excerpt::without_capabilities(&format!("http://t{path}"));
    masked.strip_prefix("http://t").map_or_else(|| path.to_string(), str::to_string)
}

/// One bare GET of `path`, judged under `grade` as a follow-up named `label`; its answer, for a redirect.
/// A 429 that outlived the retries, or no answer, proves nothing.
async fn fetch_bare(
    session: &Session,
    path: &str,
    label: &str,
    expect: &Expect,
    grade: Grade,
) -> (Checked, Option<Response>) {
    let req = CaseRequest { auth: Auth::None, ..CaseRequest::new("GET", path.to_string()) };
    follow_up_sent(session, &req, label, expect, grade, "capability fetch").await
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

    #[test]
    fn an_altered_token_differs_in_its_last_letter_or_digit() {
        assert_eq!(altered_token("/a/attachments/9c/5e2d").as_deref(), Some("/a/attachments/9c/5e20"));
        assert_eq!(altered_token("/a/files/1/0f/x.txt").as_deref(), Some("/a/files/1/0f/x.tx0"));
        assert_eq!(altered_token("/a/b0").as_deref(), Some("/a/b1"));
        assert_eq!(altered_token("/-/"), None);
    }
}
