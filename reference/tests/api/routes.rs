//! Paths and methods that name no route, and how path segments are decoded.

use crate::client::{Api, ID};
use axum::body::Body;
use axum::http::StatusCode;

#[tokio::test]
async fn non_routes_are_route_error() {
    let api = Api::new();
    for (method, rest) in [
        ("GET", "objects/task.json/"),
        ("GET", "objects/task.csv/x/y"),
        ("GET", "oplog.xml"),
        ("POST", "objects/task.xml"),
        ("GET", "objects//task.json"),
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
        api.get(path).await.error(404, "ROUTE_ERROR");
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
