//! `openapi/journeyapps-v4.yaml` is a valid OpenAPI 3.1 description whose references resolve, covers
//! every route of the suite's route table, agrees with the §3 status ↔ type table, and describes what
//! the reference actually answers: every response a conformance run observes has a status the matched
//! operation documents, and its body matches that response's schema.

mod file;
mod schema;

use journey_conformance::config::Settings;
use journey_conformance::declare::families::Route;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use journey_conformance::ErrorType;
use schema::Doc;
use serde_json::{json, Value};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn doc() -> Doc {
    Doc { root: file::load() }
}

/// Every `$ref` string anywhere in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

/// An error body of type `t`, as §2 documents it.
fn error_body(t: ErrorType) -> Value {
    json!({"type": t.as_str(), "title": "t", "detail": "d", "see": format!("https://docs.journeyapps.com/api-errors#{t}")})
}

/// Whether a path template (`/objects/{type}/{id}.json`) matches a raw path below the account.
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| match (t.find('{'), t.find('}')) {
            (Some(open), Some(close)) if open < close => {
                let (prefix, suffix) = (&t[..open], &t[close + 1..]);
                p.len() > prefix.len() + suffix.len() && p.starts_with(prefix) && p.ends_with(suffix)
            }
            _ => t == p,
        })
}

/// The responses object that governs `method path`: the matched operation's, or `x-unmatched-requests`'.
/// HEAD is judged by the GET operation of its path (it answers with the GET status, without a body).
fn responses_for<'a>(doc: &'a Doc, method: &str, raw_path: &str) -> (String, &'a Value) {
    let unmatched = (format!("{method} (no route)"), &doc.root["x-unmatched-requests"]["responses"]);
    let path = raw_path.split('?').next().unwrap_or_default();
    let Some((_, rest)) = path.split_once("/api/v4/") else { return unmatched };
    let Some((_, below)) = rest.split_once('/') else { return unmatched };
    let below = format!("/{below}");
    let lookup = if method == "HEAD" { "get".to_string() } else { method.to_ascii_lowercase() };
    let paths = doc.root["paths"].as_object().expect("paths object");
    // OpenAPI cannot say "format optional": the file lists the `.json` form, and a path with the format
    // left out or as `.xml` (Retrieve a Single Object) is judged by that operation.
    let as_json = match below.strip_suffix(".xml") {
        Some(stem) => format!("{stem}.json"),
        None if !below.rsplit('/').next().unwrap_or_default().contains('.') => format!("{below}.json"),
        None => below.clone(),
    };
    for candidate in [&below, &as_json] {
        for (template, item) in paths {
            if template_matches(template, candidate) {
                if let Some(op) = item.get(&lookup) {
                    return (format!("{lookup} {template}"), &op["responses"]);
                }
            }
        }
    }
    unmatched
}

/// The response object for `status` in a responses object: exact code, then `4XX`-style range, then default.
fn response_for<'a>(doc: &'a Doc, responses: &'a Value, status: u16) -> Option<&'a Value> {
    let range = format!("{}XX", status / 100);
    [status.to_string(), range, "default".to_string()]
        .iter()
        .find_map(|k| responses.get(k))
        .map(|r| doc.resolve(r).expect("response $ref resolves"))
}

/// Problems of one exchange against the document; empty when it conforms.
fn conformance(doc: &Doc, method: &str, path: &str, status: u16, body: &[u8]) -> Vec<String> {
    let (operation, responses) = responses_for(doc, method, path);
    let Some(response) = response_for(doc, responses, status) else {
        return vec![format!("{operation}: status {status} is not documented")];
    };
    let xml_asked = path.split('?').next().unwrap_or_default().ends_with(".xml") && status < 300;
    // HEAD answers with GET's status and no body, whatever GET's body would be.
    if method == "HEAD" && body.is_empty() {
        return vec![];
    }
    if xml_asked || response.pointer("/content/application~1xml").is_some() {
        // An XML document (the data model for the vendor's db client): it must be one.
        let text = String::from_utf8_lossy(body);
        return match roxmltree::Document::parse(&text) {
            Ok(_) => vec![],
            Err(e) => vec![format!("{operation} {status}: body is not XML: {e}")],
        };
    }
    let schema = response.pointer("/content/application~1json/schema");
    match (schema, body.is_empty()) {
        (None, true) => vec![],
        (None, false) => vec![format!("{operation} {status}: documented without a body, got {} bytes", body.len())],
        (Some(_), true) => vec![format!("{operation} {status}: documented with a JSON body, got none")],
        (Some(schema), false) => match serde_json::from_slice::<Value>(body) {
            Err(e) => vec![format!("{operation} {status}: body is not JSON: {e}")],
            Ok(v) => doc.validate(schema, &v).into_iter().map(|e| format!("{operation} {status}: {e}")).collect(),
        },
    }
}

#[test]
fn the_file_is_openapi_3_1_and_every_reference_resolves() {
    let doc = doc();
    let root = &doc.root;
    assert!(root["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "openapi: {}", root["openapi"]);
    assert!(root["info"]["title"].is_string() && root["info"]["version"].is_string(), "info needs title and version");
    let paths = root["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    let mut ids = std::collections::HashSet::new();
    for (template, item) in paths {
        assert!(template.starts_with('/'), "{template}");
        for key in item.as_object().expect("path item").keys() {
            assert!(
                METHODS.contains(&key.as_str()) || key == "parameters" || key == "summary",
                "{template}: unexpected key {key}"
            );
        }
        for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            let op = &item[*method];
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {template} lacks operationId"));
            assert!(ids.insert(id.to_string()), "duplicate operationId {id}");
            let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{id} lacks responses"));
            assert!(!responses.is_empty(), "{id} documents no response");
            for code in responses.keys() {
                let ok = code == "default"
                    || (code.len() == 3
                        && code.chars().enumerate().all(|(i, c)| {
                            (i == 0 && ('1'..='5').contains(&c)) || (i > 0 && (c.is_ascii_digit() || c == 'X'))
                        }));
                assert!(ok, "{id}: bad response code {code}");
            }
        }
    }
    let mut all = Vec::new();
    refs(root, &mut all);
    assert!(all.len() > 20, "suspiciously few $refs");
    for r in &all {
        doc.pointer(r).unwrap_or_else(|e| panic!("{e}"));
    }
    // Every schema keyword is one the validator implements (it reports unknown ones).
    for (name, schema) in root["components"]["schemas"].as_object().expect("schemas") {
        let unsupported: Vec<String> =
            doc.validate(schema, &Value::Null).into_iter().filter(|e| e.contains("unsupported")).collect();
        assert!(unsupported.is_empty(), "{name}: {unsupported:?}");
    }
}

#[test]
fn error_responses_agree_with_the_status_type_table() {
    let doc = doc();
    let mut checked = 0;
    let mut response_sets: Vec<(String, &Value)> =
        vec![("unmatched".into(), &doc.root["x-unmatched-requests"]["responses"])];
    for (template, item) in doc.root["paths"].as_object().unwrap() {
        for m in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            response_sets.push((format!("{m} {template}"), &item[*m]["responses"]));
        }
    }
    for (operation, responses) in response_sets {
        for (code, response) in responses.as_object().expect("responses") {
            let Ok(status) = code.parse::<u16>() else { continue };
            if status < 400 {
                continue;
            }
            let schema = doc.resolve(response).unwrap().pointer("/content/application~1json/schema");
            let schema =
                schema.unwrap_or_else(|| panic!("{operation} {code}: an error response needs the JSON error body"));
            let mut accepted = 0;
            for t in ErrorType::ALL {
                let ok = doc.validate(schema, &error_body(t)).is_empty();
                if t.status() != status {
                    assert!(!ok, "{operation} {code} accepts {t}, which travels with {}", t.status());
                }
                accepted += usize::from(ok);
            }
            assert!(accepted > 0, "{operation} {code} accepts no documented error type");
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} error responses checked");
}

#[test]
fn the_validator_rejects_what_the_contract_forbids() {
    let doc = doc();
    let error = doc.pointer("#/components/schemas/Error").unwrap();
    assert!(doc.validate(error, &error_body(ErrorType::RouteError)).is_empty());
    let mut no_see = error_body(ErrorType::RouteError);
    no_see.as_object_mut().unwrap().remove("see");
    for bad in [
        no_see,
        json!({"type": "NOPE", "title": "t", "detail": "d", "see": "https://x"}),
        json!({"type": "ROUTE_ERROR", "title": "", "detail": "d", "see": "https://x"}),
        json!({"type": "ROUTE_ERROR", "title": "t", "detail": 1, "see": "http://x"}),
        json!("HTTP Basic: Access denied."),
    ] {
        assert!(!doc.validate(error, &bad).is_empty(), "accepted {bad}");
    }
    let list = doc.pointer("#/components/schemas/ObjectList").unwrap();
    assert!(!doc.validate(list, &json!({"objects": [], "count": -1, "total": 0, "more": false})).is_empty());
    assert!(!doc.validate(list, &json!({"objects": [{"id": "X"}], "count": 1, "total": 1, "more": false})).is_empty());
    let batch = doc.pointer("#/components/schemas/BatchRequest").unwrap();
    assert!(doc.validate(batch, &json!({"operations": [{"method": "post", "object": {"type": "task"}}]})).is_empty());
    assert!(
        !doc.validate(batch, &json!({"operations": [{"method": "put", "object": {"type": "task"}}]})).is_empty(),
        "put needs an id"
    );
    assert!(!doc
        .validate(batch, &json!({"operations": [{"method": "get", "object": {"type": "task", "id": "x"}}]}))
        .is_empty());
    let route_error = serde_json::to_vec(&error_body(ErrorType::RouteError)).unwrap();
    assert!(conformance(&doc, "DELETE", "/api/v4/a/datamodel.json", 404, &route_error).is_empty());
    assert!(
        !conformance(&doc, "DELETE", "/api/v4/a/datamodel.json", 405, &route_error).is_empty(),
        "a 405 must not conform"
    );
    assert!(
        !conformance(&doc, "GET", "/api/v4/a/objects/task/x.json", 400, &route_error).is_empty(),
        "type/status mismatch"
    );
    assert!(!conformance(&doc, "GET", "/api/v4/a/datamodel.json", 200, b"<html>").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_conforms_to_the_description() {
    let doc = doc();
    let settings = Settings::from_lookup(|_| None).expect("embedded settings");
    let session = Session::start(settings).await.expect("start the embedded reference");
    for route in Route::ALL {
        let (operation, _) = responses_for(&doc, route.method(), &route.path(&session.ctx));
        assert!(
            !operation.contains("no route"),
            "route {} ({} {}) is not in the file",
            route.name(),
            route.method(),
            route.path(&session.ctx)
        );
    }
    let run = Run::new(session);
    let results = run.all().await;
    let (mut problems, mut errors_checked, mut successes_checked) = (Vec::new(), 0, 0);
    for case in &run.cases {
        let Some(resp) = results.get(&case.id).and_then(|r| r.response.as_ref()) else { continue };
        // A finished case keeps only the start of a long body: what it kept whole is checked.
        let Some(body) = resp.whole_body() else { continue };
        let found = conformance(&doc, &case.request.method, &case.request.path, resp.status, body);
        if resp.status >= 400 {
            errors_checked += 1;
        } else if case.id.contains("/control/") && !body.is_empty() {
            successes_checked += 1;
        }
        problems.extend(found.into_iter().map(|p| format!("{}: {p}", case.id)));
    }
    let _ = run.session.teardown().await;
    eprintln!("checked {errors_checked} error responses and {successes_checked} control success bodies against the description");
    assert!(
        errors_checked > 1000 && successes_checked > 5,
        "too little checked: {errors_checked} errors, {successes_checked} successes"
    );
    assert!(
        problems.is_empty(),
        "{} responses do not match the description:\n{}",
        problems.len(),
        problems.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}
