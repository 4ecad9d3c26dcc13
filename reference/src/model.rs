//! The fixture data model every account shares, and its `datamodel.json` form.

use serde_json::{json, Map, Value};

/// Field types of spec §4; choice types carry their options so validation and read-back agree.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldType {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    Datetime,
    SingleChoice(&'static [(&'static str, &'static str)]),
    SingleChoiceInteger(&'static [(i64, &'static str)]),
    MultipleChoice(&'static [(&'static str, &'static str)]),
    MultipleChoiceInteger(&'static [(i64, &'static str)]),
    Location,
    Attachment,
    Photo,
    Signature,
}

impl FieldType {
    /// The type name as `datamodel.json` spells it.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::SingleChoice(_) => "single-choice",
            FieldType::SingleChoiceInteger(_) => "single-choice-integer",
            FieldType::MultipleChoice(_) => "multiple-choice",
            FieldType::MultipleChoiceInteger(_) => "multiple-choice-integer",
            FieldType::Location => "location",
            FieldType::Attachment => "attachment",
            FieldType::Photo => "photo",
            FieldType::Signature => "signature",
        }
    }
}

/// One field of a model.
#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub ty: FieldType,
}

/// A belongs-to relationship; it is written and read as the field `{name}_id`.
#[derive(Debug)]
pub struct BelongsTo {
    pub name: &'static str,
    pub target: &'static str,
    /// The field that carries the related ID: always `{name}_id`, spelled out to keep it `'static`.
    pub field: &'static str,
}

/// One object type.
#[derive(Debug)]
pub struct Model {
    pub name: &'static str,
    pub label: &'static str,
    /// Display template, as JourneyApps models carry one; objects show their `name` when set.
    pub display: &'static str,
    pub fields: &'static [Field],
    pub belongs_to: &'static [BelongsTo],
}

impl Model {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The relationship written as `name` (e.g. `category_id`), if any.
    pub fn relation_by_field(&self, name: &str) -> Option<&'static BelongsTo> {
        self.belongs_to.iter().find(|b| b.field == name)
    }
}

const STATUS: &[(&str, &str)] = &[("open", "Open"), ("in_progress", "In Progress"), ("closed", "Closed")];
const PRIORITY: &[(i64, &str)] = &[(1, "Low"), (2, "Medium"), (3, "High")];
const TAGS: &[(&str, &str)] = &[("red", "Red"), ("green", "Green"), ("blue", "Blue")];
const LEVELS: &[(i64, &str)] = &[(1, "One"), (2, "Two"), (3, "Three")];

const fn f(name: &'static str, label: &'static str, ty: FieldType) -> Field {
    Field { name, label, ty }
}

static MODELS: &[Model] = &[
    Model {
        name: "category",
        label: "Category",
        display: "{name}",
        fields: &[f("name", "Name", FieldType::Text), f("code", "Code", FieldType::Integer)],
        belongs_to: &[],
    },
    Model {
        name: "task",
        label: "Task",
        display: "{name}",
        fields: &[
            f("name", "Name", FieldType::Text),
            f("description", "Description", FieldType::Text),
            f("count", "Count", FieldType::Integer),
            f("score", "Score", FieldType::Number),
            f("done", "Done", FieldType::Boolean),
            f("due_on", "Due On", FieldType::Date),
            f("due_at", "Due At", FieldType::Datetime),
            f("status", "Status", FieldType::SingleChoice(STATUS)),
            f("priority", "Priority", FieldType::SingleChoiceInteger(PRIORITY)),
            f("tags", "Tags", FieldType::MultipleChoice(TAGS)),
            f("levels", "Levels", FieldType::MultipleChoiceInteger(LEVELS)),
            f("place", "Place", FieldType::Location),
            f("attachment", "Attachment", FieldType::Attachment),
            f("photo", "Photo", FieldType::Photo),
            f("signature", "Signature", FieldType::Signature),
        ],
        belongs_to: &[BelongsTo { name: "category", target: "category", field: "category_id" }],
    },
];

/// The model of a type name from a path or batch operation.
pub fn find(name: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.name == name)
}

fn field_json(field: &Field) -> Value {
    let mut out = json!({ "name": field.name, "label": field.label, "type": field.ty.name() });
    let options: Option<Vec<Value>> = match field.ty {
        FieldType::SingleChoice(opts) | FieldType::MultipleChoice(opts) => {
            Some(opts.iter().map(|(k, d)| json!({ "key": k, "display": d })).collect())
        }
        FieldType::SingleChoiceInteger(opts) | FieldType::MultipleChoiceInteger(opts) => {
            Some(opts.iter().map(|(k, d)| json!({ "key": k, "display": d })).collect())
        }
        _ => None,
    };
    if let (Some(options), Some(obj)) = (options, out.as_object_mut()) {
        obj.insert("options".into(), Value::Array(options));
    }
    out
}

fn models_json() -> Value {
    let mut models = Map::new();
    for model in MODELS {
        let fields: Map<String, Value> = model.fields.iter().map(|f| (f.name.to_string(), field_json(f))).collect();
        let belongs_to: Map<String, Value> = model
            .belongs_to
            .iter()
            .map(|b| (b.name.to_string(), json!({ "name": b.name, "type": b.target })))
            .collect();
        models.insert(
            model.name.to_string(),
            json!({
                "name": model.name,
                "label": model.label,
                "display": model.display,
                "fields": fields,
                "belongs_to": belongs_to,
            }),
        );
    }
    Value::Object(models)
}

/// FNV-1a, twice with different offsets: a stable fingerprint of the model, not a security hash.
fn fingerprint(bytes: &[u8]) -> String {
    let fnv = |offset: u64| bytes.iter().fold(offset, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{:016x}{:016x}", fnv(0xcbf2_9ce4_8422_2325), fnv(0x84222325_cbf29ce4))
}

/// The hash clients compare to notice model changes; also the ETag.
pub fn datamodel_hash() -> String {
    fingerprint(models_json().to_string().as_bytes())
}

/// The `datamodel.json` document.
pub fn datamodel_json() -> Value {
    json!({ "models": models_json(), "datamodel_hash": datamodel_hash() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datamodel_lists_fields_options_and_relations() {
        let doc = datamodel_json();
        let task = &doc["models"]["task"];
        assert_eq!(task["fields"]["priority"]["type"], "single-choice-integer");
        assert_eq!(task["fields"]["priority"]["options"][2], json!({"key": 3, "display": "High"}));
        assert_eq!(task["fields"]["status"]["options"][0]["key"], "open");
        assert_eq!(task["belongs_to"]["category"], json!({"name": "category", "type": "category"}));
        assert_eq!(task["fields"].as_object().unwrap().len(), 15);
        assert_eq!(doc["models"]["category"]["fields"]["code"]["type"], "integer");
        let hash = doc["datamodel_hash"].as_str().unwrap();
        assert_eq!(hash.len(), 32);
        assert_eq!(hash, datamodel_hash(), "stable");
    }

    #[test]
    fn relation_fields_resolve() {
        let task = find("task").unwrap();
        assert_eq!(task.relation_by_field("category_id").map(|b| b.target), Some("category"));
        assert!(task.relation_by_field("category").is_none());
        assert!(find("nope").is_none());
    }
}
