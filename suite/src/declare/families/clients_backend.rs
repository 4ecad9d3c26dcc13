//! More `clients` controls: the documented formats (suffix left out, XML, form-encoded updates), the
//! documents the vendor's typed backend client reads (`info.json`, `indexes.json`), and the list's
//! `total=true` and `embed[]` (Retrieve All Objects). Declared by the `clients` family; each must succeed
//! on a conforming target and carry what its clause says.

use super::clients::{control, reads, scenario_case, shows};
use super::fresh_text;
use super::Route;
use crate::declare::case::Case;
use crate::declare::ctx::Ctx;
use crate::declare::model::DataModel;
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, Scenario, Shows};
use crate::declare::spec::client_clauses as spec;
use serde_json::{Map, Value};

/// GETs without the `.json` suffix, and the list as XML.
fn formats(ctx: &Ctx) -> Vec<Case> {
    let base = ctx.base();
    let t = &ctx.object_type;
    let get = |shape: Shape, path: String| shape.request("GET", path);
    vec![
        control(
            "format",
            "datamodel-no-suffix",
            "GET datamodel with the format left out",
            spec::FORMAT_SUFFIX,
            get(Shape::DataModel, format!("{base}/datamodel")),
        ),
        control(
            "format",
            "list-no-suffix",
            "GET objects/{type} with the format left out",
            spec::FORMAT_SUFFIX,
            get(Shape::Collection, format!("{base}/objects/{t}")),
        ),
        shows(
            control(
                "format",
                "list-xml",
                "GET objects/{type}.xml, the list as XML",
                spec::FORMAT_SUFFIX,
                get(Shape::Collection, format!("{base}/objects/{t}.xml")),
            ),
            Shows::Xml,
        ),
    ]
}

/// A PATCH as the docs' example sends it: form-encoded, the field under the model name in brackets.
fn form_update(ctx: &Ctx, field: Option<&str>) -> Case {
    let field_name = field.unwrap_or("name");
    let t = &ctx.object_type;
    let marker = ctx.marker("clients/form patch");
    let value = percent_encoding::utf8_percent_encode(&marker, percent_encoding::NON_ALPHANUMERIC);
    let req = Shape::Object
        .request("PATCH", format!("{}/objects/{t}/{}.json", ctx.base(), fresh_placeholder(0)))
        .form(format!("{t}[{field_name}]={value}").into_bytes());
    let scenario = Scenario {
        fresh: vec![fresh_text(ctx, field_name, "original")],
        batch: None,
        after: vec![reads(0, field_name, &marker)],
    };
    let what = "PATCH with a form-encoded body (`task[field]=value`), as in the docs' example; the value reads back";
    let mut case = scenario_case("form", "patch-form-encoded", what, spec::FORM_BODY, req, scenario);
    if field.is_none() {
        case.unsupported = Some(format!("`{t}` has no text field to read a form update back by"));
    }
    case
}

/// The typed client's documents (deployment info, indexes) and the list's total count and embedded relations.
fn extras(ctx: &Ctx, model: &DataModel) -> Vec<Case> {
    let base = ctx.base();
    let mut out = vec![
        control(
            "info",
            "info-json",
            "GET info.json, the deployment's description",
            spec::INFO,
            Route::Info.request(ctx),
        ),
        control(
            "info",
            "indexes-json",
            "GET indexes.json, the deployment's indexes",
            spec::INFO,
            Route::Indexes.request(ctx),
        ),
        shows(
            control(
                "list",
                "total",
                "GET objects with `total=true`, which adds the count of all matching objects",
                spec::LIST_TOTAL,
                Shape::Collection.request("GET", format!("{}?total=true&limit=1", ctx.collection())),
            ),
            Shows::Total,
        ),
    ];
    let relation = model.relation(&ctx.object_type);
    let (t, rel) =
        relation.map_or((ctx.object_type.clone(), "owner".to_string()), |(t, r)| (t.name.clone(), r.name.clone()));
    let target = relation.map_or_else(|| ctx.object_type.clone(), |(_, r)| r.target.clone());
    let mut host = Map::new();
    host.insert(format!("{rel}_id"), Value::String(fresh_placeholder(0)));
    // A fresh related object and a fresh object pointing at it, so the page lists one relation to embed.
    let scenario = Scenario {
        fresh: vec![
            Fresh { object_type: target, fields: Map::new(), foreign: false },
            Fresh { object_type: t.clone(), fields: host, foreign: false },
        ],
        batch: None,
        after: vec![After::Shows(Shows::Embeds { subject: 1, relation: rel.clone(), related: 0 })],
    };
    let mut embed = scenario_case(
        "list",
        "embed",
        "GET objects with `embed[]=<belongs-to>`: a fresh object lists its fresh related object embedded",
        spec::LIST_EMBED,
        Shape::Collection.request("GET", format!("{base}/objects/{t}.json?embed%5B%5D={rel}")),
        scenario,
    );
    if relation.is_none() {
        embed.unsupported = Some("the data model has no belongs-to relation to embed".into());
    }
    out.push(embed);
    out
}

/// Every case this file adds to the family.
pub fn cases(ctx: &Ctx, model: &DataModel, text: Option<&str>) -> Vec<Case> {
    let mut out = formats(ctx);
    out.push(form_update(ctx, ctx.marker_field().or(text)));
    out.extend(extras(ctx, model));
    out
}
