//! `ids`: malformed and unknown object IDs, ID-segment path tricks, and unknown object types.
//! An invalid or unknown ID is 404 OBJECT_NOT_FOUND; a malformed spelling of an existing ID must not
//! reach that object.

use super::case;
use crate::declare::case::{Case, CaseRequest, Family};
use crate::declare::ctx::Ctx;
use crate::declare::expect::{Expect, Outcome};
use crate::declare::routes::{RouteTarget, Shape};
use crate::declare::spec;
use crate::ErrorType::{InvalidApiRequest, ObjectNotFound, RouteError};
use percent_encoding::{percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded, so an ID stays one path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes raw bytes as one path segment.
pub fn encode_segment(raw: &[u8]) -> String {
    percent_encode(raw, SEGMENT).to_string()
}

/// Builds an ID's raw bytes from the target's values.
type IdOf = fn(&Ctx) -> Vec<u8>;
/// Builds an ID segment (already a string) from the target's values.
type SegmentOf = fn(&Ctx) -> String;

/// Malformed IDs, many of them near-misses of the existing fixture's ID (sent percent-encoded).
const MALFORMED: &[(&str, IdOf)] = &[
    ("not-a-uuid", |_| b"not-a-uuid".to_vec()),
    ("uppercase-existing", |c| c.existing_id.to_uppercase().into_bytes()),
    ("no-hyphens-existing", |c| c.existing_id.replace('-', "").into_bytes()),
    ("braced-existing", |c| format!("{{{}}}", c.existing_id).into_bytes()),
    ("urn-existing", |c| format!("urn:uuid:{}", c.existing_id).into_bytes()),
    ("existing-plus-char", |c| format!("{}0", c.existing_id).into_bytes()),
    ("existing-minus-char", |c| {
        c.existing_id.get(..c.existing_id.len().saturating_sub(1)).unwrap_or("").as_bytes().to_vec()
    }),
    ("existing-leading-space", |c| format!(" {}", c.existing_id).into_bytes()),
    ("existing-trailing-newline", |c| format!("{}\n", c.existing_id).into_bytes()),
    ("existing-trailing-nul", |c| format!("{}\0", c.existing_id).into_bytes()),
    ("existing-with-json-suffix", |c| format!("{}.json", c.existing_id).into_bytes()),
    ("unicode-lookalike", |c| format!("\u{0430}{}", c.existing_id.get(1..).unwrap_or("")).into_bytes()),
    ("fullwidth-digits", |_| {
        "１２３４５６７８-１２３４-４１２３-８１２３-１２３４５６７８９０１２".as_bytes().to_vec()
    }),
    ("emoji", |_| "😀".as_bytes().to_vec()),
    ("invalid-utf8", |_| b"\xff\xfe".to_vec()),
    ("very-long", |c| c.existing_id.repeat(57).into_bytes()),
    ("dot-dot", |_| b"..".to_vec()),
    ("encoded-traversal", |_| b"../../datamodel".to_vec()),
    ("encoded-id-pair", |c| format!("{0}/{0}", c.existing_id).into_bytes()),
    ("encoded-query", |c| format!("{}?x=1", c.existing_id).into_bytes()),
    ("encoded-double-question", |c| format!("{}??", c.existing_id).into_bytes()),
    ("empty-braces", |_| b"{}".to_vec()),
    ("sql-injection", |_| b"' OR '1'='1".to_vec()),
    ("integer", |_| b"1".to_vec()),
];

/// Well-formed lowercase UUIDs that name no object.
const UNKNOWN: &[(&str, SegmentOf)] = &[
    ("random-v4", |c| c.unknown_id.clone()),
    ("nil-uuid", |_| "00000000-0000-0000-0000-000000000000".into()),
    ("max-uuid", |_| "ffffffff-ffff-ffff-ffff-ffffffffffff".into()),
];

/// Raw (unencoded) ID segments that change the path's shape; they use the unknown ID so no object is touched.
const PATH_TRICKS: &[(&str, SegmentOf)] = &[
    ("raw-id-pair", |c| format!("{0}/{0}", c.unknown_id)),
    ("raw-query", |c| format!("{}?x=1", c.unknown_id)),
    ("raw-double-question", |c| format!("{}??", c.unknown_id)),
    ("raw-slash-question-slash", |c| format!("{}/?/", c.unknown_id)),
    ("empty", |_| String::new()),
];

/// The object type no data model has.
const NO_SUCH_TYPE: &str = "jc_no_such_type";

/// A request on a hand-built ID segment; path tricks may leave the object shape, so the one matcher decides.
fn request(ctx: &Ctx, method: &str, path: String) -> CaseRequest {
    let mut req = CaseRequest::new(method, path);
    req.target = RouteTarget::of_path(method, &req.path, &ctx.base());
    if matches!(method, "PATCH" | "PUT") {
        req.json(ctx.wrapped_body())
    } else {
        req
    }
}

/// Every case of the family.
pub fn cases(ctx: &Ctx) -> Vec<Case> {
    let mut out = Vec::new();
    let mut add =
        |id: String, what: String, spec: &'static crate::declare::spec::Clause, req: CaseRequest, expect: Expect| {
            out.push(case(Family::Ids, id, what, spec, req, expect));
        };
    for (name, id) in MALFORMED {
        let segment = encode_segment(&id(ctx));
        for method in ["GET", "PATCH", "PUT", "DELETE"] {
            let what = format!("{method} with a malformed ID ({name}) is OBJECT_NOT_FOUND");
            add(
                format!("ids/malformed/{method}-{name}"),
                what,
                spec::OBJECT_NOT_FOUND,
                request(ctx, method, ctx.object(&segment)),
                Expect::error(ObjectNotFound),
            );
        }
    }
    for (name, id) in UNKNOWN {
        // PUT of a well-formed unknown ID is the documented upsert, so it is no error case.
        for method in ["GET", "PATCH", "DELETE"] {
            let what = format!("{method} of a well-formed unknown ID ({name}) is OBJECT_NOT_FOUND");
            add(
                format!("ids/unknown/{method}-{name}"),
                what,
                spec::OBJECT_NOT_FOUND,
                request(ctx, method, ctx.object(&id(ctx))),
                Expect::error(ObjectNotFound),
            );
        }
    }
    let trick =
        || Expect::any_of(&[Outcome::Error(ObjectNotFound), Outcome::Error(RouteError)], spec::open::PATH_TRICK);
    for (name, segment) in PATH_TRICKS {
        for method in ["GET", "PATCH", "DELETE"] {
            let what = format!("{method} with the ID segment `{name}` sent raw is OBJECT_NOT_FOUND or ROUTE_ERROR");
            add(
                format!("ids/path-trick/{method}-{name}"),
                what,
                spec::open::PATH_TRICK,
                request(ctx, method, ctx.object(&segment(ctx))),
                trick(),
            );
        }
    }
    let unknown_type = || {
        Expect::any_of(
            &[Outcome::Error(RouteError), Outcome::Error(ObjectNotFound), Outcome::Error(InvalidApiRequest)],
            spec::open::UNKNOWN_OBJECT_TYPE,
        )
    };
    let collection = format!("{}/objects/{NO_SUCH_TYPE}.json", ctx.base());
    let object = format!("{}/objects/{NO_SUCH_TYPE}/{}.json", ctx.base(), ctx.unknown_id);
    let foreign_body = format!(r#"{{"{NO_SUCH_TYPE}":{{}}}}"#);
    let unknown_type_requests = [
        ("GET-collection", Shape::Collection.request("GET", collection.clone())),
        ("POST-collection", Shape::Collection.request("POST", collection).json(foreign_body.clone())),
        ("GET-object", Shape::Object.request("GET", object.clone())),
        ("PATCH-object", Shape::Object.request("PATCH", object.clone()).json(foreign_body.clone())),
        ("PUT-object", Shape::Object.request("PUT", object.clone()).json(foreign_body)),
        ("DELETE-object", Shape::Object.request("DELETE", object)),
        (
            "GET-existing-id-under-unknown-type",
            Shape::Object.request("GET", format!("{}/objects/{NO_SUCH_TYPE}/{}.json", ctx.base(), ctx.existing_id)),
        ),
    ];
    for (name, req) in unknown_type_requests {
        let what = format!("{name} of an object type the data model lacks is an error, never 2xx");
        add(format!("ids/unknown-type/{name}"), what, spec::open::UNKNOWN_OBJECT_TYPE, req, unknown_type());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_segments_keep_one_segment() {
        assert_eq!(encode_segment(b"a/b?c"), "a%2Fb%3Fc");
        assert_eq!(encode_segment(b"\0"), "%00");
        assert_eq!(encode_segment(b"ab-._~"), "ab-._~");
        assert_eq!(encode_segment("ü".as_bytes()), "%C3%BC");
    }
}
