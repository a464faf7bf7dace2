//! The `Cloudflare` client: cheap to clone, one connection pool, generic calls.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use serde_json::Value;

use crate::config::{ClientBuilder, LogLevel};
use crate::credentials::{resolve, AuthInfo};
use crate::envelope::{ApiResponse, Form};
use crate::error::{Error, ErrorKind, Result};
use crate::operations::{QueryStyle, Verb};
use crate::query;
use crate::transport::{Part, PreparedRequest, RequestBody, Transport};

/// A Cloudflare API v4 client. Cloning shares the connection pool and configuration.
#[derive(Clone)]
pub struct Cloudflare {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    auth: AuthInfo,
    base_url: String,
    account_id: Option<String>,
    builder: ClientBuilder,
}

impl fmt::Debug for Cloudflare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cloudflare")
            .field("auth", &self.inner.auth.description())
            .field("base_url", &self.inner.base_url)
            .field("account_id", &self.inner.account_id)
            .field("max_retries", &self.inner.builder.max_retries)
            .field("timeout", &self.inner.builder.timeout)
            .finish()
    }
}

impl Cloudflare {
    /// Start building a client. The environment is read at `build()` (credentials only when no
    /// credential option is given).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment alone.
    pub fn from_env() -> Result<Cloudflare> {
        ClientBuilder::default().build()
    }

    pub(crate) fn from_builder(b: ClientBuilder) -> Result<Cloudflare> {
        let base_url = b.resolved_base_url()?;
        let log = b.resolved_log_level()?;
        let resolved = resolve(&b.credentials, b.env(), b.naming)?;
        if log >= LogLevel::Warn {
            for w in &resolved.warnings {
                tracing::warn!(target: "flarekit", "{w}");
            }
        }
        let parsed_base = url::Url::parse(&base_url).map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                format!("base URL {base_url:?} is not a valid URL ({e})"),
            )
        })?;
        let proxy = crate::proxy::choose(
            b.proxy.as_deref(),
            b.naming.name("proxy"),
            b.env(),
            &parsed_base,
        )?;
        if log >= LogLevel::Debug {
            if let Some(p) = &proxy {
                tracing::debug!(target: "flarekit", proxy = %p.shown(), from = %p.label, "requests go through a proxy");
            }
        }
        let transport = Transport::new(&b, base_url.clone(), &resolved.credentials, log, proxy)?;
        if log >= LogLevel::Debug {
            tracing::debug!(target: "flarekit", auth = %resolved.info, base_url = %base_url, "client ready");
        }
        Ok(Cloudflare {
            inner: Arc::new(Inner {
                transport,
                auth: resolved.info,
                account_id: b.resolved_account_id(),
                base_url,
                builder: b,
            }),
        })
    }

    /// Which auth scheme is used and where it came from, e.g. `api_token from CLOUDFLARE_API_TOKEN`.
    pub fn auth(&self) -> &AuthInfo {
        &self.inner.auth
    }

    /// The base URL requests go to (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The default account id (option or `CLOUDFLARE_ACCOUNT_ID`).
    pub fn account_id(&self) -> Option<&str> {
        self.inner.account_id.as_deref()
    }

    /// How option names are spelled in this client's messages.
    pub fn naming(&self) -> crate::credentials::Naming {
        self.inner.builder.naming
    }

    /// The configured retries.
    pub fn max_retries(&self) -> u32 {
        self.inner.builder.max_retries
    }

    /// Pages fetched ahead in a list walk (`page_prefetch`).
    pub fn page_prefetch(&self) -> u32 {
        self.inner.builder.page_prefetch
    }

    /// The configured per-attempt timeout.
    pub fn timeout(&self) -> std::time::Duration {
        self.inner.builder.timeout
    }

    /// The effective log level.
    pub fn log_level(&self) -> LogLevel {
        self.inner.transport.log
    }

    /// The options this client was built from (with the same environment snapshot), to build a variant.
    pub fn to_builder(&self) -> ClientBuilder {
        self.inner.builder.clone()
    }

    /// A new client with some options changed; the environment is not read again.
    pub fn with_options(
        &self,
        f: impl FnOnce(ClientBuilder) -> ClientBuilder,
    ) -> Result<Cloudflare> {
        f(self.to_builder()).build()
    }

    /// A new client with options given by name (the front doors' `copy` / `with_options` / `withOptions`), with
    /// the variant rules of the option table: credentials replace as a set, `default_headers` merge,
    /// `set_default_headers` replace, anything not given is kept, the environment is not read again.
    pub fn with_raw_options(
        &self,
        given: Vec<(String, crate::options::RawValue)>,
    ) -> Result<Cloudflare> {
        self.to_builder().apply_variant_options(given)?.build()
    }

    /// The effective configuration, as this client's front door spells and measures it (option names of
    /// [`naming`](Self::naming); `timeout` in seconds, or milliseconds for JS). Never a secret: credentials appear
    /// as `auth` (which scheme, from where), a proxy without its user info.
    pub fn effective_options(&self) -> serde_json::Value {
        self.options_view(self.inner.builder.naming)
    }

    /// [`effective_options`](Self::effective_options) as `n` spells and measures it (the vector runners compare
    /// `Naming::Snake`, seconds, in every language).
    #[doc(hidden)]
    pub fn options_view(&self, n: crate::credentials::Naming) -> serde_json::Value {
        use crate::credentials::Naming;
        let b = &self.inner.builder;
        let js = n == Naming::Camel;
        let mut out = serde_json::Map::new();
        let mut put = |name: &'static str, v: Value| {
            out.insert(n.name(name).to_string(), v);
        };
        put("auth", Value::from(self.inner.auth.description()));
        put("base_url", Value::from(self.inner.base_url.as_str()));
        put(
            "account_id",
            self.inner
                .account_id
                .as_deref()
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        let secs = b.timeout.as_secs_f64();
        put(
            "timeout",
            Value::from(if js { secs * 1000.0 } else { secs }),
        );
        put("max_retries", Value::from(b.max_retries));
        put("page_prefetch", Value::from(b.page_prefetch));
        put("rate_limit", Value::from(b.rate_limit));
        for (name, d) in [
            ("rate_limit_window", b.rate_limit_window),
            ("max_rate_limit_wait", b.max_rate_limit_wait),
        ] {
            let secs = d.as_secs_f64();
            put(name, Value::from(if js { secs * 1000.0 } else { secs }));
        }
        let headers: serde_json::Map<String, Value> = b
            .validated_default_headers()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, Value::from(v)))
            .collect();
        put("default_headers", Value::Object(headers));
        put("log_level", Value::from(self.inner.transport.log.as_str()));
        put("retry_delay_scale", Value::from(b.retry_delay_scale));
        put("max_response_bytes", Value::from(b.max_response_bytes));
        put(
            "ca_bundle",
            b.ca_bundle
                .as_ref()
                .map(|p| Value::from(p.to_string_lossy().into_owned()))
                .unwrap_or(Value::Null),
        );
        put(
            "user_agent_suffix",
            b.user_agent_suffix
                .as_deref()
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        let (proxy, proxy_from) = match self.inner.transport.proxy() {
            Some((shown, label)) => (Value::from(shown), Value::from(label)),
            None => (Value::Null, Value::Null),
        };
        put("proxy", proxy);
        put("proxy_from", proxy_from);
        put("user_agent", Value::from(self.inner.transport.user_agent()));
        Value::Object(out)
    }

    /// Send a prepared request (with retries) and decode the envelope.
    pub async fn execute(&self, req: &PreparedRequest) -> Result<ApiResponse> {
        self.inner.transport.send(req, Form::Value).await
    }

    /// Like [`execute`](Self::execute), leaving a successful envelope's `result` undecoded: it comes back as
    /// the JSON text the server sent in [`ApiResponse::result_json`] (and `result` is `Null`). For front doors
    /// with a JSON parser of their own; errors, retries and classification are the same.
    pub async fn execute_raw(&self, req: &PreparedRequest) -> Result<ApiResponse> {
        self.inner.transport.send(req, Form::Text).await
    }

    /// Like [`execute_raw`](Self::execute_raw) without its checking pass over the result's text, for callers that
    /// decode that text with serde_json (which checks the same as it goes: UTF-8, syntax, numbers in range) and
    /// report a failure with [`raw_result_error`](crate::raw_result_error). One pass over a big result fewer.
    pub async fn execute_raw_unchecked(&self, req: &PreparedRequest) -> Result<ApiResponse> {
        self.inner.transport.send(req, Form::TextUnchecked).await
    }

    pub(crate) async fn execute_form(
        &self,
        req: &PreparedRequest,
        form: Form,
    ) -> Result<ApiResponse> {
        self.inner.transport.send(req, form).await
    }

    /// The full URL a prepared request goes to.
    pub fn url_for(&self, req: &PreparedRequest) -> Result<String> {
        Ok(self.inner.transport.url(req)?.to_string())
    }

    /// A generic call to any path under the base URL.
    pub fn request(&self, verb: Verb, path: impl Into<String>) -> Call {
        Call {
            client: self.clone(),
            verb,
            path: path.into(),
            query: Value::Null,
            body: RequestBody::None,
        }
    }

    /// `GET path`.
    pub fn get(&self, path: impl Into<String>) -> Call {
        self.request(Verb::Get, path)
    }
    /// `POST path`.
    pub fn post(&self, path: impl Into<String>) -> Call {
        self.request(Verb::Post, path)
    }
    /// `PUT path`.
    pub fn put(&self, path: impl Into<String>) -> Call {
        self.request(Verb::Put, path)
    }
    /// `PATCH path`.
    pub fn patch(&self, path: impl Into<String>) -> Call {
        self.request(Verb::Patch, path)
    }
    /// `DELETE path`.
    pub fn delete(&self, path: impl Into<String>) -> Call {
        self.request(Verb::Delete, path)
    }
}

/// A generic call being built: `cf.get("/zones").query(json!({"name": "example.com"})).await`.
#[must_use = "a call does nothing until awaited or sent"]
pub struct Call {
    client: Cloudflare,
    verb: Verb,
    path: String,
    query: Value,
    body: RequestBody,
}

impl Call {
    /// Query parameters; nested objects become dotted keys, arrays repeat the key.
    pub fn query(mut self, q: Value) -> Self {
        self.query = q;
        self
    }
    /// A JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = RequestBody::Json {
            value: body,
            content_type: "application/json",
        };
        self
    }
    /// A raw body with its content type.
    pub fn raw(mut self, data: impl Into<bytes::Bytes>, content_type: impl Into<String>) -> Self {
        self.body = RequestBody::Raw {
            data: data.into(),
            content_type: content_type.into(),
        };
        self
    }
    /// A multipart body.
    pub fn multipart(mut self, parts: Vec<Part>) -> Self {
        self.body = RequestBody::Multipart(parts);
        self
    }

    /// The request this call will send.
    pub fn prepare(&self) -> Result<PreparedRequest> {
        prepare_generic(self.verb, &self.path, &self.query, self.body.clone())
    }

    /// Send and return the decoded response (`result`, `result_info`, ...).
    pub async fn send(self) -> Result<ApiResponse> {
        let req = self.prepare()?;
        self.client.execute(&req).await
    }

    /// Send and deserialise `result` into `T`.
    pub async fn send_as<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        self.send().await?.into_result()
    }
}

impl IntoFuture for Call {
    type Output = Result<ApiResponse>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Form a generic request: the path is taken as given (relative to the base URL, optionally with `?query`).
pub fn prepare_generic(
    verb: Verb,
    path: &str,
    query_value: &Value,
    body: RequestBody,
) -> Result<PreparedRequest> {
    let trimmed = path.trim();
    if trimmed.contains("://") || trimmed.starts_with("//") {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("path {trimmed:?} must be relative to the base URL (e.g. \"/zones\"); absolute URLs are refused so credentials never go to another host"),
        ));
    }
    crate::credentials::validate_header_text("path", trimmed)
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, e.message().to_string()))?;
    let (p, inline_query) = match trimmed.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (trimmed, None),
    };
    let mut path = String::with_capacity(p.len() + 1);
    if !p.starts_with('/') {
        path.push('/');
    }
    path.push_str(p);
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(q) = inline_query {
        pairs.extend(url::form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    pairs.extend(query::flatten(query_value, &|_| QueryStyle::Repeat)?);
    Ok(PreparedRequest {
        verb,
        path,
        query: pairs,
        headers: Vec::new(),
        body,
    })
}
