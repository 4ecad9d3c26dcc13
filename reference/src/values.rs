//! Field validation (spec §4) and the read-back representation of stored values.

use crate::error::{safe_quote, ApiError};
use crate::json::Json;
use crate::model::{FieldType, Model};
use base64::Engine;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
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
    /// Keys in the order of [`LOCATION_KEYS`], only those given.
    Location(Vec<(&'static str, f64)>),
    /// The bytes live with the field, so clearing or deleting drops the file too.
    File {
        id: Uuid,
        filename: String,
        bytes: Arc<Vec<u8>>,
    },
    Ref(Uuid),
}

/// Keys a location may carry; the first two are required.
pub const LOCATION_KEYS: &[&str] = &["latitude", "longitude", "altitude", "horizontal_accuracy", "vertical_accuracy"];

/// Object IDs must be lowercase hyphenated UUIDs (spec §1); anything else names no object.
pub fn parse_id(text: &str) -> Option<Uuid> {
    let groups: Vec<&str> = text.split('-').collect();
    let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    if shape_ok {
        Uuid::parse_str(text).ok()
    } else {
        None
    }
}

/// Fixed-width ASCII digits at `range`, or None.
fn digits(s: &str, range: std::ops::Range<usize>) -> Option<u32> {
    let part = s.get(range)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

fn parse_date_part(s: &str) -> Option<NaiveDate> {
    if s.len() < 10 || s.as_bytes().get(4) != Some(&b'-') || s.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    NaiveDate::from_ymd_opt(digits(s, 0..4)? as i32, digits(s, 5..7)?, digits(s, 8..10)?)
}

/// `YYYY-MM-DDTHH:MM(:SS(.frac)?)?(Z|±HH:MM)?`: the local date as written and the UTC instant.
/// No offset means UTC, as the brief says; the UTC year must stay four digits so read-back keeps its form.
pub fn parse_datetime(s: &str) -> Option<(NaiveDate, NaiveDateTime)> {
    let date = parse_date_part(s)?;
    let rest = s.get(10..)?.strip_prefix('T')?;
    let hour = digits(rest, 0..2)?;
    let minute = rest.get(2..3).filter(|c| *c == ":").and(digits(rest, 3..5))?;
    let mut rest = rest.get(5..)?;
    let (mut second, mut nanos) = (0, 0);
    if let Some(after) = rest.strip_prefix(':') {
        second = digits(after, 0..2)?;
        rest = after.get(2..)?;
        if let Some(after) = rest.strip_prefix('.') {
            let len = after.bytes().take_while(u8::is_ascii_digit).count();
            if len == 0 {
                return None;
            }
            let frac = after.get(..len)?;
            let padded = format!("{:0<9}", frac.get(..len.min(9))?);
            nanos = padded.parse().ok()?;
            rest = after.get(len..)?;
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset_minutes: i64 = match rest {
        "" | "Z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4) != Some(":") {
                return None;
            }
            let (oh, om) = (digits(rest, 1..3)?, digits(rest, 4..6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * i64::from(oh * 60 + om)
        }
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    let utc = local.checked_sub_signed(TimeDelta::minutes(offset_minutes))?;
    (0..=9999).contains(&utc.year()).then_some((date, utc))
}

/// Date fields take a bare date or a full datetime whose time part is dropped.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        parse_date_part(s)
    } else {
        parse_datetime(s).map(|(date, _)| date)
    }
}

/// Filenames of spec §4: `[a-z0-9_. -]`, 1..=255 chars, no `..` anywhere.
pub fn valid_filename(name: &str) -> bool {
    (1..=255).contains(&name.len())
        && name.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b' ' | b'-'))
        && !name.contains("..")
        && name != "."
}

fn invalid(field: &str, what: &str) -> ApiError {
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

fn location(field: &str, v: &Json) -> Result<Stored, ApiError> {
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
    if let Some((unknown, _)) = entries.iter().find(|(k, _)| !LOCATION_KEYS.contains(&k.as_str())) {
        let shown = safe_quote(unknown).unwrap_or("?");
        return Err(invalid(field, &format!("unknown key \"{shown}\"")));
    }
    Ok(Stored::Location(out))
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
    Ok(Stored::File { id: Uuid::new_v4(), filename: filename.to_string(), bytes: Arc::new(bytes) })
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

/// The validated content of a create/update body.
#[derive(Debug, Default)]
pub struct Changes {
    /// Field (or `{rel}_id`) → new value; None clears.
    pub fields: BTreeMap<&'static str, Option<Stored>>,
    /// A well-formed `id` given in the body; the caller decides whether it is acceptable.
    pub id: Option<Uuid>,
}

/// Validate a flat field map against a model. `exists(target_type, id)` answers belongs-to lookups.
/// Unknown keys are INVALID_VALUE: silently dropping them would hide client typos.
pub fn validate_changes(
    model: &Model,
    entries: &[(String, Json)],
    exists: &dyn Fn(&str, Uuid) -> bool,
) -> Result<Changes, ApiError> {
    let mut changes = Changes::default();
    for (key, v) in entries {
        match key.as_str() {
            // Server-owned read-back keys are ignored so a read object can be written back as is.
            "type" | "updated_at" | "display" => {}
            "id" => match v {
                Json::Null => {}
                Json::String(s) => {
                    changes.id = Some(parse_id(s).ok_or_else(|| invalid("id", "expected a lowercase UUID"))?);
                }
                _ => return Err(invalid("id", "expected a lowercase UUID")),
            },
            name => {
                if let Some(field) = model.field(name) {
                    changes.fields.insert(field.name, validate(field.name, field.ty, v)?);
                } else if let Some(rel) = model.relation_by_field(name) {
                    let value = validate_ref(rel.field, v, &|id| exists(rel.target, id))?;
                    changes.fields.insert(rel.field, value);
                } else {
                    let shown = safe_quote(name).map(|n| format!(" '{n}'")).unwrap_or_default();
                    return Err(ApiError::invalid_value(format!("Unknown field{shown} for type '{}'.", model.name)));
                }
            }
        }
    }
    Ok(changes)
}

fn option_json<K: Into<Value> + Copy + PartialEq>(options: &[(K, &str)], key: K) -> Value {
    let display = options.iter().find(|(k, _)| *k == key).map(|(_, d)| *d).unwrap_or_default();
    json!({ "key": key.into(), "display": display })
}

/// The read-back form of a stored value; `base` is the account base URL for attachment links.
pub fn read_back(ty: Option<FieldType>, stored: &Stored, base: &str) -> Value {
    match (stored, ty) {
        (Stored::Text(s), _) => json!(s),
        (Stored::Integer(i), _) => json!(i),
        (Stored::Number(n), _) => serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null),
        (Stored::Boolean(b), _) => json!({ "key": b, "display": if *b { "Yes" } else { "No" } }),
        (Stored::Date(d), _) => json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
        (Stored::Datetime(t), _) => json!(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )),
        (Stored::Choice(k), Some(FieldType::SingleChoice(opts))) => option_json(opts, k.as_str()),
        (Stored::ChoiceInt(k), Some(FieldType::SingleChoiceInteger(opts))) => option_json(opts, *k),
        (Stored::Multi(keys), Some(FieldType::MultipleChoice(opts))) => {
            Value::Array(keys.iter().map(|k| option_json(opts, k.as_str())).collect())
        }
        (Stored::MultiInt(keys), Some(FieldType::MultipleChoiceInteger(opts))) => {
            Value::Array(keys.iter().map(|k| option_json(opts, *k)).collect())
        }
        (Stored::Choice(k), _) => json!({ "key": k, "display": k }),
        (Stored::ChoiceInt(k), _) => json!({ "key": k, "display": k.to_string() }),
        (Stored::Multi(keys), _) => Value::Array(keys.iter().map(|k| json!({ "key": k, "display": k })).collect()),
        (Stored::MultiInt(keys), _) => {
            Value::Array(keys.iter().map(|k| json!({ "key": k, "display": k.to_string() })).collect())
        }
        (Stored::Location(parts), _) => {
            let map: Map<String, Value> = parts
                .iter()
                .map(|(k, n)| {
                    (k.to_string(), serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null))
                })
                .collect();
            Value::Object(map)
        }
        (Stored::File { id, filename, .. }, _) => json!({
            "state": "uploaded",
            "filename": filename,
            "urls": { "original": format!("{base}/attachments/{id}") },
        }),
        (Stored::Ref(id), _) => json!(id.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorType;
    use crate::json::parse;
    use crate::model;

    fn ty(name: &str) -> FieldType {
        model::find("task").unwrap().field(name).unwrap().ty
    }

    /// Write `input` to the task field `field`; Ok(read-back) or Err(error type).
    fn write(field: &str, input: &str) -> Result<Value, ErrorType> {
        let v = parse(input.as_bytes()).unwrap();
        match validate(field, ty(field), &v) {
            Ok(Some(stored)) => Ok(read_back(Some(ty(field)), &stored, "http://h/api/v4/a")),
            Ok(None) => Ok(Value::Null),
            Err(e) => Err(e.kind),
        }
    }

    fn accepts(field: &str, cases: &[(&str, Value)]) {
        for (input, want) in cases {
            assert_eq!(write(field, input).as_ref(), Ok(want), "{field} <- {input}");
        }
    }

    fn rejects(field: &str, inputs: &[&str]) {
        for input in inputs {
            assert_eq!(write(field, input), Err(ErrorType::InvalidValue), "{field} <- {input}");
        }
    }

    #[test]
    fn null_clears_every_type() {
        for field in [
            "name", "count", "score", "done", "due_on", "due_at", "status", "priority", "tags", "levels", "place",
            "photo",
        ] {
            assert_eq!(write(field, "null"), Ok(Value::Null), "{field}");
        }
    }

    #[test]
    fn text() {
        accepts("name", &[(r#""x""#, json!("x")), (r#""""#, json!("")), (r#""\u00e9""#, json!("é"))]);
        rejects("name", &["1", "true", "[]", "{}", r#"["x"]"#]);
    }

    #[test]
    fn integer() {
        accepts(
            "count",
            &[("1", json!(1)), ("-0", json!(0)), ("-42", json!(-42)), ("9223372036854775807", json!(i64::MAX))],
        );
        rejects("count", &["1.0", "1e2", "1.5", r#""1""#, "1e400", "9223372036854775808", "true", "[1]"]);
    }

    #[test]
    fn number() {
        accepts("score", &[("1", json!(1.0)), ("1.5", json!(1.5)), ("-2e3", json!(-2000.0)), ("1e-400", json!(0.0))]);
        rejects("score", &[r#""1.0""#, "true", "1e400", "-1e400", "{}", "[1]"]);
    }

    #[test]
    fn boolean() {
        accepts(
            "done",
            &[("true", json!({"key": true, "display": "Yes"})), ("false", json!({"key": false, "display": "No"}))],
        );
        rejects("done", &[r#""yes""#, "1", "0", r#""true""#]);
    }

    #[test]
    fn date() {
        accepts(
            "due_on",
            &[
                (r#""2024-02-29""#, json!("2024-02-29")),
                (r#""2024-01-01T23:30:00Z""#, json!("2024-01-01")),
                (r#""2024-01-01T23:30:00-05:00""#, json!("2024-01-01")),
                (r#""2024-01-01T10:00""#, json!("2024-01-01")),
            ],
        );
        rejects(
            "due_on",
            &[
                r#""2024-02-30""#,
                r#""2023-02-29""#,
                r#""tomorrow""#,
                r#""20240101T""#,
                r#""20240101""#,
                r#""2024-1-01""#,
                r#""2024-01-01T""#,
                r#""2024-01-01T25:00""#,
                r#""2024-01-01 ""#,
                r#""""#,
                "20240101",
                r#""2024-01-01T10:00:00Zjunk""#,
            ],
        );
    }

    #[test]
    fn datetime() {
        accepts(
            "due_at",
            &[
                (r#""2024-01-01T10:20:30Z""#, json!("2024-01-01T10:20:30Z")),
                (r#""2024-01-01T10:20""#, json!("2024-01-01T10:20:00Z")),
                (r#""2024-01-01T10:20:30.999999999999Z""#, json!("2024-01-01T10:20:30Z")),
                (r#""2024-01-01T01:00:00+02:00""#, json!("2023-12-31T23:00:00Z")),
                (r#""2024-12-31T23:30:00-01:00""#, json!("2025-01-01T00:30:00Z")),
            ],
        );
        rejects(
            "due_at",
            &[
                r#""2024-13-01T00:00:00Z""#,
                r#""now""#,
                r#""25:00""#,
                r#""2024-01-01T25:00:00Z""#,
                r#""2024-01-01T10:60""#,
                r#""2024-01-01T10:20:61Z""#,
                r#""2024-01-01""#,
                r#""2024-01-01T10:20:30.Z""#,
                r#""2024-01-01T10:20+2""#,
                r#""2024-01-01T10:20+24:00""#,
                r#""2024-01-01t10:20Z""#,
                r#""0000-01-01T00:00:00+01:00""#,
                "1",
            ],
        );
    }

    #[test]
    fn single_choice() {
        accepts("status", &[(r#""open""#, json!({"key": "open", "display": "Open"}))]);
        rejects("status", &[r#""test""#, r#""OPEN""#, "1", "[]", r#"["open"]"#]);
        let v = parse(br#""test""#).unwrap();
        let err = validate("status", ty("status"), &v).unwrap_err();
        assert_eq!(err.detail, "Invalid option \"test\" for field 'status'.");
    }

    #[test]
    fn single_choice_integer() {
        accepts("priority", &[("3", json!({"key": 3, "display": "High"}))]);
        rejects("priority", &["4", "0", r#""1""#, "1.0", "true"]);
    }

    #[test]
    fn multiple_choice() {
        accepts(
            "tags",
            &[
                ("[]", json!([])),
                (
                    r#"["red","blue","red"]"#,
                    json!([{"key": "red", "display": "Red"}, {"key": "blue", "display": "Blue"}]),
                ),
            ],
        );
        rejects("tags", &[r#""red""#, r#"["red","pink"]"#, "[1]", "[null]", "{}"]);
        accepts("levels", &[("[1,3]", json!([{"key": 1, "display": "One"}, {"key": 3, "display": "Three"}]))]);
        rejects("levels", &["1", "[4]", r#"["1"]"#, "[1.0]"]);
    }

    #[test]
    fn location() {
        accepts(
            "place",
            &[
                (r#"{"latitude":-90,"longitude":180}"#, json!({"latitude": -90.0, "longitude": 180.0})),
                (
                    r#"{"latitude":1.5,"longitude":2,"altitude":3,"horizontal_accuracy":4,"vertical_accuracy":null}"#,
                    json!({"latitude": 1.5, "longitude": 2.0, "altitude": 3.0, "horizontal_accuracy": 4.0}),
                ),
            ],
        );
        rejects(
            "place",
            &[
                r#"{"latitude":91,"longitude":0}"#,
                r#"{"latitude":0,"longitude":-180.5}"#,
                r#"{"latitude":"1","longitude":0}"#,
                r#"{"longitude":0}"#,
                r#"{"latitude":0}"#,
                r#"{"latitude":0,"longitude":0,"speed":1}"#,
                r#"{"latitude":0,"longitude":0,"altitude":"x"}"#,
                r#"[0,0]"#,
                r#""0,0""#,
                r#"{"latitude":1e400,"longitude":0}"#,
            ],
        );
    }

    #[test]
    fn attachments() {
        let Ok(read) = write("attachment", r#"{"base64":"aGVsbG8=","filename":"a b_c-1.txt"}"#) else { panic!() };
        assert_eq!(read["state"], "uploaded");
        assert_eq!(read["filename"], "a b_c-1.txt");
        let url = read["urls"]["original"].as_str().unwrap();
        let id = url.strip_prefix("http://h/api/v4/a/attachments/").unwrap();
        assert!(parse_id(id).is_some(), "{url}");
        assert!(write("photo", r#"{"base64":"","filename":"x.png"}"#).is_ok());
        let long = format!(r#"{{"base64":"aGk=","filename":"{}"}}"#, "a".repeat(256));
        let max = format!(r#"{{"base64":"aGk=","filename":"{}"}}"#, "a".repeat(255));
        assert!(write("signature", &max).is_ok());
        rejects(
            "signature",
            &[
                &long,
                r#"{"base64":"aGVsbG8","filename":"a.txt"}"#,
                r#"{"base64":"aGVs\nbG8=","filename":"a.txt"}"#,
                r#"{"base64":"aGVs bG8=","filename":"a.txt"}"#,
                r#"{"base64":"!!!!","filename":"a.txt"}"#,
                r#"{"base64":"aGk=","filename":"A.txt"}"#,
                r#"{"base64":"aGk=","filename":"a/b.txt"}"#,
                r#"{"base64":"aGk=","filename":"a\\b.txt"}"#,
                r#"{"base64":"aGk=","filename":"..txt"}"#,
                r#"{"base64":"aGk=","filename":"."}"#,
                r#"{"base64":"aGk=","filename":".."}"#,
                r#"{"base64":"aGk=","filename":""}"#,
                r#"{"base64":"aGk=","filename":"a\u0000.txt"}"#,
                r#"{"base64":"aGk=","filename":"é.txt"}"#,
                r#"{"base64":"aGk="}"#,
                r#"{"filename":"a.txt"}"#,
                r#"{"base64":"aGk=","filename":"a.txt","x":1}"#,
                r#"{"base64":5,"filename":"a.txt"}"#,
                r#""aGk=""#,
            ],
        );
    }

    #[test]
    fn ids_must_be_lowercase_hyphenated_uuids() {
        assert!(parse_id("550e8400-e29b-41d4-a716-446655440000").is_some());
        for bad in [
            "550E8400-E29B-41D4-A716-446655440000",
            "550e8400e29b41d4a716446655440000",
            "{550e8400-e29b-41d4-a716-446655440000}",
            "550e8400-e29b-41d4-a716-44665544000",
            "550e8400-e29b-41d4-a716-4466554400000",
            "",
            "x",
            "550e8400-e29b-41d4-a716-44665544000g",
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
        ] {
            assert!(parse_id(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn belongs_to_needs_an_existing_target() {
        let known = parse_id("550e8400-e29b-41d4-a716-446655440000").unwrap();
        let exists = |id: Uuid| id == known;
        let check =
            |input: &str| validate_ref("category_id", &parse(input.as_bytes()).unwrap(), &exists).map_err(|e| e.kind);
        assert_eq!(check(r#""550e8400-e29b-41d4-a716-446655440000""#), Ok(Some(Stored::Ref(known))));
        assert_eq!(check("null"), Ok(None));
        for bad in
            [r#""550e8400-e29b-41d4-a716-446655440001""#, r#""nope""#, "1", r#""550E8400-E29B-41D4-A716-446655440000""#]
        {
            assert_eq!(check(bad), Err(ErrorType::InvalidValue), "{bad}");
        }
    }

    #[test]
    fn unknown_fields_are_invalid_value_and_server_keys_are_ignored() {
        let task = model::find("task").unwrap();
        let entries = |text: &str| match parse(text.as_bytes()).unwrap() {
            Json::Object(e) => e,
            _ => panic!(),
        };
        let none = |_: &str, _: Uuid| false;
        let err = validate_changes(task, &entries(r#"{"bogus":1}"#), &none).unwrap_err();
        assert_eq!(err.kind, ErrorType::InvalidValue);
        assert!(err.detail.contains("bogus"));
        let ok =
            validate_changes(task, &entries(r#"{"type":"x","updated_at":5,"display":[],"name":"n"}"#), &none).unwrap();
        assert_eq!(ok.fields.len(), 1);
        assert_eq!(validate_changes(task, &entries(r#"{"id":7}"#), &none).unwrap_err().kind, ErrorType::InvalidValue);
    }
}
