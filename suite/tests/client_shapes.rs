//! No case calls a vendor client's request wrong: a case that expects an error (or a batch operation
//! that expects one) may not send the same request shape as a `clients/*` control, which the vendor's
//! clients send and a conforming target answers 2xx. A shape is the method, the route, the credentials
//! and headers, the query parameters (names, and values by kind: empty, a number, a word), the path
//! with its object IDs by kind (one the case made or found, another account's, any other) and the
//! body's structure (keys, value kinds, an expression's operators and parentheses; `method` and `type`
//! verbatim), so a request that differs only in a value such as a marker is the same shape.

use journey_conformance::declare::case::{Auth, Case, CaseRequest};
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::families;
use journey_conformance::declare::request_body::Body;
use journey_conformance::declare::scenario::{fresh_placeholder, OpExpect};
use journey_conformance::run::session::Session;
use journey_conformance::ErrorType;
use journey_testkit::faults::target::FaultyTarget;
use serde_json::Value;
use std::collections::BTreeMap;

/// How a case names objects: the IDs of its fresh objects (foreign ones apart) and the fixture.
struct Ids {
    own: Vec<String>,
    foreign: Vec<String>,
}

impl Ids {
    fn of(case: &Case, ctx: &Ctx) -> Ids {
        let (mut own, mut foreign) = (vec![ctx.existing_id.clone()], Vec::new());
        for (i, f) in case.scenario.fresh.iter().enumerate() {
            if f.foreign { &mut foreign } else { &mut own }.push(fresh_placeholder(i));
        }
        Ids { own, foreign }
    }

    /// The kind of an ID-like text: the case's own object, another account's, or just text.
    fn kind(&self, text: &str) -> Option<&'static str> {
        if self.own.iter().any(|id| text == id) {
            Some("<own-id>")
        } else if self.foreign.iter().any(|id| text == id) {
            Some("<foreign-id>")
        } else {
            None
        }
    }
}

/// The shape of an expression: identifiers become `f`, operators and parentheses stay.
fn expression_shape(text: &str) -> String {
    const WORDS: &[&str] = &["and", "or", "not", "in", "contains", "starts", "with"];
    let spaced = text.replace('(', " ( ").replace(')', " ) ");
    let words = spaced.split_whitespace().map(|w| {
        let lower = w.to_ascii_lowercase();
        if WORDS.contains(&lower.as_str()) || !w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            lower
        } else {
            "f".to_string()
        }
    });
    words.collect::<Vec<_>>().join(" ")
}

fn skeleton(value: &Value, key: &str, ids: &Ids) -> String {
    match value {
        Value::Object(map) => {
            let inner: Vec<String> = map.iter().map(|(k, v)| format!("{k}:{}", skeleton(v, k, ids))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(|v| skeleton(v, key, ids)).collect::<Vec<_>>().join(","))
        }
        Value::String(s) if key == "expression" => format!("expr({})", expression_shape(s)),
        Value::String(s) if matches!(key, "method" | "type") => format!("{s:?}"),
        Value::String(s) => {
            ids.kind(s).unwrap_or(if uuid::Uuid::parse_str(s).is_ok() { "<other-id>" } else { "s" }).into()
        }
        Value::Number(n) if n.as_f64().is_some_and(|f| f < 0.0) => "-n".into(),
        Value::Number(_) => "n".into(),
        Value::Bool(_) => "b".into(),
        Value::Null => "null".into(),
    }
}

/// A query parameter's value by kind.
fn value_kind(value: &str) -> String {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match value {
        "" => "<empty>".into(),
        v if digits(v) => "<n>".into(),
        v if v.strip_prefix('-').is_some_and(digits) => "<-n>".into(),
        v if v.len() <= 10 && v.bytes().all(|b| b.is_ascii_alphabetic()) => v.into(),
        _ => "<text>".into(),
    }
}

/// Everything about a request but its values.
fn shape(req: &CaseRequest, body: Option<&[u8]>, ids: &Ids) -> String {
    let (path, query) = req.path.split_once('?').unwrap_or((&req.path, ""));
    let path: Vec<String> = path
        .split('/')
        .map(|seg| {
            let (stem, suffix) = seg.rsplit_once('.').map_or((seg, String::new()), |(s, x)| (s, format!(".{x}")));
            ids.kind(stem).map_or_else(|| seg.to_string(), |k| format!("{k}{suffix}"))
        })
        .collect();
    let mut params: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode =
                |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
            format!("{}={}", decode(k), value_kind(&decode(v)))
        })
        .collect();
    params.sort();
    let mut headers: Vec<String> = req
        .headers
        .iter()
        .map(|(n, v)| format!("{}: {}", n.to_ascii_lowercase(), String::from_utf8_lossy(v)))
        .collect();
    headers.sort();
    let auth = match &req.auth {
        Auth::Primary => "primary".to_string(),
        other => format!("{other:?}"),
    };
    let body = match body {
        None => "-".to_string(),
        Some(bytes) => match serde_json::from_slice::<Value>(bytes) {
            Ok(doc) => skeleton(&doc, "", ids),
            Err(_) => format!("raw:{}", String::from_utf8_lossy(bytes)),
        },
    };
    format!("{} {} ?{} [{}] {} {}", req.method, path.join("/"), params.join("&"), headers.join("; "), auth, body)
}

fn body_of(req: &CaseRequest) -> Option<&[u8]> {
    req.body.as_ref().and_then(Body::as_bytes)
}

/// The shapes of the batch operations in `req`'s body, in order.
fn operations(req: &CaseRequest, ids: &Ids) -> Vec<String> {
    let doc: Value = body_of(req).and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
    let ops = doc.get("operations").and_then(Value::as_array).cloned().unwrap_or_default();
    ops.iter().map(|op| format!("{:?} op {}", req.auth, skeleton(op, "", ids))).collect()
}

/// Every request shape the controls send (main requests and batch operations that must succeed), and
/// every shape a case sends while expecting an error, each with the case that sends it.
fn shapes(cases: &[Case], ctx: &Ctx) -> (BTreeMap<String, String>, Vec<(String, String)>) {
    let mut controls = BTreeMap::new();
    let mut errors = Vec::new();
    for case in cases {
        let ids = Ids::of(case, ctx);
        let main = shape(&case.request, body_of(&case.request), &ids);
        let ops = operations(&case.request, &ids);
        let op_expects = case.scenario.batch.clone().unwrap_or_default();
        if case.id.starts_with("clients/") && case.expect.allows_success() {
            controls.insert(main, case.id.clone());
            for (op, expect) in ops.iter().zip(&op_expects) {
                if *expect == OpExpect::Success {
                    controls.insert(op.clone(), format!("{} (operation)", case.id));
                }
            }
        } else {
            if !case.expect.allows_success() {
                errors.push((main, case.id.clone()));
            }
            // An operation refused for its own sake: in a batch that is answered (not ill-formed as a whole),
            // and not aborted by an earlier failure.
            let answered = case.expect.allows_success();
            for (op, expect) in ops.iter().zip(&op_expects) {
                if let OpExpect::Error(e) = expect {
                    let aborted = e.error_types().all(|t| t == ErrorType::BatchAborted);
                    if answered && !aborted && !e.allows_success() {
                        errors.push((op.clone(), format!("{} (operation)", case.id)));
                    }
                }
            }
        }
    }
    (controls, errors)
}

fn collisions(cases: &[Case], ctx: &Ctx) -> Vec<String> {
    let (controls, errors) = shapes(cases, ctx);
    errors
        .iter()
        .filter_map(|(shape, id)| {
            controls.get(shape).map(|control| format!("{id} expects an error for the shape of {control}: {shape}"))
        })
        .collect()
}

async fn cases() -> (Vec<Case>, Ctx, FaultyTarget) {
    let target = FaultyTarget::start(None, journey_reference::Config::demo()).await.expect("bind loopback");
    let session = Session::start(target.settings(&[]).expect("settings")).await.expect("setup against the reference");
    let ctx = session.ctx.clone();
    let _ = session.teardown().await;
    (families::all(&ctx), ctx, target)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_case_expects_an_error_for_a_request_shape_a_client_sends() {
    let (cases, ctx, _target) = cases().await;
    let found = collisions(&cases, &ctx);
    assert!(found.is_empty(), "cases call a client's request wrong:\n{}", found.join("\n"));
    let (controls, _) = shapes(&cases, &ctx);
    assert!(controls.len() >= 20, "only {} control shapes", controls.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_case_with_a_controls_shape_is_caught_and_one_that_differs_is_not() {
    let (cases, ctx, _target) = cases().await;
    let control =
        cases.iter().find(|c| c.id == "clients/query/nested-and-or").expect("the nested query control").clone();
    // The same request with other values (another marker, another field), expecting an error: caught.
    let mut wrong = control.clone();
    wrong.id = "query/invented/or-refused".into();
    wrong.expect = journey_conformance::declare::expect::Expect::error(ErrorType::InvalidApiRequest);
    let body = String::from_utf8_lossy(body_of(&control.request).unwrap_or_default()).replace("description", "name");
    wrong.request.body = Some(Body::Bytes(body.replace("clients/query/nested-and-or", "other").into_bytes().into()));
    let found = collisions(&[control.clone(), wrong.clone()], &ctx);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("query/invented/or-refused expects an error for the shape of clients/query/nested-and-or")
    );
    // An operator the clients never send is another shape: not caught.
    let other = String::from_utf8_lossy(body_of(&control.request).unwrap_or_default()).replace(" or ", " xor ");
    wrong.request.body = Some(Body::Bytes(other.into_bytes().into()));
    assert!(collisions(&[control.clone(), wrong.clone()], &ctx).is_empty());
    // A batch operation that expects an error for the location array the db client puts: caught.
    let put =
        cases.iter().find(|c| c.id == "clients/values/location-array-batch").expect("the location control").clone();
    let mut refused = put.clone();
    refused.id = "values/location/array-refused".into();
    refused.scenario.batch =
        Some(vec![OpExpect::Error(journey_conformance::declare::expect::Expect::error(ErrorType::InvalidValue))]);
    assert_eq!(collisions(&[put, refused], &ctx).len(), 1);
}
