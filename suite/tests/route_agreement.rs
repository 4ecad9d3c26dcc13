//! The three route descriptions agree: the suite's table (`declare/routes.rs`), the reference's
//! (`reference/src/routes.rs`) and the OpenAPI description (`openapi/journeyapps-v4.yaml`). Every method
//! and template the suite documents is an operation in the file and the route the reference matches; every
//! other method on those paths reads the same in the suite and the reference; every operation of the file
//! and every row of the reference is a route of the suite's table, except the reference's capability URLs
//! (an attachment's, read from answers, never built by a client), which the file lists without security.

#[path = "openapi/file.rs"]
mod openapi_file;

use journey_conformance::declare::families::methods::METHODS;
use journey_conformance::declare::routes::{RouteTarget, Shape};
use journey_reference::{matched_row, route_rows};
use serde_json::Value;
use std::collections::BTreeSet;

/// A method on a path template below the account, parameters written `{}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Op {
    method: String,
    template: String,
    /// The path itself is the credential (the file says `security: []`).
    capability: bool,
}

impl Op {
    fn new(method: &str, template: &str, capability: bool) -> Op {
        Op { method: method.to_ascii_uppercase(), template: unnamed(template), capability }
    }
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let capability = if self.capability { " (capability)" } else { "" };
        write!(f, "{} {}{capability}", self.method, self.template)
    }
}

/// How one side reads `method` on a concrete path below the account: the operation, or `None` (no route).
type Reads<'a> = &'a dyn Fn(&str, &str) -> Option<Op>;

/// The three descriptions, each as its rows and (for the suite and the reference) how it reads a path.
struct Sides<'a> {
    suite: Vec<Op>,
    suite_reads: Reads<'a>,
    openapi: Vec<Op>,
    reference: Vec<Op>,
    reference_reads: Reads<'a>,
}

const BASE: &str = "/api/v4/acc";
const TYPE: &str = "task";
const ID: &str = "550e8400-e29b-41d4-a716-446655440000";

/// `{type}`, `{id}` (any `{name}`) written as `{}`, so the three spellings compare.
fn unnamed(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        out.push_str("{}");
        rest = after.split_once('}').map_or("", |(_, tail)| tail);
    }
    out + rest
}

/// A concrete path of `template` (parameters `{}`), below [`BASE`]: the type first, then the ID.
fn concrete(template: &str) -> String {
    let mut values = [TYPE, ID].into_iter();
    let filled = template.split("{}").enumerate().map(|(i, part)| match i {
        0 => part.to_string(),
        _ => format!("{}{part}", values.next().unwrap_or(ID)),
    });
    format!("{BASE}{}", filled.collect::<String>())
}

/// Every disagreement among the three sides, one line each; empty when they agree.
fn disagreements(sides: &Sides) -> Vec<String> {
    let mut out = Vec::new();
    let in_file = |op: &Op| sides.openapi.contains(op);
    let show = |op: Option<Op>| op.map_or("no route".to_string(), |op| op.to_string());
    for op in &sides.suite {
        if !in_file(op) {
            out.push(format!("suite route {op} is no operation of the OpenAPI file"));
        }
        let reference = (sides.reference_reads)(&op.method, &concrete(&op.template));
        if reference.as_ref() != Some(op) {
            out.push(format!("suite route {op} is {} in the reference", show(reference)));
        }
    }
    for op in &sides.openapi {
        match op.capability {
            false if !sides.suite.contains(op) => out.push(format!("OpenAPI operation {op} is no suite route")),
            true if !sides.reference.contains(op) => out.push(format!("OpenAPI capability {op} is no reference row")),
            _ => {}
        }
    }
    for op in &sides.reference {
        match op.capability {
            false if !sides.suite.contains(op) => out.push(format!("reference route {op} is no suite route")),
            true if !in_file(op) => out.push(format!("reference capability {op} is no OpenAPI operation")),
            _ => {}
        }
    }
    // Every method on every documented path: the suite and the reference read it alike.
    let templates: BTreeSet<&str> = sides.suite.iter().map(|op| op.template.as_str()).collect();
    for template in templates {
        let path = concrete(template);
        for method in METHODS {
            let suite = (sides.suite_reads)(method, &path);
            let reference = (sides.reference_reads)(method, &path);
            let agree = match method {
                // Left open by the contract (spec::open::HEAD): the reference may answer it as GET or refuse it.
                "HEAD" => reference.is_none() || reference == (sides.suite_reads)("GET", &path),
                _ => suite == reference,
            };
            if !agree {
                out.push(format!("{method} {path}: suite reads {}, reference {}", show(suite), show(reference)));
            }
        }
    }
    out
}

/// The suite's table: every documented method of every shape.
fn suite_rows() -> Vec<Op> {
    let shapes = Shape::ALL.into_iter().chain(Shape::CLIENT);
    shapes.flat_map(|shape| shape.routes()).map(|r| Op::new(r.method(), r.shape().template(), false)).collect()
}

/// What the suite's table makes of `method` on `path`: the documented route it addresses, if any.
fn suite_reads(method: &str, path: &str) -> Option<Op> {
    match RouteTarget::of_path(method, path, BASE) {
        RouteTarget::Route(route) => Some(Op::new(route.method(), route.shape().template(), false)),
        RouteTarget::OtherMethod(_) | RouteTarget::NonRoute => None,
    }
}

fn reference_reads(method: &str, path: &str) -> Option<Op> {
    matched_row(method, path).map(|row| Op::new(row.method, &row.template, row.capability))
}

/// Every operation of the OpenAPI file; an operation with `security: []` is a capability.
fn openapi_rows() -> Vec<Op> {
    let root = openapi_file::load();
    let mut out = Vec::new();
    for (template, item) in root["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if matches!(method.as_str(), "parameters" | "summary" | "description") {
                continue;
            }
            let capability = operation.get("security").and_then(Value::as_array).is_some_and(Vec::is_empty);
            out.push(Op::new(method, template, capability));
        }
    }
    out
}

fn today() -> (Vec<Op>, Vec<Op>, Vec<Op>) {
    let reference = route_rows().into_iter().map(|row| Op::new(row.method, &row.template, row.capability)).collect();
    (suite_rows(), openapi_rows(), reference)
}

#[test]
fn the_suite_the_reference_and_the_openapi_file_agree_on_the_routes() {
    let (suite, openapi, reference) = today();
    assert!(suite.len() >= 14 && openapi.len() >= 14 && reference.len() >= 14, "too few routes read");
    let sides = Sides { suite, suite_reads: &suite_reads, openapi, reference, reference_reads: &reference_reads };
    let found = disagreements(&sides);
    assert!(found.is_empty(), "the route descriptions disagree:\n{}", found.join("\n"));
}

#[test]
fn a_disagreeing_table_is_reported() {
    let (suite, openapi, reference) = today();
    let agreeing = || Sides {
        suite: suite.clone(),
        suite_reads: &suite_reads,
        openapi: openapi.clone(),
        reference: reference.clone(),
        reference_reads: &reference_reads,
    };
    let search = Op::new("POST", "/objects/{type}/search.json", false);

    // The suite's table without a row the other two have.
    let mut fewer = agreeing();
    fewer.suite.retain(|op| *op != search);
    let found = disagreements(&fewer);
    assert!(found.contains(&"OpenAPI operation POST /objects/{}/search.json is no suite route".into()), "{found:?}");
    assert!(found.contains(&"reference route POST /objects/{}/search.json is no suite route".into()), "{found:?}");

    // A method the suite documents that the other two lack.
    let mut more = agreeing();
    more.suite.push(Op::new("DELETE", "/oplog.json", false));
    assert_eq!(
        disagreements(&more),
        [
            "suite route DELETE /oplog.json is no operation of the OpenAPI file",
            "suite route DELETE /oplog.json is no route in the reference"
        ]
    );

    // The OpenAPI file with an operation that is no route.
    let mut file = agreeing();
    file.openapi.push(Op::new("delete", "/objects/{type}.json", false));
    assert_eq!(disagreements(&file), ["OpenAPI operation DELETE /objects/{}.json is no suite route"]);

    // A reference that refuses a documented method, or matches one the suite does not document.
    let refuses_patch = |method: &str, path: &str| reference_reads(method, path).filter(|_| method != "PATCH");
    let refusing = Sides { reference_reads: &refuses_patch, ..agreeing() };
    let found = disagreements(&refusing);
    let patch =
        format!("PATCH {BASE}/objects/task/{ID}.json: suite reads PATCH /objects/{{}}/{{}}.json, reference no route");
    assert!(found.contains(&patch), "{found:?}");
    let put_as_post = |method: &str, path: &str| reference_reads(if method == "PUT" { "POST" } else { method }, path);
    let lenient = Sides { reference_reads: &put_as_post, ..agreeing() };
    let found = disagreements(&lenient);
    let batch = format!("PUT {BASE}/batch.json: suite reads no route, reference POST /batch.json");
    assert!(found.contains(&batch), "{found:?}");

    // A capability URL the file does not list.
    let mut hidden = agreeing();
    hidden.openapi.retain(|op| !op.capability || !op.template.starts_with("/files/"));
    assert_eq!(
        disagreements(&hidden),
        ["reference capability GET /files/{}/{}/{} (capability) is no OpenAPI operation"]
    );
}

#[test]
fn templates_are_compared_without_parameter_names_and_filled_in_order() {
    assert_eq!(unnamed("/objects/{type}/{id}.json"), "/objects/{}/{}.json");
    assert_eq!(unnamed("/oplog.json"), "/oplog.json");
    assert_eq!(concrete("/objects/{}/{}.json"), format!("{BASE}/objects/task/{ID}.json"));
    assert_eq!(concrete("/objects/{}/query.json"), format!("{BASE}/objects/task/query.json"));
}
