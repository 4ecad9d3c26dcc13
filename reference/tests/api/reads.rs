//! Read endpoints: list and oplog parameters, and the datamodel's ETag.

use crate::client::Api;
use axum::body::Body;
use axum::http::{header, StatusCode};
use serde_json::json;

#[tokio::test]
async fn list_parameters() {
    let api = Api::new();
    for i in 0..5 {
        api.create(json!({"name": format!("n{i}"), "count": i})).await;
    }
    let page = api.call("GET", "objects/task.json?limit=2&skip=1&sort[count]=desc&total=true", None).await.json();
    assert_eq!((page["count"].clone(), page["total"].clone(), page["more"].clone()), (json!(2), json!(5), json!(true)));
    let counts: Vec<i64> = page["objects"].as_array().unwrap().iter().map(|o| o["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [3, 2]);
    let q = api.call("GET", "objects/task.json?q[count.gte]=3&query[name.ne]=n4&total=true", None).await.json();
    assert_eq!(q["total"], 1);
    assert_eq!(api.call("GET", "objects/task.json?limit=5000&whatever=1", None).await.json()["count"], 5);
    for bad in [
        "limit=-1",
        "limit=x",
        "skip=1.5",
        "sort[nope]=asc",
        "sort[name]=sideways",
        "q[nope]=1",
        "q[name.regex]=x",
        "q[count]=abc",
    ] {
        api.call("GET", &format!("objects/task.json?{bad}"), None).await.error(400, "INVALID_API_REQUEST");
    }
}

#[tokio::test]
async fn oplog_parameters() {
    let api = Api::new();
    api.create(json!({})).await;
    for bad in ["", "?start=-1", "?start=x", "?start=0&end=y", "?start=0&limit=-5", "?tail=maybe"] {
        api.call("GET", &format!("oplog.json{bad}"), None).await.error(400, "INVALID_API_REQUEST");
    }
    let tail = api.call("GET", "oplog.json?tail=true", None).await;
    assert_eq!(tail.status, StatusCode::OK);
    assert_eq!(tail.json()["entries"][0]["sequence"], "1");
}

#[tokio::test]
async fn datamodel_etag() {
    let api = Api::new();
    let first = api.call("GET", "datamodel.json", None).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers.get(header::ETAG).unwrap().to_str().unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", first.json()["datamodel_hash"].as_str().unwrap()));
    assert!(first.json()["models"]["task"]["fields"]["status"]["options"].is_array());
    let again = api
        .raw(
            "GET",
            "/api/v4/acc1/datamodel.json",
            &[("authorization", &api.auth()), ("if-none-match", &etag)],
            Body::empty(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}
