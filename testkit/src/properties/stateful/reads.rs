//! Reads compared with the model: an object in the documented read-back representation
//! ([`oracle::readback::field`]), the marker list (its count through [`oracle::readback::marked`],
//! then which objects and their fields), and the oplog entries of the sequence's own objects.

use super::exec::Sequence;
use super::model::{Entry, Life, Model};
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::expect::Expect;
use journey_conformance::declare::routes::Shape;
use journey_conformance::declare::scenario::Repr;
use journey_conformance::oracle::{readback, Cause, Rule, StepFailure, Violation};
use serde_json::Value;
use std::collections::BTreeMap;

/// The page size asked for (the documented maximum), and how many pages one read may take.
const OPLOG_PAGE: usize = 1000;
const OPLOG_PAGES: usize = 20;

/// A model mismatch the answer's own verdict cannot see (state, not class).
pub fn side(message: String) -> Violation {
    Violation::caused(
        Rule::SideEffect,
        message,
        Cause::step("stateful sequence", "the target disagrees with the model"),
    )
}

/// The `id` of an object answer.
pub fn id_of(body: &[u8]) -> Option<String> {
    id_of_value(&serde_json::from_slice(body).ok()?)
}

pub fn id_of_value(v: &Value) -> Option<String> {
    v.get("id").and_then(Value::as_str).map(str::to_string)
}

/// Each field of `object` against the model's state of it, as the docs say it reads back.
fn fields(seq: &Sequence, object: &Value, state: &BTreeMap<u8, super::schema::Val>) -> Vec<Violation> {
    let ty = &seq.schema.object_type;
    let mut out =
        readback::field(ty, object, &seq.schema.marker_field, &Repr::Exact(Value::String(seq.marker.clone())), &[]);
    for (i, (name, _)) in seq.schema.fields.iter().enumerate() {
        let repr = match state.get(&(i as u8)) {
            // §4: a boolean reads back as a choice, `{"key": true, "display": "Yes"}`.
            Some(super::schema::Val::Bool(b)) => Repr::Choice(Value::Bool(*b)),
            Some(v) => Repr::Exact(v.json()),
            None => Repr::Cleared,
        };
        out.extend(readback::field(ty, object, name, &repr, &[]));
    }
    out
}

/// An object answer (GET, or a write's 2xx body) against the model's object.
pub fn object(seq: &Sequence, body: &[u8], life: &Life) -> Vec<Violation> {
    let Ok(object) = serde_json::from_slice::<Value>(body) else {
        return readback::unreadable(StepFailure::answered("object answer", "not JSON")).found;
    };
    match life {
        Life::Live(state) => fields(seq, &object, state),
        other => vec![side(format!("the model has no object here ({other:?}), yet one was answered"))],
    }
}

/// The collection filtered by the sequence's marker, as the suite's marker searches ask it.
pub fn marker_list(seq: &Sequence) -> CaseRequest {
    let query = url_pair(&format!("query[{}]", seq.schema.marker_field), &seq.marker);
    Shape::Collection.request("GET", format!("{}?{query}&limit=1000", seq_collection(seq)))
}

fn seq_collection(seq: &Sequence) -> String {
    format!("{}/objects/{}.json", seq.base(), seq.schema.object_type)
}

fn url_pair(key: &str, value: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    format!("{}={}", utf8_percent_encode(key, NON_ALPHANUMERIC), utf8_percent_encode(value, NON_ALPHANUMERIC))
}

/// The listed objects that carry the marker (re-checked, so a target ignoring the filter is still read right).
pub fn listed(seq: &Sequence, body: &[u8]) -> Vec<Value> {
    let list: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let objects = list.get("objects").and_then(Value::as_array).cloned().unwrap_or_default();
    objects
        .into_iter()
        .filter(|o| o.get(&seq.schema.marker_field).and_then(Value::as_str) == Some(seq.marker.as_str()))
        .collect()
}

/// Step `List`: exactly the model's live objects carry the marker, each with the model's fields.
pub fn list(seq: &mut Sequence, model: &Model) -> Result<Vec<Violation>, String> {
    let req = marker_list(seq);
    let resp = seq.send(&req)?;
    let verdict = seq.judge(&req, Expect::success(), &resp);
    if !verdict.passed() {
        return Ok(verdict.violations().to_vec());
    }
    let found = listed(seq, &resp.body);
    let ids: Vec<String> = found.iter().filter_map(id_of_value).collect();
    let live: BTreeMap<String, &BTreeMap<u8, super::schema::Val>> = model
        .objects
        .iter()
        .enumerate()
        .filter_map(|(slot, life)| match life {
            Life::Live(state) => Some((seq.ids[slot].clone(), state)),
            _ => None,
        })
        .collect();
    let ty = &seq.schema.object_type;
    let mut out = readback::marked(ty, &seq.schema.marker_field, &seq.marker, live.len(), Ok(ids.clone())).found;
    for object in &found {
        let id = id_of_value(object).unwrap_or_default();
        match live.get(&id) {
            Some(state) => out.extend(fields(seq, object, state)),
            None => out.push(side(format!("the marker list has {ty} {id}, which the model says does not exist"))),
        }
    }
    for id in live.keys().filter(|id| !ids.contains(id)) {
        out.push(side(format!("the marker list lacks {ty} {id}, which the model says exists")));
    }
    Ok(out)
}

/// One oplog entry as the docs describe it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub sequence: u64,
    pub operation: String,
    pub object: Value,
}

/// The entries of an oplog page: the documented envelope (`entries`, with `sequence` a string), a bare
/// list, or an `operations` wrapper, so a target of any of these readings is judged by what it logged.
pub fn oplog_entries(body: &[u8]) -> Vec<Logged> {
    let doc: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let items = doc
        .as_array()
        .or_else(|| ["entries", "operations"].iter().find_map(|k| doc.get(*k).and_then(Value::as_array)))
        .cloned()
        .unwrap_or_default();
    let number = |v: &Value| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok()));
    items
        .into_iter()
        .filter_map(|e| {
            Some(Logged {
                sequence: number(e.get("sequence")?)?,
                operation: e.get("operation")?.as_str()?.to_string(),
                object: e.get("object").cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// Step `Oplog`: the entries since the sequence started, for its own objects, are the model's, in order.
pub fn oplog(seq: &mut Sequence, model: &Model) -> Result<Vec<Violation>, String> {
    let mut start = seq.oplog_after + 1;
    let mut mine = Vec::new();
    let mut last = 0;
    for _ in 0..OPLOG_PAGES {
        let req = Shape::Oplog.request("GET", format!("{}/oplog.json?start={start}&limit={OPLOG_PAGE}", seq.base()));
        let resp = seq.send(&req)?;
        let verdict = seq.judge(&req, Expect::success(), &resp);
        if !verdict.passed() {
            return Ok(verdict.violations().to_vec());
        }
        let page = oplog_entries(&resp.body);
        for e in &page {
            if e.sequence < start || e.sequence <= last {
                return Ok(vec![side(format!(
                    "oplog sequence {} out of order (start {start}, previous {last})",
                    e.sequence
                ))]);
            }
            last = e.sequence;
        }
        // A target may serve fewer than asked (the maximum is "subject to change"): read until a page is empty.
        if page.is_empty() {
            break;
        }
        mine.extend(page.into_iter().filter(|e| id_of_value(&e.object).is_some_and(|id| seq.ids.contains(&id))));
        start = last + 1;
    }
    Ok(compare_oplog(seq, &model.oplog, &mine))
}

fn compare_oplog(seq: &Sequence, want: &[Entry], got: &[Logged]) -> Vec<Violation> {
    let show = |e: &Logged| {
        let id = id_of_value(&e.object).unwrap_or_default();
        let slot = seq.ids.iter().position(|i| *i == id).map_or("?".into(), |s| s.to_string());
        format!("#{} {} slot {slot}", e.sequence, e.operation)
    };
    let summary = || {
        format!(
            "expected [{}], got [{}]",
            want.iter().map(|e| format!("{:?} slot {}", e.logged, e.slot)).collect::<Vec<_>>().join(", "),
            got.iter().map(show).collect::<Vec<_>>().join(", ")
        )
    };
    if want.len() != got.len() {
        return vec![side(format!(
            "the oplog has {} entries for the sequence's objects, the model {}: {}",
            got.len(),
            want.len(),
            summary()
        ))];
    }
    let mut out = Vec::new();
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        let id = id_of_value(&g.object).unwrap_or_default();
        if !w.logged.allows(&g.operation) || seq.ids.get(usize::from(w.slot)) != Some(&id) {
            out.push(side(format!("oplog entry {i} differs: {}", summary())));
            break;
        }
        if let Some(state) = &w.state {
            out.extend(
                fields(seq, &g.object, state).into_iter().map(|v| side(format!("oplog entry {i}: {}", v.message))),
            );
        }
    }
    out
}
