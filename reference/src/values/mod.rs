//! Field validation (spec §4) and the read-back representation of stored values.

mod changes;
mod datetime;
mod filename;
mod id;
mod read_back;
mod validate;

#[cfg(test)]
mod tests;

pub use changes::{validate_changes, Changes};
pub use datetime::{parse_date, parse_datetime};
pub use filename::valid_filename;
pub use id::parse_id;
pub use read_back::{file_id, read_back};
pub use validate::{validate, validate_ref};

use chrono::{NaiveDate, NaiveDateTime};
use std::sync::Arc;
use uuid::Uuid;

/// A validated field value as kept in the store.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    Text(String),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(NaiveDate),
    /// Always UTC.
    Datetime(NaiveDateTime),
    Choice(String),
    ChoiceInt(i64),
    Multi(Vec<String>),
    MultiInt(Vec<i64>),
    /// Keys in the order of [`LOCATION_KEYS`], only those given, and the time of the fix (UTC) when given.
    Location(Vec<(&'static str, f64)>, Option<NaiveDateTime>),
    /// The bytes live with the field, so clearing or deleting drops the file too. `token` is the random
    /// capability in its URL: whoever has the URL may fetch the file, no one can guess it.
    File {
        id: Uuid,
        filename: String,
        bytes: Arc<Vec<u8>>,
        token: Arc<str>,
    },
    Ref(Uuid),
}

/// Numeric keys a location may carry; the first two are required. A location may also carry a
/// `timestamp` (the time of the fix, a datetime), as the vendor's location values do.
pub const LOCATION_KEYS: &[&str] = &["latitude", "longitude", "altitude", "horizontal_accuracy", "vertical_accuracy"];
