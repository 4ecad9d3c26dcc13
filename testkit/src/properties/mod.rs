//! Property tests: one strategy per input family, each generated input turned into a request and
//! an expectation derived from the spec (never from a generation-time flag), judged by
//! [`oracle::judge`] like every fixed case. The fuzz targets (`crate::fuzz`) reuse the classifiers.

pub mod filenames;
pub mod ids;
pub mod json;
pub mod malformed_json;
pub mod methods;
pub mod query;
#[cfg(feature = "http")]
pub mod stateful;

use journey_conformance::declare::case::CaseRequest;
use journey_conformance::declare::expect::Expect;
use journey_conformance::declare::request_body::Body;
use journey_conformance::oracle::{self, Profile, RequestFacts, Verdict, Violation};
use journey_conformance::send::response::{Response, Retried};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One generated request with what the spec allows as its answer.
#[derive(Debug, Clone)]
pub struct PropCase {
    /// A short description of the generated input (shown on failure).
    pub what: String,
    /// The spec sentence the expectation rests on.
    pub spec: &'static journey_conformance::declare::spec::Clause,
    pub request: CaseRequest,
    pub expect: Expect,
}

/// Judges one answer to a generated request, with the same oracle and the same echo rules as cases.
pub fn judge(case: &PropCase, secrets: &[Vec<u8>], response: &Response, profile: Profile) -> Verdict {
    with_facts(&case.request, secrets, |facts| oracle::judge(facts, &case.expect, response, profile))
}

/// The findings on the 429s the client retried before `req`'s answer, each held to the error contract
/// as the fixed cases' are and named by the request's method and path. `secrets` is asked for only when
/// a 429 was retried, which most requests never see.
pub fn judge_retried(
    req: &CaseRequest,
    secrets: impl FnOnce() -> Vec<Vec<u8>>,
    retried: &Retried,
    profile: Profile,
) -> Vec<Violation> {
    if retried.kept.is_empty() {
        return Vec::new();
    }
    let label = format!("{} {}", req.method, req.path);
    with_facts(req, &secrets(), |facts| oracle::seen::retried(facts, &label, retried, profile))
}

/// What the oracle knows of `req`: its method, the secrets it carried and its own text (echoes are no leaks).
fn with_facts<T>(req: &CaseRequest, secrets: &[Vec<u8>], f: impl FnOnce(&RequestFacts) -> T) -> T {
    let secret_refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let sent = oracle::sent_parts_borrowed(&req.path, &req.headers, req.body.as_ref().and_then(Body::as_bytes));
    let sent_refs: Vec<&[u8]> = sent.iter().map(|p| p.as_ref()).collect();
    f(&RequestFacts { method: &req.method, secrets: &secret_refs, sent: &sent_refs })
}

/// Counts of observed outcomes (status + type), for the per-property snapshot.
#[derive(Debug, Default, Clone)]
pub struct Histogram {
    counts: BTreeMap<String, usize>,
    pub total: usize,
}

impl Histogram {
    pub fn add(&mut self, verdict: &Verdict) {
        *self.counts.entry(verdict.observed.to_string()).or_default() += 1;
        self.total += 1;
    }

    /// One line per outcome, sorted: `404 ROUTE_ERROR  37`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (outcome, n) in &self.counts {
            let _ = writeln!(out, "{outcome:<28} {n}");
        }
        let _ = writeln!(out, "{:<28} {}", "total", self.total);
        out
    }
}

/// The fields of the object type that hold files (attachment, photo, signature), from the data model.
pub fn file_fields(datamodel: &serde_json::Value, object_type: &str) -> Vec<String> {
    let fields = datamodel.pointer(&format!("/models/{object_type}/fields")).and_then(|f| f.as_object());
    let mut out: Vec<String> = fields
        .map(|f| {
            f.iter()
                .filter(|(_, spec)| {
                    matches!(spec.get("type").and_then(|t| t.as_str()), Some("attachment" | "photo" | "signature"))
                })
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The body keys a create/update of `object_type` may carry per the data model: its fields and
/// `{rel}_id` for each `belongs_to`.
pub fn known_keys(datamodel: &serde_json::Value, object_type: &str) -> Vec<String> {
    let model = datamodel.pointer(&format!("/models/{object_type}"));
    let mut keys: Vec<String> = model
        .and_then(|m| m.get("fields"))
        .and_then(|f| f.as_object())
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(rels) = model.and_then(|m| m.get("belongs_to")).and_then(|b| b.as_object()) {
        keys.extend(rels.keys().map(|r| format!("{r}_id")));
    }
    keys.sort();
    keys
}
