//! The data model documents: `datamodel.json` in the shape the vendor's clients read
//! (`belongs_to`/`has_many` as `{model, name}`, field `subtype`, top-level `app_user`) and
//! `datamodel.xml`, the schema XML the vendor's db client loads.

use crate::model::{self, Field, FieldType, Model};
use quick_xml::events::BytesText;
use quick_xml::Writer;
use serde_json::{json, Map, Value};
use std::sync::LazyLock;

fn options_json(ty: FieldType) -> Option<Vec<Value>> {
    match ty {
        FieldType::SingleChoice(opts) | FieldType::MultipleChoice(opts) => {
            Some(opts.iter().map(|(k, d)| json!({ "key": k, "display": d })).collect())
        }
        FieldType::SingleChoiceInteger(opts) | FieldType::MultipleChoiceInteger(opts) => {
            Some(opts.iter().map(|(k, d)| json!({ "key": k, "display": d })).collect())
        }
        _ => None,
    }
}

fn field_json(field: &Field) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(field.name));
    out.insert("label".into(), json!(field.label));
    out.insert("type".into(), json!(field.ty.name()));
    out.insert("subtype".into(), json!(field.subtype));
    if let Some(options) = options_json(field.ty) {
        out.insert("options".into(), Value::Array(options));
    }
    Value::Object(out)
}

/// The relations other models hold to `model`, listed under their inverse names.
fn has_many(model: &Model) -> Map<String, Value> {
    model::all()
        .iter()
        .flat_map(|other| other.belongs_to.iter().map(move |rel| (other, rel)))
        .filter(|(_, rel)| rel.target == model.name)
        .map(|(other, rel)| {
            (rel.inverse.to_string(), json!({ "model": other.name, "name": rel.inverse, "inverse_of": rel.name }))
        })
        .collect()
}

fn models_json() -> Value {
    let mut models = Map::new();
    for model in model::all() {
        let fields: Map<String, Value> = model.fields.iter().map(|f| (f.name.to_string(), field_json(f))).collect();
        let belongs_to: Map<String, Value> = model
            .belongs_to
            .iter()
            .map(|b| (b.name.to_string(), json!({ "model": b.target, "name": b.name, "inverse_of": b.inverse })))
            .collect();
        models.insert(
            model.name.to_string(),
            json!({
                "name": model.name,
                "label": model.label,
                "display": model.display,
                "fields": fields,
                "belongs_to": belongs_to,
                "has_many": has_many(model),
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

/// The hash clients compare to notice model changes; also the ETag of both documents. Worked out
/// once: the model never changes while the server runs, and the oplog and every ETag need it.
pub fn datamodel_hash() -> &'static str {
    static HASH: LazyLock<String> = LazyLock::new(|| fingerprint(models_json().to_string().as_bytes()));
    &HASH
}

/// The `datamodel.json` document. The fixture has no user model, so `app_user` is null.
pub fn datamodel_json() -> Value {
    json!({ "models": models_json(), "app_user": null, "datamodel_hash": datamodel_hash() })
}

/// [`datamodel_json`] as served, serialised once (the model is fixed for the server's life).
pub fn datamodel_json_text() -> &'static str {
    static TEXT: LazyLock<String> = LazyLock::new(|| datamodel_json().to_string());
    &TEXT
}

/// [`datamodel_xml`] as served, written once.
pub fn datamodel_xml_text() -> &'static str {
    static TEXT: LazyLock<String> = LazyLock::new(datamodel_xml);
    &TEXT
}

/// The XML `type` attribute: the type name, with a text subtype as `text:{subtype}`.
fn xml_type(field: &Field) -> String {
    match field.subtype {
        Some(subtype) => format!("{}:{subtype}", field.ty.name()),
        None => field.ty.name().to_string(),
    }
}

fn write_field(w: &mut Writer<Vec<u8>>, field: &Field) -> std::io::Result<()> {
    let ty = xml_type(field);
    let element = w.create_element("field").with_attributes([
        ("name", field.name),
        ("label", field.label),
        ("type", ty.as_str()),
    ]);
    let options: Vec<(String, &str)> = match field.ty {
        FieldType::SingleChoice(opts) | FieldType::MultipleChoice(opts) => {
            opts.iter().map(|(k, d)| (k.to_string(), *d)).collect()
        }
        FieldType::SingleChoiceInteger(opts) | FieldType::MultipleChoiceInteger(opts) => {
            opts.iter().map(|(k, d)| (k.to_string(), *d)).collect()
        }
        _ => Vec::new(),
    };
    if options.is_empty() {
        element.write_empty()?;
        return Ok(());
    }
    element.write_inner_content(|w| {
        for (key, display) in &options {
            w.create_element("option")
                .with_attribute(("key", key.as_str()))
                .write_text_content(BytesText::new(display))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The `datamodel.xml` document: `<data-model>` with one `<model>` per type.
pub fn datamodel_xml() -> String {
    crate::xml::write_document(|w| {
        w.create_element("data-model").write_inner_content(|w| {
            for model in model::all() {
                w.create_element("model")
                    .with_attributes([("name", model.name), ("label", model.label)])
                    .write_inner_content(|w| {
                        for field in model.fields {
                            write_field(w, field)?;
                        }
                        for rel in model.belongs_to {
                            w.create_element("belongs-to").with_attribute(("model", rel.target)).write_empty()?;
                        }
                        w.create_element("display").write_text_content(BytesText::new(model.display))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datamodel_json_has_the_client_shape() {
        let doc = datamodel_json();
        let task = &doc["models"]["task"];
        assert_eq!(task["fields"]["priority"]["type"], "single-choice-integer");
        assert_eq!(task["fields"]["priority"]["options"][2], json!({"key": 3, "display": "High"}));
        assert_eq!(task["fields"]["status"]["options"][0]["key"], "open");
        assert_eq!(task["fields"]["description"]["subtype"], "paragraph");
        assert_eq!(task["fields"]["name"]["subtype"], Value::Null);
        assert_eq!(
            task["belongs_to"]["category"],
            json!({"model": "category", "name": "category", "inverse_of": "tasks"})
        );
        assert_eq!(task["has_many"], json!({}));
        assert_eq!(
            doc["models"]["category"]["has_many"]["tasks"],
            json!({"model": "task", "name": "tasks", "inverse_of": "category"})
        );
        assert_eq!(task["fields"].as_object().unwrap().len(), 15);
        assert!(doc.as_object().unwrap().contains_key("app_user"));
        let hash = doc["datamodel_hash"].as_str().unwrap();
        assert_eq!(hash.len(), 32);
        assert_eq!(hash, datamodel_hash(), "stable");
    }

    #[test]
    fn datamodel_xml_lists_models_fields_options_and_relations() {
        let xml = datamodel_xml();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{xml}");
        assert!(xml.contains(r#"<model name="task" label="Task">"#), "{xml}");
        assert!(xml.contains(r#"<field name="description" label="Description" type="text:paragraph"/>"#), "{xml}");
        assert!(xml.contains(r#"<option key="in_progress">In Progress</option>"#), "{xml}");
        assert!(xml.contains(r#"<belongs-to model="category"/>"#), "{xml}");
        assert!(xml.contains("<display>{name}</display>"), "{xml}");
        assert_eq!(xml.matches("<field ").count(), 17, "every field of both models");
    }
}
