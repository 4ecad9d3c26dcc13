//! The body of `POST objects/{type}/query.json`: `{expression, arguments, limit, skip, sort}`, as the
//! vendor's db client sends it (its OnlineDB) and its staff describe it ("just like in the runtime").
//!
//! The expression's syntax is `lang.rs`; here each condition is bound to a field of the model and to
//! its argument, typed like the field. `field = null` / `!= null` ask for unset / set values; a null
//! compared any other way matches nothing, as in the runtime. `contains` and `starts with` ignore case
//! (the one difference from the list's `contains`). A relation is named by its name or its `_id` field,
//! its argument an ID or an object with an `id`. Any fault is 400 INVALID_API_REQUEST.

use super::lang::{self, Syntax, Word};
use super::{bad, operand, sort_direction, target, Cond, Filter, ListParams, Op, Scalar, Target, Test, MAX_LIMIT};
use crate::error::ApiError;
use crate::json::Json;
use crate::model::{FieldType, Model};

fn ill(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Ill-formed query: {detail}."))
}

/// An argument as the text a list parameter would carry, so both paths type it the same way.
fn argument_text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(raw) => Some(raw.clone()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The target a field name means: the server keys plainly (`id`, `updated_at`) or underscored as list
/// parameters write them, a model field, or a relation by its name or its `_id` field.
fn resolve(model: &Model, field: &str) -> Option<Target> {
    let name = match field {
        "id" => "_id",
        "updated_at" => "_updated_at",
        other => other,
    };
    target(model, name).or_else(|| model.belongs_to.iter().find(|r| r.name == field).map(|r| Target::Relation(r.field)))
}

/// Whether a target holds a list of keys (a multiple choice).
fn multi(t: Target) -> bool {
    matches!(t, Target::Field(_, FieldType::MultipleChoice(_) | FieldType::MultipleChoiceInteger(_)))
}

fn text(t: Target) -> bool {
    matches!(t, Target::Field(_, FieldType::Text))
}

/// One argument typed like its target's values (a relation's object by its `id`).
fn typed(t: Target, field: &str, value: &Json) -> Result<Scalar, ApiError> {
    let value = match (t, value) {
        (Target::Relation(_), Json::Object(_)) => value.get("id").unwrap_or(value),
        _ => value,
    };
    argument_text(value).and_then(|raw| operand(t, Op::Eq, &raw)).ok_or_else(|| bad("query value for field", field))
}

fn typed_list(t: Target, field: &str, items: &[Json]) -> Result<Vec<Scalar>, ApiError> {
    items.iter().map(|v| typed(t, field, v)).collect()
}

fn condition(model: &Model, field: &str, word: Word, argument: &Json) -> Result<Filter, ApiError> {
    let t = resolve(model, field).ok_or_else(|| bad("query field", field))?;
    let cond = |test| Ok(Filter::Cond(Cond { target: t, test }));
    let op = match word {
        Word::Eq => Op::Eq,
        Word::Ne => Op::Ne,
        Word::Lt => Op::Lt,
        Word::Lte => Op::Lte,
        Word::Gt => Op::Gt,
        Word::Gte => Op::Gte,
        _ => Op::Contains,
    };
    let scalar = super::scalar_target(t);
    match (word, argument) {
        (Word::Eq | Word::Ne, Json::Null) => cond(Test::Null(word == Word::Eq)),
        (Word::In | Word::NotIn, Json::Array(items)) if scalar || multi(t) => {
            let values = items
                .iter()
                .map(|v| if matches!(v, Json::Null) { Ok(None) } else { typed(t, field, v).map(Some) })
                .collect::<Result<_, _>>()?;
            cond(Test::In { values, negated: word == Word::NotIn })
        }
        (Word::In | Word::NotIn, _) => Err(bad("query value (an array) for field", field)),
        // A null compared any other way matches nothing, as in the runtime.
        (_, Json::Null) if scalar || multi(t) => Ok(Filter::Any(Vec::new())),
        (Word::Eq | Word::Ne, Json::Array(items)) if multi(t) => {
            cond(Test::Keys { keys: typed_list(t, field, items)?, negated: word == Word::Ne })
        }
        (Word::Contains, Json::Array(items)) if multi(t) => cond(Test::ContainsAll(typed_list(t, field, items)?)),
        (Word::Contains, v) if text(t) || multi(t) => {
            cond(Test::Contains { needle: typed(t, field, v)?, any_case: true })
        }
        (Word::StartsWith, v) if text(t) => match typed(t, field, v)? {
            Scalar::Str(prefix) => cond(Test::StartsWith(prefix.to_lowercase())),
            _ => Err(bad("query value for field", field)),
        },
        // A multiple choice equals no single key and differs from every one, as in the runtime.
        (Word::Eq | Word::Ne, v) if multi(t) => cond(Test::Compare(op, typed(t, field, v)?)),
        (Word::Eq | Word::Ne | Word::Lt | Word::Lte | Word::Gt | Word::Gte, v) if scalar => {
            cond(Test::Compare(op, typed(t, field, v)?))
        }
        _ => Err(bad("query operator for field", field)),
    }
}

fn bind(model: &Model, tree: &Syntax, arguments: &[Json]) -> Result<Filter, ApiError> {
    match tree {
        Syntax::And(parts) => {
            Ok(Filter::All(parts.iter().map(|p| bind(model, p, arguments)).collect::<Result<_, _>>()?))
        }
        Syntax::Or(parts) => {
            Ok(Filter::Any(parts.iter().map(|p| bind(model, p, arguments)).collect::<Result<_, _>>()?))
        }
        Syntax::Cond { field, word, arg } => {
            let argument = arguments.get(*arg).ok_or_else(|| ill("fewer arguments than '?' placeholders"))?;
            condition(model, field, *word, argument)
        }
    }
}

/// The expression's filter; empty (or only white space) is no filter.
fn expression(model: &Model, expression: &str, arguments: &[Json]) -> Result<Filter, ApiError> {
    if expression.trim().is_empty() {
        return Ok(Filter::All(Vec::new()));
    }
    let (tree, placeholders) = lang::parse(expression).map_err(|e| {
        ApiError::bad_request(format!(
            "Ill-formed query expression at character {} (counting from 0): expected {}.",
            e.at, e.expected
        ))
    })?;
    if arguments.len() < placeholders {
        return Err(ill("fewer arguments than '?' placeholders"));
    }
    if arguments.len() > placeholders {
        return Err(ill("more arguments than '?' placeholders"));
    }
    bind(model, &tree, arguments)
}

/// A paging number: absent or null is "not given", like an empty `limit=`.
fn paging(doc: &Json, key: &str) -> Result<Option<usize>, ApiError> {
    match doc.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(n @ Json::Number(_)) => {
            let value =
                n.as_i64().filter(|v| *v >= 0).ok_or_else(|| ill(&format!("{key} must be a non-negative integer")))?;
            Ok(Some(usize::try_from(value).unwrap_or(usize::MAX)))
        }
        Some(_) => Err(ill(&format!("{key} must be a non-negative integer"))),
    }
}

fn sort_key(model: &Model, name: &str) -> Result<Target, ApiError> {
    super::sort_target(model, name)
}

/// `sort` as the vendor's client sends it (`["-name", "count"]`) or as an object of directions.
fn sort(model: &Model, doc: &Json) -> Result<Vec<(Target, bool)>, ApiError> {
    match doc.get("sort") {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Array(items)) => items
            .iter()
            .map(|item| {
                let name = item.as_str().ok_or_else(|| ill("sort entries must be field names"))?;
                match name.strip_prefix('-') {
                    Some(field) => Ok((sort_key(model, field)?, true)),
                    None => Ok((sort_key(model, name)?, false)),
                }
            })
            .collect(),
        Some(Json::Object(entries)) => entries
            .iter()
            .map(|(name, dir)| {
                let desc =
                    argument_text(dir).and_then(|d| sort_direction(&d)).ok_or_else(|| bad("sort direction", name))?;
                Ok((sort_key(model, name)?, desc))
            })
            .collect(),
        Some(_) => Err(ill("sort must be an array or an object")),
    }
}

/// Parse a `query.json` body against a model; its faults are 400 INVALID_API_REQUEST.
pub fn parse_query_body(model: &Model, doc: &Json) -> Result<ListParams, ApiError> {
    if !matches!(doc, Json::Object(_)) {
        return Err(ill("the body must be an object"));
    }
    let expression = match doc.get("expression") {
        None | Some(Json::Null) => "",
        Some(Json::String(s)) => s.as_str(),
        Some(_) => return Err(ill("expression must be a string")),
    };
    let arguments = match doc.get("arguments") {
        None | Some(Json::Null) => &[][..],
        Some(Json::Array(items)) => items.as_slice(),
        Some(_) => return Err(ill("arguments must be an array")),
    };
    let mut params = ListParams::new();
    params.filter = self::expression(model, expression, arguments)?;
    params.sort = sort(model, doc)?;
    params.limit = paging(doc, "limit")?.map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT));
    params.skip = paging(doc, "skip")?.unwrap_or(0);
    params.total = !matches!(doc.get("total"), Some(Json::Bool(false)));
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;
    use crate::model;

    fn body(text: &str) -> Result<ListParams, ApiError> {
        parse_query_body(model::find("task").unwrap(), &parse(text.as_bytes()).unwrap())
    }

    #[test]
    fn client_bodies_parse() {
        let p = body(
            r#"{"expression":"name = ? and count > ?","arguments":["a",2],"limit":5,"skip":null,"sort":["-name"]}"#,
        )
        .unwrap();
        assert!(matches!(&p.filter, Filter::All(parts) if parts.len() == 2));
        assert_eq!((p.limit, p.skip, p.sort.len(), p.total), (5, 0, 1, true));
        assert!(p.sort[0].1, "a leading '-' sorts descending");
        let p = body(r#"{"expression":"id in ?","arguments":[["550e8400-e29b-41d4-a716-446655440000"]]}"#).unwrap();
        assert!(
            matches!(&p.filter, Filter::Cond(Cond { test: Test::In { values, negated: false }, .. }) if values.len() == 1)
        );
        assert!(body(r#"{"expression":"","arguments":[],"sort":{"count":-1}}"#).unwrap().sort[0].1);
        let p = body(r#"{"expression":"name = ?","arguments":[null]}"#).unwrap();
        assert!(matches!(p.filter, Filter::Cond(Cond { test: Test::Null(true), .. })));
        assert!(!body(r#"{"expression":"","total":false}"#).unwrap().total);
        for good in [
            r#"{"expression":"((name = ? and count = ?))","arguments":["a",1]}"#,
            r#"{"expression":"(name starts with ? and status = ?) or status = ?","arguments":["a","open","closed"]}"#,
            r#"{"expression":"category_id = ?","arguments":[null]}"#,
            r#"{"expression":"category = ?","arguments":[{"id":"550e8400-e29b-41d4-a716-446655440000"}]}"#,
            r#"{"expression":"tags contains ? and tags not in ?","arguments":[["red"],["blue",null]]}"#,
            r#"{"expression":"due_on >= ? and due_at < ?","arguments":["2024-01-01","2024-01-01T10:00:00.000Z"]}"#,
            r#"{"expression":"place = ? or count > ?","arguments":[null,null]}"#,
        ] {
            assert!(body(good).is_ok(), "{good}: {:?}", body(good).err().map(|e| e.detail));
        }
    }

    #[test]
    fn a_malformed_expression_says_where() {
        let e = body(r#"{"expression":"(name = ? or count > ?","arguments":["a",1]}"#).err().unwrap();
        assert!(e.detail.contains("character 22") && e.detail.contains("`)`"), "{}", e.detail);
    }

    #[test]
    fn ill_formed_bodies_are_invalid_api_request() {
        for bad in [
            r#"[]"#,
            r#"{"expression":5}"#,
            r#"{"expression":"name = ?"}"#,
            r#"{"expression":"name = ?","arguments":["a","b"]}"#,
            r#"{"expression":"name ~ ?","arguments":["a"]}"#,
            r#"{"expression":"nope = ?","arguments":["a"]}"#,
            r#"{"expression":"count = ?","arguments":["x"]}"#,
            r#"{"expression":"name = 'a'","arguments":[]}"#,
            r#"{"expression":"id in ?","arguments":["a"]}"#,
            r#"{"expression":"","limit":-1}"#,
            r#"{"expression":"","skip":"2"}"#,
            r#"{"expression":"","sort":["nope"]}"#,
            r#"{"expression":"","sort":{"name":"up"}}"#,
            r#"{"expression":"count starts with ?","arguments":["5"]}"#,
            r#"{"expression":"place > ?","arguments":[1]}"#,
            r#"{"expression":"tags not in ?","arguments":["red"]}"#,
            r#"{"expression":"name = ? or","arguments":["a"]}"#,
            r#"{"expression":"(name = ?)) ","arguments":["a"]}"#,
        ] {
            let kind = body(bad).err().map(|e| e.kind);
            assert_eq!(kind, Some(crate::error::ErrorType::InvalidApiRequest), "{bad}");
        }
    }
}
