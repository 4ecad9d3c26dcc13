//! The requests the vendor's db client (`journeyapps-db` in journeyapps-platform/journey-lib) sends,
//! answered as it expects: its `query.json` expressions, its location array on every write path, its
//! `Token` credentials, its bare attachment fetch; and the docs' examples for Retrieve All Objects and
//! Query Objects giving the documented keys.

use crate::client::Api;
use axum::http::StatusCode;
use serde_json::{json, Value};

async fn query(api: &Api, body: Value) -> Vec<String> {
    let found = api.call("POST", "objects/task/query.json", Some(&body.to_string())).await;
    assert_eq!(found.status, StatusCode::OK, "{body}: {}", String::from_utf8_lossy(&found.body));
    let page = found.json();
    page["objects"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap_or("").to_string()).collect()
}

#[tokio::test]
async fn the_clients_expressions_select_the_right_objects_in_order() {
    let api = Api::new();
    let cat = api.call("POST", "objects/category.json", Some(r#"{"category":{"name":"c"}}"#)).await.json();
    for (name, status, count) in
        [("Alpha", "open", 1), ("alpine", "closed", 2), ("beta", "open", 3), ("Gamma", "in_progress", 4)]
    {
        let category = if count == 3 { json!(cat["id"]) } else { Value::Null };
        api.create(json!({"name": name, "status": status, "count": count, "category_id": category})).await;
    }
    // `Query.where(...)` wraps the expression in parentheses, `and`/`or` nest (src/query/queryOperations.ts).
    let body = |expression: &str, arguments: Value| json!({"expression": expression, "arguments": arguments, "limit": null, "skip": null, "sort": ["-count"]});
    assert_eq!(
        query(&api, body("(name starts with ? and status = ?) or status = ?", json!(["al", "open", "in_progress"])))
            .await,
        ["Gamma", "Alpha"]
    );
    assert_eq!(query(&api, body("((name contains ? and count > ?))", json!(["ALP", 1]))).await, ["alpine"]);
    assert_eq!(query(&api, body("(status not in ?)", json!([["open"]]))).await, ["Gamma", "alpine"]);
    assert_eq!(query(&api, body("(category_id = ?)", json!([cat["id"]]))).await, ["beta"]);
    assert_eq!(query(&api, body("(category = ?)", json!([cat]))).await, ["beta"]);
    assert_eq!(query(&api, body("(category_id = ?)", json!([null]))).await, ["Gamma", "alpine", "Alpha"]);
    let paged = json!({"expression": "", "arguments": [], "limit": 2, "skip": 1, "sort": ["name"]});
    assert_eq!(query(&api, paged).await, ["Gamma", "alpine"]);
    let bad = body("(name = ? or count > ?", json!(["a", 1]));
    let e = api.call("POST", "objects/task/query.json", Some(&bad.to_string())).await.error(400, "INVALID_API_REQUEST");
    assert!(e["detail"].as_str().unwrap().contains("character 22"), "{e}");
}

#[tokio::test]
async fn a_location_array_is_taken_on_every_write_path_and_reads_back_as_the_documented_object() {
    let api = Api::new();
    let array = json!([-33.92, 18.42, 12.5, 5, null, "2024-05-01T10:20:30.000Z"]);
    let want = json!({"latitude": -33.92, "longitude": 18.42, "altitude": 12.5, "horizontal_accuracy": 5.0,
                      "timestamp": "2024-05-01T10:20:30Z"});
    let created = api.create(json!({"place": array})).await;
    assert_eq!(created["place"], want);
    let id = created["id"].as_str().unwrap().to_string();
    let batch = json!({"operations": [{"method": "patch", "object": {"type": "task", "id": id, "place": [1, 2, null, null, null, null]}}]});
    let done = api.call("POST", "batch.json", Some(&batch.to_string())).await.json();
    assert_eq!(done["operations"][0]["success"], true, "{done}");
    let read = api.call("GET", &format!("objects/task/{id}.json"), None).await.json();
    assert_eq!(read["place"], json!({"latitude": 1.0, "longitude": 2.0}));
    let form = "task%5Bplace%5D%5B%5D=3&task%5Bplace%5D%5B%5D=4&task%5Bplace%5D%5B%5D=&task%5Bplace%5D%5B%5D=&task%5Bplace%5D%5B%5D=&task%5Bplace%5D%5B%5D=2024-05-01T10%3A20%3A30Z";
    let auth = api.auth();
    let headers = [("authorization", auth.as_str()), ("content-type", "application/x-www-form-urlencoded")];
    let patched = api.raw("PATCH", &format!("/api/v4/acc1/objects/task/{id}.json"), &headers, form).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", String::from_utf8_lossy(&patched.body));
    assert_eq!(
        patched.json()["place"],
        json!({"latitude": 3.0, "longitude": 4.0, "timestamp": "2024-05-01T10:20:30Z"})
    );
}

#[tokio::test]
async fn token_credentials_sign_in_as_the_client_sends_them() {
    let api = Api::new();
    let token = format!("Token {}", api.me.token);
    let reply = api.raw("GET", "/api/v4/acc1/objects/task.json", &[("authorization", token.as_str())], "").await;
    assert_eq!(reply.status, StatusCode::OK);
    let wrong = format!("Token {}x", api.me.token);
    api.raw("GET", "/api/v4/acc1/objects/task.json", &[("authorization", wrong.as_str())], "")
        .await
        .error(401, "AUTHENTICATION_FAILED");
    let other = format!("Token {}", api.other.token);
    api.raw("GET", "/api/v4/acc1/objects/task.json", &[("authorization", other.as_str())], "")
        .await
        .error(404, "ACCOUNT_NOT_FOUND");
}

#[tokio::test]
async fn the_docs_examples_give_the_documented_keys() {
    let api = Api::new();
    api.create(json!({"name": "Site visit", "status": "open", "due_at": "2024-05-01T10:00:00Z"})).await;
    // Retrieve All Objects: each object's id, type, updated_at, display and fields; count, total and more.
    let all = api.call("GET", "objects/task.json", None).await.json();
    for key in ["objects", "count", "total", "more"] {
        assert!(all.get(key).is_some(), "Retrieve All Objects without `{key}`: {all}");
    }
    let object = &all["objects"][0];
    for key in ["id", "type", "updated_at", "display", "name", "category_id"] {
        assert!(object.get(key).is_some(), "an object without `{key}`: {object}");
    }
    // Query Objects: a text field, several fields, a datetime in ISO 8601, a single-choice key, a relationship.
    for q in [
        "query[name]=Site%20visit",
        "query[name]=Site%20visit&query[status]=open",
        "query[due_at.gte]=2024-05-01T09:00:00Z",
        "q[status]=open",
        "query[category_id.null]=true",
    ] {
        let found = api.call("GET", &format!("objects/task.json?{q}"), None).await.json();
        assert_eq!(found["count"], 1, "{q}: {found}");
        assert_eq!((found["total"].clone(), found["more"].clone()), (json!(1), json!(false)), "{q}");
    }
}
