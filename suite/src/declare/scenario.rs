//! What a case does around its main request: objects made fresh for it, expectations on a batch's
//! per-operation results, and what must hold afterwards, read back through the API (spec §6.5–§6.7).

use crate::declare::case::CaseRequest;
use crate::declare::expect::Expect;
use serde_json::{Map, Value};

/// The placeholder for fresh object `i`'s ID in a case's path and body: `{{new0}}`, `{{new1}}`, …
pub fn fresh_placeholder(i: usize) -> String {
    format!("{{{{new{i}}}}}")
}

/// An object created just before the main request, so the case can change it without touching others.
#[derive(Debug, Clone, PartialEq)]
pub struct Fresh {
    pub object_type: String,
    /// Its fields on creation (flat, not wrapped).
    pub fields: Map<String, Value>,
    /// Made in the second account (isolation cases), and read back with its credentials.
    pub foreign: bool,
}

/// Which object a read-back looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// Fresh object `i`.
    Fresh(usize),
    /// The object the main request's 2xx answer names by `id`, of this type.
    Created(String),
}

/// How a field must read back (spec §4 "read back as").
#[derive(Debug, Clone, PartialEq)]
pub enum Repr {
    /// Exactly this JSON (numbers compared by value, so `1.0` equals `1`).
    Exact(Value),
    /// `null` or the key absent: the field was cleared or never set.
    Cleared,
    /// One choice object `{"key","display"}` with this key and a string display.
    Choice(Value),
    /// Choice objects `{"key","display"}` with these keys, in any order.
    ChoiceKeys(Vec<Value>),
    /// The ID of fresh object `i` (a belongs-to field).
    FreshId(usize),
    /// An object with these numeric members (location), other members ignored.
    Members(Map<String, Value>),
    /// A location with these numeric members and the `timestamp` of its fix, present in whatever form
    /// the service writes datetimes.
    LocationFix(Map<String, Value>),
    /// An attachment object whose `state` is one of the documented states.
    Attachment,
}

/// A property that must hold after the main request.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// Fresh object `i` reads back exactly as it did before the request (a failed write changes nothing).
    Unchanged(usize),
    /// A follow-up request, judged by the oracle like any case (e.g. GET after DELETE → OBJECT_NOT_FOUND).
    Request(Box<CaseRequest>, Expect),
    /// A field of an object reads back in the documented representation.
    ReadBack { subject: Subject, field: String, repr: Repr },
    /// No object of this type has this marker in this text field (a failed create left nothing).
    NoObjectMarked { object_type: String, field: String, marker: String },
    /// The upload in this field names a URL on the target, and fetching it answers a 3xx with a Location
    /// (checked without following it).
    AttachmentRedirect { subject: Subject, field: String },
    /// The upload in this field names a URL that is fetched with no credentials at all, as the vendor's db
    /// client fetches it (`Attachment.ts`): the URL and, when it redirects, its `Location` answer 2xx.
    CapabilityFetch { subject: Subject, field: String },
    /// Exactly one object of this type has this marker (the write happened once).
    OneObjectMarked { object_type: String, field: String, marker: String },
    /// The main answer (or, with `read`, the answer to that follow-up request) names none of the foreign
    /// fresh objects, by ID or by marker; with `oplog`, neither does any later page of the first account's
    /// oplog (read to its end or a bound).
    NothingForeign { read: Option<Box<CaseRequest>>, oplog: bool },
    /// The main 2xx answer carries what the case's clause says it does (judged with the main answer).
    Shows(Shows),
    /// The oplog, paged as the vendor's client pages it, holds every write made to fresh object `i` (its
    /// create and the main request's batch of patches) exactly once, and `tail=true` gives the newest.
    OplogPages(usize),
}

/// What a success answer must carry beyond its status, as the case's clause states it.
#[derive(Debug, Clone, PartialEq)]
pub enum Shows {
    /// `total=true`: a top-level `total`, a whole number no smaller than `count`.
    Total,
    /// `embed[]=<relation>`: fresh object `subject`, when listed, carries `relation` as an object (or
    /// null, if the related object is gone) whose `id` is fresh object `related`'s.
    Embeds { subject: usize, relation: String, related: usize },
    /// A sort: fresh object `first` is listed before fresh object `then` (judged when both are listed).
    Before { first: usize, then: usize },
    /// A search or filter that matches fresh object `i`: it is among the answer's objects.
    Lists(usize),
    /// A filter that must not match fresh object `i`: it is not among the answer's objects.
    Omits(usize),
    /// A `.xml` suffix: the body is an XML document, not JSON.
    Xml,
    /// A list-shaped answer whose matches the suite knows exactly (its own marked objects): the page is
    /// exactly their window, with `count`, `total` and `more` to match.
    Window(Window),
    /// A list page of at most this many objects, whose `count` (when present) is its length.
    AtMost(usize),
}

/// The expected result of one batch operation (spec §5).
#[derive(Debug, Clone, PartialEq)]
pub enum OpExpect {
    /// `success: true`.
    Success,
    /// `success: false` with an error body the oracle judges against this expectation.
    Error(Expect),
}

/// Everything around a case's main request; empty for a plain one-request case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    pub fresh: Vec<Fresh>,
    /// One expectation per operation, when the main request is a well-formed batch.
    pub batch: Option<Vec<OpExpect>>,
    pub after: Vec<After>,
}

impl Scenario {
    /// Whether the case writes anything (for read-only mode), beyond its main request's method.
    pub fn writes(&self) -> bool {
        !self.fresh.is_empty()
    }

    /// No fresh objects, no batch expectations, no checks.
    pub fn is_empty(&self) -> bool {
        self.fresh.is_empty() && self.batch.is_none() && self.after.is_empty()
    }
}

impl After {
    /// The claim about the main answer, if this check is one.
    pub fn shows(&self) -> Option<&Shows> {
        match self {
            After::Shows(claim) => Some(claim),
            _ => None,
        }
    }
}

/// A fresh object's fields with the IDs of the fresh objects made before it in place of their placeholders.
pub fn fill_fields(fields: &Map<String, Value>, ids: &[String]) -> Map<String, Value> {
    let fill_text = |text: &str| String::from_utf8_lossy(&fill(text.as_bytes(), ids)).into_owned();
    fields
        .iter()
        .map(|(k, v)| match v {
            Value::String(text) if text.contains("{{new") => (k.clone(), Value::String(fill_text(text))),
            other => (k.clone(), other.clone()),
        })
        .collect()
}

/// Replaces every fresh placeholder in `bytes` with its ID.
pub fn fill(bytes: &[u8], ids: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for (i, id) in ids.iter().enumerate() {
        let needle = fresh_placeholder(i).into_bytes();
        if out.windows(needle.len()).any(|w| w == needle.as_slice()) {
            out = replace_all(&out, &needle, id.as_bytes());
        }
    }
    out
}

fn replace_all(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_in_path_and_body() {
        let ids = vec!["a-1".to_string(), "b-2".to_string()];
        assert_eq!(fill(b"/x/{{new0}}.json?{{new1}}", &ids), b"/x/a-1.json?b-2".to_vec());
        assert_eq!(fill(b"no placeholder", &ids), b"no placeholder".to_vec());
    }
}

/// The page a request must get, in terms of the case's fresh objects.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// The fresh objects the request matches, in the order the answer must list them when `ordered`.
    pub matches: Vec<usize>,
    /// Whether the request sorts, so the page's order and the window's place are known.
    pub ordered: bool,
    /// Matches the page starts after (`skip`); only meaningful when `ordered`.
    pub skip: usize,
    /// At most this many objects on the page (`limit`), when the request sets one.
    pub limit: Option<usize>,
}

/// The writes the oplog-pages case makes: its fresh object's create and the batch's patches.
pub const OPLOG_WRITES: usize = 5;
