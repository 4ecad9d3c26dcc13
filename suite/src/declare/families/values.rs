//! `values`: for every field type of Field Representation that the target's data model has, values it must accept
//! (read back in the documented form) and values it must reject with 422 INVALID_VALUE — on create,
//! PATCH, PUT and inside a batch — plus `null` clears, omission keeps, PUT clears. Every rejected write
//! is read back: a failed write changes nothing (docs/contract.md#failed-write).

mod belongs_to;
mod write;

use write::one_field;
pub use write::{json_string, write_case, Host, Op};

use super::samples::{self, Sample, SampleExpect};
use crate::declare::case::{Case, CaseRequest, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::model::{DataModel, FieldKind, ObjectType};
use crate::declare::routes::Shape;
use crate::declare::scenario::{After, Repr, Scenario, Subject};
use crate::declare::spec;
use crate::ErrorType::InvalidValue;
use serde_json::Value;

/// Cases that exist for every target, skipped with `reason` when its model cannot host them.
fn unsupported(group: &str, names: &[&str], reason: &str) -> Vec<Case> {
    names
        .iter()
        .map(|name| Case {
            id: format!("{group}/{name}"),
            family: Family::Values,
            description: format!("{group}: {name}"),
            spec: spec::INVALID_VALUE,
            request: CaseRequest::new("GET", String::new()),
            expect: Expect::error(InvalidValue),
            requires: Requires::Nothing,
            scenario: Scenario::default(),
            unsupported: Some(reason.to_string()),
        })
        .collect()
}

/// The update-semantics cases of one field: null clears, omission keeps (PATCH), omission clears (PUT).
fn update_cases(ctx: &Ctx, host: &Host, group: &str, seed: &Value, seed_repr: &Repr) -> Vec<Case> {
    let base = |name: &str,
                what: String,
                spec: &'static crate::declare::spec::Clause,
                method: &str,
                raw_body: Vec<u8>,
                repr: Repr| {
        Case {
            id: format!("{group}/{name}"),
            family: Family::Values,
            description: what,
            spec,
            request: Shape::Object.request(method, host.fresh_path(ctx, 0)).json(raw_body),
            expect: Expect::success(),
            requires: Requires::Nothing,
            scenario: Scenario {
                fresh: vec![host.fresh(one_field(&host.field, seed.clone()))],
                batch: None,
                after: vec![After::ReadBack { subject: Subject::Fresh(0), field: host.field.clone(), repr }],
            },
            unsupported: None,
        }
    };
    let empty = format!("{{{}:{{}}}}", json_string(&host.object.name)).into_bytes();
    vec![
        base(
            "null-clears/patch",
            format!("PATCH {} = null clears it", host.field),
            spec::NULL_CLEARS,
            "PATCH",
            host.wrapped("null", None),
            Repr::Cleared,
        ),
        base(
            "omitted-is-kept/patch",
            format!("PATCH without {} keeps it", host.field),
            spec::NULL_CLEARS,
            "PATCH",
            empty.clone(),
            seed_repr.clone(),
        ),
        base(
            "omitted-is-cleared/put",
            format!("PUT without {} clears it", host.field),
            spec::PUT_REPLACES,
            "PUT",
            empty,
            Repr::Cleared,
        ),
    ]
}

const OPS: [Op; 4] = [Op::Create, Op::Patch, Op::Put, Op::Batch];

/// The cases of one field type (or skipped placeholders when the model lacks it).
fn kind_cases(ctx: &Ctx, model: &DataModel, kind: FieldKind) -> Vec<Case> {
    let group = format!("values/{kind}");
    let placeholder;
    let (object, field, missing) = match model.field_of_kind(kind, &ctx.object_type) {
        Some((object, field)) => (object, field.clone(), None),
        None => {
            // Same IDs as on a model that has the kind, so every target lists the same cases.
            placeholder = ObjectType { name: ctx.object_type.clone(), ..ObjectType::default() };
            (
                &placeholder,
                samples::placeholder_field(kind),
                Some(format!("the data model has no usable `{kind}` field")),
            )
        }
    };
    let field = &field;
    let host =
        Host { object, field: field.name.clone(), marker_field: object.text_field(&field.name).map(str::to_string) };
    let all = samples::for_field(kind, field);
    let seed = all.iter().find_map(|s| match &s.expect {
        SampleExpect::Valid(r) => serde_json::from_str::<Value>(&s.raw).ok().map(|v| (v, r.clone())),
        _ => None,
    });
    let mut out = Vec::new();
    for sample in &all {
        for op in OPS {
            // Accepted values are written by create and patch; open ones only by create, where a 2xx is read back.
            let wanted = match sample.expect {
                SampleExpect::Invalid => true,
                SampleExpect::Valid(_) => matches!(op, Op::Create | Op::Patch),
                SampleExpect::Open { .. } => op == Op::Create,
            };
            if wanted {
                out.push(write_case(ctx, &host, &group, sample, op, seed.as_ref().map(|(v, _)| v)));
            }
        }
    }
    if let Some((value, repr)) = &seed {
        out.extend(update_cases(ctx, &host, &group, value, repr));
    }
    if let Some(reason) = missing {
        for case in &mut out {
            case.unsupported = Some(reason.clone());
        }
    }
    out
}

/// An unknown field name: an outcome set, and if accepted the field must not appear on read-back.
fn unknown_field_case(ctx: &Ctx, model: &DataModel) -> Case {
    let object = model.types.get(&ctx.object_type);
    let marker_field = object.and_then(|o| o.text_field("")).map(str::to_string);
    let host = Host { object: object.unwrap_or(&EMPTY_TYPE), field: "jc_no_such_field".into(), marker_field };
    let mut case = write_case(
        ctx,
        &Host {
            object: object.unwrap_or(&EMPTY_TYPE),
            field: host.field.clone(),
            marker_field: host.marker_field.clone(),
        },
        "values/unknown-field",
        &Sample {
            name: "string".into(),
            raw: json_string("x"),
            expect: SampleExpect::Open {
                outcomes: vec![
                    Outcome::Error(InvalidValue),
                    Outcome::Error(crate::ErrorType::InvalidApiRequest),
                    Outcome::Success,
                ],
                why: spec::open::UNKNOWN_FIELD,
                repr: Some(Repr::Cleared),
            },
        },
        Op::Create,
        None,
    );
    case.spec = spec::open::UNKNOWN_FIELD;
    case.description = "create with a field the data model lacks: 422, 400, or ignored (absent on read-back)".into();
    if object.is_none() {
        case.unsupported = Some(format!("the data model has no `{}` type", ctx.object_type));
    }
    case
}

static EMPTY_TYPE: ObjectType = ObjectType {
    name: String::new(),
    fields: std::collections::BTreeMap::new(),
    belongs_to: Vec::new(),
    has_many: Vec::new(),
};

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let mut out = Vec::new();
    for kind in FieldKind::ALL {
        out.extend(kind_cases(ctx, &model, kind));
    }
    out.extend(belongs_to::relation_cases(ctx, &model));
    out.push(unknown_field_case(ctx, &model));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::families::tests::ctx;
    use serde_json::json;

    fn with_model(model: Value) -> Vec<Case> {
        let mut ctx = ctx();
        ctx.model = model;
        cases(&ctx)
    }

    #[test]
    fn absent_types_keep_their_ids_and_are_skipped_with_a_reason() {
        let full = json!({"models": {
            "task": {"fields": {
                "name": {"type": "text"}, "photo": {"type": "photo"},
                "status": {"type": "single-choice", "options": [{"key": "open", "display": "Open"}, {"key": "done", "display": "Done"}]}
            }, "belongs_to": {"category": {"type": "category"}}},
            "category": {"fields": {"name": {"type": "text"}}}
        }});
        let mut lacking = full.clone();
        lacking["models"]["task"]["fields"].as_object_mut().map(|f| f.remove("photo"));
        lacking["models"]["task"]["belongs_to"] = json!({});
        let (a, b) = (with_model(full), with_model(lacking));
        let ids = |cases: &[Case]| cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b), "a target's model must not change case IDs");
        for case in &b {
            let present = ["values/text/", "values/single-choice/", "values/unknown-field/"]
                .iter()
                .any(|p| case.id.starts_with(p));
            assert_eq!(case.unsupported.is_none(), present, "{}: {:?}", case.id, case.unsupported);
        }
        let photo = b.iter().find(|c| c.id.starts_with("values/photo/")).and_then(|c| c.unsupported.clone());
        assert_eq!(photo.as_deref(), Some("the data model has no usable `photo` field"));
        assert!(a.iter().filter(|c| c.id.starts_with("values/photo/")).all(|c| c.unsupported.is_none()));
    }

    #[test]
    fn choice_samples_use_the_models_own_options() {
        let model = json!({"models": {"task": {"fields": {
            "status": {"type": "single-choice", "options": [{"key": "open", "display": "Open"}]}
        }}}});
        let cases = with_model(model);
        let valid = cases.iter().find(|c| c.id == "values/single-choice/first-option/create").expect("case");
        assert!(String::from_utf8_lossy(
            &valid.request.body.as_ref().map(crate::declare::request_body::Body::to_bytes).unwrap_or_default()
        )
        .contains(r#""status":"open""#));
    }
}
