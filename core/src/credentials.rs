//! Credential resolution: which one auth scheme a client uses, and from where.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION};
use secrecy::{ExposeSecret, SecretString};

use crate::env::{vars, EnvSnapshot};
use crate::error::{Error, ErrorKind, Result};

/// How option names are spelled in messages: each front door reports names the way its users write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Naming {
    /// `api_token` (Rust, Python).
    #[default]
    Snake,
    /// `apiToken` (JavaScript).
    Camel,
}

impl Naming {
    /// The option `snake` as this front door spells it (from the option table; a few introspection keys
    /// besides).
    pub fn name(self, snake: &'static str) -> &'static str {
        match self {
            Naming::Snake => snake,
            Naming::Camel => crate::options::OPTIONS
                .iter()
                .find(|o| o.name == snake)
                .map(|o| o.js_name)
                .unwrap_or(match snake {
                    "proxy_from" => "proxyFrom",
                    "user_agent" => "userAgent",
                    s => s,
                }),
        }
    }
}

/// The credential options as given by the caller. Secrets are held in zeroizing strings.
#[derive(Clone, Default)]
pub struct CredentialOptions {
    pub api_token: Option<SecretString>,
    pub api_key: Option<SecretString>,
    pub api_email: Option<SecretString>,
    pub user_service_key: Option<SecretString>,
}

impl fmt::Debug for CredentialOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = |o: &Option<SecretString>| if o.is_some() { "set" } else { "unset" };
        f.debug_struct("CredentialOptions")
            .field("api_token", &mark(&self.api_token))
            .field("api_key", &mark(&self.api_key))
            .field("api_email", &mark(&self.api_email))
            .field("user_service_key", &mark(&self.user_service_key))
            .finish()
    }
}

/// The auth scheme a client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`.
    ApiToken,
    /// `X-Auth-Email` + `X-Auth-Key`.
    ApiKey,
    /// `X-Auth-User-Service-Key`.
    UserServiceKey,
}

impl AuthScheme {
    /// Stable name: `api_token`, `api_key`, `user_service_key`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::ApiToken => "api_token",
            AuthScheme::ApiKey => "api_key",
            AuthScheme::UserServiceKey => "user_service_key",
        }
    }
}

/// Where the chosen credentials came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// Options passed to the client.
    Options,
    /// The environment.
    Environment,
}

/// Which scheme a client uses and from where, never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthInfo {
    pub scheme: AuthScheme,
    pub source: CredentialSource,
    description: String,
}

impl AuthInfo {
    /// E.g. `api_token from CLOUDFLARE_API_TOKEN`, `api_key+api_email from options`.
    pub fn description(&self) -> &str {
        &self.description
    }
}

impl fmt::Display for AuthInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description)
    }
}

/// The resolved credentials: exactly one scheme.
#[derive(Clone)]
pub(crate) enum Credentials {
    Token(SecretString),
    KeyEmail {
        key: SecretString,
        email: SecretString,
    },
    UserServiceKey(SecretString),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self {
            Credentials::Token(_) => "api_token",
            Credentials::KeyEmail { .. } => "api_key",
            Credentials::UserServiceKey(_) => "user_service_key",
        };
        write!(f, "Credentials({scheme}, <redacted>)")
    }
}

const X_AUTH_EMAIL: HeaderName = HeaderName::from_static("x-auth-email");
const X_AUTH_KEY: HeaderName = HeaderName::from_static("x-auth-key");
const X_AUTH_USER_SERVICE_KEY: HeaderName = HeaderName::from_static("x-auth-user-service-key");

/// Header names that carry credentials; never accepted from `default_headers`, always masked in logs.
pub const AUTH_HEADER_NAMES: [&str; 4] = [
    "authorization",
    "x-auth-email",
    "x-auth-key",
    "x-auth-user-service-key",
];

impl Credentials {
    /// The headers of the one scheme, marked sensitive so hyper never prints them.
    pub(crate) fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        let sensitive = |s: &str| {
            // Values were validated as printable ASCII at construction, so this cannot fail.
            let mut v = HeaderValue::from_str(s).expect("credential validated at construction");
            v.set_sensitive(true);
            v
        };
        match self {
            Credentials::Token(t) => {
                h.insert(
                    AUTHORIZATION,
                    sensitive(&format!("Bearer {}", t.expose_secret())),
                );
            }
            Credentials::KeyEmail { key, email } => {
                h.insert(X_AUTH_EMAIL, sensitive(email.expose_secret()));
                h.insert(X_AUTH_KEY, sensitive(key.expose_secret()));
            }
            Credentials::UserServiceKey(k) => {
                h.insert(X_AUTH_USER_SERVICE_KEY, sensitive(k.expose_secret()));
            }
        }
        h
    }

    pub(crate) fn scheme(&self) -> AuthScheme {
        match self {
            Credentials::Token(_) => AuthScheme::ApiToken,
            Credentials::KeyEmail { .. } => AuthScheme::ApiKey,
            Credentials::UserServiceKey(_) => AuthScheme::UserServiceKey,
        }
    }
}

/// The outcome of resolution: the credentials, what to report, and warnings to log.
pub(crate) struct Resolved {
    pub credentials: Credentials,
    pub info: AuthInfo,
    pub warnings: Vec<String>,
}

/// Reject values that would corrupt a header: control characters (CR/LF among them) and non-ASCII.
/// The message names the option and the position, never the value.
pub(crate) fn validate_header_text(label: &str, value: &str) -> Result<()> {
    for (i, ch) in value.chars().enumerate() {
        let problem = if ch == '\r' || ch == '\n' {
            Some("a line break (CR/LF)")
        } else if ch.is_control() {
            Some("a control character")
        } else if !ch.is_ascii() {
            Some("a non-ASCII character")
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(Error::new(
                ErrorKind::Configuration,
                format!(
                    "{label} contains {p} at position {i}; it must be printable ASCII (check for a stray newline or a copy-paste artefact)"
                ),
            ));
        }
    }
    Ok(())
}

/// Trim a value; empty counts as unset.
pub(crate) fn normalise(v: Option<SecretString>) -> Option<SecretString> {
    let v = v?;
    let t = v.expose_secret().trim();
    if t.is_empty() {
        None
    } else if t.len() == v.expose_secret().len() {
        Some(v)
    } else {
        Some(SecretString::from(t.to_owned()))
    }
}

struct Source<'a> {
    kind: CredentialSource,
    token: Option<&'a SecretString>,
    key: Option<&'a SecretString>,
    email: Option<&'a SecretString>,
    usk: Option<&'a SecretString>,
}

impl Source<'_> {
    /// The label of one credential in this source: the option name, or the environment variable.
    fn label(&self, naming: Naming, option: &'static str, var: &'static str) -> String {
        match self.kind {
            CredentialSource::Options => naming.name(option).to_string(),
            CredentialSource::Environment => var.to_string(),
        }
    }
}

/// Resolve credentials as DESIGN.md says: explicit options beat the environment as a whole; within the chosen
/// source key+email > token > user service key; a half pair is an error unless a complete scheme stands beside it.
pub(crate) fn resolve(
    options: &CredentialOptions,
    env: &EnvSnapshot,
    naming: Naming,
) -> Result<Resolved> {
    let opts = CredentialOptions {
        api_token: normalise(options.api_token.clone()),
        api_key: normalise(options.api_key.clone()),
        api_email: normalise(options.api_email.clone()),
        user_service_key: normalise(options.user_service_key.clone()),
    };
    let any_option = opts.api_token.is_some()
        || opts.api_key.is_some()
        || opts.api_email.is_some()
        || opts.user_service_key.is_some();
    let src = if any_option {
        Source {
            kind: CredentialSource::Options,
            token: opts.api_token.as_ref(),
            key: opts.api_key.as_ref(),
            email: opts.api_email.as_ref(),
            usk: opts.user_service_key.as_ref(),
        }
    } else {
        Source {
            kind: CredentialSource::Environment,
            token: env.get(vars::API_TOKEN),
            key: env.get(vars::API_KEY),
            email: env.get(vars::EMAIL),
            usk: env.get(vars::USER_SERVICE_KEY),
        }
    };

    let token_l = src.label(naming, "api_token", vars::API_TOKEN);
    let key_l = src.label(naming, "api_key", vars::API_KEY);
    let email_l = src.label(naming, "api_email", vars::EMAIL);
    let usk_l = src.label(naming, "user_service_key", vars::USER_SERVICE_KEY);
    for (label, value) in [
        (&token_l, src.token),
        (&key_l, src.key),
        (&email_l, src.email),
        (&usk_l, src.usk),
    ] {
        if let Some(v) = value {
            validate_header_text(label, v.expose_secret())?;
        }
    }

    let from = |what: String, vars_used: &[&str]| -> String {
        match src.kind {
            CredentialSource::Options => format!("{what} from options"),
            CredentialSource::Environment => format!("{what} from {}", vars_used.join(" and ")),
        }
    };
    let mut warnings = Vec::new();
    let half_pair = match (src.key, src.email) {
        (Some(_), None) => Some(format!(
            "{key_l} was given without {email_l} (set {} or {})",
            naming.name("api_email"),
            vars::EMAIL
        )),
        (None, Some(_)) => Some(format!(
            "{email_l} was given without {key_l} (set {} or {})",
            naming.name("api_key"),
            vars::API_KEY
        )),
        _ => None,
    };

    let (credentials, description) = if let (Some(key), Some(email)) = (src.key, src.email) {
        (
            Credentials::KeyEmail {
                key: key.clone(),
                email: email.clone(),
            },
            from(
                format!("{}+{}", naming.name("api_key"), naming.name("api_email")),
                &[vars::API_KEY, vars::EMAIL],
            ),
        )
    } else if let Some(token) = src.token {
        (
            Credentials::Token(token.clone()),
            from(naming.name("api_token").to_string(), &[vars::API_TOKEN]),
        )
    } else if let Some(usk) = src.usk {
        (
            Credentials::UserServiceKey(usk.clone()),
            from(
                naming.name("user_service_key").to_string(),
                &[vars::USER_SERVICE_KEY],
            ),
        )
    } else if let Some(half) = half_pair {
        return Err(Error::new(ErrorKind::MissingCredentials, half));
    } else {
        return Err(Error::new(
            ErrorKind::MissingCredentials,
            missing_message(naming),
        ));
    };

    if let Some(half) = half_pair {
        warnings.push(format!("{half}; using {description} instead"));
    }
    let info = AuthInfo {
        scheme: credentials.scheme(),
        source: src.kind,
        description,
    };
    Ok(Resolved {
        credentials,
        info,
        warnings,
    })
}

/// The documented message when nothing at all is set.
pub(crate) fn missing_message(naming: Naming) -> String {
    let names = match naming {
        Naming::Snake => "api_email, api_key, api_token or user_service_key",
        Naming::Camel => "apiEmail, apiKey, apiToken or userServiceKey",
    };
    format!(
        "Could not resolve authentication method. Expected one of {names} to be set. \
         Or set one of the environment variables {token}, {key} with {email}, or {usk}.",
        token = vars::API_TOKEN,
        key = vars::API_KEY,
        email = vars::EMAIL,
        usk = vars::USER_SERVICE_KEY,
    )
}
