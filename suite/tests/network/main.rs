//! Reaching a deployment the way users do: through an HTTP CONNECT proxy (`HTTPS_PROXY`), to a TLS
//! server whose certificate a private CA signed (`JOURNEY_API_CA_CERT`), which may ask for a client
//! certificate (`JOURNEY_API_CLIENT_CERT` / `JOURNEY_API_CLIENT_KEY`). All on loopback, with
//! certificates made at test time; a missing certificate is one line naming what to set.

mod pki;
mod servers;

use journey_conformance::config::Settings;
use journey_conformance::run::memo::Run;
use journey_conformance::run::session::Session;
use servers::{ConnectProxy, TlsReference};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

/// A directory for this test's PEM files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("jc-network-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn settings(target: &TlsReference, extra: &[(&str, &Path)], proxy: Option<&ConnectProxy>) -> Settings {
    let mut env: std::collections::HashMap<String, String> = target.env().into_iter().collect();
    for (var, path) in extra {
        env.insert(var.to_string(), path.display().to_string());
    }
    if let Some(proxy) = proxy {
        env.insert("HTTPS_PROXY".into(), format!("http://{}", proxy.addr));
    }
    Settings::from_lookup(|k| env.get(k).cloned()).expect("valid settings")
}

/// The cases of a few families, enough to show the run works end to end through the proxy and TLS.
async fn run_some(session: Session) -> (usize, Vec<String>) {
    let mut run = Run::new(session);
    run.retain(|c| ["ids/", "methods/", "auth/", "malformed-json/control"].iter().any(|p| c.id.starts_with(p)));
    let results = run.all().await;
    let _ = run.session.teardown().await;
    let bad = results.values().filter(|r| !r.ok()).map(|r| format!("{}: {:?}", r.id, r.verdict.violations())).collect();
    (results.len(), bad)
}

fn assert_one_line(message: &str, names: &[&str]) {
    println!("{message}");
    assert!(!message.contains('\n'), "{message}");
    for name in names {
        assert!(message.contains(name), "`{message}` does not name {name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_through_a_connect_proxy_to_a_private_ca_passes_and_without_the_ca_is_one_line() {
    let dir = TempDir::new("proxy");
    let server = pki::issue(&dir.0, "server", &["127.0.0.1", "localhost"], false);
    let target = TlsReference::start(&server, None).await;
    let proxy = ConnectProxy::start().await;

    let with_ca = settings(&target, &[("JOURNEY_API_CA_CERT", &server.ca_pem)], Some(&proxy));
    let session = Session::start(with_ca).await.expect("setup through the proxy, trusting the CA");
    let (cases, bad) = run_some(session).await;
    println!("{cases} cases through {} tunnels", proxy.tunnels.load(Ordering::SeqCst));
    assert!(cases > 300, "only {cases} cases ran");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(proxy.tunnels.load(Ordering::SeqCst) > 0, "the run did not go through the proxy");

    let refused = target.refused.load(Ordering::SeqCst);
    let without_ca = settings(&target, &[], Some(&proxy));
    let e = Session::start(without_ca).await.err().expect("an untrusted certificate stops setup");
    assert_one_line(&e.to_string(), &["certificate", "JOURNEY_API_CA_CERT"]);
    for _ in 0..50 {
        if target.refused.load(Ordering::SeqCst) > refused {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    }
    assert!(target.refused.load(Ordering::SeqCst) > refused, "the handshake itself failed");

    // NO_PROXY names the target: it is reached directly, the proxy sees nothing.
    let tunnels = proxy.tunnels.load(Ordering::SeqCst);
    let mut direct = settings(&target, &[("JOURNEY_API_CA_CERT", &server.ca_pem)], Some(&proxy));
    direct.network.proxies.no = Some("localhost,127.0.0.1".into());
    Session::start(direct).await.expect("setup without the proxy");
    assert_eq!(proxy.tunnels.load(Ordering::SeqCst), tunnels, "NO_PROXY was not honoured");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_passes_with_the_client_certificate_and_without_it_is_one_line() {
    let dir = TempDir::new("mtls");
    let server = pki::issue(&dir.0, "server", &["127.0.0.1"], false);
    let client = pki::issue(&dir.0, "client", &["journey-conformance.test"], true);
    let target = TlsReference::start(&server, Some(&client)).await;
    let ca = ("JOURNEY_API_CA_CERT", server.ca_pem.as_path());
    let identity = [ca, ("JOURNEY_API_CLIENT_CERT", &client.cert_pem), ("JOURNEY_API_CLIENT_KEY", &client.key_pem)];
    let session = Session::start(settings(&target, &identity, None)).await.expect("setup with the client certificate");
    let (cases, bad) = run_some(session).await;
    assert!(cases > 300 && bad.is_empty(), "{cases} cases: {}", bad.join("\n"));

    let e = Session::start(settings(&target, &[ca], None)).await.err().expect("no client certificate, no entry");
    assert_one_line(&e.to_string(), &["JOURNEY_API_CLIENT_CERT", "JOURNEY_API_CLIENT_KEY"]);

    // A certificate the server's CA did not sign is refused the same way.
    let stranger = pki::issue(&dir.0, "stranger", &["journey-conformance.test"], true);
    let wrong = [ca, ("JOURNEY_API_CLIENT_CERT", &stranger.cert_pem), ("JOURNEY_API_CLIENT_KEY", &stranger.key_pem)];
    let e = Session::start(settings(&target, &wrong, None)).await.err().expect("an unknown client certificate");
    assert_one_line(&e.to_string(), &["JOURNEY_API_CLIENT_CERT"]);

    // A key that is not the certificate's is a configuration error naming both variables.
    let mismatched = [ca, ("JOURNEY_API_CLIENT_CERT", &client.cert_pem), ("JOURNEY_API_CLIENT_KEY", &server.key_pem)];
    let e = Session::start(settings(&target, &mismatched, None)).await.err().expect("a key of another certificate");
    assert_one_line(&e.to_string(), &["JOURNEY_API_CLIENT_CERT/JOURNEY_API_CLIENT_KEY", "private key"]);
}
