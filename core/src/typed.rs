//! Typed helpers for the core set of resources, on top of the by-name dispatch (every rule stays there).
//!
//! ```no_run
//! # async fn run(cf: flarekit::Cloudflare) -> flarekit::Result<()> {
//! use flarekit::typed::{DnsRecordInput, ZoneFilter};
//! let zones = cf.zones().list(&ZoneFilter { name: Some("example.com".into()), ..Default::default() }).await?;
//! let rec = cf.dns_records().create(&zones[0].id, &DnsRecordInput::new("A", "www", "192.0.2.1")).await?;
//! println!("{} {}", rec.id, rec.name);
//! # Ok(()) }
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::client::Cloudflare;
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Part;

fn to_params<T: Serialize>(v: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => Ok(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        Ok(_) => Ok(Map::new()),
        Err(e) => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("parameters are not serialisable: {e}"),
        )),
    }
}

impl Cloudflare {
    async fn typed<T: DeserializeOwned>(
        &self,
        resource: &str,
        method: &str,
        positional: Vec<Value>,
        params: Map<String, Value>,
    ) -> Result<T> {
        self.operation(resource, method)?
            .positional(positional)
            .params_map(params)
            .send_as()
            .await
    }

    async fn typed_all<T: DeserializeOwned>(
        &self,
        resource: &str,
        method: &str,
        params: Map<String, Value>,
    ) -> Result<Vec<T>> {
        let mut pager = self
            .operation(resource, method)?
            .params_map(params)
            .pages()?;
        let shape = |e: serde_json::Error| {
            Error::new(
                ErrorKind::ApiStatus,
                format!("{resource}.{method}: an item does not have the expected shape: {e}"),
            )
        };
        let mut out = Vec::new();
        // Pages as JSON text, deserialised straight into `T` (no `Value` tree in between).
        while let Some(page) = pager.next_page_raw().await? {
            match &page.items_json {
                Some(text) => out.extend(serde_json::from_str::<Vec<T>>(text).map_err(shape)?),
                None => {
                    for item in page.items {
                        out.push(serde_json::from_value(item).map_err(shape)?);
                    }
                }
            }
        }
        Ok(out)
    }

    /// `user` and `user.tokens`.
    pub fn user(&self) -> UserApi<'_> {
        UserApi { cf: self }
    }
    /// `zones`.
    pub fn zones(&self) -> ZonesApi<'_> {
        ZonesApi { cf: self }
    }
    /// `dns.records`.
    pub fn dns_records(&self) -> DnsRecordsApi<'_> {
        DnsRecordsApi { cf: self }
    }
    /// `accounts`.
    pub fn accounts(&self) -> AccountsApi<'_> {
        AccountsApi { cf: self }
    }
    /// `pages.projects`.
    pub fn pages_projects(&self) -> PagesApi<'_> {
        PagesApi { cf: self }
    }
    /// `workers.scripts`.
    pub fn workers_scripts(&self) -> WorkersApi<'_> {
        WorkersApi { cf: self }
    }
}

fn one(k: &str, v: impl Into<Value>) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(k.to_string(), v.into());
    m
}

/// The user.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What `tokens/verify` says of the token in use.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct TokenStatus {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub not_before: Option<String>,
    #[serde(default)]
    pub expires_on: Option<String>,
}

/// An API token (its `value` only in create and roll responses).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Token {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub policies: Vec<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A token to create: a name and policies (`{effect, resources, permission_groups}`), optional condition and validity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NewToken {
    pub name: String,
    pub policies: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_on: Option<String>,
}

/// `cf.user()`.
pub struct UserApi<'a> {
    cf: &'a Cloudflare,
}

impl UserApi<'_> {
    /// `GET /user`.
    pub async fn get(&self) -> Result<User> {
        self.cf.typed("user", "get", vec![], Map::new()).await
    }
    /// `GET /user/tokens/verify`.
    pub async fn verify_token(&self) -> Result<TokenStatus> {
        self.cf
            .typed("user.tokens", "verify", vec![], Map::new())
            .await
    }
    /// Every token of the user.
    pub async fn list_tokens(&self) -> Result<Vec<Token>> {
        self.cf.typed_all("user.tokens", "list", Map::new()).await
    }
    /// Create a token; the response holds its value, shown once.
    pub async fn create_token(&self, t: &NewToken) -> Result<Token> {
        self.cf
            .typed("user.tokens", "create", vec![], to_params(t)?)
            .await
    }
    /// Delete a token.
    pub async fn delete_token(&self, token_id: &str) -> Result<Value> {
        self.cf
            .typed("user.tokens", "delete", vec![json!(token_id)], Map::new())
            .await
    }
    /// Roll a token's value; returns the new value.
    pub async fn roll_token(&self, token_id: &str) -> Result<String> {
        self.cf
            .typed(
                "user.tokens.value",
                "update",
                vec![json!(token_id)],
                Map::new(),
            )
            .await
    }
}

/// A zone.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Zone {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub account: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Filters for `zones.list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ZoneFilter {
    pub name: Option<String>,
    pub status: Option<String>,
    pub account: Option<Value>,
    pub per_page: Option<u32>,
}

/// `cf.zones()`.
pub struct ZonesApi<'a> {
    cf: &'a Cloudflare,
}

impl ZonesApi<'_> {
    /// Every zone matching the filter (all pages).
    pub async fn list(&self, filter: &ZoneFilter) -> Result<Vec<Zone>> {
        self.cf.typed_all("zones", "list", to_params(filter)?).await
    }
    /// One zone.
    pub async fn get(&self, zone_id: &str) -> Result<Zone> {
        self.cf
            .typed("zones", "get", vec![], one("zone_id", zone_id))
            .await
    }
    /// Create a zone in an account.
    pub async fn create(&self, account_id: &str, name: &str) -> Result<Zone> {
        let mut p = one("name", name);
        p.insert("account".into(), json!({ "id": account_id }));
        self.cf.typed("zones", "create", vec![], p).await
    }
    /// Delete a zone.
    pub async fn delete(&self, zone_id: &str) -> Result<Value> {
        self.cf
            .typed("zones", "delete", vec![], one("zone_id", zone_id))
            .await
    }
}

/// A DNS record.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct DnsRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub record_type: String,
    pub name: String,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub proxied: Option<bool>,
    #[serde(default)]
    pub ttl: Option<u32>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The fields of a DNS record to create or replace.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DnsRecordInput {
    #[serde(rename = "type")]
    pub record_type: String,
    pub name: String,
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxied: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl DnsRecordInput {
    /// A record of `record_type` named `name` pointing at `content`.
    pub fn new(record_type: &str, name: &str, content: &str) -> Self {
        DnsRecordInput {
            record_type: record_type.into(),
            name: name.into(),
            content: content.into(),
            ..Default::default()
        }
    }
}

/// Filters for `dns.records.list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DnsRecordFilter {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub record_type: Option<String>,
    pub content: Option<String>,
    pub per_page: Option<u32>,
}

/// `cf.dns_records()`.
pub struct DnsRecordsApi<'a> {
    cf: &'a Cloudflare,
}

impl DnsRecordsApi<'_> {
    /// Every record of a zone matching the filter (all pages).
    pub async fn list(&self, zone_id: &str, filter: &DnsRecordFilter) -> Result<Vec<DnsRecord>> {
        let mut p = to_params(filter)?;
        p.insert("zone_id".into(), json!(zone_id));
        self.cf.typed_all("dns.records", "list", p).await
    }
    /// Create a record.
    pub async fn create(&self, zone_id: &str, r: &DnsRecordInput) -> Result<DnsRecord> {
        let mut p = to_params(r)?;
        p.insert("zone_id".into(), json!(zone_id));
        self.cf.typed("dns.records", "create", vec![], p).await
    }
    /// One record.
    pub async fn get(&self, zone_id: &str, record_id: &str) -> Result<DnsRecord> {
        self.cf
            .typed(
                "dns.records",
                "get",
                vec![json!(record_id)],
                one("zone_id", zone_id),
            )
            .await
    }
    /// Replace a record (PUT).
    pub async fn update(
        &self,
        zone_id: &str,
        record_id: &str,
        r: &DnsRecordInput,
    ) -> Result<DnsRecord> {
        let mut p = to_params(r)?;
        p.insert("zone_id".into(), json!(zone_id));
        self.cf
            .typed("dns.records", "update", vec![json!(record_id)], p)
            .await
    }
    /// Change some fields of a record (PATCH).
    pub async fn edit(&self, zone_id: &str, record_id: &str, fields: Value) -> Result<DnsRecord> {
        let mut p = match fields {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        p.insert("zone_id".into(), json!(zone_id));
        self.cf
            .typed("dns.records", "edit", vec![json!(record_id)], p)
            .await
    }
    /// Delete a record.
    pub async fn delete(&self, zone_id: &str, record_id: &str) -> Result<Value> {
        self.cf
            .typed(
                "dns.records",
                "delete",
                vec![json!(record_id)],
                one("zone_id", zone_id),
            )
            .await
    }
}

/// An account.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Account {
    pub id: String,
    pub name: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `cf.accounts()`.
pub struct AccountsApi<'a> {
    cf: &'a Cloudflare,
}

impl AccountsApi<'_> {
    /// Every account the credentials reach.
    pub async fn list(&self) -> Result<Vec<Account>> {
        self.cf.typed_all("accounts", "list", Map::new()).await
    }
}

/// `cf.pages_projects()`.
pub struct PagesApi<'a> {
    cf: &'a Cloudflare,
}

impl PagesApi<'_> {
    /// Every Pages project of an account (`None`: the client's default account).
    pub async fn list(&self, account_id: Option<&str>) -> Result<Vec<Value>> {
        let p = account_id.map(|a| one("account_id", a)).unwrap_or_default();
        self.cf.typed_all("pages.projects", "list", p).await
    }
}

/// A Workers script.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct WorkerScript {
    pub id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One module of a Workers upload.
#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
    pub content: bytes::Bytes,
    /// E.g. `application/javascript+module`.
    pub content_type: String,
}

/// `cf.workers_scripts()`.
pub struct WorkersApi<'a> {
    cf: &'a Cloudflare,
}

impl WorkersApi<'_> {
    /// Upload a module Worker: a `metadata` part naming `main_module`, plus one part per module.
    pub async fn upload(
        &self,
        account_id: Option<&str>,
        script_name: &str,
        main_module: &str,
        modules: Vec<Module>,
    ) -> Result<WorkerScript> {
        let mut call = self
            .cf
            .operation("workers.scripts", "update")?
            .positional([json!(script_name)])
            .param("metadata", json!({ "main_module": main_module }));
        if let Some(a) = account_id {
            call = call.param("account_id", a);
        }
        for m in modules {
            call = call.file(Part {
                name: m.name.clone(),
                filename: Some(m.name),
                content_type: Some(m.content_type),
                data: m.content,
            });
        }
        call.send_as().await
    }
    /// Every script of an account (`None`: the client's default account).
    pub async fn list(&self, account_id: Option<&str>) -> Result<Vec<WorkerScript>> {
        let p = account_id.map(|a| one("account_id", a)).unwrap_or_default();
        self.cf.typed_all("workers.scripts", "list", p).await
    }
    /// Delete a script.
    pub async fn delete(&self, account_id: Option<&str>, script_name: &str) -> Result<Value> {
        let p = account_id.map(|a| one("account_id", a)).unwrap_or_default();
        self.cf
            .typed("workers.scripts", "delete", vec![json!(script_name)], p)
            .await
    }
}
