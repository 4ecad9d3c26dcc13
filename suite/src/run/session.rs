//! A run's connection to its target: starts the embedded reference or checks a remote one,
//! discovers what cases need (object type, a valid field), creates a fixture, and cleans up.

use serde_json::Value;
use std::fmt;
#[cfg(feature = "http")]
use {
    crate::config::Credentials,
    crate::config::{Settings, TargetSpec},
    crate::declare::case::CaseRequest,
    crate::declare::ctx::Ctx,
    crate::send::client::{HttpClient, TransportError, WireRequest},
};

#[cfg(feature = "http")]
mod answers;
#[cfg(feature = "http")]
mod embedded;
mod endpoint;
#[cfg(feature = "http")]
mod objects;
#[cfg(feature = "http")]
mod oplog;
#[cfg(feature = "http")]
mod sweep;
#[cfg(feature = "http")]
mod teardown;

#[cfg(feature = "http")]
pub use answers::{collecting, Step, TEARDOWN};
pub use endpoint::{authorizations, endpoint_secrets, request_secrets, secrets_for, wire_for, Endpoint};
#[cfg(feature = "http")]
#[cfg(feature = "http")]
pub use teardown::{Account, LeftObject, Teardown};

pub use crate::config::DEFAULT_TEARDOWN_SECONDS;

/// Why a run could not start: one line, naming what to fix, without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError(pub String);

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

#[cfg(feature = "http")]
/// A started run: the client, the accounts, the discovered context and what to clean up.
pub struct Session {
    pub settings: Settings,
    pub client: HttpClient,
    pub primary: Endpoint,
    pub secondary: Option<Endpoint>,
    pub ctx: Ctx,
    /// Set when the target is the embedded reference (it then lives as long as the session).
    pub embedded: bool,
    /// Whether `ctx.existing_id` names a real object (created, or found in read-only mode).
    pub has_fixture: bool,
    /// Whether this session created its fixture (teardown deletes it last); a listing session never does.
    fixture_created: bool,
    /// A listing session: it runs no case, so its teardown has nothing to look for and sends nothing.
    listing: bool,
    /// The second account's data model, when one was read (cleanup searches its types too).
    second_model: Option<Value>,
    /// Set by SIGINT/SIGTERM: no case starts after it; teardown and reports still run.
    interrupted: std::sync::atomic::AtomicBool,
    /// Teardown's outcome, once it ran: it runs once, whoever asks first (the run, or an interrupt).
    torn_down: tokio::sync::OnceCell<Teardown>,
    server: Option<tokio::task::JoinHandle<()>>,
    /// The `rate-limit` family's burst, sent once and shared by its two cases.
    pub burst: tokio::sync::OnceCell<Vec<crate::run::runner::CaseResult>>,
    /// Objects the run created in the first account (controls, lenient targets), deleted at teardown.
    created: std::sync::Mutex<Vec<(String, String)>>,
    /// Objects the run created in the second account (isolation cases), deleted at teardown with its credentials.
    created_foreign: std::sync::Mutex<Vec<(String, String)>>,
    /// Findings on answers no case saw (set-up, teardown), by step pseudo-case ID (`answers.rs`).
    steps: std::sync::Mutex<std::collections::BTreeMap<&'static str, Vec<crate::oracle::Violation>>>,
}

#[cfg(feature = "http")]
impl Drop for Session {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

#[cfg(feature = "http")]
impl Session {
    /// Starts the target (embedded reference when none is configured), prepares the context and
    /// creates the fixture (in read-only mode: finds an existing object instead).
    pub async fn start(settings: Settings) -> Result<Session, SetupError> {
        let mut session = Session::connect(settings, true).await?;
        let existing = if session.settings.read_only {
            session.find_existing().await?
        } else {
            let id = session.create_fixture().await?;
            session.fixture_created = true;
            Some(id)
        };
        session.has_fixture = existing.is_some();
        session.ctx.existing_id = existing.unwrap_or_else(|| session.ctx.unknown_id.clone());
        Ok(session)
    }

    /// A session that writes nothing, for listing: the data model of the first account is the only
    /// request (in read-only mode also the search for an existing object, which a run would make too),
    /// so the cases and their skip reasons are those a run would have.
    pub async fn listing(settings: Settings) -> Result<Session, SetupError> {
        let mut session = Session::connect(settings, false).await?;
        session.listing = true;
        session.has_fixture = !session.settings.read_only || session.find_existing().await?.is_some();
        Ok(session)
    }

    /// A session that reads both accounts' data models and creates nothing (`cleanup`).
    pub async fn bare(settings: Settings) -> Result<Session, SetupError> {
        Session::connect(settings, true).await
    }

    /// Reaches the target and reads its data model (the second account's too with `second`); creates nothing.
    async fn connect(settings: Settings, second: bool) -> Result<Session, SetupError> {
        let (concurrency, timeout, max_bytes) = (settings.concurrency, settings.timeout, settings.max_response_bytes);
        let client = HttpClient::with_network(concurrency, timeout, max_bytes, &settings.network)
            .map_err(SetupError)?
            .paced(settings.pacing);
        let (primary, secondary, server) = match &settings.target {
            TargetSpec::Embedded => {
                let (primary, secondary, server) = embedded::start().await?;
                (primary, Some(secondary), Some(server))
            }
            TargetSpec::Remote { primary, secondary } => {
                (Endpoint::from_target(primary), secondary.as_ref().map(Endpoint::from_target), None)
            }
        };
        let embedded = server.is_some();
        let mut session = Session {
            settings,
            client,
            ctx: Ctx {
                prefix: primary.prefix.clone(),
                account: primary.account_id.clone(),
                second_account: secondary.as_ref().map(|s| s.account_id.clone()),
                object_type: String::new(),
                field: None,
                existing_id: String::new(),
                unknown_id: uuid::Uuid::new_v4().to_string(),
                oversize_bytes: 0,
                run_id: uuid::Uuid::new_v4().simple().to_string()[..12].to_string(),
                model: Value::Null,
                bearer: matches!(primary.credentials, Credentials::Bearer { .. }),
            },
            primary,
            secondary,
            embedded,
            has_fixture: false,
            fixture_created: false,
            listing: false,
            second_model: None,
            interrupted: std::sync::atomic::AtomicBool::new(false),
            torn_down: tokio::sync::OnceCell::new(),
            server,
            burst: tokio::sync::OnceCell::new(),
            created: std::sync::Mutex::new(Vec::new()),
            created_foreign: std::sync::Mutex::new(Vec::new()),
            steps: std::sync::Mutex::default(),
        };
        session.ctx.oversize_bytes = session.settings.oversize_bytes;
        let model = session.preflight_model(false).await?;
        // The breaker's probe once the target has answered it: "is it up?" costs one cheap, harmless GET.
        let probe = format!("{}/api/v4/{}/datamodel.json", session.primary.prefix, session.primary.account_id);
        let headers = vec![("authorization".to_string(), session.primary.authorization())];
        let url = format!("{}{probe}", session.primary.origin);
        session.client.set_probe(WireRequest { method: "GET".into(), url, headers, body: None });
        if second && session.secondary.is_some() {
            session.second_model = Some(session.preflight_model(true).await?);
        }
        let (object_type, field) = choose_type_and_field(&model, session.settings.object_type.as_deref())?;
        session.ctx.object_type = object_type;
        session.ctx.field = match field {
            Some((name, Value::String(_))) => Some((name, Value::String(session.ctx.marker("fixture")))),
            other => other,
        };
        session.ctx.model = model;
        session.ctx.existing_id = session.ctx.unknown_id.clone();
        Ok(session)
    }

    /// Stops the run from starting more cases (SIGINT/SIGTERM); those in flight finish, teardown still runs.
    pub fn interrupt(&self) {
        self.interrupted.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the run was interrupted: no case may start any more.
    pub fn interrupted(&self) -> bool {
        self.interrupted.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Resolves a case request into the bytes on the wire.
    pub fn wire(&self, req: &CaseRequest) -> WireRequest {
        wire_for(&self.primary, self.secondary.as_ref(), req)
    }

    /// Every secret a request may carry; the oracle checks none comes back, reports redact them.
    pub fn secrets(&self, req: &CaseRequest) -> Vec<Vec<u8>> {
        secrets_for(&self.primary, self.secondary.as_ref(), req)
    }

    async fn preflight_model(&self, second: bool) -> Result<Value, SetupError> {
        let (endpoint, var) = match (second, &self.secondary) {
            _ if self.embedded => (
                if second { self.secondary.as_ref().unwrap_or(&self.primary) } else { &self.primary },
                "the embedded reference",
            ),
            (true, Some(s)) => (s, "JOURNEY_API_URL_2"),
            _ => (&self.primary, "JOURNEY_API_URL"),
        };
        let url = format!("{}/datamodel.json", endpoint.base_url());
        let path = format!("{}/api/v4/{}/datamodel.json", endpoint.prefix, endpoint.account_id);
        let resp = self.call(endpoint, Step::Datamodel, "GET", &path, None).await.map_err(|e| match e {
            TransportError::Connect(_) | TransportError::Timeout(_) => {
                SetupError(format!("target unreachable: GET {url}: {e} (check {var}, and that the server is running)"))
            }
            other => SetupError(format!("GET {url} failed: {other}")),
        })?;
        let hint = match resp.status {
            200 => None,
            401 => {
                Some(format!("the target rejected the configured credentials (401); check the credentials for {var}"))
            }
            404 => Some(format!("the target answered 404: wrong base URL or unknown account in {var}")),
            s => Some(format!("the target answered {s} where 200 was expected")),
        };
        if let Some(hint) = hint {
            return Err(SetupError(format!("GET {url}: {hint}")));
        }
        let model: Value = serde_json::from_slice(&resp.body).map_err(|e| {
            SetupError(format!("GET {url}: the data model is not JSON ({e}); is {var} an API v4 base URL?"))
        })?;
        if !model.get("models").is_some_and(Value::is_object) {
            return Err(SetupError(format!("GET {url}: the data model has no `models` object")));
        }
        Ok(model)
    }

    /// In read-only mode, any object of the type stands in for the fixture.
    async fn find_existing(&self) -> Result<Option<String>, SetupError> {
        let path = format!("{}?limit=1", self.ctx.collection());
        let resp = self
            .call(&self.primary, Step::FindExisting, "GET", &path, None)
            .await
            .map_err(|e| SetupError(format!("GET {path}: {e}")))?;
        let list: Value = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        Ok(list.pointer("/objects/0/id").and_then(Value::as_str).map(str::to_string))
    }

    async fn create_fixture(&self) -> Result<String, SetupError> {
        let path = self.ctx.collection();
        let resp = self
            .call(&self.primary, Step::Fixture, "POST", &path, Some(self.ctx.wrapped_body()))
            .await
            .map_err(|e| SetupError(format!("POST {path} (fixture object): {e}")))?;
        let id = serde_json::from_slice::<Value>(&resp.body)
            .ok()
            .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string));
        match id {
            Some(id) if (200..300).contains(&resp.status) => Ok(id),
            _ => Err(SetupError(format!(
                "POST {path}: could not create a fixture {} object (status {}); set JOURNEY_API_OBJECT_TYPE to a type that accepts {}",
                self.ctx.object_type,
                resp.status,
                String::from_utf8_lossy(&self.ctx.wrapped_body())
            ))),
        }
    }
}

/// Picks the object type (configured, else `task`, else the first model) and a field with a valid value.
pub fn choose_type_and_field(
    model: &Value,
    wanted: Option<&str>,
) -> Result<(String, Option<(String, Value)>), SetupError> {
    let models =
        model.get("models").and_then(Value::as_object).ok_or_else(|| SetupError("data model has no models".into()))?;
    let name = match wanted {
        Some(w) if models.contains_key(w) => w.to_string(),
        Some(w) => {
            let known: Vec<&str> = models.keys().map(String::as_str).collect();
            return Err(SetupError(format!(
                "JOURNEY_API_OBJECT_TYPE: `{w}` is not in the data model (known: {})",
                known.join(", ")
            )));
        }
        None if models.contains_key("task") => "task".to_string(),
        None => models.keys().next().cloned().ok_or_else(|| SetupError("the data model has no object types".into()))?,
    };
    let fields = models[&name].get("fields").and_then(Value::as_object);
    let pick = |kind: &str, value: Value| {
        fields.and_then(|f| {
            f.iter()
                .find(|(_, spec)| spec.get("type").and_then(Value::as_str) == Some(kind))
                .map(|(k, _)| (k.clone(), value))
        })
    };
    let field = pick("text", Value::String("journey-conformance fixture".into()))
        .or_else(|| pick("integer", Value::from(1)))
        .or_else(|| pick("number", Value::from(1.5)))
        .or_else(|| pick("boolean", Value::Bool(true)));
    Ok((name, field))
}
