//! The XML form of object reads (`objects/{type}.xml`, `objects/{type}/{id}.xml`): the JSON answer
//! written as elements, so both formats always carry the same data.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

/// The element name of an array's items: `objects` holds `object`s, anything else `item`s.
fn item_name(parent: &str) -> &str {
    if parent == "objects" {
        "object"
    } else {
        "item"
    }
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, value: &Value) -> std::io::Result<()> {
    match value {
        Value::Null => {
            w.create_element(name).with_attribute(("nil", "true")).write_empty()?;
        }
        Value::Object(map) => {
            w.create_element(name).write_inner_content(|w| {
                for (key, v) in map {
                    element(w, key, v)?;
                }
                Ok(())
            })?;
        }
        Value::Array(items) => {
            let child = item_name(name);
            w.create_element(name).write_inner_content(|w| {
                for v in items {
                    element(w, child, v)?;
                }
                Ok(())
            })?;
        }
        Value::String(s) => {
            w.create_element(name).write_text_content(BytesText::new(s))?;
        }
        Value::Bool(_) | Value::Number(_) => {
            w.create_element(name).write_text_content(BytesText::new(&value.to_string()))?;
        }
    }
    Ok(())
}

/// A whole document with `root` as its element; keys are field names, which are valid XML names.
pub fn document(root: &str, value: &Value) -> String {
    write_document(|w| element(w, root, value))
}

/// An XML document with its declaration, the rest written by `body` (shared by every XML answer).
pub fn write_document(body: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).and_then(|_| body(&mut w));
    // Writing to a Vec cannot fail; an empty document would be the honest result if it did.
    if written.is_err() {
        return String::new();
    }
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_values_become_elements() {
        let xml = document(
            "list",
            &json!({"objects": [{"id": "a", "name": "x<y", "count": 2, "done": null}], "more": false}),
        );
        assert!(xml.contains("<list>"), "{xml}");
        assert!(xml.contains("<objects>"), "{xml}");
        assert!(xml.contains("<object>"), "{xml}");
        assert!(xml.contains("<name>x&lt;y</name>"), "{xml}");
        assert!(xml.contains("<count>2</count>"), "{xml}");
        assert!(xml.contains(r#"<done nil="true"/>"#), "{xml}");
        assert!(xml.contains("<more>false</more>"), "{xml}");
    }
}
