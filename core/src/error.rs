//! One error type for every failure, and the one table that classifies API failures.
//!
//! `ErrorKind::as_str()` is the class name every front door uses (Python exception class, JS class and `code`).

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// What went wrong, coarsely. The name table (`as_str`) is shared by the Python and JS classes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// 400 without an authentication code.
    BadRequest,
    /// 401, or any response whose errors carry an auth-rejection code (9106, 9103, 9109, 10000, 61xx...).
    Authentication,
    /// No usable credentials at construction (a kind of authentication error).
    MissingCredentials,
    /// 403 without an authentication code.
    PermissionDenied,
    /// 404.
    NotFound,
    /// 409.
    Conflict,
    /// 422.
    UnprocessableEntity,
    /// 429.
    RateLimit,
    /// 5xx.
    InternalServer,
    /// Any other API response that is an error: 3xx (redirects are not followed), other 4xx,
    /// a 2xx with `success: false`, or a 2xx body that cannot be decoded.
    ApiStatus,
    /// The request could not be sent or the response not received.
    Connection,
    /// An attempt took longer than the timeout.
    Timeout,
    /// The caller cancelled the request.
    UserAbort,
    /// Bad client options: base URL, header values, credential characters.
    Configuration,
    /// A call's arguments are wrong (missing path parameter, unknown operation or parameter), detected before any request.
    InvalidArgument,
}

impl ErrorKind {
    /// Every kind, for bindings that build one class per kind.
    pub const ALL: [ErrorKind; 15] = [
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::MissingCredentials,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::UnprocessableEntity,
        ErrorKind::RateLimit,
        ErrorKind::InternalServer,
        ErrorKind::ApiStatus,
        ErrorKind::Connection,
        ErrorKind::Timeout,
        ErrorKind::UserAbort,
        ErrorKind::Configuration,
        ErrorKind::InvalidArgument,
    ];

    /// The class name shared by all front doors.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "BadRequestError",
            ErrorKind::Authentication => "AuthenticationError",
            ErrorKind::MissingCredentials => "MissingCredentialsError",
            ErrorKind::PermissionDenied => "PermissionDeniedError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Conflict => "ConflictError",
            ErrorKind::UnprocessableEntity => "UnprocessableEntityError",
            ErrorKind::RateLimit => "RateLimitError",
            ErrorKind::InternalServer => "InternalServerError",
            ErrorKind::ApiStatus => "APIStatusError",
            ErrorKind::Connection => "APIConnectionError",
            ErrorKind::Timeout => "APITimeoutError",
            ErrorKind::UserAbort => "APIUserAbortError",
            ErrorKind::Configuration => "ConfigurationError",
            ErrorKind::InvalidArgument => "InvalidArgumentError",
        }
    }

    /// Whether this kind is an authentication error (including missing credentials).
    pub fn is_authentication(self) -> bool {
        matches!(
            self,
            ErrorKind::Authentication | ErrorKind::MissingCredentials
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of an envelope's `errors` (or of an `error_chain`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiErrorDetail {
    /// Codes are not bounded to 16 bits; some exceed 65535.
    pub code: i64,
    pub message: String,
    pub documentation_url: Option<String>,
    pub source: Option<Value>,
    pub error_chain: Vec<ApiErrorDetail>,
}

impl ApiErrorDetail {
    /// Read one error object leniently: a missing or odd field takes a default instead of failing the decode.
    pub fn from_value(v: &Value) -> ApiErrorDetail {
        let code = match v.get("code") {
            Some(Value::Number(n)) => n
                .as_i64()
                .or_else(|| n.as_u64().map(|u| u as i64))
                .unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 0,
        };
        let message = match v.get("message") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let documentation_url = v
            .get("documentation_url")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let source = v.get("source").filter(|s| !s.is_null()).cloned();
        let error_chain = v
            .get("error_chain")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(ApiErrorDetail::from_value).collect())
            .unwrap_or_default();
        ApiErrorDetail {
            code,
            message,
            documentation_url,
            source,
            error_chain,
        }
    }

    fn codes_into(&self, out: &mut Vec<i64>) {
        out.push(self.code);
        for c in &self.error_chain {
            c.codes_into(out);
        }
    }

    fn render_into(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(out, "[{}] {}", self.code, self.message);
        if !self.error_chain.is_empty() {
            out.push_str(" (");
            for (i, c) in self.error_chain.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                c.render_into(out);
            }
            out.push(')');
        }
    }
}

/// The one table: which kind an API failure is, from its status, its error codes and the request path.
///
/// Codes win over status because the API reports authentication failures under 400 and 403 too.
pub fn classify(status: u16, errors: &[ApiErrorDetail], path: &str) -> ErrorKind {
    if errors.iter().any(|e| is_auth_rejection(e, path)) {
        return ErrorKind::Authentication;
    }
    match status {
        400 => ErrorKind::BadRequest,
        401 => ErrorKind::Authentication,
        403 => ErrorKind::PermissionDenied,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        422 => ErrorKind::UnprocessableEntity,
        429 => ErrorKind::RateLimit,
        500..=599 => ErrorKind::InternalServer,
        _ => ErrorKind::ApiStatus,
    }
}

fn is_auth_rejection(e: &ApiErrorDetail, path: &str) -> bool {
    match e.code {
        // Missing auth headers, unknown key/email, unauthorized/invalid token, authentication error.
        9106 | 9103 | 9109 | 10000 => true,
        // Invalid request headers: an auth rejection only when its chain names a header-format problem.
        6003 => e
            .error_chain
            .iter()
            .any(|c| (6100..=6199).contains(&c.code)),
        6100..=6199 => true,
        // "Invalid API Token" means a rejected credential only where tokens are verified.
        1000 => path.trim_end_matches('/').ends_with("/tokens/verify"),
        _ => false,
    }
}

/// Everything known about a failed call. Cheap to move (boxed).
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    errors: Vec<ApiErrorDetail>,
    errors_raw: Value,
    messages_raw: Value,
    body: Option<Value>,
    headers: Vec<(String, String)>,
    ray_id: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The parts of an API response that an API error carries.
#[derive(Default)]
pub(crate) struct ApiFailure {
    pub status: u16,
    pub reason: String,
    pub errors_raw: Value,
    pub messages_raw: Value,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    pub ray_id: Option<String>,
    pub retry_after: Option<Duration>,
    /// Text used when the envelope lists no errors (non-JSON bodies, empty error lists).
    pub detail: Option<String>,
    /// Extra advice appended to the message.
    pub hint: Option<String>,
}

impl Error {
    /// A failure detected by the client itself (no response involved).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                status: None,
                errors: Vec::new(),
                errors_raw: Value::Array(Vec::new()),
                messages_raw: Value::Array(Vec::new()),
                body: None,
                headers: Vec::new(),
                ray_id: None,
                retry_after: None,
                attempts: 0,
                source: None,
            }),
        }
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }

    pub(crate) fn append_message(mut self, extra: &str) -> Error {
        self.inner.message.push_str(extra);
        self
    }

    /// Build an API error of the given kind from a response.
    pub(crate) fn api(kind: ErrorKind, f: ApiFailure) -> Error {
        let errors: Vec<ApiErrorDetail> = f
            .errors_raw
            .as_array()
            .map(|a| a.iter().map(ApiErrorDetail::from_value).collect())
            .unwrap_or_default();
        let mut message = format!("{} {}", f.status, f.reason).trim_end().to_string();
        message.push_str(": ");
        if errors.is_empty() {
            message.push_str(
                f.detail
                    .as_deref()
                    .unwrap_or("no error details in the response"),
            );
        } else {
            for (i, e) in errors.iter().enumerate() {
                if i > 0 {
                    message.push_str("; ");
                }
                e.render_into(&mut message);
            }
        }
        if let Some(ray) = &f.ray_id {
            message.push_str(&format!(" (cf-ray {ray})"));
        }
        if let Some(hint) = &f.hint {
            message.push_str(" - ");
            message.push_str(hint);
        }
        Error {
            inner: Box::new(Inner {
                kind,
                message,
                status: Some(f.status),
                errors,
                errors_raw: f.errors_raw,
                messages_raw: f.messages_raw,
                body: f.body,
                headers: f.headers,
                ray_id: f.ray_id,
                retry_after: f.retry_after,
                attempts: 0,
                source: None,
            }),
        }
    }

    /// The kind, whose `as_str()` is the class name in every language.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The full message, as `Display` shows it.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// HTTP status when the API answered.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The envelope's `errors`, parsed.
    pub fn errors(&self) -> &[ApiErrorDetail] {
        &self.inner.errors
    }
    /// The envelope's `errors` exactly as received (an array, possibly empty).
    pub fn errors_json(&self) -> &Value {
        &self.inner.errors_raw
    }
    /// The envelope's `messages` exactly as received.
    pub fn messages_json(&self) -> &Value {
        &self.inner.messages_raw
    }
    /// Every error code, chained ones included, in order.
    pub fn codes(&self) -> Vec<i64> {
        let mut out = Vec::new();
        for e in &self.inner.errors {
            e.codes_into(&mut out);
        }
        out
    }
    /// The response body: the JSON value, or a string holding the start of a non-JSON body.
    pub fn body(&self) -> Option<&Value> {
        self.inner.body.as_ref()
    }
    /// Response headers, lower-cased names, in order received.
    pub fn headers(&self) -> &[(String, String)] {
        &self.inner.headers
    }
    /// The `cf-ray` id of the response.
    pub fn ray_id(&self) -> Option<&str> {
        self.inner.ray_id.as_deref()
    }
    /// For rate limits: how long the server asked to wait.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// How many attempts were made (0 when the error arose before any request).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers are left out: a response never echoes credentials, but keeping Debug small keeps logs readable.
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("status", &self.inner.status)
            .field("message", &self.inner.message)
            .field("attempts", &self.inner.attempts)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|s| s.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// Result alias for flarekit calls.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn details(v: Value) -> Vec<ApiErrorDetail> {
        v.as_array()
            .unwrap()
            .iter()
            .map(ApiErrorDetail::from_value)
            .collect()
    }

    #[test]
    fn codes_beat_status() {
        let e = details(json!([{"code": 10000, "message": "Authentication error"}]));
        assert_eq!(classify(403, &e, "/zones"), ErrorKind::Authentication);
        let e = details(
            json!([{"code": 6003, "message": "x", "error_chain": [{"code": 6103, "message": "y"}]}]),
        );
        assert_eq!(classify(400, &e, "/zones"), ErrorKind::Authentication);
        let e = details(json!([{"code": 6003, "message": "x"}]));
        assert_eq!(classify(400, &e, "/zones"), ErrorKind::BadRequest);
        let e = details(json!([{"code": 1000, "message": "Invalid API Token"}]));
        assert_eq!(
            classify(400, &e, "/user/tokens/verify"),
            ErrorKind::Authentication
        );
        assert_eq!(classify(400, &e, "/zones"), ErrorKind::BadRequest);
    }

    #[test]
    fn every_kind_has_a_distinct_name() {
        let mut names: Vec<_> = ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
    }

    #[test]
    fn big_and_odd_codes_decode() {
        let d = ApiErrorDetail::from_value(&json!({"code": 1_234_567, "message": null}));
        assert_eq!(d.code, 1_234_567);
        let d = ApiErrorDetail::from_value(&json!({"code": "81044"}));
        assert_eq!(d.code, 81044);
    }
}
