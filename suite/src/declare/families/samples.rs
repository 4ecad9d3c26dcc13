//! Field Representation as data: for each field type, values a target must accept (with their read-back form) and
//! values it must reject with INVALID_VALUE; where the docs are open, an outcome set and its reason.

use super::values::json_string;
use crate::declare::expect::Outcome;
use crate::declare::model::{ChoiceOption, Field, FieldKind};
use crate::declare::scenario::Repr;
use crate::declare::spec;
use crate::ErrorType::{InvalidApiRequest, InvalidValue};
use serde_json::{json, Map, Value};

/// What the contract says of one sample value.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleExpect {
    /// Accepted (2xx), and read back like this.
    Valid(Repr),
    /// 422 INVALID_VALUE.
    Invalid,
    /// The docs leave it open: any of `outcomes`; if accepted, read back like `repr`.
    Open { outcomes: Vec<Outcome>, why: &'static crate::declare::spec::Clause, repr: Option<Repr> },
}

/// One value to write, spelled exactly as it goes on the wire (so `1e400` stays `1e400`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Stable name, part of case IDs; never derived from the target's values.
    pub name: String,
    /// The JSON text of the value.
    pub raw: String,
    pub expect: SampleExpect,
}

impl Sample {
    /// An accepted value read back as `repr`.
    pub fn valid(name: &str, raw: impl Into<String>, repr: Repr) -> Sample {
        Sample { name: name.into(), raw: raw.into(), expect: SampleExpect::Valid(repr) }
    }

    /// A value that must be rejected with INVALID_VALUE.
    pub fn invalid(name: &str, raw: impl Into<String>) -> Sample {
        Sample { name: name.into(), raw: raw.into(), expect: SampleExpect::Invalid }
    }

    /// A value the docs leave open.
    pub fn open(
        name: &str,
        raw: impl Into<String>,
        outcomes: &[Outcome],
        why: &'static crate::declare::spec::Clause,
        repr: Option<Repr>,
    ) -> Sample {
        Sample {
            name: name.into(),
            raw: raw.into(),
            expect: SampleExpect::Open { outcomes: outcomes.to_vec(), why, repr },
        }
    }

    /// The value for a description, cut short.
    pub fn shown(&self) -> String {
        let mut s: String = self.raw.chars().take(60).collect();
        if self.raw.chars().count() > 60 {
            s.push('…');
        }
        s
    }

    /// "is accepted" / "is INVALID_VALUE" / "is open", for descriptions.
    pub fn verb(&self) -> &'static str {
        match self.expect {
            SampleExpect::Valid(_) => "is accepted and read back",
            SampleExpect::Invalid => "is INVALID_VALUE",
            SampleExpect::Open { .. } => "is one of the documented readings",
        }
    }
}

fn exact(v: Value) -> Repr {
    Repr::Exact(v)
}

fn raw(v: &Value) -> String {
    v.to_string()
}

/// A field standing in for a kind the model lacks: same sample names, so the same case IDs.
pub fn placeholder_field(kind: FieldKind) -> Field {
    let options = match kind {
        FieldKind::SingleChoice | FieldKind::MultipleChoice => {
            vec!["a", "b"].into_iter().map(|k| ChoiceOption { key: json!(k), display: None }).collect()
        }
        FieldKind::SingleChoiceInteger | FieldKind::MultipleChoiceInteger => {
            vec![1, 2].into_iter().map(|k| ChoiceOption { key: json!(k), display: None }).collect()
        }
        _ => Vec::new(),
    };
    Field { name: format!("({kind})"), kind, options, subtype: None }
}

/// An option key that is surely not among `options`.
fn unknown_key(options: &[ChoiceOption], integer: bool) -> Value {
    if integer {
        let max = options.iter().filter_map(|o| o.key.as_i64()).max().unwrap_or(0);
        json!(max.saturating_add(987_654))
    } else {
        json!("jc_not_an_option")
    }
}

/// The valid upload every upload field accepts (`hello world` in base64, an allowed filename).
pub fn upload(filename: &str) -> String {
    json!({"base64": "aGVsbG8gd29ybGQ=", "filename": filename}).to_string()
}

/// The documented filename rule, with the open edges as an outcome set.
pub fn filename_expect(name: &str) -> SampleExpect {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.' | ' ');
    if name.is_empty() || !name.chars().all(allowed) || name.contains("..") {
        return SampleExpect::Invalid;
    }
    let edge =
        name.len() > 255 || name.chars().all(|c| c == '.' || c == ' ') || name.starts_with(' ') || name.ends_with(' ');
    if edge {
        SampleExpect::Open {
            outcomes: vec![Outcome::Error(InvalidValue), Outcome::Success],
            why: spec::open::FILENAME_EDGE,
            repr: Some(Repr::Attachment),
        }
    } else {
        SampleExpect::Valid(Repr::Attachment)
    }
}

/// Every sample for a field of this kind (choice samples use the field's own options).
pub fn for_field(kind: FieldKind, field: &Field) -> Vec<Sample> {
    let keys: Vec<Value> = field.options.iter().map(|o| o.key.clone()).collect();
    let first = keys.first().cloned().unwrap_or(Value::Null);
    let second = keys.get(1).cloned().unwrap_or_else(|| first.clone());
    let iv = Outcome::Error(InvalidValue);
    match kind {
        FieldKind::Text => vec![
            Sample::valid("ascii", raw(&json!("hello")), exact(json!("hello"))),
            Sample::valid("unicode", raw(&json!("héllo ✓ 日本")), exact(json!("héllo ✓ 日本"))),
            Sample::invalid("number", "1"),
            Sample::invalid("object", "{}"),
            Sample::invalid("array", r#"["x"]"#),
            Sample::invalid("boolean", "true"),
        ],
        FieldKind::Integer => vec![
            Sample::valid("positive", "42", exact(json!(42))),
            Sample::valid("negative", "-7", exact(json!(-7))),
            Sample::valid("negative-zero", "-0", exact(json!(0))),
            Sample::valid("above-2-pow-53", "9007199254740993", exact(json!(9_007_199_254_740_993_i64))),
            Sample::invalid("fraction", "1.5"),
            Sample::invalid("string", r#""1""#),
            Sample::invalid("overflowing-exponent", "1e400"),
            Sample::invalid("boolean", "true"),
            Sample::invalid("array", "[1]"),
            Sample::open(
                "integral-fraction",
                "1.0",
                &[iv, Outcome::Success],
                spec::open::INTEGER_FRACTION,
                Some(exact(json!(1))),
            ),
            Sample::open(
                "2-pow-63",
                "9223372036854775808",
                &[iv, Outcome::Success],
                spec::open::INTEGER_RANGE,
                Some(exact(json!(9_223_372_036_854_775_808_u64))),
            ),
        ],
        FieldKind::Number => vec![
            Sample::valid("fraction", "1.5", exact(json!(1.5))),
            Sample::valid("negative", "-0.25", exact(json!(-0.25))),
            Sample::valid("exponent", "1e3", exact(json!(1000))),
            Sample::valid("zero", "0", exact(json!(0))),
            Sample::invalid("string", r#""1.0""#),
            Sample::invalid("boolean", "true"),
            Sample::invalid("array", "[1.5]"),
            Sample::invalid("object", "{}"),
            Sample::open(
                "overflowing-exponent",
                "1e400",
                &[iv, Outcome::Error(InvalidApiRequest)],
                spec::open::NUMBER_RANGE,
                None,
            ),
        ],
        FieldKind::Boolean => vec![
            Sample::valid("true", "true", exact(json!({"key": true, "display": "Yes"}))),
            Sample::valid("false", "false", exact(json!({"key": false, "display": "No"}))),
            Sample::invalid("string-yes", r#""yes""#),
            Sample::invalid("string-true", r#""true""#),
            Sample::invalid("one", "1"),
            Sample::invalid("zero", "0"),
        ],
        FieldKind::Date => vec![
            Sample::valid("leap-day", raw(&json!("2024-02-29")), exact(json!("2024-02-29"))),
            Sample::valid("with-time", raw(&json!("2024-02-29T13:45:00Z")), exact(json!("2024-02-29"))),
            Sample::invalid("impossible-day", raw(&json!("2024-02-30"))),
            Sample::invalid("month-13", raw(&json!("2024-13-01"))),
            Sample::invalid("word", raw(&json!("tomorrow"))),
            Sample::invalid("dangling-t", raw(&json!("20240101T"))),
            Sample::invalid("number", "20240101"),
        ],
        FieldKind::Datetime => vec![
            Sample::valid("utc", raw(&json!("2024-01-02T03:04:05Z")), exact(json!("2024-01-02T03:04:05Z"))),
            Sample::valid("offset", raw(&json!("2024-01-02T05:04:05+02:00")), exact(json!("2024-01-02T03:04:05Z"))),
            Sample::invalid("month-13", raw(&json!("2024-13-01T00:00:00Z"))),
            Sample::invalid("hour-25", raw(&json!("2024-01-02T25:00:00Z"))),
            Sample::invalid("word", raw(&json!("now"))),
            Sample::invalid("time-only", raw(&json!("25:00"))),
            Sample::invalid("number", "1700000000"),
        ],
        FieldKind::SingleChoice => {
            let upper = first.as_str().map(str::to_uppercase).filter(|u| Some(u.as_str()) != first.as_str());
            let mut v = vec![
                Sample::valid("first-option", raw(&first), Repr::Choice(first.clone())),
                Sample::invalid("unknown-option", raw(&unknown_key(&field.options, false))),
                Sample::invalid("integer", "1"),
                Sample::invalid("array", raw(&json!([first]))),
            ];
            v.push(Sample::invalid(
                "uppercased-option",
                raw(&json!(upper.unwrap_or_else(|| "JC_NOT_AN_OPTION".into()))),
            ));
            v
        }
        FieldKind::SingleChoiceInteger => vec![
            Sample::valid("first-option", raw(&first), Repr::Choice(first.clone())),
            Sample::invalid("unknown-option", raw(&unknown_key(&field.options, true))),
            Sample::invalid("option-as-string", json_string(&first.to_string())),
            Sample::invalid("fraction", "1.5"),
            Sample::invalid("array", raw(&json!([first]))),
        ],
        FieldKind::MultipleChoice | FieldKind::MultipleChoiceInteger => {
            let integer = kind == FieldKind::MultipleChoiceInteger;
            let unknown = unknown_key(&field.options, integer);
            let wrong_type = if integer { json!(first.to_string()) } else { json!(1) };
            vec![
                Sample::valid(
                    "two-options",
                    raw(&json!([first, second])),
                    Repr::ChoiceKeys(vec![first.clone(), second.clone()]),
                ),
                Sample::invalid("not-an-array", raw(&first)),
                Sample::invalid("unknown-option", raw(&json!([unknown]))),
                Sample::invalid("known-and-unknown", raw(&json!([first, unknown]))),
                Sample::invalid("wrong-key-type", raw(&json!([wrong_type]))),
                Sample::invalid("object", "{}"),
            ]
        }
        FieldKind::Location => {
            let members = |v: Value| Repr::Members(v.as_object().cloned().unwrap_or_else(Map::new));
            vec![
                Sample::valid(
                    "city",
                    r#"{"latitude":-33.9249,"longitude":18.4241}"#,
                    members(json!({"latitude": -33.9249, "longitude": 18.4241})),
                ),
                Sample::valid(
                    "bounds-with-altitude",
                    r#"{"latitude":90,"longitude":-180,"altitude":12.5}"#,
                    members(json!({"latitude": 90, "longitude": -180, "altitude": 12.5})),
                ),
                Sample::invalid("latitude-above-90", r#"{"latitude":90.5,"longitude":0}"#),
                Sample::invalid("latitude-below-minus-90", r#"{"latitude":-91,"longitude":0}"#),
                Sample::invalid("longitude-above-180", r#"{"latitude":0,"longitude":180.5}"#),
                Sample::invalid("strings", r#"{"latitude":"1","longitude":"2"}"#),
                Sample::invalid("missing-longitude", r#"{"latitude":1}"#),
                Sample::invalid("comma-string", r#""1,2""#),
                Sample::invalid("array", "[1,2]"),
            ]
        }
        FieldKind::Attachment | FieldKind::Photo | FieldKind::Signature => vec![
            Sample::valid("upload", upload("hello world.txt"), Repr::Attachment),
            Sample::invalid("uppercase-filename", upload("Hello.txt")),
            Sample::invalid("slash-filename", upload("a/b.txt")),
            Sample::invalid("backslash-filename", upload("a\\b.txt")),
            Sample::invalid("dot-dot-filename", upload("../etc/passwd")),
            Sample::invalid("nul-filename", upload("a\u{0}b.txt")),
            Sample::invalid("newline-filename", upload("a\nb.txt")),
            Sample::invalid("non-ascii-filename", upload("naïve.txt")),
            Sample::invalid("empty-filename", upload("")),
            Sample::invalid(
                "newline-in-base64",
                json!({"base64": "aGVsbG8g\nd29ybGQ=", "filename": "a.txt"}).to_string(),
            ),
            Sample::invalid("not-base64", json!({"base64": "not base64!", "filename": "a.txt"}).to_string()),
            Sample::invalid("missing-base64", json!({"filename": "a.txt"}).to_string()),
            Sample::invalid("missing-filename", json!({"base64": "aGVsbG8="}).to_string()),
            Sample::invalid("string", json_string("aGVsbG8=")),
            Sample::invalid("number", "123"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_follow_the_allowed_set() {
        for ok in ["a.txt", "hello world.txt", "x_y-z.2024.png"] {
            assert_eq!(filename_expect(ok), SampleExpect::Valid(Repr::Attachment), "{ok}");
        }
        for bad in ["", "A.txt", "a/b", "a\\b", "..", "a..b", "ü.txt", "a\0b", "a\tb", "😀"] {
            assert_eq!(filename_expect(bad), SampleExpect::Invalid, "{bad:?}");
        }
        for edge in [".", " ", "a ", &"a".repeat(256)] {
            assert!(matches!(filename_expect(edge), SampleExpect::Open { .. }), "{edge:?}");
        }
    }

    #[test]
    fn sample_names_do_not_depend_on_options_and_raw_values_are_json() {
        for kind in FieldKind::ALL {
            let placeholder = for_field(kind, &placeholder_field(kind));
            let real = Field {
                name: "f".into(),
                kind,
                options: vec![
                    ChoiceOption { key: json!("zz"), display: None },
                    ChoiceOption { key: json!(7), display: None },
                ],
                subtype: None,
            };
            let names = |v: &[Sample]| v.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
            assert_eq!(names(&placeholder), names(&for_field(kind, &real)), "{kind}");
            for s in &placeholder {
                let parsed = serde_json::from_str::<Value>(&s.raw);
                assert!(parsed.is_ok() || s.raw.contains("e400"), "{kind}/{}: {} is not JSON", s.name, s.raw);
            }
        }
    }
}
