//! `NativeClient`: one core client (and, when logging is on, the id its logger is registered under).

use flarekit as fk;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use serde_json::Value;

use crate::call::{NativeCall, NativePager};
use crate::cancel::Cancel;
use crate::errors::{invalid, throw, Result};
use crate::logging::{self, LoggerFn};

/// A file found among a call's arguments (see the core's `FileArg`): `at` is where (`["value"]`, `["file",
/// "files"]`; empty with `positional` the index for a positional argument), `list` whether it was one entry of a list.
#[napi(object)]
pub struct FileArg {
    pub at: Vec<String>,
    pub positional: Option<u32>,
    pub list: bool,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Buffer,
}

#[napi]
pub struct NativeClient {
    pub(crate) inner: fk::Cloudflare,
    /// Set when this client's events go to a JS logger.
    pub(crate) log_id: Option<u64>,
}

impl Drop for NativeClient {
    fn drop(&mut self) {
        if let Some(id) = self.log_id {
            logging::unregister(id);
        }
    }
}

/// Build with `make` (the core's option rules applied to a builder); construction runs in the client's logging
/// span so resolution warnings reach its logger.
fn create(
    make: impl FnOnce() -> fk::Result<fk::Cloudflare>,
    logger: Option<LoggerFn>,
) -> Result<NativeClient> {
    logging::init();
    let Some(logger) = logger else {
        return Ok(NativeClient {
            inner: make().map_err(throw)?,
            log_id: None,
        });
    };
    let id = logging::next_id();
    logging::register(id, logger);
    match logging::span(id).in_scope(make) {
        Ok(inner) if inner.log_level() != fk::LogLevel::Off => Ok(NativeClient {
            inner,
            log_id: Some(id),
        }),
        Ok(inner) => {
            logging::unregister(id);
            Ok(NativeClient {
                inner,
                log_id: None,
            })
        }
        Err(e) => {
            logging::unregister(id);
            Err(throw(e))
        }
    }
}

fn parse_json(what: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{what} could not be encoded: {e}")))
}

fn parse_verb(v: &str) -> Result<fk::Verb> {
    Ok(match v.to_ascii_uppercase().as_str() {
        "GET" => fk::Verb::Get,
        "POST" => fk::Verb::Post,
        "PUT" => fk::Verb::Put,
        "PATCH" => fk::Verb::Patch,
        "DELETE" => fk::Verb::Delete,
        other => {
            return Err(invalid(format!(
                "unknown HTTP method {other:?}; expected GET, POST, PUT, PATCH or DELETE"
            )))
        }
    })
}

#[napi]
impl NativeClient {
    /// Build a client from the options as `js/options.js` encodes them; fails (before any request) with the
    /// core's error kind as `code`. `runtime` is the User-Agent's `(node <version>)` part.
    #[napi(
        constructor,
        ts_args_type = "optionsJson: string, runtime: string, logger?: ((event: LogEvent) => void) | undefined | null"
    )]
    pub fn new(options_json: String, runtime: String, logger: Option<LoggerFn>) -> Result<Self> {
        let given = crate::options::given(&options_json)?;
        create(
            move || {
                fk::Cloudflare::builder()
                    .naming(fk::Naming::Camel)
                    .runtime(runtime)
                    .apply_options(given)?
                    .build()
            },
            logger,
        )
    }

    /// A new client with some options changed, by the core's variant rules; the environment is not read again.
    #[napi(
        ts_args_type = "optionsJson: string, logger?: ((event: LogEvent) => void) | undefined | null"
    )]
    pub fn with_options(
        &self,
        options_json: String,
        logger: Option<LoggerFn>,
    ) -> Result<NativeClient> {
        let given = crate::options::given(&options_json)?;
        let inner = self.inner.clone();
        create(move || inner.with_raw_options(given), logger)
    }

    /// Which scheme is used and from where, e.g. `apiToken from CLOUDFLARE_API_TOKEN`.
    #[napi(getter)]
    pub fn auth(&self) -> String {
        self.inner.auth().description().to_string()
    }

    /// The effective configuration (JS names, milliseconds; with `canonical`, the Rust/Python names and
    /// seconds, as the vectors write it); never a secret.
    #[napi]
    pub fn effective_options(&self, canonical: Option<bool>) -> Value {
        js_numbers(if canonical == Some(true) {
            self.inner.options_view(fk::Naming::Snake)
        } else {
            self.inner.effective_options()
        })
    }

    /// Prepare a call of `resource.method`. Argument errors are thrown here, before any request.
    #[napi(ts_return_type = "NativeCall | NativePager")]
    pub fn operation(
        &self,
        resource: String,
        method: String,
        positional_json: String,
        params_json: String,
        files: Option<Vec<FileArg>>,
        paged: bool,
    ) -> Result<Either2> {
        let positional = match parse_json("the positional arguments", &positional_json)? {
            Value::Array(a) => a,
            _ => return Err(invalid("positional arguments must be a list")),
        };
        let params = parse_json("params", &params_json)?;
        let mut call = self
            .inner
            .operation(&resource, &method)
            .map_err(throw)?
            .positional(positional)
            .params(params);
        for f in files.unwrap_or_default() {
            call = call.file_arg(fk::FileArg {
                at: f.at,
                positional: f.positional.map(|i| i as usize),
                list: f.list,
                filename: f.filename,
                content_type: f.content_type,
                data: bytes::Bytes::copy_from_slice(&f.data),
            });
        }
        if paged {
            let pager = call.pages().map_err(throw)?;
            Ok(Either2::B(NativePager::new(
                pager,
                Cancel::default(),
                self.log_id,
            )))
        } else {
            let req = call.prepare().map_err(throw)?;
            Ok(Either2::A(NativeCall::new(
                self.inner.clone(),
                req,
                self.log_id,
            )))
        }
    }

    /// Prepare a generic call to any path under the base URL.
    #[napi]
    pub fn generic(
        &self,
        verb: String,
        path: String,
        query_json: Option<String>,
        body_json: Option<String>,
        raw_body: Option<Buffer>,
        raw_content_type: Option<String>,
    ) -> Result<NativeCall> {
        let mut call = self.inner.request(parse_verb(&verb)?, path);
        if let Some(q) = query_json {
            call = call.query(parse_json("query", &q)?);
        }
        if let Some(b) = body_json {
            call = call.json(parse_json("body", &b)?);
        }
        if let Some(raw) = raw_body {
            let ct = raw_content_type.unwrap_or_else(|| "application/octet-stream".to_string());
            call = call.raw(bytes::Bytes::copy_from_slice(&raw), ct);
        }
        let req = call.prepare().map_err(throw)?;
        Ok(NativeCall::new(self.inner.clone(), req, self.log_id))
    }
}

/// Every integer as a JS number (napi would make one beyond i64 a string, and round one beyond 2^53 anyway):
/// `maxResponseBytes` is a `number`, like every option given in JS.
fn js_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) if !n.is_f64() => match n.as_f64() {
            Some(f) if f.abs() > 9_007_199_254_740_991.0 => serde_json::Number::from_f64(f)
                .map(Value::Number)
                .unwrap_or(Value::Number(n)),
            _ => Value::Number(n),
        },
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, js_numbers(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(js_numbers).collect()),
        other => other,
    }
}

/// A prepared call, or a pager for list operations.
pub type Either2 = napi::Either<NativeCall, NativePager>;
