//! `query` cases whose answer the suite knows exactly: each makes its own fresh objects, all carrying a
//! marker no other object has, and filters by it, so even among the user's data the matches are those
//! objects alone. The page must be exactly their window (`oracle/list_window.rs`): every direction spelling
//! sorts, a positive `skip` moves the window by that many, `limit` bounds it, a filter, `query.json` and
//! `embed[]` list the matches and nothing else, and `count`, `total` and `more` tell the truth.

use super::{case, fresh_text};
use crate::declare::case::{Case, CaseRequest, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::model::DataModel;
use crate::declare::routes::Shape;
use crate::declare::scenario::Window;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, Scenario, Shows};
use crate::declare::spec::{self, Clause};
use serde_json::{json, Map, Value};

/// The marker of one case: its ID and a terminator, so no case's marker is a prefix of another's.
fn marker(ctx: &Ctx, id: &str) -> String {
    ctx.marker(&format!("{id} :"))
}

/// Percent-encodes query pairs the way a form would.
fn q(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// A case with fresh objects whose answer must be `window` (and whatever else `more` claims).
fn windowed(
    id: &str,
    what: String,
    clause: &'static Clause,
    req: CaseRequest,
    fresh: Vec<Fresh>,
    claims: Vec<Shows>,
) -> Case {
    Case {
        scenario: Scenario { fresh, batch: None, after: claims.into_iter().map(After::Shows).collect() },
        ..case(Family::Query, id.to_string(), what, clause, req, Expect::success())
    }
}

/// Fresh objects of the case's type whose text is the marker and each suffix, made in that order.
fn made(ctx: &Ctx, text: &str, marker: &str, suffixes: &[&str]) -> Vec<Fresh> {
    suffixes.iter().map(|s| fresh_text(ctx, text, &format!("{marker} {s}"))).collect()
}

fn list(ctx: &Ctx, query: &str) -> CaseRequest {
    Shape::Collection.request("GET", format!("{}?{query}", ctx.collection()))
}

/// Every direction spelling Sort Results accepts, each ordering two fresh objects made the other way round.
fn sorts(ctx: &Ctx, text: &str) -> Vec<Case> {
    let spellings = [
        ("sort-asc", "asc", true),
        ("sort-desc", "desc", false),
        ("sort-uppercase-asc", "ASC", true),
        ("sort-uppercase-desc", "DESC", false),
        ("sort-ascending-number", "1", true),
        ("sort-descending-number", "-1", false),
    ];
    spellings
        .into_iter()
        .map(|(name, direction, ascending)| {
            let id = format!("query/list/control/{name}");
            let m = marker(ctx, &id);
            // Made against the sort's order, so a target that ignores it lists them the wrong way round.
            let suffixes = if ascending { ["b", "a"] } else { ["a", "b"] };
            let req = list(ctx, &q(&[(&format!("query[{text}.contains]"), &m), (&format!("sort[{text}]"), direction)]));
            let window = Window { matches: vec![1, 0], ordered: true, skip: 0, limit: None };
            windowed(
                &id,
                format!("GET objects with `sort[{text}]={direction}` and a marker filter lists two fresh objects, exactly, in that order"),
                spec::depth::LIST_WINDOW,
                req,
                made(ctx, text, &m, &suffixes),
                vec![Shows::Window(window)],
            )
        })
        .collect()
}

/// Four fresh objects, made out of order: sorted ascending they are 1, 3, 0, 2 (a, b, c, d).
const SCRAMBLED: [&str; 4] = ["c", "a", "d", "b"];

/// A positive `skip`, a `limit` and `total=true` over four fresh matches; a filter with `ne`.
fn pages(ctx: &Ctx, text: &str) -> Vec<Case> {
    let id = "query/list/window/skip-limit-total";
    let m = marker(ctx, id);
    let contains = format!("query[{text}.contains]");
    let sort = format!("sort[{text}]");
    let paged = list(ctx, &q(&[(&contains, &m), (&sort, "asc"), ("skip", "1"), ("limit", "2"), ("total", "true")]));
    let window = Window { matches: vec![1, 3, 0, 2], ordered: true, skip: 1, limit: Some(2) };
    let skip_case = windowed(
        id,
        "GET objects with a marker filter, `sort=asc`, `skip=1`, `limit=2`, `total=true` over four fresh matches: \
         exactly the 2nd and 3rd, count 2, total 4, more"
            .into(),
        spec::depth::LIST_WINDOW,
        paged,
        made(ctx, text, &m, &SCRAMBLED),
        vec![Shows::Window(window)],
    );
    let id = "query/list/window/filter-contains-ne";
    let m = marker(ctx, id);
    let excluded = format!("{m} b");
    let filtered = list(ctx, &q(&[(&contains, &m), (&format!("query[{text}.ne]"), &excluded)]));
    let window = Window { matches: vec![0, 2], ordered: false, skip: 0, limit: None };
    let filter_case = windowed(
        id,
        "GET objects with a marker `contains` filter and `ne` one of three fresh objects: exactly the other two".into(),
        spec::depth::LIST_WINDOW,
        filtered,
        made(ctx, text, &m, &["a", "b", "c"]),
        vec![Shows::Window(window)],
    );
    vec![skip_case, filter_case]
}

/// `query.json` over four fresh objects: the expression keeps three, sorted descending, skip 1, limit 1.
fn query_json(ctx: &Ctx, text: &str) -> Case {
    let id = "query/query-json/window";
    let m = marker(ctx, id);
    let body = json!({
        "expression": format!("{text} contains ? and {text} != ?"),
        "arguments": [m, format!("{m} b")],
        "sort": [format!("-{text}")],
        "skip": 1,
        "limit": 1,
    });
    let req = Shape::Query
        .request("POST", format!("{}/objects/{}/query.json", ctx.base(), ctx.object_type))
        .json(body.to_string().into_bytes());
    // c, a, d, b made; without b, descending: d (2), c (0), a (1); skip 1, limit 1 leaves c.
    let window = Window { matches: vec![2, 0, 1], ordered: true, skip: 1, limit: Some(1) };
    windowed(
        id,
        "POST query.json `field contains ? and field != ?` over four fresh objects, sorted descending, skip 1, \
         limit 1: exactly the second of the three matches"
            .into(),
        spec::depth::QUERY_WINDOW,
        req,
        made(ctx, text, &m, &SCRAMBLED),
        vec![Shows::Window(window)],
    )
}

/// `embed[]` on a marker-filtered list: exactly the fresh object that points at a fresh related one, with it embedded.
fn embed(ctx: &Ctx, model: &DataModel) -> Case {
    let id = "query/list/window/embed";
    let m = marker(ctx, id);
    let relation = model.relation(&ctx.object_type);
    let host_text = relation.and_then(|(t, _)| t.text_field(""));
    let (t, rel, target) = relation.map_or_else(
        || (ctx.object_type.clone(), "owner".to_string(), ctx.object_type.clone()),
        |(t, r)| (t.name.clone(), r.name.clone(), r.target.clone()),
    );
    let text = host_text.unwrap_or("name");
    let mut host = Map::new();
    host.insert(format!("{rel}_id"), Value::String(fresh_placeholder(0)));
    host.insert(text.to_string(), Value::String(m.clone()));
    let fresh = vec![
        Fresh { object_type: target, fields: Map::new(), foreign: false },
        Fresh { object_type: t.clone(), fields: host, foreign: false },
    ];
    let query = q(&[(&format!("query[{text}.contains]"), &m), ("embed[]", &rel)]);
    let req = Shape::Collection.request("GET", format!("{}/objects/{t}.json?{query}", ctx.base()));
    let window = Window { matches: vec![1], ordered: false, skip: 0, limit: None };
    let mut out = windowed(
        id,
        "GET objects with `embed[]=<belongs-to>` and a marker filter: exactly the fresh object, its relation embedded"
            .into(),
        spec::client_clauses::LIST_EMBED,
        req,
        fresh,
        vec![Shows::Window(window), Shows::Embeds { subject: 1, relation: rel, related: 0 }],
    );
    if host_text.is_none() {
        out.unsupported = Some("the data model has no belongs-to relation from a type with a text field".into());
    }
    out
}

/// The patches the oplog case's batch makes to its fresh object (its create is the fifth write).
const PATCHES: usize = crate::declare::scenario::OPLOG_WRITES - 1;

/// Five writes to one fresh object (its create, then a batch of four patches), then the oplog paged over
/// them as the vendor's client pages it (`After::OplogPages`).
fn oplog(ctx: &Ctx, text: &str) -> Case {
    let id = "query/oplog/window/pages";
    let m = marker(ctx, id);
    let t = &ctx.object_type;
    let operations: Vec<Value> = (1..=PATCHES)
        .map(
            |i| json!({"method": "patch", "object": {"type": t, "id": fresh_placeholder(0), text: format!("{m} {i}")}}),
        )
        .collect();
    let req = crate::declare::routes::Route::Batch
        .bare(ctx)
        .json(json!({ "operations": operations }).to_string().into_bytes());
    Case {
        scenario: Scenario {
            fresh: made(ctx, text, &m, &["0"]),
            batch: Some(vec![crate::declare::scenario::OpExpect::Success; PATCHES]),
            after: vec![After::OplogPages(0)],
        },
        ..case(
            Family::Query,
            id.into(),
            "a fresh object and a batch of four patches to it, then the oplog paged over those five writes in three              pages by `next_request_start`: each entry once, each page in its range and limit; `tail` the newest"
                .into(),
            spec::depth::OPLOG_PAGES,
            req,
            Expect::success(),
        )
    }
}

/// Every case this file adds to the `query` family; without a text field to mark, each is skipped.
pub(super) fn cases(ctx: &Ctx, model: &DataModel, text: Option<&str>) -> Vec<Case> {
    let field = text.unwrap_or("name");
    let mut out = sorts(ctx, field);
    out.extend(pages(ctx, field));
    out.push(query_json(ctx, field));
    out.push(oplog(ctx, field));
    if text.is_none() {
        for c in &mut out {
            c.unsupported = Some(format!("`{}` has no text field to mark fresh objects by", ctx.object_type));
        }
    }
    out.push(embed(ctx, model));
    out
}
