//! How one sample is written to a field: the four writing routes, the field that hosts the value,
//! and the case that writes it with its read-back. Shared by `values` and `filenames`.

use crate::declare::case::{Case, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::Expect;
use crate::declare::families::samples::{Sample, SampleExpect};
use crate::declare::model::ObjectType;
use crate::declare::routes::Shape;
use crate::declare::scenario::{fresh_placeholder, After, Fresh, OpExpect, Repr, Scenario, Subject};
use crate::declare::spec;
use crate::ErrorType::InvalidValue;
use serde_json::{Map, Value};

/// Where a sample is written: the four writing routes that take a value (create, PATCH, PUT, batch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Create,
    Patch,
    Put,
    Batch,
}

impl Op {
    pub(super) fn name(self) -> &'static str {
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

    pub(super) fn collection(&self, ctx: &Ctx) -> String {
        format!("{}/objects/{}.json", ctx.base(), self.object.name)
    }

    pub(super) fn fresh_path(&self, ctx: &Ctx, i: usize) -> String {
        format!("{}/objects/{}/{}.json", ctx.base(), self.object.name, fresh_placeholder(i))
    }

    pub(super) fn fresh(&self, fields: Map<String, Value>) -> Fresh {
        Fresh { object_type: self.object.name.clone(), fields, foreign: false }
    }
}

/// JSON text of a string.
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

pub(super) fn one_field(name: &str, value: Value) -> Map<String, Value> {
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
            let req =
                Shape::Collection.request("POST", host.collection(ctx)).json(host.wrapped(&sample.raw, Some(&marker)));
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
            let req = Shape::Object.request(method, host.fresh_path(ctx, 0)).json(host.wrapped(&sample.raw, None));
            scenario.after.push(fresh_check(host, repr.as_ref()));
            (req, if repr.is_some() { spec::READ_BACK } else { spec::FAILED_WRITE })
        }
        Op::Batch => {
            scenario.fresh.push(host.fresh(fresh_fields));
            let req =
                Shape::Batch.request("POST", format!("{}/batch.json", ctx.base())).json(host.batch_patch(&sample.raw));
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
