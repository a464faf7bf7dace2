//! Test support: the emulator in-process, a log capture, vector loading and request checks.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{json, Value};

/// The emulator, started in-process on 127.0.0.1:0, with its admin API.
pub struct Emulator {
    pub base_url: String,
    pub origin: String,
    http: reqwest::Client,
    _running: flarekit_emulator::RunningEmulator,
}

impl Emulator {
    pub async fn start() -> Emulator {
        // reqwest is built without a default TLS provider; the admin client needs one installed, as the core does.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let running = flarekit_emulator::Emulator::builder()
            .reveal_secrets(true)
            .start()
            .await
            .expect("emulator starts");
        let base_url = running.base_url();
        let origin = base_url.trim_end_matches("/client/v4").to_string();
        Emulator {
            base_url,
            origin,
            http: reqwest::Client::new(),
            _running: running,
        }
    }

    pub async fn reset(&self) {
        self.reset_with(false).await
    }

    /// Also reloads the seeded state (tokens, zones, records as at start-up).
    pub async fn reset_state(&self) {
        self.reset_with(true).await
    }

    async fn reset_with(&self, state: bool) {
        let r = self
            .http
            .post(format!("{}/__emulator/reset", self.origin))
            .json(&json!({ "state": state }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "reset: {}", r.status());
    }

    /// Queue one scripted response for the next request, whatever its path.
    pub async fn queue(&self, response: &Value) {
        let mut fault = serde_json::Map::new();
        if let Some(Value::Object(raw)) = response.get("fault") {
            fault = raw.clone();
        } else if let Some(d) = response.get("drop") {
            fault.insert("drop".into(), d.clone());
        } else {
            fault.insert(
                "status".into(),
                response.get("status").cloned().unwrap_or(json!(200)),
            );
            if let Some(h) = response.get("headers") {
                fault.insert("headers".into(), h.clone());
            }
            if let Some(j) = response.get("json") {
                fault.insert("body".into(), j.clone());
            } else if let Some(t) = response.get("text") {
                fault.insert("body".into(), t.clone());
            } else if let Some(h) = response.get("body_hex") {
                fault.insert("body_hex".into(), h.clone());
            } else {
                fault.insert("body".into(), json!(""));
            }
        }
        if let Some(d) = response.get("delay_ms") {
            fault.insert("delay_ms".into(), d.clone());
        }
        let body = json!({"method": "*", "path": "/*", "times": 1, "fault": Value::Object(fault)});
        let r = self
            .http
            .post(format!("{}/__emulator/faults", self.origin))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success(),
            "queue fault: {} {}",
            r.status(),
            r.text().await.unwrap_or_default()
        );
    }

    /// The requests the emulator saw since the last reset.
    pub async fn requests(&self) -> Vec<Value> {
        let v: Value = self
            .http
            .get(format!("{}/__emulator/requests", self.origin))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["requests"].as_array().cloned().unwrap_or_default()
    }
}

/// Captures everything the core logs through `tracing`.
#[derive(Clone, Default)]
pub struct LogCapture {
    buf: Arc<Mutex<Vec<u8>>>,
}

impl LogCapture {
    pub fn install() -> LogCapture {
        static CAPTURE: OnceLock<LogCapture> = OnceLock::new();
        CAPTURE
            .get_or_init(|| {
                let cap = LogCapture::default();
                let writer = cap.clone();
                let subscriber = tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::DEBUG)
                    .with_ansi(false)
                    .with_writer(move || writer.clone())
                    .finish();
                tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
                cap
            })
            .clone()
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buf.lock().unwrap()).into_owned()
    }
    pub fn clear(&self) {
        self.buf.lock().unwrap().clear();
    }
}

impl Write for LogCapture {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn body_bytes(got: &Value) -> Vec<u8> {
    if let Some(b) = got.get("body_base64").and_then(Value::as_str) {
        return decode_base64(b);
    }
    got.get("body")
        .and_then(Value::as_str)
        .unwrap_or("")
        .as_bytes()
        .to_vec()
}

fn decode_base64(s: &str) -> Vec<u8> {
    let table = |c: u8| -> Option<u8> {
        match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(table) {
        acc = (acc << 6) | c as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn header<'a>(got: &'a Value, name: &str) -> Option<&'a str> {
    got.get("headers")
        .and_then(|h| h.get(name))
        .and_then(Value::as_str)
}

/// Compare one request the server saw against a vector's expectation.
pub fn check_request(i: usize, want: &Value, got: &Value, problems: &mut Vec<String>) {
    let p = |m: String, problems: &mut Vec<String>| problems.push(format!("request {i}: {m}"));
    for k in ["method", "path"] {
        if let Some(w) = want.get(k) {
            if got.get(k) != Some(w) {
                p(format!("{k} {:?} != expected {w}", got.get(k)), problems);
            }
        }
    }
    if let Some(wq) = want.get("query") {
        let raw = got.get("query").and_then(Value::as_str).unwrap_or("");
        let pairs: Vec<Value> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| json!([k, v]))
            .collect();
        if Value::Array(pairs.clone()) != *wq {
            p(format!("query {pairs:?} != expected {wq}"), problems);
        }
    }
    if let Some(h) = want.get("headers").and_then(Value::as_object) {
        for (k, v) in h {
            if header(got, k) != v.as_str() {
                p(
                    format!("header {k} is {:?}, expected {v}", header(got, k)),
                    problems,
                );
            }
        }
    }
    if let Some(h) = want.get("header_prefix").and_then(Value::as_object) {
        for (k, v) in h {
            let ok = header(got, k).is_some_and(|g| g.starts_with(v.as_str().unwrap_or("")));
            if !ok {
                p(
                    format!("header {k} is {:?}, expected prefix {v}", header(got, k)),
                    problems,
                );
            }
        }
    }
    if let Some(a) = want.get("absent_headers").and_then(Value::as_array) {
        for k in a.iter().filter_map(Value::as_str) {
            if header(got, k).is_some() {
                p(format!("header {k} was sent but must not be"), problems);
            }
        }
    }
    if let Some(ct) = want.get("content_type_prefix").and_then(Value::as_str) {
        if !header(got, "content-type").is_some_and(|g| g.starts_with(ct)) {
            p(
                format!(
                    "content-type {:?} lacks prefix {ct}",
                    header(got, "content-type")
                ),
                problems,
            );
        }
    }
    let body = body_bytes(got);
    if let Some(j) = want.get("json") {
        match serde_json::from_slice::<Value>(&body) {
            Ok(v) if &v == j => {}
            Ok(v) => p(format!("json body {v} != expected {j}"), problems),
            Err(e) => p(
                format!(
                    "body is not JSON ({e}): {:?}",
                    String::from_utf8_lossy(&body)
                ),
                problems,
            ),
        }
    }
    if let Some(t) = want.get("body_text").and_then(Value::as_str) {
        if body != t.as_bytes() {
            p(
                format!(
                    "body {:?} != expected {t:?}",
                    String::from_utf8_lossy(&body)
                ),
                problems,
            );
        }
    }
    if let Some(parts) = want.get("multipart").and_then(Value::as_array) {
        let ct = header(got, "content-type").unwrap_or("");
        let got_parts = parse_multipart(ct, &body);
        if got_parts.len() != parts.len() {
            p(
                format!(
                    "{} multipart parts, expected {}: {got_parts:?}",
                    got_parts.len(),
                    parts.len()
                ),
                problems,
            );
        }
        for (w, g) in parts.iter().zip(got_parts.iter()) {
            for k in ["name", "filename", "content_type", "content"] {
                if let Some(wv) = w.get(k) {
                    if g.get(k) != Some(wv) {
                        p(
                            format!("multipart part {k} {:?} != expected {wv}", g.get(k)),
                            problems,
                        );
                    }
                }
            }
        }
    }
}

/// A small multipart/form-data parser for checking what went on the wire.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Value> {
    let Some(boundary) = content_type
        .split("boundary=")
        .nth(1)
        .map(|b| b.trim_matches('"').to_string())
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(body);
    let delim = format!("--{boundary}");
    let mut out = Vec::new();
    for chunk in text.split(delim.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
        let Some((head, content)) = chunk.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let mut part = serde_json::Map::new();
        for line in head.split("\r\n") {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for attr in line.split(';').skip(1) {
                    if let Some((k, v)) = attr.trim().split_once('=') {
                        let v = v.trim_matches('"').to_string();
                        match k {
                            "name" => {
                                part.insert("name".into(), json!(v));
                            }
                            "filename" => {
                                part.insert("filename".into(), json!(v));
                            }
                            _ => {}
                        }
                    }
                }
            } else if lower.starts_with("content-type:") {
                part.insert("content_type".into(), json!(line[13..].trim()));
            }
        }
        part.insert("content".into(), json!(content));
        out.push(Value::Object(part));
    }
    out
}
