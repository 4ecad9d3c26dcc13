//! The few fields of the object type a stateful run writes, found in the target's data model: the
//! marker field (a text field that tags every object of one sequence) and up to three others of
//! the kinds the model can predict (text, integer, boolean).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// How many fields besides the marker a run writes.
pub const MAX_FIELDS: usize = 3;

/// The JSON kind of a field, as far as the model needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Text,
    Integer,
    Boolean,
}

/// One abstract value a step writes. Small domains, so shrinking and reading a repro stay easy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Val {
    Text(u8),
    Int(i8),
    Bool(bool),
    /// `null`: clears the field on update, leaves it unset on create.
    Null,
    /// A JSON object where a scalar belongs: the documented INVALID_VALUE (§4, wrong JSON type).
    Invalid,
}

impl Val {
    /// The value on the wire.
    pub fn json(&self) -> Value {
        match self {
            Val::Text(n) => Value::String(format!("v{n}")),
            Val::Int(n) => json!(n),
            Val::Bool(b) => json!(b),
            Val::Null => Value::Null,
            Val::Invalid => json!({"not": "a value"}),
        }
    }
}

/// The fields of one run: names from the data model, kinds for generating values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    pub object_type: String,
    /// The text field that carries each sequence's marker; steps never change it.
    pub marker_field: String,
    /// The writable fields, indexed by the `u8` in steps.
    pub fields: Vec<(String, Kind)>,
}

impl Schema {
    /// The schema for `object_type` in `datamodel`, with `marker_field` as the marker; `None` when the
    /// marker is not a text field of that type.
    pub fn discover(datamodel: &Value, object_type: &str, marker_field: &str) -> Option<Schema> {
        let fields = datamodel.pointer(&format!("/models/{object_type}/fields"))?.as_object()?;
        let kind_of = |spec: &Value| match spec.get("type").and_then(Value::as_str) {
            Some("text") => Some(Kind::Text),
            Some("integer") => Some(Kind::Integer),
            Some("boolean") => Some(Kind::Boolean),
            _ => None,
        };
        if kind_of(fields.get(marker_field)?) != Some(Kind::Text) {
            return None;
        }
        let mut chosen: Vec<(String, Kind)> = Vec::new();
        // One field of each kind first, so a model with many text fields still gets numbers and booleans.
        for want in [Kind::Text, Kind::Integer, Kind::Boolean, Kind::Text, Kind::Integer] {
            if chosen.len() == MAX_FIELDS {
                break;
            }
            let next = fields.iter().find(|(name, spec)| {
                name.as_str() != marker_field && kind_of(spec) == Some(want) && !chosen.iter().any(|(n, _)| n == *name)
            });
            if let Some((name, _)) = next {
                chosen.push((name.clone(), want));
            }
        }
        Some(Schema { object_type: object_type.to_string(), marker_field: marker_field.to_string(), fields: chosen })
    }

    /// The name of writable field `i` (an index a regression file may carry past the schema's end).
    pub fn name(&self, i: u8) -> Option<&str> {
        self.fields.get(usize::from(i)).map(|(n, _)| n.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_picks_one_field_per_kind_and_never_the_marker() {
        let model = json!({"models": {"task": {"fields": {
            "name": {"type": "text"}, "notes": {"type": "text"}, "count": {"type": "integer"},
            "done": {"type": "boolean"}, "due": {"type": "date"}
        }}}});
        let s = Schema::discover(&model, "task", "name").expect("schema");
        assert_eq!(
            s.fields,
            vec![("notes".into(), Kind::Text), ("count".into(), Kind::Integer), ("done".into(), Kind::Boolean)]
        );
        assert!(Schema::discover(&model, "task", "count").is_none());
        assert!(Schema::discover(&model, "nothing", "name").is_none());
    }
}
