//! Each field type written and read back: what it accepts, what it refuses, and the form it returns.

use super::*;
use crate::error::ErrorType;
use crate::json::parse;
use crate::model::{self, FieldType};
use serde_json::{json, Value};
use uuid::Uuid;

fn ty(name: &str) -> FieldType {
    model::find("task").unwrap().field(name).unwrap().ty
}

/// Write `input` to the task field `field`; Ok(read-back) or Err(error type).
fn write(field: &str, input: &str) -> Result<Value, ErrorType> {
    let v = parse(input.as_bytes()).unwrap();
    match validate(field, ty(field), &v) {
        Ok(Some(stored)) => Ok(read_back(Some(ty(field)), &stored, "http://h/api/v4/a")),
        Ok(None) => Ok(Value::Null),
        Err(e) => Err(e.kind),
    }
}

fn accepts(field: &str, cases: &[(&str, Value)]) {
    for (input, want) in cases {
        assert_eq!(write(field, input).as_ref(), Ok(want), "{field} <- {input}");
    }
}

fn rejects(field: &str, inputs: &[&str]) {
    for input in inputs {
        assert_eq!(write(field, input), Err(ErrorType::InvalidValue), "{field} <- {input}");
    }
}

#[test]
fn null_clears_every_type() {
    for field in
        ["name", "count", "score", "done", "due_on", "due_at", "status", "priority", "tags", "levels", "place", "photo"]
    {
        assert_eq!(write(field, "null"), Ok(Value::Null), "{field}");
    }
}

#[test]
fn text() {
    accepts("name", &[(r#""x""#, json!("x")), (r#""""#, json!("")), (r#""\u00e9""#, json!("é"))]);
    rejects("name", &["1", "true", "[]", "{}", r#"["x"]"#]);
}

#[test]
fn integer() {
    accepts(
        "count",
        &[("1", json!(1)), ("-0", json!(0)), ("-42", json!(-42)), ("9223372036854775807", json!(i64::MAX))],
    );
    rejects("count", &["1.0", "1e2", "1.5", r#""1""#, "1e400", "9223372036854775808", "true", "[1]"]);
}

#[test]
fn number() {
    accepts("score", &[("1", json!(1.0)), ("1.5", json!(1.5)), ("-2e3", json!(-2000.0)), ("1e-400", json!(0.0))]);
    rejects("score", &[r#""1.0""#, "true", "1e400", "-1e400", "{}", "[1]"]);
}

#[test]
fn boolean() {
    accepts(
        "done",
        &[("true", json!({"key": true, "display": "Yes"})), ("false", json!({"key": false, "display": "No"}))],
    );
    rejects("done", &[r#""yes""#, "1", "0", r#""true""#]);
}

#[test]
fn date() {
    accepts(
        "due_on",
        &[
            (r#""2024-02-29""#, json!("2024-02-29")),
            (r#""2024-01-01T23:30:00Z""#, json!("2024-01-01")),
            (r#""2024-01-01T23:30:00-05:00""#, json!("2024-01-01")),
            (r#""2024-01-01T10:00""#, json!("2024-01-01")),
        ],
    );
    rejects(
        "due_on",
        &[
            r#""2024-02-30""#,
            r#""2023-02-29""#,
            r#""tomorrow""#,
            r#""20240101T""#,
            r#""20240101""#,
            r#""2024-1-01""#,
            r#""2024-01-01T""#,
            r#""2024-01-01T25:00""#,
            r#""2024-01-01 ""#,
            r#""""#,
            "20240101",
            r#""2024-01-01T10:00:00Zjunk""#,
        ],
    );
}

#[test]
fn datetime() {
    accepts(
        "due_at",
        &[
            (r#""2024-01-01T10:20:30Z""#, json!("2024-01-01T10:20:30Z")),
            (r#""2024-01-01T10:20""#, json!("2024-01-01T10:20:00Z")),
            (r#""2024-01-01T10:20:30.999999999999Z""#, json!("2024-01-01T10:20:30Z")),
            (r#""2024-01-01T01:00:00+02:00""#, json!("2023-12-31T23:00:00Z")),
            (r#""2024-12-31T23:30:00-01:00""#, json!("2025-01-01T00:30:00Z")),
        ],
    );
    rejects(
        "due_at",
        &[
            r#""2024-13-01T00:00:00Z""#,
            r#""now""#,
            r#""25:00""#,
            r#""2024-01-01T25:00:00Z""#,
            r#""2024-01-01T10:60""#,
            r#""2024-01-01T10:20:61Z""#,
            r#""2024-01-01""#,
            r#""2024-01-01T10:20:30.Z""#,
            r#""2024-01-01T10:20+2""#,
            r#""2024-01-01T10:20+24:00""#,
            r#""2024-01-01t10:20Z""#,
            r#""0000-01-01T00:00:00+01:00""#,
            "1",
        ],
    );
}

#[test]
fn single_choice() {
    accepts("status", &[(r#""open""#, json!({"key": "open", "display": "Open"}))]);
    rejects("status", &[r#""test""#, r#""OPEN""#, "1", "[]", r#"["open"]"#]);
    let v = parse(br#""test""#).unwrap();
    let err = validate("status", ty("status"), &v).unwrap_err();
    assert_eq!(err.detail, "Invalid option \"test\" for field 'status'.");
}

#[test]
fn single_choice_integer() {
    accepts("priority", &[("3", json!({"key": 3, "display": "High"}))]);
    rejects("priority", &["4", "0", r#""1""#, "1.0", "true"]);
}

#[test]
fn multiple_choice() {
    accepts(
        "tags",
        &[
            ("[]", json!([])),
            (r#"["red","blue","red"]"#, json!([{"key": "red", "display": "Red"}, {"key": "blue", "display": "Blue"}])),
        ],
    );
    rejects("tags", &[r#""red""#, r#"["red","pink"]"#, "[1]", "[null]", "{}"]);
    accepts("levels", &[("[1,3]", json!([{"key": 1, "display": "One"}, {"key": 3, "display": "Three"}]))]);
    rejects("levels", &["1", "[4]", r#"["1"]"#, "[1.0]"]);
}

#[test]
fn location() {
    accepts(
        "place",
        &[
            (r#"{"latitude":-90,"longitude":180}"#, json!({"latitude": -90.0, "longitude": 180.0})),
            (
                r#"{"latitude":1.5,"longitude":2,"altitude":3,"horizontal_accuracy":4,"vertical_accuracy":null}"#,
                json!({"latitude": 1.5, "longitude": 2.0, "altitude": 3.0, "horizontal_accuracy": 4.0}),
            ),
            (
                r#"{"latitude":1,"longitude":2,"timestamp":"2024-01-01T12:00:00+02:00"}"#,
                json!({"latitude": 1.0, "longitude": 2.0, "timestamp": "2024-01-01T10:00:00Z"}),
            ),
            (r#"{"latitude":1,"longitude":2,"timestamp":null}"#, json!({"latitude": 1.0, "longitude": 2.0})),
            // The vendor's db client writes the six-part array; it reads back in the documented form.
            (
                r#"[-33.9,18.4,12.5,5,null,"2024-05-01T10:20:30.000Z"]"#,
                json!({"latitude": -33.9, "longitude": 18.4, "altitude": 12.5, "horizontal_accuracy": 5.0,
                       "timestamp": "2024-05-01T10:20:30Z"}),
            ),
            (r#"[1,2,null,null,null,null]"#, json!({"latitude": 1.0, "longitude": 2.0})),
        ],
    );
    rejects(
        "place",
        &[
            r#"{"latitude":91,"longitude":0}"#,
            r#"{"latitude":0,"longitude":-180.5}"#,
            r#"{"latitude":"1","longitude":0}"#,
            r#"{"longitude":0}"#,
            r#"{"latitude":0}"#,
            r#"{"latitude":0,"longitude":0,"speed":1}"#,
            r#"{"latitude":0,"longitude":0,"altitude":"x"}"#,
            r#"[0,0]"#,
            r#"[0,0,null,null,null,null,null]"#,
            r#"[91,0,null,null,null,null]"#,
            r#"[0,0,null,null,null,"yesterday"]"#,
            r#"[null,0,null,null,null,null]"#,
            r#""0,0""#,
            r#"{"latitude":1e400,"longitude":0}"#,
            r#"{"latitude":0,"longitude":0,"timestamp":"yesterday"}"#,
            r#"{"latitude":0,"longitude":0,"timestamp":5}"#,
        ],
    );
}

#[test]
fn attachments() {
    let Ok(read) = write("attachment", r#"{"base64":"aGVsbG8=","filename":"a b_c-1.txt"}"#) else { panic!() };
    assert_eq!(read["state"], "uploaded");
    assert_eq!(read.as_object().unwrap().len(), 4, "state plus three sizes: {read}");
    let url = read["original"].as_str().unwrap();
    assert_eq!(read["fullscreen"], url);
    assert_eq!(read["thumbnail"], url);
    let (id, token) = url.strip_prefix("http://h/api/v4/a/attachments/").and_then(|p| p.split_once('/')).unwrap();
    assert!(parse_id(id).is_some(), "{url}");
    assert!(token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()), "a 128-bit capability: {url}");
    let again = write("attachment", r#"{"base64":"aGVsbG8=","filename":"a b_c-1.txt"}"#).unwrap_or_default();
    assert_ne!(again["original"], read["original"], "every upload gets its own capability");
    assert!(write("photo", r#"{"base64":"","filename":"x.png"}"#).is_ok());
    let long = format!(r#"{{"base64":"aGk=","filename":"{}"}}"#, "a".repeat(256));
    let max = format!(r#"{{"base64":"aGk=","filename":"{}"}}"#, "a".repeat(255));
    assert!(write("signature", &max).is_ok());
    rejects(
        "signature",
        &[
            &long,
            r#"{"base64":"aGVsbG8","filename":"a.txt"}"#,
            r#"{"base64":"aGVs\nbG8=","filename":"a.txt"}"#,
            r#"{"base64":"aGVs bG8=","filename":"a.txt"}"#,
            r#"{"base64":"!!!!","filename":"a.txt"}"#,
            r#"{"base64":"aGk=","filename":"A.txt"}"#,
            r#"{"base64":"aGk=","filename":"a/b.txt"}"#,
            r#"{"base64":"aGk=","filename":"a\\b.txt"}"#,
            r#"{"base64":"aGk=","filename":"..txt"}"#,
            r#"{"base64":"aGk=","filename":"."}"#,
            r#"{"base64":"aGk=","filename":".."}"#,
            r#"{"base64":"aGk=","filename":""}"#,
            r#"{"base64":"aGk=","filename":"a\u0000.txt"}"#,
            r#"{"base64":"aGk=","filename":"é.txt"}"#,
            r#"{"base64":"aGk="}"#,
            r#"{"filename":"a.txt"}"#,
            r#"{"base64":"aGk=","filename":"a.txt","x":1}"#,
            r#"{"base64":5,"filename":"a.txt"}"#,
            r#""aGk=""#,
        ],
    );
}

#[test]
fn belongs_to_needs_an_existing_target() {
    let known = parse_id("550e8400-e29b-41d4-a716-446655440000").unwrap();
    let exists = |id: Uuid| id == known;
    let check =
        |input: &str| validate_ref("category_id", &parse(input.as_bytes()).unwrap(), &exists).map_err(|e| e.kind);
    assert_eq!(check(r#""550e8400-e29b-41d4-a716-446655440000""#), Ok(Some(Stored::Ref(known))));
    assert_eq!(check("null"), Ok(None));
    for bad in
        [r#""550e8400-e29b-41d4-a716-446655440001""#, r#""nope""#, "1", r#""550E8400-E29B-41D4-A716-446655440000""#]
    {
        assert_eq!(check(bad), Err(ErrorType::InvalidValue), "{bad}");
    }
}
