//! `query`: bad parameters on the list endpoint and the oplog → 400 INVALID_API_REQUEST (or the outcome
//! set an OPEN clause allows), never 2xx-with-garbage or 5xx. Controls show good parameters work, and
//! that the docs' search across all fields finds what it is asked for.

use super::{case, fresh_text, Route};
use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::model::{DataModel, FieldKind};
use crate::declare::routes::Shape;
use crate::declare::scenario::Window;
use crate::declare::scenario::{After, Scenario, Shows};
use crate::declare::spec;
use crate::ErrorType::InvalidApiRequest;

/// What a parameter set must earn.
#[derive(Clone, Copy)]
enum Want {
    Bad,
    Good,
    LimitAboveMax,
    MissingStart,
    Empty,
}

/// One row of a parameter table: name, query pairs, what it must earn.
type Row = (&'static str, Vec<(String, String)>, Want);

fn expect(want: Want) -> Expect {
    match want {
        Want::Bad => Expect::error(InvalidApiRequest),
        Want::Good => Expect::success(),
        Want::LimitAboveMax => {
            Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], spec::open::LIMIT_ABOVE_MAX)
        }
        Want::MissingStart => {
            Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], spec::open::MISSING_OPLOG_START)
        }
        Want::Empty => {
            Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], spec::open::EMPTY_PARAMETER)
        }
    }
}

/// Percent-encodes a query string's brackets and values the way a form would.
fn q(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let object = model.types.get(&ctx.object_type);
    let text = object.and_then(|o| o.text_field("")).unwrap_or("name").to_string();
    let number = object
        .and_then(|o| o.fields.values().find(|f| matches!(f.kind, FieldKind::Integer | FieldKind::Number)))
        .map_or_else(|| text.clone(), |f| f.name.clone());
    let sort = |field: &str| format!("sort[{field}]");
    let query = |field: &str| format!("query[{field}]");
    let list: Vec<Row> = vec![
        ("limit-1", vec![("limit".into(), "1".into())], Want::Good),
        ("query-equals", vec![(query(&text), "journey".into())], Want::Good),
        ("query-operator-ne", vec![(query(&format!("{text}.ne")), "journey".into())], Want::Good),
        ("q-alias", vec![(format!("q[{text}]"), "journey".into())], Want::Good),
        ("hidden-field-sort", vec![(sort("_updated_at"), "desc".into())], Want::Good),
        // The docs' own example: the five most recently modified objects.
        (
            "sort-updated-at-docs-example",
            vec![("limit".into(), "5".into()), (sort("updated_at"), "desc".into())],
            Want::Good,
        ),
        ("limit-negative", vec![("limit".into(), "-1".into())], Want::Bad),
        ("limit-not-a-number", vec![("limit".into(), "ten".into())], Want::Bad),
        ("limit-fraction", vec![("limit".into(), "1.5".into())], Want::Bad),
        ("limit-empty", vec![("limit".into(), String::new())], Want::Empty),
        ("limit-and-skip-empty", vec![("limit".into(), String::new()), ("skip".into(), String::new())], Want::Empty),
        ("limit-overflowing", vec![("limit".into(), "99999999999999999999999".into())], Want::LimitAboveMax),
        ("limit-above-1000", vec![("limit".into(), "1001".into())], Want::LimitAboveMax),
        ("skip-negative", vec![("skip".into(), "-1".into())], Want::Bad),
        ("skip-not-a-number", vec![("skip".into(), "x".into())], Want::Bad),
        ("skip-fraction", vec![("skip".into(), "0.5".into())], Want::Bad),
        ("sort-bad-direction", vec![(sort(&text), "sideways".into())], Want::Bad),
        ("sort-unknown-field", vec![(sort("jc_no_such_field"), "asc".into())], Want::Bad),
        ("query-unknown-field", vec![(query("jc_no_such_field"), "x".into())], Want::Bad),
        ("query-unknown-operator", vec![(query(&format!("{text}.jcop")), "x".into())], Want::Bad),
        ("query-number-not-a-number", vec![(query(&format!("{number}.gt")), "abc".into())], Want::Bad),
    ];
    let oplog: Vec<Row> = vec![
        ("start-0", vec![("start".into(), "0".into())], Want::Good),
        ("tail", vec![("tail".into(), "true".into())], Want::Good),
        ("start-missing", vec![], Want::MissingStart),
        ("start-negative", vec![("start".into(), "-1".into())], Want::Bad),
        ("start-not-a-number", vec![("start".into(), "first".into())], Want::Bad),
        ("end-not-a-number", vec![("start".into(), "0".into()), ("end".into(), "last".into())], Want::Bad),
        ("limit-negative", vec![("start".into(), "0".into()), ("limit".into(), "-5".into())], Want::Bad),
        ("limit-not-a-number", vec![("start".into(), "0".into()), ("limit".into(), "many".into())], Want::Bad),
        ("limit-above-1000", vec![("start".into(), "0".into()), ("limit".into(), "1001".into())], Want::LimitAboveMax),
    ];
    let mut out = Vec::new();
    for (route_of, table, spec) in [(Route::List, list, spec::LIST_PARAMS), (Route::Oplog, oplog, spec::OPLOG_PARAMS)] {
        let (shape, route) = (route_of.shape(), route_of.name());
        let path = shape.fill(&ctx.base(), &ctx.object_type, "");
        for (name, pairs, want) in table {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let query = q(&refs);
            let full = if query.is_empty() { path.clone() } else { format!("{path}?{query}") };
            let group = if matches!(want, Want::Good) { "control" } else { "bad" };
            let description = format!(
                "GET {route} with `{}`",
                if query.is_empty() { "no parameters".to_string() } else { query.clone() }
            );
            let mut c = case(
                Family::Query,
                format!("query/{route}/{group}/{name}"),
                description,
                spec,
                shape.request("GET", full),
                expect(want),
            );
            // A page never holds more than its `limit`, and `count` says how many it holds.
            if let (Route::List, Some(limit)) = (route_of, page_limit(name)) {
                c.scenario.after.push(After::Shows(Shows::AtMost(limit)));
            }
            out.push(c);
        }
    }
    out.push(search(ctx, &text));
    out.extend(contains(ctx, &text));
    out.extend(super::query_window::cases(ctx, &model, object.and_then(|o| o.text_field(""))));
    out
}

/// The `limit` of a list control, whose page must hold no more.
fn page_limit(name: &str) -> Option<usize> {
    match name {
        "limit-1" => Some(1),
        "sort-updated-at-docs-example" => Some(5),
        _ => None,
    }
}

/// Query Objects: `contains` is case-sensitive. A fresh object whose text field holds the case's marker
/// and `Wash Dishes`: `contains` of part of it as written lists it, the same part in lower case does not.
fn contains(ctx: &Ctx, text: &str) -> Vec<Case> {
    let marker = ctx.marker("query/contains");
    let fresh = fresh_text(ctx, text, &format!("{marker} Wash Dishes"));
    let rows = [
        (
            "same-case-matches",
            format!("{marker} Wash Dish"),
            Shows::Lists(0),
            "lists the fresh object whose text holds it",
        ),
        ("other-case-misses", format!("{marker} wash dish"), Shows::Omits(0), "in lower case does not list it"),
    ];
    rows.into_iter()
        .map(|(name, value, claim, what)| {
            let query = q(&[(&format!("query[{text}.contains]"), &value), ("limit", "1000")]);
            let request = Route::List.shape().request("GET", format!("{}?{query}", ctx.collection()));
            Case {
                scenario: Scenario { fresh: vec![fresh.clone()], batch: None, after: vec![After::Shows(claim)] },
                ..case(
                    Family::Query,
                    format!("query/list/contains/{name}"),
                    format!("GET objects with `query[{text}.contains]=<marker> Wash Dish` {what}"),
                    spec::CONTAINS_CASE,
                    request,
                    Expect::success(),
                )
            }
        })
        .collect()
}

/// Query Objects' search across all fields, as its example sends it: a fresh object whose text field
/// holds the case's marker, found by a form-encoded `query` of that marker.
fn search(ctx: &Ctx, text: &str) -> Case {
    let marker = ctx.marker("query/search");
    let form = url::form_urlencoded::Serializer::new(String::new()).append_pair("query", &marker).finish();
    let request = Shape::Search.request("POST", format!("{}/objects/{}/search.json", ctx.base(), ctx.object_type));
    Case {
        scenario: Scenario {
            fresh: vec![fresh_text(ctx, text, &format!("{marker} site visit"))],
            batch: None,
            // The marker is in no other object, so the fresh one is the only match.
            after: vec![After::Shows(Shows::Window(Window { matches: vec![0], ordered: false, skip: 0, limit: None }))],
        },
        ..case(
            Family::Query,
            "query/search/control/docs-example".into(),
            "POST search.json with `query=<text>` (form-encoded) lists exactly the fresh object whose field holds it"
                .into(),
            spec::SEARCH,
            request.form(form),
            Expect::success(),
        )
    }
}
