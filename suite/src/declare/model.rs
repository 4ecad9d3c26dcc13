//! The target's data model, read tolerantly from `GET datamodel.json`: unknown keys are ignored and a
//! field of an unknown type is set aside with a note, never a crash. Two shapes are read: the service's
//! (the vendor client's definitions: `belongs_to`/`has_many` as `{rel: {model, name}}`, field `subtype`,
//! top-level `app_user`, the `track` type) and the reference's older one (`{rel: {name, type}}` or a list).

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The field types of Field Representation the suite writes values to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKind {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    SingleChoice,
    SingleChoiceInteger,
    MultipleChoice,
    MultipleChoiceInteger,
    Location,
    Attachment,
    Photo,
    Signature,
}

impl FieldKind {
    /// Every documented field type, in spec order.
    pub const ALL: [FieldKind; 14] = [
        FieldKind::Text,
        FieldKind::Integer,
        FieldKind::Number,
        FieldKind::Boolean,
        FieldKind::Date,
        FieldKind::Datetime,
        FieldKind::SingleChoice,
        FieldKind::SingleChoiceInteger,
        FieldKind::MultipleChoice,
        FieldKind::MultipleChoiceInteger,
        FieldKind::Location,
        FieldKind::Attachment,
        FieldKind::Photo,
        FieldKind::Signature,
    ];

    /// The type name as `datamodel.json` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Integer => "integer",
            FieldKind::Number => "number",
            FieldKind::Boolean => "boolean",
            FieldKind::Date => "date",
            FieldKind::Datetime => "datetime",
            FieldKind::SingleChoice => "single-choice",
            FieldKind::SingleChoiceInteger => "single-choice-integer",
            FieldKind::MultipleChoice => "multiple-choice",
            FieldKind::MultipleChoiceInteger => "multiple-choice-integer",
            FieldKind::Location => "location",
            FieldKind::Attachment => "attachment",
            FieldKind::Photo => "photo",
            FieldKind::Signature => "signature",
        }
    }

    /// Parses a type name; `None` for types the spec does not document.
    pub fn from_name(name: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOption {
    pub key: Value,
    pub display: Option<String>,
}

/// One field of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    pub options: Vec<ChoiceOption>,
    /// The service's refinement of the type, e.g. `text:email`; the suite writes by `kind` only.
    pub subtype: Option<String>,
}

/// Types the service's model may hold that the suite writes no values to: not undocumented, just untested.
const UNTESTED_KINDS: &[&str] = &["track"];

/// A belongs-to relationship: the object holds `{name}_id`, the ID of a `target` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub name: String,
    pub target: String,
}

/// One object type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectType {
    pub name: String,
    pub fields: BTreeMap<String, Field>,
    pub belongs_to: Vec<Relation>,
    /// The inverse relations (`has_many`), read for completeness; no case writes through them.
    pub has_many: Vec<Relation>,
}

/// The whole model, plus notes on what was set aside.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataModel {
    pub types: BTreeMap<String, ObjectType>,
    /// Fields skipped because their type is not documented or not tested, as `type.field: kind`.
    pub notes: Vec<String>,
    /// The model that represents app users (the service's top-level `app_user`), when named.
    pub app_user: Option<String>,
}

impl DataModel {
    /// Reads `datamodel.json` in either shape; anything unexpected is skipped.
    pub fn parse(doc: &Value) -> DataModel {
        let mut model = DataModel {
            app_user: doc.get("app_user").and_then(Value::as_str).map(str::to_string),
            ..DataModel::default()
        };
        let Some(models) = doc.get("models").and_then(Value::as_object) else { return model };
        for (type_name, spec) in models {
            let mut object = ObjectType { name: type_name.clone(), ..ObjectType::default() };
            for (field_name, field) in spec.get("fields").and_then(Value::as_object).into_iter().flatten() {
                let kind_name = field.get("type").and_then(Value::as_str).unwrap_or("");
                let Some(kind) = FieldKind::from_name(kind_name) else {
                    let why = if UNTESTED_KINDS.contains(&kind_name) { "untested" } else { "undocumented" };
                    model.notes.push(format!("{type_name}.{field_name}: {why} field type `{kind_name}` skipped"));
                    continue;
                };
                let subtype = field.get("subtype").and_then(Value::as_str).map(str::to_string);
                let field = Field { name: field_name.clone(), kind, options: options(field), subtype };
                object.fields.insert(field_name.clone(), field);
            }
            object.belongs_to = relations(spec.get("belongs_to"));
            object.has_many = relations(spec.get("has_many"));
            model.types.insert(type_name.clone(), object);
        }
        model
    }

    /// The first field of `kind`, preferring the `preferred` type: (type, field).
    pub fn field_of_kind(&self, kind: FieldKind, preferred: &str) -> Option<(&ObjectType, &Field)> {
        let ordered = self.types.get(preferred).into_iter().chain(self.types.values().filter(|t| t.name != preferred));
        for t in ordered {
            // Fields with options are only usable when the model lists them.
            let usable = |f: &&Field| f.kind == kind && (!is_choice(kind) || !f.options.is_empty());
            if let Some(f) = t.fields.values().find(usable) {
                return Some((t, f));
            }
        }
        None
    }

    /// The first belongs-to relation whose target type is in the model, preferring `preferred`.
    pub fn relation(&self, preferred: &str) -> Option<(&ObjectType, &Relation)> {
        let ordered = self.types.get(preferred).into_iter().chain(self.types.values().filter(|t| t.name != preferred));
        for t in ordered {
            if let Some(r) = t.belongs_to.iter().find(|r| self.types.contains_key(&r.target)) {
                return Some((t, r));
            }
        }
        None
    }
}

impl ObjectType {
    /// A text field where a marker can go (not `except`).
    pub fn text_field(&self, except: &str) -> Option<&str> {
        self.fields.values().find(|f| f.kind == FieldKind::Text && f.name != except).map(|f| f.name.as_str())
    }
}

/// A choice field's options: a list of `{key, display}` or a map of key to display label.
fn options(field: &Value) -> Vec<ChoiceOption> {
    match field.get("options") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|o| {
                let key = o.get("key")?.clone();
                Some(ChoiceOption { key, display: o.get("display").and_then(Value::as_str).map(str::to_string) })
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, d)| ChoiceOption { key: Value::String(k.clone()), display: d.as_str().map(str::to_string) })
            .collect(),
        _ => Vec::new(),
    }
}

/// Relations as `{rel: {model | type, name}}` (the service names the target `model`, the reference `type`) or
/// as a list of `{name, type}`; a relation naming no target points at the type of its own name.
fn relations(doc: Option<&Value>) -> Vec<Relation> {
    let target = |r: &Value, fallback: &str| {
        r.get("model").or_else(|| r.get("type")).and_then(Value::as_str).unwrap_or(fallback).to_string()
    };
    match doc {
        Some(Value::Object(rels)) => {
            rels.iter().map(|(rel, r)| Relation { name: rel.clone(), target: target(r, rel) }).collect()
        }
        Some(Value::Array(rels)) => rels
            .iter()
            .filter_map(|r| {
                let name = r.get("name").and_then(Value::as_str)?;
                Some(Relation { name: name.to_string(), target: target(r, name) })
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn is_choice(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::SingleChoice
            | FieldKind::SingleChoiceInteger
            | FieldKind::MultipleChoice
            | FieldKind::MultipleChoiceInteger
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_tolerantly_and_notes_unknown_types() {
        let doc = json!({"models": {
            "task": {"fields": {
                "name": {"name": "name", "type": "text"},
                "status": {"type": "single-choice", "options": [{"key": "open", "display": "Open"}, {"nokey": 1}]},
                "odd": {"type": "hologram"},
                "bare": {}
            }, "belongs_to": {"category": {"name": "category", "type": "category"}}, "extra": [1, 2]},
            "category": {"fields": {"name": {"type": "text"}}, "belongs_to": [{"name": "parent", "type": "category"}]},
            "weird": "not an object"
        }, "datamodel_hash": "x"});
        let m = DataModel::parse(&doc);
        assert_eq!(m.types.len(), 3);
        let task = &m.types["task"];
        assert_eq!(task.fields.len(), 2);
        assert_eq!(task.fields["status"].options.len(), 1);
        assert_eq!(task.belongs_to, vec![Relation { name: "category".into(), target: "category".into() }]);
        assert_eq!(m.types["category"].belongs_to[0].name, "parent");
        assert_eq!(m.notes.len(), 2, "{:?}", m.notes);
        assert_eq!(
            m.field_of_kind(FieldKind::SingleChoice, "category").map(|(t, f)| (t.name.as_str(), f.name.as_str())),
            Some(("task", "status"))
        );
        assert!(m.field_of_kind(FieldKind::Photo, "task").is_none());
        assert_eq!(
            m.relation("category").map(|(t, r)| (t.name.as_str(), r.name.as_str())),
            Some(("category", "parent"))
        );
        assert!(DataModel::parse(&json!("garbage")).types.is_empty());
    }

    /// The service's shape, as the vendor client's definitions describe it.
    #[test]
    fn reads_the_services_shape() {
        let doc = json!({"app_user": "user", "datamodel_hash": "h", "models": {
            "task": {"name": "task", "label": "Task", "display": "{name}", "fields": {
                "name": {"name": "name", "label": "Name", "type": "text", "subtype": "text:paragraph"},
                "route": {"name": "route", "label": "Route", "type": "track"},
                "status": {"name": "status", "type": "single-choice", "options": {"open": "Open", "done": "Done"}}
            }, "belongs_to": {"owner": {"model": "user", "name": "owner"}},
               "has_many": {"notes": {"model": "note", "name": "task"}}},
            "user": {"name": "user", "fields": {"name": {"name": "name", "type": "text"}}, "belongs_to": {}, "has_many": {}}
        }});
        let m = DataModel::parse(&doc);
        assert_eq!(m.app_user.as_deref(), Some("user"));
        let task = &m.types["task"];
        assert_eq!(task.belongs_to, vec![Relation { name: "owner".into(), target: "user".into() }]);
        assert_eq!(task.has_many, vec![Relation { name: "notes".into(), target: "note".into() }]);
        assert_eq!(task.fields["name"].subtype.as_deref(), Some("text:paragraph"));
        assert_eq!(task.fields["status"].options.len(), 2);
        assert!(!task.fields.contains_key("route"));
        assert_eq!(m.notes, vec!["task.route: untested field type `track` skipped".to_string()]);
        assert_eq!(m.relation("task").map(|(_, r)| r.target.as_str()), Some("user"));
    }
}
