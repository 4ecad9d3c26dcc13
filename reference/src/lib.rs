//! In-memory reference implementation of the JourneyApps Backend API v4 error contract.
//!
//! It is the default target of the conformance suite, so every documented error must come out
//! exactly as the contract says and no input may ever make it panic.
//!
//! Choices where the design brief leaves room (documented again at the code that makes them):
//! - JSON is parsed by our own strict RFC 8259 parser (`json.rs`) instead of serde_json, because
//!   serde_json rejects `1e400` as syntax (400) while the contract calls it an invalid value (422).
//!   Duplicate object keys are refused as 400 (ambiguous intent).
//! - The dispatch order lives in `dispatch.rs` (one handler, run in its own task so a panic would
//!   become a JSON 500); `lib.rs` only builds the router.
//! - The file download `files/{id}/{token}/{filename}` is under the account prefix and, like the
//!   attachment URL `attachments/{id}/{token}`, a capability: the token is its only credential.
//! - Batch: `post` with an existing ID fails with INVALID_VALUE (as a single create with a used `id`
//!   does); an unknown type in an operation is OBJECT_NOT_FOUND.
//! - An `id` in a PATCH/PUT body must equal the path ID (else 422); unknown fields are 422.
//! - Client text is echoed in error details only when short and harmless (`error::safe_quote`).

mod attachments;
mod auth;
mod batch;
mod body;
mod datamodel;
mod dispatch;
mod error;
mod form;
mod info;
mod json;
mod model;
mod objects;
mod oplog;
mod query;
mod ratelimit;
mod routes;
mod store;
mod values;
mod xml;

pub use ratelimit::RateLimit;
/// The route table as the suite reads it to hold its own table and the OpenAPI description in step.
pub use routes::{matched_row, route_rows, RouteRow};
use std::net::SocketAddr;

/// One backend deployment the server answers for; the suite needs its credentials to authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The account (backend deployment) ID: the last segment of the base URL and the Basic user.
    pub id: String,
    /// The API password used with HTTP Basic.
    pub password: String,
    /// The API token used with `Authorization: Bearer`, shaped like the real `O:...` tokens.
    pub token: String,
}

/// Everything the server needs to start, so tests can build isolated instances.
#[derive(Clone, Debug)]
pub struct Config {
    /// The accounts served; each gets its own empty store.
    pub accounts: Vec<Account>,
    /// Largest accepted request body; larger bodies get 400 INVALID_API_REQUEST.
    pub max_body_bytes: usize,
    /// A token bucket per account (spec §6.8); `None` never answers 429.
    pub rate_limit: Option<RateLimit>,
}

/// Default body limit (4 MiB): large enough for attachments in tests, small enough to bound memory.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

impl Config {
    /// Two accounts with random credentials, so a bare run needs no setup and two-account checks work.
    pub fn demo() -> Config {
        Config {
            accounts: vec![Account::generate(&random_hex(24)), Account::generate(&random_hex(24))],
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            rate_limit: None,
        }
    }
}

impl Account {
    /// An account with a random password and token, so credentials never repeat between runs.
    pub fn generate(id: &str) -> Account {
        Account {
            id: id.to_string(),
            password: random_alphanumeric(32),
            token: format!("O:{}", random_alphanumeric(40)),
        }
    }
}

/// Lowercase hex of the given length, like real backend deployment IDs.
fn random_hex(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len).map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)])).collect()
}

/// Random secret text; alphanumeric so it survives Basic encoding and command lines unchanged.
fn random_alphanumeric(len: usize) -> String {
    use rand::Rng;
    rand::rng().sample_iter(rand::distr::Alphanumeric).take(len).map(char::from).collect()
}

/// The whole API as one router with a single fallback handler, so axum never answers on its own (no 405).
pub fn router(config: Config) -> axum::Router {
    let store = store::Store::new(config.accounts.iter().map(|a| a.id.as_str()));
    let state = std::sync::Arc::new(dispatch::AppState {
        accounts: config.accounts,
        max_body_bytes: config.max_body_bytes,
        store,
        rate_limit: config.rate_limit.map(ratelimit::Buckets::new),
    });
    axum::Router::new().fallback(dispatch::handle).with_state(state)
}

/// Serve the API on an already bound listener (port 0 works: the caller reads the real port first).
/// Replies go out with TCP_NODELAY, so small answers are not held back by Nagle's algorithm.
pub async fn serve(listener: tokio::net::TcpListener, config: Config) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let mut app = router(config);
    if let Ok(addr) = listener.local_addr() {
        app = app.layer(axum::Extension(dispatch::LocalAddr(addr)));
    }
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}

/// The base URL of an account on a server bound to `addr`, as clients and the suite use it.
pub fn base_url(addr: SocketAddr, account_id: &str) -> String {
    format!("http://{addr}/api/v4/{account_id}")
}
