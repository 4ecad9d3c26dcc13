//! The documented error types and the one JSON error body every failure uses.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The whole documented set of error types (spec §3); nothing else may ever be answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    AuthenticationFailed,
    AccountNotFound,
    RouteError,
    ObjectNotFound,
    InvalidApiRequest,
    InvalidValue,
    BatchAborted,
    TooManyRequests,
    InternalServerError,
}

/// One row of [`TABLE`], with the `see` link spelled out at compile time from the code.
macro_rules! row {
    ($kind:expr, $code:literal, $status:literal, $title:literal) => {
        ($kind, $code, $status, $title, concat!("https://docs.journeyapps.com/api-errors#", $code))
    };
}

/// Type, status, title and `see` link side by side, so status/type agreement is checkable at a glance.
const TABLE: &[(ErrorType, &str, u16, &str, &str)] = &[
    row!(ErrorType::AuthenticationFailed, "AUTHENTICATION_FAILED", 401, "Authentication failed."),
    row!(ErrorType::AccountNotFound, "ACCOUNT_NOT_FOUND", 404, "Account not found."),
    row!(ErrorType::RouteError, "ROUTE_ERROR", 404, "Route not found."),
    row!(ErrorType::ObjectNotFound, "OBJECT_NOT_FOUND", 404, "Object not found."),
    row!(ErrorType::InvalidApiRequest, "INVALID_API_REQUEST", 400, "Invalid API request."),
    row!(ErrorType::InvalidValue, "INVALID_VALUE", 422, "Invalid value."),
    row!(ErrorType::BatchAborted, "BATCH_ABORTED", 424, "Batch aborted."),
    row!(ErrorType::TooManyRequests, "TOO_MANY_REQUESTS", 429, "Too many requests."),
    row!(ErrorType::InternalServerError, "INTERNAL_SERVER_ERROR", 500, "Internal server error."),
];

impl ErrorType {
    fn row(self) -> (&'static str, u16, &'static str, &'static str) {
        TABLE
            .iter()
            .find(|(t, ..)| *t == self)
            .map(|(_, code, status, title, see)| (*code, *status, *title, *see))
            // Unreachable by construction (every variant is in TABLE); 500 is the honest fallback.
            .unwrap_or((
                "INTERNAL_SERVER_ERROR",
                500,
                "Internal server error.",
                "https://docs.journeyapps.com/api-errors#INTERNAL_SERVER_ERROR",
            ))
    }

    /// The HTTP status that must accompany this type.
    pub fn status(self) -> StatusCode {
        StatusCode::from_u16(self.row().1).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// A failed request: the type decides the status, the detail helps a human.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub kind: ErrorType,
    pub detail: String,
}

impl ApiError {
    /// Build an error; `detail` must never contain secrets or unvetted client text.
    pub fn new(kind: ErrorType, detail: impl Into<String>) -> ApiError {
        ApiError { kind, detail: detail.into() }
    }

    pub fn route() -> ApiError {
        ApiError::new(ErrorType::RouteError, "No API route matches this method and path.")
    }

    pub fn bad_request(detail: impl Into<String>) -> ApiError {
        ApiError::new(ErrorType::InvalidApiRequest, detail)
    }

    pub fn invalid_value(detail: impl Into<String>) -> ApiError {
        ApiError::new(ErrorType::InvalidValue, detail)
    }

    pub fn auth() -> ApiError {
        ApiError::new(
            ErrorType::AuthenticationFailed,
            "Missing or invalid credentials. Use HTTP Basic or a Bearer token.",
        )
    }

    /// The four-key body of spec §2, also embedded in batch results.
    pub fn body(&self) -> serde_json::Value {
        let (code, _, title, see) = self.kind.row();
        json!({ "type": code, "title": title, "detail": self.detail, "see": see })
    }

    /// [`ApiError::body`] as the text it serialises to, written straight from the parts: nearly
    /// every fuzz input ends in an error answer, and building a `Value` map first costs more than
    /// the rest of the answer.
    pub fn body_text(&self) -> String {
        let (code, _, title, see) = self.kind.row();
        // Keys in the order a `Value` map writes them (sorted), so the bytes are the same.
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            detail: &'a str,
            see: &'a str,
            title: &'a str,
            #[serde(rename = "type")]
            kind: &'a str,
        }
        serde_json::to_string(&Wire { detail: &self.detail, see, title, kind: code }).unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body_text();
        let mut response = (self.kind.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if self.kind == ErrorType::AuthenticationFailed {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"JourneyApps\""));
        }
        response
    }
}

/// Client text is quoted in a detail only when it is short and plainly harmless, so a detail can
/// never carry a path, markup or a secret back (spec §6 "no leaks").
pub fn safe_quote(text: &str) -> Option<&str> {
    let harmless = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.' | ':' | '+');
    (!text.is_empty() && text.len() <= 64 && text.chars().all(harmless) && !text.contains("..")).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_documented_status() {
        let expected = [
            (ErrorType::AuthenticationFailed, 401),
            (ErrorType::AccountNotFound, 404),
            (ErrorType::RouteError, 404),
            (ErrorType::ObjectNotFound, 404),
            (ErrorType::InvalidApiRequest, 400),
            (ErrorType::InvalidValue, 422),
            (ErrorType::BatchAborted, 424),
            (ErrorType::TooManyRequests, 429),
            (ErrorType::InternalServerError, 500),
        ];
        for (kind, status) in expected {
            assert_eq!(kind.status().as_u16(), status, "{kind:?}");
        }
    }

    #[test]
    fn body_has_exactly_four_keys_and_see_ends_in_type() {
        let body = ApiError::new(ErrorType::ObjectNotFound, "x").body();
        let obj = body.as_object().unwrap();
        assert_eq!(obj.len(), 4);
        assert_eq!(obj["type"], "OBJECT_NOT_FOUND");
        assert_eq!(obj["see"], "https://docs.journeyapps.com/api-errors#OBJECT_NOT_FOUND");
        assert!(!obj["title"].as_str().unwrap().is_empty());
    }

    #[test]
    fn body_text_is_the_body_serialised() {
        let details =
            ["x", "", "quote \" backslash \\ slash /", "tab\tnewline\n\u{1}", "é ✓ \u{1F600}", "<b>&amp;</b>"];
        for (kind, ..) in TABLE {
            for detail in details {
                let error = ApiError::new(*kind, detail);
                assert_eq!(error.body_text(), error.body().to_string(), "{kind:?} {detail:?}");
            }
        }
    }

    #[test]
    fn safe_quote_refuses_paths_and_long_text() {
        assert_eq!(safe_quote("test"), Some("test"));
        assert_eq!(safe_quote("/etc/passwd"), None);
        assert_eq!(safe_quote("../x"), None);
        assert_eq!(safe_quote(""), None);
        assert_eq!(safe_quote(&"a".repeat(65)), None);
    }
}
