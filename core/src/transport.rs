//! Sending one logical request: attempts, retries, body limits and logging.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, USER_AGENT,
};
use serde_json::Value;

use crate::config::{ClientBuilder, LogLevel};
use crate::credentials::{AuthScheme, Credentials, Naming};
use crate::envelope::{decode, ApiResponse, Form, RequestContext};
use crate::error::{Error, ErrorKind, Result};
use crate::operations::Verb;
use crate::proxy::ProxyChoice;
use crate::query;
use crate::retry::{self, Outcome};

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RequestBody {
    #[default]
    None,
    /// Serialised as JSON with the given content type (usually `application/json`).
    Json {
        value: Value,
        content_type: &'static str,
    },
    /// Bytes sent as they are.
    Raw { data: Bytes, content_type: String },
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
}

/// A request ready for the wire: verb, encoded path (relative to the base URL), query pairs and body.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRequest {
    pub verb: Verb,
    /// Starts with `/`; path parameters already percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Header parameters of the operation (`cf-r2-jurisdiction`, `If-Match`), sent with this request only.
    pub headers: Vec<(String, String)>,
    pub body: RequestBody,
}

impl PreparedRequest {
    /// The path and query as they go on the wire (no base URL).
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query::encode(&self.query))
        }
    }
}

pub(crate) struct Transport {
    /// Built on the first request, not at construction: constructing a client stays cheap in time and memory
    /// (no TLS configuration, root store or connection pool until something is sent).
    http: std::sync::OnceLock<reqwest::Client>,
    http_config: HttpConfig,
    base: String,
    max_retries: u32,
    delay_scale: f64,
    timeout: Duration,
    max_body: u64,
    pub(crate) log: LogLevel,
    scheme: AuthScheme,
    naming: Naming,
    limiter: Option<std::sync::Arc<crate::ratelimit::RateLimiter>>,
    max_rate_limit_wait: Duration,
}

/// What the HTTP client is built from (everything already validated at construction).
struct HttpConfig {
    headers: HeaderMap,
    connect_timeout: Duration,
    roots: Vec<reqwest::Certificate>,
    proxy: Option<ProxyChoice>,
}

impl HttpConfig {
    fn build(&self) -> Result<reqwest::Client> {
        // The crypto provider was installed when the transport was built.
        let mut http = reqwest::Client::builder()
            .default_headers(self.headers.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            // The environment's proxies were read into the snapshot; reqwest must not read them again.
            .no_proxy();
        if let Some(p) = &self.proxy {
            let proxy = reqwest::Proxy::all(p.url.as_str()).map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("{} ({}) cannot be used as a proxy: {e}", p.label, p.shown()),
                )
            })?;
            http = http.proxy(proxy);
        }
        for cert in &self.roots {
            http = http.add_root_certificate(cert.clone());
        }
        http.build().map_err(|e| {
            Error::new(
                ErrorKind::Configuration,
                format!("could not build the HTTP client: {e}"),
            )
            .with_source(e)
        })
    }
}

fn install_crypto_provider() {
    // reqwest is built without a default provider (ring builds much faster than aws-lc); install ring once.
    // An application that installed its own provider keeps it.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub(crate) fn user_agent(runtime: Option<&str>, suffix: Option<&str>) -> String {
    let runtime = runtime
        .map(str::to_owned)
        .unwrap_or_else(|| format!("rust {}", env!("FLAREKIT_RUSTC_VERSION")));
    match suffix {
        Some(s) => format!("flarekit/{} ({runtime}) {s}", env!("CARGO_PKG_VERSION")),
        None => format!("flarekit/{} ({runtime})", env!("CARGO_PKG_VERSION")),
    }
}

impl Transport {
    pub(crate) fn new(
        b: &ClientBuilder,
        base: String,
        credentials: &Credentials,
        log: LogLevel,
        proxy: Option<ProxyChoice>,
    ) -> Result<Transport> {
        let mut headers = HeaderMap::new();
        for (name, value) in b.validated_default_headers()? {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("invalid header name {name:?}"),
                )
            })?;
            let value = HeaderValue::from_str(&value).map_err(|_| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("invalid value for header {name}"),
                )
            })?;
            headers.append(name, value);
        }
        let ua = user_agent(b.runtime.as_deref(), b.user_agent_suffix.as_deref());
        headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&ua).map_err(|_| {
                Error::new(
                    ErrorKind::Configuration,
                    format!(
                        "{} must be printable ASCII",
                        b.naming.name("user_agent_suffix")
                    ),
                )
            })?,
        );
        headers.extend(credentials.headers());

        let mut roots = Vec::new();
        for pem in b.root_certificates()? {
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    format!("the CA certificate is not valid PEM: {e}"),
                )
            })?;
            if certs.is_empty() {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    "the CA bundle holds no PEM certificate",
                ));
            }
            roots.extend(certs);
        }
        // Cheap (a static), and done here rather than on the first request so that an application sharing the
        // process's reqwest/rustls finds a provider installed once a client exists, as before the lazy client.
        install_crypto_provider();
        Ok(Transport {
            http: std::sync::OnceLock::new(),
            http_config: HttpConfig {
                headers,
                connect_timeout: b.connect_timeout,
                roots,
                proxy,
            },
            base,
            max_retries: b.max_retries,
            delay_scale: b.retry_delay_scale,
            timeout: b.timeout,
            max_body: b.max_response_bytes,
            naming: b.naming,
            log,
            scheme: credentials.scheme(),
            limiter: b.limiter.clone(),
            max_rate_limit_wait: b.max_rate_limit_wait,
        })
    }

    /// The proxy requests go through, without user info, and where it came from.
    pub(crate) fn proxy(&self) -> Option<(String, String)> {
        self.http_config
            .proxy
            .as_ref()
            .map(|p| (p.shown(), p.label.clone()))
    }

    /// The User-Agent header sent.
    pub(crate) fn user_agent(&self) -> String {
        self.http_config
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub(crate) fn url(&self, req: &PreparedRequest) -> Result<reqwest::Url> {
        let full = format!("{}{}", self.base, req.path_and_query());
        reqwest::Url::parse(&full).map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("cannot form a URL from path {:?}: {e}", req.path),
            )
        })
    }

    /// The HTTP client, built on first use (every clone of a `Cloudflare` shares it).
    fn http(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.http.get() {
            return Ok(c);
        }
        let built = self.http_config.build()?;
        // Two first requests at once may both build one; the first stored wins, the other is dropped unused.
        Ok(self.http.get_or_init(|| built))
    }

    fn enabled(&self, level: LogLevel) -> bool {
        level != LogLevel::Off && level <= self.log
    }

    /// Send with retries; decode the final response (with a text `form`, a successful `result` stays JSON text).
    pub(crate) async fn send(&self, req: &PreparedRequest, form: Form) -> Result<ApiResponse> {
        let url = self.url(req)?;
        let http = self.http()?;
        let method = match req.verb {
            Verb::Get => reqwest::Method::GET,
            Verb::Post => reqwest::Method::POST,
            Verb::Put => reqwest::Method::PUT,
            Verb::Patch => reqwest::Method::PATCH,
            Verb::Delete => reqwest::Method::DELETE,
        };
        let json_body: Option<(Bytes, &'static str)> = match &req.body {
            RequestBody::Json {
                value,
                content_type,
            } => Some((
                Bytes::from(serde_json::to_vec(value).map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidArgument,
                        format!("body is not serialisable: {e}"),
                    )
                })?),
                content_type,
            )),
            _ => None,
        };
        let header_params = request_headers(&req.headers)?;
        let ctx = RequestContext {
            path: &req.path,
            scheme: self.scheme,
            naming: self.naming,
        };
        let mut attempt: u32 = 0;
        // 429s waited out so far: they do not count against max_retries, only against max_rate_limit_wait.
        let mut rate_limited: u32 = 0;
        let mut rate_limit_waited = Duration::ZERO;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.limiter {
                let (waited, in_window) = limiter.acquire().await;
                if !waited.is_zero() && self.enabled(LogLevel::Info) {
                    tracing::info!(target: "flarekit", method = method.as_str(), path = %req.path, waited_ms = waited.as_millis() as u64, in_window, "rate budget: waited before sending");
                }
            }
            let mut rb = http
                .request(method.clone(), url.clone())
                .timeout(self.timeout);
            rb = match (&req.body, &json_body) {
                (_, Some((bytes, ct))) => rb.header(CONTENT_TYPE, *ct).body(bytes.clone()),
                (RequestBody::Raw { data, content_type }, _) => rb
                    .header(CONTENT_TYPE, content_type.as_str())
                    .body(data.clone()),
                (RequestBody::Multipart(parts), _) => rb.multipart(build_form(parts)?),
                // A write without a body still says so: some proxies answer 411 to a POST with no length.
                (RequestBody::None, _) if req.verb != Verb::Get && req.verb != Verb::Delete => {
                    rb.header(CONTENT_LENGTH, "0")
                }
                _ => rb,
            };
            for (name, value) in &header_params {
                rb = rb.header(name.clone(), value.clone());
            }
            let started = Instant::now();
            if self.enabled(LogLevel::Debug) {
                tracing::debug!(target: "flarekit", method = method.as_str(), path = %req.path, attempt, "request");
            }
            let result = match rb.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    match self.read_body(resp).await {
                        Ok(body) => Ok((status, headers, body)),
                        Err(BodyError::TooLarge(n)) => {
                            return Err(Error::new(
                                ErrorKind::ApiStatus,
                                format!(
                                    "{} {}: the response body exceeds the limit of {n} bytes (option {}); it was not read further",
                                    method, req.path, self.naming.name("max_response_bytes")
                                ),
                            )
                            .with_attempts(attempt));
                        }
                        Err(BodyError::Transport(e)) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            let elapsed = started.elapsed();
            match result {
                Ok((status, headers, body)) => {
                    if self.enabled(LogLevel::Debug) {
                        tracing::debug!(target: "flarekit", method = method.as_str(), path = %req.path, status, attempt, duration_ms = elapsed.as_millis() as u64, "response");
                    }
                    match decode(status, &headers, &body, &ctx, form) {
                        Ok(r) => return Ok(r),
                        Err(err) => {
                            let outcome = Outcome::Response {
                                status,
                                headers: &headers,
                            };
                            if status == 429 && retry::should_retry(req.verb, &outcome) {
                                // Waited out per Retry-After while the call's total stays within the bound.
                                let d =
                                    retry::delay(rate_limited, Some(&headers), self.delay_scale);
                                if rate_limit_waited + d <= self.max_rate_limit_wait {
                                    rate_limited += 1;
                                    rate_limit_waited += d;
                                    if self.enabled(LogLevel::Info) {
                                        tracing::info!(target: "flarekit", method = method.as_str(), path = %req.path, attempt, delay_ms = d.as_millis() as u64, waited_ms = rate_limit_waited.as_millis() as u64, "rate limited (429): waiting, then retrying");
                                    }
                                    if !d.is_zero() {
                                        tokio::time::sleep(d).await;
                                    }
                                    continue;
                                }
                            }
                            if status != 429
                                && attempt - rate_limited <= self.max_retries
                                && retry::should_retry(req.verb, &outcome)
                            {
                                self.wait(
                                    attempt - rate_limited,
                                    Some(&headers),
                                    &method,
                                    req,
                                    status.to_string(),
                                )
                                .await;
                                continue;
                            }
                            let mut err = err.with_attempts(attempt);
                            if req.verb == Verb::Post && status >= 500 {
                                err = err.append_message(POST_NOTE);
                            }
                            if self.enabled(LogLevel::Warn) {
                                tracing::warn!(target: "flarekit", method = method.as_str(), path = %req.path, status, attempt, kind = err.kind().as_str(), "request failed");
                            }
                            return Err(err);
                        }
                    }
                }
                Err(e) => {
                    let never_sent = e.is_connect();
                    let outcome = if never_sent {
                        Outcome::ConnectFailed
                    } else {
                        Outcome::MaybeSent
                    };
                    if attempt - rate_limited <= self.max_retries
                        && retry::should_retry(req.verb, &outcome)
                    {
                        let why = if e.is_timeout() {
                            "timeout"
                        } else {
                            "connection error"
                        };
                        self.wait(attempt - rate_limited, None, &method, req, why.to_string())
                            .await;
                        continue;
                    }
                    let kind = if e.is_timeout() {
                        ErrorKind::Timeout
                    } else {
                        ErrorKind::Connection
                    };
                    let chain = error_chain_text(&e);
                    let what = if let Some(text) = self.proxy_failure(&chain).await {
                        text
                    } else if kind == ErrorKind::Timeout {
                        format!("timed out (per-attempt timeout {:?})", self.timeout)
                    } else if never_sent {
                        "could not connect".to_string()
                    } else {
                        "connection failed before a complete response".to_string()
                    };
                    let mut msg = format!(
                        "{} {}: {what} after {attempt} attempt{}: {}",
                        method,
                        req.path,
                        if attempt == 1 { "" } else { "s" },
                        chain
                    );
                    if req.verb == Verb::Post && !never_sent {
                        msg.push_str(POST_NOTE);
                    }
                    if self.enabled(LogLevel::Warn) {
                        tracing::warn!(target: "flarekit", method = method.as_str(), path = %req.path, attempt, kind = kind.as_str(), "request failed");
                    }
                    return Err(Error::new(kind, msg).with_source(e).with_attempts(attempt));
                }
            }
        }
    }

    /// The proxy's part in a failed connection, in words (`the proxy at HTTPS_PROXY (http://p:3128) answered 502
    /// to CONNECT api.cloudflare.com:443`), when the request went through a proxy and the proxy is why it failed.
    async fn proxy_failure(&self, chain: &str) -> Option<String> {
        let p = self.http_config.proxy.as_ref()?;
        let base = url::Url::parse(&self.base).ok()?;
        let host = base.host_str()?.to_string();
        let port = base.port_or_known_default()?;
        let at = format!("the proxy at {} ({})", p.label, p.shown());
        if chain.contains("proxy authorization required") {
            return Some(format!(
                "{at} answered 407 (proxy authentication required) to CONNECT {host}:{port}; give the proxy's user and password in its URL"
            ));
        }
        if chain.contains("tunnel error: unsuccessful") {
            return Some(
                match crate::proxy::tunnel_status(p, &host, port, self.http_config.connect_timeout)
                    .await
                {
                    Some(status) => format!("{at} answered {status} to CONNECT {host}:{port}"),
                    None => format!("{at} refused the tunnel to {host}:{port}"),
                },
            );
        }
        if chain.contains("failed to create underlying connection") {
            return Some(format!("could not connect to {at}"));
        }
        if chain.contains("tunnel error") {
            return Some(format!(
                "{at} failed while opening a tunnel to {host}:{port}"
            ));
        }
        None
    }

    async fn wait(
        &self,
        attempt: u32,
        headers: Option<&HeaderMap>,
        method: &reqwest::Method,
        req: &PreparedRequest,
        why: String,
    ) {
        let d = retry::delay(attempt - 1, headers, self.delay_scale);
        if self.enabled(LogLevel::Info) {
            tracing::info!(target: "flarekit", method = method.as_str(), path = %req.path, attempt, reason = %why, delay_ms = d.as_millis() as u64, "retrying");
        }
        if !d.is_zero() {
            tokio::time::sleep(d).await;
        }
    }

    async fn read_body(
        &self,
        mut resp: reqwest::Response,
    ) -> std::result::Result<Bytes, BodyError> {
        let limit = self.max_body;
        if let Some(len) = resp
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if len > limit {
                return Err(BodyError::TooLarge(limit));
            }
        }
        let mut buf = bytes::BytesMut::with_capacity(
            resp.content_length()
                .unwrap_or(0)
                .min(limit)
                .min(16 * 1024 * 1024) as usize,
        );
        while let Some(chunk) = resp.chunk().await.map_err(BodyError::Transport)? {
            if buf.len() as u64 + chunk.len() as u64 > limit {
                return Err(BodyError::TooLarge(limit));
            }
            buf.extend_from_slice(&chunk);
        }
        Ok(buf.freeze())
    }
}

enum BodyError {
    TooLarge(u64),
    Transport(reqwest::Error),
}

const POST_NOTE: &str = " (this POST was not retried because it reached the server: the write may or may not have happened; check before repeating it)";

/// An operation's header parameters as header values; a value that cannot be one is an argument error.
fn request_headers(given: &[(String, String)]) -> Result<Vec<(HeaderName, HeaderValue)>> {
    given
        .iter()
        .map(|(name, value)| {
            let n = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("{name:?} is not a valid header name"),
                )
            })?;
            let v = HeaderValue::from_str(value).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "the value of header {name} must be printable ASCII without line breaks"
                    ),
                )
            })?;
            Ok((n, v))
        })
        .collect()
}

fn build_form(parts: &[Part]) -> Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for p in parts {
        let mut part = reqwest::multipart::Part::stream(reqwest::Body::from(p.data.clone()));
        if let Some(f) = &p.filename {
            part = part.file_name(f.clone());
        }
        if let Some(ct) = &p.content_type {
            part = part.mime_str(ct).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("part {:?} has an invalid content type {ct:?}", p.name),
                )
            })?;
        }
        form = form.part(p.name.clone(), part);
    }
    Ok(form)
}

/// The error and its causes on one line. reqwest's messages hold the URL but never header values.
fn error_chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}
