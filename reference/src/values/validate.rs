//! Validation of one written field value against its type.

use super::{parse_date, parse_datetime, parse_id, valid_filename, Stored, LOCATION_KEYS};
use crate::error::{safe_quote, ApiError};
use crate::json::Json;
use crate::model::FieldType;
use base64::Engine;
use std::sync::Arc;
use uuid::Uuid;

/// The INVALID_VALUE error every field check words the same way.
pub(super) fn invalid(field: &str, what: &str) -> ApiError {
    ApiError::invalid_value(format!("Invalid value for field '{field}': {what}."))
}

fn choice_error(field: &str, given: &Json) -> ApiError {
    let shown = match given {
        Json::String(s) => safe_quote(s).map(str::to_string),
        Json::Number(_) => given.as_i64().map(|i| i.to_string()),
        _ => None,
    };
    match shown {
        Some(s) => ApiError::invalid_value(format!("Invalid option \"{s}\" for field '{field}'.")),
        None => ApiError::invalid_value(format!("Invalid option for field '{field}'.")),
    }
}

fn string_key(field: &str, options: &[(&str, &str)], v: &Json) -> Result<String, ApiError> {
    match v.as_str() {
        Some(s) if options.iter().any(|(k, _)| *k == s) => Ok(s.to_string()),
        _ => Err(choice_error(field, v)),
    }
}

fn int_key(field: &str, options: &[(i64, &str)], v: &Json) -> Result<i64, ApiError> {
    match v.as_i64() {
        Some(i) if options.iter().any(|(k, _)| *k == i) => Ok(i),
        _ => Err(choice_error(field, v)),
    }
}

fn list<'a>(field: &str, v: &'a Json) -> Result<&'a [Json], ApiError> {
    match v {
        Json::Array(items) => Ok(items),
        _ => Err(invalid(field, "expected an array of option keys")),
    }
}

/// Keep the first of each key: a repeated choice adds nothing.
fn dedup<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// The vendor's db client writes a location as `[latitude, longitude, altitude, horizontal_accuracy,
/// vertical_accuracy, timestamp]` (and reads both forms): the same members by position, absent ones null.
fn location_from_array(field: &str, items: &[Json]) -> Result<Json, ApiError> {
    if items.len() != LOCATION_KEYS.len() + 1 {
        return Err(invalid(
            field,
            "a location array has 6 parts: latitude, longitude, altitude, the two accuracies, timestamp",
        ));
    }
    let keys = LOCATION_KEYS.iter().copied().chain(["timestamp"]);
    Ok(Json::Object(keys.zip(items).map(|(k, v)| (k.to_string(), v.clone())).collect()))
}

fn location(field: &str, v: &Json) -> Result<Stored, ApiError> {
    if let Json::Array(items) = v {
        return location(field, &location_from_array(field, items)?);
    }
    let Json::Object(entries) = v else {
        return Err(invalid(field, "expected an object with latitude and longitude"));
    };
    let mut out = Vec::new();
    for (i, key) in LOCATION_KEYS.iter().enumerate() {
        let required = i < 2;
        let given = v.get(key).filter(|n| **n != Json::Null);
        let Some(n) = given else {
            if required {
                return Err(invalid(field, &format!("{key} is required")));
            }
            continue;
        };
        let n = n.as_f64().ok_or_else(|| invalid(field, &format!("{key} must be a number")))?;
        let limit = match *key {
            "latitude" => 90.0,
            "longitude" => 180.0,
            _ => f64::MAX,
        };
        if n.abs() > limit {
            return Err(invalid(field, &format!("{key} is out of range")));
        }
        out.push((*key, n));
    }
    if let Some((unknown, _)) = entries.iter().find(|(k, _)| k != "timestamp" && !LOCATION_KEYS.contains(&k.as_str())) {
        let shown = safe_quote(unknown).unwrap_or("?");
        return Err(invalid(field, &format!("unknown key \"{shown}\"")));
    }
    let timestamp = match v.get("timestamp") {
        None | Some(Json::Null) => None,
        Some(t) => Some(
            t.as_str()
                .and_then(parse_datetime)
                .map(|(_, utc)| utc)
                .ok_or_else(|| invalid(field, "timestamp must be an ISO 8601 datetime"))?,
        ),
    };
    Ok(Stored::Location(out, timestamp))
}

fn file(field: &str, v: &Json) -> Result<Stored, ApiError> {
    let Json::Object(entries) = v else {
        return Err(invalid(field, "expected an object with base64 and filename"));
    };
    if entries.len() != 2 {
        return Err(invalid(field, "expected exactly the keys base64 and filename"));
    }
    let data = v.get("base64").and_then(Json::as_str).ok_or_else(|| invalid(field, "base64 must be a string"))?;
    let filename =
        v.get("filename").and_then(Json::as_str).ok_or_else(|| invalid(field, "filename must be a string"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| invalid(field, "base64 is not valid standard base64 without line breaks"))?;
    if !valid_filename(filename) {
        return Err(ApiError::invalid_value(format!(
            "Invalid filename for field '{field}': use 1 to 255 of a-z, 0-9, '_', '-', '.', space, and no double dot."
        )));
    }
    // 128 random bits: the attachment URL is a capability, fetched without credentials.
    let token: Arc<str> = Arc::from(format!("{:032x}", rand::random::<u128>()));
    Ok(Stored::File { id: Uuid::new_v4(), filename: filename.to_string(), bytes: Arc::new(bytes), token })
}

/// Validate one written value; `Ok(None)` means `null`, which clears the field.
pub fn validate(field: &str, ty: FieldType, v: &Json) -> Result<Option<Stored>, ApiError> {
    if *v == Json::Null {
        return Ok(None);
    }
    let stored = match ty {
        FieldType::Text => Stored::Text(v.as_str().ok_or_else(|| invalid(field, "expected a string"))?.to_string()),
        FieldType::Integer => Stored::Integer(v.as_i64().ok_or_else(|| invalid(field, "expected an integer"))?),
        FieldType::Number => Stored::Number(v.as_f64().ok_or_else(|| invalid(field, "expected a finite number"))?),
        FieldType::Boolean => match v {
            Json::Bool(b) => Stored::Boolean(*b),
            _ => return Err(invalid(field, "expected true or false")),
        },
        FieldType::Date => {
            Stored::Date(v.as_str().and_then(parse_date).ok_or_else(|| invalid(field, "expected a date YYYY-MM-DD"))?)
        }
        FieldType::Datetime => Stored::Datetime(
            v.as_str()
                .and_then(parse_datetime)
                .map(|(_, utc)| utc)
                .ok_or_else(|| invalid(field, "expected an ISO 8601 datetime"))?,
        ),
        FieldType::SingleChoice(options) => Stored::Choice(string_key(field, options, v)?),
        FieldType::SingleChoiceInteger(options) => Stored::ChoiceInt(int_key(field, options, v)?),
        FieldType::MultipleChoice(options) => Stored::Multi(dedup(
            list(field, v)?.iter().map(|item| string_key(field, options, item)).collect::<Result<_, _>>()?,
        )),
        FieldType::MultipleChoiceInteger(options) => Stored::MultiInt(dedup(
            list(field, v)?.iter().map(|item| int_key(field, options, item)).collect::<Result<_, _>>()?,
        )),
        FieldType::Location => location(field, v)?,
        FieldType::Attachment | FieldType::Photo | FieldType::Signature => file(field, v)?,
    };
    Ok(Some(stored))
}

/// A belongs-to value: the ID of an existing object of the target type.
pub fn validate_ref(field: &str, v: &Json, exists: &dyn Fn(Uuid) -> bool) -> Result<Option<Stored>, ApiError> {
    match v {
        Json::Null => Ok(None),
        Json::String(s) => match parse_id(s) {
            Some(id) if exists(id) => Ok(Some(Stored::Ref(id))),
            Some(id) => Err(ApiError::invalid_value(format!("Field '{field}': no object found with ID '{id}'."))),
            None => Err(invalid(field, "expected a lowercase UUID")),
        },
        _ => Err(invalid(field, "expected a lowercase UUID")),
    }
}
