//! `--tls`: a certificate authority and a server certificate for `127.0.0.1`, `::1` and `localhost`, made at
//! start-up, served with ALPN `h2` and `http/1.1`, so benchmarks and tests reproduce a real HTTPS link on loopback.

use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair, KeyUsagePurpose, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The server's TLS configuration and the CA that signed it (PEM), for clients to trust.
pub struct Tls {
    /// The acceptor for incoming connections.
    pub acceptor: tokio_rustls::TlsAcceptor,
    /// The CA certificate, PEM.
    pub ca_pem: String,
}

fn err(e: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("could not make the TLS certificate: {e}"))
}

/// A new CA and server certificate, and the rustls configuration serving them.
pub fn make() -> std::io::Result<Tls> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca_key = KeyPair::generate().map_err(err)?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(rcgen::DnType::CommonName, "flarekit-emulator test CA");
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;

    let key = KeyPair::generate().map_err(err)?;
    let mut leaf = CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
    leaf.subject_alt_names
        .push(SanType::IpAddress(std::net::IpAddr::from([127, 0, 0, 1])));
    leaf.subject_alt_names
        .push(SanType::IpAddress(std::net::IpAddr::from(
            std::net::Ipv6Addr::LOCALHOST,
        )));
    leaf.distinguished_name
        .push(rcgen::DnType::CommonName, "flarekit-emulator");
    let leaf_cert = leaf.signed_by(&key, &ca_cert, &ca_key).map_err(err)?;

    let chain = vec![
        CertificateDer::from(leaf_cert.der().to_vec()),
        CertificateDer::from(ca_cert.der().to_vec()),
    ];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let mut config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(err)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        ca_pem: ca_cert.pem(),
    })
}
