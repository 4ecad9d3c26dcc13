//! Filtering, sorting and paging of one type's objects by parsed list parameters.

use super::{Cond, IsoDate, ListParams, Op, Scalar, Target};
use crate::store::Object;
use crate::values::Stored;
use std::cmp::Ordering;

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
            Stored::Multi(_) | Stored::MultiInt(_) | Stored::Location(..) | Stored::File { .. } => None,
        },
    }
}

fn matches(o: &Object, c: &Cond) -> bool {
    let present = match c.target {
        Target::Relation(f) | Target::Field(f, _) => o.fields.contains_key(f),
        _ => true,
    };
    match c.op {
        Op::In => value_of(o, c.target).is_some_and(|v| c.alternatives.contains(&v)),
        Op::Null => c.operand == Scalar::Bool(!present),
        Op::Contains | Op::ContainsAnyCase => match (c.target, &c.operand) {
            (Target::Field(f, _), Scalar::Str(needle)) => match o.fields.get(f) {
                // Query Objects: `contains` is case-sensitive. A `query.json` expression's ignores case, as
                // the vendor's staff describe the query API the OnlineDB uses.
                Some(Stored::Text(s)) if c.op == Op::ContainsAnyCase => {
                    s.to_lowercase().contains(&needle.to_lowercase())
                }
                Some(Stored::Text(s)) => s.contains(needle.as_str()),
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
