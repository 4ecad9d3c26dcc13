//! What a case does around its main request: objects made fresh for it, expectations on a batch's
//! per-operation results, and what must hold afterwards, read back through the API (spec §6.5–§6.7).

use crate::case::CaseRequest;
use crate::expect::Expect;
use serde_json::{Map, Value};

/// The placeholder for fresh object `i`'s ID in a case's path and body: `{{new0}}`, `{{new1}}`, …
pub fn fresh_placeholder(i: usize) -> String {
    format!("{{{{new{i}}}}}")
}

/// An object created just before the main request, so the case can change it without touching others.
#[derive(Debug, Clone, PartialEq)]
pub struct Fresh {
    pub object_type: String,
    /// Its fields on creation (flat, not wrapped).
    pub fields: Map<String, Value>,
}

/// Which object a read-back looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// Fresh object `i`.
    Fresh(usize),
    /// The object the main request's 2xx answer names by `id`, of this type.
    Created(String),
}

/// How a field must read back (spec §4 "read back as").
#[derive(Debug, Clone, PartialEq)]
pub enum Repr {
    /// Exactly this JSON (numbers compared by value, so `1.0` equals `1`).
    Exact(Value),
    /// `null` or the key absent: the field was cleared or never set.
    Cleared,
    /// One choice object `{"key","display"}` with this key and a string display.
    Choice(Value),
    /// Choice objects `{"key","display"}` with these keys, in any order.
    ChoiceKeys(Vec<Value>),
    /// The ID of fresh object `i` (a belongs-to field).
    FreshId(usize),
    /// An object with these numeric members (location), other members ignored.
    Members(Map<String, Value>),
    /// An attachment object whose `state` is one of the documented states.
    Attachment,
}

/// A property that must hold after the main request.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// Fresh object `i` reads back exactly as it did before the request (a failed write changes nothing).
    Unchanged(usize),
    /// A follow-up request, judged by the oracle like any case (e.g. GET after DELETE → OBJECT_NOT_FOUND).
    Request(Box<CaseRequest>, Expect),
    /// A field of an object reads back in the documented representation.
    ReadBack { subject: Subject, field: String, repr: Repr },
    /// No object of this type has this marker in this text field (a failed create left nothing).
    NoObjectMarked { object_type: String, field: String, marker: String },
    /// The upload in this field names a URL on the target, and fetching it answers a 3xx with a Location
    /// (checked without following it).
    AttachmentRedirect { subject: Subject, field: String },
    /// Exactly one object of this type has this marker (the write happened once).
    OneObjectMarked { object_type: String, field: String, marker: String },
}

/// The expected result of one batch operation (spec §5).
#[derive(Debug, Clone, PartialEq)]
pub enum OpExpect {
    /// `success: true`.
    Success,
    /// `success: false` with an error body the oracle judges against this expectation.
    Error(Expect),
}

/// Everything around a case's main request; empty for a plain one-request case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    pub fresh: Vec<Fresh>,
    /// One expectation per operation, when the main request is a well-formed batch.
    pub batch: Option<Vec<OpExpect>>,
    pub after: Vec<After>,
}

impl Scenario {
    /// Whether the case writes anything (for read-only mode), beyond its main request's method.
    pub fn writes(&self) -> bool {
        !self.fresh.is_empty()
    }

    /// No fresh objects, no batch expectations, no checks.
    pub fn is_empty(&self) -> bool {
        self.fresh.is_empty() && self.batch.is_none() && self.after.is_empty()
    }
}

/// Replaces every fresh placeholder in `bytes` with its ID.
pub fn fill(bytes: &[u8], ids: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (i, id) in ids.iter().enumerate() {
        let needle = fresh_placeholder(i).into_bytes();
        if out.windows(needle.len()).any(|w| w == needle.as_slice()) {
            out = replace_all(&out, &needle, id.as_bytes());
        }
    }
    out
}

fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Whether `seen` reads back as `repr` describes (`ids`: the fresh objects' IDs); `Err` says what differs.
pub fn matches_repr(seen: Option<&Value>, repr: &Repr, ids: &[String]) -> Result<(), String> {
    let show = |v: Option<&Value>| v.map_or_else(|| "absent".to_string(), Value::to_string);
    let fail = || Err(format!("reads back as {}", show(seen)));
    match repr {
        Repr::Cleared => match seen {
            None | Some(Value::Null) => Ok(()),
            _ => fail(),
        },
        Repr::Exact(want) => match seen {
            Some(v) if json_eq(v, want) => Ok(()),
            _ => Err(format!("reads back as {}, expected {want}", show(seen))),
        },
        Repr::FreshId(i) => match ids.get(*i) {
            Some(id) => matches_repr(seen, &Repr::Exact(Value::String(id.clone())), ids),
            None => Err(format!("no fresh object {i}")),
        },
        Repr::Choice(key) => match seen {
            Some(Value::Object(map))
                if map.get("key").is_some_and(|k| json_eq(k, key))
                    && map.get("display").is_some_and(Value::is_string) =>
            {
                Ok(())
            }
            _ => Err(format!("reads back as {}, expected {{\"key\":{key},\"display\":…}}", show(seen))),
        },
        Repr::ChoiceKeys(keys) => {
            let Some(Value::Array(items)) = seen else { return fail() };
            let mut got: Vec<&Value> = Vec::new();
            for item in items {
                match (item.get("key"), item.get("display")) {
                    (Some(k), Some(Value::String(_))) => got.push(k),
                    _ => return Err(format!("choice {item} lacks `key` or a string `display`")),
                }
            }
            let same = got.len() == keys.len() && keys.iter().all(|k| got.iter().any(|g| json_eq(g, k)));
            if same {
                Ok(())
            } else {
                Err(format!(
                    "reads back keys {}, expected {}",
                    Value::Array(got.into_iter().cloned().collect()),
                    Value::Array(keys.clone())
                ))
            }
        }
        Repr::Members(want) => {
            let Some(Value::Object(map)) = seen else { return fail() };
            for (k, v) in want {
                if !map.get(k).is_some_and(|m| json_eq(m, v)) {
                    return Err(format!("member `{k}` reads back as {}, expected {v}", show(map.get(k))));
                }
            }
            Ok(())
        }
        Repr::Attachment => {
            let state = seen.and_then(|v| v.get("state")).and_then(Value::as_str);
            match state {
                Some("uploaded" | "pending" | "missing" | "untrusted") => Ok(()),
                _ => Err(format!("attachment reads back as {}, without a documented `state`", show(seen))),
            }
        }
    }
}

fn as_int(n: &serde_json::Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// JSON equality with numbers compared by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (as_int(x), as_int(y)) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_fill_in_path_and_body() {
        let ids = vec!["a-1".to_string(), "b-2".to_string()];
        assert_eq!(fill(b"/x/{{new0}}.json?{{new1}}", &ids), b"/x/a-1.json?b-2".to_vec());
        assert_eq!(fill(b"no placeholder", &ids), b"no placeholder".to_vec());
    }

    #[test]
    fn representations_accept_the_documented_form_and_reject_others() {
        assert!(matches_repr(Some(&json!(1.0)), &Repr::Exact(json!(1)), &[]).is_ok());
        assert!(matches_repr(Some(&json!("1")), &Repr::Exact(json!(1)), &[]).is_err());
        assert!(matches_repr(None, &Repr::Cleared, &[]).is_ok());
        assert!(matches_repr(Some(&Value::Null), &Repr::Cleared, &[]).is_ok());
        assert!(matches_repr(Some(&json!("x")), &Repr::Cleared, &[]).is_err());
        let choices = json!([{"key": "blue", "display": "Blue"}, {"key": "red", "display": "Red"}]);
        assert!(matches_repr(Some(&choices), &Repr::ChoiceKeys(vec![json!("red"), json!("blue")]), &[]).is_ok());
        assert!(matches_repr(Some(&choices), &Repr::ChoiceKeys(vec![json!("red")]), &[]).is_err());
        assert!(matches_repr(Some(&json!(["red", "blue"])), &Repr::ChoiceKeys(vec![json!("red"), json!("blue")]), &[])
            .is_err());
        let loc = json!({"latitude": 1.5, "longitude": 2, "altitude": null});
        let want = json!({"latitude": 1.5, "longitude": 2.0}).as_object().cloned().unwrap_or_default();
        assert!(matches_repr(Some(&loc), &Repr::Members(want.clone()), &[]).is_ok());
        assert!(matches_repr(Some(&json!({"latitude": 1.5})), &Repr::Members(want), &[]).is_err());
        assert!(matches_repr(Some(&json!({"state": "uploaded"})), &Repr::Attachment, &[]).is_ok());
        assert!(matches_repr(Some(&json!({"state": "gone"})), &Repr::Attachment, &[]).is_err());
    }
}
