//! The documented error types and the status each one must travel with (spec §3).

use std::fmt;

/// One documented error `type`; the oracle's only source of status ↔ type agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// Spec §3 as data: (type, its wire name, its status).
const TABLE: [(ErrorType, &str, u16); 9] = [
    (ErrorType::AuthenticationFailed, "AUTHENTICATION_FAILED", 401),
    (ErrorType::AccountNotFound, "ACCOUNT_NOT_FOUND", 404),
    (ErrorType::RouteError, "ROUTE_ERROR", 404),
    (ErrorType::ObjectNotFound, "OBJECT_NOT_FOUND", 404),
    (ErrorType::InvalidApiRequest, "INVALID_API_REQUEST", 400),
    (ErrorType::InvalidValue, "INVALID_VALUE", 422),
    (ErrorType::BatchAborted, "BATCH_ABORTED", 424),
    (ErrorType::TooManyRequests, "TOO_MANY_REQUESTS", 429),
    (ErrorType::InternalServerError, "INTERNAL_SERVER_ERROR", 500),
];

impl ErrorType {
    /// Every documented type, in spec order.
    pub const ALL: [ErrorType; 9] = [
        ErrorType::AuthenticationFailed,
        ErrorType::AccountNotFound,
        ErrorType::RouteError,
        ErrorType::ObjectNotFound,
        ErrorType::InvalidApiRequest,
        ErrorType::InvalidValue,
        ErrorType::BatchAborted,
        ErrorType::TooManyRequests,
        ErrorType::InternalServerError,
    ];

    fn row(self) -> (ErrorType, &'static str, u16) {
        TABLE[self as usize]
    }

    /// The wire name, as it appears in the `type` key.
    pub fn as_str(self) -> &'static str {
        self.row().1
    }

    /// The only status this type may be sent with.
    pub fn status(self) -> u16 {
        self.row().2
    }

    /// Parses a wire name; `None` for anything outside the documented set.
    pub fn from_wire(name: &str) -> Option<ErrorType> {
        TABLE.iter().find(|row| row.1 == name).map(|row| row.0)
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_in_enum_order_and_round_trip() {
        for (i, t) in ErrorType::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].0, *t);
            assert_eq!(ErrorType::from_wire(t.as_str()), Some(*t));
        }
        assert_eq!(ErrorType::RouteError.status(), 404);
        assert_eq!(ErrorType::InvalidValue.status(), 422);
        assert_eq!(ErrorType::from_wire("NOT_A_TYPE"), None);
        assert_eq!(ErrorType::from_wire("route_error"), None);
    }
}
