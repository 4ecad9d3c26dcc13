//! The fixture data model every account shares (its documents are in `datamodel.rs`).

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
    /// Whether values are files (read back as `{field}_id` plus `{field}: {state, URLs}`).
    pub fn is_file(self) -> bool {
        matches!(self, FieldType::Attachment | FieldType::Photo | FieldType::Signature)
    }

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
    /// A text field's presentation hint, as the data model names it (e.g. `paragraph`).
    pub subtype: Option<&'static str>,
}

/// A belongs-to relationship; it is written and read as the field `{name}_id`.
#[derive(Debug)]
pub struct BelongsTo {
    pub name: &'static str,
    pub target: &'static str,
    /// The field that carries the related ID: always `{name}_id`, spelled out to keep it `'static`.
    pub field: &'static str,
    /// The has-many name the target model lists this relation under.
    pub inverse: &'static str,
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
    Field { name, label, ty, subtype: None }
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
            Field { subtype: Some("paragraph"), ..f("description", "Description", FieldType::Text) },
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
        belongs_to: &[BelongsTo { name: "category", target: "category", field: "category_id", inverse: "tasks" }],
    },
];

/// The model of a type name from a path or batch operation.
pub fn find(name: &str) -> Option<&'static Model> {
    MODELS.iter().find(|m| m.name == name)
}

/// Every model, in data model order.
pub fn all() -> &'static [Model] {
    MODELS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_fields_resolve() {
        let task = find("task").unwrap();
        assert_eq!(task.relation_by_field("category_id").map(|b| b.target), Some("category"));
        assert!(task.relation_by_field("category").is_none());
        assert!(find("nope").is_none());
    }
}
