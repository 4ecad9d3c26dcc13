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

/// Validate a flat field map against a model. `exists(target_type, id)` answers belongs-to lookups,
/// `file(id)` the attachments a `{field}_id` may name. Unknown keys are INVALID_VALUE: silently
/// dropping them would hide client typos.
pub fn validate_changes(
    model: &Model,
    entries: &[(String, Json)],
    exists: &dyn Fn(&str, Uuid) -> bool,
    file: &dyn Fn(Uuid) -> Option<Stored>,
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
                    if read_back_file(field.ty.is_file(), v) && entries.iter().any(|(k, _)| is_id_of(k, name)) {
                        // A file as read back (`{state, original, …}`) next to its `{field}_id`: the ID decides.
                        continue;
                    }
                    changes.fields.insert(field.name, validate(field.name, field.ty, v)?);
                } else if let Some(field) = file_field(model, name) {
                    // A file field's `{field}_id` as read back: keep (or share) an attachment already stored.
                    let value = match v {
                        Json::Null => None,
                        Json::String(s) => Some(
                            parse_id(s)
                                .and_then(file)
                                .ok_or_else(|| invalid(name, "no attachment found with that ID"))?,
                        ),
                        _ => return Err(invalid(name, "expected an attachment ID")),
                    };
                    let uploads = entries.iter().any(|(k, v)| k == field && !read_back_file(true, v));
                    if !uploads {
                        changes.fields.insert(field, value);
                    }
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

/// Whether a file field's value is its read-back form (a `state`, no `base64`) rather than an upload.
fn read_back_file(is_file: bool, v: &Json) -> bool {
    is_file && v.get("state").is_some() && v.get("base64").is_none()
}

fn is_id_of(key: &str, field: &str) -> bool {
    key.strip_suffix("_id") == Some(field)
}

/// The file field whose `{field}_id` this key is.
fn file_field(model: &Model, key: &str) -> Option<&'static str> {
    let field = model.field(key.strip_suffix("_id")?)?;
    field.ty.is_file().then_some(field.name)
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
        let no_file = |_: Uuid| None;
        let err = validate_changes(task, &entries(r#"{"bogus":1}"#), &none, &no_file).unwrap_err();
        assert_eq!(err.kind, ErrorType::InvalidValue);
        assert!(err.detail.contains("bogus"));
        let ok =
            validate_changes(task, &entries(r#"{"type":"x","updated_at":5,"display":[],"name":"n"}"#), &none, &no_file)
                .unwrap();
        assert_eq!(ok.fields.len(), 1);
        let kind = |text: &str| validate_changes(task, &entries(text), &none, &no_file).unwrap_err().kind;
        assert_eq!(kind(r#"{"id":7}"#), ErrorType::InvalidValue);
        assert_eq!(kind(r#"{"photo_id":"550e8400-e29b-41d4-a716-446655440000"}"#), ErrorType::InvalidValue);
        assert_eq!(kind(r#"{"photo_id":7}"#), ErrorType::InvalidValue);
        assert_eq!(kind(r#"{"name_id":"x"}"#), ErrorType::InvalidValue, "only file fields have an _id");
    }

    #[test]
    fn a_file_id_keeps_a_stored_attachment() {
        let task = model::find("task").unwrap();
        let id = Uuid::new_v4();
        let stored = Stored::File { id, filename: "a.txt".into(), bytes: Default::default(), token: "t".into() };
        let file = |want: Uuid| (want == id).then(|| stored.clone());
        let doc = parse(format!(r#"{{"photo_id":"{id}"}}"#).as_bytes()).unwrap();
        let Json::Object(entries) = doc else { panic!() };
        let changes = validate_changes(task, &entries, &|_, _| false, &file).unwrap();
        assert_eq!(changes.fields.get("photo"), Some(&Some(stored.clone())));
        let cleared = validate_changes(task, &[("photo_id".into(), Json::Null)], &|_, _| false, &file).unwrap();
        assert_eq!(cleared.fields.get("photo"), Some(&None));
        // The object as read back (`photo_id` plus `photo: {state, …}`) writes back unchanged.
        let read =
            parse(format!(r#"{{"photo":{{"state":"uploaded","original":"http://x"}},"photo_id":"{id}"}}"#).as_bytes())
                .unwrap();
        let Json::Object(entries) = read else { panic!() };
        let changes = validate_changes(task, &entries, &|_, _| false, &file).unwrap();
        assert_eq!(changes.fields.get("photo"), Some(&Some(stored.clone())));
        // Without its ID the read-back form is no upload: INVALID_VALUE, as before.
        let alone = parse(br#"{"photo":{"state":"uploaded"}}"#).unwrap();
        let Json::Object(entries) = alone else { panic!() };
        assert!(validate_changes(task, &entries, &|_, _| false, &file).is_err());
        // An upload next to an old ID replaces the file.
        let both = parse(format!(r#"{{"photo":{{"base64":"aGk=","filename":"n.png"}},"photo_id":"{id}"}}"#).as_bytes())
            .unwrap();
        let Json::Object(entries) = both else { panic!() };
        let changes = validate_changes(task, &entries, &|_, _| false, &file).unwrap();
        assert!(
            matches!(changes.fields.get("photo"), Some(Some(Stored::File { filename, .. })) if filename == "n.png")
        );
    }
}
