//! Certificates made at test time (rcgen): a CA, a server certificate for 127.0.0.1 signed by it, and a
//! second CA with a client certificate for mutual TLS, written as PEM files the suite's variables name.

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::path::PathBuf;

/// One certificate signed by a CA, with its key, in DER (for the server) and as PEM files (for the client).
pub struct Issued {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
    pub ca: CertificateDer<'static>,
    pub ca_pem: PathBuf,
    pub cert_pem: PathBuf,
    pub key_pem: PathBuf,
}

fn ca(name: &str) -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().expect("CA key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    (params.self_signed(&key).expect("CA certificate"), key)
}

/// A fresh CA named `name` and a certificate it signed for `sans` (server or client use), written under `dir`.
pub fn issue(dir: &std::path::Path, name: &str, sans: &[&str], client: bool) -> Issued {
    let (ca_cert, ca_key) = ca(&format!("journey-conformance test CA ({name})"));
    let key = KeyPair::generate().expect("leaf key");
    let mut params = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("params");
    params.distinguished_name.push(DnType::CommonName, name);
    params.extended_key_usages =
        vec![if client { ExtendedKeyUsagePurpose::ClientAuth } else { ExtendedKeyUsagePurpose::ServerAuth }];
    let cert = params.signed_by(&key, &ca_cert, &ca_key).expect("signed");
    let write = |file: &str, text: String| {
        let path = dir.join(format!("{name}-{file}"));
        std::fs::write(&path, text).expect("write PEM");
        path
    };
    Issued {
        cert: CertificateDer::from(cert.der().to_vec()),
        key: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        ca: CertificateDer::from(ca_cert.der().to_vec()),
        ca_pem: write("ca.pem", ca_cert.pem()),
        cert_pem: write("cert.pem", cert.pem()),
        key_pem: write("key.pem", key.serialize_pem()),
    }
}
