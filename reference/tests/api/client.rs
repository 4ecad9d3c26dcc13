//! The test client: one router with two accounts, called in-process, and the checks every error reply must pass.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use base64::Engine;
use journey_reference::{router, Account, Config, RateLimit};
use serde_json::{json, Value};
use tower::ServiceExt;

/// A fresh in-memory server with two accounts; requests go to `me` unless a test says otherwise.
pub struct Api {
    app: Router,
    pub me: Account,
    pub other: Account,
}

/// A whole response, read so tests can assert on any part of it.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON; panics with the text when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    /// Assert a contract error: status, type, four keys, `see`, Content-Type.
    pub fn error(&self, status: u16, ty: &str) -> Value {
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

/// An HTTP Basic `Authorization` value.
pub fn basic(user: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

/// A well-formed object ID no test creates unless it means to.
pub const ID: &str = "550e8400-e29b-41d4-a716-446655440000";

impl Api {
    /// A server with a 64 KiB body limit.
    pub fn new() -> Api {
        Api::with_limit(64 * 1024)
    }

    /// A server with the given body limit.
    pub fn with_limit(max_body_bytes: usize) -> Api {
        Api::with_config(max_body_bytes, None)
    }

    /// A server with a 64 KiB body limit and a per-account rate limit written as on the command line.
    pub fn rate_limited(limit: &str) -> Api {
        Api::with_config(64 * 1024, Some(limit.parse().expect("a valid RPS[:BURST]")))
    }

    fn with_config(max_body_bytes: usize, rate_limit: Option<RateLimit>) -> Api {
        let me = Account::generate("acc1");
        let other = Account::generate("acc2");
        let app = router(Config { accounts: vec![me.clone(), other.clone()], max_body_bytes, rate_limit });
        Api { app, me, other }
    }

    /// Basic credentials of `me`.
    pub fn auth(&self) -> String {
        basic(&self.me.id, &self.me.password)
    }

    /// Any request, exactly as given.
    pub async fn raw(&self, method: &str, path: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Reply {
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

    /// An authenticated GET of a whole path, for URLs the server handed out and paths outside the account.
    pub async fn get(&self, path: &str) -> Reply {
        self.raw("GET", path, &[("authorization", &self.auth())], Body::empty()).await
    }

    /// An authenticated request below `/api/v4/acc1/`, with a JSON body when given.
    pub async fn call(&self, method: &str, rest: &str, body: Option<&str>) -> Reply {
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

    /// Creates a task from `fields` and returns it; anything but 201 fails the test.
    pub async fn create(&self, fields: Value) -> Value {
        let reply = self.call("POST", "objects/task.json", Some(&json!({ "task": fields }).to_string())).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", String::from_utf8_lossy(&reply.body));
        reply.json()
    }

    /// How many objects of `ty` the account holds.
    pub async fn count(&self, ty: &str) -> u64 {
        self.call("GET", &format!("objects/{ty}.json?total=true"), None).await.json()["total"].as_u64().unwrap()
    }
}
