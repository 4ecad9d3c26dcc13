//! Objects: create, read back, update, delete, invalid values, and attachment downloads.

use crate::client::{Api, ID};
use axum::body::Body;
use axum::http::{header, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn object_lifecycle_and_read_back() {
    let api = Api::new();
    let cat = api.call("POST", "objects/category.json", Some(r#"{"category":{"name":"c","code":7}}"#)).await;
    assert_eq!(cat.status, StatusCode::CREATED);
    let cat_id = cat.json()["id"].as_str().unwrap().to_string();
    let task = api
        .create(json!({
            "name": "t", "count": 2, "score": 1.5, "done": true, "due_on": "2024-02-29T10:00:00Z",
            "due_at": "2024-01-01T01:00:00+02:00", "status": "open", "priority": 1, "tags": ["red"], "levels": [2],
            "place": {"latitude": 1, "longitude": 2}, "category_id": cat_id,
        }))
        .await;
    let id = task["id"].as_str().unwrap();
    assert_eq!(task["type"], "task");
    assert_eq!(task["display"], "t");
    assert!(task["updated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(task["done"], json!({"key": true, "display": "Yes"}));
    assert_eq!(task["due_on"], "2024-02-29");
    assert_eq!(task["due_at"], "2023-12-31T23:00:00Z");
    assert_eq!(task["priority"], json!({"key": 1, "display": "Low"}));
    assert_eq!(task["category_id"], json!(cat_id));
    assert_eq!(task["photo"], Value::Null);
    let got = api.call("GET", &format!("objects/task/{id}.json"), None).await;
    assert_eq!(got.json(), task);

    let patched =
        api.call("PATCH", &format!("objects/task/{id}.json"), Some(r#"{"task":{"name":null,"count":3}}"#)).await;
    assert_eq!(patched.status, StatusCode::OK);
    let patched = patched.json();
    assert_eq!(
        (patched["name"].clone(), patched["count"].clone(), patched["score"].clone()),
        (Value::Null, json!(3), json!(1.5))
    );

    let put = api.call("PUT", &format!("objects/task/{id}.json"), Some(r#"{"task":{"name":"p"}}"#)).await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(put.json()["score"], Value::Null, "PUT clears omitted fields");
    let upsert = api.call("PUT", &format!("objects/task/{ID}.json"), Some(r#"{"task":{}}"#)).await;
    assert_eq!(upsert.status, StatusCode::CREATED);
    assert_eq!(upsert.json()["id"], ID);

    let deleted = api.call("DELETE", &format!("objects/task/{id}.json"), None).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert!(deleted.body.is_empty());
    for method in ["GET", "DELETE"] {
        api.call(method, &format!("objects/task/{id}.json"), None).await.error(404, "OBJECT_NOT_FOUND");
    }
    api.call("PATCH", &format!("objects/task/{id}.json"), Some(r#"{"task":{}}"#)).await.error(404, "OBJECT_NOT_FOUND");
    api.call("PUT", "objects/task/not-a-uuid.json", Some(r#"{"task":{}}"#)).await.error(404, "OBJECT_NOT_FOUND");
    // Unknown object: 404 even when the body is broken too.
    api.call("PATCH", "objects/task/zzz.json", Some("{")).await.error(404, "OBJECT_NOT_FOUND");

    let log = api.call("GET", "oplog.json?start=1", None).await.json();
    let ops: Vec<&str> = log["entries"].as_array().unwrap().iter().map(|o| o["operation"].as_str().unwrap()).collect();
    assert_eq!(ops, ["create", "create", "update", "update", "create", "delete"]);
    assert!(log["datamodel_hash"].is_string());
}

#[tokio::test]
async fn invalid_values_are_422_and_change_nothing() {
    let api = Api::new();
    let task = api.create(json!({"name": "keep", "status": "open"})).await;
    let id = task["id"].as_str().unwrap();
    for fields in [
        r#"{"status":"test"}"#,
        r#"{"count":1.5}"#,
        r#"{"count":"1"}"#,
        r#"{"count":1e400}"#,
        r#"{"score":1e400}"#,
        r#"{"done":"yes"}"#,
        r#"{"due_on":"2024-02-30"}"#,
        r#"{"due_at":"now"}"#,
        r#"{"priority":9}"#,
        r#"{"tags":"red"}"#,
        r#"{"place":{"latitude":91,"longitude":0}}"#,
        r#"{"photo":{"base64":"aGk=","filename":"../x"}}"#,
        r#"{"category_id":"550e8400-e29b-41d4-a716-446655440000"}"#,
        r#"{"bogus":1}"#,
    ] {
        let body = format!(r#"{{"task":{fields}}}"#);
        let err = api.call("PATCH", &format!("objects/task/{id}.json"), Some(&body)).await.error(422, "INVALID_VALUE");
        assert!(!err["detail"].as_str().unwrap().contains(".."), "{err}");
        api.call("POST", "objects/task.json", Some(&body)).await.error(422, "INVALID_VALUE");
    }
    let detail =
        api.call("POST", "objects/task.json", Some(r#"{"task":{"status":"test"}}"#)).await.error(422, "INVALID_VALUE");
    assert_eq!(detail["detail"], "Invalid option \"test\" for field 'status'.");
    assert_eq!(api.call("GET", &format!("objects/task/{id}.json"), None).await.json(), task);
    assert_eq!(api.count("task").await, 1);
}

/// The request path of a URL the server handed out, so it can be requested in-process.
fn path_of(url: &str) -> String {
    url.split_once("/api/v4/")
        .map(|(_, rest)| format!("/api/v4/{rest}"))
        .unwrap_or_else(|| panic!("not an API URL: {url}"))
}

#[tokio::test]
async fn attachment_redirects_to_the_file() {
    let api = Api::new();
    let task = api.create(json!({"attachment": {"base64": "aGVsbG8=", "filename": "hello world.txt"}})).await;
    let url = task["attachment"]["original"].as_str().unwrap();
    let path = path_of(url);
    let redirect = api.get(&path).await;
    assert_eq!(redirect.status, StatusCode::FOUND);
    let location = redirect.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert!(location.ends_with("/hello%20world.txt"), "{location}");
    let file_path = path_of(&location);
    let file = api.get(&file_path).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, b"hello");
    // A capability URL: fetchable without credentials, and only with its own token.
    let bare = api.raw("GET", &path, &[], Body::empty()).await;
    assert_eq!(bare.status, StatusCode::FOUND);
    assert_eq!(api.raw("GET", &file_path, &[], Body::empty()).await.body, b"hello");
    let (head, token) = path.rsplit_once('/').unwrap();
    let mut altered: Vec<u8> = token.bytes().collect();
    altered[0] = if altered[0] == b'0' { b'1' } else { b'0' };
    let altered = String::from_utf8(altered).unwrap();
    for wrong in [format!("{head}/{altered}"), format!("{head}/{}", &token[..31]), format!("{head}/x")] {
        api.raw("GET", &wrong, &[], Body::empty()).await.error(404, "OBJECT_NOT_FOUND");
    }
    let file_altered = file_path.replace(token, &altered);
    api.raw("GET", &file_altered, &[], Body::empty()).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", &format!("attachments/{ID}/{token}"), None).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", &format!("attachments/{ID}"), None).await.error(404, "ROUTE_ERROR");
    // Another account's prefix does not open this account's file.
    api.raw("GET", &path.replace("/acc1/", "/acc2/"), &[], Body::empty()).await.error(404, "OBJECT_NOT_FOUND");
}
