//! The structured `request` target's grammar: an arbitrary method, path, credentials and body, and the
//! outcomes the spec allows for each combination (those a route allows: `route_outcomes.rs`).

use super::route_outcomes::{capability_path, route_outcomes};
use super::*;
use crate::properties::PropCase;
use arbitrary::Arbitrary;
use journey_conformance::declare::case::{Auth, CaseRequest};
use journey_conformance::declare::ctx::{Ctx, UNKNOWN_ACCOUNT};
use journey_conformance::declare::expect::{Expect, Outcome};
use journey_conformance::declare::families::ids::encode_segment;
use journey_conformance::declare::request_body::Body;
use journey_conformance::ErrorType::{
    AccountNotFound, AuthenticationFailed, InvalidApiRequest, ObjectNotFound, RouteError,
};

#[derive(Debug, Clone, Arbitrary)]
pub enum MethodChoice {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Trace,
    Other(String),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum AccountChoice {
    Primary,
    Secondary,
    Unknown,
    Raw(String),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum Seg {
    Objects,
    Type,
    OtherModel,
    UnknownType,
    Fixture,
    UnknownId,
    DataModel,
    Oplog,
    Batch,
    Empty,
    Raw(String),
    // The vendor clients' routes beyond spec §1 (`info.json`, `indexes.json`, `datamodel.xml`,
    // `objects/{type}/query.json`, `…/search.json`), reached by name rather than by luck.
    Info,
    Indexes,
    DataModelXml,
    Query,
    Search,
    // `unit` repeated to the length one integer of the input gives (`repeated`): a long request-target
    // in one mutation, where a `Raw` string as long takes as many input bytes, which the fuzzer seldom grows.
    Repeat(u16, String),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum AuthChoice {
    Primary,
    Secondary,
    None,
    WrongPassword,
    Bearer(String),
    Raw(Vec<u8>),
    PrimaryPlus(Vec<u8>),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum ContentType {
    Json,
    JsonCharset,
    Missing,
    Text,
    Form,
    Raw(Vec<u8>),
}

#[derive(Debug, Clone, Arbitrary)]
pub enum BodyChoice {
    None,
    Wrapped,
    Batch,
    Bytes(Vec<u8>),
}

/// A structured arbitrary request: method, account, path segments, query, credentials, body.
#[derive(Debug, Clone, Arbitrary)]
pub struct FuzzRequest {
    pub method: MethodChoice,
    pub account: AccountChoice,
    pub segments: Vec<Seg>,
    pub json_suffix: bool,
    pub query: Option<String>,
    pub auth: AuthChoice,
    pub content_type: ContentType,
    pub body: BodyChoice,
}

use journey_conformance::declare::spec::generated::MANY_FAULTS;
/// The docs name no limit on the request-target (path and query), so past the length many clients and
/// servers stop at (2,048 bytes: IIS's default query limit, the sitemap protocol's URL limit) a target
/// may refuse it as a request that is not valid (INVALID_API_REQUEST, the JSON error body); any other
/// refusal, such as a front end's HTML 414 page, breaks §6.1 as any error without that body does.
pub const LONG_TARGET: usize = 2048;
/// RFC 9112 §3 asks every recipient to take request lines of at least 8,000 octets; past that, a front
/// end's own refusal (an HTML 414) is HTTP as it is meant to be, so the grammar makes no such request.
pub const MAX_REQUEST_LINE: usize = 8000;
/// The longest a [`Seg::Repeat`] segment grows, sent: one integer of the input scaled to 0..4 KiB, so
/// over a third of them pass the 2,560 bytes a small front-end buffer holds.
const MAX_REPEAT: usize = 4095;
/// Characters kept as they are in a generated query; the rest is percent-encoded.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'=')
    .remove(b'&')
    .remove(b'[')
    .remove(b']')
    .remove(b'_')
    .remove(b'-')
    .remove(b'.');

impl FuzzRequest {
    fn method(&self) -> String {
        match &self.method {
            MethodChoice::Get => "GET".into(),
            MethodChoice::Head => "HEAD".into(),
            MethodChoice::Post => "POST".into(),
            MethodChoice::Put => "PUT".into(),
            MethodChoice::Patch => "PATCH".into(),
            MethodChoice::Delete => "DELETE".into(),
            MethodChoice::Options => "OPTIONS".into(),
            MethodChoice::Trace => "TRACE".into(),
            MethodChoice::Other(t) => t.clone(),
        }
    }

    /// The decoded path segments below the account, as the route table sees them.
    fn segments(&self, h: &Shape) -> Vec<String> {
        let ctx = &h.ctx;
        let other_model = h.model_types.iter().find(|t| **t != ctx.object_type).cloned().unwrap_or_default();
        let mut segs: Vec<String> = self
            .segments
            .iter()
            .take(5)
            .map(|s| match s {
                Seg::Objects => "objects".into(),
                Seg::Type => ctx.object_type.clone(),
                Seg::OtherModel => other_model.clone(),
                Seg::UnknownType => "jc_no_such_type".into(),
                Seg::Fixture => ctx.existing_id.clone(),
                Seg::UnknownId => ctx.unknown_id.clone(),
                Seg::DataModel => "datamodel".into(),
                Seg::Oplog => "oplog".into(),
                Seg::Batch => "batch".into(),
                Seg::Empty => String::new(),
                Seg::Raw(s) => s.clone(),
                Seg::Info => "info".into(),
                Seg::Indexes => "indexes".into(),
                Seg::DataModelXml => "datamodel.xml".into(),
                Seg::Query => "query".into(),
                Seg::Search => "search".into(),
                Seg::Repeat(len, unit) => repeated(*len, unit),
            })
            .collect();
        if self.json_suffix {
            match segs.last_mut() {
                Some(last) => last.push_str(".json"),
                None => segs.push(".json".into()),
            }
        }
        segs
    }

    fn account(&self, ctx: &Ctx) -> String {
        match &self.account {
            AccountChoice::Primary => ctx.account.clone(),
            AccountChoice::Secondary => ctx.second_account.clone().unwrap_or_default(),
            AccountChoice::Unknown => UNKNOWN_ACCOUNT.into(),
            AccountChoice::Raw(s) => s.clone(),
        }
    }

    /// The request and what the spec allows as its answer; `None` when the path, as an HTTP client
    /// sends it, leaves `{prefix}/api/v4/{account}` (a `..` above the account: no API request at all).
    pub fn case(&self, h: &Shape) -> Option<PropCase> {
        let ctx = &h.ctx;
        let method = self.method();
        let (account, segs, mut path) = sent_path(ctx, &self.account(ctx), self.segments(h))?;
        if let Some(q) = &self.query {
            path.push('?');
            path.extend(percent_encoding::utf8_percent_encode(q, QUERY).map(str::to_string));
        }
        let target_len = path.len();
        if method.len() + target_len + " HTTP/1.1".len() >= MAX_REQUEST_LINE {
            return None;
        }
        let auth = match &self.auth {
            AuthChoice::Primary => Auth::Primary,
            // With one account configured the session sends the first account's credentials for
            // `Auth::Secondary`; saying so here keeps the request and its expectation one thing.
            AuthChoice::Secondary if ctx.second_account.is_none() => Auth::Primary,
            AuthChoice::Secondary => Auth::Secondary,
            AuthChoice::None => Auth::None,
            AuthChoice::WrongPassword => {
                use base64::Engine;
                let v = base64::engine::general_purpose::STANDARD.encode(format!("{}:wrong-password", ctx.account));
                Auth::Raw(vec![format!("Basic {v}").into_bytes()])
            }
            // Wrong credentials are secrets too (none may come back), so each carries a marker that
            // ordinary answer text cannot contain: a token like `ion/json` would otherwise "leak"
            // through every `Content-Type: application/json`.
            AuthChoice::Bearer(t) => Auth::Raw(vec![format!("Bearer {FAKE}{t}").into_bytes()]),
            AuthChoice::Raw(v) => Auth::Raw(vec![mark(v)]),
            AuthChoice::PrimaryPlus(v) => Auth::PrimaryPlus(vec![mark(v)]),
        };
        let mut request = CaseRequest::new(&method, path).auth(auth);
        let json_ct = match &self.content_type {
            ContentType::Json => {
                Some(true).inspect(|_| request.headers.push(("content-type".into(), b"application/json".to_vec())))
            }
            ContentType::JsonCharset => Some(true).inspect(|_| {
                request.headers.push(("content-type".into(), b"application/json; charset=utf-8".to_vec()))
            }),
            ContentType::Missing => Some(false),
            ContentType::Text => {
                Some(false).inspect(|_| request.headers.push(("content-type".into(), b"text/plain".to_vec())))
            }
            ContentType::Form => Some(false).inspect(|_| {
                request.headers.push(("content-type".into(), b"application/x-www-form-urlencoded".to_vec()))
            }),
            ContentType::Raw(v) => {
                let media = v.split(|b| *b == b';').next().unwrap_or_default().trim_ascii();
                request.headers.push(("content-type".into(), v.clone()));
                Some(media.eq_ignore_ascii_case(b"application/json"))
            }
        }
        .unwrap_or(false);
        request.body = match &self.body {
            BodyChoice::None => None,
            BodyChoice::Wrapped => Some(ctx.wrapped_body().into()),
            BodyChoice::Batch => Some(ctx.batch_body().into()),
            BodyChoice::Bytes(b) => Some(b.clone().into()),
        };
        let mut expect = self.expect(
            h,
            &method,
            &account,
            &segs,
            json_ct,
            request.body.as_ref().and_then(Body::as_bytes).unwrap_or_default(),
        );
        if target_len > LONG_TARGET {
            expect =
                Expect::any_of(&[&expect.outcomes[..], &[Outcome::Error(InvalidApiRequest)]].concat(), MANY_FAULTS);
        }
        Some(PropCase { what: "structured request".into(), spec: MANY_FAULTS, request, expect })
    }

    /// Whether the body is labelled a form, which the docs' own update example sends: a target may then
    /// read `task[field]=value` pairs from it, so any value-level answer is possible.
    fn form_ct(&self) -> bool {
        let form = b"application/x-www-form-urlencoded";
        match &self.content_type {
            ContentType::Form => true,
            ContentType::Raw(v) => {
                v.split(|b| *b == b';').next().unwrap_or_default().trim_ascii().eq_ignore_ascii_case(form)
            }
            _ => false,
        }
    }

    /// Spec §1's route table, §3's types and §7's several-faults rule applied to this request.
    fn expect(&self, h: &Shape, method: &str, account: &str, segs: &[String], json_ct: bool, body: &[u8]) -> Expect {
        let ctx = &h.ctx;
        let mut faults: Vec<Outcome> = Vec::new();
        let (auth_ok, auth_account) = match &self.auth {
            AuthChoice::Primary => (true, ctx.account.clone()),
            // Sent as the first account's credentials when there is no second one (see `case`).
            AuthChoice::Secondary => (true, ctx.second_account.clone().unwrap_or_else(|| ctx.account.clone())),
            // Two Authorization headers, one of them right: the docs do not say which one counts.
            AuthChoice::PrimaryPlus(_) => (false, ctx.account.clone()),
            _ => (false, String::new()),
        };
        let lenient_auth = matches!(self.auth, AuthChoice::PrimaryPlus(_));
        if !auth_ok {
            faults.push(Outcome::Error(AuthenticationFailed));
        }
        if account.is_empty() {
            // `/api/v4//…`: an empty segment changes the path's shape (§7 path tricks).
            faults.push(Outcome::Error(RouteError));
        }
        let known_account = account == ctx.account || Some(account) == ctx.second_account.as_deref();
        if !known_account || (auth_ok && account != auth_account) {
            faults.push(Outcome::Error(AccountNotFound));
        }
        let route = route_outcomes(h, method, segs, (json_ct, self.form_ct()), body, self.query.is_some());
        let mut outcomes = match route {
            None => {
                faults.push(Outcome::Error(RouteError));
                if capability_path(method, segs) {
                    // An attachment URL is the target's own (the docs fix none) and a capability: one that
                    // opens nothing is not found, whatever credentials came with it.
                    faults.push(Outcome::Error(ObjectNotFound));
                }
                faults
            }
            Some((certain, possible)) => {
                faults.extend(certain);
                if faults.is_empty() || (lenient_auth && faults.len() == 1) {
                    faults.extend(possible);
                    faults
                } else {
                    faults.extend(possible.into_iter().filter(|o| matches!(o, Outcome::Error(_))));
                    faults
                }
            }
        };
        if method == "OPTIONS" {
            outcomes.push(Outcome::EmptySuccess);
        }
        Expect::any_of(&outcomes, MANY_FAULTS)
    }
}

/// The account and the segments below it as an HTTP client sends them, and the encoded path: URL
/// parsing (reqwest's, a browser's, curl's) removes `.` and `..` segments before sending, so the grammar
/// resolves them the same way (WHATWG URL path state) and judges the path that goes on the wire.
/// `None` when the resolved path no longer lies below `{prefix}/api/v4/{account}`.
fn sent_path(ctx: &Ctx, account: &str, segs: Vec<String>) -> Option<(String, Vec<String>, String)> {
    let prefix: Vec<(String, String)> =
        ctx.prefix.split('/').filter(|p| !p.is_empty()).map(|p| (p.to_string(), p.to_string())).collect();
    let base = prefix.len() + 2;
    let mut all = prefix.clone();
    all.extend(["api", "v4"].map(|p| (p.to_string(), p.to_string())));
    all.extend(std::iter::once(account.to_string()).chain(segs).map(|s| (encode_segment(s.as_bytes()), s)));
    let last = all.len() - 1;
    let mut sent: Vec<(String, String)> = Vec::with_capacity(all.len());
    for (i, seg) in all.into_iter().enumerate() {
        let dots = dot_segment(&seg.0);
        if dots == 2 {
            sent.pop();
        }
        if dots > 0 && i == last {
            // A trailing `.` or `..` leaves the path ending in `/`.
            sent.push((String::new(), String::new()));
        } else if dots == 0 {
            sent.push(seg);
        }
    }
    let under_api = sent.len() > base
        && sent[..prefix.len()] == prefix[..]
        && sent[prefix.len()].0 == "api"
        && sent[prefix.len() + 1].0 == "v4";
    if !under_api {
        return None;
    }
    let path: String = sent.iter().flat_map(|(enc, _)| ["/", enc.as_str()]).collect();
    let mut decoded = sent.into_iter().skip(base).map(|(_, dec)| dec);
    let account = decoded.next()?;
    Some((account, decoded.collect(), path))
}

/// 1 for a `.` segment, 2 for `..`, as the WHATWG URL parser counts them (`%2e` is a dot too), else 0.
fn dot_segment(encoded: &str) -> u8 {
    match encoded.to_ascii_lowercase().as_str() {
        "." | "%2e" => 1,
        ".." | ".%2e" | "%2e." | "%2e%2e" => 2,
        _ => 0,
    }
}

/// `unit` (`a` when empty) repeated as often as fits in `len` scaled to 0..=[`MAX_REPEAT`] bytes once
/// percent-encoded, so the length on the wire is the input's whatever the unit's characters.
fn repeated(len: u16, unit: &str) -> String {
    let unit = if unit.is_empty() { "a" } else { unit };
    let wire = usize::from(len) * MAX_REPEAT / usize::from(u16::MAX);
    unit.repeat(wire / encode_segment(unit.as_bytes()).len())
}

/// The marker every generated fake credential carries (see [`FuzzRequest::case`]).
const FAKE: &str = "jcfz-";

/// Puts [`FAKE`] where the credential part of an `Authorization` value starts (after the scheme word).
fn mark(value: &[u8]) -> Vec<u8> {
    let at = value.iter().position(|b| *b == b' ').map_or(0, |i| i + 1);
    [&value[..at], FAKE.as_bytes(), &value[at..]].concat()
}
