//! The documents the vendor's clients read: the data model, attachments, the oplog envelope,
//! `info.json`, `indexes.json`, `query.json`, `embed` and `total=true`.

use crate::client::Api;
use axum::http::{header, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn datamodel_has_the_client_shape() {
    let api = Api::new();
    let doc = api.call("GET", "datamodel.json", None).await.json();
    assert!(doc.as_object().unwrap().contains_key("app_user"));
    let task = &doc["models"]["task"];
    assert_eq!(task["belongs_to"]["category"]["model"], "category");
    assert_eq!(task["belongs_to"]["category"]["name"], "category");
    assert_eq!(doc["models"]["category"]["has_many"]["tasks"]["model"], "task");
    assert_eq!(task["fields"]["description"]["subtype"], "paragraph");
}

#[tokio::test]
async fn attachments_read_as_id_plus_urls_from_the_host_header() {
    let api = Api::new();
    let task = api.create(json!({"photo": {"base64": "aGVsbG8=", "filename": "a.png"}, "name": "p"})).await;
    let id = task["id"].as_str().unwrap();
    let auth = api.auth();
    let path = format!("/api/v4/acc1/objects/task/{id}.json");
    let read = api.raw("GET", &path, &[("authorization", &auth), ("host", "proxy.example:8443")], "").await.json();
    let file_id = read["photo_id"].as_str().unwrap();
    assert_eq!(read["photo"]["state"], "uploaded");
    let prefix = format!("http://proxy.example:8443/api/v4/acc1/attachments/{file_id}/");
    let url = read["photo"]["original"].as_str().unwrap();
    assert!(url.starts_with(&prefix), "{url}");
    for size in ["fullscreen", "thumbnail"] {
        assert_eq!(read["photo"][size], url, "{size}");
    }
    assert_eq!((read["attachment_id"].clone(), read["attachment"].clone()), (Value::Null, Value::Null));
    // The db client fetches the URL bare (`Attachment.ts`): no Authorization on either hop.
    let path = url.trim_start_matches("http://proxy.example:8443");
    let redirect = api.raw("GET", path, &[], "").await;
    assert_eq!(redirect.status, StatusCode::FOUND);
    let location = redirect.headers.get(header::LOCATION).unwrap().to_str().unwrap();
    let file = api.raw("GET", location.trim_start_matches("http://localhost"), &[], "").await;
    assert_eq!((file.status, file.body.as_slice()), (StatusCode::OK, b"hello".as_slice()), "{location}");
    // Writing the object back as read keeps its photo (`photo_id` names the stored attachment).
    let mut back = read.clone();
    back["name"] = json!("again");
    let put = api.call("PUT", &format!("objects/task/{id}.json"), Some(&json!({ "task": back }).to_string())).await;
    assert_eq!(put.status, StatusCode::OK, "{}", String::from_utf8_lossy(&put.body));
    assert_eq!(put.json()["photo_id"], file_id);
    let bad = json!({"task": {"photo_id": "550e8400-e29b-41d4-a716-446655440000"}}).to_string();
    api.call("PATCH", &format!("objects/task/{id}.json"), Some(&bad)).await.error(422, "INVALID_VALUE");
}

#[tokio::test]
async fn oplog_pages_with_sequence_ids() {
    let api = Api::new();
    for _ in 0..5 {
        api.create(json!({})).await;
    }
    let mut start = "0".to_string();
    let mut seen = Vec::new();
    for _ in 0..10 {
        let page = api.call("GET", &format!("oplog.json?sequence_ids=true&start={start}&limit=2"), None).await.json();
        for entry in page["entries"].as_array().unwrap() {
            assert_eq!(entry["sequence_id"], entry["sequence"]);
            assert_eq!(entry["events"], json!([]));
            seen.push(entry["sequence"].as_str().unwrap().to_string());
        }
        if page["has_more"] == false {
            break;
        }
        start = page["next_request_start"].as_str().unwrap().to_string();
    }
    assert_eq!(seen, ["1", "2", "3", "4", "5"]);
    api.call("GET", "oplog.json?start=0&sequence_ids=yes", None).await.error(400, "INVALID_API_REQUEST");
}

#[tokio::test]
async fn info_and_indexes() {
    let api = Api::new();
    let info = api.call("GET", "info.json", None).await;
    assert_eq!(info.status, StatusCode::OK);
    assert_eq!(info.json()["app_id"].as_str().unwrap().len(), 24);
    let indexes = api.call("GET", "indexes.json", None).await.json();
    assert_eq!(indexes["models"]["task"]["indexes"][0]["status"], "ready");
    assert_eq!(api.call("GET", "info?x=1", None).await.status, StatusCode::OK, "no suffix, unknown parameters ignored");
    api.raw("GET", "/api/v4/acc1/info.json", &[], "").await.error(401, "AUTHENTICATION_FAILED");
    api.call("POST", "indexes.json", None).await.error(404, "ROUTE_ERROR");
}

#[tokio::test]
async fn query_json_embed_and_total() {
    let api = Api::new();
    let cat = api.call("POST", "objects/category.json", Some(r#"{"category":{"name":"c"}}"#)).await.json();
    let cat_id = cat["id"].as_str().unwrap();
    for i in 0..4 {
        api.create(json!({"count": i, "name": format!("n{i}"), "category_id": if i == 0 { json!(cat_id) } else { Value::Null }})).await;
    }
    let body = json!({"expression": "count >= ? and name != ?", "arguments": [1, "n2"], "limit": null, "skip": null, "sort": ["-count"]});
    let found = api.call("POST", "objects/task/query.json", Some(&body.to_string())).await;
    assert_eq!(found.status, StatusCode::OK, "{}", String::from_utf8_lossy(&found.body));
    let counts: Vec<i64> =
        found.json()["objects"].as_array().unwrap().iter().map(|o| o["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [3, 1]);
    let bad = json!({"expression": "count >= ?", "arguments": []}).to_string();
    api.call("POST", "objects/task/query.json", Some(&bad)).await.error(400, "INVALID_API_REQUEST");
    api.call("POST", "objects/ghost/query.json", Some("{}")).await.error(404, "ROUTE_ERROR");
    let list = api.call("GET", "objects/task.json?embed[category]=1&sort[count]=1&limit=2", None).await.json();
    assert_eq!(list["objects"][0]["category"]["name"], "c");
    assert_eq!(list["objects"][1]["category"], Value::Null);
    // Retrieve All Objects: `total` is part of the pagination data unless `total=false` leaves it out.
    assert_eq!(list["total"], 4);
    assert_eq!(list["more"], true);
    assert_eq!(api.call("GET", "objects/task.json?total=true&limit=1", None).await.json()["total"], 4);
    assert!(api.call("GET", "objects/task.json?total=false", None).await.json().get("total").is_none());
    api.call("GET", "objects/task.json?embed[nope]=1", None).await.error(400, "INVALID_API_REQUEST");
    let first = list["objects"][0]["id"].as_str().unwrap();
    let one = api.call("GET", &format!("objects/task/{first}.json?embed=category"), None).await.json();
    assert_eq!(one["category"]["id"], cat_id);
    assert!(api.call("GET", &format!("objects/task/{first}.json"), None).await.json().get("category").is_none());
    let path = format!("objects/task/{first}.json?embed[]=nope");
    api.call("GET", &path, None).await.error(400, "INVALID_API_REQUEST");
}
