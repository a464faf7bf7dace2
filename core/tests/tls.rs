//! Transport security end to end: certificates are always verified; a private CA is trusted only when passed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use flarekit::{Cloudflare, ErrorKind};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TLS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/tls");

/// A loopback HTTPS server answering every request with a success envelope; counts HTTP requests served.
async fn tls_server() -> (u16, Arc<AtomicUsize>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certs: Vec<CertificateDer> = CertificateDer::pem_file_iter(format!("{TLS_DIR}/server.pem"))
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{TLS_DIR}/server.key")).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let counter = counter.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                counter.fetch_add(1, Ordering::SeqCst);
                let body = r#"{"success":true,"errors":[],"messages":[],"result":{"id":"u1"}}"#;
                let resp = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(resp.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (port, served)
}

fn client(base: &str, ca: Option<&str>) -> Cloudflare {
    let mut b = Cloudflare::builder()
        .api_token("tok-tls-canary-123")
        .base_url(base)
        .max_retries(0)
        .env_source(std::collections::BTreeMap::new());
    if let Some(ca) = ca {
        b = b.ca_bundle(ca);
    }
    b.build().unwrap()
}

#[tokio::test]
async fn self_signed_server_refused_without_its_ca() {
    let (port, served) = tls_server().await;
    let err = client(&format!("https://127.0.0.1:{port}/client/v4"), None)
        .get("/user")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert_eq!(
        served.load(Ordering::SeqCst),
        0,
        "no HTTP request (and no credential) crossed an unverified connection"
    );
}

#[tokio::test]
async fn private_ca_trusted_when_passed() {
    let (port, served) = tls_server().await;
    let ca = format!("{TLS_DIR}/ca.pem");
    for host in ["127.0.0.1", "localhost"] {
        let r = client(&format!("https://{host}:{port}/client/v4"), Some(&ca))
            .get("/user")
            .send()
            .await
            .unwrap();
        assert_eq!(r.result["id"], "u1");
    }
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[test]
fn unreadable_ca_bundle_is_a_configuration_error() {
    let err = Cloudflare::builder()
        .api_token("tok-tls-canary-123")
        .ca_bundle("/nonexistent/ca.pem")
        .env_source(std::collections::BTreeMap::new())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    let err = Cloudflare::builder()
        .api_token("tok-tls-canary-123")
        .ca_bundle(format!("{TLS_DIR}/README.md"))
        .env_source(std::collections::BTreeMap::new())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration, "{err}");
}
