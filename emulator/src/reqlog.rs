//! The bounded log of API requests served, for `GET /__emulator/requests`.

use std::collections::VecDeque;
use std::sync::Mutex;

use http::HeaderMap;
use serde::Serialize;
use serde_json::{Map, Value};

/// Entries kept; older ones are dropped.
pub const CAPACITY: usize = 100_000;

/// Headers whose values are replaced by `***`.
const SECRET_HEADERS: &[&str] = &["authorization", "x-auth-key", "x-auth-user-service-key"];

/// One request as logged.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// Arrival order, from 1.
    pub seq: u64,
    /// Method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// Headers (lowercase names, repeated values joined by `, `), secrets masked.
    pub headers: Map<String, Value>,
    /// Response status; null when the connection was dropped before headers.
    pub status: Option<u16>,
    /// The request body when it is UTF-8 text (up to [`BODY_KEPT`] bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The request body in base64 when it is not UTF-8 (up to [`BODY_KEPT`] bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_base64: Option<String>,
}

/// Bytes of each request body kept in the log, so the log stays bounded.
pub const BODY_KEPT: usize = 64 * 1024;

impl LoggedRequest {
    /// Captures a request, masking credentials.
    pub fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        reveal_secrets: bool,
    ) -> LoggedRequest {
        let mut out = Map::new();
        for name in headers.keys() {
            let shown = if !reveal_secrets && SECRET_HEADERS.contains(&name.as_str()) {
                "***".to_string()
            } else {
                headers
                    .get_all(name)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.insert(name.as_str().to_string(), Value::String(shown));
        }
        LoggedRequest {
            seq: 0,
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_string),
            headers: out,
            status: None,
            body: None,
            body_base64: None,
        }
    }

    /// Keeps (the start of) the request body.
    pub fn with_body(mut self, body: &[u8]) -> LoggedRequest {
        if body.is_empty() {
            return self;
        }
        let kept = &body[..body.len().min(BODY_KEPT)];
        match std::str::from_utf8(kept) {
            Ok(text) => self.body = Some(text.to_string()),
            Err(_) => self.body_base64 = Some(base64(kept)),
        }
        self
    }
}

fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// The log itself.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
    next_seq: std::sync::atomic::AtomicU64,
}

impl RequestLog {
    /// Appends an entry when the request arrives (so a request whose client gave up is still counted),
    /// dropping the oldest past [`CAPACITY`]. Returns its sequence number for [`RequestLog::set_status`].
    pub fn push(&self, mut entry: LoggedRequest) -> u64 {
        let seq = self
            .next_seq
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        entry.seq = seq;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
        seq
    }

    /// Records the status answered to request `seq`.
    pub fn set_status(&self, seq: u64, status: u16) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = Some(status);
        }
    }

    /// Entries whose path equals `filter`, or starts with it when it ends in `*`; all without a filter.
    pub fn matching(&self, filter: Option<&str>) -> Vec<LoggedRequest> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let keep = |e: &&LoggedRequest| match filter {
            None => true,
            Some(f) => match f.strip_suffix('*') {
                Some(prefix) => e.path.starts_with(prefix),
                None => e.path == f,
            },
        };
        entries.iter().filter(keep).cloned().collect()
    }

    /// Empties the log.
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}
