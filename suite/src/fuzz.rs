//! Fuzz-target logic, shared by the cargo-fuzz targets (`fuzz/`), regression replay
//! (`tests/regressions.rs`) and the broken-variant tests: bytes → request → in-process reference
//! → [`crate::oracle`]. Any oracle violation is a finding (the fuzz target panics on it).

use crate::case::{Auth, CaseRequest};
use crate::ctx::{Ctx, UNKNOWN_ACCOUNT};
use crate::expect::{Expect, Outcome};
use crate::families::ids::encode_segment;
use crate::inprocess::{InProcess, Wrap};
use crate::oracle::{Profile, Verdict};
use crate::properties::json::{expect_batch_body, expect_object_body, BodyRoute};
use crate::properties::{self, filenames, malformed_json, PropCase};
use crate::ErrorType::{
    AccountNotFound, AuthenticationFailed, InvalidApiRequest, InvalidValue, ObjectNotFound, RouteError,
};
use arbitrary::{Arbitrary, Unstructured};
use std::fmt;

/// The fuzz targets; the name is the cargo-fuzz target name and the regression files' `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Request,
    JsonBody,
    Filename,
    Batch,
}

impl Target {
    pub const ALL: [Target; 4] = [Target::Request, Target::JsonBody, Target::Filename, Target::Batch];

    pub fn name(self) -> &'static str {
        match self {
            Target::Request => "request",
            Target::JsonBody => "json_body",
            Target::Filename => "filename",
            Target::Batch => "batch",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// What the classifiers need to know of a target, computed once per target instance.
#[derive(Debug, Clone)]
pub struct Shape {
    pub ctx: Ctx,
    pub model_types: Vec<String>,
    pub datamodel: serde_json::Value,
    /// The data model's keys of `ctx.object_type` ([`properties::known_keys`]).
    pub known: Vec<String>,
    /// Its attachment/photo/signature fields ([`properties::file_fields`]).
    pub file_fields: Vec<String>,
}

impl Shape {
    pub fn new(ctx: Ctx, datamodel: serde_json::Value) -> Shape {
        let model_types = datamodel
            .get("models")
            .and_then(|m| m.as_object())
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let known = properties::known_keys(&datamodel, &ctx.object_type);
        let file_fields = properties::file_fields(&datamodel, &ctx.object_type);
        Shape { ctx, model_types, datamodel, known, file_fields }
    }

    pub fn of(h: &InProcess) -> Shape {
        Shape::new(h.ctx.clone(), h.datamodel.clone())
    }
}

/// An oracle violation (or a request the target could not answer): everything needed to report it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub case: PropCase,
    pub verdict: Option<Verdict>,
    /// The observed answer, shortened; or why there was none.
    pub observed: String,
    pub curl: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "oracle violation: {}", self.case.what)?;
        writeln!(f, "  spec:     {}", self.case.spec)?;
        writeln!(f, "  request:  {} {}", self.case.request.method, self.case.request.path)?;
        writeln!(f, "  expected: {}", self.case.expect)?;
        writeln!(f, "  observed: {}", self.observed)?;
        if let Some(v) = &self.verdict {
            for violation in &v.violations {
                writeln!(f, "  broken:   [{}] {}", violation.rule, violation.message)?;
            }
        }
        write!(f, "  repro:    {}", self.curl)
    }
}

/// The in-process reference a process fuzzes, rebuilt every [`Harness::RESET_EVERY`] inputs so the
/// store stays small (fast lists) and a finding rarely depends on a long history.
pub struct Harness {
    wrap: Wrap,
    inner: InProcess,
    shape: Shape,
    execs: u64,
}

impl Harness {
    pub const RESET_EVERY: u64 = 4096;

    pub fn new(wrap: Wrap) -> Harness {
        let inner = InProcess::wrapped(wrap);
        Harness { wrap, shape: Shape::of(&inner), inner, execs: 0 }
    }

    /// The unmodified reference.
    pub fn reference() -> Harness {
        Harness::new(|r| r)
    }

    pub fn target(&self) -> &InProcess {
        &self.inner
    }

    /// Runs one input through a target: `Ok(None)` when the bytes make no request (skipped),
    /// `Ok(Some(verdict))` when the oracle passed the answer, `Err` for a finding.
    pub fn check(&mut self, target: Target, data: &[u8]) -> Result<Option<Verdict>, Box<Finding>> {
        self.execs += 1;
        if self.execs.is_multiple_of(Self::RESET_EVERY) {
            self.inner = InProcess::wrapped(self.wrap);
            self.shape = Shape::of(&self.inner);
        }
        let Some(case) = case_for(&self.shape, target, data) else { return Ok(None) };
        run(&self.inner, &case).map_err(|f| described(f, target, data))
    }
}

/// What a fuzz process sends its inputs to: the in-process reference, or (with `JOURNEY_API_URL`)
/// the configured target over HTTP through [`crate::session::Session`].
#[allow(clippy::large_enum_variant)] // one per fuzz process, built once
pub enum Runner {
    InProcess(std::sync::Mutex<Harness>),
    Http { session: Box<crate::session::Session>, rt: tokio::runtime::Runtime, shape: Shape },
}

impl Runner {
    /// The process-wide runner, built on first use (once per fuzz process).
    pub fn global() -> &'static Runner {
        static RUNNER: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();
        RUNNER.get_or_init(|| Runner::from_env().unwrap_or_else(|e| panic!("journey-conformance fuzz: {e}")))
    }

    pub fn from_env() -> Result<Runner, String> {
        let settings = crate::config::Settings::from_env().map_err(|e| e.to_string())?;
        if settings.target == crate::config::TargetSpec::Embedded {
            return Ok(Runner::InProcess(std::sync::Mutex::new(Harness::reference())));
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let session = rt.block_on(crate::session::Session::start(settings)).map_err(|e| e.to_string())?;
        let req = CaseRequest::new("GET", format!("{}/datamodel.json", session.ctx.base()));
        let resp = rt.block_on(session.client.send(&session.wire(&req))).map_err(|e| e.to_string())?;
        let datamodel = serde_json::from_slice(&resp.body).map_err(|e| e.to_string())?;
        let shape = Shape::new(session.ctx.clone(), datamodel);
        Ok(Runner::Http { session: Box::new(session), rt, shape })
    }

    /// Checks one input; any finding panics with its report (libFuzzer then saves the input).
    pub fn check_or_panic(&self, target: Target, data: &[u8]) {
        let result = match self {
            Runner::InProcess(h) => h.lock().unwrap_or_else(|p| p.into_inner()).check(target, data),
            Runner::Http { session, rt, shape } => match case_for(shape, target, data) {
                None => Ok(None),
                Some(case) => run_http(session, rt, &case).map_err(|f| described(f, target, data)),
            },
        };
        if let Err(finding) = result {
            panic!("{finding}");
        }
    }
}

/// Checks one input against the in-process reference only: a fuzz build that calls this and never
/// [`Runner::global`] links no HTTP client (reqwest, rustls, ring…), so libFuzzer scans about a
/// quarter fewer coverage counters per input. With `JOURNEY_API_URL` set it refuses to start
/// rather than quietly fuzz the reference instead.
pub fn check_in_process_or_panic(target: Target, data: &[u8]) {
    static HARNESS: std::sync::OnceLock<std::sync::Mutex<Harness>> = std::sync::OnceLock::new();
    let harness = HARNESS.get_or_init(|| {
        match crate::config::Settings::from_env() {
            Ok(s) if s.target == crate::config::TargetSpec::Embedded => {}
            Ok(_) => panic!("journey-conformance fuzz: JOURNEY_API_URL is set, but this build is in-process only: build with `--features http`"),
            Err(e) => panic!("journey-conformance fuzz: {e}"),
        }
        std::sync::Mutex::new(Harness::reference())
    });
    if let Err(finding) = harness.lock().unwrap_or_else(|p| p.into_inner()).check(target, data) {
        panic!("{finding}");
    }
}

fn run_http(
    session: &crate::session::Session,
    rt: &tokio::runtime::Runtime,
    case: &PropCase,
) -> Result<Option<Verdict>, Box<Finding>> {
    let wire = session.wire(&case.request);
    let secrets = session.secrets(&case.request);
    let curl = || crate::report::curl_request(&session.primary, session.secondary.as_ref(), &case.request);
    match rt.block_on(session.client.send(&wire)) {
        Ok(response) => {
            session.record_created(&case.request.method, &response);
            let verdict = properties::judge(case, &secrets, &response, session.settings.profile);
            if verdict.passed() {
                return Ok(Some(verdict));
            }
            let observed = crate::report::redact(
                &format!("{}  body: {}", verdict.observed, crate::report::excerpt(&response.body)),
                &secrets,
            );
            Err(Box::new(Finding { case: case.clone(), verdict: Some(verdict), observed, curl: curl() }))
        }
        Err(crate::client::TransportError::Build(_)) => Ok(None),
        Err(e) => Err(Box::new(Finding {
            case: case.clone(),
            verdict: None,
            observed: format!("no answer: {e}"),
            curl: curl(),
        })),
    }
}

/// Sends a generated case in-process and judges the answer; requests HTTP cannot carry are skipped.
pub fn run(h: &InProcess, case: &PropCase) -> Result<Option<Verdict>, Box<Finding>> {
    let wire = h.wire(&case.request);
    let Ok(request) = crate::inprocess::to_axum(&wire) else { return Ok(None) };
    let secrets = h.secrets(&case.request);
    let finding = |verdict: Option<Verdict>, observed: String| {
        let curl = crate::report::curl_request(&h.primary, Some(&h.secondary), &case.request);
        Box::new(Finding { case: case.clone(), verdict, observed: crate::report::redact(&observed, &secrets), curl })
    };
    match h.send_axum(request) {
        Ok(response) => {
            let verdict = properties::judge(case, &secrets, &response, Profile::Documented);
            if verdict.passed() {
                Ok(Some(verdict))
            } else {
                let observed = format!("{}  body: {}", verdict.observed, crate::report::excerpt(&response.body));
                Err(finding(Some(verdict), observed))
            }
        }
        Err(e) => Err(finding(None, format!("no answer: {e}"))),
    }
}

/// A finding of the `request` target names the whole structured input; built only for a finding,
/// since formatting it for every input cost more than a percent of the fuzzer's time.
fn described(mut finding: Box<Finding>, target: Target, data: &[u8]) -> Box<Finding> {
    if target == Target::Request {
        if let Ok(req) = FuzzRequest::arbitrary_take_rest(Unstructured::new(data)) {
            finding.case.what = format!("structured request {req:?}");
        }
    }
    finding
}

/// The case a target makes of some bytes (`None`: the bytes make no request).
pub fn case_for(h: &Shape, target: Target, data: &[u8]) -> Option<PropCase> {
    let known = &h.known;
    match target {
        Target::Request => {
            let req = FuzzRequest::arbitrary_take_rest(Unstructured::new(data)).ok()?;
            Some(req.case(h))
        }
        Target::JsonBody => {
            let (&first, rest) = data.split_first()?;
            let route = [BodyRoute::Create, BodyRoute::Patch, BodyRoute::Put][first as usize % 3];
            Some(malformed_json::case_for_body(&h.ctx, known, route, rest.to_vec()))
        }
        Target::Batch => Some(malformed_json::case_for_body(&h.ctx, known, BodyRoute::Batch, data.to_vec())),
        Target::Filename => {
            let (&first, rest) = data.split_first()?;
            let name = String::from_utf8_lossy(rest).into_owned();
            (!h.file_fields.is_empty()).then(|| filenames::case(&h.ctx, &h.file_fields, &(name, first as usize)))
        }
    }
}

// ---- the structured `request` target ---------------------------------------------------------

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

const MANY_FAULTS: &str = "§7 several faults at once: the type of any one of them is a correct reading";
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

    /// The request and what the spec allows as its answer.
    pub fn case(&self, h: &Shape) -> PropCase {
        let ctx = &h.ctx;
        let method = self.method();
        let account = self.account(ctx);
        let segs = self.segments(h);
        let mut path = format!("{}/api/v4/{}", ctx.prefix, encode_segment(account.as_bytes()));
        for s in &segs {
            path.push('/');
            path.push_str(&encode_segment(s.as_bytes()));
        }
        if let Some(q) = &self.query {
            path.push('?');
            path.extend(percent_encoding::utf8_percent_encode(q, QUERY).map(str::to_string));
        }
        let auth = match &self.auth {
            AuthChoice::Primary => Auth::Primary,
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
        let expect = self.expect(h, &method, &account, &segs, json_ct, request.body.as_deref().unwrap_or_default());
        PropCase { what: "structured request".into(), spec: MANY_FAULTS, request, expect }
    }

    /// Spec §1's route table, §3's types and §7's several-faults rule applied to this request.
    fn expect(&self, h: &Shape, method: &str, account: &str, segs: &[String], json_ct: bool, body: &[u8]) -> Expect {
        let ctx = &h.ctx;
        let mut faults: Vec<Outcome> = Vec::new();
        let (auth_ok, auth_account) = match &self.auth {
            AuthChoice::Primary => (true, ctx.account.clone()),
            AuthChoice::Secondary => (true, ctx.second_account.clone().unwrap_or_default()),
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
        let route = route_outcomes(h, method, segs, json_ct, body, self.query.is_some());
        let mut outcomes = match route {
            None => {
                faults.push(Outcome::Error(RouteError));
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

/// The marker every generated fake credential carries (see [`FuzzRequest::case`]).
const FAKE: &str = "jcfz-";

/// Puts [`FAKE`] where the credential part of an `Authorization` value starts (after the scheme word).
fn mark(value: &[u8]) -> Vec<u8> {
    let at = value.iter().position(|b| *b == b' ').map_or(0, |i| i + 1);
    [&value[..at], FAKE.as_bytes(), &value[at..]].concat()
}

fn is_uuid(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                matches!(c, b'0'..=b'9' | b'a'..=b'f')
            }
        })
}

/// For a method + path that is a route: (faults certain from the path, everything possible
/// otherwise); `None` when it is no route (HEAD of a GET route counts as a route, §7).
fn route_outcomes(
    h: &Shape,
    method: &str,
    segs: &[String],
    json_ct: bool,
    body: &[u8],
    query: bool,
) -> Option<(Vec<Outcome>, Vec<Outcome>)> {
    use Outcome::{Error, Success};
    let ctx = &h.ctx;
    let as_get = method == "HEAD";
    let m = if as_get { "GET" } else { method };
    let strip = |s: &str| s.strip_suffix(".json").map(str::to_string);
    let known_type = |t: &str| h.model_types.iter().any(|k| k == t);
    let unknown_type = vec![Error(RouteError), Error(ObjectNotFound), Error(InvalidApiRequest)];
    let known = &h.known;
    let body_set = |route: BodyRoute, ty: &str| -> Vec<Outcome> {
        let mut e = match route {
            BodyRoute::Batch => expect_batch_body(body).outcomes,
            _ if ty == ctx.object_type => expect_object_body(body, ty, known).outcomes,
            // Another model: its keys are not looked up here, so any value-level answer is possible.
            _ => vec![Success, Error(InvalidValue), Error(InvalidApiRequest)],
        };
        if !json_ct {
            e.push(Error(InvalidApiRequest));
        }
        e
    };
    let mut out = match (m, segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
        ("GET", ["datamodel.json"]) => (vec![], vec![Success]),
        ("GET", ["oplog.json"]) => (vec![], vec![Success, Error(InvalidApiRequest)]),
        ("POST", ["batch.json"]) => (vec![], body_set(BodyRoute::Batch, "")),
        ("GET" | "POST", ["objects", t]) if t.ends_with(".json") => {
            let ty = strip(t).unwrap_or_default();
            if !known_type(&ty) {
                (unknown_type, vec![])
            } else if m == "GET" {
                (vec![], vec![Success, Error(InvalidApiRequest)])
            } else {
                (vec![], body_set(BodyRoute::Create, &ty))
            }
        }
        ("GET" | "PATCH" | "PUT" | "DELETE", ["objects", ty, id]) if id.ends_with(".json") => {
            let id = strip(id).unwrap_or_default();
            if !known_type(ty) {
                (unknown_type, vec![])
            } else if !is_uuid(&id) {
                let mut possible = vec![];
                if id.is_empty() {
                    // `/objects/<type>/.json`: §7 path tricks, OBJECT_NOT_FOUND or ROUTE_ERROR.
                    possible.push(Error(RouteError));
                }
                if matches!(m, "PATCH" | "PUT") {
                    possible.extend(body_set(BodyRoute::Patch, ty));
                }
                (vec![Error(ObjectNotFound)], possible)
            } else {
                match m {
                    "GET" | "DELETE" => (vec![], vec![Success, Error(ObjectNotFound)]),
                    "PATCH" => (vec![], [vec![Error(ObjectNotFound)], body_set(BodyRoute::Patch, ty)].concat()),
                    _ => (vec![], body_set(BodyRoute::Put, ty)),
                }
            }
        }
        _ => return None,
    };
    if query {
        // Query parameters are documented for list and oplog only; elsewhere the docs are silent.
        out.1.push(Error(InvalidApiRequest));
    }
    if as_get {
        // §7 HEAD: the GET status with an empty body, or ROUTE_ERROR.
        out.1.push(Error(RouteError));
    }
    Some(out)
}

// ---- regression cases ------------------------------------------------------------------------

/// A minimised fuzz finding kept as a test: replayed by `tests/regressions.rs` on every `cargo test`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Regression {
    /// The fuzz target name ([`Target::name`]).
    pub target: String,
    /// The raw fuzz input, standard base64.
    pub input_base64: String,
    /// What it found and when; free text.
    pub note: String,
}

impl Regression {
    pub fn new(target: Target, input: &[u8], note: impl Into<String>) -> Regression {
        use base64::Engine;
        Regression {
            target: target.name().into(),
            input_base64: base64::engine::general_purpose::STANDARD.encode(input),
            note: note.into(),
        }
    }

    pub fn input(&self) -> Result<Vec<u8>, String> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(self.input_base64.trim())
            .map_err(|e| format!("input_base64: {e}"))
    }

    /// The file name: `<target>-<hash of the input>.json`.
    pub fn file_name(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.input_base64.hash(&mut h);
        format!("{}-{:016x}.json", self.target, h.finish())
    }

    /// Replays the input through its target; `Err` is the finding's report.
    pub fn replay(&self, harness: &mut Harness) -> Result<(), String> {
        let target = Target::from_name(&self.target).ok_or_else(|| format!("unknown fuzz target `{}`", self.target))?;
        let input = self.input()?;
        harness.check(target, &input).map(|_| ()).map_err(|f| f.to_string())
    }
}

/// Greedy test-case minimisation (like `cargo fuzz tmin`, without libFuzzer): removes ever smaller
/// chunks while the input still fails, within `budget` attempts.
pub fn minimise(harness: &mut Harness, target: Target, input: &[u8], budget: usize) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len().max(1) / 2;
    while chunk >= 1 && tries < budget {
        let mut at = 0;
        let mut shrunk = false;
        while at < best.len() && tries < budget {
            let end = (at + chunk).min(best.len());
            let mut candidate = best[..at].to_vec();
            candidate.extend_from_slice(&best[end..]);
            tries += 1;
            if harness.check(target, &candidate).is_err() {
                best = candidate;
                shrunk = true;
            } else {
                at += chunk;
            }
        }
        if !shrunk {
            chunk /= 2;
        }
    }
    best
}
