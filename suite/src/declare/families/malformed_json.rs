//! `malformed-json`: bodies that are not JSON, not UTF-8, or not the documented shape, sent to every
//! JSON-taking route. Syntax errors are also embedded inside otherwise valid bodies, where a parser that
//! repairs or tolerates them would answer 2xx (or 422) instead of 400.

use super::{case, Route};
use crate::declare::case::{Case, CaseRequest, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::request_body::Body;
use crate::declare::spec;
use crate::ErrorType::{InvalidApiRequest, InvalidValue};
use include_dir::{include_dir, Dir};

/// JSONTestSuite's parsing cases (MIT; see corpora/jsontestsuite/LICENSE).
static JSON_TEST_SUITE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../corpora/jsontestsuite/test_parsing");

/// The routes that take a JSON body.
const BODY_ROUTES: [Route; 4] = [Route::Create, Route::Patch, Route::Put, Route::Batch];

/// Every file JSONTestSuite says a parser must reject (`n_*.json`), sorted by name for stable IDs.
pub fn corpus_rejects() -> Vec<(&'static str, &'static [u8])> {
    corpus("n_")
}

/// Every file JSONTestSuite leaves to the parser (`i_*.json`: lone surrogates, huge exponents, encodings).
pub fn corpus_implementation_defined() -> Vec<(&'static str, &'static [u8])> {
    corpus("i_")
}

/// The corpus files whose names start with `prefix`, by stem, sorted by name for stable IDs.
fn corpus(prefix: &str) -> Vec<(&'static str, &'static [u8])> {
    let mut files: Vec<_> = JSON_TEST_SUITE
        .files()
        .filter_map(|f| {
            let name = f.path().file_name()?.to_str()?;
            let stem = name.strip_prefix(prefix)?.strip_suffix(".json")?;
            Some((stem, f.contents()))
        })
        .collect();
    files.sort();
    files
}

/// An otherwise valid body split around one field pair, so a fault can be put exactly there.
struct Parts {
    head: String,
    key: String,
    value: String,
    tail: String,
}

impl Parts {
    fn of(ctx: &Ctx, route: Route) -> Parts {
        let (key, value) = match &ctx.field {
            Some((k, v)) => (k.clone(), v.to_string()),
            None => ("name".to_string(), "\"journey-conformance\"".to_string()),
        };
        let t = serde_json::to_string(&ctx.object_type).unwrap_or_default();
        let (head, tail) = match route {
            Route::Batch => {
                (format!(r#"{{"operations":[{{"method":"post","object":{{"type":{t},"#), "}}]}".to_string())
            }
            _ => (format!("{{{t}:{{"), "}}".to_string()),
        };
        Parts { head, key: serde_json::to_string(&key).unwrap_or_default(), value, tail }
    }

    fn pair(&self) -> String {
        format!("{}:{}", self.key, self.value)
    }

    fn valid(&self) -> Vec<u8> {
        format!("{}{}{}", self.head, self.pair(), self.tail).into_bytes()
    }

    /// The valid body with the field's value replaced by raw bytes.
    fn with_value(&self, value: &[u8]) -> Vec<u8> {
        [self.head.as_bytes(), self.key.as_bytes(), b":", value, self.tail.as_bytes()].concat()
    }

    /// The valid body with the whole field pair replaced by raw bytes.
    fn with_pair(&self, pair: &[u8]) -> Vec<u8> {
        [self.head.as_bytes(), pair, self.tail.as_bytes()].concat()
    }
}

/// One way to break the syntax of a valid body.
struct SyntaxFault {
    name: &'static str,
    what: &'static str,
    build: fn(&Parts) -> Vec<u8>,
}

/// One row of [`SYNTAX_FAULTS`], so the table reads as data: one fault per line.
const fn fault(name: &'static str, what: &'static str, build: fn(&Parts) -> Vec<u8>) -> SyntaxFault {
    SyntaxFault { name, what, build }
}

const SYNTAX_FAULTS: &[SyntaxFault] = &[
    fault("trailing-comma-in-object", "a trailing comma after the last field", |p| {
        p.with_pair(format!("{},", p.pair()).as_bytes())
    }),
    fault("trailing-comma-at-end", "a trailing comma before the closing brace of the body", |p| {
        let mut v = p.valid();
        v.insert(v.len() - 1, b',');
        v
    }),
    fault("missing-comma", "two fields with no comma between them", |p| {
        p.with_pair(format!("{} {}", p.pair(), p.pair()).as_bytes())
    }),
    fault("missing-colon", "a field with no colon", |p| p.with_pair(format!("{} {}", p.key, p.value).as_bytes())),
    fault("missing-value", "a field with a colon and no value", |p| p.with_value(b"")),
    fault("line-comment", "a // comment after the body", |p| {
        [p.valid(), b"\n// journey-conformance".to_vec()].concat()
    }),
    fault("block-comment", "a /* */ comment inside the body", |p| {
        p.with_pair(format!("/* jc */ {}", p.pair()).as_bytes())
    }),
    fault("hash-comment", "a # comment after the body", |p| [p.valid(), b" # journey-conformance".to_vec()].concat()),
    fault("single-quoted-key", "a key in single quotes", |p| {
        p.with_pair(format!("'{}':{}", p.key.trim_matches('"'), p.value).as_bytes())
    }),
    fault("single-quoted-string", "a string value in single quotes", |p| p.with_value(b"'journey'")),
    fault("unquoted-key", "a key without quotes", |p| {
        p.with_pair(format!("{}:{}", p.key.trim_matches('"'), p.value).as_bytes())
    }),
    fault("bare-word-value", "an unquoted word as a value", |p| p.with_value(b"journey")),
    fault("nan", "NaN as a value", |p| p.with_value(b"NaN")),
    fault("infinity", "Infinity as a value", |p| p.with_value(b"Infinity")),
    fault("negative-infinity", "-Infinity as a value", |p| p.with_value(b"-Infinity")),
    fault("hex-number", "a hexadecimal number", |p| p.with_value(b"0x1F")),
    fault("leading-zero", "a number with a leading zero", |p| p.with_value(b"007")),
    fault("leading-plus", "a number with a leading plus", |p| p.with_value(b"+1")),
    fault("leading-decimal-point", "a number starting with a decimal point", |p| p.with_value(b".5")),
    fault("trailing-decimal-point", "a number ending with a decimal point", |p| p.with_value(b"1.")),
    fault("capitalized-literal", "True instead of true", |p| p.with_value(b"True")),
    fault("undefined", "undefined as a value", |p| p.with_value(b"undefined")),
    fault("bad-escape", "a \\x escape in a string", |p| p.with_value(br#""a\x41""#)),
    fault("short-unicode-escape", "a \\u escape with two hex digits", |p| p.with_value(br#""\u12""#)),
    fault("raw-tab-in-string", "an unescaped tab inside a string", |p| p.with_value(b"\"a\tb\"")),
    fault("raw-newline-in-string", "an unescaped newline inside a string", |p| p.with_value(b"\"a\nb\"")),
    fault("raw-nul-in-string", "an unescaped NUL inside a string", |p| p.with_value(b"\"a\0b\"")),
    fault("invalid-utf8-in-string", "a 0xFF byte inside a string", |p| p.with_value(b"\"a\xffb\"")),
    fault("overlong-utf8-in-string", "an overlong UTF-8 encoding of '/' inside a string", |p| {
        p.with_value(b"\"a\xc0\xafb\"")
    }),
    fault("invalid-utf8-between-tokens", "a 0xFF byte where whitespace may stand", |p| {
        p.with_pair(&[b"\xff".as_slice(), p.pair().as_bytes()].concat())
    }),
    fault("truncated-at-end", "the body without its last byte", |p| {
        let mut v = p.valid();
        v.pop();
        v
    }),
    fault("truncated-in-string", "the body cut inside a string", |p| {
        [p.head.as_bytes(), p.key.as_bytes(), b":\"jour"].concat()
    }),
    fault("trailing-garbage", "a stray character after the body", |p| [p.valid(), b"x".to_vec()].concat()),
    fault("two-documents", "two JSON documents back to back", |p| [p.valid(), p.valid()].concat()),
    fault("utf16le-encoded", "the body encoded as UTF-16LE (RFC 8259 §8.1: JSON text MUST be UTF-8)", |p| {
        String::from_utf8_lossy(&p.valid()).encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }),
];

/// Bodies that are valid JSON but not the documented shape, for create/patch/put.
fn wrapped_shape_faults(p: &Parts, t: &str) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    vec![
        ("empty-object", "`{}`: no model-name wrapper", b"{}".to_vec()),
        ("unwrapped", "the fields without the model-name wrapper", format!("{{{}}}", p.pair()).into_bytes()),
        (
            "wrong-wrapper-key",
            "the fields wrapped in a name that is no model",
            format!(r#"{{"jc_not_a_model":{{{}}}}}"#, p.pair()).into_bytes(),
        ),
        ("wrapper-is-string", "the model-name wrapper holds a string", format!(r#"{{{t}:"x"}}"#).into_bytes()),
        ("wrapper-is-array", "the model-name wrapper holds an array", format!(r#"{{{t}:[]}}"#).into_bytes()),
        ("wrapper-is-null", "the model-name wrapper holds null", format!(r#"{{{t}:null}}"#).into_bytes()),
    ]
}

/// Bodies that are valid JSON but not the documented batch shape.
fn batch_shape_faults(p: &Parts) -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let op = format!(r#"{{"method":"post","object":{{{}}}}}"#, p.pair());
    vec![
        ("empty-object", "`{}`: no `operations`", b"{}".to_vec()),
        ("unwrapped", "one operation without the `operations` array", op.clone().into_bytes()),
        ("wrong-wrapper-key", "the operations under another key", format!(r#"{{"ops":[{op}]}}"#).into_bytes()),
        ("wrapper-is-string", "`operations` is a string", br#"{"operations":"x"}"#.to_vec()),
        ("wrapper-is-object", "`operations` is an object", br#"{"operations":{}}"#.to_vec()),
        ("wrapper-is-null", "`operations` is null", br#"{"operations":null}"#.to_vec()),
    ]
}

/// Top-level values that are not an object, for every route.
const NON_OBJECTS: &[(&str, &[u8])] = &[
    ("empty-body", b""),
    ("whitespace-only", b" \r\n\t "),
    ("top-level-array", b"[]"),
    ("top-level-string", b"\"journey\""),
    ("top-level-number", b"1"),
    ("top-level-null", b"null"),
    ("top-level-true", b"true"),
    ("invalid-utf8-only", b"\xff\xfe"),
];

/// Faults no JSON parser reads as a document: the docs' "JSON errors" without help from the RFC. The other
/// faults are spellings lenient parsers accept, so only RFC 8259 makes them errors.
const PLAIN_ERRORS: &[&str] =
    &["missing-comma", "missing-colon", "missing-value", "truncated-at-end", "truncated-in-string", "bare-word-value"];

fn syntax_spec(fault: &str) -> &'static crate::declare::spec::Clause {
    if PLAIN_ERRORS.contains(&fault) {
        spec::INVALID_API_REQUEST
    } else {
        spec::STRICT_JSON
    }
}

fn shape_spec(route: Route) -> &'static crate::declare::spec::Clause {
    if route == Route::Batch {
        spec::BATCH_ILL_FORMED
    } else {
        spec::WRAPPED_BODY
    }
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    let bad = || Expect::error(InvalidApiRequest);
    for route in BODY_ROUTES {
        let r = route.name();
        let p = Parts::of(ctx, route);
        let send = |body: Vec<u8>| route.bare(ctx).json(body);
        let mut add = |id: String,
                       what: String,
                       spec: &'static crate::declare::spec::Clause,
                       req: CaseRequest,
                       expect: Expect| {
            out.push(case(Family::MalformedJson, id, what, spec, req, expect));
        };

        add(
            format!("malformed-json/control/{r}-valid"),
            format!("a valid {r} body is accepted"),
            spec::SUCCESS,
            send(p.valid()),
            Expect::success(),
        );
        let charset = route
            .bare(ctx)
            .raw_body(vec![("content-type".into(), b"application/json; charset=utf-8".to_vec())], p.valid());
        add(
            format!("malformed-json/control/{r}-valid-charset"),
            format!("a valid {r} body with `charset=utf-8` is accepted"),
            spec::SUCCESS,
            charset,
            Expect::success(),
        );

        for fault in SYNTAX_FAULTS {
            let what = format!("{r} body with {} is rejected, not repaired", fault.what);
            add(
                format!("malformed-json/syntax/{r}/{}", fault.name),
                what,
                syntax_spec(fault.name),
                send((fault.build)(&p)),
                bad(),
            );
        }
        let bom = [b"\xEF\xBB\xBF".as_slice(), &p.valid()].concat();
        add(
            format!("malformed-json/syntax/{r}/byte-order-mark"),
            format!("{r} body preceded by a UTF-8 byte order mark"),
            spec::INVALID_API_REQUEST,
            send(bom),
            Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], spec::open::BOM),
        );

        for (name, body) in NON_OBJECTS {
            add(
                format!("malformed-json/shape/{r}/{name}"),
                format!("{r} body that is {name}"),
                shape_spec(route),
                send(body.to_vec()),
                bad(),
            );
        }
        let t = serde_json::to_string(&ctx.object_type).unwrap_or_default();
        let shapes = if route == Route::Batch { batch_shape_faults(&p) } else { wrapped_shape_faults(&p, &t) };
        for (name, what, body) in shapes {
            add(
                format!("malformed-json/shape/{r}/{name}"),
                format!("{r} body: {what}"),
                shape_spec(route),
                send(body),
                bad(),
            );
        }

        let either = || {
            Expect::any_of(
                &[Outcome::Error(InvalidApiRequest), Outcome::Error(InvalidValue), Outcome::Success],
                spec::open::CONTENT_TYPE,
            )
        };
        let content_types: [(&str, Option<&[u8]>); 3] = [
            ("missing", None),
            ("text-plain", Some(b"text/plain")),
            ("form-urlencoded", Some(b"application/x-www-form-urlencoded")),
        ];
        for (name, value) in content_types {
            let headers = value.map(|v| vec![("content-type".to_string(), v.to_vec())]).unwrap_or_default();
            let req = route.bare(ctx).raw_body(headers, p.valid());
            add(
                format!("malformed-json/content-type/{r}/{name}"),
                format!("valid {r} body with Content-Type {name}"),
                spec::open::CONTENT_TYPE,
                req,
                either(),
            );
        }

        let oversized = oversized_body(&p, ctx.oversize_bytes);
        add(
            format!("malformed-json/size/{r}/over-limit"),
            format!("{r} body of {} bytes, over the body size limit", oversized.len()),
            spec::OVERSIZED_BODY,
            route.bare(ctx).json(oversized),
            Expect::any_of(&[Outcome::Error(InvalidApiRequest), Outcome::Success], spec::OVERSIZED_BODY),
        );

        for (stem, body) in corpus_rejects() {
            add(
                format!("malformed-json/corpus/{r}/{stem}"),
                format!("JSONTestSuite n_{stem}.json as the {r} body"),
                spec::STRICT_JSON,
                send(body.to_vec()),
                bad(),
            );
        }
    }
    out.extend(super::json_implementation::cases(ctx));
    out
}

/// A syntactically valid body of exactly `size` bytes (a long string in the field), so only its size is
/// wrong; padded, so its several MiB are made only while it is sent.
fn oversized_body(p: &Parts, size: usize) -> Body {
    let head = [p.head.as_bytes(), p.key.as_bytes(), b":\""].concat();
    let tail = [b"\"", p.tail.as_bytes()].concat();
    // At least one filler byte, even when the frame alone reaches the size.
    Body::padded(head.clone(), size.max(head.len() + tail.len() + 1), tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare::families::tests::ctx;

    #[test]
    fn corpus_is_embedded_whole() {
        assert_eq!(corpus_rejects().len(), 188);
    }

    #[test]
    fn every_syntax_fault_really_breaks_json_and_the_valid_body_parses() {
        let ctx = ctx();
        for route in BODY_ROUTES {
            let p = Parts::of(&ctx, route);
            assert!(serde_json::from_slice::<serde_json::Value>(&p.valid()).is_ok(), "{route:?} valid body");
            for fault in SYNTAX_FAULTS {
                let body = (fault.build)(&p);
                assert!(
                    serde_json::from_slice::<serde_json::Value>(&body).is_err(),
                    "{} parses: {}",
                    fault.name,
                    String::from_utf8_lossy(&body)
                );
            }
        }
    }

    #[test]
    fn oversized_body_has_the_asked_size_and_is_json() {
        let p = Parts::of(&ctx(), Route::Create);
        let body = oversized_body(&p, 5000);
        assert_eq!(body.len(), 5000);
        assert!(serde_json::from_slice::<serde_json::Value>(&body.to_bytes()).is_ok());
        let tiny = oversized_body(&p, 1).to_bytes();
        assert!(serde_json::from_slice::<serde_json::Value>(&tiny).is_ok());
    }

    #[test]
    fn over_limit_bodies_are_padded_never_held_whole() {
        let cases = cases(&Ctx { oversize_bytes: 5 << 20, ..ctx() });
        let bodies: Vec<_> =
            cases.iter().filter(|c| c.id.ends_with("/over-limit")).filter_map(|c| c.request.body.clone()).collect();
        assert_eq!(bodies.len(), BODY_ROUTES.len());
        for body in bodies {
            assert_eq!(body.len(), 5 << 20);
            assert!(body.as_bytes().is_none(), "held whole");
            assert!(matches!(&body, Body::Padded { head, tail, .. } if head.len() + tail.len() < 1024));
        }
    }
}
