//! `accounts/isolation/*`: objects made in the second account never show through the first account's
//! read paths (the list, a filter on their marker, `query.json`, `search.json`, the oplog to its end or a bound, an
//! embedded relation), and a
//! batch of the first account cannot patch or delete them by ID: each operation is OBJECT_NOT_FOUND and
//! the object reads back unchanged with the second account's credentials. Nor does the first account's
//! read of its own upload show the URL of the second account's (`isolation/attachment-url`): an
//! attachment URL is a capability.
//!
//! `embed` resolves only the relation IDs of the first account's own objects, so `isolation/embed` first
//! points one at a foreign object: that write is INVALID_VALUE (an ID the account does not have, as
//! `values/belongs-to/unknown/*`), and the object read with `embed[]=<relation>` then shows nothing foreign.

use crate::declare::case::{Case, CaseRequest, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::model::DataModel;
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, OpExpect, Scenario};
use crate::declare::spec;
use crate::ErrorType::{InvalidValue, ObjectNotFound};
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

/// What one case reads or writes, with the foreign object it is about.
struct Probe {
    name: &'static str,
    description: &'static str,
    request: CaseRequest,
    batch: Option<Vec<OpExpect>>,
    after: After,
}

fn probes(ctx: &Ctx, field: &str, marker: &dyn Fn(&str) -> String) -> Vec<Probe> {
    let t = &ctx.object_type;
    let collection = ctx.collection();
    let filter = |name: &str| {
        let key = utf8_percent_encode(&format!("query[{field}]"), NON_ALPHANUMERIC).to_string();
        format!("{collection}?{key}={}&limit=1000", utf8_percent_encode(&marker(name), NON_ALPHANUMERIC))
    };
    let query = json!({"expression": format!("{field} = ?"), "arguments": [marker("query-json")], "limit": 1000});
    let batch = |op: Value| json!({ "operations": [op] }).to_string().into_bytes();
    let id = fresh_placeholder(0);
    let not_found = || Some(vec![OpExpect::Error(Expect::error(ObjectNotFound))]);
    let seen = |oplog| After::NothingForeign { read: None, oplog };
    vec![
        Probe {
            name: "list",
            description: "the first account's list (limit=1000) shows no object of the second account",
            request: Shape::Collection.request("GET", format!("{collection}?limit=1000")),
            batch: None,
            after: seen(false),
        },
        Probe {
            name: "list-filtered",
            description: "the first account's list filtered on the foreign object's marker is empty of it",
            request: Shape::Collection.request("GET", filter("list-filtered")),
            batch: None,
            after: seen(false),
        },
        Probe {
            name: "query-json",
            description: "POST query.json for the foreign object's marker, with the first account's credentials, finds none",
            request: Shape::Query
                .request("POST", format!("{}/objects/{t}/query.json", ctx.base()))
                .json(query.to_string().into_bytes()),
            batch: None,
            after: seen(false),
        },
        Probe {
            name: "search",
            description: "POST search.json for the foreign object's marker, with the first account's credentials, finds none",
            request: Shape::Search
                .request("POST", format!("{}/objects/{t}/search.json", ctx.base()))
                .form(format!("query={}", utf8_percent_encode(&marker("search"), NON_ALPHANUMERIC))),
            batch: None,
            after: seen(false),
        },
        Probe {
            name: "oplog",
            description: "the first account's oplog from start=0 to its end (bounded pages, then its newest) logs no foreign write",
            request: Shape::Oplog.request("GET", format!("{}/oplog.json?start=0&limit=1000", ctx.base())),
            batch: None,
            after: seen(true),
        },
        Probe {
            name: "batch-patch",
            description: "a batch patch of the foreign object's ID is OBJECT_NOT_FOUND and leaves it unchanged",
            request: Shape::Batch
                .request("POST", format!("{}/batch.json", ctx.base()))
                .json(batch(json!({"method": "patch", "object": {"type": t, "id": id, field: "changed"}}))),
            batch: not_found(),
            after: After::Unchanged(0),
        },
        Probe {
            name: "batch-delete",
            description: "a batch delete of the foreign object's ID is OBJECT_NOT_FOUND and leaves it in place",
            request: Shape::Batch
                .request("POST", format!("{}/batch.json", ctx.base()))
                .json(batch(json!({"method": "delete", "object": {"type": t, "id": id}}))),
            batch: not_found(),
            after: After::Unchanged(0),
        },
    ]
}

/// Every case of the group: each makes one marked object in the second account first.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let field = ctx.marker_field().unwrap_or("name").to_string();
    let marker = |name: &str| ctx.marker(&format!("isolation-{name}"));
    probes(ctx, &field, &marker)
        .into_iter()
        .map(|p| {
            let mut fields = Map::new();
            fields.insert(field.clone(), Value::String(marker(p.name)));
            let foreign = Fresh { object_type: ctx.object_type.clone(), fields, foreign: true };
            Case {
                id: format!("accounts/isolation/{}", p.name),
                family: Family::Accounts,
                description: p.description.to_string(),
                spec: spec::ISOLATION,
                request: p.request,
                expect: Expect::success(),
                requires: Requires::SecondAccount,
                scenario: Scenario { fresh: vec![foreign], batch: p.batch, after: vec![p.after] },
                unsupported: ctx
                    .marker_field()
                    .is_none()
                    .then(|| format!("`{}` has no text field to mark the foreign object with", ctx.object_type)),
            }
        })
        .chain([embed(ctx), attachment_url(ctx)])
        .collect()
}

/// The same file uploaded in each account, the second account's first: the first account's read of its
/// own object carries its own attachment URL, never the other's, which opens the other's file to anyone
/// who holds it (a capability, as the vendor's db client fetches it without credentials).
fn attachment_url(ctx: &Ctx) -> Case {
    let model = DataModel::parse(&ctx.model);
    let found = model.field_of_kind(crate::declare::model::FieldKind::Attachment, &ctx.object_type);
    let (t, field) =
        found.map_or((ctx.object_type.clone(), "attachment".to_string()), |(t, f)| (t.name.clone(), f.name.clone()));
    let mut fields = Map::new();
    fields.insert(field, json!({"base64": "aXNvbGF0aW9uIGNhcGFiaWxpdHk=", "filename": "isolation-url.txt"}));
    let theirs = Fresh { object_type: t.clone(), fields: fields.clone(), foreign: true };
    let own = Fresh { object_type: t.clone(), fields, foreign: false };
    Case {
        id: "accounts/isolation/attachment-url".into(),
        family: Family::Accounts,
        description: "the first account's object with an upload reads back with its own attachment URL, never the one \
                      the second account's earlier upload of the same file got"
            .into(),
        spec: spec::ISOLATION,
        request: Shape::Object.request("GET", format!("{}/objects/{t}/{}.json", ctx.base(), fresh_placeholder(1))),
        expect: Expect::success(),
        requires: Requires::SecondAccount,
        scenario: Scenario {
            fresh: vec![theirs, own],
            batch: None,
            after: vec![After::NothingForeign { read: None, oplog: false }],
        },
        unsupported: found.is_none().then(|| "the data model has no attachment field".to_string()),
    }
}

/// A belongs-to of a fresh first-account object pointed at a foreign object (fresh 0, of the related type):
/// refused, and its embedding read shows nothing of the foreign object.
fn embed(ctx: &Ctx) -> Case {
    let model = DataModel::parse(&ctx.model);
    let relation = model.relation(&ctx.object_type);
    let (host, rel, target) = relation.map_or_else(
        || (ctx.object_type.clone(), "owner".to_string(), ctx.object_type.clone()),
        |(t, r)| (t.name.clone(), r.name.clone(), r.target.clone()),
    );
    let mut fields = Map::new();
    if let Some(text) = model.types.get(&target).and_then(|t| t.text_field("")) {
        fields.insert(text.to_string(), Value::String(ctx.marker("isolation-embed")));
    }
    let object = format!("{}/objects/{host}/{}.json", ctx.base(), fresh_placeholder(1));
    let body = json!({ &host: { format!("{rel}_id"): fresh_placeholder(0) } });
    let read = Shape::Object.request("GET", format!("{object}?embed%5B%5D={rel}"));
    Case {
        id: "accounts/isolation/embed".into(),
        family: Family::Accounts,
        description: "a belongs-to pointed at the second account's object is INVALID_VALUE, and embedding it shows nothing foreign".into(),
        spec: spec::ISOLATION,
        request: Shape::Object.request("PATCH", object).json(body.to_string().into_bytes()),
        expect: Expect::error(InvalidValue),
        requires: Requires::SecondAccount,
        scenario: Scenario {
            fresh: vec![
                Fresh { object_type: target, fields, foreign: true },
                Fresh { object_type: host, fields: Map::new(), foreign: false },
            ],
            batch: None,
            after: vec![After::NothingForeign { read: Some(Box::new(read)), oplog: false }],
        },
        unsupported: relation.is_none().then(|| "the data model has no belongs-to relation to embed".to_string()),
    }
}
