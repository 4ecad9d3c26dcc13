//! The `query.json` expression language as a property: random objects of the reference's `task` model,
//! random expressions over them (nested `and`/`or`, parentheses, every operator, null arguments), and a
//! plain in-memory filter, written here from the runtime's rules and not from the reference, that says
//! which objects each expression selects and in what order. `tests/query_language.rs` runs it.

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{json, Value};

/// The text values names take: mixed case, shared prefixes, so case-insensitive matches differ from exact ones.
const WORDS: &[&str] = &["Alpha", "alpha", "ALPINE", "al", "beta", "Beta gamma", "gamma", "Ga"];
const STATUSES: &[&str] = &["open", "in_progress", "closed"];
const TAGS: &[&str] = &["red", "green", "blue"];
const DAYS: &[&str] = &["2024-01-31", "2024-02-29", "2024-03-01", "2025-12-31"];
const TIMES: &[&str] =
    &["2024-03-01T10:00:00Z", "2024-03-01T10:00:01Z", "2024-03-01T23:59:59Z", "2025-01-01T00:00:00Z"];

/// One generated object: each field unset (`None`) or set.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: Option<String>,
    pub count: Option<i64>,
    pub done: Option<bool>,
    pub due_on: Option<String>,
    pub due_at: Option<String>,
    pub status: Option<String>,
    pub tags: Option<Vec<String>>,
}

impl Item {
    /// The create body's fields (the marker field is added by the runner).
    pub fn fields(&self) -> serde_json::Map<String, Value> {
        let mut out = serde_json::Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                out.insert(k.to_string(), v);
            }
        };
        put("name", self.name.clone().map(Value::String));
        put("count", self.count.map(|c| json!(c)));
        put("done", self.done.map(Value::Bool));
        put("due_on", self.due_on.clone().map(Value::String));
        put("due_at", self.due_at.clone().map(Value::String));
        put("status", self.status.clone().map(Value::String));
        put("tags", self.tags.clone().map(|t| json!(t)));
        out
    }
}

fn pick(pool: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    proptest::sample::select(pool).prop_map(str::to_string)
}

fn item() -> impl Strategy<Value = Item> {
    let tags = proptest::sample::subsequence(TAGS, 1..=3).prop_map(|t| t.into_iter().map(str::to_string).collect());
    (
        proptest::option::of(pick(WORDS)),
        proptest::option::of(-3i64..=3),
        proptest::option::of(any::<bool>()),
        proptest::option::of(pick(DAYS)),
        proptest::option::of(pick(TIMES)),
        proptest::option::of(pick(STATUSES)),
        proptest::option::of(tags),
    )
        .prop_map(|(name, count, done, due_on, due_at, status, tags)| Item {
            name,
            count,
            done,
            due_on,
            due_at,
            status,
            tags,
        })
}

/// A comparison word as the expression writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    Contains,
    StartsWith,
    In,
    NotIn,
}

impl Word {
    fn text(self) -> &'static str {
        match self {
            Word::Eq => "=",
            Word::Ne => "!=",
            Word::Lt => "<",
            Word::Lte => "<=",
            Word::Gt => ">",
            Word::Gte => ">=",
            Word::Contains => "contains",
            Word::StartsWith => "starts with",
            Word::In => "in",
            Word::NotIn => "not in",
        }
    }
}

/// An expression tree; `parens` puts a redundant pair around a node, as the db client's `where()` does.
#[derive(Debug, Clone)]
pub enum Expr {
    Cond { field: &'static str, word: Word, arg: Value },
    And(Vec<Expr>, bool),
    Or(Vec<Expr>, bool),
}

fn word(words: &'static [Word]) -> impl Strategy<Value = Word> {
    proptest::sample::select(words)
}

fn or_null(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    prop_oneof![4 => value, 1 => Just(Value::Null)]
}

fn list(value: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    vec(prop_oneof![5 => value, 1 => Just(Value::Null)], 0..4).prop_map(Value::Array)
}

const ORDERED: &[Word] = &[Word::Eq, Word::Ne, Word::Lt, Word::Lte, Word::Gt, Word::Gte];
const TEXT: &[Word] = &[Word::Eq, Word::Ne, Word::Lt, Word::Lte, Word::Gt, Word::Gte, Word::Contains, Word::StartsWith];

fn condition() -> impl Strategy<Value = Expr> {
    let text_arg = || pick(WORDS).prop_map(Value::String);
    let count_arg = || (-4i64..=4).prop_map(|c| json!(c));
    let day_arg = || {
        prop_oneof![
            pick(DAYS).prop_map(Value::String),
            pick(DAYS).prop_map(|d| Value::String(format!("{d}T00:00:00.000Z")))
        ]
    };
    let time_arg = || {
        (pick(TIMES), prop_oneof![Just(""), Just(".000"), Just(".999")])
            .prop_map(|(t, frac)| Value::String(t.replacen('Z', &format!("{frac}Z"), 1)))
    };
    let cond = |field: &'static str| move |(word, arg): (Word, Value)| Expr::Cond { field, word, arg };
    const INLIST: &[Word] = &[Word::In, Word::NotIn];
    prop_oneof![
        (word(TEXT), or_null(text_arg())).prop_map(cond("name")),
        (word(INLIST), list(text_arg())).prop_map(cond("name")),
        (word(ORDERED), or_null(count_arg())).prop_map(cond("count")),
        (word(INLIST), list(count_arg())).prop_map(cond("count")),
        (word(&[Word::Eq, Word::Ne]), or_null(any::<bool>().prop_map(Value::Bool))).prop_map(cond("done")),
        (word(ORDERED), or_null(day_arg())).prop_map(cond("due_on")),
        (word(ORDERED), or_null(time_arg())).prop_map(cond("due_at")),
        (word(&[Word::Eq, Word::Ne]), or_null(pick(STATUSES).prop_map(Value::String))).prop_map(cond("status")),
        (word(INLIST), list(pick(STATUSES).prop_map(Value::String))).prop_map(cond("status")),
        (word(&[Word::Contains]), pick(TAGS).prop_map(Value::String)).prop_map(cond("tags")),
        (word(&[Word::Contains, Word::In, Word::NotIn, Word::Eq, Word::Ne]), list(pick(TAGS).prop_map(Value::String)))
            .prop_map(|(word, arg)| {
                // `contains`, `=` and `!=` with an array compare keys, never null ones.
                let arg = match (word, arg) {
                    (Word::In | Word::NotIn, a) => a,
                    (_, Value::Array(items)) => Value::Array(items.into_iter().filter(|v| !v.is_null()).collect()),
                    (_, a) => a,
                };
                Expr::Cond { field: "tags", word, arg }
            }),
    ]
}

/// A random expression of up to three levels, mostly short so that most select some objects.
pub fn expr() -> impl Strategy<Value = Expr> {
    condition().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            (vec(inner.clone(), 2..4), any::<bool>()).prop_map(|(parts, p)| Expr::And(parts, p)),
            (vec(inner, 2..4), any::<bool>()).prop_map(|(parts, p)| Expr::Or(parts, p)),
        ]
    })
}

/// One query: an expression with the list keys the db client sends beside it.
#[derive(Debug, Clone)]
pub struct Query {
    pub expr: Expr,
    /// A field and whether descending.
    pub sort: Option<(&'static str, bool)>,
    pub limit: Option<usize>,
    pub skip: Option<usize>,
}

fn query() -> impl Strategy<Value = Query> {
    let sort = proptest::option::of((proptest::sample::select(&["name", "count", "due_at"][..]), any::<bool>()));
    (expr(), sort, proptest::option::of(1usize..6), proptest::option::of(0usize..3))
        .prop_map(|(expr, sort, limit, skip)| Query { expr, sort, limit, skip })
}

/// A data set and the queries asked of it.
pub fn scenario(queries: usize) -> impl Strategy<Value = (Vec<Item>, Vec<Query>)> {
    (vec(item(), 2..10), vec(query(), queries..=queries))
}

/// The expression text and its arguments, in placeholder order.
pub fn render(expr: &Expr, args: &mut Vec<Value>) -> String {
    let join = |parts: &[Expr], word: &str, args: &mut Vec<Value>, wrap_or: bool| {
        let texts: Vec<String> = parts
            .iter()
            .map(|p| {
                let text = render(p, args);
                // `and` binds tighter than `or`: an `or` inside an `and` needs its parentheses.
                if wrap_or && matches!(p, Expr::Or(_, false)) {
                    format!("({text})")
                } else {
                    text
                }
            })
            .collect();
        texts.join(&format!(" {word} "))
    };
    match expr {
        Expr::Cond { field, word, arg } => {
            args.push(arg.clone());
            format!("{field} {} ?", word.text())
        }
        Expr::And(parts, parens) => wrap(join(parts, "and", args, true), *parens),
        Expr::Or(parts, parens) => wrap(join(parts, "or", args, false), *parens),
    }
}

fn wrap(text: String, parens: bool) -> String {
    if parens {
        format!("({text})")
    } else {
        text
    }
}

/// The `query.json` body: the data set's marker first, so only its objects can match.
pub fn body(q: &Query, marker: &str) -> Value {
    let mut args = vec![json!(marker)];
    let text = render(&q.expr, &mut args);
    let sort = q.sort.map(|(f, desc)| vec![if desc { format!("-{f}") } else { f.to_string() }]).unwrap_or_default();
    json!({"expression": format!("description = ? and ({text})"), "arguments": args, "limit": q.limit, "skip": q.skip, "sort": sort})
}

/// A field's value as the filter compares it.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Val {
    Bool(bool),
    Int(i64),
    Text(String),
}

fn value(item: &Item, field: &str) -> Option<Val> {
    match field {
        "name" => item.name.clone().map(Val::Text),
        "count" => item.count.map(Val::Int),
        "done" => item.done.map(Val::Bool),
        "due_on" => item.due_on.clone().map(Val::Text),
        "due_at" => item.due_at.clone().map(Val::Text),
        "status" => item.status.clone().map(Val::Text),
        _ => None,
    }
}

/// An argument typed like `field`'s values: dates by their day, datetimes to the whole second.
fn typed(field: &str, arg: &Value) -> Option<Val> {
    match (field, arg) {
        ("due_on", Value::String(s)) => Some(Val::Text(s[..10].to_string())),
        ("due_at", Value::String(s)) => Some(Val::Text(format!("{}Z", &s[..19]))),
        (_, Value::String(s)) => Some(Val::Text(s.clone())),
        (_, Value::Bool(b)) => Some(Val::Bool(*b)),
        (_, Value::Number(n)) => n.as_i64().map(Val::Int),
        _ => None,
    }
}

fn tags_test(item: &Item, word: Word, arg: &Value) -> bool {
    let keys = item.tags.as_ref();
    let list: Vec<Option<&str>> = arg.as_array().map(|a| a.iter().map(Value::as_str).collect()).unwrap_or_default();
    let has = |k: &str| keys.is_some_and(|t| t.iter().any(|x| x == k));
    match (word, arg) {
        (Word::Contains, Value::String(k)) => has(k),
        (Word::Contains, _) => keys.is_some() && list.iter().all(|k| k.is_some_and(has)),
        (Word::In | Word::NotIn, _) => {
            let hit = match keys {
                Some(t) => t.iter().any(|k| list.contains(&Some(k.as_str()))),
                None => list.contains(&None),
            };
            hit == (word == Word::In)
        }
        (Word::Eq | Word::Ne, _) => {
            let same = keys.is_some_and(|t| t.iter().map(|k| Some(k.as_str())).eq(list.iter().copied()));
            same == (word == Word::Eq)
        }
        _ => false,
    }
}

fn test(item: &Item, field: &str, word: Word, arg: &Value) -> bool {
    if field == "tags" {
        return tags_test(item, word, arg);
    }
    let v = value(item, field);
    if arg.is_null() {
        return match word {
            Word::Eq => v.is_none(),
            Word::Ne => v.is_some(),
            _ => false,
        };
    }
    let lower = |v: &Option<Val>| match v {
        Some(Val::Text(s)) => Some(s.to_lowercase()),
        _ => None,
    };
    match word {
        Word::In | Word::NotIn => {
            let items = arg.as_array().cloned().unwrap_or_default();
            let hit = items.iter().any(|a| if a.is_null() { v.is_none() } else { v.is_some() && v == typed(field, a) });
            hit == (word == Word::In)
        }
        Word::Contains => lower(&v).zip(arg.as_str()).is_some_and(|(s, n)| s.contains(&n.to_lowercase())),
        Word::StartsWith => lower(&v).zip(arg.as_str()).is_some_and(|(s, n)| s.starts_with(&n.to_lowercase())),
        Word::Ne => v.is_none() || v != typed(field, arg),
        _ => {
            let (Some(v), Some(a)) = (v, typed(field, arg)) else { return false };
            match word {
                Word::Eq => v == a,
                Word::Lt => v < a,
                Word::Lte => v <= a,
                Word::Gt => v > a,
                _ => v >= a,
            }
        }
    }
}

/// Whether the expression selects the item.
pub fn selects(expr: &Expr, item: &Item) -> bool {
    match expr {
        Expr::Cond { field, word, arg } => test(item, field, *word, arg),
        Expr::And(parts, _) => parts.iter().all(|p| selects(p, item)),
        Expr::Or(parts, _) => parts.iter().any(|p| selects(p, item)),
    }
}

/// The indexes (in creation order) of the items the query lists, in order, and how many match in all.
pub fn expected(q: &Query, items: &[Item]) -> (Vec<usize>, usize) {
    let mut hits: Vec<usize> = (0..items.len()).filter(|i| selects(&q.expr, &items[*i])).collect();
    if let Some((field, desc)) = q.sort {
        // Unset before set, ties in creation order (a stable sort).
        hits.sort_by(|a, b| {
            let ord =
                value(&items[*a], field).partial_cmp(&value(&items[*b], field)).unwrap_or(std::cmp::Ordering::Equal);
            if desc {
                ord.reverse()
            } else {
                ord
            }
        });
    }
    let total = hits.len();
    let page = hits.into_iter().skip(q.skip.unwrap_or(0)).take(q.limit.unwrap_or(usize::MAX)).collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_or_inside_an_and_keeps_its_parentheses() {
        let c = |f: &'static str| Expr::Cond { field: f, word: Word::Eq, arg: json!(1) };
        let e = Expr::And(vec![Expr::Or(vec![c("count"), c("count")], false), c("count")], true);
        let mut args = Vec::new();
        assert_eq!(render(&e, &mut args), "((count = ? or count = ?) and count = ?)");
        assert_eq!(args.len(), 3);
    }

    #[test]
    fn the_filter_follows_the_runtime_rules() {
        let item = Item {
            name: Some("Alpha".into()),
            count: Some(2),
            done: None,
            due_on: Some("2024-02-29".into()),
            due_at: Some("2024-03-01T10:00:00Z".into()),
            status: None,
            tags: Some(vec!["red".into(), "blue".into()]),
        };
        let t = |field, word, arg: Value| test(&item, field, word, &arg);
        assert!(t("name", Word::StartsWith, json!("al")) && !t("name", Word::Eq, json!("alpha")));
        assert!(t("done", Word::Eq, Value::Null) && !t("count", Word::Gt, Value::Null));
        assert!(t("status", Word::In, json!([null])) && t("count", Word::NotIn, json!([1, 3])));
        assert!(t("due_on", Word::Lt, json!("2024-03-01T00:00:00.000Z")));
        assert!(!t("due_at", Word::Lt, json!("2024-03-01T10:00:00.999Z")), "to the second");
        assert!(t("tags", Word::Contains, json!(["blue", "red"])) && !t("tags", Word::Eq, json!(["blue", "red"])));
        assert!(t("tags", Word::NotIn, json!(["green"])));
    }
}
