//! List parameters: `limit`, `skip`, `sort[f]`, `query[f(.op)]` / `q[f(.op)]`.

use crate::error::{safe_quote, ApiError};
use crate::model::{FieldType, Model};
use crate::store::Object;
use crate::values::{parse_date, parse_datetime, Stored};
use chrono::NaiveDateTime;
use percent_encoding::percent_decode_str;
use std::cmp::Ordering;

/// Largest page; larger `limit`s are clamped (spec §7 allows clamping).
pub const MAX_LIMIT: usize = 1000;

/// Decode `a=b&c=d` with `+` as space; invalid UTF-8 becomes U+FFFD and so matches no name.
pub fn parse_pairs(query: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A non-negative decimal integer (digits only; huge values saturate), else 400 naming the parameter.
pub fn non_negative(name: &str, value: &str) -> Result<u64, ApiError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(format!("Parameter '{name}' must be a non-negative integer.")));
    }
    Ok(value.parse().unwrap_or(u64::MAX))
}

/// What a sort key or condition looks at.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Target {
    Id,
    UpdatedAt,
    Relation(&'static str),
    Field(&'static str, FieldType),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Contains,
    Null,
}

/// A comparable value; each target only ever produces one variant.
#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum Scalar {
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Time(NaiveDateTime),
}

#[derive(Debug)]
struct Cond {
    target: Target,
    op: Op,
    operand: Scalar,
}

/// Parsed list parameters.
#[derive(Debug)]
pub struct ListParams {
    pub limit: usize,
    pub skip: usize,
    sort: Vec<(Target, bool)>,
    conds: Vec<Cond>,
}

fn bad(what: &str, name: &str) -> ApiError {
    match safe_quote(name) {
        Some(n) => ApiError::bad_request(format!("Invalid {what} '{n}'.")),
        None => ApiError::bad_request(format!("Invalid {what}.")),
    }
}

fn target(model: &Model, name: &str) -> Option<Target> {
    match name {
        "_id" => Some(Target::Id),
        "_updated_at" => Some(Target::UpdatedAt),
        _ => model
            .field(name)
            .map(|f| Target::Field(f.name, f.ty))
            .or_else(|| model.relation_by_field(name).map(|r| Target::Relation(r.field))),
    }
}

/// Whether a target has a single comparable value (lists, locations and files do not).
fn scalar_target(t: Target) -> bool {
    !matches!(
        t,
        Target::Field(
            _,
            FieldType::MultipleChoice(_)
                | FieldType::MultipleChoiceInteger(_)
                | FieldType::Location
                | FieldType::Attachment
                | FieldType::Photo
                | FieldType::Signature
        )
    )
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The operand of a condition, typed like the target so comparisons are meaningful.
fn operand(t: Target, op: Op, raw: &str) -> Option<Scalar> {
    if op == Op::Null {
        return parse_bool(raw).map(Scalar::Bool);
    }
    let ty = match t {
        Target::Id | Target::Relation(_) => return Some(Scalar::Str(raw.to_string())),
        Target::UpdatedAt => return parse_datetime(raw).map(|(_, utc)| Scalar::Time(utc)),
        Target::Field(_, ty) => ty,
    };
    match ty {
        FieldType::Integer | FieldType::SingleChoiceInteger(_) | FieldType::MultipleChoiceInteger(_) => {
            raw.parse().ok().map(Scalar::Int)
        }
        FieldType::Number => raw.parse::<f64>().ok().filter(|f| f.is_finite()).map(Scalar::Num),
        FieldType::Boolean => parse_bool(raw).map(Scalar::Bool),
        FieldType::Date => parse_date(raw).map(|d| Scalar::Str(d.format_iso())),
        FieldType::Datetime => parse_datetime(raw).map(|(_, utc)| Scalar::Time(utc)),
        _ => Some(Scalar::Str(raw.to_string())),
    }
}

/// `format_iso` keeps dates comparable as strings without chrono's formatting machinery.
trait IsoDate {
    fn format_iso(&self) -> String;
}

impl IsoDate for chrono::NaiveDate {
    fn format_iso(&self) -> String {
        use chrono::Datelike;
        format!("{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

fn op_allowed(t: Target, op: Op) -> bool {
    match op {
        Op::Null => true,
        Op::Contains => matches!(
            t,
            Target::Field(_, FieldType::Text | FieldType::MultipleChoice(_) | FieldType::MultipleChoiceInteger(_))
        ),
        _ => scalar_target(t),
    }
}

fn parse_op(name: &str) -> Option<Op> {
    Some(match name {
        "ne" => Op::Ne,
        "lt" => Op::Lt,
        "lte" => Op::Lte,
        "gt" => Op::Gt,
        "gte" => Op::Gte,
        "contains" => Op::Contains,
        "null" => Op::Null,
        _ => return None,
    })
}

/// Parse list parameters against a model; unknown parameters are ignored, bad known ones are 400.
pub fn parse_list(model: &Model, query: Option<&str>) -> Result<ListParams, ApiError> {
    let mut params = ListParams { limit: MAX_LIMIT, skip: 0, sort: Vec::new(), conds: Vec::new() };
    for (key, value) in parse_pairs(query) {
        if key == "limit" {
            params.limit = non_negative("limit", &value)?.min(MAX_LIMIT as u64) as usize;
        } else if key == "skip" {
            params.skip = usize::try_from(non_negative("skip", &value)?).unwrap_or(usize::MAX);
        } else if let Some(name) = key.strip_prefix("sort[").and_then(|k| k.strip_suffix(']')) {
            let t = target(model, name).filter(|t| scalar_target(*t)).ok_or_else(|| bad("sort field", name))?;
            let desc = match value.to_ascii_lowercase().as_str() {
                "asc" => false,
                "desc" => true,
                _ => return Err(bad("sort direction", &value)),
            };
            params.sort.push((t, desc));
        } else if let Some(spec) =
            ["query[", "q["].iter().find_map(|p| key.strip_prefix(p)).and_then(|k| k.strip_suffix(']'))
        {
            let (name, op) = match spec.rsplit_once('.') {
                Some((name, op)) => (name, parse_op(op).ok_or_else(|| bad("query operator", op))?),
                None => (spec, Op::Eq),
            };
            let t = target(model, name).ok_or_else(|| bad("query field", name))?;
            if !op_allowed(t, op) {
                return Err(bad("query operator for field", name));
            }
            let operand = operand(t, op, &value).ok_or_else(|| bad("query value for field", name))?;
            params.conds.push(Cond { target: t, op, operand });
        }
    }
    Ok(params)
}

fn value_of(o: &Object, t: Target) -> Option<Scalar> {
    match t {
        Target::Id => Some(Scalar::Str(o.id.to_string())),
        Target::UpdatedAt => Some(Scalar::Time(o.updated_at)),
        Target::Relation(f) | Target::Field(f, _) => match o.fields.get(f)? {
            Stored::Text(s) | Stored::Choice(s) => Some(Scalar::Str(s.clone())),
            Stored::Integer(i) | Stored::ChoiceInt(i) => Some(Scalar::Int(*i)),
            Stored::Number(n) => Some(Scalar::Num(*n)),
            Stored::Boolean(b) => Some(Scalar::Bool(*b)),
            Stored::Date(d) => Some(Scalar::Str(d.format_iso())),
            Stored::Datetime(t) => Some(Scalar::Time(*t)),
            Stored::Ref(id) => Some(Scalar::Str(id.to_string())),
            Stored::Multi(_) | Stored::MultiInt(_) | Stored::Location(_) | Stored::File { .. } => None,
        },
    }
}

fn matches(o: &Object, c: &Cond) -> bool {
    let present = match c.target {
        Target::Relation(f) | Target::Field(f, _) => o.fields.contains_key(f),
        _ => true,
    };
    match c.op {
        Op::Null => c.operand == Scalar::Bool(!present),
        Op::Contains => match (c.target, &c.operand) {
            (Target::Field(f, _), Scalar::Str(needle)) => match o.fields.get(f) {
                // Case-insensitive, as a user searching text expects.
                Some(Stored::Text(s)) => s.to_lowercase().contains(&needle.to_lowercase()),
                Some(Stored::Multi(keys)) => keys.iter().any(|k| k == needle),
                _ => false,
            },
            (Target::Field(f, _), Scalar::Int(needle)) => {
                matches!(o.fields.get(f), Some(Stored::MultiInt(keys)) if keys.contains(needle))
            }
            _ => false,
        },
        // An unset field differs from every value, so `ne` includes it.
        Op::Ne => value_of(o, c.target).as_ref() != Some(&c.operand),
        op => {
            let Some(ord) = value_of(o, c.target).and_then(|v| v.partial_cmp(&c.operand)) else {
                return false;
            };
            match op {
                Op::Eq => ord == Ordering::Equal,
                Op::Lt => ord == Ordering::Less,
                Op::Lte => ord != Ordering::Greater,
                Op::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }
        }
    }
}

/// Filter, sort and page; returns the page and the total number of matches.
/// Unset values sort before set ones; ties keep creation order.
pub fn apply<'a>(params: &ListParams, objects: Vec<&'a Object>) -> (Vec<&'a Object>, usize) {
    let mut hits: Vec<&Object> = objects.into_iter().filter(|o| params.conds.iter().all(|c| matches(o, c))).collect();
    hits.sort_by(|a, b| {
        params
            .sort
            .iter()
            .map(|(t, desc)| {
                let ord = value_of(a, *t).partial_cmp(&value_of(b, *t)).unwrap_or(Ordering::Equal);
                if *desc {
                    ord.reverse()
                } else {
                    ord
                }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    let total = hits.len();
    let page = hits.into_iter().skip(params.skip).take(params.limit).collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;
    use std::collections::BTreeMap;

    fn task() -> &'static Model {
        model::find("task").unwrap()
    }

    fn err(q: &str) -> bool {
        parse_list(task(), Some(q)).is_err()
    }

    #[test]
    fn limit_and_skip() {
        let p = parse_list(task(), None).unwrap();
        assert_eq!((p.limit, p.skip), (1000, 0));
        let p = parse_list(task(), Some("limit=5&skip=2")).unwrap();
        assert_eq!((p.limit, p.skip), (5, 2));
        assert_eq!(parse_list(task(), Some("limit=5000")).unwrap().limit, 1000);
        assert_eq!(parse_list(task(), Some("limit=99999999999999999999999")).unwrap().limit, 1000);
        assert_eq!(parse_list(task(), Some("limit=0")).unwrap().limit, 0);
        for bad in
            ["limit=-1", "limit=abc", "limit=", "limit=1.5", "limit=+1", "skip=-1", "skip=x", "limit=1e3", "limit= 1"]
        {
            assert!(err(bad), "{bad}");
        }
        assert!(!err("unknown=1&other"), "unknown parameters are ignored");
    }

    #[test]
    fn sort_and_query_names_are_checked() {
        for good in [
            "sort[name]=asc",
            "sort[_updated_at]=DESC",
            "sort[_id]=asc",
            "query[name]=x",
            "q[count.gt]=3",
            "q[status]=open",
            "q[tags.contains]=red",
            "q[place.null]=true",
            "q[_id]=x",
            "q[category_id.null]=false",
            "q[due_at.gte]=2024-01-01T00:00:00Z",
            "q[_updated_at.lt]=2030-01-01T00:00Z",
            "sort%5Bname%5D=asc",
        ] {
            assert!(!err(good), "{good}");
        }
        for bad in [
            "sort[nope]=asc",
            "sort[name]=up",
            "sort[tags]=asc",
            "query[nope]=1",
            "q[name.like]=x",
            "q[count]=abc",
            "q[count.gt]=1.5",
            "q[done]=yes",
            "q[place]=1",
            "q[name.null]=maybe",
            "q[due_on]=tomorrow",
            "q[id]=x",
        ] {
            assert!(err(bad), "{bad}");
        }
    }

    fn obj(created: u64, name: Option<&str>, count: Option<i64>) -> Object {
        let mut fields = BTreeMap::new();
        if let Some(n) = name {
            fields.insert("name", Stored::Text(n.into()));
        }
        if let Some(c) = count {
            fields.insert("count", Stored::Integer(c));
        }
        Object { id: uuid::Uuid::new_v4(), ty: "task", updated_at: chrono::Utc::now().naive_utc(), created, fields }
    }

    #[test]
    fn filter_sort_and_page() {
        let objects = [
            obj(1, Some("Alpha"), Some(3)),
            obj(2, Some("beta"), Some(1)),
            obj(3, None, Some(2)),
            obj(4, Some("gamma"), None),
        ];
        let refs = || objects.iter().collect::<Vec<_>>();
        let names = |q: &str| {
            let p = parse_list(task(), Some(q)).unwrap();
            let (page, total) = apply(&p, refs());
            (page.iter().map(|o| o.created).collect::<Vec<_>>(), total)
        };
        assert_eq!(names(""), (vec![1, 2, 3, 4], 4));
        assert_eq!(names("sort[count]=desc"), (vec![1, 3, 2, 4], 4));
        assert_eq!(names("q[count.gte]=2"), (vec![1, 3], 2));
        assert_eq!(names("q[count.gte]=2&q[name.null]=false"), (vec![1], 1));
        assert_eq!(names("q[name.contains]=ALP"), (vec![1], 1));
        assert_eq!(names("q[count.ne]=1"), (vec![1, 3, 4], 3));
        assert_eq!(names("q[count.null]=true"), (vec![4], 1));
        assert_eq!(names("limit=2&skip=1"), (vec![2, 3], 4));
        assert_eq!(names("skip=10"), (vec![], 4));
    }
}
