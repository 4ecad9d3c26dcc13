//! Form-encoded create/update bodies (`application/x-www-form-urlencoded`), as the docs allow next
//! to JSON: bracket keys nest (`task[status]=open`, `task[tags][]=red`, `task[place][latitude]=1`),
//! and each text value is typed by its field, so the same field rules judge both encodings.

use crate::error::ApiError;
use crate::json::{self, Json};
use crate::model::{FieldType, Model};

/// A nested form value before typing.
#[derive(Debug, PartialEq)]
enum Node {
    Text(String),
    Map(Vec<(String, Node)>),
    List(Vec<Node>),
}

fn ill(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Ill-formed form body: {detail}."))
}

/// `a[b][]` → `["a", "b", ""]`; an empty step appends to a list.
fn path(key: &str) -> Option<Vec<&str>> {
    let (head, mut rest) = key.split_once('[').map_or((key, ""), |(h, r)| (h, r));
    if head.is_empty() {
        return None;
    }
    let mut steps = vec![head];
    if key.contains('[') {
        rest = rest.strip_suffix(']')?;
        steps.extend(rest.split("]["));
    }
    // A step may not itself hold a bracket (`a[b[c]` is not a nesting), and only the last may be a list.
    let inner_list = steps.iter().rev().skip(1).any(|s| s.is_empty());
    (!inner_list && !steps.iter().any(|s| s.contains(['[', ']']))).then_some(steps)
}

fn insert(node: &mut Vec<(String, Node)>, steps: &[&str], value: String) -> Result<(), ApiError> {
    let (first, rest) = steps.split_first().ok_or_else(|| ill("empty key"))?;
    let existing = node.iter_mut().find(|(k, _)| k == first).map(|(_, n)| n);
    match (rest, existing) {
        ([], Some(_)) => Err(ill("a key is given twice")),
        ([], None) => {
            node.push((first.to_string(), Node::Text(value)));
            Ok(())
        }
        ([""], Some(Node::List(items))) => {
            items.push(Node::Text(value));
            Ok(())
        }
        ([""], None) => {
            node.push((first.to_string(), Node::List(vec![Node::Text(value)])));
            Ok(())
        }
        ([""], Some(_)) => Err(ill("a key mixes a value, a list or nested keys")),
        (_, Some(Node::Map(children))) => insert(children, rest, value),
        (_, None) => {
            let mut children = Vec::new();
            insert(&mut children, rest, value)?;
            node.push((first.to_string(), Node::Map(children)));
            Ok(())
        }
        _ => Err(ill("a key mixes a value, a list or nested keys")),
    }
}

/// A JSON number literal as written, or None (the field rules then judge the text).
fn number(text: &str) -> Option<Json> {
    match json::parse(text.as_bytes()) {
        Ok(n @ Json::Number(_)) => Some(n),
        _ => None,
    }
}

/// A text value typed for a field of type `ty` (None: a belongs-to or unknown key, kept as text).
fn typed(ty: Option<FieldType>, text: String) -> Json {
    if text.is_empty() && ty != Some(FieldType::Text) {
        return Json::Null;
    }
    match ty {
        Some(
            FieldType::Integer
            | FieldType::Number
            | FieldType::SingleChoiceInteger(_)
            | FieldType::MultipleChoiceInteger(_)
            | FieldType::Location,
        ) => number(&text).unwrap_or(Json::String(text)),
        Some(FieldType::Boolean) => match text.as_str() {
            "true" => Json::Bool(true),
            "false" => Json::Bool(false),
            _ => Json::String(text),
        },
        _ => Json::String(text),
    }
}

fn to_json(ty: Option<FieldType>, node: Node) -> Json {
    match node {
        Node::Text(text) => typed(ty, text),
        Node::List(items) => Json::Array(items.into_iter().map(|n| to_json(ty, n)).collect()),
        Node::Map(children) => Json::Object(
            children
                .into_iter()
                .map(|(k, n)| {
                    // A location's timestamp is a datetime, its other keys numbers; a file's keys are text.
                    let inner = match ty {
                        Some(FieldType::Location) if k != "timestamp" => ty,
                        _ => None,
                    };
                    (k, to_json(inner, n))
                })
                .collect(),
        ),
    }
}

/// Decode a form body into the same `{"<type>": {...}}` document a JSON body gives.
pub fn parse(bytes: &[u8], model: &Model) -> Result<Json, ApiError> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(ill("not valid UTF-8"));
    }
    let mut root: Vec<(String, Node)> = Vec::new();
    for (key, value) in form_urlencoded::parse(bytes) {
        let steps = path(&key).ok_or_else(|| ill("a key is not of the form name[field]"))?;
        insert(&mut root, &steps, value.into_owned())?;
    }
    let entries = root
        .into_iter()
        .map(|(key, node)| {
            let value = match node {
                Node::Map(fields) => Json::Object(
                    fields.into_iter().map(|(f, n)| (f.clone(), to_json(model.field(&f).map(|x| x.ty), n))).collect(),
                ),
                other => to_json(None, other),
            };
            (key, value)
        })
        .collect();
    Ok(Json::Object(entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    fn form(text: &str) -> Result<Json, ApiError> {
        parse(text.as_bytes(), model::find("task").unwrap())
    }

    #[test]
    fn bracket_keys_nest_and_values_are_typed_by_field() {
        let doc = form("task[name]=a+b&task[count]=3&task[done]=true&task[status]=open&task[priority]=2&task[tags][]=red&task[tags][]=blue&task[place][latitude]=1.5&task[place][longitude]=2&task[place][timestamp]=2024-01-01T00:00:00Z&task[due_on]=").unwrap();
        let task = doc.get("task").unwrap();
        assert_eq!(task.get("name"), Some(&Json::String("a b".into())));
        assert_eq!(task.get("count"), Some(&Json::Number("3".into())));
        assert_eq!(task.get("done"), Some(&Json::Bool(true)));
        assert_eq!(task.get("priority"), Some(&Json::Number("2".into())));
        assert_eq!(task.get("tags"), Some(&Json::Array(vec![Json::String("red".into()), Json::String("blue".into())])));
        let place = task.get("place").unwrap();
        assert_eq!(place.get("latitude"), Some(&Json::Number("1.5".into())));
        assert_eq!(place.get("timestamp"), Some(&Json::String("2024-01-01T00:00:00Z".into())));
        assert_eq!(task.get("due_on"), Some(&Json::Null), "an empty value clears");
        assert_eq!(form("task[count]=x").unwrap().get("task").unwrap().get("count"), Some(&Json::String("x".into())));
        assert_eq!(form("task%5Bname%5D=x").unwrap().get("task").unwrap().get("name"), Some(&Json::String("x".into())));
    }

    #[test]
    fn ambiguous_forms_are_invalid_api_request() {
        for bad in [
            "task[name]=a&task[name]=b",
            "task[tags][]=a&task[tags]=b",
            "task[a[b]=1",
            "[x]=1",
            "task[x=1",
            "task[place][]=1&task[place][latitude]=2",
            "task[][x]=1",
        ] {
            assert_eq!(form(bad).err().map(|e| e.kind), Some(crate::error::ErrorType::InvalidApiRequest), "{bad}");
        }
        assert!(parse(b"task[name]=\xff", model::find("task").unwrap()).is_err());
    }
}
