//! Validation of a whole create/update body against a model.

use super::validate::invalid;
use super::{parse_id, validate, validate_ref, Stored};
use crate::error::{safe_quote, ApiError};
use crate::json::Json;
use crate::model::Model;
use std::collections::BTreeMap;
use uuid::Uuid;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorType;
    use crate::json::parse;
    use crate::model;

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
