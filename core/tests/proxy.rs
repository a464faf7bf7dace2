//! Proxies end to end, against a loopback CONNECT proxy: the option and `HTTPS_PROXY` send a CONNECT for the API's
//! host, `NO_PROXY` and loopback base URLs bypass the proxy, a refused tunnel is explained, and a tunnel that
//! opens carries verified TLS to the server behind it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flarekit::{Cloudflare, ErrorKind, RawValue};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod support;
mod support_tls;

const PROXIED_TLS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/tls/proxied");

/// What the proxy does with a CONNECT.
#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    /// `200`, then the bytes go to this loopback port.
    TunnelTo(u16),
}

/// A loopback HTTP proxy that records every request line it receives.
async fn proxy(answer: Answer) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut conn, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
                    match conn.read(&mut byte).await {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let text = String::from_utf8_lossy(&head).to_string();
                log.lock()
                    .unwrap()
                    .push(text.lines().next().unwrap_or("").to_string());
                match answer {
                    Answer::Status(code) => {
                        let _ = conn
                            .write_all(
                                format!(
                                    "HTTP/1.1 {code} Proxy Says No\r\ncontent-length: 0\r\n\r\n"
                                )
                                .as_bytes(),
                            )
                            .await;
                    }
                    Answer::TunnelTo(target) => {
                        let Ok(mut upstream) =
                            tokio::net::TcpStream::connect(("127.0.0.1", target)).await
                        else {
                            return;
                        };
                        let _ = conn
                            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                            .await;
                        let _ = tokio::io::copy_bidirectional(&mut conn, &mut upstream).await;
                    }
                }
            });
        }
    });
    (port, seen)
}

fn env(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn client(base: &str, env: BTreeMap<String, String>, proxy: Option<String>) -> Cloudflare {
    let mut b = Cloudflare::builder()
        .api_token("tok-proxy-test-1234")
        .base_url(base)
        .max_retries(0)
        .timeout(Duration::from_secs(5))
        .env_source(env);
    if let Some(p) = proxy {
        b = b.proxy(p);
    }
    b.build().unwrap()
}

#[tokio::test]
async fn https_proxy_gets_a_connect_for_the_api_host_and_a_refusal_is_explained() {
    let (port, seen) = proxy(Answer::Status(502)).await;
    let cf = client(
        "https://api.cloudflare.com/client/v4",
        env(&[("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))]),
        None,
    );
    let err = cf.get("/user").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let want = format!(
        "the proxy at HTTPS_PROXY (http://127.0.0.1:{port}) answered 502 to CONNECT api.cloudflare.com:443"
    );
    assert!(err.message().contains(&want), "{}", err.message());
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(
        seen.iter()
            .all(|l| l == "CONNECT api.cloudflare.com:443 HTTP/1.1"),
        "{seen:?}"
    );
}

#[tokio::test]
async fn the_proxy_option_and_its_user_info_stay_out_of_messages() {
    let (port, seen) = proxy(Answer::Status(407)).await;
    let cf = client(
        "https://api.cloudflare.com/client/v4",
        BTreeMap::new(),
        Some(format!("http://someone:pr0xy-secret-pw@127.0.0.1:{port}")),
    );
    let err = cf.get("/zones").send().await.unwrap_err();
    let msg = err.message();
    assert!(
        msg.contains(&format!(
            "the proxy at proxy (http://***@127.0.0.1:{port}) answered 407"
        )),
        "{msg}"
    );
    assert!(
        !msg.contains("pr0xy-secret-pw") && !msg.contains("someone"),
        "{msg}"
    );
    assert!(!format!("{err:?} {cf:?}").contains("pr0xy-secret-pw"));
    assert_eq!(
        cf.effective_options()["proxy"],
        format!("http://***@127.0.0.1:{port}")
    );
    assert_eq!(
        seen.lock().unwrap()[0],
        "CONNECT api.cloudflare.com:443 HTTP/1.1"
    );
}

#[tokio::test]
async fn a_proxy_that_is_not_there_is_named() {
    // A port nothing listens on: bind, read the port, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let cf = client(
        "https://api.cloudflare.com/client/v4",
        env(&[("https_proxy", format!("127.0.0.1:{port}"))]),
        None,
    );
    let err = cf.get("/user").send().await.unwrap_err();
    assert!(
        err.message().contains(&format!(
            "could not connect to the proxy at https_proxy (http://127.0.0.1:{port})"
        )),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn a_tunnel_carries_verified_tls_to_the_server_behind_it() {
    let (tls_port, served) = support_tls::tls_server(PROXIED_TLS).await;
    let (port, seen) = proxy(Answer::TunnelTo(tls_port)).await;
    // Through the raw option path, as the front doors set it.
    let cf = Cloudflare::builder()
        .apply_options(vec![
            (
                "api_token".into(),
                RawValue::Str("tok-proxy-test-1234".into()),
            ),
            (
                "base_url".into(),
                RawValue::Str("https://api.flarekit.test/client/v4".into()),
            ),
            (
                "ca_bundle".into(),
                RawValue::Str(format!("{PROXIED_TLS}/ca.pem")),
            ),
            (
                "proxy".into(),
                RawValue::Str(format!("http://127.0.0.1:{port}")),
            ),
            ("env".into(), RawValue::Map(vec![])),
        ])
        .unwrap()
        .build()
        .unwrap();
    let user = cf.get("/user").send().await.unwrap();
    assert_eq!(user.result["id"], "u1");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(
        seen.lock().unwrap().clone(),
        vec!["CONNECT api.flarekit.test:443 HTTP/1.1".to_string()]
    );
}

#[tokio::test]
async fn no_proxy_and_loopback_bypass_the_proxy() {
    let (port, seen) = proxy(Answer::Status(502)).await;
    let proxy_env = || {
        vec![
            ("HTTPS_PROXY", format!("http://127.0.0.1:{port}")),
            ("ALL_PROXY", format!("http://127.0.0.1:{port}")),
        ]
    };
    // NO_PROXY exempts the host: the client goes direct (and, with no network here, fails without the proxy).
    let mut e = proxy_env();
    e.push(("NO_PROXY", "localhost,.flarekit.invalid".to_string()));
    let cf = client("https://api.flarekit.invalid/client/v4", env(&e), None);
    assert!(cf.effective_options()["proxy"].is_null());
    let err = cf.get("/user").send().await.unwrap_err();
    assert!(!err.message().contains("proxy"), "{}", err.message());
    // A loopback base URL never goes through a proxy, from the environment or the option.
    let emu = support::Emulator::start().await;
    let cf = client(
        &emu.base_url,
        env(&proxy_env()),
        Some(format!("http://127.0.0.1:{port}")),
    );
    assert!(cf.effective_options()["proxy"].is_null());
    cf.get("/user/tokens/verify").send().await.ok();
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}
