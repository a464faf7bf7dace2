//! Client options: the builder, base URL rules and log level.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::client::Cloudflare;
use crate::credentials::{validate_header_text, CredentialOptions, Naming, AUTH_HEADER_NAMES};
use crate::env::{vars, EnvSnapshot, EnvSource, ProcessEnv};
use crate::error::{Error, ErrorKind, Result};
use crate::ratelimit::RateLimiter;

/// The API's public address.
pub const DEFAULT_BASE_URL: &str = "https://api.cloudflare.com/client/v4";
/// Per-attempt timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Connect timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Largest response body read into memory, unless set otherwise.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 * 1024 * 1024;

/// How much the client logs (`CLOUDFLARE_LOG`, option `log_level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LogLevel {
    #[default]
    Off,
    Error,
    Warn,
    Info,
    Debug,
}

impl LogLevel {
    /// `debug|info|warn|error|off` (case-insensitive; `warning`, `trace`, `none` and empty too).
    pub fn from_name(s: &str) -> Option<LogLevel> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" | "" => Some(LogLevel::Off),
            "error" => Some(LogLevel::Error),
            "warn" | "warning" => Some(LogLevel::Warn),
            "info" => Some(LogLevel::Info),
            "debug" | "trace" => Some(LogLevel::Debug),
            _ => None,
        }
    }

    /// Parse a level, or say what is accepted (the message names `CLOUDFLARE_LOG`, where text levels come from).
    pub fn parse(s: &str) -> Result<LogLevel> {
        LogLevel::from_name(s).ok_or_else(|| {
            let shown: String = s.trim().chars().take(40).collect();
            Error::new(
                ErrorKind::Configuration,
                format!(
                    "{} {shown:?} is not one of debug, info, warn, error, off",
                    vars::LOG
                ),
            )
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Off => "off",
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

/// Builds a [`Cloudflare`] client. Cloneable, so a client can be copied with overrides.
#[derive(Clone)]
pub struct ClientBuilder {
    pub(crate) credentials: CredentialOptions,
    pub(crate) base_url: Option<String>,
    pub(crate) account_id: Option<String>,
    pub(crate) timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) default_headers: Vec<(String, String)>,
    pub(crate) log_level: Option<LogLevel>,
    pub(crate) retry_delay_scale: f64,
    pub(crate) max_response_bytes: u64,
    pub(crate) naming: Naming,
    pub(crate) user_agent_suffix: Option<String>,
    /// The `(<language> <version>)` part of the User-Agent; front doors set it.
    pub(crate) runtime: Option<String>,
    pub(crate) proxy: Option<String>,
    pub(crate) env_source: Option<Arc<dyn EnvSource>>,
    pub(crate) env: Option<EnvSnapshot>,
    pub(crate) ca_bundle: Option<std::path::PathBuf>,
    pub(crate) page_prefetch: u32,
    pub(crate) rate_limit: u32,
    pub(crate) rate_limit_window: Duration,
    pub(crate) max_rate_limit_wait: Duration,
    /// The request budget, shared by clones and variants with the same `rate_limit` settings.
    pub(crate) limiter: Option<Arc<RateLimiter>>,
}

/// Pages fetched ahead of the one being read or awaited (default of `page_prefetch`).
pub const DEFAULT_PAGE_PREFETCH: u32 = 4;
/// The largest `page_prefetch`.
pub const MAX_PAGE_PREFETCH: u32 = 64;
/// Cloudflare's limit: 1,200 requests per 5 minutes per user (default of `rate_limit`).
pub const DEFAULT_RATE_LIMIT: u32 = 1200;
/// The largest `rate_limit`.
pub const MAX_RATE_LIMIT: u32 = 1_000_000;
/// The window of `rate_limit` (default of `rate_limit_window`).
pub const DEFAULT_RATE_LIMIT_WINDOW: Duration = Duration::from_secs(300);
/// The longest total wait for 429s of one call (default of `max_rate_limit_wait`).
pub const DEFAULT_MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(300);

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("account_id", &self.account_id)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(k, _)| k)
                    .collect::<Vec<_>>(),
            )
            .field("log_level", &self.log_level)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            credentials: CredentialOptions::default(),
            base_url: None,
            account_id: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            default_headers: Vec::new(),
            log_level: None,
            retry_delay_scale: 1.0,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            naming: Naming::Snake,
            user_agent_suffix: None,
            runtime: None,
            proxy: None,
            env_source: None,
            env: None,
            ca_bundle: None,
            page_prefetch: DEFAULT_PAGE_PREFETCH,
            rate_limit: DEFAULT_RATE_LIMIT,
            rate_limit_window: DEFAULT_RATE_LIMIT_WINDOW,
            max_rate_limit_wait: DEFAULT_MAX_RATE_LIMIT_WAIT,
            limiter: None,
        }
    }
}

fn secret(v: impl Into<String>) -> Option<SecretString> {
    Some(SecretString::from(v.into()))
}

impl ClientBuilder {
    /// An API token, sent as `Authorization: Bearer`.
    pub fn api_token(mut self, v: impl Into<String>) -> Self {
        self.credentials.api_token = secret(v);
        self
    }
    /// The global API key; needs `api_email`.
    pub fn api_key(mut self, v: impl Into<String>) -> Self {
        self.credentials.api_key = secret(v);
        self
    }
    /// The account email that goes with `api_key`.
    pub fn api_email(mut self, v: impl Into<String>) -> Self {
        self.credentials.api_email = secret(v);
        self
    }
    /// An Origin CA user service key.
    pub fn user_service_key(mut self, v: impl Into<String>) -> Self {
        self.credentials.user_service_key = secret(v);
        self
    }
    /// Replace all four credential options at once (bindings pass what the caller gave).
    pub fn credentials(mut self, c: CredentialOptions) -> Self {
        self.credentials = c;
        self
    }
    /// Base URL of the API (default [`DEFAULT_BASE_URL`], env `CLOUDFLARE_BASE_URL`).
    pub fn base_url(mut self, v: impl Into<String>) -> Self {
        self.base_url = Some(v.into());
        self
    }
    /// Account id used by operations that need one and are not given one (env `CLOUDFLARE_ACCOUNT_ID`).
    pub fn account_id(mut self, v: impl Into<String>) -> Self {
        self.account_id = Some(v.into());
        self
    }
    /// Per-attempt timeout (default 60 s).
    pub fn timeout(mut self, v: Duration) -> Self {
        self.timeout = v;
        self
    }
    /// Retries after the first attempt (default 2). 429s are waited out apart from these, within
    /// [`max_rate_limit_wait`](Self::max_rate_limit_wait).
    pub fn max_retries(mut self, v: u32) -> Self {
        self.max_retries = v;
        self
    }
    /// Pages of a page-number list fetched ahead of the one being read (or, once the next is asked for, the one
    /// awaited), once `total_pages` is known (default 4, at most 64; 0 turns it off); a cursor list fetches the next
    /// page while the current one is read. A full walk still makes one request per page; stopping early wastes at
    /// most this many.
    pub fn page_prefetch(mut self, v: u32) -> Self {
        self.page_prefetch = v;
        self
    }
    /// At most this many requests per [`rate_limit_window`](Self::rate_limit_window) (default 1,200, Cloudflare's
    /// limit; 0 turns the budget off): a request over budget waits instead of earning a 429.
    pub fn rate_limit(mut self, v: u32) -> Self {
        self.rate_limit = v;
        self
    }
    /// The window of [`rate_limit`](Self::rate_limit) (default 300 s).
    pub fn rate_limit_window(mut self, v: Duration) -> Self {
        self.rate_limit_window = v;
        self
    }
    /// The longest total time one call waits out 429s (per `Retry-After`) before it fails (default 300 s).
    pub fn max_rate_limit_wait(mut self, v: Duration) -> Self {
        self.max_rate_limit_wait = v;
        self
    }
    /// A header sent with every request, replacing one of the same name (so on `to_builder()` / `with_options`
    /// it merges, as `default_headers` does in every front door). Credential headers are refused at `build`: use
    /// the credential options.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.default_headers
            .retain(|(n, _)| !n.trim().eq_ignore_ascii_case(name.trim()));
        self.default_headers.push((name, value.into()));
        self
    }
    /// Replace every default header (`set_default_headers` in a variant client).
    pub fn default_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.default_headers = headers;
        self
    }
    /// Log level (overrides `CLOUDFLARE_LOG`).
    pub fn log_level(mut self, v: LogLevel) -> Self {
        self.log_level = Some(v);
        self
    }
    /// Multiply every retry delay by this factor (0 to 1000; checked at `build`). Tests use a small factor so
    /// retries take milliseconds.
    pub fn retry_delay_scale(mut self, v: f64) -> Self {
        self.retry_delay_scale = v;
        self
    }
    /// Largest response body accepted (default 256 MiB); larger bodies fail with a clear error.
    pub fn max_response_bytes(mut self, v: u64) -> Self {
        self.max_response_bytes = v;
        self
    }
    /// How option names are spelled in error messages (front doors set this).
    pub fn naming(mut self, v: Naming) -> Self {
        self.naming = v;
        self
    }
    /// Appended to the User-Agent after the runtime: `flarekit/0.1.0 (rust 1.95.0) my-bot/1.2`.
    pub fn user_agent_suffix(mut self, v: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(v.into());
        self
    }
    /// The `(<language> <version>)` part of the User-Agent (front doors set this; default `rust <version>`).
    #[doc(hidden)]
    pub fn runtime(mut self, v: impl Into<String>) -> Self {
        self.runtime = Some(v.into());
        self
    }
    /// An HTTP proxy for every request (option `proxy`; else `HTTPS_PROXY` and friends, see `docs/options.md`).
    /// Loopback base URLs never use a proxy.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }
    /// Read the environment from this source instead of the process (read once, at `build`).
    pub fn env_source(mut self, source: impl EnvSource + 'static) -> Self {
        self.env_source = Some(Arc::new(source));
        self.env = None;
        self
    }
    /// Trust the CA certificates of this PEM file in addition to the system roots (option `ca_bundle`).
    /// Certificates are always verified; this is how a private CA or a test server is trusted.
    pub fn ca_bundle(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// Resolve everything and build the client. Fails on bad options or missing credentials, before any request.
    pub fn build(mut self) -> Result<Cloudflare> {
        if self.env.is_none() {
            let snapshot = match &self.env_source {
                Some(src) => EnvSnapshot::read(src.as_ref()),
                None => EnvSnapshot::read(&ProcessEnv),
            };
            self.env = Some(snapshot);
        }
        self.check_ranges()?;
        let keep = self
            .limiter
            .as_ref()
            .is_some_and(|l| l.is(self.rate_limit, self.rate_limit_window));
        if !keep {
            self.limiter = Some(Arc::new(RateLimiter::new(
                self.rate_limit,
                self.rate_limit_window,
            )));
        }
        Cloudflare::from_builder(self)
    }

    /// The `ca_bundle` file's contents, if one is given.
    pub(crate) fn root_certificates(&self) -> Result<Vec<Vec<u8>>> {
        let mut out = Vec::new();
        if let Some(path) = &self.ca_bundle {
            let pem = std::fs::read(path).map_err(|e| {
                Error::new(
                    ErrorKind::Configuration,
                    format!(
                        "{} {} cannot be read: {e}",
                        self.naming.name("ca_bundle"),
                        path.display()
                    ),
                )
            })?;
            out.push(pem);
        }
        Ok(out)
    }

    pub(crate) fn env(&self) -> &EnvSnapshot {
        self.env
            .as_ref()
            .expect("environment snapshot taken in build()")
    }

    pub(crate) fn resolved_log_level(&self) -> Result<LogLevel> {
        match self.log_level {
            Some(l) => Ok(l),
            None => match self.env().plain(vars::LOG) {
                Some(v) => LogLevel::parse(&v),
                None => Ok(LogLevel::Off),
            },
        }
    }

    pub(crate) fn resolved_account_id(&self) -> Option<String> {
        self.account_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| self.env().plain(vars::ACCOUNT_ID))
    }

    pub(crate) fn resolved_base_url(&self) -> Result<String> {
        let (raw, label) = match self.base_url.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => (v.to_string(), self.naming.name("base_url")),
            _ => match self.env().plain(vars::BASE_URL) {
                Some(v) => (v, vars::BASE_URL),
                None => (DEFAULT_BASE_URL.to_string(), "the default base URL"),
            },
        };
        validate_base_url(&raw, label)
    }

    pub(crate) fn validated_default_headers(&self) -> Result<Vec<(String, String)>> {
        let label = self.naming.name("default_headers");
        let mut out = Vec::with_capacity(self.default_headers.len());
        for (name, value) in &self.default_headers {
            let lower = name.trim().to_ascii_lowercase();
            if reqwest::header::HeaderName::from_bytes(lower.as_bytes()).is_err() {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!("{label} has an invalid header name {name:?}"),
                ));
            }
            if AUTH_HEADER_NAMES.contains(&lower.as_str()) {
                return Err(Error::new(
                    ErrorKind::Configuration,
                    format!(
                        "{label} may not set {lower}: pass credentials as {}, {}+{} or {} so exactly one auth scheme is sent",
                        self.naming.name("api_token"),
                        self.naming.name("api_key"),
                        self.naming.name("api_email"),
                        self.naming.name("user_service_key"),
                    ),
                ));
            }
            validate_header_text(&format!("{label}[{lower}]"), value)?;
            out.push((lower, value.trim().to_string()));
        }
        Ok(out)
    }
}

/// Check a base URL: https anywhere, http only to loopback, no credentials or query in it.
/// Returns it without a trailing slash so joining never drops or doubles a segment.
pub fn validate_base_url(raw: &str, label: &str) -> Result<String> {
    let bad = |why: String| Error::new(ErrorKind::Configuration, why);
    validate_header_text(label, raw)?;
    let url = url::Url::parse(raw)
        .map_err(|e| bad(format!("{label} {raw:?} is not a valid URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(format!(
            "{label} must not contain user info; pass credentials as options"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad(format!(
            "{label} {raw:?} must not have a query string or fragment"
        )));
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&url) {
                return Err(bad(format!(
                    "{label} {raw:?} uses http:// to a non-loopback host; credentials would travel in clear text. \
                     Use https://, or http:// only for 127.0.0.0/8, ::1 or localhost"
                )));
            }
        }
        other => {
            return Err(bad(format!(
                "{label} {raw:?} has scheme {other:?}; expected https:// (or http:// to a loopback host)"
            )))
        }
    }
    if url.host().is_none() {
        return Err(bad(format!("{label} {raw:?} has no host")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_rules() {
        for ok in [
            "http://127.0.0.1:8787/client/v4",
            "http://127.9.9.9/x",
            "http://[::1]:1/",
            "http://LOCALHOST:3000",
            "https://api.cloudflare.com/client/v4/",
        ] {
            assert!(validate_base_url(ok, "base_url").is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/client/v4",
            "http://128.0.0.1/",
            "http://localhost.evil.com/",
            "ftp://127.0.0.1/",
            "https://user:pw@api.cloudflare.com/",
            "not a url",
            "https://api.cloudflare.com/client/v4?x=1",
        ] {
            let e = validate_base_url(bad, "base_url").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Configuration, "{bad}");
        }
    }

    #[test]
    fn trailing_slash_trimmed() {
        assert_eq!(
            validate_base_url("https://h.example/a/b/", "x").unwrap(),
            "https://h.example/a/b"
        );
    }
}
