//! The loopback servers of the network tests: the reference behind TLS (tokio-rustls, optionally asking
//! for a client certificate), and an HTTP CONNECT proxy that counts its tunnels. Every socket has
//! TCP_NODELAY; every wait is bounded; both stop when dropped.

use super::pki::Issued;
use axum::serve::Listener;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// A task that is aborted when dropped.
pub struct Running(tokio::task::JoinHandle<()>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Accepts TCP, then the TLS handshake; a failed handshake is counted and skipped.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    refused: Arc<AtomicUsize>,
}

impl Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else { continue };
            let _ = tcp.set_nodelay(true);
            match tokio::time::timeout(Duration::from_secs(5), self.acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => return (tls, addr),
                _ => {
                    self.refused.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.tcp.local_addr()
    }
}

/// The reference over TLS with `server`'s certificate; with `clients`, only a client certificate signed
/// by that CA gets in.
pub struct TlsReference {
    pub addr: SocketAddr,
    pub accounts: Vec<journey_reference::Account>,
    /// Handshakes that failed (an untrusted certificate on either side).
    pub refused: Arc<AtomicUsize>,
    _task: Running,
}

impl TlsReference {
    pub async fn start(server: &Issued, clients: Option<&Issued>) -> TlsReference {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .expect("protocol versions");
        let builder = match clients {
            None => builder.with_no_client_auth(),
            Some(clients) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add(clients.ca.clone()).expect("client CA");
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                    .build()
                    .expect("client verifier");
                builder.with_client_cert_verifier(verifier)
            }
        };
        let config =
            builder.with_single_cert(vec![server.cert.clone()], server.key.clone_key()).expect("server config");
        let tcp = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = tcp.local_addr().expect("addr");
        let refused = Arc::new(AtomicUsize::new(0));
        let listener =
            TlsListener { tcp, acceptor: TlsAcceptor::from(Arc::new(config)), refused: Arc::clone(&refused) };
        let reference = journey_reference::Config::demo();
        let accounts = reference.accounts.clone();
        let app = journey_reference::router(reference);
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TlsReference { addr, accounts, refused, _task: Running(task) }
    }

    /// The `JOURNEY_API_*` settings of both accounts, at `https://127.0.0.1:<port>`.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = Vec::new();
        for (account, suffix) in self.accounts.iter().zip(["", "_2"]) {
            env.push((format!("JOURNEY_API_URL{suffix}"), format!("https://{}/api/v4/{}", self.addr, account.id)));
            env.push((format!("JOURNEY_API_USER{suffix}"), account.id.clone()));
            env.push((format!("JOURNEY_API_PASSWORD{suffix}"), account.password.clone()));
        }
        env
    }
}

/// An HTTP proxy that only tunnels (`CONNECT host:port`), as corporate proxies do for https.
pub struct ConnectProxy {
    pub addr: SocketAddr,
    pub tunnels: Arc<AtomicUsize>,
    _task: Running,
}

impl ConnectProxy {
    pub async fn start() -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let addr = listener.local_addr().expect("addr");
        let tunnels = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&tunnels);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                connections.spawn(tunnel(client, Arc::clone(&counted)));
            }
        });
        ConnectProxy { addr, tunnels, _task: Running(task) }
    }
}

/// Reads the request head byte by byte (so nothing after it is swallowed), at most 8 KiB.
async fn head(client: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 8 * 1024 {
            return None;
        }
        match tokio::time::timeout(Duration::from_secs(5), client.read(&mut byte)).await {
            Ok(Ok(1)) => head.push(byte[0]),
            _ => return None,
        }
    }
    String::from_utf8(head).ok()
}

async fn tunnel(mut client: TcpStream, tunnels: Arc<AtomicUsize>) {
    let Some(head) = head(&mut client).await else { return };
    let mut words = head.split_whitespace();
    let (Some("CONNECT"), Some(authority)) = (words.next(), words.next()) else {
        let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n").await;
        return;
    };
    let upstream = tokio::time::timeout(Duration::from_secs(5), TcpStream::connect(authority.to_string())).await;
    let Ok(Ok(mut upstream)) = upstream else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n").await;
        return;
    };
    let _ = upstream.set_nodelay(true);
    if client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await.is_err() {
        return;
    }
    tunnels.fetch_add(1, Ordering::SeqCst);
    let _ =
        tokio::time::timeout(Duration::from_secs(120), tokio::io::copy_bidirectional(&mut client, &mut upstream)).await;
}
