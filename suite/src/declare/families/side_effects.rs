//! `side-effects`: failed writes, deletes and isolation (docs/contract.md) read back through the API. A failed write changes nothing; after
//! DELETE the ID is OBJECT_NOT_FOUND (PUT recreates it: documented upsert); one account's credentials
//! never read or change another account's objects.

use crate::declare::case::{Auth, Case, CaseRequest, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, Scenario};
use crate::declare::spec;
use crate::ErrorType::{InvalidApiRequest, ObjectNotFound};
use serde_json::{Map, Value};

fn fresh(ctx: &Ctx) -> Fresh {
    Fresh { object_type: ctx.object_type.clone(), fields: ctx.fields(), foreign: false }
}

fn object_path(ctx: &Ctx, base: &str) -> String {
    format!("{base}/objects/{}/{}.json", ctx.object_type, fresh_placeholder(0))
}

fn with_body(ctx: &Ctx, method: &str, path: String) -> CaseRequest {
    let req = Shape::Object.request(method, path);
    if matches!(method, "PATCH" | "PUT" | "POST") {
        req.json(ctx.wrapped_body())
    } else {
        req
    }
}

#[allow(clippy::too_many_arguments)]
fn scenario_case(
    id: &str,
    description: String,
    spec: &'static crate::declare::spec::Clause,
    request: CaseRequest,
    expect: Expect,
    scenario: Scenario,
    requires: Requires,
) -> Case {
    Case {
        id: format!("side-effects/{id}"),
        family: Family::SideEffects,
        description,
        spec,
        request,
        expect,
        requires,
        scenario,
        unsupported: None,
    }
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    let own = object_path(ctx, &ctx.base());

    // After DELETE.
    let follow_ups = [
        ("GET", Expect::error(ObjectNotFound)),
        ("PATCH", Expect::error(ObjectNotFound)),
        ("DELETE", Expect::error(ObjectNotFound)),
        ("PUT", Expect::success()),
    ];
    for (method, then) in follow_ups {
        let name = if method == "PUT" {
            "after-delete/PUT-recreates".to_string()
        } else {
            format!("after-delete/{method}-not-found")
        };
        let follow = with_body(ctx, method, own.clone());
        out.push(scenario_case(
            &name,
            format!("DELETE an object, then {method} it: {then}"),
            spec::AFTER_DELETE,
            Shape::Object.request("DELETE", own.clone()),
            Expect { outcomes: vec![Outcome::EmptySuccess], why: None },
            Scenario { fresh: vec![fresh(ctx)], batch: None, after: vec![After::Request(Box::new(follow), then)] },
            Requires::Nothing,
        ));
    }

    // A deleted object is not listed any more.
    {
        let field = ctx.marker_field().unwrap_or("name");
        let marker = ctx.marker("side-effects/after-delete/list");
        let mut fields = Map::new();
        fields.insert(field.to_string(), Value::String(marker.clone()));
        let mut case = scenario_case(
            "after-delete/list-excludes-it",
            "DELETE an object, then list by its marker: it is gone from the list too".into(),
            spec::AFTER_DELETE,
            Shape::Object.request("DELETE", own.clone()),
            Expect { outcomes: vec![Outcome::EmptySuccess], why: None },
            Scenario {
                fresh: vec![Fresh { object_type: ctx.object_type.clone(), fields, foreign: false }],
                batch: None,
                after: vec![After::NoObjectMarked {
                    object_type: ctx.object_type.clone(),
                    field: field.to_string(),
                    marker,
                }],
            },
            Requires::Nothing,
        );
        if ctx.marker_field().is_none() {
            case.unsupported = failed_create_reason(ctx);
        }
        out.push(case);
    }

    // A failed write changes nothing.
    let t = serde_json::to_string(&ctx.object_type).unwrap_or_default();
    let field = ctx.marker_field().unwrap_or("name").to_string();
    let k = serde_json::to_string(&field).unwrap_or_default();
    let broken_writes: [(&str, &str, String); 4] = [
        ("failed-write/patch-syntax-error", "PATCH", format!(r#"{{{t}:{{{k}:"changed",}}}}"#)),
        ("failed-write/put-syntax-error", "PUT", format!(r#"{{{t}:{{{k}:"changed"}}"#)),
        ("failed-write/patch-wrong-shape", "PATCH", format!(r#"{{{k}:"changed"}}"#)),
        ("failed-write/put-wrong-shape", "PUT", format!(r#"[{{{t}:{{{k}:"changed"}}}}]"#)),
    ];
    for (id, method, body) in broken_writes {
        out.push(scenario_case(
            id,
            format!("a {method} rejected for its body leaves the object as it was"),
            spec::FAILED_WRITE,
            Shape::Object.request(method, own.clone()).json(body),
            Expect::error(InvalidApiRequest),
            Scenario { fresh: vec![fresh(ctx)], batch: None, after: vec![After::Unchanged(0)] },
            Requires::Nothing,
        ));
    }
    let marker = ctx.marker("side-effects/failed-create");
    let m = serde_json::to_string(&marker).unwrap_or_default();
    let mut failed_create = scenario_case(
        "failed-write/create-syntax-error",
        "a create rejected for a trailing comma leaves no object".into(),
        spec::FAILED_WRITE,
        Shape::Collection.request("POST", ctx.collection()).json(format!(r#"{{{t}:{{{k}:{m},}}}}"#)),
        Expect::error(InvalidApiRequest),
        Scenario {
            fresh: vec![],
            batch: None,
            after: vec![After::NoObjectMarked {
                object_type: ctx.object_type.clone(),
                field: field.clone(),
                marker: marker.clone(),
            }],
        },
        Requires::Nothing,
    );
    if ctx.marker_field().is_none() {
        failed_create.unsupported = Some(format!("`{}` has no text field to mark the create with", ctx.object_type));
    }
    out.push(failed_create);

    // PUT of an unknown well-formed ID is the documented upsert.
    let upsert_marker = ctx.marker("side-effects/put-upsert");
    let mut fields = Map::new();
    fields.insert(field.clone(), Value::String(upsert_marker.clone()));
    let mut wrapped = Map::new();
    wrapped.insert(ctx.object_type.clone(), Value::Object(fields));
    let mut upsert = scenario_case(
        "put/upsert-creates",
        "PUT of an unused well-formed ID creates the object with that ID".into(),
        crate::declare::spec::PUT_UPSERT,
        Shape::Object
            .request("PUT", ctx.object(&uuid::Uuid::new_v4().to_string()))
            .json(Value::Object(wrapped).to_string()),
        Expect::success(),
        Scenario {
            fresh: vec![],
            batch: None,
            after: vec![After::OneObjectMarked {
                object_type: ctx.object_type.clone(),
                field: field.clone(),
                marker: upsert_marker,
            }],
        },
        Requires::Nothing,
    );
    if ctx.marker_field().is_none() {
        upsert.unsupported = failed_create_reason(ctx);
    }
    out.push(upsert);

    // Isolation: the second account against the first account's fresh object.
    let second_base = ctx.base_of(ctx.second_account.as_deref().unwrap_or("no-second-account-configured"));
    for method in ["GET", "PATCH", "PUT", "DELETE"] {
        let mut after = vec![After::Unchanged(0)];
        if method == "GET" {
            after.clear();
        }
        out.push(scenario_case(
            &format!("isolation/{method}-foreign-object-with-own-credentials"),
            format!("{method} of the first account's object with the second account's credentials is refused (404 or 401) and changes nothing"),
            spec::ISOLATION,
            with_body(ctx, method, own.clone()).auth(Auth::Secondary),
            super::accounts::foreign(),
            Scenario { fresh: vec![fresh(ctx)], batch: None, after: after.clone() },
            Requires::SecondAccount,
        ));
        if method != "PUT" {
            // Below its own account, the other account's object does not exist (PUT there would be an upsert).
            out.push(scenario_case(
                &format!("isolation/{method}-foreign-id-in-own-account"),
                format!("{method} of the first account's object ID below the second account is OBJECT_NOT_FOUND and changes nothing"),
                spec::ISOLATION,
                with_body(ctx, method, object_path(ctx, &second_base)).auth(Auth::Secondary),
                Expect::error(ObjectNotFound),
                Scenario { fresh: vec![fresh(ctx)], batch: None, after },
                Requires::SecondAccount,
            ));
        }
    }
    out
}

fn failed_create_reason(ctx: &Ctx) -> Option<String> {
    Some(format!("`{}` has no text field to mark the object with", ctx.object_type))
}
