//! TLS mismatches: TLS on a plain-HTTP URL, a self-signed certificate, plain HTTP on an https URL.

use crate::server::{start, Hostility};
use crate::{settings, PASSWORD};
use journey_conformance::run::session::Session;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Setup against a TLS mismatch fails with one line, quickly, without the password.
async fn setup_error(url: &str) -> (String, Duration) {
    let started = Instant::now();
    match Session::start(settings(url, &[])).await {
        Ok(_) => panic!("setup against {url} must fail"),
        Err(e) => (e.to_string(), started.elapsed()),
    }
}

fn assert_one_line(message: &str, took: Duration) {
    println!("{message} ({:.1}s)", took.as_secs_f64());
    assert!(!message.contains('\n') && !message.is_empty(), "{message}");
    assert!(!message.contains(PASSWORD), "{message}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_on_a_plain_port_and_plain_http_on_a_tls_url_fail_cleanly() {
    let tls = TlsServer::start();
    let (message, took) = setup_error(&format!("http://127.0.0.1:{}/api/v4/acc", tls.port)).await;
    assert_one_line(&message, took);
    // The same server at an https URL: its self-signed certificate is refused, cleanly.
    let (message, took) = setup_error(&format!("https://127.0.0.1:{}/api/v4/acc", tls.port)).await;
    assert_one_line(&message, took);
    let plain = start(Hostility::Html).await;
    let (message, took) = setup_error(&format!("https://127.0.0.1:{}/api/v4/acc", plain.port)).await;
    assert_one_line(&message, took);
}

/// A TLS server with a self-signed certificate made now (rcgen), on a thread that stops by itself.
struct TlsServer {
    port: u16,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl TlsServer {
    fn start() -> TlsServer {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let certified =
            rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).expect("self-signed cert");
        let cert = CertificateDer::from(certified.cert.der().to_vec());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .expect("server config");
        let config = Arc::new(config);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !flag.load(Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((mut socket, _)) => {
                        let _ = socket.set_nonblocking(false);
                        let _ = socket.set_nodelay(true);
                        let _ = socket.set_read_timeout(Some(Duration::from_secs(2)));
                        let _ = socket.set_write_timeout(Some(Duration::from_secs(2)));
                        if let Ok(mut conn) = rustls::ServerConnection::new(Arc::clone(&config)) {
                            // Handshake (or fail on plain HTTP, sending an alert), then answer nothing more.
                            for _ in 0..10 {
                                if conn.complete_io(&mut socket).is_err() || !conn.is_handshaking() {
                                    break;
                                }
                            }
                            let _ = conn.write_tls(&mut socket);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        TlsServer { port, stop }
    }
}
