//! Authentication: HTTP Basic (account ID + password) or a named token, sent as `Bearer <token>` (the
//! docs' form) or `Token <token>` (the vendor's db client's form, `ApiCredentials`).

use crate::error::ApiError;
use crate::Account;
use axum::http::{header, HeaderMap};
use base64::Engine;

/// Compare secrets without stopping at the first differing byte, so timing reveals little.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

/// The account these credentials belong to; any doubt (none, several, malformed, wrong) is 401.
pub fn authenticate<'a>(headers: &HeaderMap, accounts: &'a [Account]) -> Result<&'a Account, ApiError> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(ApiError::auth());
    };
    let value = value.to_str().map_err(|_| ApiError::auth())?;
    let (scheme, credentials) = value.split_once(' ').ok_or_else(ApiError::auth)?;
    // A second scheme in the same header ("Basic x, Bearer y") leaves a space or comma here.
    if credentials.is_empty() || credentials.contains([' ', ',', '\t']) {
        return Err(ApiError::auth());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(credentials).map_err(|_| ApiError::auth())?;
        let decoded = String::from_utf8(decoded).map_err(|_| ApiError::auth())?;
        let (user, password) = decoded.split_once(':').ok_or_else(ApiError::auth)?;
        accounts.iter().find(|a| a.id == user).filter(|a| same_secret(&a.password, password)).ok_or_else(ApiError::auth)
    } else if scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token") {
        accounts
            .iter()
            .fold(None, |found, a| found.or(same_secret(&a.token, credentials).then_some(a)))
            .ok_or_else(ApiError::auth)
    } else {
        Err(ApiError::auth())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorType;
    use axum::http::HeaderValue;

    fn accounts() -> Vec<Account> {
        vec![
            Account { id: "a1".into(), password: "pw1".into(), token: "O:tok1".into() },
            Account { id: "a2".into(), password: "pw2".into(), token: "O:tok2".into() },
        ]
    }

    fn basic(user_pass: &str) -> String {
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(user_pass))
    }

    fn check(values: &[&str]) -> Result<String, ErrorType> {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        }
        let accounts = accounts();
        authenticate(&headers, &accounts).map(|a| a.id.clone()).map_err(|e| e.kind)
    }

    #[test]
    fn good_credentials_name_their_account() {
        assert_eq!(check(&[&basic("a1:pw1")]), Ok("a1".into()));
        assert_eq!(check(&[&basic("a2:pw2")]), Ok("a2".into()));
        assert_eq!(check(&["Bearer O:tok2"]), Ok("a2".into()));
        assert_eq!(check(&["bearer O:tok1"]), Ok("a1".into()));
        assert_eq!(check(&[&basic("a1:pw1").replace("Basic", "basic")]), Ok("a1".into()));
        // The vendor's db client sends its token as `Token <token>`.
        assert_eq!(check(&["Token O:tok1"]), Ok("a1".into()));
    }

    #[test]
    fn everything_else_is_authentication_failed() {
        let fail = Err(ErrorType::AuthenticationFailed);
        assert_eq!(check(&[]), fail);
        assert_eq!(check(&[&basic("a1:wrong")]), fail);
        assert_eq!(check(&[&basic("a1:pw2")]), fail, "another account's password");
        assert_eq!(check(&[&basic("nobody:pw1")]), fail);
        assert_eq!(check(&[&basic("a1")]), fail, "no colon");
        assert_eq!(check(&[&basic("a1:")]), fail, "empty password");
        assert_eq!(check(&["Basic"]), fail);
        assert_eq!(check(&["Basic "]), fail);
        assert_eq!(check(&["Basic !!!notbase64"]), fail);
        assert_eq!(check(&["Bearer O:nope"]), fail);
        assert_eq!(check(&["Bearer "]), fail);
        assert_eq!(check(&["Bearer O:tok1 "]), fail);
        assert_eq!(check(&["Token O:nope"]), fail);
        assert_eq!(check(&["O:tok1"]), fail);
        assert_eq!(check(&[&format!("{}, Bearer O:tok1", basic("a1:pw1"))]), fail, "both schemes");
        assert_eq!(check(&[&format!("Bearer O:tok1, {}", basic("a1:pw1"))]), fail, "both schemes");
        assert_eq!(check(&[&basic("a1:pw1"), "Bearer O:tok1"]), fail, "two headers");
        assert_eq!(check(&[&basic("a1:pw1"), &basic("a1:pw1")]), fail, "two headers");
    }

    #[test]
    fn secret_comparison_checks_every_byte() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "a"));
    }
}
