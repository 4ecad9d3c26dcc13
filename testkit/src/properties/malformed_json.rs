//! Malformed JSON: valid bodies broken at byte level (truncate, insert, flip, duplicate) and at
//! structure level (wrong types, deep nesting, huge numbers, lone surrogates, bad escapes).
//! Each body is classified by parsing it ([`super::json`]), so a mutation that happens to stay
//! valid JSON is judged as valid.

use super::json::{expect_batch_body, expect_object_body, BodyRoute};
use super::PropCase;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::spec;
use proptest::prelude::*;

/// One byte-level edit; positions are taken modulo the body length.
#[derive(Debug, Clone)]
pub enum Mutation {
    Truncate(usize),
    Insert(usize, u8),
    Flip(usize, u8),
    Duplicate(usize, usize),
    Remove(usize),
}

/// A structural fragment put somewhere in an otherwise valid body.
#[derive(Debug, Clone)]
pub enum Where {
    /// `{"<type>": {"<field>": FRAGMENT}}`
    Field(&'static str),
    /// `{"<type>": FRAGMENT}`
    Wrapper,
    /// `FRAGMENT`
    TopLevel,
}

/// The generated input of the malformed-JSON property.
#[derive(Debug, Clone)]
pub enum JsonInput {
    Bytes { route: BodyRoute, base: usize, edits: Vec<Mutation> },
    Structure { route: BodyRoute, at: Where, fragment: String },
}

/// Valid bodies to break: index into this list (the type name is filled in).
pub fn base_bodies(ctx: &Ctx, route: BodyRoute) -> Vec<Vec<u8>> {
    if route == BodyRoute::Batch {
        let t = &ctx.object_type;
        return vec![
            ctx.batch_body(),
            format!(r#"{{"operations":[{{"method":"post","object":{{"type":"{t}"}}}}],"stop_on_error":true}}"#)
                .into_bytes(),
            format!(r#"{{"operations":[{{"method":"delete","object":{{"type":"{t}","id":"{}"}}}}]}}"#, ctx.unknown_id)
                .into_bytes(),
        ];
    }
    let t = &ctx.object_type;
    vec![
        ctx.wrapped_body(),
        format!(r#"{{"{t}":{{}}}}"#).into_bytes(),
        format!(r#"{{"{t}":{{"name":"a b","count":12,"score":1.5,"done":true,"tags":["red"]}}}}"#).into_bytes(),
    ]
}

const FIELDS: [&str; 5] = ["name", "count", "score", "done", "jc_unknown_field"];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        // wrong types
        Just("1".to_string()),
        Just("\"text\"".to_string()),
        Just("[]".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("{}".to_string()),
        // deep nesting
        (1usize..300).prop_map(|n| format!("{}{}", "[".repeat(n), "]".repeat(n))),
        (1usize..200).prop_map(|n| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n))),
        // huge and odd numbers
        prop::sample::select(vec![
            "1e400",
            "-1e400",
            "1E+9999",
            "1e-400",
            "123456789012345678901234567890",
            "-0",
            "0.0000001",
            "1.",
            ".5",
            "01",
            "+1",
            "0x10",
            "1e",
            "NaN",
            "Infinity"
        ])
        .prop_map(str::to_string),
        // lone surrogates and bad escapes
        prop::sample::select(vec![
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\ud83d\ude00""#,
            r#""\x41""#,
            r#""\u12""#,
            r#""\U0041""#,
            r#""\'""#,
            r#""a\"#,
            "\"a\tb\"",
            "\"\u{0}\""
        ])
        .prop_map(str::to_string),
        // arbitrary short JSON-ish text
        "[\\[\\]{}\",:0-9a-z\\\\ -]{0,12}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Insert(p, b)),
        (any::<usize>(), 0u8..8).prop_map(|(p, bit)| Mutation::Flip(p, bit)),
        (any::<usize>(), 1usize..16).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        any::<usize>().prop_map(Mutation::Remove),
    ]
}

fn route() -> impl Strategy<Value = BodyRoute> {
    prop::sample::select(BodyRoute::ALL.to_vec())
}

/// The property's strategy.
pub fn strategy() -> impl Strategy<Value = JsonInput> {
    prop_oneof![
        (route(), 0usize..3, prop::collection::vec(mutation(), 1..4))
            .prop_map(|(route, base, edits)| JsonInput::Bytes { route, base, edits }),
        (
            route(),
            prop_oneof![
                prop::sample::select(FIELDS.to_vec()).prop_map(Where::Field),
                Just(Where::Wrapper),
                Just(Where::TopLevel)
            ],
            fragment()
        )
            .prop_map(|(route, at, fragment)| JsonInput::Structure { route, at, fragment }),
    ]
}

/// Applies byte-level edits in order.
pub fn apply(mut body: Vec<u8>, edits: &[Mutation]) -> Vec<u8> {
    for edit in edits {
        let len = body.len().max(1);
        match *edit {
            Mutation::Truncate(p) => body.truncate(p % len),
            Mutation::Insert(p, b) => body.insert(p % (body.len() + 1), b),
            Mutation::Flip(p, bit) => {
                if !body.is_empty() {
                    body[p % len] ^= 1 << (bit % 8);
                }
            }
            Mutation::Duplicate(p, n) => {
                if !body.is_empty() {
                    let start = p % len;
                    let end = (start + n).min(body.len());
                    let chunk = body[start..end].to_vec();
                    body.splice(end..end, chunk);
                }
            }
            Mutation::Remove(p) => {
                if !body.is_empty() {
                    body.remove(p % len);
                }
            }
        }
    }
    body
}

/// The body an input describes.
pub fn body(ctx: &Ctx, input: &JsonInput) -> (BodyRoute, Vec<u8>) {
    match input {
        JsonInput::Bytes { route, base, edits } => {
            let bases = base_bodies(ctx, *route);
            (*route, apply(bases[*base % bases.len()].clone(), edits))
        }
        JsonInput::Structure { route, at, fragment } => {
            let t = &ctx.object_type;
            let text = match (route, at) {
                (BodyRoute::Batch, Where::Field(f)) => {
                    format!(r#"{{"operations":[{{"method":"post","object":{{"type":"{t}","{f}":{fragment}}}}}]}}"#)
                }
                (BodyRoute::Batch, Where::Wrapper) => format!(r#"{{"operations":{fragment}}}"#),
                (_, Where::Field(f)) => format!(r#"{{"{t}":{{"{f}":{fragment}}}}}"#),
                (_, Where::Wrapper) => format!(r#"{{"{t}":{fragment}}}"#),
                (_, Where::TopLevel) => fragment.clone(),
            };
            (*route, text.into_bytes())
        }
    }
}

/// The request for a body on its route (the fixture object for PATCH/PUT) and its expectation.
pub fn case_for_body(ctx: &Ctx, known: &[String], route: BodyRoute, body: Vec<u8>) -> PropCase {
    let path = match route {
        BodyRoute::Create => ctx.collection(),
        BodyRoute::Patch | BodyRoute::Put => ctx.object(&ctx.existing_id),
        BodyRoute::Batch => format!("{}/batch.json", ctx.base()),
    };
    let (expect, spec) = match route {
        BodyRoute::Batch => (expect_batch_body(&body), spec::BATCH_ILL_FORMED),
        _ => (expect_object_body(&body, &ctx.object_type, known), spec::WRAPPED_BODY),
    };
    let what = format!("{} {:?} body {}", route.method(), route, journey_conformance::send::excerpt::excerpt(&body));
    PropCase { what, spec, request: CaseRequest::new(route.method(), path).json(body), expect }
}

/// The case of one generated input.
pub fn case(ctx: &Ctx, known: &[String], input: &JsonInput) -> PropCase {
    let (route, body) = body(ctx, input);
    case_for_body(ctx, known, route, body)
}
