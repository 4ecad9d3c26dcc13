//! Filtering, sorting and paging of one type's objects by parsed list parameters.

use super::{whole_seconds, Cond, Filter, IsoDate, ListParams, Op, Scalar, Target, Test};
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
            Stored::Datetime(t) => Some(Scalar::Time(whole_seconds(*t))),
            Stored::Ref(id) => Some(Scalar::Str(id.to_string())),
            Stored::Multi(_) | Stored::MultiInt(_) | Stored::Location(..) | Stored::File { .. } => None,
        },
    }
}

/// The keys of a multiple-choice value, if the target holds one.
fn keys_of(o: &Object, t: Target) -> Option<Vec<Scalar>> {
    let Target::Field(f, _) = t else { return None };
    match o.fields.get(f)? {
        Stored::Multi(keys) => Some(keys.iter().map(|k| Scalar::Str(k.clone())).collect()),
        Stored::MultiInt(keys) => Some(keys.iter().map(|k| Scalar::Int(*k)).collect()),
        _ => None,
    }
}

fn text_of(o: &Object, t: Target) -> Option<&str> {
    let Target::Field(f, _) = t else { return None };
    match o.fields.get(f)? {
        Stored::Text(s) => Some(s),
        _ => None,
    }
}

fn compare(op: Op, value: Option<Scalar>, operand: &Scalar) -> bool {
    // An unset field differs from every value, so `ne` includes it.
    if op == Op::Ne {
        return value.as_ref() != Some(operand);
    }
    let Some(ord) = value.and_then(|v| v.partial_cmp(operand)) else { return false };
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Lt => ord == Ordering::Less,
        Op::Lte => ord != Ordering::Greater,
        Op::Gt => ord == Ordering::Greater,
        Op::Gte => ord != Ordering::Less,
        _ => false,
    }
}

fn test(o: &Object, c: &Cond) -> bool {
    let present = match c.target {
        Target::Relation(f) | Target::Field(f, _) => o.fields.contains_key(f),
        _ => true,
    };
    match &c.test {
        Test::Null(unset) => *unset != present,
        Test::Compare(op, operand) => compare(*op, value_of(o, c.target), operand),
        Test::Contains { needle, any_case } => match (text_of(o, c.target), needle, keys_of(o, c.target)) {
            (Some(s), Scalar::Str(n), _) if *any_case => s.to_lowercase().contains(&n.to_lowercase()),
            (Some(s), Scalar::Str(n), _) => s.contains(n.as_str()),
            (_, n, Some(keys)) => keys.contains(n),
            _ => false,
        },
        Test::ContainsAll(wanted) => keys_of(o, c.target).is_some_and(|keys| wanted.iter().all(|w| keys.contains(w))),
        Test::StartsWith(prefix) => text_of(o, c.target).is_some_and(|s| s.to_lowercase().starts_with(prefix.as_str())),
        Test::In { values, negated } => {
            let hit = match keys_of(o, c.target) {
                Some(keys) => keys.into_iter().any(|k| values.contains(&Some(k))),
                None => values.contains(&value_of(o, c.target)),
            };
            hit != *negated
        }
        Test::Keys { keys, negated } => (keys_of(o, c.target).as_ref() == Some(keys)) != *negated,
    }
}

/// Whether an object passes a filter.
pub(crate) fn matches(o: &Object, filter: &Filter) -> bool {
    match filter {
        Filter::All(parts) => parts.iter().all(|f| matches(o, f)),
        Filter::Any(parts) => parts.iter().any(|f| matches(o, f)),
        Filter::Cond(c) => test(o, c),
    }
}

/// Filter, sort and page; returns the page and the total number of matches.
/// Unset values sort before set ones; ties keep creation order.
pub fn apply<'a>(params: &ListParams, objects: Vec<&'a Object>) -> (Vec<&'a Object>, usize) {
    let mut hits: Vec<&Object> = objects.into_iter().filter(|o| matches(o, &params.filter)).collect();
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
