//! Least-privilege API tokens as one call: a [`TokenSpec`] (permission groups by name on zones, accounts or the
//! user; IP lists; validity) resolved through the API into the exact request body, and the token operations on
//! top: create (user- or account-owned), verify, [`whoami`](Tokens::whoami), roll, revoke, expiring.
//!
//! ```no_run
//! # async fn run(cf: flarekit::Cloudflare) -> flarekit::Result<()> {
//! use flarekit::tokens::{Owner, Scope, TokenSpec};
//! let spec = TokenSpec::new("ci deploy")
//!     .allow("DNS Write", Scope::Zone("example.com".into()))
//!     .ip_allow("192.0.2.0/24")
//!     .ttl(std::time::Duration::from_secs(3600));
//! let token = cf.tokens().create(&spec, &Owner::User).await?;
//! println!("{} expires {:?}", token.id, token.expires_on); // the value only through token.value()
//! # Ok(()) }
//! ```

pub mod dispatch;
mod resolve;
mod spec;
mod time;

use std::fmt;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

use crate::client::Cloudflare;
use crate::credentials::AuthScheme;
use crate::error::{Error, ErrorKind, Result};

pub use resolve::{ResolvedGrant, TokenRequest};
pub use spec::{Expiry, Grant, Scope, TokenSpec};
pub use time::parse_duration;

use resolve::{enc, is_id};

/// Who owns a token: the user, or one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// `/user/tokens`.
    User,
    /// `/accounts/{account_id}/tokens`.
    Account(String),
}

impl Owner {
    /// `Owner::Account` for `Some(id)`, else `Owner::User`.
    pub fn from_account(account_id: Option<&str>) -> Owner {
        match account_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(a) => Owner::Account(a.to_string()),
            None => Owner::User,
        }
    }

    fn base(&self) -> String {
        match self {
            Owner::User => "/user/tokens".into(),
            Owner::Account(a) => format!("/accounts/{}/tokens", enc(a)),
        }
    }

    fn json(&self) -> (Value, Value) {
        match self {
            Owner::User => (json!("user"), Value::Null),
            Owner::Account(a) => (json!("account"), json!(a)),
        }
    }
}

/// A token just created or rolled. Its value is shown once, here, and only through [`value`](Self::value):
/// `Debug` and [`to_json`](Self::to_json) leave it out.
#[derive(Clone)]
pub struct CreatedToken {
    /// Token id.
    pub id: String,
    /// Token name.
    pub name: Option<String>,
    /// `active`, ...
    pub status: Option<String>,
    /// RFC 3339.
    pub not_before: Option<String>,
    /// RFC 3339.
    pub expires_on: Option<String>,
    /// The policies as the API stored them (permission groups with their names).
    pub policies: Value,
    /// User- or account-owned.
    pub owner: Owner,
    value: SecretString,
}

impl CreatedToken {
    /// The secret value. Print it once, hand it to a secret store, and drop it.
    pub fn value(&self) -> &SecretString {
        &self.value
    }

    /// Everything but the value.
    pub fn to_json(&self) -> Value {
        let (owner, account) = self.owner.json();
        json!({
            "id": self.id, "name": self.name, "status": self.status, "not_before": self.not_before,
            "expires_on": self.expires_on, "policies": self.policies, "owner": owner, "account_id": account,
        })
    }
}

impl fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedToken")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("expires_on", &self.expires_on)
            .field("owner", &self.owner)
            .field("value", &"[redacted]")
            .finish()
    }
}

/// What a dry run or a real creation gives.
#[derive(Debug, Clone)]
pub enum Creation {
    /// The request that would be sent.
    Planned(TokenRequest),
    /// The token.
    Created(CreatedToken),
}

/// A verified token: what `/user/tokens/verify` or `/accounts/{id}/tokens/verify` says.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenIdentity {
    /// Token id.
    pub id: String,
    /// `active`, `disabled`, `expired`.
    pub status: String,
    /// RFC 3339.
    pub not_before: Option<String>,
    /// RFC 3339.
    pub expires_on: Option<String>,
    /// User- or account-owned.
    pub owner: Owner,
    /// Name and policies, when the token may read itself.
    pub name: Option<String>,
    /// The token's policies, when it may read itself.
    pub policies: Option<Value>,
}

impl TokenIdentity {
    /// As JSON (`owner` is `user` or `account`, with `account_id`).
    pub fn to_json(&self) -> Value {
        let (owner, account) = self.owner.json();
        json!({
            "id": self.id, "status": self.status, "not_before": self.not_before, "expires_on": self.expires_on,
            "owner": owner, "account_id": account, "name": self.name, "policies": self.policies,
        })
    }
}

/// Who the client is: the scheme, where it came from, and the token or user behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct WhoAmI {
    /// E.g. `api_token from CLOUDFLARE_API_TOKEN`.
    pub auth: String,
    /// `api_token`, `api_key`, `user_service_key`.
    pub scheme: &'static str,
    /// `options` or the environment variable.
    pub source: String,
    /// For a token.
    pub token: Option<TokenIdentity>,
    /// For the global key: `GET /user`'s id and email.
    pub user: Option<Value>,
}

impl WhoAmI {
    /// As JSON: `{auth, scheme, source, token, user}`.
    pub fn to_json(&self) -> Value {
        json!({
            "auth": self.auth, "scheme": self.scheme, "source": self.source,
            "token": self.token.as_ref().map(TokenIdentity::to_json), "user": self.user,
        })
    }
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

fn check_token_id(id: &str) -> Result<&str> {
    let t = id.trim();
    if is_id(t) {
        Ok(t)
    } else {
        Err(invalid(format!(
            "token id {t:?} must be 32 hex characters (flarekit token list shows them)"
        )))
    }
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Token operations: `cf.tokens()`.
#[derive(Debug, Clone, Copy)]
pub struct Tokens<'a> {
    cf: &'a Cloudflare,
}

impl Cloudflare {
    /// Least-privilege tokens, `whoami`, rolling and revoking.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens { cf: self }
    }
}

impl<'a> Tokens<'a> {
    /// The exact request creating `spec` would send (names resolved through the API; nothing is written).
    pub async fn plan(&self, spec: &TokenSpec, owner: &Owner) -> Result<TokenRequest> {
        resolve::resolve(self.cf, spec, owner).await
    }

    /// Creates the token of `spec`.
    pub async fn create(&self, spec: &TokenSpec, owner: &Owner) -> Result<CreatedToken> {
        let req = self.plan(spec, owner).await?;
        self.send_plan(&req, owner).await
    }

    /// [`plan`](Self::plan) when `dry_run`, else [`create`](Self::create).
    pub async fn create_or_plan(
        &self,
        spec: &TokenSpec,
        owner: &Owner,
        dry_run: bool,
    ) -> Result<Creation> {
        let req = self.plan(spec, owner).await?;
        if dry_run {
            return Ok(Creation::Planned(req));
        }
        self.send_plan(&req, owner).await.map(Creation::Created)
    }

    async fn send_plan(&self, req: &TokenRequest, owner: &Owner) -> Result<CreatedToken> {
        let r = self
            .cf
            .post(owner.base())
            .json(req.body.clone())
            .send()
            .await?;
        let v = r.result;
        let value = v.get("value").and_then(Value::as_str).ok_or_else(|| {
            Error::new(
                ErrorKind::ApiStatus,
                "the created token has no value in the response",
            )
        })?;
        Ok(CreatedToken {
            id: opt_str(&v, "id").unwrap_or_default(),
            name: opt_str(&v, "name"),
            status: opt_str(&v, "status"),
            not_before: opt_str(&v, "not_before"),
            expires_on: opt_str(&v, "expires_on"),
            policies: v.get("policies").cloned().unwrap_or(Value::Null),
            owner: owner.clone(),
            value: SecretString::from(value.to_string()),
        })
    }

    /// Verifies the client's own token: `/user/tokens/verify`, and for an account-owned token (which that endpoint
    /// refuses) `/accounts/{id}/tokens/verify` with the client's account (option or `CLOUDFLARE_ACCOUNT_ID`), else
    /// each account the token can list.
    pub async fn verify(&self) -> Result<TokenIdentity> {
        if self.cf.auth().scheme != AuthScheme::ApiToken {
            return Err(Error::new(
                ErrorKind::Configuration,
                format!(
                    "verify needs an API token, but this client uses {} (set api_token or CLOUDFLARE_API_TOKEN; whoami works for every scheme)",
                    self.cf.auth()
                ),
            ));
        }
        let first = match self.cf.get("/user/tokens/verify").send().await {
            Ok(r) => return Ok(identity(&r.result, Owner::User)),
            Err(e) if e.kind().is_authentication() => e,
            Err(e) => return Err(e),
        };
        let accounts: Vec<String> = match self.cf.account_id() {
            Some(a) => vec![a.to_string()],
            None => match self
                .cf
                .get("/accounts")
                .query(json!({"per_page": 50}))
                .send()
                .await
            {
                Ok(r) => r
                    .result
                    .as_array()
                    .map(|a| a.iter().filter_map(|x| opt_str(x, "id")).collect())
                    .unwrap_or_default(),
                Err(_) => Vec::new(),
            },
        };
        for a in accounts {
            match self
                .cf
                .get(format!("/accounts/{}/tokens/verify", enc(&a)))
                .send()
                .await
            {
                Ok(r) => return Ok(identity(&r.result, Owner::Account(a))),
                Err(e) if e.kind().is_authentication() || e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Err(first)
    }

    /// Which scheme the client uses and from where; for a token its id, status, validity, owner (and name and
    /// policies when it may read itself); for the global key the user.
    pub async fn whoami(&self) -> Result<WhoAmI> {
        let auth = self.cf.auth();
        let desc = auth.description().to_string();
        let source = desc
            .split_once(" from ")
            .map(|(_, s)| s.to_string())
            .unwrap_or_default();
        let mut out = WhoAmI {
            auth: desc,
            scheme: auth.scheme.as_str(),
            source,
            token: None,
            user: None,
        };
        match auth.scheme {
            AuthScheme::ApiToken => {
                let mut t = self.verify().await?;
                if let Ok(r) = self
                    .cf
                    .get(format!("{}/{}", t.owner.base(), enc(&t.id)))
                    .send()
                    .await
                {
                    t.name = opt_str(&r.result, "name");
                    t.policies = r.result.get("policies").cloned();
                }
                out.token = Some(t);
            }
            AuthScheme::ApiKey => {
                let r = self.cf.get("/user").send().await?;
                out.user = Some(json!({"id": r.result.get("id"), "email": r.result.get("email")}));
            }
            AuthScheme::UserServiceKey => {}
        }
        Ok(out)
    }

    /// Gives a token a new value; the old one stops working at once.
    pub async fn roll(&self, id: &str, owner: &Owner) -> Result<SecretString> {
        let id = check_token_id(id)?;
        let r = self
            .cf
            .put(format!("{}/{}/value", owner.base(), enc(id)))
            .json(json!({}))
            .send()
            .await?;
        match r.result {
            Value::String(s) => Ok(SecretString::from(s)),
            _ => Err(Error::new(
                ErrorKind::ApiStatus,
                "the rolled token's new value is missing from the response",
            )),
        }
    }

    /// Deletes a token: it stops working at once.
    pub async fn revoke(&self, id: &str, owner: &Owner) -> Result<String> {
        let id = check_token_id(id)?;
        self.cf
            .delete(format!("{}/{}", owner.base(), enc(id)))
            .send()
            .await?;
        Ok(id.to_string())
    }

    /// Every token (without values), every page.
    pub async fn list(&self, owner: &Owner) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut page = 1u64;
        loop {
            let r = self
                .cf
                .get(owner.base())
                .query(json!({"page": page, "per_page": 50}))
                .send()
                .await?;
            let items = r.result.as_array().cloned().unwrap_or_default();
            let n = items.len();
            out.extend(items);
            let total = r
                .result_info
                .as_ref()
                .and_then(|i| i.get("total_pages"))
                .and_then(Value::as_u64)
                .unwrap_or(page);
            if n == 0 || page >= total {
                return Ok(out);
            }
            page += 1;
        }
    }

    /// Tokens whose `expires_on` falls within `within` from now (already expired ones included; revoked ones not).
    pub async fn expiring(&self, within: Duration, owner: &Owner) -> Result<Vec<Value>> {
        let limit =
            time::now_secs().saturating_add(within.as_secs().min(i64::MAX as u64 / 2) as i64);
        Ok(self
            .list(owner)
            .await?
            .into_iter()
            .filter(|t| t.get("status").and_then(Value::as_str) != Some("disabled"))
            .filter(|t| {
                t.get("expires_on")
                    .and_then(Value::as_str)
                    .and_then(time::parse_rfc3339)
                    .is_some_and(|e| e <= limit)
            })
            .collect())
    }

    /// The permission groups a token of `owner` can be granted, optionally only one scope (`zone`, `account`, `user`).
    pub async fn permission_groups(
        &self,
        owner: &Owner,
        scope: Option<&str>,
    ) -> Result<Vec<Value>> {
        let want = match scope.map(str::trim) {
            None | Some("") => None,
            Some("zone") => Some("com.cloudflare.api.account.zone"),
            Some("account") => Some("com.cloudflare.api.account"),
            Some("user") => Some("com.cloudflare.api.user"),
            Some(other) => {
                return Err(invalid(format!(
                    "scope {other:?} must be zone, account or user"
                )))
            }
        };
        let r = self.cf.get(resolve::groups_path(owner)).send().await?;
        Ok(r.result
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|g| {
                want.is_none_or(|w| {
                    g.get("scopes")
                        .and_then(Value::as_array)
                        .is_some_and(|s| s.iter().any(|x| x.as_str() == Some(w)))
                })
            })
            .collect())
    }
}

fn identity(v: &Value, owner: Owner) -> TokenIdentity {
    TokenIdentity {
        id: opt_str(v, "id").unwrap_or_default(),
        status: opt_str(v, "status").unwrap_or_default(),
        not_before: opt_str(v, "not_before"),
        expires_on: opt_str(v, "expires_on"),
        owner,
        name: None,
        policies: None,
    }
}

/// The secret's text, for the one place a front door hands it over (Python `reveal()`, JS `reveal()`, the CLI).
pub fn expose(secret: &SecretString) -> &str {
    secret.expose_secret()
}
