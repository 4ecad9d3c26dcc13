//! Running fuzz inputs: the in-process harness (reset every few thousand inputs), the HTTP runner, and
//! the bytes → case step each target takes.

use super::*;
use crate::inprocess::{InProcess, Wrap};
use crate::properties::json::BodyRoute;
use crate::properties::{self, filenames, malformed_json, PropCase};
use arbitrary::{Arbitrary, Unstructured};
#[cfg(feature = "http")]
use journey_conformance::declare::case::CaseRequest;
use journey_conformance::oracle::{Profile, Verdict};

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

#[cfg(feature = "http")]
/// What a fuzz process sends its inputs to: the in-process reference, or (with `JOURNEY_API_URL`)
/// the configured target over HTTP through [`journey_conformance::run::session::Session`].
#[allow(clippy::large_enum_variant)] // one per fuzz process, built once
pub enum Runner {
    InProcess(std::sync::Mutex<Harness>),
    Http {
        session: Box<journey_conformance::run::session::Session>,
        rt: tokio::runtime::Runtime,
        shape: Shape,
        /// Where each object this process creates is written down, for `fuzz_cleanup`.
        journal: super::journal::Journal,
    },
}

#[cfg(feature = "http")]
impl Runner {
    /// The process-wide runner, built on first use (once per fuzz process).
    pub fn global() -> &'static Runner {
        static RUNNER: std::sync::OnceLock<Runner> = std::sync::OnceLock::new();
        RUNNER.get_or_init(|| Runner::from_env().unwrap_or_else(|e| panic!("journey-conformance fuzz: {e}")))
    }

    pub fn from_env() -> Result<Runner, String> {
        Runner::from_settings(journey_conformance::config::Settings::from_env().map_err(|e| e.to_string())?)
    }

    /// The runner for these settings: in-process for the embedded target, else a session over HTTP.
    pub fn from_settings(settings: journey_conformance::config::Settings) -> Result<Runner, String> {
        if settings.target == journey_conformance::config::TargetSpec::Embedded {
            return Ok(Runner::InProcess(std::sync::Mutex::new(Harness::reference())));
        }
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let session =
            rt.block_on(journey_conformance::run::session::Session::start(settings)).map_err(|e| e.to_string())?;
        let req = CaseRequest::new("GET", format!("{}/datamodel.json", session.ctx.base()));
        let resp = rt.block_on(session.client.send(&session.wire(&req))).map_err(|e| e.to_string())?;
        let datamodel = serde_json::from_slice(&resp.body).map_err(|e| e.to_string())?;
        let shape = Shape::new(session.ctx.clone(), datamodel);
        let journal = super::journal::Journal::from_env()?;
        if session.has_fixture && !session.settings.read_only {
            let ctx = &session.ctx;
            let (account, object_type, id) = (ctx.account.clone(), ctx.object_type.clone(), ctx.existing_id.clone());
            journal.note(&super::journal::Created { account, object_type, id });
        }
        Ok(Runner::Http { session: Box::new(session), rt, shape, journal })
    }

    /// Checks one input; any finding panics with its report (libFuzzer then saves the input).
    pub fn check_or_panic(&self, target: Target, data: &[u8]) {
        let result = match self {
            Runner::InProcess(h) => h.lock().unwrap_or_else(|p| p.into_inner()).check(target, data),
            Runner::Http { session, rt, shape, journal } => match case_for(shape, target, data) {
                None => Ok(None),
                Some(case) => run_http(session, rt, journal, &case).map_err(|f| described(f, target, data)),
            },
        };
        if let Err(finding) = result {
            panic!("{finding}");
        }
    }

    /// What the target is, as the grammar sees it.
    pub fn shape(&self) -> Shape {
        match self {
            Runner::InProcess(h) => Shape::of(h.lock().unwrap_or_else(|p| p.into_inner()).target()),
            Runner::Http { shape, .. } => shape.clone(),
        }
    }

    /// Sends one generated case and judges the answer, as [`Runner::check_or_panic`] does for bytes.
    pub fn check_case(&self, case: &PropCase) -> Result<Option<Verdict>, Box<Finding>> {
        match self {
            Runner::InProcess(h) => run(h.lock().unwrap_or_else(|p| p.into_inner()).target(), case),
            Runner::Http { session, rt, journal, .. } => run_http(session, rt, journal, case),
        }
    }
}

/// Checks one input against the in-process reference only: a fuzz build that calls this and never
/// [`Runner::global`] links no HTTP client (reqwest, rustls, ring…) and none of the suite's sending
/// code, so libFuzzer scans fewer coverage counters per input. With `JOURNEY_API_URL` set it refuses to start
/// rather than quietly fuzz the reference instead.
pub fn check_in_process_or_panic(target: Target, data: &[u8]) {
    static HARNESS: std::sync::OnceLock<std::sync::Mutex<Harness>> = std::sync::OnceLock::new();
    let harness = HARNESS.get_or_init(|| {
        match journey_conformance::config::Settings::from_env() {
            Ok(s) if s.target == journey_conformance::config::TargetSpec::Embedded => {}
            Ok(_) => panic!("journey-conformance fuzz: JOURNEY_API_URL is set, but this build is in-process only: build with `--features http`"),
            Err(e) => panic!("journey-conformance fuzz: {e}"),
        }
        std::sync::Mutex::new(Harness::reference())
    });
    if let Err(finding) = harness.lock().unwrap_or_else(|p| p.into_inner()).check(target, data) {
        panic!("{finding}");
    }
}

#[cfg(feature = "http")]
fn run_http(
    session: &journey_conformance::run::session::Session,
    rt: &tokio::runtime::Runtime,
    journal: &super::journal::Journal,
    case: &PropCase,
) -> Result<Option<Verdict>, Box<Finding>> {
    // `JOURNEY_API_READ_ONLY=1` holds for fuzzing too: only reads go to the target.
    if session.settings.read_only && !matches!(case.request.method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        return Ok(None);
    }
    let wire = session.wire(&case.request);
    let secrets = session.secrets(&case.request);
    let curl = || {
        journey_conformance::report::repro::curl_request(&session.primary, session.secondary.as_ref(), &case.request)
    };
    let sent = rt.block_on(session.client.send_keeping(&wire));
    let profile = session.settings.profile;
    // The 429s retried on the way are answers too, held to the error contract like the fixed cases' are.
    let retried = properties::judge_retried(&case.request, || secrets.clone(), &sent.retried, profile);
    match sent.result {
        Ok(response) => {
            session.record_created(&case.request.method, &response);
            journal.answered(&case.request.method, &case.request.path, &response);
            let verdict = properties::judge(case, &secrets, &response, profile).and(retried);
            if verdict.passed() {
                return Ok(Some(verdict));
            }
            let observed = journey_conformance::redact::redact(
                &format!("{}  body: {}", verdict.observed, journey_conformance::send::excerpt::excerpt(&response.body)),
                &secrets,
            );
            Err(Box::new(Finding { case: case.clone(), verdict: Some(verdict), observed, curl: curl() }))
        }
        Err(journey_conformance::send::client::TransportError::Build(_)) => Ok(None),
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
    let Ok(request) = h.request(&case.request) else { return Ok(None) };
    let secrets = h.secrets(&case.request);
    let finding = |verdict: Option<Verdict>, observed: String| {
        let curl = journey_conformance::report::repro::curl_request(&h.primary, Some(&h.secondary), &case.request);
        Box::new(Finding {
            case: case.clone(),
            verdict,
            observed: journey_conformance::redact::redact(&observed, &secrets),
            curl,
        })
    };
    match h.send_axum(request) {
        Ok(response) => {
            let verdict = properties::judge(case, &secrets, &response, Profile::Documented);
            if verdict.passed() {
                Ok(Some(verdict))
            } else {
                let observed = format!(
                    "{}  body: {}",
                    verdict.observed,
                    journey_conformance::send::excerpt::excerpt(&response.body)
                );
                Err(finding(Some(verdict), observed))
            }
        }
        Err(e) => Err(finding(None, format!("no answer: {e}"))),
    }
}

/// A finding of the `request` target names the whole structured input; built only for a finding,
/// since formatting it otherwise would be paid on every input, finding or not.
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
        Target::Request => FuzzRequest::arbitrary_take_rest(Unstructured::new(data)).ok()?.case(h),
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
