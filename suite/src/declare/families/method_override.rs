//! `methods/override/*`: the method-override habits of web frameworks, which must change nothing the
//! request does. A create (POST) carrying `X-HTTP-Method-Override`, `X-HTTP-Method` or `X-Method-Override:
//! DELETE` (Rack::MethodOverride reads the first; Express' method-override any header it is given) or
//! `?_method=DELETE` (Express' query getter) still creates exactly one object; a POST to an object's path
//! with `_method=PATCH` in its form body (Rails' habit) leaves the object unchanged. SHOULD throughout: the docs are silent.

use super::case;
use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::model::DataModel;
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Scenario};
use crate::declare::spec::depth::METHOD_OVERRIDE;
use crate::ErrorType::{InvalidApiRequest, RouteError};
use serde_json::{json, Value};

/// The override headers frameworks read.
const HEADERS: [&str; 3] = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

/// Every case of the group; without a text field to mark objects by, each is skipped.
pub(super) fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let text = ctx.marker_field().or_else(|| model.types.get(&ctx.object_type).and_then(|o| o.text_field("")));
    let field = text.unwrap_or("name").to_string();
    let t = &ctx.object_type;
    let create = |name: &str, header: Option<&str>, query: &str| {
        let id = format!("methods/override/{name}");
        let marker = ctx.marker(&format!("{id} :"));
        let body = json!({ t.clone(): { field.clone(): marker } }).to_string().into_bytes();
        let mut req = Shape::Collection.request("POST", format!("{}{query}", ctx.collection())).json(body);
        req.headers.extend(header.map(|h| (h.to_string(), b"DELETE".to_vec())));
        let sent = header.map_or_else(|| format!("`{query}`"), |h| format!("`{h}: DELETE`"));
        Case {
            scenario: Scenario {
                fresh: vec![],
                batch: None,
                after: vec![After::OneObjectMarked { object_type: t.clone(), field: field.clone(), marker }],
            },
            ..case(
                Family::Methods,
                id,
                format!("a create with {sent} still creates exactly one object"),
                METHOD_OVERRIDE,
                req,
                Expect::success(),
            )
        }
    };
    let mut out: Vec<Case> =
        HEADERS.iter().map(|h| create(&format!("{}-create", h.to_ascii_lowercase()), Some(h), "")).collect();
    out.push(create("query-method-create", None, "?_method=DELETE"));
    out.push(form_patch(ctx, &field));
    if text.is_none() {
        for c in &mut out {
            c.unsupported = Some(format!("`{t}` has no text field to mark objects by"));
        }
    }
    out
}

/// A POST to a fresh object's path with a form body that asks, by `_method`, to be a PATCH.
fn form_patch(ctx: &Ctx, field: &str) -> Case {
    let t = &ctx.object_type;
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair(&format!("{t}[{field}]"), &ctx.marker("methods/override/form :"))
        .append_pair("_method", "PATCH")
        .finish();
    let path = format!("{}/objects/{t}/{}.json", ctx.base(), fresh_placeholder(0));
    let mut fields = serde_json::Map::new();
    fields.insert(field.to_string(), Value::String("original".into()));
    Case {
        scenario: Scenario {
            fresh: vec![crate::declare::scenario::Fresh { object_type: t.clone(), fields, foreign: false }],
            batch: None,
            after: vec![After::Unchanged(0)],
        },
        ..case(
            Family::Methods,
            "methods/override/form-method-post-object".into(),
            "POST to an object's path with `_method=PATCH` in its form body changes nothing: the object reads back \
             unchanged (404 ROUTE_ERROR or 400 for the form expected)"
                .into(),
            METHOD_OVERRIDE,
            Shape::Object.request("POST", path).form(form),
            // A body refused before the route is found changes nothing either; a 2xx is allowed here so that
            // a target honouring the override is judged by the read-back at the clause's SHOULD, not by the
            // MUST that keeps errors from being answered 2xx.
            Expect::any_of(
                &[Outcome::Error(RouteError), Outcome::Error(InvalidApiRequest), Outcome::Success],
                METHOD_OVERRIDE,
            ),
        )
    }
}
