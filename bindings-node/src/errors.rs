//! Core errors as plain descriptions; `index.js` turns the `code` into the matching error class.

use napi_derive::napi;

/// A failed call, described for the JS wrapper. `code` is the core's kind name (`ErrorKind::as_str`).
#[napi(object)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    pub status: Option<u32>,
    /// The envelope's `errors`, as JSON text.
    pub errors_json: String,
    /// The envelope's `messages`, as JSON text.
    pub messages_json: String,
    /// The response body (JSON value, or a string with the start of a non-JSON body), as JSON text.
    pub body_json: Option<String>,
    /// Response headers, lower-case names, in order: `[[name, value], ...]`.
    pub headers: Vec<Vec<String>>,
    pub ray_id: Option<String>,
    /// Seconds the server asked to wait (rate limits).
    pub retry_after: Option<f64>,
    pub attempts: u32,
}

impl From<&flarekit::Error> for ErrorInfo {
    fn from(e: &flarekit::Error) -> Self {
        ErrorInfo {
            code: e.kind().as_str().to_string(),
            message: e.message().to_string(),
            status: e.status().map(u32::from),
            errors_json: e.errors_json().to_string(),
            messages_json: e.messages_json().to_string(),
            body_json: e.body().map(|b| b.to_string()),
            headers: e
                .headers()
                .iter()
                .map(|(k, v)| vec![k.clone(), v.clone()])
                .collect(),
            ray_id: e.ray_id().map(str::to_owned),
            retry_after: e.retry_after().map(|d| d.as_secs_f64()),
            attempts: e.attempts(),
        }
    }
}

/// A synchronous failure, thrown with the kind name as the JS `code` so `index.js` can pick the class.
pub(crate) type Result<T> = std::result::Result<T, napi::Error<String>>;

pub(crate) fn throw(e: flarekit::Error) -> napi::Error<String> {
    napi::Error::new(e.kind().as_str().to_string(), e.message().to_string())
}

pub(crate) fn invalid(msg: impl Into<String>) -> napi::Error<String> {
    throw(flarekit::Error::new(
        flarekit::ErrorKind::InvalidArgument,
        msg.into(),
    ))
}

pub(crate) fn config(msg: impl Into<String>) -> napi::Error<String> {
    throw(flarekit::Error::new(
        flarekit::ErrorKind::Configuration,
        msg.into(),
    ))
}
