//! `batch`: ill-formed batches fail whole with 400 and apply nothing; one malformed operation may fail the
//! batch or only itself (the docs leave it open); a well-formed batch answers one judged result per
//! operation; `stop_on_error` aborts the rest with 424 BATCH_ABORTED, unapplied (Batch Operations).
//! Every batch carries writes whose effect is read back: a marked `post` and a `patch` of a fresh object.

use super::values::json_string;
use crate::declare::case::{Case, Family, Requires};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::routes::{Route, Shape};
use crate::declare::scenario::{fresh_placeholder, After, Fresh, OpExpect, Repr, Scenario, Subject};
use crate::declare::spec;
use crate::ErrorType::{BatchAborted, InvalidApiRequest, InvalidValue, ObjectNotFound};
use serde_json::{json, Map, Value};

/// The pieces batches are built from, for the type under test.
struct Ops<'a> {
    ctx: &'a Ctx,
    /// Text field where markers go; without one, batches cannot be checked and are skipped.
    field: String,
}

impl Ops<'_> {
    fn t(&self) -> &str {
        &self.ctx.object_type
    }

    /// A `post` creating an object marked with `marker`.
    fn post(&self, marker: &str) -> Value {
        json!({"method": "post", "object": {"type": self.t(), &self.field: marker}})
    }

    /// A `patch` of fresh object `i` setting the marker field.
    fn patch_fresh(&self, i: usize, value: &str) -> Value {
        json!({"method": "patch", "object": {"type": self.t(), "id": fresh_placeholder(i), &self.field: value}})
    }

    /// A `patch` of an ID no object has.
    fn patch_unknown(&self) -> Value {
        json!({"method": "patch", "object": {"type": self.t(), "id": self.ctx.unknown_id, &self.field: "x"}})
    }

    /// A `post` whose value breaks the data model (an object where text belongs).
    fn post_invalid(&self) -> Value {
        json!({"method": "post", "object": {"type": self.t(), &self.field: {"not": "text"}}})
    }

    fn fresh(&self, value: &str) -> Fresh {
        let mut fields = Map::new();
        fields.insert(self.field.clone(), Value::String(value.to_string()));
        Fresh { object_type: self.t().to_string(), fields, foreign: false }
    }

    fn marked(&self, marker: &str, one: bool) -> After {
        let (object_type, field, marker) = (self.t().to_string(), self.field.clone(), marker.to_string());
        if one {
            After::OneObjectMarked { object_type, field, marker }
        } else {
            After::NoObjectMarked { object_type, field, marker }
        }
    }

    fn reads(&self, i: usize, value: &str) -> After {
        After::ReadBack {
            subject: Subject::Fresh(i),
            field: self.field.clone(),
            repr: Repr::Exact(Value::String(value.to_string())),
        }
    }
}

fn batch_case(
    ctx: &Ctx,
    id: &str,
    description: &str,
    spec: &'static crate::declare::spec::Clause,
    body: Vec<u8>,
    expect: Expect,
    scenario: Scenario,
) -> Case {
    Case {
        id: format!("batch/{id}"),
        family: Family::Batch,
        description: description.to_string(),
        spec,
        request: Route::Batch.bare(ctx).json(body),
        expect,
        requires: Requires::Nothing,
        scenario,
        unsupported: None,
    }
}

/// An ill-formed batch that also carries a marked post and a patch of fresh object 0: nothing may apply.
fn ill_formed(ops: &Ops, id: &str, description: &str, build: impl Fn(Value, Value) -> Vec<u8>) -> Case {
    let marker = ops.ctx.marker(id);
    let body = build(ops.post(&marker), ops.patch_fresh(0, "changed"));
    let scenario = Scenario {
        fresh: vec![ops.fresh("original")],
        batch: None,
        after: vec![ops.marked(&marker, false), After::Unchanged(0)],
    };
    let spec = if id.contains("1001") { spec::BATCH_LIMIT } else { spec::BATCH_ILL_FORMED };
    batch_case(
        ops.ctx,
        &format!("ill-formed/{id}"),
        description,
        spec,
        body,
        Expect::error(InvalidApiRequest),
        scenario,
    )
}

/// A batch whose first operation is malformed, then a marked post and a patch of fresh object 0, with
/// stop_on_error: whether the batch fails whole (400) or that operation alone (the rest aborted), nothing
/// after it may apply, so the read-backs hold under both readings.
fn bad_operation(ops: &Ops, id: &str, description: &str, bad: impl Fn(&Ops) -> Value) -> Case {
    let marker = ops.ctx.marker(id);
    let body =
        json!({"operations": [bad(ops), ops.post(&marker), ops.patch_fresh(0, "changed")], "stop_on_error": true});
    let why = spec::open::BATCH_BAD_OPERATION;
    let failed = Expect::any_of(
        &[Outcome::Error(InvalidApiRequest), Outcome::Error(InvalidValue), Outcome::Error(ObjectNotFound)],
        why,
    );
    let scenario = Scenario {
        fresh: vec![ops.fresh("original")],
        batch: Some(vec![
            OpExpect::Error(failed),
            OpExpect::Error(Expect::error(BatchAborted)),
            OpExpect::Error(Expect::error(BatchAborted)),
        ]),
        after: vec![ops.marked(&marker, false), After::Unchanged(0)],
    };
    batch_case(
        ops.ctx,
        &format!("ill-formed/{id}"),
        &format!(
            "{description} (first, with stop_on_error): the batch fails whole or that operation alone, nothing applies"
        ),
        why,
        to_body(body),
        Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], why),
        scenario,
    )
}

fn to_body(v: Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let field = ctx.marker_field().map(str::to_string);
    let ops = Ops { ctx, field: field.clone().unwrap_or_else(|| "name".into()) };
    let t = json_string(&ctx.object_type);
    let mut out = vec![
        ill_formed(&ops, "top-level-array", "the operations as a bare array", |p, q| to_body(json!([p, q]))),
        ill_formed(&ops, "operations-missing", "the operations under another key", |p, q| {
            to_body(json!({"ops": [p, q]}))
        }),
        ill_formed(&ops, "operations-is-object", "`operations` is an object", |p, q| {
            to_body(json!({"operations": {"0": p, "1": q}}))
        }),
        bad_operation(
            &ops,
            "unknown-method",
            "one operation's method is `upsert`",
            |_| json!({"method": "upsert", "object": {"type": "x"}}),
        ),
        bad_operation(&ops, "method-missing", "one operation has no method", |_| json!({"object": {"type": "x"}})),
        bad_operation(&ops, "object-missing", "one operation has no object", |_| json!({"method": "post"})),
        bad_operation(
            &ops,
            "type-missing",
            "one operation's object has no type",
            |_| json!({"method": "post", "object": {"name": "x"}}),
        ),
        bad_operation(
            &ops,
            "id-missing-for-patch",
            "a patch without an ID",
            |o| json!({"method": "patch", "object": {"type": o.t()}}),
        ),
        bad_operation(
            &ops,
            "id-missing-for-delete",
            "a delete without an ID",
            |o| json!({"method": "delete", "object": {"type": o.t()}}),
        ),
        bad_operation(&ops, "operation-is-string", "one operation is a string", |_| json!("post")),
        ill_formed(&ops, "stop-on-error-is-string", "`stop_on_error` is the string \"yes\"", |p, q| {
            to_body(json!({"operations": [p, q], "stop_on_error": "yes"}))
        }),
        ill_formed(&ops, "trailing-comma", "a JSON syntax error after valid operations", |p, q| {
            format!(r#"{{"operations":[{p},{q},]}}"#).into_bytes()
        }),
        ill_formed(&ops, "1001-operations", "1001 operations, one over the limit", |p, q| {
            let mut list = vec![p, q];
            list.extend((0..999).map(|_| ops.patch_fresh(0, "changed")));
            to_body(json!({"operations": list}))
        }),
    ];

    // At the limit: 1000 patches of one fresh object are one well-formed batch.
    let thousand: Vec<Value> = (0..1000).map(|i| ops.patch_fresh(0, &format!("patched {i}"))).collect();
    out.push(batch_case(
        ctx,
        "limit/1000-operations",
        "exactly 1000 operations are accepted, one result each, applied in order",
        spec::BATCH_LIMIT,
        to_body(json!({"operations": thousand})),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original")],
            batch: Some(vec![OpExpect::Success; 1000]),
            after: vec![ops.reads(0, "patched 999")],
        },
    ));

    // Without stop_on_error: each operation on its own.
    let (a, b) = (ctx.marker("batch/results/mixed a"), ctx.marker("batch/results/mixed b"));
    out.push(batch_case(
        ctx,
        "results/mixed",
        "post ok, patch unknown ID, post invalid value, patch ok: one judged result each, the good ones applied",
        spec::BATCH_RESULTS,
        to_body(json!({"operations": [ops.post(&a), ops.patch_unknown(), ops.post_invalid(), ops.patch_fresh(0, &b)]})),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original")],
            batch: Some(vec![
                OpExpect::Success,
                OpExpect::Error(Expect::error(ObjectNotFound)),
                OpExpect::Error(Expect::error(InvalidValue)),
                OpExpect::Success,
            ]),
            after: vec![ops.marked(&a, true), ops.reads(0, &b)],
        },
    ));

    // With stop_on_error: everything after the first failure is aborted and unapplied.
    let (c, d) = (ctx.marker("batch/stop-on-error c"), ctx.marker("batch/stop-on-error d"));
    out.push(batch_case(
        ctx,
        "stop-on-error/aborts-the-rest",
        "patch ok, patch unknown ID, post, patch: the last two report BATCH_ABORTED and are not applied",
        spec::BATCH_ABORTED,
        to_body(json!({"operations": [ops.patch_fresh(0, &c), ops.patch_unknown(), ops.post(&d), ops.patch_fresh(1, "changed")], "stop_on_error": true})),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original"), ops.fresh("original")],
            batch: Some(vec![
                OpExpect::Success,
                OpExpect::Error(Expect::error(ObjectNotFound)),
                OpExpect::Error(Expect::error(BatchAborted)),
                OpExpect::Error(Expect::error(BatchAborted)),
            ]),
            after: vec![ops.reads(0, &c), ops.marked(&d, false), After::Unchanged(1)],
        },
    ));
    let g = ctx.marker("batch/stop-on-error/invalid-value g");
    out.push(batch_case(
        ctx,
        "stop-on-error/invalid-value-aborts-the-rest",
        "post with an invalid value, then post and patch: with stop_on_error both later ones are BATCH_ABORTED, unapplied",
        spec::BATCH_ABORTED,
        to_body(json!({"operations": [ops.post_invalid(), ops.post(&g), ops.patch_fresh(0, "changed")], "stop_on_error": true})),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original")],
            batch: Some(vec![
                OpExpect::Error(Expect::error(InvalidValue)),
                OpExpect::Error(Expect::error(BatchAborted)),
                OpExpect::Error(Expect::error(BatchAborted)),
            ]),
            after: vec![ops.marked(&g, false), After::Unchanged(0)],
        },
    ));
    let e = ctx.marker("batch/stop-on-error/false e");
    out.push(batch_case(
        ctx,
        "stop-on-error/false-applies-the-rest",
        "with stop_on_error: false, a failure does not stop the later operations",
        spec::BATCH_RESULTS,
        to_body(json!({"operations": [ops.patch_unknown(), ops.post(&e)], "stop_on_error": false})),
        Expect::success(),
        Scenario {
            fresh: vec![],
            batch: Some(vec![OpExpect::Error(Expect::error(ObjectNotFound)), OpExpect::Success]),
            after: vec![ops.marked(&e, true)],
        },
    ));

    // `post` with an existing ID fails that operation only.
    let f = ctx.marker("batch/post-existing-id f");
    let existing_post = json!({"method": "post", "object": {"type": ctx.object_type, "id": fresh_placeholder(0), &ops.field: "changed"}});
    out.push(batch_case(
        ctx,
        "post-existing-id",
        "post with the ID of an existing object fails that operation, leaves the object as it was, and the next post applies",
        spec::open::POST_EXISTING_ID,
        to_body(json!({"operations": [existing_post, ops.post(&f)]})),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original")],
            batch: Some(vec![
                OpExpect::Error(Expect::any_of(&[Outcome::Error(InvalidValue), Outcome::Error(InvalidApiRequest)], spec::open::POST_EXISTING_ID)),
                OpExpect::Success,
            ]),
            after: vec![After::Unchanged(0), ops.marked(&f, true)],
        },
    ));

    // A delete in a batch sticks.
    let get_fresh = Shape::Object
        .request("GET", format!("{}/objects/{}/{}.json", ctx.base(), ctx.object_type, fresh_placeholder(0)));
    out.push(batch_case(
        ctx,
        "delete-then-get",
        "a batch delete succeeds and the object is then OBJECT_NOT_FOUND",
        spec::AFTER_DELETE,
        format!(r#"{{"operations":[{{"method":"delete","object":{{"type":{t},"id":"{}"}}}}]}}"#, fresh_placeholder(0))
            .into_bytes(),
        Expect::success(),
        Scenario {
            fresh: vec![ops.fresh("original")],
            batch: Some(vec![OpExpect::Success]),
            after: vec![After::Request(Box::new(get_fresh), Expect::error(ObjectNotFound))],
        },
    ));

    if field.is_none() {
        for case in &mut out {
            case.unsupported = Some(format!("`{}` has no text field to mark batch writes with", ctx.object_type));
        }
    }
    out
}
