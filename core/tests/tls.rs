//! Transport security end to end: certificates are always verified; a private CA is trusted only when passed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use flarekit::{Cloudflare, ErrorKind};

mod support_tls;

const TLS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/tls");

async fn tls_server() -> (u16, Arc<AtomicUsize>) {
    support_tls::tls_server(TLS_DIR).await
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
