//! Credentials: what fails authentication, and other accounts' data staying out of reach.

use crate::client::{basic, Api};
use axum::body::Body;
use axum::http::{header, StatusCode};
use serde_json::json;

#[tokio::test]
async fn authentication_failures() {
    let api = Api::new();
    let path = "/api/v4/acc1/datamodel.json";
    let wrong = basic("acc1", "wrong");
    let unknown = basic("nobody", &api.me.password);
    let both = format!("{}, Bearer {}", api.auth(), api.me.token);
    for headers in [
        vec![],
        vec![("authorization", wrong.as_str())],
        vec![("authorization", unknown.as_str())],
        vec![("authorization", "Basic %%%")],
        vec![("authorization", "Basic")],
        vec![("authorization", "Bearer O:not-a-token")],
        vec![("authorization", both.as_str())],
    ] {
        let reply = api.raw("GET", path, &headers, Body::empty()).await;
        let body = reply.error(401, "AUTHENTICATION_FAILED");
        assert_eq!(reply.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Basic realm=\"JourneyApps\"");
        assert!(!body.to_string().contains(&api.me.password), "no echoed secrets");
    }
    let bearer = format!("Bearer {}", api.me.token);
    assert_eq!(api.raw("GET", path, &[("authorization", &bearer)], Body::empty()).await.status, StatusCode::OK);
    assert_eq!(api.get(path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn other_accounts_are_account_not_found() {
    let api = Api::new();
    let created = api.create(json!({"name": "mine"})).await;
    let id = created["id"].as_str().unwrap();
    let theirs = basic(&api.other.id, &api.other.password);
    for (method, path) in [
        ("GET", format!("/api/v4/acc1/objects/task/{id}.json")),
        ("DELETE", format!("/api/v4/acc1/objects/task/{id}.json")),
        ("GET", "/api/v4/acc1/objects/task.json".to_string()),
        ("GET", "/api/v4/nosuchaccount/objects/task.json".to_string()),
    ] {
        api.raw(method, &path, &[("authorization", &theirs)], Body::empty()).await.error(404, "ACCOUNT_NOT_FOUND");
    }
    // Bad credentials on an unknown account: authentication comes first.
    api.raw("GET", "/api/v4/nosuch/datamodel.json", &[("authorization", "Bearer x")], Body::empty())
        .await
        .error(401, "AUTHENTICATION_FAILED");
    assert_eq!(api.call("GET", &format!("objects/task/{id}.json"), None).await.status, StatusCode::OK, "untouched");
}
