//! List parameters: `limit`, `skip`, `sort[f]`, `query[f(.op)]` / `q[f(.op)]`, `embed[rel]`, `total`.
//! Filtering and paging are in `filter.rs`, the `query.json` body in `expr.rs` and its expression
//! language in `lang.rs`.

mod expr;
mod filter;
mod lang;
#[cfg(test)]
mod tests;

pub use expr::parse_query_body;
pub use filter::apply;

use crate::error::{safe_quote, ApiError};
use crate::model::{BelongsTo, FieldType, Model};
use crate::values::{parse_date, parse_datetime};
use chrono::NaiveDateTime;
use percent_encoding::percent_decode_str;

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
pub(crate) enum Target {
    Id,
    UpdatedAt,
    Relation(&'static str),
    Field(&'static str, FieldType),
}

/// A list parameter's operator (`query[f.op]`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Op {
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
pub(crate) enum Scalar {
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Time(NaiveDateTime),
}

/// What one condition asks of its target's value.
#[derive(Debug)]
pub(crate) enum Test {
    /// A typed comparison (`Eq`…`Gte`); `Ne` also matches an unset value, which differs from every value.
    Compare(Op, Scalar),
    /// Text holding `needle` (ignoring case when `any_case`), or a multiple choice holding that key.
    Contains { needle: Scalar, any_case: bool },
    /// A multiple choice holding every one of these keys (`tags contains ?` with an array).
    ContainsAll(Vec<Scalar>),
    /// Text starting with this (lowercase), ignoring case.
    StartsWith(String),
    /// Unset (`true`) or set (`false`).
    Null(bool),
    /// Equal to one of these (`None`: unset), or for a multiple choice sharing a key; `negated`: `not in`.
    In { values: Vec<Option<Scalar>>, negated: bool },
    /// A multiple choice with exactly these keys, in this order (`tags = ?` with an array); `negated`: `!=`.
    Keys { keys: Vec<Scalar>, negated: bool },
}

#[derive(Debug)]
pub(crate) struct Cond {
    target: Target,
    test: Test,
}

/// Conditions combined: list parameters are all ANDed, a `query.json` expression nests `and` and `or`.
/// `All(vec![])` matches everything, `Any(vec![])` nothing.
#[derive(Debug)]
pub(crate) enum Filter {
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Cond(Cond),
}

/// Parsed list parameters.
#[derive(Debug)]
pub struct ListParams {
    pub limit: usize,
    pub skip: usize,
    sort: Vec<(Target, bool)>,
    filter: Filter,
    /// Answer the number of matches besides the page: Retrieve All Objects lists `total` with the pagination
    /// data (left out by default only for CloudCode and OnlineDB fetches, which this cannot tell); `total=false` drops it.
    pub total: bool,
    /// `embed[rel]`: belongs-to relations whose objects are included in each result.
    pub embed: Vec<&'static BelongsTo>,
}

pub(crate) fn bad(what: &str, name: &str) -> ApiError {
    match safe_quote(name) {
        Some(n) => ApiError::bad_request(format!("Invalid {what} '{n}'.")),
        None => ApiError::bad_request(format!("Invalid {what}.")),
    }
}

pub(crate) fn target(model: &Model, name: &str) -> Option<Target> {
    match name {
        "_id" => Some(Target::Id),
        "_updated_at" => Some(Target::UpdatedAt),
        _ => model
            .field(name)
            .map(|f| Target::Field(f.name, f.ty))
            .or_else(|| model.relation_by_field(name).map(|r| Target::Relation(r.field))),
    }
}

/// A sort key: a model field, a hidden field, or `updated_at` as the docs' own example writes it
/// (`sort[updated_at]=desc`, "the five most recently modified objects") when no field has that name.
pub(crate) fn sort_target(model: &Model, name: &str) -> Result<Target, ApiError> {
    let named = target(model, name).or_else(|| (name == "updated_at").then_some(Target::UpdatedAt));
    named.filter(|t| scalar_target(*t)).ok_or_else(|| bad("sort field", name))
}

/// Whether a target has a single comparable value (lists, locations and files do not).
pub(crate) fn scalar_target(t: Target) -> bool {
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

pub(crate) fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The operand of a condition, typed like the target so comparisons are meaningful.
pub(crate) fn operand(t: Target, op: Op, raw: &str) -> Option<Scalar> {
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
        FieldType::Datetime => parse_datetime(raw).map(|(_, utc)| Scalar::Time(whole_seconds(utc))),
        _ => Some(Scalar::Str(raw.to_string())),
    }
}

/// Datetime fields compare to the second, as they read back (the runtime's queries discard milliseconds too).
pub(crate) fn whole_seconds(t: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    t.with_nanosecond(0).unwrap_or(t)
}

/// `format_iso` keeps dates comparable as strings without chrono's formatting machinery.
pub(crate) trait IsoDate {
    fn format_iso(&self) -> String;
}

impl IsoDate for chrono::NaiveDate {
    fn format_iso(&self) -> String {
        use chrono::Datelike;
        format!("{:04}-{:02}-{:02}", self.year(), self.month(), self.day())
    }
}

pub(crate) fn op_allowed(t: Target, op: Op) -> bool {
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
/// Sort directions as the docs and the vendor's client write them: `1`/`-1`, `asc`/`desc` (either case).
pub(crate) fn sort_direction(value: &str) -> Option<bool> {
    match value {
        "1" | "asc" | "ASC" => Some(false),
        "-1" | "desc" | "DESC" => Some(true),
        _ => None,
    }
}

fn relation(model: &Model, name: &str) -> Result<&'static BelongsTo, ApiError> {
    model.belongs_to.iter().find(|b| b.name == name).ok_or_else(|| bad("embed relation", name))
}

/// Collect the relations one `embed[rel]=…`, `embed[]=rel` or `embed=rel,rel` pair names; false when
/// the pair is no embed parameter.
fn embed_pair(model: &Model, key: &str, value: &str, out: &mut Vec<&'static BelongsTo>) -> Result<bool, ApiError> {
    if let Some(name) = key.strip_prefix("embed[").and_then(|k| k.strip_suffix(']')) {
        out.push(relation(model, if name.is_empty() { value } else { name })?);
    } else if key == "embed" {
        for name in value.split(',').filter(|n| !n.is_empty()) {
            out.push(relation(model, name)?);
        }
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// Only the `embed` parameters, for the single-object read (other parameters mean nothing there).
pub fn parse_embed(model: &Model, query: Option<&str>) -> Result<Vec<&'static BelongsTo>, ApiError> {
    let mut embed = Vec::new();
    for (key, value) in parse_pairs(query) {
        embed_pair(model, &key, &value, &mut embed)?;
    }
    Ok(embed)
}

impl ListParams {
    /// No filter, no sort, the largest page.
    pub(crate) fn new() -> ListParams {
        ListParams {
            limit: MAX_LIMIT,
            skip: 0,
            sort: Vec::new(),
            filter: Filter::All(Vec::new()),
            total: true,
            embed: Vec::new(),
        }
    }
}

pub fn parse_list(model: &Model, query: Option<&str>) -> Result<ListParams, ApiError> {
    let mut params = ListParams::new();
    let mut conds = Vec::new();
    for (key, value) in parse_pairs(query) {
        // The vendor's client always sends `limit=&skip=`; an empty paging value means "not given".
        if (key == "limit" || key == "skip") && value.is_empty() {
            continue;
        }
        if key == "limit" {
            params.limit = non_negative("limit", &value)?.min(MAX_LIMIT as u64) as usize;
        } else if key == "skip" {
            params.skip = usize::try_from(non_negative("skip", &value)?).unwrap_or(usize::MAX);
        } else if let Some(name) = key.strip_prefix("sort[").and_then(|k| k.strip_suffix(']')) {
            let t = sort_target(model, name)?;
            let desc = sort_direction(&value).ok_or_else(|| bad("sort direction", &value))?;
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
            let test = match (op, operand) {
                (Op::Null, Scalar::Bool(unset)) => Test::Null(unset),
                (Op::Contains, needle) => Test::Contains { needle, any_case: false },
                (op, value) => Test::Compare(op, value),
            };
            conds.push(Filter::Cond(Cond { target: t, test }));
        } else if key == "total" {
            params.total = parse_bool(&value).ok_or_else(|| bad("value for parameter", "total"))?;
        } else if embed_pair(model, &key, &value, &mut params.embed)? {
        }
    }
    params.filter = Filter::All(conds);
    Ok(params)
}
