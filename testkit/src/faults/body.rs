//! Byte- and JSON-level helpers the faults share: buffering, a lenient JSON repair, filename
//! sanitising, and the account and route shape of a reference path.

use axum::body::{to_bytes, Body};
use bytes::Bytes;
use journey_conformance::declare::routes::{match_path, RouteMatch, Shape};
use serde_json::Value;

/// Bodies the layer buffers are bounded, so a fault can never make the test process eat memory.
pub const BUFFER_LIMIT: usize = 64 << 20;

/// The whole body, or an empty one if it is over [`BUFFER_LIMIT`] or broken.
pub async fn buffer(body: Body) -> Bytes {
    to_bytes(body, BUFFER_LIMIT).await.unwrap_or_default()
}

/// What a lenient JSON5-ish parser tolerates, removed: `//`, `/* */` and `#` comments outside
/// strings, and commas right before `}` or `]`.
pub fn repair_json(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    let mut in_string = false;
    while i < input.len() {
        let b = input[i];
        if in_string {
            out.push(b);
            if b == b'\\' && i + 1 < input.len() {
                out.push(input[i + 1]);
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
                i += 1;
            }
            b'/' if input.get(i + 1) == Some(&b'/') => i = skip_line(input, i),
            b'#' => i = skip_line(input, i),
            b'/' if input.get(i + 1) == Some(&b'*') => {
                i = input[i + 2..].windows(2).position(|w| w == b"*/").map_or(input.len(), |p| i + 2 + p + 2);
            }
            b'}' | b']' => {
                while out.last().is_some_and(u8::is_ascii_whitespace) {
                    out.pop();
                }
                if out.last() == Some(&b',') {
                    out.pop();
                }
                out.push(b);
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn skip_line(input: &[u8], from: usize) -> usize {
    input[from..].iter().position(|&b| b == b'\n').map_or(input.len(), |p| from + p)
}

/// A filename an upload library would make of anything: lowercase, disallowed bytes as `_`, no `..`.
pub fn sanitize_filename(name: &str) -> String {
    let mut out: String =
        name.to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.' | ' ') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
    while out.contains("..") {
        out = out.replace("..", "_");
    }
    out.truncate(255);
    if out.is_empty() || out == "." {
        out = "file".into();
    }
    out
}

/// One `name=value` pair of a query string: its text as sent, and its name and value percent-decoded
/// (`+` read as a space), so a fault can match the name and still rebuild the query from what it keeps.
pub struct QueryPair<'q> {
    pub raw: &'q str,
    pub key: String,
    pub value: String,
}

/// The non-empty pairs of `query`, in order; a pair without `=` has an empty value.
pub fn query_pairs(query: &str) -> Vec<QueryPair<'_>> {
    let decode = |s: &str| percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned();
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|raw| {
            let (k, v) = raw.split_once('=').unwrap_or((raw, ""));
            QueryPair { raw, key: decode(k), value: decode(v) }
        })
        .collect()
}

/// Applies `f` to every object inside `value`, depth first, at most `budget` levels deep.
pub fn each_object(value: &mut Value, budget: usize, f: &mut dyn FnMut(&mut serde_json::Map<String, Value>)) {
    if budget == 0 {
        return;
    }
    match value {
        Value::Object(map) => {
            f(map);
            for v in map.values_mut() {
                each_object(v, budget - 1, f);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| each_object(v, budget - 1, f)),
        _ => {}
    }
}

/// The account of a reference path `/api/v4/{account}/…`, and the path below it.
pub fn below_account(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/api/v4/")?;
    Some(rest.find('/').map_or((rest, ""), |at| rest.split_at(at)))
}

/// The account a reference path names.
pub fn account(path: &str) -> Option<&str> {
    below_account(path).map(|(account, _)| account)
}

/// The route shape of a reference path, by the suite's one matcher, so faults see routes as the suite does.
pub fn route(path: &str) -> Option<RouteMatch<'_>> {
    match_path(below_account(path)?.1)
}

/// Whether a reference path has this route shape.
pub fn has_shape(path: &str, shape: Shape) -> bool {
    route(path).is_some_and(|m| m.shape == shape)
}

/// `(type, id)` of an `objects/{type}/{id}.json` path.
pub fn object_route(path: &str) -> Option<(String, String)> {
    match route(path)? {
        RouteMatch { shape: Shape::Object, object_type: Some(ty), id: Some(id) } => Some((ty.into(), id.into())),
        _ => None,
    }
}

/// The type of an `objects/{type}.json` path.
pub fn collection_route(path: &str) -> Option<String> {
    route(path).filter(|m| m.shape == Shape::Collection)?.object_type.map(str::to_string)
}

/// The `type` of a JSON error body, if it has one.
pub fn error_type(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Value>(body).ok()?.get("type")?.as_str().map(str::to_string)
}

/// The documented error body of `t`, for faults that invent answers.
pub fn error_body(t: &str, detail: &str) -> Vec<u8> {
    serde_json::json!({"type": t, "title": "Error.", "detail": detail, "see": format!("https://docs.journeyapps.com/api-errors#{t}")})
        .to_string()
        .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repair_strips_comments_and_trailing_commas_but_not_string_content() {
        let fixed = repair_json(b"{\"a\":\"x//y, ]\",/* c */ \"b\":[1,2,],}\n// tail");
        assert_eq!(String::from_utf8_lossy(&fixed).trim(), r#"{"a":"x//y, ]", "b":[1,2]}"#);
        assert!(serde_json::from_slice::<Value>(&repair_json(b"{\"a\":1} # hash")).is_ok());
    }

    #[test]
    fn sanitised_filenames_are_always_valid() {
        for bad in ["", "..", "A.PNG", "a/../b", "ü.png", "a\0b", "."] {
            let s = sanitize_filename(bad);
            assert!(
                !s.is_empty()
                    && !s.contains("..")
                    && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-. ".contains(&b)),
                "{bad:?} -> {s:?}"
            );
        }
    }

    #[test]
    fn routes_are_recognised() {
        assert_eq!(object_route("/api/v4/acc/objects/task/ab.json"), Some(("task".into(), "ab".into())));
        assert_eq!(collection_route("/api/v4/acc/objects/task.json"), Some("task".into()));
        assert_eq!(object_route("/api/v4/acc/objects/task.json"), None);
        assert_eq!(object_route("/api/v4/acc/objects/task/.json"), Some(("task".into(), String::new())));
        assert!(
            has_shape("/api/v4/acc/oplog.json", Shape::Oplog) && !has_shape("/api/v4/acc/oplog.json/", Shape::Oplog)
        );
        assert_eq!(account("/api/v4/acc/x"), Some("acc"));
        assert_eq!(account("/api/v4/acc"), Some("acc"));
        assert_eq!(account("/api/v3/acc/x"), None);
        assert_eq!(route("/api/v4/acc"), None);
    }
}
