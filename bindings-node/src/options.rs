//! Client options as JS passes them, applied to the core's builder.

use std::collections::BTreeMap;
use std::time::Duration;

use flarekit::{ClientBuilder, CredentialOptions, LogLevel, SecretString};
use napi_derive::napi;

use crate::errors::{config, Result};

/// Options of `new Cloudflare(...)`, already type-checked by `index.js`. `timeout` is in milliseconds.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptions {
    pub api_token: Option<String>,
    pub api_key: Option<String>,
    pub api_email: Option<String>,
    pub user_service_key: Option<String>,
    #[napi(js_name = "baseURL")]
    pub base_url: Option<String>,
    pub account_id: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<f64>,
    /// `[[name, value], ...]` in the caller's order.
    pub default_headers: Option<Vec<Vec<String>>>,
    pub log_level: Option<String>,
    pub retry_delay_scale: Option<f64>,
    pub max_response_bytes: Option<f64>,
    pub user_agent_suffix: Option<String>,
    /// A PEM file of CA certificates to trust besides the system roots (verification stays on).
    pub ca_bundle: Option<String>,
    /// Read instead of the process environment (tests).
    pub env: Option<Vec<Vec<String>>>,
}

impl ClientOptions {
    fn any_credential(&self) -> bool {
        self.api_token.is_some()
            || self.api_key.is_some()
            || self.api_email.is_some()
            || self.user_service_key.is_some()
    }

    /// Apply every option that is set. Credentials replace the builder's as a set, so
    /// `withOptions({ apiToken })` on a key+email client uses the token.
    pub(crate) fn apply(self, mut b: ClientBuilder) -> Result<ClientBuilder> {
        if self.any_credential() {
            let s = |v: Option<String>| v.map(SecretString::from);
            b = b.credentials(CredentialOptions {
                api_token: s(self.api_token),
                api_key: s(self.api_key),
                api_email: s(self.api_email),
                user_service_key: s(self.user_service_key),
            });
        }
        if let Some(v) = self.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = self.account_id {
            b = b.account_id(v);
        }
        if let Some(ms) = self.timeout {
            if !(ms.is_finite() && ms > 0.0) {
                return Err(config(format!(
                    "timeout must be a positive number of milliseconds, got {ms}"
                )));
            }
            b = b.timeout(Duration::from_secs_f64(ms / 1000.0));
        }
        if let Some(n) = self.max_retries {
            if !(n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64) {
                return Err(config(format!(
                    "maxRetries must be a non-negative integer, got {n}"
                )));
            }
            b = b.max_retries(n as u32);
        }
        if let Some(h) = self.default_headers {
            b = b.default_headers(pairs(h));
        }
        if let Some(l) = self.log_level {
            b = b.log_level(
                LogLevel::parse(&l)
                    .map_err(|e| config(e.message().replace("log_level", "logLevel")))?,
            );
        }
        if let Some(s) = self.retry_delay_scale {
            b = b.retry_delay_scale(s);
        }
        if let Some(n) = self.max_response_bytes {
            if !(n.is_finite() && n >= 0.0) {
                return Err(config(format!(
                    "maxResponseBytes must be a non-negative number, got {n}"
                )));
            }
            b = b.max_response_bytes(n as u64);
        }
        if let Some(s) = self.user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(p) = self.ca_bundle {
            b = b.ca_bundle(p);
        }
        if let Some(env) = self.env {
            let map: BTreeMap<String, String> = pairs(env).into_iter().collect();
            b = b.env_source(map);
        }
        Ok(b)
    }
}

fn pairs(v: Vec<Vec<String>>) -> Vec<(String, String)> {
    v.into_iter()
        .filter_map(|mut p| {
            if p.len() == 2 {
                let value = p.pop()?;
                let name = p.pop()?;
                Some((name, value))
            } else {
                None
            }
        })
        .collect()
}
