//! The change log endpoint: `start` (inclusive), `end` (exclusive), `limit`, `tail`.

use crate::error::ApiError;
use crate::model;
use crate::objects::render;
use crate::query::{non_negative, parse_pairs, MAX_LIMIT};
use crate::store::AccountData;
use serde_json::{json, Value};

/// Default page size of the oplog (spec §1).
pub const DEFAULT_LIMIT: u64 = 400;

/// The oplog page. `tail=true` makes `start` optional and answers the newest entries instead of the oldest.
pub fn oplog(data: &AccountData, raw_query: Option<&str>, base: &str) -> Result<Value, ApiError> {
    let (mut start, mut end, mut limit, mut tail) = (None, None, DEFAULT_LIMIT, false);
    for (key, value) in parse_pairs(raw_query) {
        match key.as_str() {
            "start" => start = Some(non_negative("start", &value)?),
            "end" => end = Some(non_negative("end", &value)?),
            "limit" => limit = non_negative("limit", &value)?.min(MAX_LIMIT as u64),
            "tail" => {
                tail = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(ApiError::bad_request("Parameter 'tail' must be true or false.")),
                }
            }
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
    let operations: Vec<Value> = selected
        .iter()
        .skip(skip)
        .take(limit)
        .filter_map(|e| {
            let model = model::find(e.object.ty)?;
            Some(json!({
                "sequence": e.sequence,
                "operation": e.operation.name(),
                "object": render(model, &e.object, base),
            }))
        })
        .collect();
    Ok(json!({ "operations": operations, "datamodel_hash": model::datamodel_hash() }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorType;
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
        Ok(v["operations"].as_array().unwrap().iter().map(|e| e["sequence"].as_u64().unwrap()).collect())
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
        let first = &oplog(&d, Some("start=1"), "").unwrap()["operations"][0];
        assert_eq!(first["operation"], "create");
        assert_eq!(first["object"]["type"], "task");
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
        ] {
            assert_eq!(seqs(&d, q), Err(ErrorType::InvalidApiRequest), "{q}");
        }
    }
}
