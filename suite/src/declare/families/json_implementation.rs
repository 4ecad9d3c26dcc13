//! `malformed-json/implementation-defined/*`: JSONTestSuite's `i_` files, which RFC 8259 leaves to the
//! parser (lone surrogates, invalid UTF-8, huge exponents and integers, UTF-16, deep nesting, a BOM), each
//! put into an otherwise valid create where its kind of value belongs: a string's bytes into the text field
//! (after the case's marker, so an accepted object is found and deleted), a number into a number field,
//! anything else into the field as its value. Refused (400), read (2xx) or, for a value its field cannot
//! hold, INVALID_VALUE: never a 5xx.

use super::{case, malformed_json::corpus_implementation_defined, Route};
use crate::declare::case::{Case, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::model::{DataModel, FieldKind};
use crate::declare::spec::depth::IMPLEMENTATION_DEFINED;
use crate::ErrorType::{InvalidApiRequest, InvalidValue};

/// Where a file's value goes in the create body.
#[derive(Debug, PartialEq)]
enum Value<'a> {
    /// The bytes inside a one-string array, `["…"]`.
    StringBytes(&'a [u8]),
    /// The text inside a one-number array, `[…]`.
    Number(&'a [u8]),
    /// The whole file.
    Whole(&'a [u8]),
}

fn value_of(file: &[u8]) -> Value<'_> {
    if let Some(inner) = file.strip_prefix(b"[\"").and_then(|f| f.strip_suffix(b"\"]")) {
        return Value::StringBytes(inner);
    }
    match file.strip_prefix(b"[").and_then(|f| f.strip_suffix(b"]")) {
        Some(inner) if !inner.is_empty() && inner.iter().all(|b| b"0123456789+-.eE".contains(b)) => {
            Value::Number(inner)
        }
        _ => Value::Whole(file),
    }
}

/// A JSON string literal's bytes (the marker is plain text, so this is its JSON form).
fn quoted(text: &str) -> Vec<u8> {
    serde_json::to_vec(text).unwrap_or_default()
}

/// The create body for one file: `{"<type>": {<text>: "<marker> …", <field>: …}}`.
fn body(ctx: &Ctx, text: &str, number: &str, marker: &str, file: &[u8]) -> Vec<u8> {
    let key = |k: &str| quoted(k);
    let head = [b"{".as_slice(), &key(&ctx.object_type), b":{", &key(text), b":"].concat();
    let pair = |field: &str, value: &[u8]| [b",".as_slice(), &key(field), b":", value].concat();
    let rest = match value_of(file) {
        Value::StringBytes(inner) => {
            let mut string = quoted(&format!("{marker} "));
            string.pop();
            [string.as_slice(), inner, b"\""].concat()
        }
        Value::Number(n) => [quoted(marker).as_slice(), &pair(number, n)].concat(),
        Value::Whole(w) => [quoted(marker).as_slice(), &pair(number, w)].concat(),
    };
    [head.as_slice(), &rest, b"}}"].concat()
}

/// Every case of the group: one create per `i_` file.
pub(super) fn cases(ctx: &Ctx) -> Vec<Case> {
    let model = DataModel::parse(&ctx.model);
    let object = model.types.get(&ctx.object_type);
    let text = ctx.marker_field().or_else(|| object.and_then(|o| o.text_field(""))).unwrap_or("name");
    let number = object
        .and_then(|o| o.fields.values().find(|f| matches!(f.kind, FieldKind::Number | FieldKind::Integer)))
        .map_or_else(|| object.and_then(|o| o.text_field(text)).unwrap_or(text), |f| f.name.as_str());
    let marker = ctx.marker("malformed-json/implementation-defined :");
    let expect = || {
        Expect::any_of(
            &[Outcome::Error(InvalidApiRequest), Outcome::Error(InvalidValue), Outcome::Success],
            IMPLEMENTATION_DEFINED,
        )
    };
    corpus_implementation_defined()
        .into_iter()
        .map(|(stem, file)| {
            let req = Route::Create.bare(ctx).json(body(ctx, text, number, &marker, file));
            case(
                Family::MalformedJson,
                format!("malformed-json/implementation-defined/{stem}"),
                format!("JSONTestSuite i_{stem}.json in a create: 400, 2xx or INVALID_VALUE, never a 5xx"),
                IMPLEMENTATION_DEFINED,
                req,
                expect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::families::tests::ctx;

    #[test]
    fn each_kind_of_file_lands_in_its_field() {
        let c = ctx();
        let lone = body(&c, "name", "score", "m", br#"["\uD800"]"#);
        assert_eq!(lone, br#"{"task":{"name":"m \uD800"}}"#.to_vec());
        let huge = body(&c, "name", "score", "m", b"[1.5e+9999]");
        assert_eq!(huge, br#"{"task":{"name":"m","score":1.5e+9999}}"#.to_vec());
        let utf16 = body(&c, "name", "score", "m", b"\xff\xfe[\x00");
        assert_eq!(utf16, b"{\"task\":{\"name\":\"m\",\"score\":\xff\xfe[\x00}}".to_vec());
        assert_eq!(cases(&c).len(), corpus_implementation_defined().len());
        assert!(corpus_implementation_defined().len() >= 30, "the i_ files are embedded");
    }
}
