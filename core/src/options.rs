//! The client option table: every option declared once, with its names, environment variables, units, default,
//! accepted values and what a variant client (`copy` / `with_options` / `withOptions` / `to_builder`) does with
//! it. The front doors hand over the values exactly as their caller gave them ([`RawValue`]); everything about
//! what is accepted, what the default is and what an error says is decided here, once.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{ClientBuilder, LogLevel};
use crate::credentials::{validate_header_text, Naming};
use crate::env::vars;
use crate::error::{Error, ErrorKind, Result};

/// A value exactly as a front door received it, before any rule is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// `None` / `null` / `undefined`: not given.
    Null,
    Bool(bool),
    /// An integer (Python `int`, JS `BigInt`, a JSON integer).
    Int(i128),
    /// An integer too large for `Int`, as decimal text.
    BigInt(String),
    /// A floating-point number (every JS `number`, a Python `float`).
    Float(f64),
    Str(String),
    /// A native path object (`os.PathLike`, a `file:` URL translated by the binding).
    Path(PathBuf),
    List(Vec<RawValue>),
    /// A mapping (Python `dict`, a JS object), keys as given.
    Map(Vec<(RawValue, RawValue)>),
    /// Anything else, by its type name in the front door's language (`function`, `symbol`, `bytes`, ...).
    Other(String),
}

impl RawValue {
    /// Convert JSON (a convenience for Rust callers and the vectors): integers stay integers, and
    /// `{"$float": "NaN"}`, `{"$int": "18446744073709551616"}`, `{"$path": "..."}` stand for values JSON cannot hold.
    pub fn from_json(v: &serde_json::Value) -> RawValue {
        use serde_json::Value;
        match v {
            Value::Null => RawValue::Null,
            Value::Bool(b) => RawValue::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    RawValue::Int(i128::from(i))
                } else if let Some(u) = n.as_u64() {
                    RawValue::Int(i128::from(u))
                } else {
                    RawValue::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => RawValue::Str(s.clone()),
            Value::Array(a) => RawValue::List(a.iter().map(RawValue::from_json).collect()),
            Value::Object(o) => {
                if o.len() == 1 {
                    if let Some(Value::String(s)) = o.get("$float") {
                        return RawValue::Float(s.parse().unwrap_or(f64::NAN));
                    }
                    if let Some(Value::String(s)) = o.get("$int") {
                        return match s.parse::<i128>() {
                            Ok(i) => RawValue::Int(i),
                            Err(_) => RawValue::BigInt(s.clone()),
                        };
                    }
                    if let Some(Value::String(s)) = o.get("$path") {
                        return RawValue::Path(PathBuf::from(s));
                    }
                }
                RawValue::Map(
                    o.iter()
                        .map(|(k, v)| (RawValue::Str(k.clone()), RawValue::from_json(v)))
                        .collect(),
                )
            }
        }
    }

    /// What this is, as the front door's users call it: `a str` / `a string`, `NaN`, `the number 1e300`.
    fn describe(&self, naming: Naming, secret: bool) -> String {
        let js = naming == Naming::Camel;
        if secret {
            // Only the type: a credential given in the wrong shape is still a credential.
            return match self {
                RawValue::Str(_) => if js { "a string" } else { "a str" }.to_string(),
                RawValue::Int(_) | RawValue::BigInt(_) => {
                    if js { "a bigint" } else { "an int" }.to_string()
                }
                RawValue::Float(_) => if js { "a number" } else { "a float" }.to_string(),
                RawValue::Bool(_) => if js { "a boolean" } else { "a bool" }.to_string(),
                other => other.describe(naming, false),
            };
        }
        match self {
            RawValue::Null => (if js { "null" } else { "None" }).to_string(),
            RawValue::Bool(b) => {
                if js {
                    format!("the boolean {b}")
                } else {
                    format!("the bool {}", if *b { "True" } else { "False" })
                }
            }
            RawValue::Int(i) => format!("{} {i}", if js { "the bigint" } else { "the int" }),
            RawValue::BigInt(s) => format!("{} {s}", if js { "the bigint" } else { "the int" }),
            RawValue::Float(f) => format!(
                "{} {}",
                if js { "the number" } else { "the float" },
                show_f64(*f, js)
            ),
            RawValue::Str(s) if secret => (if js { "a string" } else { "a str" }).to_string(),
            RawValue::Str(s) => {
                let shown: String = s.chars().take(60).collect();
                format!("{} {shown:?}", if js { "the string" } else { "the str" })
            }
            RawValue::Path(_) => (if js { "a file URL" } else { "a path" }).to_string(),
            RawValue::List(_) => (if js { "an array" } else { "a list" }).to_string(),
            RawValue::Map(_) => (if js { "an object" } else { "a dict" }).to_string(),
            RawValue::Other(t) => format!("a value of type {t}"),
        }
    }
}

fn show_f64(f: f64, js: bool) -> String {
    if f.is_nan() {
        if js { "NaN" } else { "nan" }.to_string()
    } else if f.is_infinite() {
        let s = if js { "Infinity" } else { "inf" };
        if f < 0.0 {
            format!("-{s}")
        } else {
            s.to_string()
        }
    } else {
        // `1e300`, `0.5`, `60.0` (Python) / `60` (JS): never hundreds of digits.
        let t = format!("{f:?}");
        match t.strip_suffix(".0") {
            Some(whole) if js => whole.to_string(),
            _ => t,
        }
    }
}

/// What kind of value an option takes; decides parsing, the accepted range and the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A credential: a string, printable ASCII; empty counts as not given; never echoed.
    Secret,
    /// An id or other plain text: a string, printable ASCII; empty counts as not given.
    Text,
    /// The API's base URL.
    BaseUrl,
    /// A duration: seconds in Python and Rust, milliseconds in JS.
    Duration,
    /// A whole number of retries.
    Retries,
    /// A whole number of pages, 0 to [`MAX_PAGE_PREFETCH`](crate::config::MAX_PAGE_PREFETCH).
    Prefetch,
    /// A whole number of requests, 0 to [`MAX_RATE_LIMIT`](crate::config::MAX_RATE_LIMIT).
    RateLimit,
    /// A non-negative factor.
    Scale,
    /// A whole number of bytes, at least 1.
    Bytes,
    /// Header names to values.
    Headers,
    /// `debug`, `info`, `warn`, `error` or `off`.
    LogLevel,
    /// A path to a PEM file.
    PemFile,
    /// An http:// or https:// proxy URL.
    ProxyUrl,
    /// Environment variable names to values (read instead of the process environment).
    Env,
    /// A JS logger: an object with `debug`/`info`/`warn`/`error`, or a function.
    Logger,
}

/// How a variant client (`copy`, `with_options`, `withOptions`, `to_builder`) treats an option it is given.
/// An option not given (or given as `None`/`null`) always keeps the original client's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Replaces the value.
    Replace,
    /// Credentials: any one given replaces all four as a set (`copy(api_token=t)` on a key+email client sends
    /// only the token).
    CredentialSet,
    /// Merged into the current headers, name by name (case-insensitive); a `None`/`null` value removes that header.
    MergeHeaders,
    /// Replaces every default header (only in a variant; `set_default_headers`).
    ReplaceHeaders,
    /// Only at construction: the environment is read once, and a variant keeps that snapshot.
    ConstructionOnly,
}

/// Which front doors have an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fronts {
    All,
    /// Only JS (a JS value the core cannot hold, such as the logger).
    JsOnly,
}

/// One client option.
#[derive(Debug, Clone, Copy)]
pub struct OptionSpec {
    /// Rust and Python name.
    pub name: &'static str,
    /// JS name.
    pub js_name: &'static str,
    /// Environment variables read when the option is not given, in order.
    pub env: &'static [&'static str],
    pub kind: Kind,
    /// The default, as documentation.
    pub default: &'static str,
    pub variant: Variant,
    pub fronts: Fronts,
    /// One line for the documentation.
    pub doc: &'static str,
}

impl OptionSpec {
    /// The option as `naming` spells it.
    pub fn spelled(&self, naming: Naming) -> &'static str {
        match naming {
            Naming::Snake => self.name,
            Naming::Camel => self.js_name,
        }
    }

    /// Whether this front door has the option.
    pub fn available(&self, naming: Naming) -> bool {
        self.fronts == Fronts::All || naming == Naming::Camel
    }

    /// What the option accepts, in the words of `naming`'s language.
    pub fn accepted(&self, naming: Naming) -> String {
        let js = naming == Naming::Camel;
        let (s, map) = if js {
            ("a string", "an object")
        } else {
            ("a str", "a dict")
        };
        let values = if js { "string" } else { "str" };
        match self.kind {
            Kind::Secret | Kind::Text => format!("{s} of printable ASCII (empty counts as not given)"),
            Kind::BaseUrl => format!("{s}: an https:// URL (http:// only to 127.0.0.0/8, ::1 or localhost)"),
            Kind::Duration => match naming {
                Naming::Camel => format!(
                    "a number of milliseconds from {} to {}",
                    fmt_num(TIMEOUT_MIN_SECS * 1000.0),
                    fmt_num(TIMEOUT_MAX_SECS * 1000.0)
                ),
                Naming::Snake => format!(
                    "a number of seconds from {} to {}",
                    fmt_num(TIMEOUT_MIN_SECS),
                    fmt_num(TIMEOUT_MAX_SECS)
                ),
            },
            Kind::Retries => format!("a whole number from 0 to {}", u32::MAX),
            Kind::Prefetch => format!(
                "a whole number of pages from 0 (off) to {}",
                crate::config::MAX_PAGE_PREFETCH
            ),
            Kind::RateLimit => format!(
                "a whole number of requests from 0 (no limit) to {}",
                crate::config::MAX_RATE_LIMIT
            ),
            Kind::Scale => format!("a number from 0 to {}", fmt_num(RETRY_DELAY_SCALE_MAX)),
            Kind::Bytes => format!("a whole number of bytes from 1 to {}", u64::MAX),
            Kind::Headers => format!(
                "{map} of header names to {values} values (in a variant client a {} value removes the header)",
                if js { "null" } else { "None" }
            ),
            Kind::LogLevel => format!("{s}: one of debug, info, warn, error, off"),
            Kind::PemFile => {
                if js {
                    "a path to a PEM file (a string or a file: URL)".to_string()
                } else {
                    "a path to a PEM file (a str or an os.PathLike)".to_string()
                }
            }
            Kind::ProxyUrl => format!("{s}: an http:// or https:// proxy URL"),
            Kind::Env => format!("{map} of environment variable names to {values} values"),
            Kind::Logger => "an object with debug, info, warn and error methods (like console), or a function".to_string(),
        }
    }
}

/// Shortest text for a limit: `0.001`, `1000000000`.
fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The shortest accepted per-attempt timeout (1 ms).
pub const TIMEOUT_MIN_SECS: f64 = 0.001;
/// The longest accepted per-attempt timeout (about 31 years: "no timeout" in practice, and safe for timers).
pub const TIMEOUT_MAX_SECS: f64 = 1e9;
/// The largest retry delay factor.
pub const RETRY_DELAY_SCALE_MAX: f64 = 1000.0;

/// Every client option, in documentation order.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "api_token",
        js_name: "apiToken",
        env: &[vars::API_TOKEN],
        kind: Kind::Secret,
        default: "none",
        variant: Variant::CredentialSet,
        fronts: Fronts::All,
        doc: "An API token, sent as `Authorization: Bearer`.",
    },
    OptionSpec {
        name: "api_key",
        js_name: "apiKey",
        env: &[vars::API_KEY],
        kind: Kind::Secret,
        default: "none",
        variant: Variant::CredentialSet,
        fronts: Fronts::All,
        doc: "The global API key (`X-Auth-Key`); needs `api_email`.",
    },
    OptionSpec {
        name: "api_email",
        js_name: "apiEmail",
        env: &[vars::EMAIL],
        kind: Kind::Secret,
        default: "none",
        variant: Variant::CredentialSet,
        fronts: Fronts::All,
        doc: "The account email that goes with `api_key` (`X-Auth-Email`).",
    },
    OptionSpec {
        name: "user_service_key",
        js_name: "userServiceKey",
        env: &[vars::USER_SERVICE_KEY],
        kind: Kind::Secret,
        default: "none",
        variant: Variant::CredentialSet,
        fronts: Fronts::All,
        doc: "An Origin CA user service key (`X-Auth-User-Service-Key`).",
    },
    OptionSpec {
        name: "base_url",
        js_name: "baseURL",
        env: &[vars::BASE_URL],
        kind: Kind::BaseUrl,
        default: "https://api.cloudflare.com/client/v4",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Where requests go.",
    },
    OptionSpec {
        name: "account_id",
        js_name: "accountId",
        env: &[vars::ACCOUNT_ID],
        kind: Kind::Text,
        default: "none",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "The account id used by operations that need one and are not given one.",
    },
    OptionSpec {
        name: "timeout",
        js_name: "timeout",
        env: &[],
        kind: Kind::Duration,
        default: "60 s (60000 ms in JS)",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Per-attempt timeout.",
    },
    OptionSpec {
        name: "max_retries",
        js_name: "maxRetries",
        env: &[],
        kind: Kind::Retries,
        default: "2",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Retries after the first attempt (writes are retried only when they cannot have been applied).",
    },
    OptionSpec {
        name: "page_prefetch",
        js_name: "pagePrefetch",
        env: &[],
        kind: Kind::Prefetch,
        default: "4",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Pages of a list fetched ahead of the one being read or awaited (0 turns it off; a full walk still makes one request per page, stopping early wastes at most this many).",
    },
    OptionSpec {
        name: "rate_limit",
        js_name: "rateLimit",
        env: &[],
        kind: Kind::RateLimit,
        default: "1200",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Requests per `rate_limit_window`, shared by the client's clones and variants: a request over budget waits (logged at info) instead of earning a 429; 0 turns it off.",
    },
    OptionSpec {
        name: "rate_limit_window",
        js_name: "rateLimitWindow",
        env: &[],
        kind: Kind::Duration,
        default: "300 s (300000 ms in JS)",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "The window of `rate_limit` (Cloudflare: 1,200 requests per 5 minutes).",
    },
    OptionSpec {
        name: "max_rate_limit_wait",
        js_name: "maxRateLimitWait",
        env: &[],
        kind: Kind::Duration,
        default: "300 s (300000 ms in JS)",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "The longest one call waits out 429s (per Retry-After) in all, apart from `max_retries`; writes are retried too (a 429 was not applied).",
    },
    OptionSpec {
        name: "default_headers",
        js_name: "defaultHeaders",
        env: &[],
        kind: Kind::Headers,
        default: "none",
        variant: Variant::MergeHeaders,
        fronts: Fronts::All,
        doc: "Headers sent with every request; credential headers are refused (use the credential options).",
    },
    OptionSpec {
        name: "set_default_headers",
        js_name: "setDefaultHeaders",
        env: &[],
        kind: Kind::Headers,
        default: "-",
        variant: Variant::ReplaceHeaders,
        fronts: Fronts::All,
        doc: "Only in a variant client: replaces every default header (where `default_headers` merges).",
    },
    OptionSpec {
        name: "log_level",
        js_name: "logLevel",
        env: &[vars::LOG],
        kind: Kind::LogLevel,
        default: "off",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "How much the client logs (never a secret).",
    },
    OptionSpec {
        name: "retry_delay_scale",
        js_name: "retryDelayScale",
        env: &[],
        kind: Kind::Scale,
        default: "1",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Multiplies every retry delay (tests use 0.001).",
    },
    OptionSpec {
        name: "max_response_bytes",
        js_name: "maxResponseBytes",
        env: &[],
        kind: Kind::Bytes,
        default: "268435456 (256 MiB)",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Largest response body read; a larger one fails with a clear error.",
    },
    OptionSpec {
        name: "ca_bundle",
        js_name: "caBundle",
        env: &[],
        kind: Kind::PemFile,
        default: "none (system roots)",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "CA certificates to trust besides the system roots; certificates are always verified.",
    },
    OptionSpec {
        name: "user_agent_suffix",
        js_name: "userAgentSuffix",
        env: &[],
        kind: Kind::Text,
        default: "none",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "Appended to the User-Agent after the runtime, e.g. `my-deploy-bot/1.2`.",
    },
    OptionSpec {
        name: "proxy",
        js_name: "proxy",
        env: &[
            vars::HTTPS_PROXY,
            vars::HTTPS_PROXY_LOWER,
            vars::ALL_PROXY,
            vars::ALL_PROXY_LOWER,
        ],
        kind: Kind::ProxyUrl,
        default: "none",
        variant: Variant::Replace,
        fronts: Fronts::All,
        doc: "An HTTP proxy for every request (CONNECT tunnel); loopback base URLs never use a proxy. From the \
              environment, NO_PROXY / no_proxy exempts hosts.",
    },
    OptionSpec {
        name: "env",
        js_name: "env",
        env: &[],
        kind: Kind::Env,
        default: "the process environment",
        variant: Variant::ConstructionOnly,
        fronts: Fronts::All,
        doc: "Read instead of the process environment, once, at construction (tests).",
    },
    OptionSpec {
        name: "logger",
        js_name: "logger",
        env: &[],
        kind: Kind::Logger,
        default: "console",
        variant: Variant::Replace,
        fronts: Fronts::JsOnly,
        doc: "Where log events go in JS (Python uses the `logging` logger `flarekit`, Rust `tracing`).",
    },
];

/// The option called `name` in `naming`'s spelling.
pub fn find(name: &str, naming: Naming) -> Option<&'static OptionSpec> {
    OPTIONS
        .iter()
        .find(|o| o.spelled(naming) == name && o.available(naming))
}

/// The options as a whole, given as one value (a JS options object): its entries, or the error for a value that
/// is not a mapping. `None`/`null`/`undefined` is no options.
pub fn entries(v: RawValue, naming: Naming) -> Result<Vec<(String, RawValue)>> {
    match v {
        RawValue::Null => Ok(Vec::new()),
        RawValue::Map(m) => m
            .into_iter()
            .map(|(k, v)| match k {
                RawValue::Str(k) => Ok((k, v)),
                other => Err(config_err(format!(
                    "option names must be strings, got {}",
                    other.describe(naming, false)
                ))),
            })
            .collect(),
        other => Err(config_err(format!(
            "the options must be {}, got {}",
            match naming {
                Naming::Camel => "an object, e.g. new Cloudflare({ apiToken })",
                Naming::Snake => "keyword arguments, e.g. Cloudflare(api_token=...)",
            },
            other.describe(naming, false)
        ))),
    }
}

/// Whether options are given at construction or to a variant client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    New,
    Variant,
}

fn config_err(msg: String) -> Error {
    Error::new(ErrorKind::Configuration, msg)
}

fn names_list(naming: Naming, stage: Stage) -> String {
    OPTIONS
        .iter()
        .filter(|o| o.available(naming))
        .filter(|o| match stage {
            Stage::New => o.variant != Variant::ReplaceHeaders,
            Stage::Variant => o.variant != Variant::ConstructionOnly,
        })
        .map(|o| o.spelled(naming))
        .collect::<Vec<_>>()
        .join(", ")
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn unknown(name: &str, naming: Naming, stage: Stage) -> Error {
    // The other front door's spelling, or a near miss, gets a suggestion.
    let other = match naming {
        Naming::Snake => Naming::Camel,
        Naming::Camel => Naming::Snake,
    };
    let shown: String = name.chars().take(60).collect();
    let suggestion = OPTIONS
        .iter()
        .filter(|o| o.available(naming))
        .find(|o| o.spelled(other) == name)
        .or_else(|| {
            OPTIONS
                .iter()
                .filter(|o| o.available(naming))
                .map(|o| (edit_distance(name, o.spelled(naming)), o))
                .filter(|(d, _)| *d <= 2)
                .min_by_key(|(d, _)| *d)
                .map(|(_, o)| o)
        })
        .map(|o| format!(" (did you mean {}?)", o.spelled(naming)))
        .unwrap_or_default();
    config_err(format!(
        "unknown client option {shown:?}{suggestion}; the options are {}",
        names_list(naming, stage)
    ))
}

/// An option's value after parsing, before it is applied to the builder.
enum Parsed {
    Secret(secrecy::SecretString),
    Text(String),
    Duration(Duration),
    Retries(u32),
    Count(u32),
    Scale(f64),
    Bytes(u64),
    Headers(Vec<(String, Option<String>)>),
    LogLevel(LogLevel),
    Path(PathBuf),
    Env(BTreeMap<String, String>),
    /// Given but nothing to store (the JS logger, which the binding keeps).
    Nothing,
}

fn wrong(spec: &OptionSpec, naming: Naming, got: &RawValue) -> Error {
    config_err(format!(
        "{} must be {}, got {}",
        spec.spelled(naming),
        spec.accepted(naming),
        got.describe(naming, spec.kind == Kind::Secret)
    ))
}

/// A number as f64, or the error for a value that is not one. Booleans are not numbers.
fn number(spec: &OptionSpec, naming: Naming, v: &RawValue) -> Result<f64> {
    match v {
        RawValue::Int(i) => Ok(*i as f64),
        RawValue::Float(f) if f.is_finite() => Ok(*f),
        _ => Err(wrong(spec, naming, v)),
    }
}

/// A whole number in `[min, max]`: integers, and floats with no fractional part (JS numbers are floats).
fn whole(spec: &OptionSpec, naming: Naming, v: &RawValue, min: u128, max: u128) -> Result<u128> {
    let n: Option<u128> = match v {
        RawValue::Int(i) => u128::try_from(*i).ok(),
        RawValue::Float(f) if f.is_finite() && f.fract() == 0.0 && *f >= 0.0 && *f < 3.5e38 => {
            Some(*f as u128)
        }
        _ => None,
    };
    n.filter(|n| (min..=max).contains(n))
        .ok_or_else(|| wrong(spec, naming, v))
}

fn string<'a>(spec: &OptionSpec, naming: Naming, v: &'a RawValue) -> Result<&'a str> {
    match v {
        RawValue::Str(s) => Ok(s),
        _ => Err(wrong(spec, naming, v)),
    }
}

fn string_map(
    spec: &OptionSpec,
    naming: Naming,
    v: &RawValue,
    null_values: bool,
) -> Result<Vec<(String, Option<String>)>> {
    let RawValue::Map(entries) = v else {
        return Err(wrong(spec, naming, v));
    };
    let name = spec.spelled(naming);
    let mut out = Vec::with_capacity(entries.len());
    for (k, val) in entries {
        let RawValue::Str(key) = k else {
            return Err(config_err(format!(
                "{name} must be {}, got a key that is {}",
                spec.accepted(naming),
                k.describe(naming, false)
            )));
        };
        match val {
            RawValue::Str(s) => out.push((key.clone(), Some(s.clone()))),
            RawValue::Null if null_values => out.push((key.clone(), None)),
            other => {
                let shown: String = key.chars().take(60).collect();
                return Err(config_err(format!(
                    "{name}[{shown:?}] must be {}, got {}",
                    if naming == Naming::Camel {
                        "a string"
                    } else {
                        "a str"
                    },
                    other.describe(naming, spec.kind == Kind::Env)
                )));
            }
        }
    }
    Ok(out)
}

fn parse(spec: &OptionSpec, naming: Naming, v: &RawValue) -> Result<Parsed> {
    let name = spec.spelled(naming);
    Ok(match spec.kind {
        Kind::Secret => {
            let s = string(spec, naming, v)?.trim();
            validate_header_text(name, s)?;
            if s.is_empty() {
                // Empty counts as not given: at construction the environment applies, in a variant the
                // client's credentials are kept.
                Parsed::Nothing
            } else {
                Parsed::Secret(secrecy::SecretString::from(s.to_owned()))
            }
        }
        Kind::Text | Kind::BaseUrl => {
            let s = string(spec, naming, v)?.trim();
            validate_header_text(name, s)?;
            Parsed::Text(s.to_owned())
        }
        Kind::ProxyUrl => {
            let s = string(spec, naming, v)?.trim();
            validate_header_text(name, s)?;
            if !s.is_empty() {
                crate::proxy::validate(s, name)?;
            }
            Parsed::Text(s.to_owned())
        }
        Kind::Duration => {
            let x = number(spec, naming, v)?;
            let secs = match naming {
                Naming::Camel => x / 1000.0,
                Naming::Snake => x,
            };
            // The same limits in both units: compare in the caller's unit to avoid rounding at the edges.
            let (lo, hi) = match naming {
                Naming::Camel => (TIMEOUT_MIN_SECS * 1000.0, TIMEOUT_MAX_SECS * 1000.0),
                Naming::Snake => (TIMEOUT_MIN_SECS, TIMEOUT_MAX_SECS),
            };
            if !(lo..=hi).contains(&x) {
                return Err(wrong(spec, naming, v));
            }
            Parsed::Duration(Duration::from_secs_f64(secs))
        }
        Kind::Retries => Parsed::Retries(
            u32::try_from(whole(spec, naming, v, 0, u128::from(u32::MAX))?)
                .map_err(|_| wrong(spec, naming, v))?,
        ),
        Kind::Prefetch => Parsed::Count(
            u32::try_from(whole(
                spec,
                naming,
                v,
                0,
                u128::from(crate::config::MAX_PAGE_PREFETCH),
            )?)
            .map_err(|_| wrong(spec, naming, v))?,
        ),
        Kind::RateLimit => Parsed::Count(
            u32::try_from(whole(
                spec,
                naming,
                v,
                0,
                u128::from(crate::config::MAX_RATE_LIMIT),
            )?)
            .map_err(|_| wrong(spec, naming, v))?,
        ),
        Kind::Bytes => Parsed::Bytes(
            u64::try_from(whole(spec, naming, v, 1, u128::from(u64::MAX))?)
                .map_err(|_| wrong(spec, naming, v))?,
        ),
        Kind::Scale => {
            let x = number(spec, naming, v)?;
            if !(0.0..=RETRY_DELAY_SCALE_MAX).contains(&x) {
                return Err(wrong(spec, naming, v));
            }
            Parsed::Scale(x)
        }
        Kind::Headers => Parsed::Headers(string_map(spec, naming, v, true)?),
        Kind::Env => Parsed::Env(
            string_map(spec, naming, v, true)?
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect(),
        ),
        Kind::LogLevel => {
            let s = string(spec, naming, v)?;
            Parsed::LogLevel(LogLevel::from_name(s).ok_or_else(|| wrong(spec, naming, v))?)
        }
        Kind::PemFile => match v {
            RawValue::Str(s) => {
                if s.contains('\0') {
                    return Err(config_err(format!(
                        "{name} must be {}, got a string with a NUL character",
                        spec.accepted(naming)
                    )));
                }
                if s.trim().is_empty() {
                    Parsed::Nothing
                } else {
                    Parsed::Path(PathBuf::from(s))
                }
            }
            RawValue::Path(p) => Parsed::Path(p.clone()),
            _ => return Err(wrong(spec, naming, v)),
        },
        Kind::Logger => match v {
            RawValue::Map(_) => Parsed::Nothing,
            RawValue::Other(t) if t == "function" => Parsed::Nothing,
            _ => return Err(wrong(spec, naming, v)),
        },
    })
}

impl ClientBuilder {
    /// Apply options given by name, as the caller gave them, in the builder's naming (set
    /// [`naming`](Self::naming) first): the path every front door takes. `None`/`null` values count as not
    /// given. Unknown names, wrong types and out-of-range values are a `ConfigurationError` naming the option
    /// and what it accepts.
    pub fn apply_options(self, given: Vec<(String, RawValue)>) -> Result<ClientBuilder> {
        self.apply_stage(given, Stage::New)
    }

    /// Apply options to the builder of an existing client, with the variant rules of [`OPTIONS`].
    pub fn apply_variant_options(self, given: Vec<(String, RawValue)>) -> Result<ClientBuilder> {
        self.apply_stage(given, Stage::Variant)
    }

    fn apply_stage(
        mut self,
        given: Vec<(String, RawValue)>,
        stage: Stage,
    ) -> Result<ClientBuilder> {
        let naming = self.naming;
        let mut parsed = Vec::with_capacity(given.len());
        for (name, value) in &given {
            let Some(spec) = find(name, naming) else {
                return Err(unknown(name, naming, stage));
            };
            match (stage, spec.variant) {
                (Stage::New, Variant::ReplaceHeaders) => {
                    return Err(config_err(format!(
                        "{} is only for a variant client ({}); at construction use {}",
                        spec.spelled(naming),
                        match naming {
                            Naming::Camel => "withOptions",
                            Naming::Snake => "copy / with_options",
                        },
                        naming.name("default_headers")
                    )))
                }
                (Stage::Variant, Variant::ConstructionOnly) if *value != RawValue::Null => {
                    return Err(config_err(format!(
                        "{} cannot be changed in a variant client: the environment is read once, when a client is \
                         constructed; construct a new client instead",
                        spec.spelled(naming)
                    )))
                }
                _ => {}
            }
            if *value == RawValue::Null {
                continue;
            }
            parsed.push((spec, parse(spec, naming, value)?));
        }
        let merge = parsed
            .iter()
            .any(|(s, _)| s.variant == Variant::MergeHeaders);
        let replace = parsed
            .iter()
            .any(|(s, _)| s.variant == Variant::ReplaceHeaders);
        if merge && replace {
            return Err(config_err(format!(
                "give {} (merged into the current headers) or {} (replacing them), not both",
                naming.name("default_headers"),
                naming.name("set_default_headers")
            )));
        }
        if parsed
            .iter()
            .any(|(s, p)| s.variant == Variant::CredentialSet && matches!(p, Parsed::Secret(_)))
        {
            self.credentials = Default::default();
        }
        for (spec, value) in parsed {
            self = self.store(spec, value, stage);
        }
        Ok(self)
    }

    fn store(mut self, spec: &OptionSpec, value: Parsed, stage: Stage) -> ClientBuilder {
        match (spec.name, value) {
            ("api_token", Parsed::Secret(s)) => self.credentials.api_token = Some(s),
            ("api_key", Parsed::Secret(s)) => self.credentials.api_key = Some(s),
            ("api_email", Parsed::Secret(s)) => self.credentials.api_email = Some(s),
            ("user_service_key", Parsed::Secret(s)) => self.credentials.user_service_key = Some(s),
            ("base_url", Parsed::Text(s)) => self.base_url = Some(s).filter(|s| !s.is_empty()),
            ("account_id", Parsed::Text(s)) => self.account_id = Some(s).filter(|s| !s.is_empty()),
            ("user_agent_suffix", Parsed::Text(s)) => {
                self.user_agent_suffix = Some(s).filter(|s| !s.is_empty())
            }
            ("proxy", Parsed::Text(s)) => self.proxy = Some(s).filter(|s| !s.is_empty()),
            ("timeout", Parsed::Duration(d)) => self.timeout = d,
            ("max_retries", Parsed::Retries(n)) => self.max_retries = n,
            ("page_prefetch", Parsed::Count(n)) => self.page_prefetch = n,
            ("rate_limit", Parsed::Count(n)) => self.rate_limit = n,
            ("rate_limit_window", Parsed::Duration(d)) => self.rate_limit_window = d,
            ("max_rate_limit_wait", Parsed::Duration(d)) => self.max_rate_limit_wait = d,
            ("retry_delay_scale", Parsed::Scale(x)) => self.retry_delay_scale = x,
            ("max_response_bytes", Parsed::Bytes(n)) => self.max_response_bytes = n,
            ("log_level", Parsed::LogLevel(l)) => self.log_level = Some(l),
            ("ca_bundle", Parsed::Path(p)) => self.ca_bundle = Some(p),
            ("ca_bundle", Parsed::Nothing) => self.ca_bundle = None,
            ("default_headers", Parsed::Headers(h)) => {
                if stage == Stage::New {
                    self.default_headers.clear();
                }
                for (name, value) in h {
                    match value {
                        Some(v) => self = self.default_header(name, v),
                        None => self
                            .default_headers
                            .retain(|(n, _)| !n.trim().eq_ignore_ascii_case(name.trim())),
                    }
                }
            }
            ("set_default_headers", Parsed::Headers(h)) => {
                self.default_headers = h.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
            }
            ("env", Parsed::Env(map)) => self = self.env_source(map),
            _ => {}
        }
        self
    }

    /// Range checks for values set through the typed Rust setters (the option path checks them on the way in).
    pub(crate) fn check_ranges(&self) -> Result<()> {
        let naming = self.naming;
        let out_of_range = |name: &str, shown: String| {
            let spec = find(name, naming).unwrap_or(&OPTIONS[0]);
            config_err(format!(
                "{} must be {}, got {shown}",
                spec.spelled(naming),
                spec.accepted(naming)
            ))
        };
        for (name, d) in [
            ("timeout", self.timeout),
            ("rate_limit_window", self.rate_limit_window),
            ("max_rate_limit_wait", self.max_rate_limit_wait),
        ] {
            let secs = d.as_secs_f64();
            if !(TIMEOUT_MIN_SECS..=TIMEOUT_MAX_SECS).contains(&secs) {
                let shown = match naming {
                    Naming::Camel => format!("{} ms", secs * 1000.0),
                    Naming::Snake => format!("{secs} s"),
                };
                return Err(out_of_range(name, shown));
            }
        }
        if self.page_prefetch > crate::config::MAX_PAGE_PREFETCH {
            return Err(out_of_range(
                "page_prefetch",
                self.page_prefetch.to_string(),
            ));
        }
        if self.rate_limit > crate::config::MAX_RATE_LIMIT {
            return Err(out_of_range("rate_limit", self.rate_limit.to_string()));
        }
        let s = self.retry_delay_scale;
        if !(s.is_finite() && (0.0..=RETRY_DELAY_SCALE_MAX).contains(&s)) {
            return Err(out_of_range(
                "retry_delay_scale",
                show_f64(s, naming == Naming::Camel),
            ));
        }
        if self.max_response_bytes == 0 {
            return Err(out_of_range("max_response_bytes", "0".into()));
        }
        Ok(())
    }
}

/// The option table as JSON, for the front doors' introspection and the vector runners:
/// `[{name, js_name, env, kind, unit, js_unit, default, variant, fronts, accepted, js_accepted, doc}]`.
pub fn table_json() -> serde_json::Value {
    use serde_json::json;
    OPTIONS
        .iter()
        .map(|o| {
            json!({
                "name": o.name,
                "js_name": o.js_name,
                "env": o.env,
                "kind": format!("{:?}", o.kind),
                "unit": if o.kind == Kind::Duration { Some("s") } else { None },
                "js_unit": if o.kind == Kind::Duration { Some("ms") } else { None },
                "default": o.default,
                "variant": format!("{:?}", o.variant),
                "fronts": format!("{:?}", o.fronts),
                "accepted": o.accepted(Naming::Snake),
                "js_accepted": o.accepted(Naming::Camel),
                "doc": o.doc,
            })
        })
        .collect()
}

/// The option table as Markdown (`docs/options.md` is this text; a test keeps them equal).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Client options\n\n\
         Generated from `core/src/options.rs` (the one table every front door uses); `cargo test -p flarekit \
         --test options_doc` checks this file, `UPDATE=1` rewrites it.\n\n\
         Every option is optional. `None` (Python) / `null` or `undefined` (JS) means not given: the environment \
         variable, then the default, applies. A value of the wrong type or out of range is a `ConfigurationError` \
         naming the option as your language spells it and what it accepts; nothing is silently replaced.\n\n\
         Units: durations are seconds in Rust and Python, milliseconds in JS.\n\n\
         | Rust / Python | JS | environment | accepts (Python wording) | default | in a variant client |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for o in OPTIONS {
        let env = if o.env.is_empty() {
            "-".to_string()
        } else {
            o.env
                .iter()
                .map(|e| format!("`{e}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let variant = match o.variant {
            Variant::Replace => "replaced",
            Variant::CredentialSet => "any credential replaces all four as a set",
            Variant::MergeHeaders => "merged by name; `None`/`null` removes a header",
            Variant::ReplaceHeaders => "replaces every default header",
            Variant::ConstructionOnly => "refused (read once, at construction)",
        };
        let py = if o.fronts == Fronts::JsOnly {
            "(JS only)".to_string()
        } else {
            format!("`{}`", o.name)
        };
        let accepted = if o.fronts == Fronts::JsOnly {
            o.accepted(Naming::Camel)
        } else {
            o.accepted(Naming::Snake)
        };
        out.push_str(&format!(
            "| {py} | `{}` | {env} | {accepted} | {} | {variant} |\n",
            o.js_name, o.default
        ));
    }
    out.push_str("\n## What each option does\n\n");
    for o in OPTIONS {
        out.push_str(&format!("- `{}` / `{}`: {}\n", o.name, o.js_name, o.doc));
    }
    out.push_str(
        "\n## Variant clients\n\n\
         `copy(...)` / `with_options(...)` (Python), `withOptions({...})` (JS) and `with_raw_options` (Rust) build a \
         new client from an existing one with the rules of the last column: anything not given, or given as \
         `None`/`null`, is kept; the environment is not read again (the snapshot taken at construction is kept). \
         `default_headers` merge into the current headers name by name, as in the official Python SDK, and \
         `set_default_headers` replaces them all; giving both is an error. In Rust, `to_builder()` / \
         `with_options(|b| ...)` follow the same rules: `default_header(name, value)` merges, \
         `default_headers(list)` replaces. The Rust builder's typed setters (`timeout(Duration)`, \
         `max_retries(u32)`, ...) have the option's name and are checked against the same ranges at `build()`.\n",
    );
    out.push_str(
        "\n## Proxies\n\n\
         A client uses a proxy when the `proxy` option is given, or else when `HTTPS_PROXY`, `https_proxy`, \
         `ALL_PROXY` or `all_proxy` is set (the first one set, read once at construction) and the base URL's host \
         is not exempted by `NO_PROXY` / `no_proxy` (comma-separated host names, which also match their subdomains, \
         IP addresses or CIDR ranges, or `*` for every host). A base URL on a loopback host (127.0.0.0/8, ::1, \
         localhost) never goes through a proxy. `HTTP_PROXY` is not used: `http://` base URLs are accepted for \
         loopback hosts only, which are never proxied. Requests go through the proxy as a CONNECT tunnel, so TLS is \
         end to end and the proxy never sees a credential; a proxy URL's user info (`http://user:pass@host:port`) \
         is sent as `Proxy-Authorization` and never shown. When the proxy refuses the tunnel, the error says so \
         (`the proxy at HTTPS_PROXY (http://proxy.internal:3128) answered 502 to CONNECT api.cloudflare.com:443`).\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(naming: Naming, given: &[(&str, RawValue)]) -> Result<ClientBuilder> {
        ClientBuilder::default().naming(naming).apply_options(
            given
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn every_value_of_every_type_is_an_answer() {
        let values = [
            RawValue::Int(0),
            RawValue::Int(-1),
            RawValue::Float(f64::NAN),
            RawValue::Float(f64::INFINITY),
            RawValue::Float(f64::NEG_INFINITY),
            RawValue::Float(1e300),
            RawValue::Float(-1e300),
            RawValue::Float(0.5),
            RawValue::Int(i128::MAX),
            RawValue::Int(i128::MIN),
            RawValue::BigInt("1".repeat(80)),
            RawValue::Bool(true),
            RawValue::Str("é\r\n".into()),
            RawValue::Str(String::new()),
            RawValue::List(vec![RawValue::Int(1)]),
            RawValue::Map(vec![(RawValue::Int(1), RawValue::Int(2))]),
            RawValue::Other("function".into()),
        ];
        for naming in [Naming::Snake, Naming::Camel] {
            for o in OPTIONS.iter().filter(|o| o.available(naming)) {
                for v in &values {
                    let r = apply(naming, &[(o.spelled(naming), v.clone())]);
                    if let Err(e) = r {
                        assert_eq!(e.kind(), ErrorKind::Configuration, "{} {v:?}", o.name);
                        assert!(e.message().contains(o.spelled(naming)), "{}", e.message());
                    }
                }
            }
        }
    }

    #[test]
    fn units_follow_the_front_door() {
        let b = apply(Naming::Camel, &[("timeout", RawValue::Float(1500.0))]).unwrap();
        assert_eq!(b.timeout, Duration::from_millis(1500));
        let b = apply(Naming::Snake, &[("timeout", RawValue::Float(1.5))]).unwrap();
        assert_eq!(b.timeout, Duration::from_millis(1500));
        let e = apply(Naming::Camel, &[("timeout", RawValue::Float(1e300))]).unwrap_err();
        assert!(e.message().contains("milliseconds"), "{}", e.message());
    }

    #[test]
    fn unknown_names_suggest() {
        let e = apply(Naming::Camel, &[("api_token", RawValue::Str("x".into()))]).unwrap_err();
        assert!(
            e.message().contains("did you mean apiToken?"),
            "{}",
            e.message()
        );
        let e = apply(Naming::Snake, &[("timout", RawValue::Int(1))]).unwrap_err();
        assert!(
            e.message().contains("did you mean timeout?"),
            "{}",
            e.message()
        );
        assert!(apply(Naming::Snake, &[("logger", RawValue::Map(vec![]))]).is_err());
    }

    #[test]
    fn secrets_are_never_echoed() {
        let e = apply(
            Naming::Snake,
            &[("timeout", RawValue::Str("s3cr3t-value".into()))],
        )
        .unwrap_err();
        assert!(e.message().contains("s3cr3t-value"));
        let e = apply(
            Naming::Snake,
            &[("api_token", RawValue::Str("s3cr3t\nvalue".into()))],
        )
        .unwrap_err();
        assert!(!e.message().contains("s3cr3t"), "{}", e.message());
    }
}
