//! Faults in the credential compare itself: each accepts some credentials a little off the real
//! ones, as real authentication code does when it truncates, folds case, trims, or never checks
//! the user. The presented header is swapped for the account's real one before the reference sees it.

use super::layer::Layer;
use super::Kind;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use base64::Engine;
use journey_reference::Account;

/// How many leading characters a truncating compare looks at.
const TRUNCATED: usize = 8;

/// Whether this fault's compare lets `given` through for `real` (the exact match is the reference's job).
fn lenient(kind: Kind, given: &str, real: &str) -> bool {
    let head = |s: &str| s.chars().take(TRUNCATED).collect::<String>();
    match kind {
        Kind::PasswordPrefixCompare | Kind::TokenPrefixCompare => !given.is_empty() && head(given) == head(real),
        Kind::PasswordCaseInsensitive => given.eq_ignore_ascii_case(real),
        Kind::PasswordTrimmed => given.trim() == real,
        _ => false,
    }
}

/// The account the faulty compare signs these credentials in as, if any.
fn accepted<'a>(layer: &'a Layer, value: &str) -> Option<&'a Account> {
    if let Some(token) = value.strip_prefix("Bearer ") {
        return layer
            .accounts
            .iter()
            .find(|a| layer.kind == Kind::TokenPrefixCompare && lenient(layer.kind, token, &a.token));
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(value.strip_prefix("Basic ")?).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    match layer.kind {
        // The user is never looked at: any account whose password matches signs in.
        Kind::UserNotChecked => layer.accounts.iter().find(|a| a.password == password),
        _ => layer.accounts.iter().find(|a| a.id == user && lenient(layer.kind, password, &a.password)),
    }
}

/// The request with near-miss credentials replaced by the real ones of the account they pass for.
pub(super) fn rewrite(layer: &Layer, mut req: Request) -> Request {
    // Several Authorization values stay ambiguous, as in the reference: the fault is in the compare only.
    if req.headers().get_all(header::AUTHORIZATION).iter().count() != 1 {
        return req;
    }
    let presented = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let Some(account) = presented.as_deref().and_then(|v| accepted(layer, v)) else { return req };
    let real = if presented.as_deref().is_some_and(|v| v.starts_with("Bearer ")) {
        HeaderValue::from_str(&format!("Bearer {}", account.token)).ok()
    } else {
        layer.authorization_of(&account.id)
    };
    if let Some(real) = real {
        req.headers_mut().insert(header::AUTHORIZATION, real);
    }
    req
}
