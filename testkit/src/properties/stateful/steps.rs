//! The steps of a sequence and the strategy that draws them from the model's state
//! (proptest-state-machine's `Sequential`: it keeps each prefix valid and shrinks by deleting steps,
//! then by simplifying each one).

use super::model::Model;
use super::schema::{Kind, Schema, Val};
use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Just, Union};
use proptest_state_machine::strategy::Sequential;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Index of one of the sequence's objects.
pub type Slot = u8;
/// A handful of objects per sequence: enough for mixes, few enough that steps hit the same ones.
pub const SLOTS: Slot = 4;
/// Writable field index → value.
pub type Fields = BTreeMap<u8, Val>;

/// One request of a sequence, in the model's terms; the executor makes it concrete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// POST to the collection; the new ID is bound to `slot`.
    Create {
        slot: Slot,
        fields: Fields,
    },
    Patch {
        slot: Slot,
        fields: Fields,
    },
    Put {
        slot: Slot,
        fields: Fields,
    },
    Delete {
        slot: Slot,
    },
    Get {
        slot: Slot,
    },
    /// The collection filtered by the sequence's marker.
    List,
    Batch {
        stop_on_error: bool,
        ops: Vec<Op>,
    },
    /// The oplog since the sequence started, restricted to its own objects.
    Oplog,
}

/// One operation of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    Post { slot: Slot, fields: Fields },
    Put { slot: Slot, fields: Fields },
    Patch { slot: Slot, fields: Fields },
    Delete { slot: Slot },
}

impl Op {
    /// The object it addresses.
    pub fn slot(&self) -> Slot {
        match self {
            Op::Post { slot, .. } | Op::Put { slot, .. } | Op::Patch { slot, .. } | Op::Delete { slot } => *slot,
        }
    }

    /// The fields it writes (none for delete).
    pub fn fields(&self) -> Option<&Fields> {
        match self {
            Op::Post { fields, .. } | Op::Put { fields, .. } | Op::Patch { fields, .. } => Some(fields),
            Op::Delete { .. } => None,
        }
    }

    /// The batch `method` keyword.
    pub fn method(&self) -> &'static str {
        match self {
            Op::Post { .. } => "post",
            Op::Put { .. } => "put",
            Op::Patch { .. } => "patch",
            Op::Delete { .. } => "delete",
        }
    }
}

fn value(kind: Kind) -> BoxedStrategy<Val> {
    let valid = match kind {
        Kind::Text => (0u8..4).prop_map(Val::Text).boxed(),
        Kind::Integer => (-2i8..5).prop_map(Val::Int).boxed(),
        Kind::Boolean => any::<bool>().prop_map(Val::Bool).boxed(),
    };
    prop_oneof![4 => valid, 1 => Just(Val::Null)].boxed()
}

/// Some of the writable fields, each with a value of its kind.
fn fields(kinds: &[Kind]) -> BoxedStrategy<Fields> {
    let each: Vec<_> = kinds.iter().map(|k| proptest::option::of(value(*k))).collect();
    each.prop_map(|vals| vals.into_iter().enumerate().filter_map(|(i, v)| Some((i as u8, v?))).collect()).boxed()
}

/// Fields with one value that breaks the data model.
fn invalid_fields(kinds: &[Kind]) -> BoxedStrategy<Fields> {
    let n = kinds.len() as u8;
    (fields(kinds), 0..n.max(1))
        .prop_map(|(mut f, i)| {
            f.insert(i, Val::Invalid);
            f
        })
        .boxed()
}

/// A slot for a step that addresses an object: mostly a live one (the interesting case), sometimes any.
fn slot(model: &Model) -> BoxedStrategy<Slot> {
    let live: Vec<Slot> = (0..SLOTS).filter(|s| model.live(*s)).collect();
    if live.is_empty() {
        return (0..SLOTS).boxed();
    }
    prop_oneof![3 => proptest::sample::select(live), 1 => 0..SLOTS].boxed()
}

fn op(kinds: &[Kind], model: &Model) -> BoxedStrategy<Op> {
    let any_slot = slot(model);
    let mut options: Vec<(u32, BoxedStrategy<Op>)> = vec![
        (3, (any_slot.clone(), fields(kinds)).prop_map(|(slot, fields)| Op::Patch { slot, fields }).boxed()),
        (2, any_slot.clone().prop_map(|slot| Op::Delete { slot }).boxed()),
    ];
    let never = model.never();
    if !never.is_empty() {
        let post =
            (proptest::sample::select(never), fields(kinds)).prop_map(|(slot, fields)| Op::Post { slot, fields });
        options.push((2, post.boxed()));
    }
    let live: Vec<Slot> = (0..SLOTS).filter(|s| model.live(*s)).collect();
    if !live.is_empty() && !kinds.is_empty() {
        let put =
            (proptest::sample::select(live.clone()), fields(kinds)).prop_map(|(slot, fields)| Op::Put { slot, fields });
        options.push((2, put.boxed()));
        let bad = (proptest::sample::select(live), invalid_fields(kinds))
            .prop_map(|(slot, fields)| Op::Patch { slot, fields });
        options.push((1, bad.boxed()));
    }
    Union::new_weighted(options).boxed()
}

/// The next step from `model`: any request the docs give one answer for in this state.
pub fn step(kinds: &[Kind], model: &Model) -> BoxedStrategy<Step> {
    let any_slot = slot(model);
    let mut options: Vec<(u32, BoxedStrategy<Step>)> = vec![
        (3, (any_slot.clone(), fields(kinds)).prop_map(|(slot, fields)| Step::Patch { slot, fields }).boxed()),
        (2, (any_slot.clone(), fields(kinds)).prop_map(|(slot, fields)| Step::Put { slot, fields }).boxed()),
        (2, any_slot.clone().prop_map(|slot| Step::Delete { slot }).boxed()),
        (3, any_slot.clone().prop_map(|slot| Step::Get { slot }).boxed()),
        (1, Just(Step::List).boxed()),
        (1, Just(Step::Oplog).boxed()),
        (
            2,
            (any::<bool>(), proptest::collection::vec(op(kinds, model), 1..=4))
                .prop_map(|(stop_on_error, ops)| Step::Batch { stop_on_error, ops })
                .boxed(),
        ),
    ];
    let never = model.never();
    if !never.is_empty() {
        let create = (proptest::sample::select(never.clone()), fields(kinds))
            .prop_map(|(slot, fields)| Step::Create { slot, fields });
        options.push((3, create.boxed()));
        if !kinds.is_empty() {
            let bad = (proptest::sample::select(never), invalid_fields(kinds))
                .prop_map(|(slot, fields)| Step::Create { slot, fields });
            options.push((1, bad.boxed()));
        }
    }
    let live: Vec<Slot> = (0..SLOTS).filter(|s| model.live(*s)).collect();
    if !live.is_empty() && !kinds.is_empty() {
        let bad = (proptest::sample::select(live), invalid_fields(kinds))
            .prop_map(|(slot, fields)| Step::Patch { slot, fields });
        options.push((1, bad.boxed()));
        options
            .push((1, (any_slot, invalid_fields(kinds)).prop_map(|(slot, fields)| Step::Put { slot, fields }).boxed()));
    }
    Union::new_weighted(options).boxed()
}

/// The sequence strategy: 1 to `max_steps` steps for `schema`'s fields, starting from no objects.
pub fn sequences(
    schema: &Schema,
    max_steps: usize,
) -> Sequential<Model, Step, BoxedStrategy<Model>, BoxedStrategy<Step>> {
    let kinds: Vec<Kind> = schema.fields.iter().map(|(_, k)| *k).collect();
    Sequential::new(
        (1..=max_steps.max(1)).into(),
        || Just(Model::default()).boxed(),
        |model: &Model, step: &Step| model.allows(step),
        move |model: &Model| step(&kinds, model),
        |model: Model, step: &Step| model.step(step).0,
    )
}
