//! The v4 response envelope `{success, errors, messages, result, result_info}`
//! and the error type every handler returns.

use bytes::Bytes;
use http::{HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde_json::Value;

/// One entry of `errors` or `messages`, with an optional nested `error_chain`.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// Numeric Cloudflare code.
    pub code: u32,
    /// Human-readable text.
    pub message: String,
    /// Causes, as the real API nests them under 6003.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_chain: Vec<Notice>,
}

impl Notice {
    /// A notice without a chain.
    pub fn new(code: u32, message: impl Into<String>) -> Notice {
        Notice {
            code,
            message: message.into(),
            error_chain: Vec::new(),
        }
    }
}

/// A success message entry; the real API sends `"type": null` in these.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    /// Numeric code.
    pub code: u32,
    /// Text.
    pub message: &'static str,
    /// Always null, as the real API sends it.
    #[serde(rename = "type")]
    pub kind: Option<&'static str>,
}

/// Paging facts of a list response, exact for the request.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct ResultInfo {
    /// The page served (1-based).
    pub page: usize,
    /// The page size in effect (after clamping to the endpoint's bounds).
    pub per_page: usize,
    /// Items on this page.
    pub count: usize,
    /// Items across all pages.
    pub total_count: usize,
    /// `ceil(total_count / per_page)`.
    pub total_pages: usize,
}

#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    success: bool,
    errors: &'a [Notice],
    messages: &'a [Message],
    result: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    result_info: Option<ResultInfo>,
}

/// A finished response: status, extra headers and a body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: StatusCode,
    /// Headers beyond `content-type` and `cf-ray`.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The `content-type` value.
    pub content_type: &'static str,
    /// The body bytes.
    pub body: Bytes,
}

/// The JSON content type the API answers with.
pub const JSON: &str = "application/json";

impl Reply {
    /// A JSON reply from any serialisable value.
    pub fn json(status: StatusCode, value: &impl Serialize) -> Reply {
        // Serialising our own types cannot fail; an empty object is a safe fallback.
        let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
        Reply::raw(status, JSON, body)
    }

    /// A reply with an explicit content type and body.
    pub fn raw(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            content_type,
            body: body.into(),
        }
    }

    /// `200` with `success: true` and `result`.
    pub fn ok(result: impl Serialize) -> Reply {
        Reply::ok_with(result, &[])
    }

    /// `200` with `success: true`, `result` and success `messages`.
    pub fn ok_with(result: impl Serialize, messages: &[Message]) -> Reply {
        let env = Envelope {
            success: true,
            errors: &[],
            messages,
            result,
            result_info: None,
        };
        Reply::json(StatusCode::OK, &env)
    }

    /// `200` list reply with `result_info`.
    pub fn list(result: impl Serialize, info: ResultInfo) -> Reply {
        let env = Envelope {
            success: true,
            errors: &[],
            messages: &[],
            result,
            result_info: Some(info),
        };
        Reply::json(StatusCode::OK, &env)
    }

    /// The same reply under another content type.
    pub fn with_content_type(mut self, content_type: &'static str) -> Reply {
        self.content_type = content_type;
        self
    }

    /// Adds a header (ignored when the name or value is not valid HTTP).
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            self.headers.push((n, v));
        }
        self
    }
}

/// A failure the handler turns into a `success: false` envelope.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The `errors` entries.
    pub errors: Vec<Notice>,
    /// Send only `success` and `errors`, as the real 9106 body does.
    pub bare: bool,
}

impl ApiError {
    /// One error with a code and message.
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            errors: vec![Notice::new(code, message)],
            bare: false,
        }
    }

    /// `400` with a code and message.
    pub fn bad_request(code: u32, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// `404` with a code and message.
    pub fn not_found(code: u32, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, code, message)
    }

    /// The 7003 answer for a path that names nothing.
    pub fn no_route() -> ApiError {
        ApiError::not_found(7003, "No route for the URI")
    }

    /// `403` / 10000, the real API's answer for a token that may not do this.
    pub fn auth_error() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, 10000, "Authentication error")
    }

    /// The reply for this error.
    pub fn reply(&self) -> Reply {
        if self.bare {
            #[derive(Serialize)]
            struct Bare<'a> {
                success: bool,
                errors: &'a [Notice],
            }
            return Reply::json(
                self.status,
                &Bare {
                    success: false,
                    errors: &self.errors,
                },
            );
        }
        let env = Envelope {
            success: false,
            errors: &self.errors,
            messages: &[],
            result: (),
            result_info: None,
        };
        Reply::json(self.status, &env)
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        e.reply()
    }
}

/// `v` without the object members whose value is null, at any depth: the spec describes unset optional fields
/// (a zone's tenant, a token's expiry, ...) as absent, not null.
pub fn without_nulls(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.retain(|_, x| !x.is_null());
                m.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}
