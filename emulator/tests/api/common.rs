//! Shared helpers: start an emulator, call it with a credential, raw sockets.

use std::net::SocketAddr;
use std::sync::Once;
use std::time::Duration;

use flarekit_emulator::{demo, Emulator, RunningEmulator, Seed};
use reqwest::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A credential to send.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    Token(&'a str),
    Key(&'a str, &'a str),
    ServiceKey(&'a str),
    Headers(&'a [(&'a str, &'a str)]),
}

/// The demo user's global key and email.
pub const GLOBAL: Auth<'static> = Auth::Key(demo::API_KEY, demo::API_EMAIL);

pub struct Env {
    pub emu: RunningEmulator,
    pub http: reqwest::Client,
}

/// A response: status, headers and the body parsed as JSON (Null when it is not JSON).
pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

static PROVIDER: Once = Once::new();

pub async fn start() -> Env {
    start_with(Seed::demo()).await
}

pub async fn start_with(seed: Seed) -> Env {
    // reqwest is built without a default crypto provider; plain http needs none, but
    // building a client still asks for one.
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    let emu = Emulator::builder()
        .seed(seed)
        .start()
        .await
        .expect("emulator starts");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    Env { emu, http }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
    ) -> Resp {
        let mut req = self.http.request(method, self.url(path));
        req = match auth {
            Auth::None => req,
            Auth::Token(t) => req.header("Authorization", format!("Bearer {t}")),
            Auth::Key(k, e) => req.header("X-Auth-Key", k).header("X-Auth-Email", e),
            Auth::ServiceKey(k) => req.header("X-Auth-User-Service-Key", k),
            Auth::Headers(hs) => hs.iter().fold(req, |r, (k, v)| r.header(*k, *v)),
        };
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request completes");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        Resp {
            status,
            headers,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Resp {
        self.call(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: Auth<'_>, body: Value) -> Resp {
        self.call(Method::POST, path, auth, Some(body)).await
    }

    /// POSTs to the admin API and returns the JSON answer.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.emu.admin_url()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("admin request");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// Queues a fault rule.
    pub async fn fault(&self, rule: Value) {
        let (status, body) = self.admin(Method::POST, "/faults", Some(rule)).await;
        assert_eq!(status, 201, "fault rejected: {body}");
    }

    pub fn addr(&self) -> SocketAddr {
        self.emu.addr()
    }
}

/// Asserts a failure envelope with this status and first error code.
#[track_caller]
pub fn assert_error(r: &Resp, status: u16, code: u64) {
    assert_eq!(r.status, status, "status; body {}", r.json);
    assert_eq!(r.json["success"], false, "body {}", r.json);
    assert_eq!(r.json["errors"][0]["code"], code, "body {}", r.json);
}

/// Asserts `200` with `success: true`.
#[track_caller]
pub fn assert_ok(r: &Resp) {
    assert_eq!(r.status, 200, "body {}", r.json);
    assert_eq!(r.json["success"], true, "body {}", r.json);
}

/// Sends a raw HTTP/1.1 request and reads until the server closes (at most 5 s).
/// Returns the bytes received and whether the read ended with a connection error.
pub async fn raw_request(addr: SocketAddr, request: &str) -> (Vec<u8>, bool) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    let read_all = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) => return false,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => return true,
            }
        }
    };
    let errored = tokio::time::timeout(Duration::from_secs(5), read_all)
        .await
        .expect("server closes the connection");
    (out, errored)
}

/// A GET with the global key, closing the connection afterwards.
pub fn raw_get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: emulator\r\nX-Auth-Key: {}\r\nX-Auth-Email: {}\r\nConnection: close\r\n\r\n", demo::API_KEY, demo::API_EMAIL)
}

/// Splits a raw response into (head, body).
pub fn split_response(raw: &[u8]) -> (String, Vec<u8>) {
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a head");
    (
        String::from_utf8_lossy(&raw[..at]).to_ascii_lowercase(),
        raw[at + 4..].to_vec(),
    )
}

/// The `content-length` of a raw response head.
pub fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .expect("content-length")
        .trim()
        .parse()
        .expect("number")
}
