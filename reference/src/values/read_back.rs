//! The read-back representation of stored values.

use super::Stored;
use crate::model::FieldType;
use chrono::{Datelike, Timelike};
use serde_json::{json, Map, Value};

fn option_json<K: Into<Value> + Copy + PartialEq>(options: &[(K, &str)], key: K) -> Value {
    let display = options.iter().find(|(k, _)| *k == key).map(|(_, d)| *d).unwrap_or_default();
    json!({ "key": key.into(), "display": display })
}

/// A UTC instant as the API writes it: seconds, `Z`.
fn datetime(t: &chrono::NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// The `{field}_id` companion of a file field: the attachment's ID, which a write may send back.
pub fn file_id(stored: Option<&Stored>) -> Value {
    match stored {
        Some(Stored::File { id, .. }) => json!(id.to_string()),
        _ => Value::Null,
    }
}

/// The read-back form of a stored value; `base` is the account base URL for attachment links.
pub fn read_back(ty: Option<FieldType>, stored: &Stored, base: &str) -> Value {
    match (stored, ty) {
        (Stored::Text(s), _) => json!(s),
        (Stored::Integer(i), _) => json!(i),
        (Stored::Number(n), _) => serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null),
        (Stored::Boolean(b), _) => json!({ "key": b, "display": if *b { "Yes" } else { "No" } }),
        (Stored::Date(d), _) => json!(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())),
        (Stored::Datetime(t), _) => json!(datetime(t)),
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
        (Stored::Location(parts, timestamp), _) => {
            let mut map: Map<String, Value> = parts
                .iter()
                .map(|(k, n)| {
                    (k.to_string(), serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null))
                })
                .collect();
            if let Some(t) = timestamp {
                map.insert("timestamp".into(), json!(datetime(t)));
            }
            Value::Object(map)
        }
        // The read shape the vendor's clients take apart: a state and one absolute URL per size.
        // Files are stored whole with the write, so they are always uploaded and every size is the original.
        (Stored::File { id, token, .. }, _) => {
            let url = format!("{base}/attachments/{id}/{token}");
            json!({ "state": "uploaded", "original": url, "fullscreen": url, "thumbnail": url })
        }
        (Stored::Ref(id), _) => json!(id.to_string()),
    }
}
