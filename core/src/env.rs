//! Where the environment comes from. Injectable so tests never touch the process environment.

use std::collections::BTreeMap;

/// A source of environment variables.
pub trait EnvSource: Send + Sync {
    /// The value of `name`, if set (untrimmed).
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessEnv;

impl EnvSource for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl EnvSource for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl EnvSource for std::collections::HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// Environment variable names flarekit reads.
pub mod vars {
    pub const API_TOKEN: &str = "CLOUDFLARE_API_TOKEN";
    pub const API_KEY: &str = "CLOUDFLARE_API_KEY";
    pub const EMAIL: &str = "CLOUDFLARE_EMAIL";
    pub const USER_SERVICE_KEY: &str = "CLOUDFLARE_API_USER_SERVICE_KEY";
    pub const BASE_URL: &str = "CLOUDFLARE_BASE_URL";
    pub const ACCOUNT_ID: &str = "CLOUDFLARE_ACCOUNT_ID";
    pub const LOG: &str = "CLOUDFLARE_LOG";
    pub const HTTPS_PROXY: &str = "HTTPS_PROXY";
    pub const HTTPS_PROXY_LOWER: &str = "https_proxy";
    pub const ALL_PROXY: &str = "ALL_PROXY";
    pub const ALL_PROXY_LOWER: &str = "all_proxy";
    pub const NO_PROXY: &str = "NO_PROXY";
    pub const NO_PROXY_LOWER: &str = "no_proxy";

    /// Every variable, in the order they are snapshotted.
    pub const ALL: [&str; 13] = [
        API_TOKEN,
        API_KEY,
        EMAIL,
        USER_SERVICE_KEY,
        BASE_URL,
        ACCOUNT_ID,
        LOG,
        HTTPS_PROXY,
        HTTPS_PROXY_LOWER,
        ALL_PROXY,
        ALL_PROXY_LOWER,
        NO_PROXY,
        NO_PROXY_LOWER,
    ];
}

/// The environment as read once at construction: only the variables flarekit reads, trimmed, empty = unset.
/// Every value is held as a secret (a proxy URL may carry a password).
#[derive(Clone, Default)]
pub(crate) struct EnvSnapshot {
    values: BTreeMap<&'static str, secrecy::SecretString>,
}

impl EnvSnapshot {
    pub(crate) fn read(source: &dyn EnvSource) -> EnvSnapshot {
        let mut values = BTreeMap::new();
        for name in vars::ALL {
            if let Some(v) = source.var(name) {
                let t = v.trim();
                if !t.is_empty() {
                    values.insert(name, secrecy::SecretString::from(t.to_owned()));
                }
            }
        }
        EnvSnapshot { values }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&secrecy::SecretString> {
        self.values.get(name)
    }

    /// A non-secret variable's value.
    pub(crate) fn plain(&self, name: &str) -> Option<String> {
        use secrecy::ExposeSecret;
        self.values.get(name).map(|s| s.expose_secret().to_owned())
    }
}
