//! The body of `POST objects/{type}/query.json`: `{expression, arguments, limit, skip, sort}`.
//!
//! The expression is the query language's simplest form, which is what the vendor's db client
//! sends: conditions `field OP ?` joined by `and`, one argument per `?`. OP is one of `=`, `!=`,
//! `<`, `<=`, `>`, `>=`, `contains` and `in` (its argument an array). Anything else is 400.

use super::{bad, op_allowed, operand, sort_direction, target, Cond, ListParams, Op, Scalar, Target, MAX_LIMIT};
use crate::error::ApiError;
use crate::json::Json;
use crate::model::Model;

fn ill(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Ill-formed query: {detail}."))
}

fn comparison(word: &str) -> Option<Op> {
    Some(match word {
        "=" | "==" => Op::Eq,
        "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Lte,
        ">" => Op::Gt,
        ">=" => Op::Gte,
        "contains" => Op::ContainsAnyCase,
        "in" => Op::In,
        _ => return None,
    })
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

fn condition(model: &Model, field: &str, op: Op, argument: &Json) -> Result<Cond, ApiError> {
    // Expressions name the server keys plainly (`id in ?`), where list parameters write `_id`.
    let name = match field {
        "id" => "_id",
        "updated_at" => "_updated_at",
        other => other,
    };
    let t = target(model, name).ok_or_else(|| bad("query field", field))?;
    let typed = |v: &Json, op: Op| -> Result<Scalar, ApiError> {
        argument_text(v).and_then(|raw| operand(t, op, &raw)).ok_or_else(|| bad("query value for field", field))
    };
    match (op, argument) {
        // `field = null` asks for unset values, as `q[field.null]=true` does.
        (Op::Eq | Op::Ne, Json::Null) => {
            Ok(Cond { target: t, op: Op::Null, operand: Scalar::Bool(op == Op::Eq), alternatives: Vec::new() })
        }
        (Op::In, Json::Array(items)) if super::scalar_target(t) => {
            let alternatives = items.iter().map(|v| typed(v, Op::Eq)).collect::<Result<_, _>>()?;
            Ok(Cond { target: t, op, operand: Scalar::Bool(true), alternatives })
        }
        (Op::In, _) => Err(bad("query value for field", field)),
        _ if !op_allowed(t, op) => Err(bad("query operator for field", field)),
        _ => Ok(Cond { target: t, op, operand: typed(argument, op)?, alternatives: Vec::new() }),
    }
}

fn conditions(model: &Model, expression: &str, arguments: &[Json]) -> Result<Vec<Cond>, ApiError> {
    let words: Vec<&str> = expression.split_whitespace().collect();
    let mut conds = Vec::new();
    let mut args = arguments.iter();
    for (i, clause) in words.split(|w| w.eq_ignore_ascii_case("and")).enumerate() {
        let [field, op, "?"] = clause else {
            return Err(ill(&format!("condition {i} must be 'field operator ?'")));
        };
        let op = comparison(&op.to_ascii_lowercase()).ok_or_else(|| bad("query operator", op))?;
        let argument = args.next().ok_or_else(|| ill("fewer arguments than '?' placeholders"))?;
        conds.push(condition(model, field, op, argument)?);
    }
    if args.next().is_some() {
        return Err(ill("more arguments than '?' placeholders"));
    }
    Ok(conds)
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
    params.conds = if expression.trim().is_empty() { Vec::new() } else { conditions(model, expression, arguments)? };
    params.sort = sort(model, doc)?;
    params.limit = paging(doc, "limit")?.map_or(MAX_LIMIT, |l| l.min(MAX_LIMIT));
    params.skip = paging(doc, "skip")?.unwrap_or(0);
    params.total = matches!(doc.get("total"), Some(Json::Bool(true)));
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
        assert_eq!((p.conds.len(), p.limit, p.skip, p.sort.len()), (2, 5, 0, 1));
        assert!(p.sort[0].1, "a leading '-' sorts descending");
        let p = body(r#"{"expression":"id in ?","arguments":[["550e8400-e29b-41d4-a716-446655440000"]]}"#).unwrap();
        assert_eq!(p.conds[0].alternatives.len(), 1);
        assert!(body(r#"{"expression":"","arguments":[],"sort":{"count":-1}}"#).unwrap().sort[0].1);
        assert_eq!(body(r#"{"expression":"name = ?","arguments":[null]}"#).unwrap().conds[0].op, Op::Null);
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
        ] {
            let kind = body(bad).err().map(|e| e.kind);
            assert_eq!(kind, Some(crate::error::ErrorType::InvalidApiRequest), "{bad}");
        }
    }
}
