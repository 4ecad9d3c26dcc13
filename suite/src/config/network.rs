//! How the client reaches the target: the proxy variables as curl reads them, and the certificates a
//! deployment behind a corporate CA or requiring mutual TLS needs. Read with the rest of the settings,
//! so a bad value is one line naming its variable before anything is sent.

use super::{err, ConfigError};
use std::fmt;

/// One proxy variable that is set: which one, and the proxy URL it names (a scheme added when missing).
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    pub var: &'static str,
    pub url: String,
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A proxy URL may carry a user and password: show where it points, never who signs in.
        let shown = url::Url::parse(&self.url)
            .map(|u| {
                format!("{}://{}:{}", u.scheme(), u.host_str().unwrap_or(""), u.port_or_known_default().unwrap_or(0))
            })
            .unwrap_or_else(|_| "<unreadable>".into());
        write!(f, "{}={shown}", self.var)
    }
}

/// The proxy variables, as curl reads them: the scheme's own variable first, `ALL_PROXY` otherwise,
/// and `NO_PROXY` for the hosts reached directly (lower-case spellings win over upper-case ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proxies {
    pub http: Option<Proxy>,
    pub https: Option<Proxy>,
    pub all: Option<Proxy>,
    /// The `NO_PROXY` list as given (hosts, domains, `.domain`, IPs, CIDR ranges, `*`).
    pub no: Option<String>,
}

/// A PEM file named by a variable, read when the settings are.
#[derive(Clone, PartialEq, Eq)]
pub struct PemFile {
    pub var: &'static str,
    pub path: String,
    pub pem: Vec<u8>,
}

impl fmt::Debug for PemFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A client key is a secret: name the file, never its bytes.
        write!(f, "{}={}", self.var, self.path)
    }
}

/// How the client reaches the target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    pub proxies: Proxies,
    /// `JOURNEY_API_CA_CERT`: a PEM bundle trusted besides the system's roots.
    pub ca_cert: Option<PemFile>,
    /// `JOURNEY_API_CLIENT_CERT` and `JOURNEY_API_CLIENT_KEY`: the certificate (chain) and key for mutual TLS.
    pub identity: Option<(PemFile, PemFile)>,
}

impl Network {
    /// Reads the proxy and certificate variables through `get` (empty values already count as unset).
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Network, ConfigError> {
        let proxy = |vars: [&'static str; 2]| -> Result<Option<Proxy>, ConfigError> {
            let Some((var, value)) = vars.iter().find_map(|v| get(v).map(|value| (*v, value))) else { return Ok(None) };
            Ok(Some(Proxy { var, url: proxy_url(var, &value)? }))
        };
        let proxies = Proxies {
            http: proxy(["http_proxy", "HTTP_PROXY"])?,
            https: proxy(["https_proxy", "HTTPS_PROXY"])?,
            all: proxy(["all_proxy", "ALL_PROXY"])?,
            no: get("no_proxy").or_else(|| get("NO_PROXY")).map(|v| v.trim().to_string()),
        };
        let ca_cert = match get("JOURNEY_API_CA_CERT") {
            None => None,
            Some(path) => Some(pem_file("JOURNEY_API_CA_CERT", &path, "CERTIFICATE")?),
        };
        let identity = match (get("JOURNEY_API_CLIENT_CERT"), get("JOURNEY_API_CLIENT_KEY")) {
            (None, None) => None,
            (Some(_), None) => {
                return Err(err("JOURNEY_API_CLIENT_KEY", "is required when JOURNEY_API_CLIENT_CERT is set"))
            }
            (None, Some(_)) => {
                return Err(err("JOURNEY_API_CLIENT_CERT", "is required when JOURNEY_API_CLIENT_KEY is set"))
            }
            (Some(cert), Some(key)) => Some((
                pem_file("JOURNEY_API_CLIENT_CERT", &cert, "CERTIFICATE")?,
                pem_file("JOURNEY_API_CLIENT_KEY", &key, "PRIVATE KEY")?,
            )),
        };
        Ok(Network { proxies, ca_cert, identity })
    }
}

/// A proxy variable's value as a URL: `host:port` means `http://host:port`, as in curl; only HTTP(S)
/// proxies are supported. The value itself is never echoed: it may carry a password.
fn proxy_url(var: &'static str, value: &str) -> Result<String, ConfigError> {
    let value = value.trim();
    let full = if value.contains("://") { value.to_string() } else { format!("http://{value}") };
    let url = url::Url::parse(&full).map_err(|e| err(var, format!("is not a proxy URL ({e})")))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(full),
        "http" | "https" => Err(err(var, "names no proxy host")),
        other => Err(err(var, format!("is a `{other}:` proxy; only http:// and https:// proxies are supported"))),
    }
}

/// Reads a PEM file, insisting it holds at least one block of `kind` (`CERTIFICATE`, `PRIVATE KEY`).
fn pem_file(var: &'static str, path: &str, kind: &str) -> Result<PemFile, ConfigError> {
    let path = path.trim();
    let pem = std::fs::read(path).map_err(|e| err(var, format!("cannot read `{path}`: {e}")))?;
    let text = String::from_utf8_lossy(&pem);
    let holds = text.lines().any(|l| l.starts_with("-----BEGIN ") && l.trim_end().ends_with(&format!("{kind}-----")));
    if !holds {
        return Err(err(var, format!("`{path}` holds no PEM {} block", kind.to_lowercase())));
    }
    Ok(PemFile { var, path: path.to_string(), pem })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn network(pairs: &[(&str, &str)]) -> Result<Network, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Network::from_lookup(&|k: &str| map.get(k).cloned())
    }

    #[test]
    fn proxies_are_read_as_curl_reads_them() {
        let n = network(&[
            ("HTTPS_PROXY", "proxy.corp:3128"),
            ("https_proxy", "http://lower.corp:8080"),
            ("ALL_PROXY", "https://all.corp"),
            ("NO_PROXY", "localhost,.internal,10.0.0.0/8"),
        ])
        .unwrap();
        let https = n.proxies.https.expect("https proxy");
        assert_eq!((https.var, https.url.as_str()), ("https_proxy", "http://lower.corp:8080"), "lower case first");
        assert_eq!(n.proxies.all.expect("all").url, "https://all.corp");
        assert_eq!(n.proxies.no.as_deref(), Some("localhost,.internal,10.0.0.0/8"));
        assert!(n.proxies.http.is_none());
        let bare = network(&[("HTTP_PROXY", "proxy.corp:3128")]).unwrap();
        assert_eq!(bare.proxies.http.expect("http").url, "http://proxy.corp:3128", "no scheme means http://");
        assert_eq!(network(&[]).unwrap(), Network::default());
    }

    #[test]
    fn a_proxy_password_never_shows() {
        let n = network(&[("HTTPS_PROXY", "http://me:hunter2@proxy.corp:3128")]).unwrap();
        let shown = format!("{n:?}");
        assert!(!shown.contains("hunter2") && shown.contains("proxy.corp:3128"), "{shown}");
        let e = network(&[("ALL_PROXY", "socks5://me:hunter2@proxy.corp:1080")]).unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn bad_values_are_one_line_naming_the_variable() {
        let dir = std::env::temp_dir().join(format!("jc-network-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let not_pem = dir.join("not.pem");
        std::fs::write(&not_pem, "hello").unwrap();
        let cert = dir.join("cert.pem");
        std::fs::write(&cert, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").unwrap();
        let not_pem = not_pem.to_str().unwrap();
        let cert = cert.to_str().unwrap();
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Case] = &[
            (&[("HTTPS_PROXY", "socks5://p:1080")], "HTTPS_PROXY", "only http:// and https://"),
            (&[("ALL_PROXY", "http://")], "ALL_PROXY", "proxy"),
            (
                &[("JOURNEY_API_CA_CERT", "/nonexistent/ca.pem")],
                "JOURNEY_API_CA_CERT",
                "cannot read `/nonexistent/ca.pem`",
            ),
            (&[("JOURNEY_API_CA_CERT", not_pem)], "JOURNEY_API_CA_CERT", "holds no PEM certificate block"),
            (&[("JOURNEY_API_CLIENT_CERT", cert)], "JOURNEY_API_CLIENT_KEY", "is required"),
            (&[("JOURNEY_API_CLIENT_KEY", cert)], "JOURNEY_API_CLIENT_CERT", "is required"),
            (
                &[("JOURNEY_API_CLIENT_CERT", cert), ("JOURNEY_API_CLIENT_KEY", cert)],
                "JOURNEY_API_CLIENT_KEY",
                "holds no PEM private key block",
            ),
        ];
        for (pairs, var, says) in cases {
            let e = network(pairs).expect_err(&format!("{pairs:?}"));
            let line = e.to_string();
            assert_eq!(e.var, *var, "{line}");
            assert!(line.contains(says) && !line.contains('\n'), "{line}");
        }
        let ca = network(&[("JOURNEY_API_CA_CERT", cert)]).unwrap().ca_cert.expect("read");
        assert!(ca.pem.starts_with(b"-----BEGIN CERTIFICATE-----"));
        assert_eq!(format!("{ca:?}"), format!("JOURNEY_API_CA_CERT={cert}"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
