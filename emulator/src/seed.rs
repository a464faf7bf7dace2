//! The JSON seed that initial state is built from (see README.md for the format).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::state::State;

/// Initial state: one user, their accounts, zones with DNS records, API tokens and
/// Pages projects. Build one with [`Seed::demo`] or [`Seed::from_json`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The user every credential belongs to.
    pub user: SeedUser,
    /// Accounts the user is a member of.
    #[serde(default)]
    pub accounts: Vec<SeedAccount>,
    /// Zones, each in one of the accounts.
    #[serde(default)]
    pub zones: Vec<SeedZone>,
    /// API tokens owned by the user.
    #[serde(default)]
    pub tokens: Vec<SeedToken>,
    /// Pages projects.
    #[serde(default)]
    pub pages_projects: Vec<SeedPagesProject>,
}

/// The user and their account-wide credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// 32-hex id.
    pub id: String,
    /// Login email, sent as `X-Auth-Email` with the global key.
    pub email: String,
    /// Global API key (37 lowercase hex), sent as `X-Auth-Key`.
    pub api_key: String,
    /// Origin CA key, sent as `X-Auth-User-Service-Key` (only `/certificates` accepts it).
    #[serde(default)]
    pub user_service_key: Option<String>,
    /// Optional first name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Optional last name.
    #[serde(default)]
    pub last_name: Option<String>,
}

/// An account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccount {
    /// 32-hex id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `standard` (default) or `enterprise`.
    #[serde(default = "default_account_type", rename = "type")]
    pub kind: String,
}

/// A zone and its DNS records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedZone {
    /// 32-hex id.
    pub id: String,
    /// Domain name.
    pub name: String,
    /// Owning account id.
    pub account_id: String,
    /// `active` (default), `pending`, `initializing` or `moved`.
    #[serde(default = "default_zone_status")]
    pub status: String,
    /// DNS records; names may be relative (`www`, `@`) or fully qualified.
    #[serde(default)]
    pub dns_records: Vec<SeedRecord>,
}

/// A DNS record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedRecord {
    /// 32-hex id; generated when absent.
    #[serde(default)]
    pub id: Option<String>,
    /// Record type (`A`, `AAAA`, `CNAME`, `MX`, `TXT`...).
    #[serde(rename = "type")]
    pub kind: String,
    /// Name, relative to the zone or fully qualified.
    pub name: String,
    /// Content.
    pub content: String,
    /// TTL in seconds, 1 meaning automatic (the default).
    #[serde(default)]
    pub ttl: Option<u32>,
    /// Whether the record is proxied (default false).
    #[serde(default)]
    pub proxied: Option<bool>,
    /// MX/URI priority.
    #[serde(default)]
    pub priority: Option<u16>,
    /// Comment.
    #[serde(default)]
    pub comment: Option<String>,
    /// Tags (`name:value`).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// An API token.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedToken {
    /// 32-hex id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The secret (40 characters of `[A-Za-z0-9_-]`).
    pub value: String,
    /// `active` (default), `disabled` (revoked) or `expired`.
    #[serde(default = "default_token_status")]
    pub status: String,
    /// RFC 3339 time before which the token is rejected.
    #[serde(default)]
    pub not_before: Option<String>,
    /// RFC 3339 time after which the token is rejected.
    #[serde(default)]
    pub expires_on: Option<String>,
    /// `{"request_ip": {"in": [CIDR...], "not_in": [CIDR...]}}`.
    #[serde(default)]
    pub condition: Option<Value>,
    /// Policies, in the API's shape; permission groups may be given by id or name.
    #[serde(default)]
    pub policies: Vec<Value>,
}

/// A Pages project.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPagesProject {
    /// Owning account id.
    pub account_id: String,
    /// Project name.
    pub name: String,
    /// Production branch (default `main`).
    #[serde(default)]
    pub production_branch: Option<String>,
    /// Custom domains.
    #[serde(default)]
    pub domains: Vec<String>,
}

fn default_account_type() -> String {
    "standard".into()
}
fn default_zone_status() -> String {
    "active".into()
}
fn default_token_status() -> String {
    "active".into()
}

/// The demo seed's JSON, also the example in README.md.
pub const DEMO_SEED_JSON: &str = include_str!("../seed/demo.json");

impl Seed {
    /// The built-in demo seed (its credentials are in [`crate::demo`]).
    pub fn demo() -> Seed {
        // The file is part of the crate and covered by tests, so it always parses.
        Seed::from_json(DEMO_SEED_JSON).expect("the bundled demo seed is valid")
    }

    /// Parses and validates a seed; the error says what is wrong and where.
    pub fn from_json(json: &str) -> Result<Seed, SeedError> {
        let seed: Seed = serde_json::from_str(json)
            .map_err(|e| SeedError(format!("seed is not valid JSON for the seed format: {e}")))?;
        State::from_seed(&seed).map_err(SeedError)?;
        Ok(seed)
    }

    /// Reads and validates a seed file.
    pub fn from_file(path: &std::path::Path) -> Result<Seed, SeedError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SeedError(format!("cannot read seed file {}: {e}", path.display())))?;
        Seed::from_json(&text).map_err(|SeedError(m)| SeedError(format!("{}: {m}", path.display())))
    }

    /// The seed's credentials as `label: value` lines, for the CLI banner.
    pub fn credential_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .tokens
            .iter()
            .map(|t| format!("api token \"{}\": {}", t.name, t.value))
            .collect();
        lines.push(format!(
            "global api key: {} email: {}",
            self.user.api_key, self.user.email
        ));
        if let Some(usk) = &self.user.user_service_key {
            lines.push(format!("user service key: {usk}"));
        }
        lines
    }
}

/// Why a seed was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError(pub String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}
