//! The change log endpoint: `start` (inclusive), `end` (exclusive), `limit`, `tail`, `sequence_ids`.
//!
//! The answer is the documented envelope the vendor's client pages through: `entries` (each with its
//! `sequence` as a string, and `sequence_id` too when `sequence_ids=true`), `has_more` and
//! `next_request_start`, the `start` of the next page.

use crate::datamodel::datamodel_hash;
use crate::error::ApiError;
use crate::model;
use crate::objects::render;
use crate::query::{non_negative, parse_pairs, MAX_LIMIT};
use crate::store::AccountData;
use serde_json::{json, Map, Value};

/// Default page size of the oplog (spec §1).
pub const DEFAULT_LIMIT: u64 = 400;

fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ApiError::bad_request(format!("Parameter '{name}' must be true or false."))),
    }
}

/// The oplog page. `tail=true` makes `start` optional and answers the newest entries instead of the oldest.
/// Empty values (`limit=`) mean "not given", as for the object list.
pub fn oplog(data: &AccountData, raw_query: Option<&str>, base: &str) -> Result<Value, ApiError> {
    let (mut start, mut end, mut limit, mut tail, mut sequence_ids) = (None, None, DEFAULT_LIMIT, false, false);
    for (key, value) in parse_pairs(raw_query) {
        if value.is_empty() && matches!(key.as_str(), "start" | "end" | "limit") {
            continue;
        }
        match key.as_str() {
            "start" => start = Some(non_negative("start", &value)?),
            "end" => end = Some(non_negative("end", &value)?),
            "limit" => limit = non_negative("limit", &value)?.min(MAX_LIMIT as u64),
            "tail" => tail = flag("tail", &value)?,
            "sequence_ids" => sequence_ids = flag("sequence_ids", &value)?,
            _ => {}
        }
    }
    if start.is_none() && !tail {
        return Err(ApiError::bad_request("Parameter 'start' is required (or use tail=true)."));
    }
    let selected: Vec<_> = data
        .oplog()
        .iter()
        .filter(|e| start.is_none_or(|s| e.sequence >= s) && end.is_none_or(|x| e.sequence < x))
        .collect();
    let limit = usize::try_from(limit).unwrap_or(MAX_LIMIT);
    let skip = if tail { selected.len().saturating_sub(limit) } else { 0 };
    let page: Vec<_> = selected.iter().skip(skip).take(limit).collect();
    let has_more = skip.saturating_add(page.len()) < selected.len();
    let next_start = match page.last() {
        Some(last) => last.sequence.saturating_add(1),
        None => start.unwrap_or(data.oplog().len() as u64 + 1),
    };
    let entries: Vec<Value> = page
        .iter()
        .filter_map(|e| {
            let model = model::find(e.object.ty)?;
            let mut entry = Map::new();
            entry.insert("sequence".into(), json!(e.sequence.to_string()));
            if sequence_ids {
                entry.insert("sequence_id".into(), json!(e.sequence.to_string()));
            }
            entry.insert("operation".into(), json!(e.operation.name()));
            entry.insert("events".into(), json!([]));
            entry.insert("object".into(), render(model, &e.object, base));
            Some(Value::Object(entry))
        })
        .collect();
    let mut out = json!({
        "has_more": has_more,
        "next_request_start": next_start.to_string(),
        "datamodel_hash": datamodel_hash(),
    });
    // Moved in, not through `json!`, which would serialise every entry into a second copy.
    if let Some(map) = out.as_object_mut() {
        map.insert("entries".into(), Value::Array(entries));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorType;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn data(n: usize) -> AccountData {
        let mut data = AccountData::default();
        for _ in 0..n {
            data.create("task", uuid::Uuid::new_v4(), BTreeMap::new());
        }
        data
    }

    fn seqs(data: &AccountData, q: &str) -> Result<Vec<u64>, ErrorType> {
        let v = oplog(data, Some(q), "").map_err(|e| e.kind)?;
        Ok(v["entries"].as_array().unwrap().iter().map(|e| e["sequence"].as_str().unwrap().parse().unwrap()).collect())
    }

    #[test]
    fn params_select_ranges() {
        let d = data(5);
        assert_eq!(seqs(&d, "start=0"), Ok(vec![1, 2, 3, 4, 5]));
        assert_eq!(seqs(&d, "start=2&end=4"), Ok(vec![2, 3]));
        assert_eq!(seqs(&d, "start=1&limit=2"), Ok(vec![1, 2]));
        assert_eq!(seqs(&d, "tail=true&limit=2"), Ok(vec![4, 5]));
        assert_eq!(seqs(&d, "start=99"), Ok(vec![]));
        assert_eq!(seqs(&d, "start=0&limit=100000").map(|v| v.len()), Ok(5));
        let first = &oplog(&d, Some("start=1"), "").unwrap()["entries"][0];
        assert_eq!(first["operation"], "create");
        assert_eq!(first["object"]["type"], "task");
        assert_eq!(first["sequence"], "1", "sequences are strings");
        assert!(first.get("sequence_id").is_none(), "only with sequence_ids=true");
        assert_eq!(seqs(&d, "start=&tail=true&limit="), Ok(vec![1, 2, 3, 4, 5]), "empty means not given");
    }

    #[test]
    fn pages_chain_through_next_request_start() {
        let d = data(5);
        let page = |q: &str| oplog(&d, Some(q), "").unwrap();
        let first = page("sequence_ids=true&start=0&limit=2");
        assert_eq!(first["entries"][1]["sequence_id"], "2");
        assert_eq!((first["has_more"].clone(), first["next_request_start"].clone()), (json!(true), json!("3")));
        let second = page("sequence_ids=true&start=3&limit=2");
        assert_eq!(second["next_request_start"], "5");
        let last = page("sequence_ids=true&start=5&limit=2");
        assert_eq!((last["has_more"].clone(), last["next_request_start"].clone()), (json!(false), json!("6")));
        assert_eq!(page("start=2&end=4&limit=2")["has_more"], false, "end bounds the range");
        assert_eq!(page("tail=true&limit=2")["has_more"], false);
    }

    #[test]
    fn bad_params_are_invalid_api_request() {
        let d = data(1);
        for q in [
            "",
            "end=3",
            "start=-1",
            "start=x",
            "start=1&end=-2",
            "start=1&limit=abc",
            "tail=yes",
            "start=1.0",
            "tail=false",
            "start=0&sequence_ids=1",
        ] {
            assert_eq!(seqs(&d, q), Err(ErrorType::InvalidApiRequest), "{q}");
        }
    }
}
