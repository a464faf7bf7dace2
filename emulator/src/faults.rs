//! Fault injection: rules queued through the admin API and consumed by the next
//! matching requests, before authentication.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use http::StatusCode;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::envelope::{ApiError, Notice, Reply, JSON};
use crate::ids;

/// Where to cut the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DropPoint {
    /// Close without sending anything.
    BeforeHeaders,
    /// Send the status line and headers, then close before any body byte.
    AfterHeaders,
}

/// What to do to a matching request. Fields combine: the delay comes first, then a
/// drop, otherwise a canned response (`html`, `success_false`, `invalid_utf8`,
/// `body_bytes`, `status`/`body`) or the real handler's, with `headers` added and
/// `truncate_body` applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Respond with this status (body defaults to a realistic envelope for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Body for `status`: JSON, or a string sent as-is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// Extra response headers (`Retry-After`, `retry-after-ms`, `x-should-retry`...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Wait this long before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Cut the connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<DropPoint>,
    /// Announce the full `Content-Length`, send half the body, close.
    #[serde(default, skip_serializing_if = "is_false")]
    pub truncate_body: bool,
    /// A Cloudflare-style HTML error page (`status` defaults to 502).
    #[serde(default, skip_serializing_if = "is_false")]
    pub html: bool,
    /// `200` with `success: false` and an error.
    #[serde(default, skip_serializing_if = "is_false")]
    pub success_false: bool,
    /// `200` JSON whose bytes are not valid UTF-8.
    #[serde(default, skip_serializing_if = "is_false")]
    pub invalid_utf8: bool,
    /// Body for `status` given as hex bytes (any bytes, e.g. invalid UTF-8), sent as `application/json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hex: Option<String>,
    /// A valid `200` list envelope of about this many bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<usize>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A queued rule: which requests, how many times, what fault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// `GET`, `POST`... or `*` (default).
    #[serde(default = "any_method")]
    pub method: String,
    /// Exact path, or a prefix ending in `*` (`/client/v4/zones*`).
    pub path: String,
    /// How many matching requests it applies to (default 1); counts down.
    #[serde(default = "one")]
    pub times: u32,
    /// The fault.
    pub fault: Fault,
}

fn any_method() -> String {
    "*".into()
}
fn one() -> u32 {
    1
}

/// Largest `body_bytes` accepted, so a typo cannot exhaust memory.
const MAX_BODY_BYTES: usize = 1 << 30;

impl FaultRule {
    /// Checks a rule before queueing it; the error says what to fix.
    pub fn validate(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err(format!(
                "path must start with / (e.g. /client/v4/zones), not {:?}",
                self.path
            ));
        }
        if self.times == 0 {
            return Err("times must be at least 1".into());
        }
        if self.method != "*" && http::Method::from_bytes(self.method.as_bytes()).is_err() {
            return Err(format!(
                "method must be an HTTP method or *, not {:?}",
                self.method
            ));
        }
        let f = &self.fault;
        if let Some(s) = f.status {
            StatusCode::from_u16(s).map_err(|_| format!("status {s} is not an HTTP status"))?;
        }
        if let Some(h) = &f.body_hex {
            if h.len() % 2 != 0 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("body_hex must be an even number of hex digits".into());
            }
        }
        if f.body_bytes.is_some_and(|n| n > MAX_BODY_BYTES) {
            return Err(format!("body_bytes may be at most {MAX_BODY_BYTES}"));
        }
        for (k, v) in &f.headers {
            if http::HeaderName::try_from(k.as_str()).is_err()
                || http::HeaderValue::try_from(v.as_str()).is_err()
            {
                return Err(format!("header {k}: {v} is not a valid HTTP header"));
            }
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let method_ok = self.method == "*" || self.method.eq_ignore_ascii_case(method);
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        method_ok && path_ok
    }
}

/// The queue of pending rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
    // Lets the common no-fault case skip the lock entirely.
    pending: AtomicUsize,
}

impl Faults {
    /// Queues a rule after validating it.
    pub fn push(&self, rule: FaultRule) -> Result<(), String> {
        rule.validate()?;
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        rules.push(rule);
        self.pending.store(rules.len(), Ordering::Release);
        Ok(())
    }

    /// Takes one use of the first rule matching this request.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        if self.pending.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let i = rules.iter().position(|r| r.matches(method, path))?;
        rules[i].times -= 1;
        let fault = if rules[i].times == 0 {
            rules.remove(i).fault
        } else {
            rules[i].fault.clone()
        };
        self.pending.store(rules.len(), Ordering::Release);
        Some(fault)
    }

    /// The rules still queued, with their remaining counts.
    pub fn pending(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.pending.store(0, Ordering::Release);
    }
}

/// A realistic error code and message for a status.
fn default_error(status: StatusCode) -> (u32, String) {
    let reason = status.canonical_reason().unwrap_or("Error");
    match status.as_u16() {
        400 => (1001, "Bad request".into()),
        401 | 403 => (10000, "Authentication error".into()),
        404 => (7003, "No route for the URI".into()),
        429 => (
            971,
            "Please wait and consider throttling your request speed".into(),
        ),
        s if s >= 500 => (
            10001,
            format!("{reason}: the service is temporarily unable to handle this request"),
        ),
        _ => (1000 + u32::from(status.as_u16()), reason.to_string()),
    }
}

impl Fault {
    /// The response this fault answers with instead of the handler's, if any.
    pub fn canned(&self) -> Option<Reply> {
        let status = |default: StatusCode| {
            self.status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(default)
        };
        if self.html {
            return Some(html_page(status(StatusCode::BAD_GATEWAY)));
        }
        if self.success_false {
            let body = json!({"success": false, "errors": [{"code": 1002, "message": "The request could not be completed (injected success:false)"}], "messages": [], "result": null});
            return Some(Reply::json(status(StatusCode::OK), &body));
        }
        if self.invalid_utf8 {
            let mut body = br#"{"success":true,"errors":[],"messages":[],"result":{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":""#.to_vec();
            body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
            body.extend_from_slice(br#""}}"#);
            return Some(Reply::raw(status(StatusCode::OK), JSON, body));
        }
        if let Some(n) = self.body_bytes {
            return Some(Reply::raw(status(StatusCode::OK), JSON, big_envelope(n)));
        }
        if let Some(hex) = &self.body_hex {
            return Some(Reply::raw(status(StatusCode::OK), JSON, decode_hex(hex)));
        }
        let code = StatusCode::from_u16(self.status?).ok()?;
        Some(match &self.body {
            Some(Value::String(s)) => {
                Reply::raw(code, "text/plain; charset=utf-8", s.clone().into_bytes())
            }
            Some(v) => Reply::json(code, v),
            None if code.is_success() => Reply::ok(()),
            None => {
                let (c, m) = default_error(code);
                ApiError {
                    status: code,
                    errors: vec![Notice::new(c, m)],
                    bare: false,
                }
                .reply()
            }
        })
    }

    /// Adds this fault's headers to a reply.
    pub fn decorate(&self, mut reply: Reply) -> Reply {
        for (k, v) in &self.headers {
            reply = reply.with_header(k, v);
        }
        reply
    }
}

fn decode_hex(h: &str) -> Vec<u8> {
    (0..h.len() / 2)
        .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// An HTML error page in the style of Cloudflare's edge.
fn html_page(status: StatusCode) -> Reply {
    let code = status.as_u16();
    let reason = status.canonical_reason().unwrap_or("Error");
    let ray = ids::ray_id();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>api.cloudflare.com | {code}: {reason}</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body>\n<div id=\"cf-error-details\" class=\"cf-error-details-wrapper\">\n<h1>{reason}</h1>\n<span class=\"cf-error-code\">Error code {code}</span>\n<p>Visit cloudflare.com for more information.</p>\n<p>Cloudflare Ray ID: <strong>{ray}</strong></p>\n</div>\n</body>\n</html>\n"
    );
    Reply::raw(status, "text/html; charset=UTF-8", page.into_bytes())
}

/// A valid list envelope of about `n` bytes: filler strings in `result`.
fn big_envelope(n: usize) -> Vec<u8> {
    const CHUNK: usize = 1024;
    let head = br#"{"success":true,"errors":[],"messages":[],"result":["#;
    let mut out = Vec::with_capacity(n + 256);
    out.extend_from_slice(head);
    let budget = n.saturating_sub(head.len() + 120);
    let mut count = 0usize;
    while out.len() < head.len() + budget {
        if count > 0 {
            out.push(b',');
        }
        let len = CHUNK.min(head.len() + budget - out.len()).max(2);
        out.push(b'"');
        out.resize(out.len() + len - 2, b'x');
        out.push(b'"');
        count += 1;
    }
    let tail = format!(
        r#"],"result_info":{{"page":1,"per_page":{c},"count":{c},"total_count":{c},"total_pages":1}}}}"#,
        c = count.max(1)
    );
    out.extend_from_slice(tail.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_envelope_is_valid_json_of_about_the_size() {
        for n in [0, 10, 500, 100_000] {
            let body = big_envelope(n);
            let v: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["success"], true);
            if n >= 500 {
                assert!(body.len().abs_diff(n) < 200, "{n} -> {}", body.len());
            }
        }
    }

    #[test]
    fn rules_count_down_and_match_prefixes() {
        let faults = Faults::default();
        let rule = FaultRule {
            method: "GET".into(),
            path: "/client/v4/zones*".into(),
            times: 2,
            fault: Fault {
                status: Some(503),
                ..Fault::default()
            },
        };
        faults.push(rule).unwrap();
        assert!(faults.take("POST", "/client/v4/zones").is_none());
        assert!(faults.take("GET", "/client/v4/zones/abc").is_some());
        assert!(faults.take("GET", "/client/v4/zones").is_some());
        assert!(faults.take("GET", "/client/v4/zones").is_none());
    }
}
