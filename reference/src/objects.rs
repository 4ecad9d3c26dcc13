//! Object operations shared by the single-object routes and batch: find, list, create, patch, put, delete.

use crate::error::{ApiError, ErrorType};
use crate::json::Json;
use crate::model::{BelongsTo, Model};
use crate::query;
use crate::store::{AccountData, Object};
use crate::values::{self, parse_id, Changes};
use chrono::{Datelike, Timelike};
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// `updated_at` and other server timestamps, always UTC with `Z`.
pub fn timestamp(t: &chrono::NaiveDateTime) -> String {
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// The read-back form of an object: server keys, then every field (unset ones as `null`).
pub fn render(model: &Model, object: &Object, base: &str) -> Value {
    let display = match object.fields.get("name") {
        Some(values::Stored::Text(name)) if !name.is_empty() => name.clone(),
        _ => format!("{} {}", model.label, object.id),
    };
    let mut out = Map::new();
    out.insert("id".into(), json!(object.id.to_string()));
    out.insert("type".into(), json!(model.name));
    out.insert("updated_at".into(), json!(timestamp(&object.updated_at)));
    out.insert("display".into(), json!(display));
    for field in model.fields {
        let stored = object.fields.get(field.name);
        if field.ty.is_file() {
            out.insert(format!("{}_id", field.name), values::file_id(stored));
        }
        let value = stored.map(|v| values::read_back(Some(field.ty), v, base));
        out.insert(field.name.into(), value.unwrap_or(Value::Null));
    }
    for rel in model.belongs_to {
        let value = object.fields.get(rel.field).map(|v| values::read_back(None, v, base));
        out.insert(rel.field.into(), value.unwrap_or(Value::Null));
    }
    Value::Object(out)
}

/// OBJECT_NOT_FOUND; the ID is quoted only when well-formed, so no client text is echoed.
pub fn not_found(model_name: &str, id: &str) -> ApiError {
    match parse_id(id) {
        Some(id) => ApiError::new(ErrorType::ObjectNotFound, format!("No {model_name} found with ID: '{id}'")),
        None => ApiError::new(
            ErrorType::ObjectNotFound,
            format!("No {model_name} found with that ID (IDs are lowercase UUIDs)."),
        ),
    }
}

/// The existing object with this ID, or OBJECT_NOT_FOUND (malformed IDs included).
pub fn find<'a>(data: &'a AccountData, model: &Model, id: &str) -> Result<&'a Object, ApiError> {
    parse_id(id).and_then(|uuid| data.get(model.name, uuid)).ok_or_else(|| not_found(model.name, id))
}

/// An object as read back plus, under each relation's name, the related object (or null) of every
/// `embed`ded belongs-to relation.
fn embedded(data: &AccountData, model: &Model, object: &Object, embed: &[&BelongsTo], base: &str) -> Value {
    let mut shown = render(model, object, base);
    for rel in embed {
        let related = match (object.fields.get(rel.field), crate::model::find(rel.target)) {
            (Some(values::Stored::Ref(id)), Some(target)) => {
                data.get(target.name, *id).map(|r| render(target, r, base)).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        };
        if let Some(map) = shown.as_object_mut() {
            map.insert(rel.name.into(), related);
        }
    }
    shown
}

/// The single-object read, with the relations its `embed` parameters name.
pub fn get(
    data: &AccountData,
    model: &Model,
    id: &str,
    raw_query: Option<&str>,
    base: &str,
) -> Result<Value, ApiError> {
    let object = find(data, model, id)?;
    let embed = query::parse_embed(model, raw_query)?;
    Ok(embedded(data, model, object, &embed, base))
}

/// The answer to `POST objects/{type}/search.json`: the list envelope of the objects with `text` in any
/// text field, ignoring case (the vendor's staff describe search as the one case-insensitive read); the
/// URL's list parameters page and sort it.
pub fn search(
    data: &AccountData,
    model: &Model,
    text: &str,
    raw_query: Option<&str>,
    base: &str,
) -> Result<Value, ApiError> {
    let params = query::parse_list(model, raw_query)?;
    let needle = text.to_lowercase();
    let found = data
        .list(model.name)
        .into_iter()
        .filter(|o| {
            o.fields.values().any(|v| matches!(v, values::Stored::Text(t) if t.to_lowercase().contains(&needle)))
        })
        .collect();
    Ok(page_of(data, model, &params, found, base))
}

/// The list endpoint's answer.
pub fn list(data: &AccountData, model: &Model, raw_query: Option<&str>, base: &str) -> Result<Value, ApiError> {
    let params = query::parse_list(model, raw_query)?;
    Ok(page(data, model, &params, base))
}

/// The answer to `POST objects/{type}/query.json`: the list envelope for the body's conditions.
pub fn query(data: &AccountData, model: &Model, doc: &Json, base: &str) -> Result<Value, ApiError> {
    let params = query::parse_query_body(model, doc)?;
    Ok(page(data, model, &params, base))
}

/// One page of matches: `objects`, `count`, `more` and `total` (unless `total=false` left it out),
/// and each embedded relation's object under the relation name.
fn page(data: &AccountData, model: &Model, params: &query::ListParams, base: &str) -> Value {
    page_of(data, model, params, data.list(model.name), base)
}

/// The list envelope of `objects` (already narrowed) after the parameters' filters, sort and paging.
fn page_of(data: &AccountData, model: &Model, params: &query::ListParams, objects: Vec<&Object>, base: &str) -> Value {
    let (page, total) = query::apply(params, objects);
    let count = page.len();
    let objects: Vec<Value> = page.iter().map(|o| embedded(data, model, o, &params.embed, base)).collect();
    // Built as a map, not by `json!`, which would serialise the whole page into a second copy.
    let mut out = Map::new();
    out.insert("objects".into(), Value::Array(objects));
    out.insert("count".into(), json!(count));
    out.insert("more".into(), json!(params.skip.saturating_add(count) < total));
    if params.total {
        out.insert("total".into(), json!(total));
    }
    Value::Object(out)
}

fn changes(data: &AccountData, model: &Model, entries: &[(String, Json)]) -> Result<Changes, ApiError> {
    values::validate_changes(model, entries, &|target, id| data.exists(target, id), &|id| data.file_value(id))
}

/// On update an `id` in the body may only repeat the path ID; a different one would be a silent no-op.
fn check_same_id(changes: &Changes, id: Uuid) -> Result<(), ApiError> {
    match changes.id {
        Some(given) if given != id => {
            Err(ApiError::invalid_value("Field 'id' does not match the ID of the object being updated."))
        }
        _ => Ok(()),
    }
}

/// Create; an `id` in the body is used when it is a free, well-formed UUID (else INVALID_VALUE).
pub fn create(data: &mut AccountData, model: &'static Model, entries: &[(String, Json)]) -> Result<Object, ApiError> {
    let changes = changes(data, model, entries)?;
    let id = match changes.id {
        Some(id) if data.exists(model.name, id) => {
            return Err(ApiError::invalid_value(format!("An object with ID '{id}' already exists.")))
        }
        Some(id) => id,
        None => Uuid::new_v4(),
    };
    Ok(data.create(model.name, id, changes.fields))
}

/// Partial update: omitted fields keep their values, `null` clears.
pub fn patch(
    data: &mut AccountData,
    model: &'static Model,
    id: &str,
    entries: &[(String, Json)],
) -> Result<Object, ApiError> {
    let uuid = find(data, model, id)?.id;
    let changes = changes(data, model, entries)?;
    check_same_id(&changes, uuid)?;
    data.update(model.name, uuid, changes.fields, false).ok_or_else(|| not_found(model.name, id))
}

/// Full replace, or create under the given ID (documented upsert); the bool says it was created.
pub fn put(
    data: &mut AccountData,
    model: &'static Model,
    id: &str,
    entries: &[(String, Json)],
) -> Result<(Object, bool), ApiError> {
    let uuid = parse_id(id).ok_or_else(|| not_found(model.name, id))?;
    let changes = changes(data, model, entries)?;
    check_same_id(&changes, uuid)?;
    if data.exists(model.name, uuid) {
        let object = data.update(model.name, uuid, changes.fields, true).ok_or_else(|| not_found(model.name, id))?;
        Ok((object, false))
    } else {
        Ok((data.create(model.name, uuid, changes.fields), true))
    }
}

pub fn delete(data: &mut AccountData, model: &'static Model, id: &str) -> Result<Object, ApiError> {
    let uuid = find(data, model, id)?.id;
    data.delete(model.name, uuid).ok_or_else(|| not_found(model.name, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::model;

    fn fields(text: &str) -> Vec<(String, Json)> {
        match parse(text.as_bytes()).unwrap() {
            Json::Object(entries) => entries,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn failed_writes_change_nothing() {
        let task = model::find("task").unwrap();
        let mut data = AccountData::default();
        let made = create(&mut data, task, &fields(r#"{"name":"a","count":1}"#)).unwrap();
        let id = made.id.to_string();
        let before = render(task, data.get("task", made.id).unwrap(), "");
        assert_eq!(
            patch(&mut data, task, &id, &fields(r#"{"name":"b","count":"x"}"#)).unwrap_err().kind,
            ErrorType::InvalidValue
        );
        assert_eq!(
            put(&mut data, task, &id, &fields(r#"{"status":"test"}"#)).unwrap_err().kind,
            ErrorType::InvalidValue
        );
        assert_eq!(render(task, data.get("task", made.id).unwrap(), ""), before);
        assert_eq!(data.oplog().len(), 1);
        assert_eq!(create(&mut data, task, &fields(r#"{"done":1}"#)).unwrap_err().kind, ErrorType::InvalidValue);
        assert_eq!(data.list("task").len(), 1);
    }

    #[test]
    fn ids_in_bodies() {
        let task = model::find("task").unwrap();
        let mut data = AccountData::default();
        let id = "550e8400-e29b-41d4-a716-446655440000";
        let made = create(&mut data, task, &fields(&format!(r#"{{"id":"{id}"}}"#))).unwrap();
        assert_eq!(made.id.to_string(), id);
        let again = create(&mut data, task, &fields(&format!(r#"{{"id":"{id}"}}"#)));
        assert_eq!(again.unwrap_err().kind, ErrorType::InvalidValue);
        let upper = create(&mut data, task, &fields(r#"{"id":"550E8400-E29B-41D4-A716-446655440001"}"#));
        assert_eq!(upper.unwrap_err().kind, ErrorType::InvalidValue);
        let other = "550e8400-e29b-41d4-a716-446655440009";
        let mismatch = patch(&mut data, task, id, &fields(&format!(r#"{{"id":"{other}"}}"#)));
        assert_eq!(mismatch.unwrap_err().kind, ErrorType::InvalidValue);
        assert!(patch(&mut data, task, id, &fields(&format!(r#"{{"id":"{id}","type":"x","display":1}}"#))).is_ok());
    }

    #[test]
    fn put_upserts_and_replaces() {
        let task = model::find("task").unwrap();
        let mut data = AccountData::default();
        let id = "550e8400-e29b-41d4-a716-446655440000";
        let (_, created) = put(&mut data, task, id, &fields(r#"{"name":"a","count":2}"#)).unwrap();
        assert!(created);
        let (object, created) = put(&mut data, task, id, &fields(r#"{"count":3}"#)).unwrap();
        assert!(!created);
        let shown = render(task, &object, "");
        assert_eq!(shown["name"], Value::Null);
        assert_eq!(shown["count"], 3);
        assert_eq!(put(&mut data, task, "not-a-uuid", &[]).unwrap_err().kind, ErrorType::ObjectNotFound);
        assert_eq!(delete(&mut data, task, id).unwrap().id.to_string(), id);
        assert_eq!(delete(&mut data, task, id).unwrap_err().kind, ErrorType::ObjectNotFound);
        assert_eq!(patch(&mut data, task, id, &[]).unwrap_err().kind, ErrorType::ObjectNotFound);
    }
}
