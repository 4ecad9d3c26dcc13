//! Request bodies: strict JSON, body shape, Content-Type, the size limit, and random garbage.

use crate::client::{Api, ID};
use axum::http::StatusCode;

#[tokio::test]
async fn strict_json_and_body_shape() {
    let api = Api::new();
    let bad: &[&[u8]] = &[
        b"{\"task\":{\"score\":NaN}}",
        b"{\"task\":{},}",
        b"// c\n{\"task\":{}}",
        b"{\"task\":{\"name\":\"\xff\"}}",
        b"\xEF\xBB\xBF{\"task\":{}}",
        b"{'task':{}}",
        b"{\"task\":{}} x",
        b"",
        b"[]",
        b"{\"task\":[]}",
        b"{\"category\":{}}",
        b"{\"task\":{},\"x\":{}}",
        b"null",
    ];
    for body in bad {
        let reply = api
            .raw(
                "POST",
                "/api/v4/acc1/objects/task.json",
                &[("authorization", &api.auth()), ("content-type", "application/json")],
                body.to_vec(),
            )
            .await;
        reply.error(400, "INVALID_API_REQUEST");
    }
    assert_eq!(api.count("task").await, 0);
}

#[tokio::test]
async fn content_type_rules() {
    let api = Api::new();
    let path = "/api/v4/acc1/objects/task.json";
    let auth = api.auth();
    for ct in [None, Some("text/plain"), Some("application/x-www-form-urlencoded"), Some("application/jsonp")] {
        let mut headers = vec![("authorization", auth.as_str())];
        if let Some(ct) = ct {
            headers.push(("content-type", ct));
        }
        api.raw("POST", path, &headers, r#"{"task":{}}"#).await.error(400, "INVALID_API_REQUEST");
    }
    let ok = api
        .raw(
            "POST",
            path,
            &[("authorization", &auth), ("content-type", "Application/JSON; charset=utf-8")],
            r#"{"task":{}}"#,
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED);
    assert_eq!(api.count("task").await, 1);
}

#[tokio::test]
async fn body_limit_is_400_not_413() {
    let api = Api::with_limit(100);
    let big = format!(r#"{{"task":{{"name":"{}"}}}}"#, "x".repeat(200));
    api.call("POST", "objects/task.json", Some(&big)).await.error(400, "INVALID_API_REQUEST");
    let batch =
        format!(r#"{{"operations":[{{"method":"post","object":{{"type":"task","name":"{}"}}}}]}}"#, "x".repeat(200));
    api.call("POST", "batch.json", Some(&batch)).await.error(400, "INVALID_API_REQUEST");
    assert_eq!(
        api.call("POST", "objects/task.json", Some(r#"{"task":{"name":"small"}}"#)).await.status,
        StatusCode::CREATED
    );
    assert_eq!(api.count("task").await, 1);
}

#[tokio::test]
async fn garbage_never_yields_5xx_or_undocumented_types() {
    use rand::{Rng, SeedableRng};
    let api = Api::new();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let alphabet = b"{}[]\":,.-0123456789eE+ntruefalsnul\\u\x00\xff\xc3\xa9 taskidcategory_";
    let documented = [
        "AUTHENTICATION_FAILED",
        "ACCOUNT_NOT_FOUND",
        "ROUTE_ERROR",
        "OBJECT_NOT_FOUND",
        "INVALID_API_REQUEST",
        "INVALID_VALUE",
    ];
    for round in 0..400 {
        let len = rng.random_range(0..60);
        let mut body: Vec<u8> = (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())]).collect();
        if round % 3 == 0 {
            body = format!(r#"{{"task":{{"name":{}}}}}"#, String::from_utf8_lossy(&body)).into_bytes();
        }
        let put_path = format!("objects/task/{ID}.json");
        let target = ["objects/task.json", "batch.json", put_path.as_str()][round % 3];
        let method = ["POST", "POST", "PUT"][round % 3];
        let reply = api
            .raw(
                method,
                &format!("/api/v4/acc1/{target}"),
                &[("authorization", &api.auth()), ("content-type", "application/json")],
                body,
            )
            .await;
        assert!(reply.status.as_u16() < 500, "{}", reply.status);
        if !reply.status.is_success() {
            let ty = reply.json()["type"].as_str().unwrap().to_string();
            assert!(documented.contains(&ty.as_str()), "{ty}");
        }
    }
    for path in [
        "/api/v4/acc1/objects/%00.json",
        "/api/v4/acc1/objects/task/%ff%fe.json",
        "/api/v4/acc1/files/%2e%2e/%2e%2e",
        "/api/v4/%ff/datamodel.json",
    ] {
        let reply = api.get(path).await;
        assert!(matches!(reply.status.as_u16(), 401 | 404), "{path}: {}", reply.status);
    }
}
