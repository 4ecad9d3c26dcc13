//! The `clients` controls made of what the vendor's db client (`journeyapps-db` in
//! journeyapps-platform/journey-lib, the OnlineDB behind CloudCode) sends: its `query.json` expressions
//! (every `where()` in parentheses, `and`/`or` nested, `starts with`, `not in`, `id in ?`), its location
//! array in a batch patch, and its bare attachment fetch. Each description names the source file and line
//! the request shape comes from; each judges the objects its 2xx must list (and omit, and in which order).

use super::clients::{scenario_case, shows};
use crate::declare::case::{Case, CaseRequest};
use crate::declare::ctx::Ctx;
use crate::declare::model::{DataModel, FieldKind};
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, OpExpect, Repr, Scenario, Shows, Subject};
use crate::declare::spec::client_clauses as spec;
use serde_json::{json, Map, Value};

/// One `query.json` control: its expression and arguments (`{m}` in a string stands for the case's
/// marker), the fresh objects' text values (the same), what the answer must show, and where the shape
/// comes from.
struct QueryControl {
    name: &'static str,
    what: &'static str,
    expression: &'static str,
    arguments: Value,
    sort: &'static [&'static str],
    values: &'static [&'static str],
    claims: Vec<Shows>,
}

fn marked(value: &Value, marker: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace("{m}", marker)),
        Value::Array(items) => Value::Array(items.iter().map(|v| marked(v, marker)).collect()),
        other => other.clone(),
    }
}

fn query_controls() -> Vec<QueryControl> {
    use Shows::{Before, Lists, Omits};
    vec![
        QueryControl {
            name: "where-parenthesised",
            what: "`(f = ?)`, one condition as `Query.where()` wraps it (journeyapps-db/src/query/Query.ts:234 joins it \
                   into an AndExpression, src/query/queryOperations.ts:336 writes its parentheses, \
                   src/database/JourneyAPIAdapter.ts:322 posts it): `=` keeps case, so only the object with that exact text is listed",
            expression: "({f} = ?)",
            arguments: json!(["{m} Ab"]),
            sort: &[],
            values: &["{m} Ab", "{m} ab"],
            claims: vec![Lists(0), Omits(1)],
        },
        QueryControl {
            name: "nested-and-or",
            what: "`((f starts with ? and f contains ?) or f = ?)` sorted by f, the staff's example as `where()` nests it \
                   (src/query/queryOperations.ts:334 and :399 write the and/or groups, :452 lists the operators): the \
                   objects matching either side (`contains` ignoring case), in sort order; not the one matching only `starts with`",
            expression: "(({f} starts with ? and {f} contains ?) or {f} = ?)",
            arguments: json!(["{m} x", "W", "{m} k"]),
            sort: &["{f}"],
            values: &["{m} xw", "{m} k", "{m} xv"],
            claims: vec![Lists(0), Lists(1), Omits(2), Before { first: 1, then: 0 }],
        },
        QueryControl {
            name: "starts-with",
            what: "`(f starts with ?)` (src/query/queryOperations.ts:452, written by :197 inside `where()`'s \
                   parentheses): the object whose text starts so is listed, one that only contains it is not",
            expression: "({f} starts with ?)",
            arguments: json!(["{m} b"]),
            sort: &[],
            values: &["{m} bc", "c {m} b"],
            claims: vec![Lists(0), Omits(1)],
        },
        QueryControl {
            name: "not-in",
            what: "`(f not in ? and f contains ?)` with an array argument (src/query/queryOperations.ts:452 and :164): the \
                   marked object not in the array is listed, the one in it is not",
            expression: "({f} not in ? and {f} contains ?)",
            arguments: json!([["{m} a"], "{m}"]),
            sort: &[],
            values: &["{m} a", "{m} b"],
            claims: vec![Lists(1), Omits(0)],
        },
        QueryControl {
            name: "id-in",
            what: "`id in ?` with two IDs, unparenthesised, as `getAll()` and `include()` fetch related objects \
                   (src/database/JourneyAPIAdapter.ts:169 builds the Operation, src/query/queryOperations.ts:197 writes \
                   it): both objects are listed, a third is not",
            expression: "id in ?",
            arguments: json!([["{{new0}}", "{{new1}}"]]),
            sort: &[],
            values: &["{m} one", "{m} two", "{m} three"],
            claims: vec![Lists(0), Lists(1), Omits(2)],
        },
    ]
}

fn query_case(ctx: &Ctx, field: Option<&str>, control: QueryControl) -> Case {
    let f = field.unwrap_or("name");
    let marker = ctx.marker(&format!("clients/query/{}", control.name));
    let fill = |s: &str| s.replace("{f}", f).replace("{m}", &marker);
    let sort: Vec<String> = control.sort.iter().map(|s| fill(s)).collect();
    let body = json!({
        "expression": fill(control.expression),
        "arguments": marked(&control.arguments, &marker),
        "limit": null,
        "skip": null,
        "sort": sort,
    });
    let req = Shape::Query
        .request("POST", format!("{}/objects/{}/query.json", ctx.base(), ctx.object_type))
        .json(body.to_string().into_bytes());
    let scenario = Scenario {
        fresh: control.values.iter().map(|v| super::fresh_text(ctx, f, &fill(v))).collect(),
        batch: None,
        after: control.claims.into_iter().map(After::Shows).collect(),
    };
    let mut case = scenario_case("query", control.name, control.what, spec::QUERY_LANGUAGE, req, scenario);
    if field.is_none() {
        case.unsupported = Some(format!("`{}` has no text field to mark the queried objects with", ctx.object_type));
    }
    case
}

/// The type and name of the model's first field of `kind` (the case's own type first), or stand-ins and
/// why the case cannot run.
fn field_of(ctx: &Ctx, model: &DataModel, kind: FieldKind, stand_in: &str) -> ((String, String), Option<String>) {
    match model.field_of_kind(kind, &ctx.object_type) {
        Some((t, f)) => ((t.name.clone(), f.name.clone()), None),
        None => {
            ((ctx.object_type.clone(), stand_in.to_string()), Some(format!("the data model has no {stand_in} field")))
        }
    }
}

/// A batch patch of a fresh object with its location as the db client writes it: the six-part array.
fn location_array(ctx: &Ctx, model: &DataModel) -> Case {
    let ((t, field), missing) = field_of(ctx, model, FieldKind::Location, "location");
    let mut object = Map::new();
    object.insert("type".into(), json!(t));
    object.insert("id".into(), json!(fresh_placeholder(0)));
    object.insert(field.clone(), json!([-33.92, 18.42, 12.5, 5, null, "2024-05-01T10:20:30.000Z"]));
    let mut fresh_fields = Map::new();
    if let (Some(marker_field), true) = (ctx.marker_field(), t == ctx.object_type) {
        fresh_fields.insert(marker_field.to_string(), json!(ctx.marker("clients/values/location-array-batch")));
    }
    let body = json!({"operations": [{"method": "patch", "object": object}]});
    let req = Shape::Batch.request("POST", format!("{}/batch.json", ctx.base())).json(body.to_string().into_bytes());
    let members: Map<String, Value> =
        [("latitude".to_string(), json!(-33.92)), ("longitude".to_string(), json!(18.42))].into_iter().collect();
    let scenario = Scenario {
        fresh: vec![Fresh { object_type: t, fields: fresh_fields, foreign: false }],
        batch: Some(vec![OpExpect::Success]),
        after: vec![After::ReadBack { subject: Subject::Fresh(0), field, repr: Repr::LocationFix(members) }],
    };
    let what = "a batch patch whose location is the db client's array [lat, lng, altitude, horizontal and vertical accuracy, \
                timestamp] (journeyapps-db/src/types/Location.ts:40 writes it, src/database/JourneyAPIAdapter.ts:198 patches \
                it in the batch): the operation succeeds and the location reads back as the documented object with its fix's timestamp";
    let mut case = scenario_case("values", "location-array-batch", what, spec::LOCATION_ARRAY, req, scenario);
    case.unsupported = missing;
    case
}

/// A fresh object with an upload, read, and its attachment URL fetched with no credentials.
fn attachment_fetch(ctx: &Ctx, model: &DataModel) -> Case {
    let ((t, field), missing) = field_of(ctx, model, FieldKind::Attachment, "attachment");
    let mut fields = Map::new();
    fields.insert(field.clone(), json!({"base64": "aGVsbG8=", "filename": "report.txt"}));
    let req: CaseRequest =
        Shape::Object.request("GET", format!("{}/objects/{t}/{}.json", ctx.base(), fresh_placeholder(0)));
    let scenario = Scenario {
        fresh: vec![Fresh { object_type: t, fields, foreign: false }],
        batch: None,
        after: vec![After::CapabilityFetch { subject: Subject::Fresh(0), field }],
    };
    let what = "an uploaded attachment's URL fetched with no Authorization at all, as the db client downloads it \
                (journeyapps-db/src/types/Attachment.ts:141, a bare `fetch(this.url())`): it answers 2xx, or a redirect \
                whose target answers 2xx without credentials too; with its token altered it is 404";
    let mut case =
        scenario_case("attachments", "fetch-without-credentials", what, spec::ATTACHMENT_CAPABILITY, req, scenario);
    case.unsupported = missing;
    case
}

/// The docs' Retrieve All Objects example, a plain list GET: its pagination data carries `total`.
fn total_by_default(ctx: &Ctx) -> Case {
    let req = Shape::Collection.request("GET", ctx.collection());
    let what =
        "GET objects/{type}.json with no parameters, the docs' Retrieve All Objects example: its pagination data \
                is `count`, `total` and `more` (a call that is no CloudCode or OnlineDB fetch keeps `total`)";
    shows(super::clients::control("list", "total-by-default", what, spec::LIST_TOTAL_DEFAULT, req), Shows::Total)
}

/// A list signed in as the db client signs in with a token: `Authorization: Token <token>`.
fn token_scheme(ctx: &Ctx) -> Case {
    let req = Shape::Collection
        .request("GET", format!("{}?limit=1", ctx.collection()))
        .auth(crate::declare::case::Auth::PrimaryToken);
    let what = "GET objects with the configured token sent as `Authorization: Token <token>`, the db client's form \
                (journeyapps-db/src/credentials/ApiCredentials.ts:24); the docs write `Bearer`";
    let mut case = super::clients::control("auth", "token-scheme", what, spec::TOKEN_SCHEME, req);
    if !ctx.bearer {
        case.unsupported =
            Some("the run signs in with a password, so it has no token to send (set JOURNEY_API_TOKEN)".into());
    }
    case
}

/// Every case this file adds to the family.
pub fn cases(ctx: &Ctx, model: &DataModel, text: Option<&str>) -> Vec<Case> {
    let field = ctx.marker_field().or(text);
    let mut out: Vec<Case> = query_controls().into_iter().map(|c| query_case(ctx, field, c)).collect();
    out.push(location_array(ctx, model));
    out.push(attachment_fetch(ctx, model));
    out.push(total_by_default(ctx));
    out.push(token_scheme(ctx));
    out
}
