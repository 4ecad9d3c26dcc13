//! Belongs-to values: `{rel}_id` must name an existing object of the related type, else INVALID_VALUE
//! (inside a batch a not-yet-existing ID is an open reading).

use super::{json_string, unsupported, write_case, Host, Op};
use crate::declare::case::{Case, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::families::samples::Sample;
use crate::declare::model::DataModel;
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, OpExpect, Repr, Scenario, Subject};
use crate::declare::spec;
use crate::ErrorType::InvalidValue;
use serde_json::Map;

/// Belongs-to: `{rel}_id` must be the ID of an existing object of the related type (INVALID_VALUE otherwise).
pub(super) fn relation_cases(ctx: &Ctx, model: &DataModel) -> Vec<Case> {
    let group = "values/belongs-to";
    let Some((object, rel)) = model.relation(&ctx.object_type) else {
        let ids = [
            "valid/create",
            "valid/patch",
            "unknown/batch",
            "malformed/create",
            "malformed/patch",
            "unknown/create",
            "unknown/patch",
            "wrong-type/create",
            "wrong-type/patch",
            "number/create",
        ];
        return unsupported(group, &ids, "the data model has no belongs-to relation");
    };
    let field = format!("{}_id", rel.name);
    let host = Host { object, field: field.clone(), marker_field: object.text_field("").map(str::to_string) };
    let related = Fresh { object_type: rel.target.clone(), fields: Map::new(), foreign: false };
    let mut out = Vec::new();
    // Valid: a fresh related object; for patch the host is fresh object 1.
    let valid_create = Case {
        id: format!("{group}/valid/create"),
        family: Family::Values,
        description: format!("create with {field} = an existing {}'s ID reads it back", rel.target),
        spec: spec::READ_BACK,
        request: Shape::Collection
            .request("POST", host.collection(ctx))
            .json(host.wrapped(&format!("\"{}\"", fresh_placeholder(0)), None)),
        expect: Expect::success(),
        requires: Requires::Nothing,
        scenario: Scenario {
            fresh: vec![related.clone()],
            batch: None,
            after: vec![After::ReadBack {
                subject: Subject::Created(object.name.clone()),
                field: field.clone(),
                repr: Repr::FreshId(0),
            }],
        },
        unsupported: None,
    };
    let valid_patch = Case {
        id: format!("{group}/valid/patch"),
        description: format!("patch {field} = an existing {}'s ID reads it back", rel.target),
        request: Shape::Object
            .request("PATCH", host.fresh_path(ctx, 1))
            .json(host.wrapped(&format!("\"{}\"", fresh_placeholder(0)), None)),
        scenario: Scenario {
            fresh: vec![related, host.fresh(Map::new())],
            batch: None,
            after: vec![After::ReadBack { subject: Subject::Fresh(1), field: field.clone(), repr: Repr::FreshId(0) }],
        },
        ..valid_create.clone()
    };
    out.push(valid_create);
    out.push(valid_patch);
    // Invalid: malformed, unknown, an object of another type.
    let wrong_type = (rel.target != ctx.object_type).then(|| ctx.existing_id.clone());
    let mut invalid = vec![
        Sample::invalid("malformed", json_string("not-a-uuid")),
        Sample::invalid("unknown", json_string(&ctx.unknown_id)),
        Sample::invalid("number", "123"),
    ];
    match wrong_type {
        Some(id) => invalid.insert(2, Sample::invalid("wrong-type", json_string(&id))),
        None => out.extend(unsupported(
            group,
            &["wrong-type/create", "wrong-type/patch"],
            "the relation points at the type under test, so the fixture is not of another type",
        )),
    }
    out.push(forward_reference(ctx, &host, &field));
    for sample in &invalid {
        for op in [Op::Create, Op::Patch] {
            if sample.name == "number" && op == Op::Patch {
                continue;
            }
            let mut case = write_case(ctx, &host, group, sample, op, None);
            case.description = format!("{} {field} = {} is INVALID_VALUE", op.name(), sample.name);
            out.push(case);
        }
    }
    out
}

/// A batch patch pointing `{rel}_id` at an ID no object has yet: inside a batch that may be a reference to
/// an object a later operation creates, so acceptance and INVALID_VALUE are both readings.
fn forward_reference(ctx: &Ctx, host: &Host, field: &str) -> Case {
    let why = spec::open::BATCH_FORWARD_REFERENCE;
    let either = Expect::any_of(&[Outcome::Error(InvalidValue), Outcome::Success], why);
    Case {
        id: "values/belongs-to/unknown/batch".into(),
        family: Family::Values,
        description: format!("batch patch of {field} = an ID no object has yet: accepted or INVALID_VALUE"),
        spec: why,
        request: Shape::Batch
            .request("POST", format!("{}/batch.json", ctx.base()))
            .json(host.batch_patch(&json_string(&ctx.unknown_id))),
        expect: Expect::success(),
        requires: Requires::Nothing,
        scenario: Scenario {
            fresh: vec![host.fresh(Map::new())],
            batch: Some(vec![OpExpect::Error(either)]),
            after: vec![],
        },
        unsupported: None,
    }
}
