//! `clients`: controls made of the requests the vendor's own clients send (the db client's paging,
//! numeric sorts, batches with explicit IDs, `datamodel.xml` and `query.json`; the backend client's
//! oplog paging). Each must succeed on a conforming target: a failure here means a real client breaks.

use super::{case, fresh_text, Route};
use crate::declare::case::{Case, CaseRequest, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::model::{DataModel, FieldKind};
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, OpExpect, Repr, Scenario, Shows, Subject};
use crate::declare::spec::client_clauses as spec;
use crate::ErrorType::ObjectNotFound;
use serde_json::{json, Map, Value};

fn id(group: &str, name: &str) -> String {
    format!("clients/{group}/{name}")
}

/// A GET of the collection with `query` appended, as the db client builds it.
fn list(ctx: &Ctx, query: &str) -> CaseRequest {
    Shape::Collection.request("GET", format!("{}?{query}", ctx.collection()))
}

pub(super) fn control(
    group: &str,
    name: &str,
    what: &str,
    clause: &'static crate::declare::spec::Clause,
    req: CaseRequest,
) -> Case {
    case(Family::Clients, id(group, name), what.to_string(), clause, req, Expect::success())
}

/// A scenario case: fresh objects made before, a judged batch, read-backs after.
pub(super) fn scenario_case(
    group: &str,
    name: &str,
    what: &str,
    clause: &'static crate::declare::spec::Clause,
    req: CaseRequest,
    scenario: Scenario,
) -> Case {
    Case {
        id: id(group, name),
        family: Family::Clients,
        description: what.to_string(),
        spec: clause,
        request: req,
        expect: Expect::success(),
        requires: Requires::Nothing,
        scenario,
        unsupported: None,
    }
}

pub(super) fn reads(i: usize, field: &str, value: &str) -> After {
    After::ReadBack { subject: Subject::Fresh(i), field: field.to_string(), repr: Repr::Exact(json!(value)) }
}

fn batch(ctx: &Ctx, operations: Vec<Value>) -> CaseRequest {
    Route::Batch.bare(ctx).json(json!({ "operations": operations }).to_string().into_bytes())
}

/// Batches as the db client's `applyBatch` sends them: put, patch and delete with explicit IDs, no stop_on_error.
fn batches(ctx: &Ctx, field: Option<&str>) -> Vec<Case> {
    let field_name = field.unwrap_or("name");
    let t = ctx.object_type.as_str();
    let (put, patch) = (ctx.marker("clients/batch put"), ctx.marker("clients/batch patch"));
    let get_deleted = Shape::Object.request("GET", format!("{}/objects/{t}/{}.json", ctx.base(), fresh_placeholder(2)));
    let explicit = scenario_case(
        "batch",
        "put-patch-delete-explicit-ids",
        "put, patch and delete of three fresh objects by ID, without stop_on_error: each succeeds and sticks",
        spec::BATCH_EXPLICIT_IDS,
        batch(
            ctx,
            vec![
                json!({"method": "put", "object": {"type": t, "id": fresh_placeholder(0), field_name: put}}),
                json!({"method": "patch", "object": {"type": t, "id": fresh_placeholder(1), field_name: patch}}),
                json!({"method": "delete", "object": {"type": t, "id": fresh_placeholder(2)}}),
            ],
        ),
        Scenario {
            fresh: vec![
                fresh_text(ctx, field_name, "original"),
                fresh_text(ctx, field_name, "original"),
                fresh_text(ctx, field_name, "original"),
            ],
            batch: Some(vec![OpExpect::Success; 3]),
            after: vec![
                reads(0, field_name, &put),
                reads(1, field_name, &patch),
                After::Request(Box::new(get_deleted), Expect::error(ObjectNotFound)),
            ],
        },
    );
    let after_unknown = ctx.marker("clients/batch after unknown delete");
    let unknown = scenario_case(
        "batch",
        "delete-unknown-id",
        "a delete of an unknown ID fails only that operation (OBJECT_NOT_FOUND); the next patch applies",
        spec::BATCH_DELETE_UNKNOWN,
        batch(
            ctx,
            vec![
                json!({"method": "delete", "object": {"type": t, "id": ctx.unknown_id}}),
                json!({"method": "patch", "object": {"type": t, "id": fresh_placeholder(0), field_name: after_unknown}}),
            ],
        ),
        Scenario {
            fresh: vec![fresh_text(ctx, field_name, "original")],
            batch: Some(vec![OpExpect::Error(Expect::error(ObjectNotFound)), OpExpect::Success]),
            after: vec![reads(0, field_name, &after_unknown)],
        },
    );
    let mut out = vec![explicit, unknown];
    if field.is_none() {
        for case in &mut out {
            case.unsupported = Some(format!("`{}` has no text field to read batch writes back by", ctx.object_type));
        }
    }
    out
}

/// A create with a location that carries the timestamp of its fix, read back by its coordinates.
fn location(ctx: &Ctx, model: &DataModel, marker_field: Option<&str>) -> Case {
    let found = model.field_of_kind(FieldKind::Location, &ctx.object_type);
    let (t, field) =
        found.map_or((ctx.object_type.clone(), "location".to_string()), |(t, f)| (t.name.clone(), f.name.clone()));
    let mut fields = Map::new();
    fields.insert(field.clone(), json!({"latitude": -33.92, "longitude": 18.42, "timestamp": "2024-05-01T10:20:30Z"}));
    if let (Some(marker), true) = (marker_field, t == ctx.object_type) {
        fields.insert(marker.to_string(), json!(ctx.marker("clients/values/location-timestamp")));
    }
    let body = json!({ t.clone(): fields }).to_string().into_bytes();
    let req = Shape::Collection.request("POST", format!("{}/objects/{t}.json", ctx.base())).json(body);
    let members: Map<String, Value> =
        [("latitude".to_string(), json!(-33.92)), ("longitude".to_string(), json!(18.42))].into_iter().collect();
    let mut out = scenario_case(
        "values",
        "location-timestamp",
        "a location with latitude, longitude and the timestamp of its fix is accepted and reads back with a timestamp",
        spec::LOCATION_TIMESTAMP,
        req,
        Scenario {
            fresh: vec![],
            batch: None,
            after: vec![After::ReadBack { subject: Subject::Created(t), field, repr: Repr::LocationFix(members) }],
        },
    );
    if found.is_none() {
        out.unsupported = Some("the data model has no location field".into());
    }
    out
}

/// A control whose 2xx answer must also carry what `claim` says (an `.xml` suffix's XML, `total=true`'s total).
pub(super) fn shows(mut case: Case, claim: Shows) -> Case {
    case.scenario.after.push(After::Shows(claim));
    case
}

/// A sorted list of two fresh objects whose text values put the later-made one first, so a target that
/// ignores the sort (listing in the order objects were made) shows them the other way round. Without a
/// text field the list is still sent, but its order is not judged.
fn sorted(ctx: &Ctx, text: Option<&str>, (name, what, suffixes): (&str, &str, [&str; 2]), req: CaseRequest) -> Case {
    let Some(field) = text else { return control("list", name, what, spec::SORT_NUMERIC, req) };
    let marker = ctx.marker(&format!("clients/list/{name}"));
    let scenario = Scenario {
        fresh: suffixes.iter().map(|s| fresh_text(ctx, field, &format!("{marker} {s}"))).collect(),
        batch: None,
        after: vec![After::Shows(Shows::Before { first: 1, then: 0 })],
    };
    let what = format!("{what}: of two fresh objects, the one made second is listed first");
    scenario_case("list", name, &what, spec::SORT_NUMERIC, req, scenario)
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let object = model.types.get(&ctx.object_type);
    let text = object.and_then(|o| o.text_field("")).map(str::to_string);
    let sort_field = text.clone().unwrap_or_else(|| "_updated_at".into());
    let sort = |dir: &str| format!("sort%5B{sort_field}%5D={dir}");
    let mut out = vec![
        control(
            "list",
            "limit-skip-empty",
            "GET objects with `limit=&skip=`, as the db client sends a query without paging",
            spec::EMPTY_PAGING,
            list(ctx, "limit=&skip="),
        ),
        sorted(
            ctx,
            text.as_deref(),
            ("sort-descending-numeric", "GET objects sorted with `sort[field]=-1`", ["a", "b"]),
            list(ctx, &format!("limit=&skip=&{}", sort("-1"))),
        ),
        sorted(
            ctx,
            text.as_deref(),
            ("sort-ascending-numeric", "GET objects sorted with `sort[field]=1`", ["b", "a"]),
            list(ctx, &sort("1")),
        ),
        shows(
            control(
                "datamodel",
                "xml",
                "GET datamodel.xml, the schema the db client loads, answered as XML",
                spec::DATAMODEL_XML,
                Route::DataModelXml.request(ctx),
            ),
            Shows::Xml,
        ),
    ];
    let expression = match &text {
        Some(field) => {
            json!({"expression": format!("{field} = ?"), "arguments": ["journey"], "limit": 10, "skip": null, "sort": [format!("-{field}")]})
        }
        None => json!({"expression": "", "arguments": [], "limit": 10, "skip": null, "sort": []}),
    };
    let query = Shape::Query
        .request("POST", format!("{}/objects/{}/query.json", ctx.base(), ctx.object_type))
        .json(expression.to_string().into_bytes());
    out.push(control(
        "query",
        "query-json",
        "POST objects/{type}/query.json with an expression, its arguments, limit and sort",
        spec::QUERY_BODY,
        query,
    ));
    let oplog = Shape::Oplog.request("GET", format!("{}/oplog.json?sequence_ids=true&start=0&limit=2", ctx.base()));
    out.push(control(
        "oplog",
        "sequence-ids-paging",
        "GET oplog.json?sequence_ids=true&start=0&limit=2, the backend client's first page",
        spec::OPLOG_PAGING,
        oplog,
    ));
    out.extend(batches(ctx, ctx.marker_field().or(text.as_deref())));
    out.push(location(ctx, &model, ctx.marker_field()));
    out.extend(super::clients_backend::cases(ctx, &model, text.as_deref()));
    out.extend(super::clients_db::cases(ctx, &model, text.as_deref()));
    out
}
