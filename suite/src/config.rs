//! Target configuration from the environment, the same for `cargo test` and the binary.
//! Every bad value is a one-line error that names the variable.

use std::fmt;
use std::time::Duration;

mod network;
mod pace;
pub use network::{Network, PemFile, Proxies, Proxy};
pub use pace::{Pacing, Profile, SHARED_PAUSE_ABOVE};

/// Teardown's default time budget in seconds (`JOURNEY_API_TEARDOWN_TIMEOUT`): long enough to wait out
/// a deploy's minute of 503s, short enough that a target gone for good costs a minute, not an hour.
pub const DEFAULT_TEARDOWN_SECONDS: f64 = 60.0;

/// Credentials for one account; secrets never leave this crate unredacted.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP Basic: user = backend deployment ID, password = its API password.
    Basic { user: String, password: String },
    /// `Authorization: Bearer <token>`.
    Bearer { token: String },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { user, .. } => write!(f, "Basic({user}:<redacted>)"),
            Credentials::Bearer { .. } => f.write_str("Bearer(<redacted>)"),
        }
    }
}

/// One account of a remote target: where it lives and how to get in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountTarget {
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// Path before `/api/v4` (often empty), no trailing slash.
    pub prefix: String,
    /// The backend deployment ID: the last path segment of the base URL.
    pub account_id: String,
    pub credentials: Credentials,
}

/// Which implementation the suite talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // built once per run; boxing would only add noise at every match
pub enum TargetSpec {
    /// No `JOURNEY_API_URL`: start the embedded reference on 127.0.0.1 with two accounts.
    Embedded,
    /// A deployment the user named; the second account enables isolation cases.
    Remote { primary: AccountTarget, secondary: Option<AccountTarget> },
}

/// Everything a run needs to know before it starts.
#[derive(Debug, Clone)]
pub struct Settings {
    pub target: TargetSpec,
    pub profile: Profile,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Response bodies are read up to this many bytes, never more.
    pub max_response_bytes: usize,
    /// Size of the over-limit body case; must exceed the target's body limit.
    pub oversize_bytes: usize,
    /// Object type the cases use; default `task` if the model has it, else the first model.
    pub object_type: Option<String>,
    /// Touch nothing: every case that writes is skipped, and no fixture is created.
    pub read_only: bool,
    /// Pace, 429 retries and circuit breaker of the client (`JOURNEY_API_RATE`, `JOURNEY_API_429_RETRIES`,
    /// `JOURNEY_API_MAX_TRANSPORT_FAILURES`), so a rate-limited or dead target is treated politely and briefly.
    pub pacing: Pacing,
    /// Run the `rate-limit` checks, which burst past the target's limit on purpose (`JOURNEY_API_RATE_LIMIT_FAMILY`).
    pub rate_limit_family: bool,
    /// Teardown's own time budget (`JOURNEY_API_TEARDOWN_TIMEOUT`), apart from the run's circuit breaker.
    pub teardown_timeout: Duration,
    /// Proxies and certificates (`HTTPS_PROXY`, …, `JOURNEY_API_CA_CERT`, `JOURNEY_API_CLIENT_CERT`/`_KEY`).
    pub network: Network,
}

/// A configuration mistake, reported as `VARIABLE: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.var, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { var, message: message.into() }
}

/// Default body size of the over-limit case: the reference's limit (4 MiB) plus one KiB.
pub const DEFAULT_OVERSIZE_BYTES: usize = 4 * 1024 * 1024 + 1024;

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Settings, ConfigError> {
        Settings::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get`, so tests need not touch the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let target = match get("JOURNEY_API_URL") {
            None => {
                for var in ["JOURNEY_API_USER", "JOURNEY_API_PASSWORD", "JOURNEY_API_TOKEN", "JOURNEY_API_URL_2"] {
                    if get(var).is_some() {
                        return Err(err(var, "is set but JOURNEY_API_URL is not; set JOURNEY_API_URL to test a deployment, or unset it to test the embedded reference"));
                    }
                }
                TargetSpec::Embedded
            }
            Some(url) => {
                let primary = account_target(
                    ("JOURNEY_API_URL", &url),
                    ("JOURNEY_API_USER", get("JOURNEY_API_USER")),
                    ("JOURNEY_API_PASSWORD", get("JOURNEY_API_PASSWORD")),
                    ("JOURNEY_API_TOKEN", get("JOURNEY_API_TOKEN")),
                )?;
                let secondary = match get("JOURNEY_API_URL_2") {
                    None => {
                        if get("JOURNEY_API_USER_2").is_some() || get("JOURNEY_API_PASSWORD_2").is_some() {
                            return Err(err(
                                "JOURNEY_API_URL_2",
                                "is required when JOURNEY_API_USER_2 or JOURNEY_API_PASSWORD_2 is set",
                            ));
                        }
                        None
                    }
                    Some(url2) => Some(account_target(
                        ("JOURNEY_API_URL_2", &url2),
                        ("JOURNEY_API_USER_2", get("JOURNEY_API_USER_2")),
                        ("JOURNEY_API_PASSWORD_2", get("JOURNEY_API_PASSWORD_2")),
                        ("JOURNEY_API_TOKEN_2", get("JOURNEY_API_TOKEN_2")),
                    )?),
                };
                if let Some(second) = &secondary {
                    if second.account_id == primary.account_id && second.origin == primary.origin {
                        return Err(err(
                            "JOURNEY_API_URL_2",
                            "names the same account as JOURNEY_API_URL; isolation cases need a second account",
                        ));
                    }
                }
                TargetSpec::Remote { primary, secondary }
            }
        };
        let profile = match get("JOURNEY_API_PROFILE").as_deref().map(str::trim) {
            None | Some("documented") => Profile::Documented,
            Some("strict") => Profile::Strict,
            Some(other) => {
                return Err(err("JOURNEY_API_PROFILE", format!("must be `documented` or `strict`, not `{other}`")))
            }
        };
        Ok(Settings {
            target,
            profile,
            concurrency: number(get("JOURNEY_API_CONCURRENCY"), "JOURNEY_API_CONCURRENCY", 8, 1, 256)?,
            timeout: Duration::from_millis(
                (seconds(get("JOURNEY_API_TIMEOUT"), "JOURNEY_API_TIMEOUT", 10.0)? * 1000.0) as u64,
            ),
            max_response_bytes: number(
                get("JOURNEY_API_MAX_RESPONSE_BYTES"),
                "JOURNEY_API_MAX_RESPONSE_BYTES",
                1 << 20,
                1024,
                1 << 30,
            )?,
            oversize_bytes: number(
                get("JOURNEY_API_OVERSIZE_BYTES"),
                "JOURNEY_API_OVERSIZE_BYTES",
                DEFAULT_OVERSIZE_BYTES,
                1024,
                1 << 30,
            )?,
            object_type: get("JOURNEY_API_OBJECT_TYPE").map(|s| s.trim().to_string()),
            read_only: flag(get("JOURNEY_API_READ_ONLY"), "JOURNEY_API_READ_ONLY")?,
            pacing: Pacing {
                rate: match get("JOURNEY_API_RATE") {
                    None => None,
                    Some(v) => Some(rate(&v, "JOURNEY_API_RATE")?),
                },
                retries_429: number(get("JOURNEY_API_429_RETRIES"), "JOURNEY_API_429_RETRIES", 3, 0, 20)? as u32,
                breaker: number(
                    get("JOURNEY_API_MAX_TRANSPORT_FAILURES"),
                    "JOURNEY_API_MAX_TRANSPORT_FAILURES",
                    10,
                    0,
                    100_000,
                )?,
                outage_budget: match get("JOURNEY_API_OUTAGE_BUDGET") {
                    None => Pacing::default().outage_budget,
                    Some(v) => budget(&v, "JOURNEY_API_OUTAGE_BUDGET")?,
                },
                ..Default::default()
            },
            rate_limit_family: flag(get("JOURNEY_API_RATE_LIMIT_FAMILY"), "JOURNEY_API_RATE_LIMIT_FAMILY")?,
            teardown_timeout: Duration::from_secs_f64(seconds(
                get("JOURNEY_API_TEARDOWN_TIMEOUT"),
                "JOURNEY_API_TEARDOWN_TIMEOUT",
                DEFAULT_TEARDOWN_SECONDS,
            )?),
            network: Network::from_lookup(&get)?,
        })
    }
}

fn number(
    value: Option<String>,
    var: &'static str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ConfigError> {
    let Some(value) = value else { return Ok(default) };
    match value.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(err(var, format!("must be a whole number from {min} to {max}, not `{value}`"))),
    }
}

fn flag(value: Option<String>, var: &'static str) -> Result<bool, ConfigError> {
    match value.as_deref().map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None | Some("0" | "false" | "no" | "off") => Ok(false),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some(other) => Err(err(var, format!("must be 1 or 0, not `{other}`"))),
    }
}

fn rate(value: &str, var: &'static str) -> Result<f64, ConfigError> {
    match value.trim().parse::<f64>() {
        Ok(r) if r.is_finite() && (0.01..=100_000.0).contains(&r) => Ok(r),
        _ => Err(err(var, format!("must be requests per second from 0.01 to 100000, not `{value}`"))),
    }
}

/// A time budget in seconds: 0 (do not wait at all) up to a day.
fn budget(value: &str, var: &'static str) -> Result<Duration, ConfigError> {
    match value.trim().trim_end_matches('s').parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => Ok(Duration::from_secs_f64(s)),
        _ => Err(err(var, format!("must be a number of seconds from 0 to 86400, not `{value}`"))),
    }
}

fn seconds(value: Option<String>, var: &'static str, default: f64) -> Result<f64, ConfigError> {
    let Some(value) = value else { return Ok(default) };
    match value.trim().trim_end_matches('s').parse::<f64>() {
        Ok(s) if s.is_finite() && (0.05..=3600.0).contains(&s) => Ok(s),
        _ => Err(err(var, format!("must be a number of seconds from 0.05 to 3600, not `{value}`"))),
    }
}

fn account_target(
    url: (&'static str, &str),
    user: (&'static str, Option<String>),
    password: (&'static str, Option<String>),
    token: (&'static str, Option<String>),
) -> Result<AccountTarget, ConfigError> {
    let (origin, prefix, account_id) = parse_base_url(url.0, url.1)?;
    let credentials = match (user.1, password.1, token.1) {
        (Some(u), Some(p), None) => Credentials::Basic { user: u, password: p },
        (None, None, Some(t)) => Credentials::Bearer { token: t },
        (Some(_), None, _) => return Err(err(password.0, format!("is required when {} is set", user.0))),
        (None, Some(_), _) => return Err(err(user.0, format!("is required when {} is set", password.0))),
        (Some(_), Some(_), Some(_)) => {
            return Err(err(token.0, format!("and {}/{} are both set; choose one scheme", user.0, password.0)))
        }
        (None, None, None) => {
            return Err(err(user.0, format!("and {} (or {}) are required when {} is set", password.0, token.0, url.0)))
        }
    };
    Ok(AccountTarget { origin, prefix, account_id, credentials })
}

/// Splits a base URL into origin, prefix and account ID, insisting on the `/api/v4/<id>` shape.
fn parse_base_url(var: &'static str, raw: &str) -> Result<(String, String, String), ConfigError> {
    let raw = raw.trim();
    let url = url::Url::parse(raw).map_err(|e| err(var, format!("is not a URL ({e}): `{raw}`")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(err(var, format!("must be an http or https URL, not `{}:`", url.scheme())));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(err(
            var,
            "must not carry credentials; use JOURNEY_API_USER/JOURNEY_API_PASSWORD or JOURNEY_API_TOKEN",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(err(
            var,
            "must not have a query or fragment; it is the base URL ending in /api/v4/<backend-deployment-id>",
        ));
    }
    let host = url.host_str().ok_or_else(|| err(var, "has no host"))?;
    let path = url.path().trim_end_matches('/');
    let shape = || err(var, format!("must end in /api/v4/<backend-deployment-id>, got path `{}`", url.path()));
    let (before, account) = path.rsplit_once('/').ok_or_else(shape)?;
    let prefix = before.strip_suffix("/api/v4").ok_or_else(shape)?;
    if account.is_empty() || account.contains(['%', '?', '#']) {
        return Err(shape());
    }
    let origin = match url.port() {
        Some(port) => format!("{}://{}:{}", url.scheme(), bracket(host), port),
        None => format!("{}://{}", url.scheme(), bracket(host)),
    };
    Ok((origin, prefix.to_string(), account.to_string()))
}

fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn no_url_means_embedded() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.target, TargetSpec::Embedded);
        assert_eq!(s.profile, Profile::Documented);
    }

    #[test]
    fn remote_basic_target_is_split() {
        let s = settings(&[
            ("JOURNEY_API_URL", "https://app.backend.eu.journeyapps.com/api/v4/5a3b/"),
            ("JOURNEY_API_USER", "5a3b"),
            ("JOURNEY_API_PASSWORD", "pw"),
        ])
        .unwrap();
        let TargetSpec::Remote { primary, secondary } = s.target else { panic!("not remote") };
        assert_eq!(primary.origin, "https://app.backend.eu.journeyapps.com");
        assert_eq!(primary.prefix, "");
        assert_eq!(primary.account_id, "5a3b");
        assert!(secondary.is_none());
        assert_eq!(format!("{:?}", primary.credentials), "Basic(5a3b:<redacted>)");
    }

    #[test]
    fn prefix_and_port_survive() {
        let s = settings(&[("JOURNEY_API_URL", "http://127.0.0.1:8080/gw/api/v4/abc"), ("JOURNEY_API_TOKEN", "O:t")])
            .unwrap();
        let TargetSpec::Remote { primary, .. } = s.target else { panic!() };
        assert_eq!(primary.origin, "http://127.0.0.1:8080");
        assert_eq!(primary.prefix, "/gw");
        assert_eq!(primary.credentials, Credentials::Bearer { token: "O:t".into() });
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("JOURNEY_API_URL", "not a url")], "JOURNEY_API_URL"),
            (&[("JOURNEY_API_URL", "ftp://h/api/v4/a"), ("JOURNEY_API_TOKEN", "t")], "JOURNEY_API_URL"),
            (&[("JOURNEY_API_URL", "http://h/api/v3/a"), ("JOURNEY_API_TOKEN", "t")], "JOURNEY_API_URL"),
            (&[("JOURNEY_API_URL", "http://h/api/v4/"), ("JOURNEY_API_TOKEN", "t")], "JOURNEY_API_URL"),
            (&[("JOURNEY_API_URL", "http://u:p@h/api/v4/a"), ("JOURNEY_API_TOKEN", "t")], "JOURNEY_API_URL"),
            (&[("JOURNEY_API_URL", "http://h/api/v4/a"), ("JOURNEY_API_USER", "a")], "JOURNEY_API_PASSWORD"),
            (&[("JOURNEY_API_URL", "http://h/api/v4/a"), ("JOURNEY_API_PASSWORD", "p")], "JOURNEY_API_USER"),
            (&[("JOURNEY_API_URL", "http://h/api/v4/a")], "JOURNEY_API_USER"),
            (&[("JOURNEY_API_USER", "a")], "JOURNEY_API_USER"),
            (&[("JOURNEY_API_PROFILE", "lenient")], "JOURNEY_API_PROFILE"),
            (&[("JOURNEY_API_CONCURRENCY", "0")], "JOURNEY_API_CONCURRENCY"),
            (&[("JOURNEY_API_TIMEOUT", "soon")], "JOURNEY_API_TIMEOUT"),
            (&[("JOURNEY_API_READ_ONLY", "maybe")], "JOURNEY_API_READ_ONLY"),
            (&[("JOURNEY_API_RATE", "fast")], "JOURNEY_API_RATE"),
            (&[("JOURNEY_API_RATE", "0")], "JOURNEY_API_RATE"),
            (&[("JOURNEY_API_429_RETRIES", "-1")], "JOURNEY_API_429_RETRIES"),
            (&[("JOURNEY_API_MAX_TRANSPORT_FAILURES", "x")], "JOURNEY_API_MAX_TRANSPORT_FAILURES"),
            (&[("JOURNEY_API_RATE_LIMIT_FAMILY", "2")], "JOURNEY_API_RATE_LIMIT_FAMILY"),
            (&[("JOURNEY_API_OUTAGE_BUDGET", "-1")], "JOURNEY_API_OUTAGE_BUDGET"),
            (&[("JOURNEY_API_OUTAGE_BUDGET", "a while")], "JOURNEY_API_OUTAGE_BUDGET"),
            (&[("HTTPS_PROXY", "socks5://p:1080")], "HTTPS_PROXY"),
            (
                &[("JOURNEY_API_URL", "http://h/api/v4/a"), ("JOURNEY_API_TOKEN", "t"), ("JOURNEY_API_USER_2", "b")],
                "JOURNEY_API_URL_2",
            ),
            (
                &[
                    ("JOURNEY_API_URL", "http://h/api/v4/a"),
                    ("JOURNEY_API_TOKEN", "t"),
                    ("JOURNEY_API_URL_2", "http://h/api/v4/b"),
                    ("JOURNEY_API_USER_2", "b"),
                ],
                "JOURNEY_API_PASSWORD_2",
            ),
        ];
        for (pairs, var) in cases {
            let e = settings(pairs).expect_err(&format!("{pairs:?} should be rejected"));
            assert_eq!(e.var, *var, "{pairs:?}: {e}");
            let line = e.to_string();
            assert!(line.starts_with(var) && !line.contains('\n'), "{line}");
            assert!(!line.contains(":p@"), "error echoes credentials: {line}");
        }
    }

    #[test]
    fn tuning_values_parse() {
        let s = settings(&[
            ("JOURNEY_API_TIMEOUT", "2.5"),
            ("JOURNEY_API_CONCURRENCY", "3"),
            ("JOURNEY_API_PROFILE", "strict"),
        ])
        .unwrap();
        assert_eq!(s.timeout, Duration::from_millis(2500));
        assert_eq!(s.concurrency, 3);
        assert_eq!(s.profile, Profile::Strict);
        assert!(!s.read_only);
        assert!(settings(&[("JOURNEY_API_READ_ONLY", "1")]).unwrap().read_only);
        let paced = settings(&[
            ("JOURNEY_API_RATE", "12.5"),
            ("JOURNEY_API_429_RETRIES", "0"),
            ("JOURNEY_API_MAX_TRANSPORT_FAILURES", "3"),
        ])
        .unwrap();
        assert_eq!((paced.pacing.rate, paced.pacing.retries_429, paced.pacing.breaker), (Some(12.5), 0, 3));
        assert_eq!(s.pacing.rate, None);
        assert!(s.pacing.outage_budget >= Duration::from_secs(60), "a 40 s deploy is waited out by default");
        let budget = settings(&[("JOURNEY_API_OUTAGE_BUDGET", "2.5")]).unwrap().pacing.outage_budget;
        assert_eq!(budget, Duration::from_millis(2500));
        assert_eq!(settings(&[("JOURNEY_API_OUTAGE_BUDGET", "0")]).unwrap().pacing.outage_budget, Duration::ZERO);
    }
}
