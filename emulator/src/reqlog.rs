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
}

impl LoggedRequest {
    /// Captures a request, masking credentials.
    pub fn new(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
    ) -> LoggedRequest {
        let mut out = Map::new();
        for name in headers.keys() {
            let shown = if SECRET_HEADERS.contains(&name.as_str()) {
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
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_string),
            headers: out,
            status: None,
        }
    }
}

/// The log itself.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Mutex<VecDeque<LoggedRequest>>,
}

impl RequestLog {
    /// Appends an entry, dropping the oldest past [`CAPACITY`].
    pub fn push(&self, entry: LoggedRequest) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
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
