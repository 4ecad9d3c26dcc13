//! Filenames: arbitrary Unicode and ASCII names in a file field (attachment/photo/signature, found
//! in the target's data model). Spec §4: only `a-z`, digits, `_`, `-`, `.` and space are allowed;
//! anything else, `..` path tricks and the empty name are INVALID_VALUE 422.

use super::PropCase;
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::ctx::Ctx;
use journey_conformance::declare::expect::{Expect, Outcome};
use journey_conformance::ErrorType::InvalidValue;
use proptest::prelude::*;
use serde_json::json;

use journey_conformance::declare::spec::generated::FILENAME_EDGE as OPEN;
use journey_conformance::declare::spec::generated::FILENAME_RULE as SPEC;

/// The longest name the spec's silence is not stretched for: longer allowed names are an outcome set.
const PLAIN_MAX: usize = 255;

/// Content of the uploaded file (valid standard base64 of "hello").
pub const CONTENT_BASE64: &str = "aGVsbG8=";

pub fn strategy() -> impl Strategy<Value = (String, usize)> {
    let name = prop_oneof![
        3 => "[a-z0-9_. -]{1,24}",
        2 => "[ -~]{0,24}",
        2 => any::<String>(),
        1 => "[a-z0-9_ -]{0,8}[A-Z/\\\\:*?\"<>|\u{0}\t\n\u{e9}\u{3000}][a-z0-9_. -]{0,8}",
        1 => prop::sample::select(vec!["..", ".", "../x", "a/../b", "x..y", "...", ". .", "a.", ".hidden", " ", "con", "nul.txt"]).prop_map(str::to_string),
        1 => (250usize..262).prop_map(|n| "a".repeat(n)),
    ];
    (name, any::<usize>())
}

/// The spec's verdict on a name.
pub fn expect(name: &str) -> Expect {
    let alphabet = name.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.' | b' '));
    if name.is_empty() || !alphabet || name == ".." {
        return Expect::error(InvalidValue);
    }
    if name == "." || name.contains("..") || name.len() > PLAIN_MAX {
        return Expect::any_of(&[Outcome::Success, Outcome::Error(InvalidValue)], OPEN);
    }
    Expect::success()
}

/// The create request that uploads a file with this name into `field`.
pub fn request(ctx: &Ctx, field: &str, name: &str) -> CaseRequest {
    let body = json!({ ctx.object_type.clone(): { field: { "base64": CONTENT_BASE64, "filename": name } } });
    CaseRequest::new("POST", ctx.collection()).json(body.to_string())
}

/// The case of one generated input; `fields` are the type's file fields (never empty).
pub fn case(ctx: &Ctx, fields: &[String], input: &(String, usize)) -> PropCase {
    let (name, pick) = input;
    let field = &fields[*pick % fields.len()];
    PropCase {
        what: format!("filename {} in {field}", journey_conformance::send::excerpt::excerpt(name.as_bytes())),
        spec: SPEC,
        request: request(ctx, field, name),
        expect: expect(name),
    }
}
