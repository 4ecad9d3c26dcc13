//! The documented state semantics, small and on its own: the objects of one sequence, what each
//! operation does to them, the answer class it gets, and the oplog entries it leaves. Written from
//! the public v4 docs (objects, batch, oplog pages) and the suite's clauses, never from the
//! reference's code, so a shared misreading cannot hide.
//!
//! - create (POST): a new object with the given fields (`null` leaves a field unset).
//! - PATCH: merges; `null` clears a field, an omitted field is kept; no object is OBJECT_NOT_FOUND.
//! - PUT: replaces (omitted fields cleared); no object yet: created with that ID (upsert).
//! - DELETE: removes; no object is OBJECT_NOT_FOUND; afterwards the ID reads as OBJECT_NOT_FOUND.
//! - a value of the wrong JSON type is INVALID_VALUE and the write changes nothing.
//! - batch: operations apply in order; without `stop_on_error` a failed one does not stop the others;
//!   with it, every operation after the first failure is BATCH_ABORTED and not applied.
//! - oplog: one entry per applied write (create, update or delete), in order.

use super::schema::Val;
use super::steps::{Fields, Op, Slot, Step, SLOTS};
use journey_conformance::ErrorType;
use std::collections::BTreeMap;

/// What one object of the sequence is, as far as the docs let a client know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Life {
    /// Its ID was never written (a create's slot, or an ID no object has).
    #[default]
    Never,
    /// It exists with exactly these fields set (absent means unset or cleared).
    Live(BTreeMap<u8, Val>),
    Deleted,
}

/// The oplog `operation` a write leaves; PUT of a new ID is open (the docs name no rule for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logged {
    Create,
    Update,
    Delete,
    CreateOrUpdate,
}

impl Logged {
    /// Whether the oplog's `operation` word is this entry.
    pub fn allows(self, word: &str) -> bool {
        match self {
            Logged::Create => word == "create",
            Logged::Update => word == "update",
            Logged::Delete => word == "delete",
            Logged::CreateOrUpdate => word == "create" || word == "update",
        }
    }
}

/// One predicted oplog entry: which object, which operation, and (unless deleted) its new state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub logged: Logged,
    pub slot: Slot,
    pub state: Option<BTreeMap<u8, Val>>,
}

/// The class of one answer: 2xx, or the documented error type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Success,
    Error(ErrorType),
}

/// What the model says a step answers: one class, or (batch) 2xx with one class per operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prediction {
    One(Answer),
    Batch(Vec<Answer>),
}

/// The state of one sequence: its objects by slot and the oplog entries its writes left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub objects: Vec<Life>,
    pub oplog: Vec<Entry>,
}

impl Default for Model {
    fn default() -> Model {
        Model { objects: vec![Life::Never; usize::from(SLOTS)], oplog: Vec::new() }
    }
}

#[derive(Clone, Copy)]
enum Write {
    Create,
    Patch,
    Put,
    Delete,
}

fn set_values(fields: &Fields) -> BTreeMap<u8, Val> {
    fields.iter().filter(|(_, v)| **v != Val::Null).map(|(k, v)| (*k, v.clone())).collect()
}

fn invalid(fields: &Fields) -> bool {
    fields.values().any(|v| *v == Val::Invalid)
}

impl Model {
    /// The object in `slot` (`Never` for a slot past the end, as a regression file may name).
    pub fn life(&self, slot: Slot) -> &Life {
        self.objects.get(usize::from(slot)).unwrap_or(&Life::Never)
    }

    /// Whether the object in `slot` exists.
    pub fn live(&self, slot: Slot) -> bool {
        matches!(self.life(slot), Life::Live(_))
    }

    /// The slots whose IDs were never written, where a create may go.
    pub fn never(&self) -> Vec<Slot> {
        (0..SLOTS).filter(|s| *self.life(*s) == Life::Never).collect()
    }

    /// The state after `step` and the answer it gets.
    pub fn step(&self, step: &Step) -> (Model, Prediction) {
        let mut next = self.clone();
        let prediction = match step {
            Step::Create { slot, fields } => Prediction::One(next.write(Write::Create, *slot, fields)),
            Step::Patch { slot, fields } => Prediction::One(next.write(Write::Patch, *slot, fields)),
            Step::Put { slot, fields } => Prediction::One(next.write(Write::Put, *slot, fields)),
            Step::Delete { slot } => Prediction::One(next.write(Write::Delete, *slot, &Fields::new())),
            Step::Get { slot } => Prediction::One(if self.live(*slot) {
                Answer::Success
            } else {
                Answer::Error(ErrorType::ObjectNotFound)
            }),
            Step::List | Step::Oplog => Prediction::One(Answer::Success),
            Step::Batch { stop_on_error, ops } => {
                let mut answers = Vec::with_capacity(ops.len());
                let mut aborted = false;
                for op in ops {
                    if aborted {
                        answers.push(Answer::Error(ErrorType::BatchAborted));
                        continue;
                    }
                    let answer = next.write(write_of(op), op.slot(), op.fields().unwrap_or(&Fields::new()));
                    aborted = *stop_on_error && answer != Answer::Success;
                    answers.push(answer);
                }
                Prediction::Batch(answers)
            }
        };
        (next, prediction)
    }

    fn write(&mut self, write: Write, slot: Slot, fields: &Fields) -> Answer {
        let Some(object) = self.objects.get_mut(usize::from(slot)) else {
            return Answer::Error(ErrorType::ObjectNotFound);
        };
        let was_live = matches!(object, Life::Live(_));
        let (logged, after) = match write {
            Write::Patch | Write::Delete if !was_live => return Answer::Error(ErrorType::ObjectNotFound),
            _ if invalid(fields) => return Answer::Error(ErrorType::InvalidValue),
            Write::Create => (Logged::Create, Life::Live(set_values(fields))),
            Write::Put if was_live => (Logged::Update, Life::Live(set_values(fields))),
            Write::Put => (Logged::CreateOrUpdate, Life::Live(set_values(fields))),
            Write::Patch => {
                let Life::Live(current) = object else { return Answer::Error(ErrorType::ObjectNotFound) };
                let mut merged = current.clone();
                for (k, v) in fields {
                    match v {
                        Val::Null => merged.remove(k),
                        v => merged.insert(*k, v.clone()),
                    };
                }
                (Logged::Update, Life::Live(merged))
            }
            Write::Delete => (Logged::Delete, Life::Deleted),
        };
        let state = match &after {
            Life::Live(f) => Some(f.clone()),
            _ => None,
        };
        *object = after;
        self.oplog.push(Entry { logged, slot, state });
        Answer::Success
    }

    /// Whether `step` is one the docs predict a single answer for from this state (checked when
    /// generating and again while shrinking, since dropping an earlier step changes the state).
    pub fn allows(&self, step: &Step) -> bool {
        let in_range = match step {
            Step::Create { slot, .. }
            | Step::Patch { slot, .. }
            | Step::Put { slot, .. }
            | Step::Delete { slot }
            | Step::Get { slot } => *slot < SLOTS,
            Step::Batch { ops, .. } => ops.iter().all(|op| op.slot() < SLOTS),
            Step::List | Step::Oplog => true,
        };
        in_range && self.allows_in_range(step)
    }

    fn allows_in_range(&self, step: &Step) -> bool {
        match step {
            Step::Create { slot, .. } => *self.life(*slot) == Life::Never,
            // An invalid PATCH of a missing object could be either error; the docs give no order.
            Step::Patch { slot, fields } => !invalid(fields) || self.live(*slot),
            Step::Batch { stop_on_error, ops } => {
                if ops.is_empty() {
                    return false;
                }
                let mut sim = self.clone();
                for op in ops {
                    // Operations after an abort are never applied, so what they name does not matter.
                    let ok = match op {
                        Op::Post { slot, .. } => *sim.life(*slot) == Life::Never,
                        // The batch page documents PUT as a replace, not as an upsert: only live objects.
                        Op::Put { slot, .. } => sim.live(*slot),
                        Op::Patch { slot, fields } => !invalid(fields) || sim.live(*slot),
                        Op::Delete { .. } => true,
                    };
                    if !ok {
                        return false;
                    }
                    let answer = sim.write(write_of(op), op.slot(), op.fields().unwrap_or(&Fields::new()));
                    if *stop_on_error && answer != Answer::Success {
                        return true;
                    }
                }
                true
            }
            _ => true,
        }
    }
}

fn write_of(op: &Op) -> Write {
    match op {
        Op::Post { .. } => Write::Create,
        Op::Put { .. } => Write::Put,
        Op::Patch { .. } => Write::Patch,
        Op::Delete { .. } => Write::Delete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ErrorType::{BatchAborted, InvalidValue, ObjectNotFound};

    fn f(pairs: &[(u8, Val)]) -> Fields {
        pairs.iter().cloned().collect()
    }

    fn run(steps: &[Step]) -> (Model, Vec<Prediction>) {
        let mut model = Model::default();
        let mut out = Vec::new();
        for s in steps {
            assert!(model.allows(s), "{s:?} not allowed from {model:?}");
            let (next, p) = model.step(s);
            model = next;
            out.push(p);
        }
        (model, out)
    }

    #[test]
    fn patch_merges_and_null_clears_while_put_replaces_and_upserts() {
        let (m, p) = run(&[
            Step::Create { slot: 0, fields: f(&[(0, Val::Text(1)), (1, Val::Int(2))]) },
            Step::Patch { slot: 0, fields: f(&[(0, Val::Null), (2, Val::Bool(true))]) },
        ]);
        assert_eq!(m.objects[0], Life::Live(f(&[(1, Val::Int(2)), (2, Val::Bool(true))])));
        assert!(p.iter().all(|p| *p == Prediction::One(Answer::Success)));
        let (m, _) = run(&[
            Step::Create { slot: 0, fields: f(&[(0, Val::Text(1)), (1, Val::Int(2))]) },
            Step::Put { slot: 0, fields: f(&[(2, Val::Bool(false))]) },
            Step::Put { slot: 1, fields: f(&[]) },
        ]);
        assert_eq!(m.objects[0], Life::Live(f(&[(2, Val::Bool(false))])));
        assert_eq!(m.objects[1], Life::Live(Fields::new()));
        let logged: Vec<Logged> = m.oplog.iter().map(|e| e.logged).collect();
        assert_eq!(logged, vec![Logged::Create, Logged::Update, Logged::CreateOrUpdate]);
    }

    #[test]
    fn missing_objects_are_not_found_and_invalid_writes_change_nothing() {
        let (m, p) = run(&[
            Step::Patch { slot: 2, fields: f(&[]) },
            Step::Create { slot: 0, fields: f(&[(0, Val::Text(1))]) },
            Step::Patch { slot: 0, fields: f(&[(0, Val::Invalid)]) },
            Step::Delete { slot: 0 },
            Step::Get { slot: 0 },
            Step::Delete { slot: 0 },
            Step::Create { slot: 1, fields: f(&[(1, Val::Invalid)]) },
        ]);
        let want = [
            Answer::Error(ObjectNotFound),
            Answer::Success,
            Answer::Error(InvalidValue),
            Answer::Success,
            Answer::Error(ObjectNotFound),
            Answer::Error(ObjectNotFound),
            Answer::Error(InvalidValue),
        ];
        assert_eq!(p, want.iter().map(|a| Prediction::One(*a)).collect::<Vec<_>>());
        assert_eq!((m.objects[0].clone(), m.objects[1].clone()), (Life::Deleted, Life::Never));
        assert_eq!(m.oplog.len(), 2, "only the applied create and delete are logged: {:?}", m.oplog);
    }

    #[test]
    fn a_batch_applies_the_rest_unless_stop_on_error_aborts_it() {
        let ops = vec![
            Op::Post { slot: 0, fields: f(&[]) },
            Op::Patch { slot: 3, fields: f(&[]) },
            Op::Post { slot: 1, fields: f(&[]) },
        ];
        let (m, p) = run(&[Step::Batch { stop_on_error: false, ops: ops.clone() }]);
        assert_eq!(p[0], Prediction::Batch(vec![Answer::Success, Answer::Error(ObjectNotFound), Answer::Success]));
        assert!(m.live(1));
        let (m, p) = run(&[Step::Batch { stop_on_error: true, ops }]);
        assert_eq!(
            p[0],
            Prediction::Batch(vec![Answer::Success, Answer::Error(ObjectNotFound), Answer::Error(BatchAborted)])
        );
        assert!(m.live(0) && !m.live(1));
        assert_eq!(m.oplog.len(), 1);
    }

    #[test]
    fn steps_whose_answer_the_docs_leave_open_are_not_allowed() {
        let m = Model::default();
        assert!(!m.allows(&Step::Patch { slot: 0, fields: f(&[(0, Val::Invalid)]) }));
        assert!(!m.allows(&Step::Batch { stop_on_error: false, ops: vec![Op::Put { slot: 0, fields: f(&[]) }] }));
        assert!(!m.allows(&Step::Batch { stop_on_error: false, ops: vec![] }));
        assert!(!m.allows(&Step::Get { slot: SLOTS }), "a slot past the end (a hand-edited file) is refused");
        let (m, _) = run(&[Step::Create { slot: 0, fields: f(&[]) }]);
        assert!(!m.allows(&Step::Create { slot: 0, fields: f(&[]) }), "a create needs an unused slot");
    }
}
