//! One account as the session reaches it, and what a case request to it becomes: the bytes on the
//! wire and the secrets they carry.

use crate::config::Credentials;
use crate::declare::case::{Auth, CaseRequest};
use crate::send::client::WireRequest;
use base64::Engine;
use std::borrow::Cow;
use std::fmt;

/// One account as the session reaches it.
#[derive(Clone)]
pub struct Endpoint {
    pub origin: String,
    pub prefix: String,
    pub account_id: String,
    pub credentials: Credentials,
    /// The `Authorization` value of `credentials`, worked out once in [`Endpoint::new`]: nearly
    /// every request carries it, and a fuzz target sends thousands a second.
    authorization: Vec<u8>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The Authorization value encodes the password, so it stays out like the credentials' secrets.
        f.debug_struct("Endpoint")
            .field("origin", &self.origin)
            .field("prefix", &self.prefix)
            .field("account_id", &self.account_id)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// An account at `origin` + `prefix`; the credentials are not to change afterwards.
    pub fn new(origin: String, prefix: String, account_id: String, credentials: Credentials) -> Endpoint {
        let authorization = match &credentials {
            Credentials::Basic { user, password } => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                format!("Basic {encoded}").into_bytes()
            }
            Credentials::Bearer { token } => format!("Bearer {token}").into_bytes(),
        };
        Endpoint { origin, prefix, account_id, credentials, authorization }
    }

    #[cfg(feature = "http")]
    pub(super) fn from_target(t: &crate::config::AccountTarget) -> Endpoint {
        Endpoint::new(t.origin.clone(), t.prefix.clone(), t.account_id.clone(), t.credentials.clone())
    }

    /// The base URL, as a user would write it in `JOURNEY_API_URL`.
    pub fn base_url(&self) -> String {
        format!("{}{}/api/v4/{}", self.origin, self.prefix, self.account_id)
    }

    /// The `Authorization` value of these credentials.
    pub fn authorization(&self) -> Vec<u8> {
        self.authorization.clone()
    }

    /// The secrets of these credentials, as they could leak back.
    pub fn secrets(&self) -> Vec<Vec<u8>> {
        match &self.credentials {
            Credentials::Basic { password, .. } => vec![password.as_bytes().to_vec(), self.authorization()],
            Credentials::Bearer { token } => vec![token.as_bytes().to_vec()],
        }
    }
}

/// The `Authorization` values a request to these accounts carries, in the order they are sent;
/// borrowed where the endpoints or the request already hold them (the in-process harness builds
/// its request from these without copying).
pub fn authorizations<'a>(
    primary: &'a Endpoint,
    secondary: Option<&'a Endpoint>,
    auth: &'a Auth,
) -> Vec<Cow<'a, [u8]>> {
    match auth {
        Auth::Primary => vec![Cow::Borrowed(primary.authorization.as_slice())],
        Auth::Secondary => vec![Cow::Borrowed(secondary.unwrap_or(primary).authorization.as_slice())],
        Auth::None => Vec::new(),
        Auth::Raw(values) => values.iter().map(|v| Cow::Borrowed(v.as_slice())).collect(),
        Auth::PrimaryPlus(values) => std::iter::once(primary.authorization.as_slice())
            .chain(values.iter().map(Vec::as_slice))
            .map(Cow::Borrowed)
            .collect(),
        Auth::PrimaryToken => match &primary.credentials {
            crate::config::Credentials::Bearer { token } => vec![Cow::Owned(format!("Token {token}").into_bytes())],
            crate::config::Credentials::Basic { .. } => Vec::new(),
        },
        // The runner skips a variant these credentials cannot make; were one sent anyway, it goes
        // without credentials (still a 401 case), never with the real ones.
        Auth::NearMiss(v) => {
            v.header(&primary.credentials, secondary.map(|s| &s.credentials)).map(Cow::Owned).into_iter().collect()
        }
    }
}

/// Resolves a case request against these accounts into the bytes on the wire (shared by the HTTP
/// session and the in-process harness, so both send exactly the same request).
pub fn wire_for(primary: &Endpoint, secondary: Option<&Endpoint>, req: &CaseRequest) -> WireRequest {
    let auth = authorizations(primary, secondary, &req.auth).into_iter();
    let mut headers: Vec<(String, Vec<u8>)> = auth.map(|v| ("authorization".to_string(), v.into_owned())).collect();
    headers.extend(req.headers.iter().cloned());
    WireRequest {
        method: req.method.clone(),
        url: format!("{}{}", primary.origin, req.path),
        headers,
        body: req.body.clone(),
    }
}

/// Every secret a request to these accounts may carry.
pub fn secrets_for(primary: &Endpoint, secondary: Option<&Endpoint>, req: &CaseRequest) -> Vec<Vec<u8>> {
    let mut secrets = endpoint_secrets(primary, secondary);
    secrets.extend(request_secrets(primary, secondary, req));
    secrets
}

/// The accounts' own secrets, the same for every request (a caller judging many answers keeps them).
pub fn endpoint_secrets(primary: &Endpoint, secondary: Option<&Endpoint>) -> Vec<Vec<u8>> {
    let mut secrets = primary.secrets();
    if let Some(second) = secondary {
        secrets.extend(second.secrets());
    }
    secrets
}

/// The secrets only this request carries: deliberately wrong or near-miss credentials.
pub fn request_secrets(primary: &Endpoint, secondary: Option<&Endpoint>, req: &CaseRequest) -> Vec<Vec<u8>> {
    let mut secrets = Vec::new();
    if let Auth::Raw(values) | Auth::PrimaryPlus(values) = &req.auth {
        // Deliberately wrong credentials must not come back either; their scheme word may.
        secrets.extend(values.iter().filter_map(|v| credential_part(v)));
    }
    if let Auth::NearMiss(v) = &req.auth {
        secrets.extend(v.secrets(&primary.credentials, secondary.map(|s| &s.credentials)));
    }
    secrets
}

/// The credential after the scheme word of an `Authorization` value, when long enough to be telling.
fn credential_part(value: &[u8]) -> Option<Vec<u8>> {
    let start = value.iter().position(|b| *b == b' ').map_or(0, |i| i + 1);
    let part = value[start..].trim_ascii();
    (part.len() >= 8).then(|| part.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(user: &str) -> Endpoint {
        let credentials = Credentials::Basic { user: user.into(), password: "pw-123456".into() };
        Endpoint::new("http://h".into(), String::new(), user.into(), credentials)
    }

    #[test]
    fn the_authorization_is_the_credentials_encoded() {
        assert_eq!(endpoint("acct").authorization(), b"Basic YWNjdDpwdy0xMjM0NTY=".to_vec());
        let bearer =
            Endpoint::new("http://h".into(), String::new(), "a".into(), Credentials::Bearer { token: "O:t".into() });
        assert_eq!(bearer.authorization(), b"Bearer O:t".to_vec());
        assert!(!format!("{:?}", endpoint("acct")).contains("YWNj"), "Debug shows no Authorization value");
    }

    #[test]
    fn the_wire_carries_each_authorization_then_the_case_headers() {
        let (primary, secondary) = (endpoint("one"), endpoint("two"));
        let raw = vec![b"Basic x".to_vec(), b"Bearer y".to_vec()];
        for (auth, want) in [
            (Auth::Primary, vec![primary.authorization()]),
            (Auth::Secondary, vec![secondary.authorization()]),
            (Auth::None, vec![]),
            (Auth::Raw(raw.clone()), raw.clone()),
            (Auth::PrimaryPlus(raw.clone()), [vec![primary.authorization()], raw.clone()].concat()),
        ] {
            let mut req = CaseRequest::new("GET", "/api/v4/one/x").auth(auth);
            req.headers.push(("content-type".into(), b"text/plain".to_vec()));
            let wire = wire_for(&primary, Some(&secondary), &req);
            let sent: Vec<&[u8]> = wire.headers.iter().map(|(_, v)| v.as_slice()).collect();
            let mut expected: Vec<&[u8]> = want.iter().map(Vec::as_slice).collect();
            expected.push(b"text/plain");
            assert_eq!(sent, expected);
            assert_eq!(wire.url, "http://h/api/v4/one/x");
        }
    }
}
