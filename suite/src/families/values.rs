//! `values`: for every field type of spec §4 that the target's data model has, values it must accept
//! (read back in the documented form) and values it must reject with 422 INVALID_VALUE — on create,
//! PATCH, PUT and inside a batch — plus `null` clears, omission keeps, PUT clears. Every rejected write
//! is read back: a failed write changes nothing (§6.5).

use super::samples::{self, Sample, SampleExpect};
use crate::case::{Case, CaseRequest, Family, Requires};
use crate::ctx::Ctx;
use crate::expect::{Expect, Outcome};
use crate::model::{DataModel, FieldKind, ObjectType};
use crate::routes::{Route, Shape};
use crate::scenario::{fresh_placeholder, After, Fresh, OpExpect, Repr, Scenario, Subject};
use crate::spec;
use crate::ErrorType::InvalidValue;
use serde_json::{Map, Value};

/// Where a sample is written: the four writing routes of §4's "accepted on write".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Patch,
    Put,
    Batch,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Patch => "patch",
            Op::Put => "put",
            Op::Batch => "batch",
        }
    }
}

/// The field a family writes to: its type, its name, and a text field of the same type for markers.
pub struct Host<'a> {
    pub object: &'a ObjectType,
    pub field: String,
    pub marker_field: Option<String>,
}

impl Host<'_> {
    /// `{"<type>":{"<field>":<raw>, "<marker field>":"<marker>"}}` with the value spelled exactly as given.
    pub fn wrapped(&self, raw: &str, marker: Option<&str>) -> Vec<u8> {
        let t = json_string(&self.object.name);
        let mut inner = format!("{}:{raw}", json_string(&self.field));
        if let (Some(m), Some(mf)) = (marker, &self.marker_field) {
            inner.push_str(&format!(",{}:{}", json_string(mf), json_string(m)));
        }
        format!("{{{t}:{{{inner}}}}}").into_bytes()
    }

    /// A one-operation batch patching fresh object 0's field to `raw`.
    pub fn batch_patch(&self, raw: &str) -> Vec<u8> {
        format!(
            r#"{{"operations":[{{"method":"patch","object":{{"type":{},"id":"{}",{}:{raw}}}}}]}}"#,
            json_string(&self.object.name),
            fresh_placeholder(0),
            json_string(&self.field)
        )
        .into_bytes()
    }

    fn create(&self, ctx: &Ctx) -> CaseRequest {
        Shape::Collection.request("POST", format!("{}/objects/{}.json", ctx.base(), self.object.name))
    }

    fn on_fresh(&self, ctx: &Ctx, method: &str, i: usize) -> CaseRequest {
        let path = format!("{}/objects/{}/{}.json", ctx.base(), self.object.name, fresh_placeholder(i));
        Shape::Object.request(method, path)
    }

    fn fresh(&self, fields: Map<String, Value>) -> Fresh {
        Fresh { object_type: self.object.name.clone(), fields }
    }
}

/// JSON text of a string.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn one_field(name: &str, value: Value) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert(name.to_string(), value);
    map
}

/// What must hold for fresh object 0 after a write: the value reads back, or (rejected) nothing changed.
fn fresh_check(host: &Host, repr: Option<&Repr>) -> After {
    match repr {
        Some(r) => After::ReadBack { subject: Subject::Fresh(0), field: host.field.clone(), repr: r.clone() },
        None => After::Unchanged(0),
    }
}

/// Builds the case that writes `sample` to `host` with `op`.
pub fn write_case(ctx: &Ctx, host: &Host, group: &str, sample: &Sample, op: Op, seed: Option<&Value>) -> Case {
    let id = format!("{group}/{}/{}", sample.name, op.name());
    let marker = ctx.marker(&id);
    let mut scenario = Scenario::default();
    let expect = match &sample.expect {
        SampleExpect::Invalid => Expect::error(InvalidValue),
        SampleExpect::Valid(_) => Expect::success(),
        SampleExpect::Open { outcomes, why, .. } => Expect::any_of(outcomes, why),
    };
    let repr = match &sample.expect {
        SampleExpect::Valid(r) => Some(r.clone()),
        SampleExpect::Open { repr, .. } => repr.clone(),
        SampleExpect::Invalid => None,
    };
    let fresh_fields = seed.map(|v| one_field(&host.field, v.clone())).unwrap_or_default();
    let (request, spec) = match op {
        Op::Create => {
            let req = host.create(ctx).json(host.wrapped(&sample.raw, Some(&marker)));
            match (&repr, &host.marker_field) {
                (Some(r), _) => scenario.after.push(After::ReadBack {
                    subject: Subject::Created(host.object.name.clone()),
                    field: host.field.clone(),
                    repr: r.clone(),
                }),
                (None, Some(mf)) => scenario.after.push(After::NoObjectMarked {
                    object_type: host.object.name.clone(),
                    field: mf.clone(),
                    marker: marker.clone(),
                }),
                (None, None) => {}
            }
            (req, if repr.is_some() { spec::READ_BACK } else { spec::INVALID_VALUE })
        }
        Op::Patch | Op::Put => {
            scenario.fresh.push(host.fresh(fresh_fields));
            let method = if op == Op::Patch { "PATCH" } else { "PUT" };
            let req = host.on_fresh(ctx, method, 0).json(host.wrapped(&sample.raw, None));
            scenario.after.push(fresh_check(host, repr.as_ref()));
            (req, if repr.is_some() { spec::READ_BACK } else { spec::FAILED_WRITE })
        }
        Op::Batch => {
            scenario.fresh.push(host.fresh(fresh_fields));
            let req = Route::Batch.bare(ctx).json(host.batch_patch(&sample.raw));
            let op_expect = if repr.is_some() { OpExpect::Success } else { OpExpect::Error(expect.clone()) };
            scenario.batch = Some(vec![op_expect]);
            scenario.after.push(fresh_check(host, repr.as_ref()));
            let case = Case {
                id,
                family: Family::Values,
                description: format!("batch patch of {} = {} {}", host.field, sample.shown(), sample.verb()),
                spec: spec::BATCH_RESULTS,
                request: req,
                expect: Expect::success(),
                requires: Requires::Nothing,
                scenario,
                unsupported: None,
            };
            return case;
        }
    };
    Case {
        id,
        family: Family::Values,
        description: format!("{} {} = {} {}", op.name(), host.field, sample.shown(), sample.verb()),
        spec,
        request,
        expect,
        requires: Requires::Nothing,
        scenario,
        unsupported: None,
    }
}

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
    let base = |name: &str, what: String, spec: &'static str, method: &str, raw_body: Vec<u8>, repr: Repr| Case {
        id: format!("{group}/{name}"),
        family: Family::Values,
        description: what,
        spec,
        request: host.on_fresh(ctx, method, 0).json(raw_body),
        expect: Expect::success(),
        requires: Requires::Nothing,
        scenario: Scenario {
            fresh: vec![host.fresh(one_field(&host.field, seed.clone()))],
            batch: None,
            after: vec![After::ReadBack { subject: Subject::Fresh(0), field: host.field.clone(), repr }],
        },
        unsupported: None,
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

/// Belongs-to: `{rel}_id` must be the ID of an existing object of the related type (§4).
fn relation_cases(ctx: &Ctx, model: &DataModel) -> Vec<Case> {
    let group = "values/belongs-to";
    let Some((object, rel)) = model.relation(&ctx.object_type) else {
        let ids = [
            "valid/create",
            "valid/patch",
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
    let related = Fresh { object_type: rel.target.clone(), fields: Map::new() };
    let mut out = Vec::new();
    // Valid: a fresh related object; for patch the host is fresh object 1.
    let valid_create = Case {
        id: format!("{group}/valid/create"),
        family: Family::Values,
        description: format!("create with {field} = an existing {}'s ID reads it back", rel.target),
        spec: spec::READ_BACK,
        request: host.create(ctx).json(host.wrapped(&format!("\"{}\"", fresh_placeholder(0)), None)),
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
        request: host.on_fresh(ctx, "PATCH", 1).json(host.wrapped(&format!("\"{}\"", fresh_placeholder(0)), None)),
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

static EMPTY_TYPE: ObjectType =
    ObjectType { name: String::new(), fields: std::collections::BTreeMap::new(), belongs_to: Vec::new() };

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let mut out = Vec::new();
    for kind in FieldKind::ALL {
        out.extend(kind_cases(ctx, &model, kind));
    }
    out.extend(relation_cases(ctx, &model));
    out.push(unknown_field_case(ctx, &model));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::families::tests::ctx;
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
        assert!(
            String::from_utf8_lossy(valid.request.body.as_deref().unwrap_or_default()).contains(r#""status":"open""#)
        );
    }
}
