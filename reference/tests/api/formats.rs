//! The emulator's request forms the vendor's clients use: document suffixes, XML, empty paging
//! values, every sort direction and form-encoded writes.

use crate::client::{Api, ID};
use axum::http::{header, StatusCode};
use serde_json::{json, Value};

fn content_type(reply: &crate::client::Reply) -> String {
    reply.headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}

#[tokio::test]
async fn suffixes_json_xml_or_none() {
    let api = Api::new();
    let task = api.create(json!({"name": "x<y", "count": 2})).await;
    let id = task["id"].as_str().unwrap();
    for rest in ["datamodel", "objects/task", &format!("objects/task/{id}")] {
        let reply = api.call("GET", rest, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{rest}");
        assert!(content_type(&reply).starts_with("application/json"), "{rest}");
    }
    assert_eq!(api.call("GET", &format!("objects/task/{id}"), None).await.json()["name"], "x<y");
    let model = api.call("GET", "datamodel.xml", None).await;
    assert_eq!(model.status, StatusCode::OK);
    assert_eq!(content_type(&model), "application/xml");
    let text = String::from_utf8(model.body.clone()).unwrap();
    assert!(text.contains("<data-model>") && text.contains(r#"<model name="task" label="Task">"#), "{text}");
    let json_etag = api.call("GET", "datamodel", None).await.headers[header::ETAG].clone();
    assert_ne!(model.headers[header::ETAG], json_etag, "each representation has its own ETag");
    let auth = api.auth();
    for (tag, want) in [(model.headers[header::ETAG].clone(), StatusCode::NOT_MODIFIED), (json_etag, StatusCode::OK)] {
        let headers = [("authorization", auth.as_str()), ("if-none-match", tag.to_str().unwrap())];
        assert_eq!(api.raw("GET", "/api/v4/acc1/datamodel.xml", &headers, "").await.status, want, "{tag:?}");
    }
    let list = String::from_utf8(api.call("GET", "objects/task.xml", None).await.body).unwrap();
    assert!(list.contains("<object>") && list.contains("<name>x&lt;y</name>"), "{list}");
    let one = api.call("GET", &format!("objects/task/{id}.xml"), None).await;
    assert_eq!(content_type(&one), "application/xml");
    assert!(String::from_utf8(one.body).unwrap().contains(&format!("<id>{id}</id>")));
    // Errors stay JSON whatever the suffix asked for.
    api.call("GET", &format!("objects/task/{ID}.xml"), None).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", "objects/nosuchtype.xml", None).await.error(404, "ROUTE_ERROR");
    api.call("GET", "objects/task.xml?limit=x", None).await.error(400, "INVALID_API_REQUEST");
}

#[tokio::test]
async fn empty_paging_values_mean_not_given() {
    let api = Api::new();
    for i in 0..3 {
        api.create(json!({ "count": i })).await;
    }
    let page = api.call("GET", "objects/task.json?limit=&skip=", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", String::from_utf8_lossy(&page.body));
    assert_eq!(page.json()["count"], 3);
    assert_eq!(api.call("GET", "objects/task.json?limit=&skip=2", None).await.json()["count"], 1);
    api.call("GET", "objects/task.json?limit=%20", None).await.error(400, "INVALID_API_REQUEST");
}

#[tokio::test]
async fn every_sort_direction() {
    let api = Api::new();
    for i in [2, 1, 3] {
        api.create(json!({ "count": i })).await;
    }
    let order = |page: Value| -> Vec<i64> {
        page["objects"].as_array().unwrap().iter().map(|o| o["count"].as_i64().unwrap()).collect()
    };
    for (dir, want) in [
        ("1", [1, 2, 3]),
        ("asc", [1, 2, 3]),
        ("ASC", [1, 2, 3]),
        ("-1", [3, 2, 1]),
        ("desc", [3, 2, 1]),
        ("DESC", [3, 2, 1]),
    ] {
        let page = api.call("GET", &format!("objects/task.json?sort[count]={dir}"), None).await.json();
        assert_eq!(order(page), want, "{dir}");
    }
    // The vendor's client percent-encodes the brackets.
    assert_eq!(order(api.call("GET", "objects/task.json?sort%5Bcount%5D=-1", None).await.json()), [3, 2, 1]);
    for dir in ["2", "Asc", "up", ""] {
        api.call("GET", &format!("objects/task.json?sort[count]={dir}"), None).await.error(400, "INVALID_API_REQUEST");
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

#[tokio::test]
async fn form_encoded_writes() {
    let api = Api::new();
    let auth = api.auth();
    let headers = [("authorization", auth.as_str()), ("content-type", FORM)];
    let body = "task[name]=form+task&task[count]=3&task[status]=open&task[done]=true&task[tags][]=red&task[place][latitude]=1&task[place][longitude]=2";
    let made = api.raw("POST", "/api/v4/acc1/objects/task.json", &headers, body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&made.body));
    let task = made.json();
    assert_eq!((task["name"].clone(), task["count"].clone()), (json!("form task"), json!(3)));
    assert_eq!(task["status"]["key"], "open");
    assert_eq!(task["done"]["key"], true);
    assert_eq!(task["tags"][0]["key"], "red");
    assert_eq!(task["place"]["longitude"], 2.0);
    let path = format!("/api/v4/acc1/objects/task/{}.json", task["id"].as_str().unwrap());
    let patched = api.raw("PATCH", &path, &headers, "task[count]=4&task[name]=").await;
    assert_eq!(patched.status, StatusCode::OK, "{}", String::from_utf8_lossy(&patched.body));
    assert_eq!((patched.json()["count"].clone(), patched.json()["name"].clone()), (json!(4), json!("")));
    let put = api.raw("PUT", &path, &headers, "task[priority]=2").await;
    assert_eq!((put.status, put.json()["count"].clone()), (StatusCode::OK, Value::Null));
    api.raw("PATCH", &path, &headers, "task[count]=many").await.error(422, "INVALID_VALUE");
    api.raw("PATCH", &path, &headers, "task[nope]=1").await.error(422, "INVALID_VALUE");
    api.raw("PATCH", &path, &headers, "task[count]=1&task[count]=2").await.error(400, "INVALID_API_REQUEST");
    api.raw("PATCH", &path, &headers, "count=1").await.error(400, "INVALID_API_REQUEST");
    // Batches stay JSON only.
    api.raw("POST", "/api/v4/acc1/batch.json", &headers, "operations[]=x").await.error(400, "INVALID_API_REQUEST");
    assert_eq!(api.count("task").await, 1);
}
