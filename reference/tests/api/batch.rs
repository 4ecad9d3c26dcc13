//! The batch endpoint: ill-formed batches, per-operation results, and stop_on_error.

use crate::client::{Api, ID};
use axum::http::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn batch_contract() {
    let api = Api::new();
    // Ill-formed: 400 and nothing applied, even the valid operations before the fault.
    let ill =
        r#"{"operations":[{"method":"post","object":{"type":"task"}},{"method":"fly","object":{"type":"task"}}]}"#;
    api.call("POST", "batch.json", Some(ill)).await.error(400, "INVALID_API_REQUEST");
    let ops = vec![json!({"method": "post", "object": {"type": "task"}}); 1001];
    api.call("POST", "batch.json", Some(&json!({ "operations": ops }).to_string()))
        .await
        .error(400, "INVALID_API_REQUEST");
    assert_eq!(api.count("task").await, 0);

    let mixed = json!({"operations": [
        {"method": "post", "object": {"type": "task", "id": ID, "name": "a"}},
        {"method": "post", "object": {"type": "task", "status": "test"}},
        {"method": "post", "object": {"type": "task", "id": ID}},
        {"method": "patch", "object": {"type": "task", "id": ID, "name": "b"}},
    ]});
    let reply = api.call("POST", "batch.json", Some(&mixed.to_string())).await;
    assert_eq!(reply.status, StatusCode::OK);
    let body = reply.json();
    let results: Vec<(bool, Value)> = body["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["success"].as_bool().unwrap(), o["error"]["type"].clone()))
        .collect();
    assert_eq!(
        results,
        [(true, Value::Null), (false, json!("INVALID_VALUE")), (false, json!("INVALID_VALUE")), (true, Value::Null)]
    );
    assert_eq!(body["operations"][1]["error"]["see"], "https://docs.journeyapps.com/api-errors#INVALID_VALUE");
    assert_eq!(api.call("GET", &format!("objects/task/{ID}.json"), None).await.json()["name"], "b");

    let stop = json!({"stop_on_error": true, "operations": [
        {"method": "delete", "object": {"type": "task", "id": "550e8400-e29b-41d4-a716-44665544ffff"}},
        {"method": "delete", "object": {"type": "task", "id": ID}},
        {"method": "post", "object": {"type": "task"}},
    ]});
    let body = api.call("POST", "batch.json", Some(&stop.to_string())).await.json();
    assert_eq!(body["stop_on_error"], true);
    let errors: Vec<Value> =
        body["operations"].as_array().unwrap().iter().map(|o| o["error"]["type"].clone()).collect();
    assert_eq!(errors, [json!("OBJECT_NOT_FOUND"), json!("BATCH_ABORTED"), json!("BATCH_ABORTED")]);
    assert_eq!(api.count("task").await, 1, "aborted operations were not applied");
    assert_eq!(api.call("GET", &format!("objects/task/{ID}.json"), None).await.status, StatusCode::OK);
}
