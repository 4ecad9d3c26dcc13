//! End-to-end checks of the error contract through the router (oneshot) and over loopback TCP.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use base64::Engine;
use journey_reference::{base_url, router, serve, Account, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

struct Api {
    app: Router,
    me: Account,
    other: Account,
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// Assert a contract error: status, type, four keys, `see`, Content-Type.
    fn error(&self, status: u16, ty: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", String::from_utf8_lossy(&self.body));
        let body = self.json();
        let obj = body.as_object().expect("error body is an object");
        assert_eq!(obj.len(), 4, "{body}");
        assert_eq!(obj["type"], ty, "{body}");
        assert!(!obj["title"].as_str().unwrap().is_empty());
        assert!(obj["detail"].is_string());
        assert_eq!(obj["see"], format!("https://docs.journeyapps.com/api-errors#{ty}"));
        let ct = self.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap();
        assert!(ct.starts_with("application/json"), "{ct}");
        assert!(self.headers.get(header::SERVER).is_none());
        assert!(self.headers.get("x-powered-by").is_none());
        body
    }
}

fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

const ID: &str = "550e8400-e29b-41d4-a716-446655440000";

impl Api {
    fn new() -> Api {
        Api::with_limit(64 * 1024)
    }

    fn with_limit(max_body_bytes: usize) -> Api {
        let me = Account::generate("acc1");
        let other = Account::generate("acc2");
        let app = router(Config { accounts: vec![me.clone(), other.clone()], max_body_bytes, rate_limit: None });
        Api { app, me, other }
    }

    fn auth(&self) -> String {
        basic(&self.me.id, &self.me.password)
    }

    async fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Reply {
        let mut request = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(path);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let response = self.app.clone().oneshot(request.body(body.into()).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }

    /// An authenticated request below `/api/v4/acc1/`, with a JSON body when given.
    async fn call(&self, method: &str, rest: &str, body: Option<&str>) -> Reply {
        let auth = self.auth();
        let path = format!("/api/v4/acc1/{rest}");
        match body {
            Some(b) => {
                self.raw(
                    method,
                    &path,
                    &[("authorization", &auth), ("content-type", "application/json")],
                    b.to_string(),
                )
                .await
            }
            None => self.raw(method, &path, &[("authorization", &auth)], Body::empty()).await,
        }
    }

    async fn create(&self, fields: Value) -> Value {
        let reply = self.call("POST", "objects/task.json", Some(&json!({ "task": fields }).to_string())).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        reply.json()
    }

    async fn count(&self, ty: &str) -> u64 {
        self.call("GET", &format!("objects/{ty}.json"), None).await.json()["total"].as_u64().unwrap()
    }
}

#[tokio::test]
async fn non_routes_are_route_error() {
    let api = Api::new();
    for (method, rest) in [
        ("GET", "objects/task"),
        ("GET", "objects/task.json/"),
        ("GET", "objects//task.json"),
        ("GET", "datamodel"),
        ("POST", "datamodel.json"),
        ("DELETE", "objects/task.json"),
        ("PATCH", "objects/task.json"),
        ("GET", "batch.json"),
        ("OPTIONS", "datamodel.json"),
        ("TRACE", "datamodel.json"),
        ("FOO", "datamodel.json"),
        ("GET", "nothing.json"),
        ("GET", "objects/nosuchtype.json"),
        ("GET", &format!("objects/nosuchtype/{ID}.json")),
    ] {
        api.call(method, rest, None).await.error(404, "ROUTE_ERROR");
    }
    for path in ["/", "/api/v3/acc1/datamodel.json", "/api/v4/acc1", "/api/v4//datamodel.json", "/favicon.ico"] {
        api.raw("GET", path, &[("authorization", &api.auth())], Body::empty()).await.error(404, "ROUTE_ERROR");
    }
    // The route is checked before credentials.
    api.raw("OPTIONS", "/api/v4/acc1/datamodel.json", &[], Body::empty()).await.error(404, "ROUTE_ERROR");
}

#[tokio::test]
async fn percent_encoded_segments_are_decoded_one_by_one() {
    let api = Api::new();
    let reply = api.call("GET", "objects/t%61sk.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    api.call("GET", "objects/task%2Fx.json", None).await.error(404, "ROUTE_ERROR");
    api.call("GET", "objects/task/a%2Fb.json", None).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", "objects/%ff.json", None).await.error(404, "ROUTE_ERROR");
    api.call("GET", &format!("objects/task/{}.json", ID.to_uppercase()), None).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", &format!("objects/task/{ID}/{ID}.json"), None).await.error(404, "ROUTE_ERROR");
}

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
    assert_eq!(api.raw("GET", path, &[("authorization", &api.auth())], Body::empty()).await.status, StatusCode::OK);
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
    let ops: Vec<&str> =
        log["operations"].as_array().unwrap().iter().map(|o| o["operation"].as_str().unwrap()).collect();
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
async fn list_parameters() {
    let api = Api::new();
    for i in 0..5 {
        api.create(json!({"name": format!("n{i}"), "count": i})).await;
    }
    let page = api.call("GET", "objects/task.json?limit=2&skip=1&sort[count]=desc", None).await.json();
    assert_eq!((page["count"].clone(), page["total"].clone(), page["more"].clone()), (json!(2), json!(5), json!(true)));
    let counts: Vec<i64> = page["objects"].as_array().unwrap().iter().map(|o| o["count"].as_i64().unwrap()).collect();
    assert_eq!(counts, [3, 2]);
    let q = api.call("GET", "objects/task.json?q[count.gte]=3&query[name.ne]=n4", None).await.json();
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
    assert_eq!(tail.json()["operations"][0]["sequence"], 1);
}

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

#[tokio::test]
async fn attachment_redirects_to_the_file() {
    let api = Api::new();
    let task = api.create(json!({"attachment": {"base64": "aGVsbG8=", "filename": "hello world.txt"}})).await;
    let url = task["attachment"]["urls"]["original"].as_str().unwrap();
    let path = url.split_once("/api/v4/").map(|(_, rest)| format!("/api/v4/{rest}")).unwrap();
    let redirect = api.raw("GET", &path, &[("authorization", &api.auth())], Body::empty()).await;
    assert_eq!(redirect.status, StatusCode::FOUND);
    let location = redirect.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_string();
    assert!(location.ends_with("/hello%20world.txt"), "{location}");
    let file_path = location.split_once("/api/v4/").map(|(_, rest)| format!("/api/v4/{rest}")).unwrap();
    let file = api.raw("GET", &file_path, &[("authorization", &api.auth())], Body::empty()).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, b"hello");
    api.call("GET", &format!("attachments/{ID}"), None).await.error(404, "OBJECT_NOT_FOUND");
    api.call("GET", "attachments/nope", None).await.error(404, "OBJECT_NOT_FOUND");
    api.raw("GET", &path, &[], Body::empty()).await.error(401, "AUTHENTICATION_FAILED");
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
        let reply = api.raw("GET", path, &[("authorization", &api.auth())], Body::empty()).await;
        assert!(matches!(reply.status.as_u16(), 401 | 404), "{path}: {}", reply.status);
    }
}

#[test]
fn base_url_shape() {
    let addr: std::net::SocketAddr = "127.0.0.1:4567".parse().unwrap();
    assert_eq!(base_url(addr, "abc"), "http://127.0.0.1:4567/api/v4/abc");
}

/// Send raw HTTP/1.1 over loopback and return the whole response text (connection closed by the server).
fn raw_http(addr: std::net::SocketAddr, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn over_loopback_head_options_and_unknown_methods() {
    let me = Account::generate("acc1");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server =
        tokio::spawn(serve(listener, Config { accounts: vec![me.clone()], max_body_bytes: 1024, rate_limit: None }));
    let auth = basic(&me.id, &me.password);
    let send = |method: &'static str, path: &'static str| {
        let request =
            format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nConnection: close\r\n\r\n");
        tokio::task::spawn_blocking(move || raw_http(addr, &request))
    };
    let head = send("HEAD", "/api/v4/acc1/datamodel.json").await.unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.ends_with("\r\n\r\n"), "HEAD has no body: {head}");
    let head_missing = send("HEAD", "/api/v4/acc1/nothing.json").await.unwrap();
    assert!(head_missing.starts_with("HTTP/1.1 404"), "{head_missing}");
    for method in ["OPTIONS", "FOO", "TRACE"] {
        let reply = send(method, "/api/v4/acc1/datamodel.json").await.unwrap();
        assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
        assert!(reply.contains("\"type\":\"ROUTE_ERROR\""), "{reply}");
        assert!(!reply.to_ascii_lowercase().contains("\nserver:"), "{reply}");
    }
    let created = {
        let body = r#"{"task":{"photo":{"base64":"aGk=","filename":"p.png"}}}"#;
        let request = format!(
            "POST /api/v4/acc1/objects/task.json HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {auth}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        tokio::task::spawn_blocking(move || raw_http(addr, &request)).await.unwrap()
    };
    assert!(created.starts_with("HTTP/1.1 201"), "{created}");
    assert!(created.contains(&format!("\"original\":\"http://{addr}/api/v4/acc1/attachments/")), "{created}");
    server.abort();
}

#[test]
fn binary_prints_connection_lines() {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_journey-reference"))
        .args(["--listen", "127.0.0.1:0", "--account", "abc:secret"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(std::time::Duration::from_secs(20));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("a line within 20 s");
    let parts: Vec<&str> = line.trim_end().split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    let url = parts[0].strip_prefix("JOURNEY_API_URL=http://127.0.0.1:").unwrap();
    let (port, rest) = url.split_once('/').unwrap();
    assert!(port.parse::<u16>().unwrap() > 0);
    assert_eq!(rest, "api/v4/abc");
    assert_eq!(parts[1], "JOURNEY_API_USER=abc");
    assert_eq!(parts[2], "JOURNEY_API_PASSWORD=secret");
}
