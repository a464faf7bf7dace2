//! One API request as handlers see it.

use std::net::IpAddr;

use bytes::Bytes;
use http::HeaderMap;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::auth::Principal;
use crate::envelope::ApiError;
use crate::state::audit::Actor;
use crate::state::State;

/// A parsed request plus the authenticated caller.
#[derive(Debug)]
pub struct Ctx {
    /// Path segments after `/client/v4`, percent-decoded.
    pub segs: Vec<String>,
    /// Query pairs in order, decoded.
    pub query: Vec<(String, String)>,
    /// Request headers.
    pub headers: HeaderMap,
    /// Request body.
    pub body: Bytes,
    /// The socket peer's address.
    pub ip: IpAddr,
    /// The caller, set once authenticated.
    pub principal: Principal,
}

/// Splits a raw query string into decoded pairs (`+` means space, as in forms).
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

impl Ctx {
    /// The first value of a query parameter.
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Path segment `i` (after `/client/v4`).
    pub fn seg(&self, i: usize) -> &str {
        self.segs.get(i).map(String::as_str).unwrap_or("")
    }

    /// The body as JSON; 400 / 6007 when it does not parse.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                6007,
                "Malformed JSON in request body: the body is empty",
            ));
        }
        serde_json::from_slice(&self.body).map_err(|e| {
            ApiError::bad_request(6007, format!("Malformed JSON in request body: {e}"))
        })
    }

    /// The audit actor for this request.
    pub fn actor(&self, state: &State) -> Actor {
        self.principal.actor(state, self.ip)
    }
}
