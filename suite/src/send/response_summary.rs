//! What a finished case keeps of its answer: bounded facts for the reports, never the body. The body
//! lives only while the oracle, the batch results and the read-backs use it (inside `run_case`), so a
//! run's memory grows with its case count, not with the size of the target's answers.

use crate::send::response::Response;
use serde_json::Value;

/// Most bytes of a body a finished case keeps: more than any report shows (`repro::excerpt`).
pub const KEPT_BODY_BYTES: usize = 2048;
/// Most bytes of headers (names and values) a finished case keeps; headers past it are only counted.
pub const KEPT_HEADER_BYTES: usize = 4096;
/// Most bytes of one header value kept.
pub const KEPT_HEADER_VALUE: usize = 512;
/// Most bytes of a batch answer's per-operation outcome line kept.
pub const KEPT_OPS_BYTES: usize = 2048;
/// Most bytes of an answer's `type` a verdict keeps (every documented type is far shorter).
pub const KEPT_TYPE_BYTES: usize = 256;

/// Status, bounded headers, the start of the body and its length: all a report needs of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseSummary {
    pub status: u16,
    /// Headers in the order received, values cut at [`KEPT_HEADER_VALUE`], at most [`KEPT_HEADER_BYTES`].
    pub headers: Vec<(String, Vec<u8>)>,
    /// Headers received but not kept (past [`KEPT_HEADER_BYTES`]).
    pub headers_dropped: usize,
    /// The body's first bytes, at most [`KEPT_BODY_BYTES`].
    pub excerpt: Vec<u8>,
    /// Body bytes read, at most the response-size cap.
    pub body_len: usize,
    /// True when the body was longer than the cap and the client cut it.
    pub truncated: bool,
    /// A batch answer's per-operation outcomes (`ok` or the error's type), run-length encoded.
    pub ops: Option<String>,
}

impl ResponseSummary {
    /// Summarises `response`; `batch` says whether its per-operation outcomes are worth keeping. Every
    /// form of `secrets` is redacted from what is kept before it is cut, so no report can show one, not
    /// even half of one at an excerpt's edge.
    pub fn of(response: &Response, batch: bool, secrets: &[&[u8]]) -> ResponseSummary {
        use crate::redact::redact_bytes;
        let mut headers = Vec::new();
        let (mut used, mut headers_dropped) = (0, 0);
        for (name, value) in &response.headers {
            let value = redact_bytes(value.as_bytes(), secrets);
            let value = &value[..value.len().min(KEPT_HEADER_VALUE)];
            let size = name.as_str().len() + value.len();
            if used + size > KEPT_HEADER_BYTES {
                headers_dropped += 1;
                continue;
            }
            used += size;
            headers.push((name.as_str().to_string(), value.to_vec()));
        }
        let body = &response.body;
        // Room past the kept part for a secret that starts inside it and ends outside.
        let head = redact_bytes(&body[..body.len().min(2 * KEPT_BODY_BYTES)], secrets);
        ResponseSummary {
            status: response.status,
            headers,
            headers_dropped,
            excerpt: head[..head.len().min(KEPT_BODY_BYTES)].to_vec(),
            body_len: body.len(),
            truncated: response.truncated,
            ops: batch.then(|| cut(observed_ops(body), KEPT_OPS_BYTES)),
        }
    }

    /// The first kept value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_slice())
    }

    /// The `Content-Type` header as text, if kept and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type").and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The whole body, when the kept excerpt is all of it (neither the cap nor the summary cut it).
    pub fn whole_body(&self) -> Option<&[u8]> {
        (!self.truncated && self.excerpt.len() == self.body_len).then_some(self.excerpt.as_slice())
    }

    /// A short, printable view of the body, with its full length when that is longer; the tokens of the
    /// URLs in it are left out, since an attachment URL opens its file to whoever holds it.
    pub fn body_text(&self) -> String {
        crate::send::excerpt::without_capabilities(&crate::send::excerpt::excerpt_of(&self.excerpt, self.body_len))
    }

    /// Bytes of answer data this summary holds: bounded whatever the target sent.
    pub fn kept_bytes(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
        headers + self.excerpt.len() + self.ops.as_ref().map_or(0, String::len)
    }
}

/// `text`, cut at a character boundary to at most `max` bytes plus a `…` when longer.
pub fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let end = (0..=max).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        text.truncate(end);
        text.push('…');
    }
    text
}

/// A batch answer's per-operation outcomes: `ok`, or the error's type.
fn observed_ops(body: &[u8]) -> String {
    let Ok(v) = serde_json::from_slice::<Value>(body) else { return "not JSON".into() };
    let Some(results) = v.get("operations").and_then(Value::as_array) else { return "no results".into() };
    run_length(results.iter().map(|r| match r.get("success").and_then(Value::as_bool) {
        Some(true) => "ok".to_string(),
        _ => r.pointer("/error/type").and_then(Value::as_str).unwrap_or("?").to_string(),
    }))
}

/// Items joined with `, `, each run of equal items written once as `n×item`.
pub fn run_length(items: impl Iterator<Item = String>) -> String {
    let mut runs: Vec<(String, usize)> = Vec::new();
    for item in items {
        match runs.last_mut() {
            Some((last, n)) if *last == item => *n += 1,
            _ => runs.push((item, 1)),
        }
    }
    let parts: Vec<String> = runs.into_iter().map(|(s, n)| if n == 1 { s } else { format!("{n}×{s}") }).collect();
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderName, HeaderValue};

    fn response(body: Vec<u8>, headers: HeaderMap) -> Response {
        Response { status: 400, headers, body, truncated: false }
    }

    #[test]
    fn a_large_answer_keeps_a_bounded_summary_and_a_small_one_keeps_all() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        for i in 0..64 {
            let name = HeaderName::from_bytes(format!("x-filler-{i}").as_bytes()).unwrap();
            headers.insert(name, HeaderValue::from_bytes(&[b'v'; 4000]).unwrap());
        }
        let big = ResponseSummary::of(&response(vec![b' '; 1 << 20], headers), true, &[]);
        assert_eq!(big.body_len, 1 << 20);
        assert_eq!(big.excerpt.len(), KEPT_BODY_BYTES);
        assert!(big.whole_body().is_none());
        assert!(big.kept_bytes() <= KEPT_BODY_BYTES + KEPT_HEADER_BYTES + KEPT_OPS_BYTES, "{}", big.kept_bytes());
        assert!(big.headers_dropped > 50 && big.headers.iter().all(|(_, v)| v.len() <= KEPT_HEADER_VALUE));
        assert_eq!(big.content_type(), Some("application/json"));
        assert_eq!(big.ops.as_deref(), Some("not JSON"));
        assert!(big.body_text().ends_with(&format!("({} bytes)", 1 << 20)), "{}", big.body_text());

        let small = ResponseSummary::of(&response(br#"{"type":"X"}"#.to_vec(), HeaderMap::new()), false, &[]);
        assert_eq!(small.whole_body(), Some(&br#"{"type":"X"}"#[..]));
        assert_eq!((small.ops, small.headers_dropped), (None, 0));
    }

    #[test]
    fn batch_outcomes_are_run_length_encoded_and_cut_when_long() {
        let body = serde_json::json!({"operations": [
            {"success": true}, {"success": true}, {"success": false, "error": {"type": "VALIDATION_ERROR"}}
        ]});
        let s = ResponseSummary::of(&response(body.to_string().into_bytes(), HeaderMap::new()), true, &[]);
        assert_eq!(s.ops.as_deref(), Some("2×ok, VALIDATION_ERROR"));
        let long = cut("é".repeat(KEPT_OPS_BYTES), KEPT_OPS_BYTES);
        assert!(long.len() <= KEPT_OPS_BYTES + '…'.len_utf8() && long.ends_with('…'));
    }
}
