//! The network settings applied to the HTTP client: the proxies exactly as the settings read them (the
//! process environment is not consulted a second time, so a test's settings are the whole truth), a
//! CA bundle added to the system's roots, and a client certificate for mutual TLS. Every error names
//! the variable whose value it is about.

use crate::config::{Network, PemFile};
use reqwest::{Certificate, ClientBuilder, Identity, NoProxy, Proxy};

/// How a proxy of one kind is made from its URL.
type MakeProxy = fn(&str) -> reqwest::Result<Proxy>;

/// `builder` with `network`'s proxies and certificates.
pub(super) fn configure(mut builder: ClientBuilder, network: &Network) -> Result<ClientBuilder, String> {
    let proxies = &network.proxies;
    let no_proxy = proxies.no.as_deref().and_then(NoProxy::from_string);
    // The scheme's own variable first, ALL_PROXY for the rest: reqwest tries proxies in the order added.
    let kinds: [(&Option<crate::config::Proxy>, MakeProxy); 3] =
        [(&proxies.http, |u| Proxy::http(u)), (&proxies.https, |u| Proxy::https(u)), (&proxies.all, |u| Proxy::all(u))];
    let mut any = false;
    for (proxy, make) in kinds {
        if let Some(proxy) = proxy {
            let made = make(&proxy.url).map_err(|e| format!("{}: not a usable proxy URL ({e})", proxy.var))?;
            builder = builder.proxy(made.no_proxy(no_proxy.clone()));
            any = true;
        }
    }
    if !any {
        builder = builder.no_proxy();
    }
    if let Some(ca) = &network.ca_cert {
        let certs = Certificate::from_pem_bundle(&ca.pem).map_err(|e| unreadable(ca, "certificate bundle", &e))?;
        if certs.is_empty() {
            return Err(format!("{}: `{}` holds no certificate", ca.var, ca.path));
        }
        builder = builder.tls_certs_merge(certs);
    }
    if let Some((cert, key)) = &network.identity {
        let mut pem = cert.pem.clone();
        pem.push(b'\n');
        pem.extend_from_slice(&key.pem);
        let identity = Identity::from_pem(&pem).map_err(|e| {
            format!(
                "{}/{}: `{}` and `{}` are not a certificate and its private key in PEM ({})",
                cert.var,
                key.var,
                cert.path,
                key.path,
                chain(&e)
            )
        })?;
        builder = builder.identity(identity);
    }
    Ok(builder)
}

/// Why the client could not be built, naming the client certificate's variables when one is configured:
/// rustls refuses a key that is not the certificate's only when the client is built.
pub(super) fn build_error(network: &Network, e: &reqwest::Error) -> String {
    match &network.identity {
        Some((cert, key)) => format!(
            "{}/{}: `{}` and `{}` are not a certificate and its own private key ({})",
            cert.var,
            key.var,
            cert.path,
            key.path,
            chain(e)
        ),
        None => format!("cannot build the HTTP client: {}", chain(e)),
    }
}

fn unreadable(file: &PemFile, what: &str, e: &reqwest::Error) -> String {
    format!("{}: `{}` is not a PEM {what} ({})", file.var, file.path, chain(e))
}

/// An error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    message.replace('\n', " ")
}

/// A hint for a connection the target closed before the request could go out, when a client certificate
/// is configured: under TLS 1.3 a server's refusal of the certificate may arrive after the client saw the
/// handshake complete, and the client then reports only that the connection closed.
pub(super) fn closed_hint(message: &str, client_cert: bool) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    let closed = ["connection was not ready", "connection closed before message completed", "connection reset"];
    (client_cert && closed.iter().any(|c| lower.contains(c))).then_some(
        " (the target closed the connection around the TLS handshake, as it does when it refuses the client \
         certificate: check JOURNEY_API_CLIENT_CERT and JOURNEY_API_CLIENT_KEY)",
    )
}

/// A hint for a TLS handshake that failed over a certificate, naming the variables that would fix it.
pub(super) fn certificate_hint(message: &str) -> Option<&'static str> {
    let lower = message.to_ascii_lowercase();
    // The server's alerts (rustls names them: CertificateRequired, BadCertificate, UnknownCA) are about
    // our certificate; our own refusal of the server's reads "invalid peer certificate".
    let alert = lower.contains("received fatal alert");
    if alert && (lower.contains("certificate") || lower.contains("unknownca")) {
        Some(
            " (the target refused the TLS handshake over the client certificate: set JOURNEY_API_CLIENT_CERT and \
             JOURNEY_API_CLIENT_KEY to a certificate it accepts and its key)",
        )
    } else if lower.contains("certificate") || lower.contains("unknownissuer") {
        Some(
            " (the target's TLS certificate is not trusted: set JOURNEY_API_CA_CERT to the PEM bundle of the CA \
             that signed it)",
        )
    } else {
        None
    }
}

#[cfg(test)]
mod hint_tests {
    use super::closed_hint;

    #[test]
    fn a_closed_connection_names_the_client_certificate_only_when_one_is_configured() {
        let closed = "error sending request: client error (Canceled): operation was canceled: connection was not ready";
        assert!(closed_hint(closed, true).is_some_and(|h| h.contains("JOURNEY_API_CLIENT_CERT")));
        assert_eq!(closed_hint(closed, false), None, "no certificate configured: nothing to name");
        assert_eq!(closed_hint("operation timed out", true), None, "a timeout is no refusal");
    }
}
