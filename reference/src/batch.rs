//! `POST batch.json` (spec §5): whole-batch shape checks, then per-operation results.
//!
//! Choice: `post` with an ID that already exists fails with INVALID_VALUE, the same answer as a
//! single create with a used `id` (the request is well-formed; the value conflicts with the data).
//! An unknown object type in an operation is OBJECT_NOT_FOUND, as there is no route to miss.

use crate::error::{safe_quote, ApiError, ErrorType};
use crate::json::Json;
use crate::model;
use crate::objects;
use crate::store::AccountData;
use crate::values::parse_id;
use serde_json::{json, Map, Value};

/// Most operations one batch may carry.
pub const MAX_OPERATIONS: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }
}

/// A well-formed operation, not yet checked against the data.
struct Operation<'a> {
    method: Method,
    ty: &'a str,
    id: Option<&'a Json>,
    /// The flat object minus `type` and (for put/patch/delete) `id`.
    fields: Vec<(String, Json)>,
}

/// A well-formed batch.
pub struct Batch<'a> {
    stop_on_error: bool,
    operations: Vec<Operation<'a>>,
}

fn ill(detail: &str) -> ApiError {
    ApiError::bad_request(format!("Ill-formed batch: {detail}."))
}

/// Check the whole batch's shape; any fault rejects it before anything is applied.
pub fn parse(doc: &Json) -> Result<Batch<'_>, ApiError> {
    if !matches!(doc, Json::Object(_)) {
        return Err(ill("the body must be an object"));
    }
    let stop_on_error = match doc.get("stop_on_error") {
        None => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => return Err(ill("stop_on_error must be a boolean")),
    };
    let Some(Json::Array(items)) = doc.get("operations") else {
        return Err(ill("operations must be an array"));
    };
    if items.len() > MAX_OPERATIONS {
        return Err(ill(&format!("at most {MAX_OPERATIONS} operations are allowed")));
    }
    let mut operations = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = |what: &str| ill(&format!("operation {i}: {what}"));
        if !matches!(item, Json::Object(_)) {
            return Err(at("must be an object"));
        }
        let method = match item.get("method").and_then(Json::as_str).map(str::to_ascii_lowercase).as_deref() {
            Some("post") => Method::Post,
            Some("put") => Method::Put,
            Some("patch") => Method::Patch,
            Some("delete") => Method::Delete,
            _ => return Err(at("method must be post, put, patch or delete")),
        };
        let Some(object @ Json::Object(entries)) = item.get("object") else {
            return Err(at("object must be an object"));
        };
        let ty = object.get("type").and_then(Json::as_str).ok_or_else(|| at("object.type must be a string"))?;
        let id = object.get("id").filter(|id| **id != Json::Null);
        if method != Method::Post && id.is_none() {
            return Err(at("object.id is required for put, patch and delete"));
        }
        let fields =
            entries.iter().filter(|(k, _)| k != "type" && (method == Method::Post || k != "id")).cloned().collect();
        operations.push(Operation { method, ty, id, fields });
    }
    Ok(Batch { stop_on_error, operations })
}

/// Apply one operation; Ok carries the object's ID.
fn apply_one(data: &mut AccountData, op: &Operation<'_>) -> Result<String, ApiError> {
    let model = model::find(op.ty).ok_or_else(|| {
        ApiError::new(ErrorType::ObjectNotFound, "Unknown object type; see datamodel.json for the types.")
    })?;
    // A non-string ID is as malformed as a bad string: it names no object.
    let id = match op.id {
        Some(Json::String(s)) => s.as_str(),
        _ => "",
    };
    let object = match op.method {
        Method::Post => objects::create(data, model, &op.fields)?,
        Method::Put => objects::put(data, model, id, &op.fields)?.0,
        Method::Patch => objects::patch(data, model, id, &op.fields)?,
        Method::Delete => objects::delete(data, model, id)?,
    };
    Ok(object.id.to_string())
}

/// Apply a well-formed batch in order and report one result per operation.
pub fn run(data: &mut AccountData, batch: &Batch<'_>) -> Value {
    let mut failed = false;
    let results: Vec<Value> = batch
        .operations
        .iter()
        .map(|op| {
            // Echo only names and IDs that are plainly harmless; results are in order anyway.
            let ty = safe_quote(op.ty).map(|t| json!(t)).unwrap_or(Value::Null);
            let given_id = op.id.and_then(Json::as_str).and_then(parse_id).map(|id| json!(id.to_string()));
            let outcome = if failed && batch.stop_on_error {
                Err(ApiError::new(ErrorType::BatchAborted, "Not applied: an earlier operation in this batch failed."))
            } else {
                apply_one(data, op)
            };
            let (id, error) = match outcome {
                Ok(id) => (json!(id), None),
                Err(e) => {
                    failed = true;
                    (given_id.unwrap_or(Value::Null), Some(e.body()))
                }
            };
            let mut result = json!({
                "method": op.method.name(),
                "object": { "type": ty, "id": id },
                "success": error.is_none(),
            });
            if let (Some(error), Some(map)) = (error, result.as_object_mut()) {
                map.insert("error".into(), error);
            }
            result
        })
        .collect();
    let mut out = Map::new();
    out.insert("stop_on_error".into(), json!(batch.stop_on_error));
    out.insert("operations".into(), Value::Array(results));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn doc(text: &str) -> Json {
        json::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn ill_formed_batches_are_rejected_whole() {
        let many =
            format!(r#"{{"operations":[{}]}}"#, vec![r#"{"method":"post","object":{"type":"task"}}"#; 1001].join(","));
        for bad in [
            "[]",
            "{}",
            r#"{"operations":{}}"#,
            r#"{"operations":[1]}"#,
            r#"{"operations":[],"stop_on_error":"yes"}"#,
            r#"{"operations":[],"stop_on_error":null}"#,
            r#"{"operations":[{"method":"get","object":{"type":"task"}}]}"#,
            r#"{"operations":[{"object":{"type":"task"}}]}"#,
            r#"{"operations":[{"method":"post"}]}"#,
            r#"{"operations":[{"method":"post","object":{"name":"x"}}]}"#,
            r#"{"operations":[{"method":"post","object":{"type":5}}]}"#,
            r#"{"operations":[{"method":"patch","object":{"type":"task"}}]}"#,
            r#"{"operations":[{"method":"delete","object":{"type":"task","id":null}}]}"#,
            &many,
        ] {
            let e = parse(&doc(bad)).err().map(|e| e.kind);
            assert_eq!(e, Some(ErrorType::InvalidApiRequest), "{}", &bad[..bad.len().min(80)]);
        }
        let limit =
            format!(r#"{{"operations":[{}]}}"#, vec![r#"{"method":"post","object":{"type":"task"}}"#; 1000].join(","));
        assert!(parse(&doc(&limit)).is_ok());
    }

    #[test]
    fn results_per_operation_and_later_ops_see_earlier_ones() {
        let mut data = AccountData::default();
        let cat = "550e8400-e29b-41d4-a716-446655440000";
        let body = doc(&format!(
            r#"{{"operations":[
                {{"method":"post","object":{{"type":"category","id":"{cat}","name":"c"}}}},
                {{"method":"post","object":{{"type":"task","category_id":"{cat}"}}}},
                {{"method":"post","object":{{"type":"task","status":"test"}}}},
                {{"method":"patch","object":{{"type":"task","id":"nope"}}}},
                {{"method":"post","object":{{"type":"ghost"}}}},
                {{"method":"post","object":{{"type":"category","id":"{cat}"}}}},
                {{"method":"delete","object":{{"type":"category","id":"{cat}"}}}}
            ]}}"#
        ));
        let out = run(&mut data, &parse(&body).unwrap());
        let ops = out["operations"].as_array().unwrap();
        let outcome: Vec<(bool, Value)> =
            ops.iter().map(|o| (o["success"].as_bool().unwrap(), o["error"]["type"].clone())).collect();
        assert_eq!(out["stop_on_error"], false);
        assert_eq!(
            outcome,
            vec![
                (true, Value::Null),
                (true, Value::Null),
                (false, json!("INVALID_VALUE")),
                (false, json!("OBJECT_NOT_FOUND")),
                (false, json!("OBJECT_NOT_FOUND")),
                (false, json!("INVALID_VALUE")),
                (true, Value::Null),
            ]
        );
        assert_eq!(ops[0]["object"], json!({"type": "category", "id": cat}));
        assert_eq!(ops[3]["object"]["id"], Value::Null, "malformed IDs are not echoed");
        assert_eq!(ops[2]["error"].as_object().unwrap().len(), 4);
        assert_eq!(data.list("task").len(), 1);
        assert_eq!(data.list("category").len(), 0);
    }

    #[test]
    fn stop_on_error_aborts_the_rest_without_applying_it() {
        let mut data = AccountData::default();
        let body = doc(r#"{"stop_on_error":true,"operations":[
                {"method":"post","object":{"type":"task","name":"first"}},
                {"method":"post","object":{"type":"task","count":1.5}},
                {"method":"post","object":{"type":"task","name":"never"}},
                {"method":"delete","object":{"type":"task","id":"550e8400-e29b-41d4-a716-446655440000"}}
            ]}"#);
        let out = run(&mut data, &parse(&body).unwrap());
        let types: Vec<Value> =
            out["operations"].as_array().unwrap().iter().map(|o| o["error"]["type"].clone()).collect();
        assert_eq!(types, vec![Value::Null, json!("INVALID_VALUE"), json!("BATCH_ABORTED"), json!("BATCH_ABORTED")]);
        assert_eq!(out["stop_on_error"], true);
        let names: Vec<_> = data.list("task").iter().map(|o| o.fields.get("name").cloned()).collect();
        assert_eq!(names.len(), 1, "only the first op applied");
        assert_eq!(data.oplog().len(), 1);
    }
}
