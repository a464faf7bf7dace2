//! Turning a [`TokenSpec`] into the exact request body: permission-group and zone/account names looked up through
//! the API, once per call.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::spec::{Expiry, Scope, TokenSpec};
use super::time;
use super::Owner;
use crate::client::Cloudflare;
use crate::error::{Error, ErrorKind, Result};

const ZONE_KEY: &str = "com.cloudflare.api.account.zone.";
const ACCOUNT_KEY: &str = "com.cloudflare.api.account.";
const USER_KEY: &str = "com.cloudflare.api.user.";

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// Whether `s` is a 32-hex Cloudflare id.
pub(crate) fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// One grant after resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedGrant {
    /// The permission group's id.
    pub permission_id: String,
    /// Its name (as given, when given by id and the groups were not read).
    pub permission_name: String,
    /// The scope as given.
    pub scope: String,
    /// The resource key and value of the policy it lands in.
    pub resource: (String, Value),
}

/// The request a spec becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRequest {
    /// `POST`.
    pub method: &'static str,
    /// `/user/tokens` or `/accounts/{account_id}/tokens`.
    pub path: String,
    /// The exact JSON body.
    pub body: Value,
    /// How each grant was resolved, in order.
    pub grants: Vec<ResolvedGrant>,
}

impl TokenRequest {
    /// `{"dry_run": true, "method", "path", "body", "grants": [...]}`, what front doors return for a dry run.
    pub fn to_json(&self) -> Value {
        let grants: Vec<Value> = self
            .grants
            .iter()
            .map(|g| {
                json!({
                    "permission": g.permission_name,
                    "permission_id": g.permission_id,
                    "scope": g.scope,
                    "resource": g.resource.0,
                })
            })
            .collect();
        json!({"dry_run": true, "method": self.method, "path": self.path, "body": self.body, "grants": grants})
    }
}

/// A permission group as the API lists it.
#[derive(Debug, Clone)]
struct Group {
    id: String,
    name: String,
    scopes: Vec<String>,
}

fn groups_of(v: &Value) -> Vec<Group> {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|g| {
                    Some(Group {
                        id: g.get("id")?.as_str()?.to_string(),
                        name: g
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        scopes: g
                            .get("scopes")
                            .and_then(Value::as_array)
                            .map(|s| {
                                s.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_string)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The permission groups path for an owner.
pub(crate) fn groups_path(owner: &Owner) -> String {
    match owner {
        Owner::User => "/user/tokens/permission_groups".into(),
        Owner::Account(a) => format!("/accounts/{}/tokens/permission_groups", enc(a)),
    }
}

pub(crate) fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Lookups made while resolving one spec, each at most once.
struct Lookups<'a> {
    cf: &'a Cloudflare,
    owner: &'a Owner,
    groups: Option<Vec<Group>>,
    zones: HashMap<String, String>,
    accounts: HashMap<String, String>,
    user: Option<String>,
}

impl Lookups<'_> {
    async fn groups(&mut self) -> Result<&[Group]> {
        if self.groups.is_none() {
            let r = self.cf.get(groups_path(self.owner)).send().await?;
            self.groups = Some(groups_of(&r.result));
        }
        Ok(self.groups.as_deref().unwrap_or_default())
    }

    async fn zone_id(&mut self, name: &str) -> Result<String> {
        if is_id(name) {
            return Ok(name.to_ascii_lowercase());
        }
        let key = name.to_ascii_lowercase();
        if let Some(id) = self.zones.get(&key) {
            return Ok(id.clone());
        }
        let r = self
            .cf
            .get("/zones")
            .query(json!({"name": key}))
            .send()
            .await?;
        let id = single_id(&r.result, "zone", name, "zone:ZONE_ID")?;
        self.zones.insert(key, id.clone());
        Ok(id)
    }

    async fn account_id(&mut self, name: &str) -> Result<String> {
        if is_id(name) {
            return Ok(name.to_ascii_lowercase());
        }
        if let Some(id) = self.accounts.get(name) {
            return Ok(id.clone());
        }
        let r = self
            .cf
            .get("/accounts")
            .query(json!({"name": name}))
            .send()
            .await?;
        let id = single_id(&r.result, "account", name, "account:ACCOUNT_ID")?;
        self.accounts.insert(name.to_string(), id.clone());
        Ok(id)
    }

    async fn user_id(&mut self) -> Result<String> {
        if let Some(id) = &self.user {
            return Ok(id.clone());
        }
        let r = self.cf.get("/user").send().await?;
        let id = r
            .result
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::new(ErrorKind::ApiStatus, "GET /user returned no user id"))?
            .to_string();
        self.user = Some(id.clone());
        Ok(id)
    }
}

fn single_id(result: &Value, what: &str, name: &str, hint: &str) -> Result<String> {
    let items = result.as_array().map(Vec::as_slice).unwrap_or_default();
    let exact: Vec<&Value> = items
        .iter()
        .filter(|i| {
            i.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
        .collect();
    match exact.as_slice() {
        [one] => one
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| Error::new(ErrorKind::ApiStatus, format!("the {what} {name:?} has no id"))),
        [] => Err(Error::new(
            ErrorKind::NotFound,
            format!("no {what} named {name:?} is visible to this credential (check the name, or give the id: {hint})"),
        )),
        _ => Err(invalid(format!(
            "{} {what}s are named {name:?}: give the id instead ({hint})",
            exact.len()
        ))),
    }
}

/// The scope word of a permission-group scope, for messages.
fn scope_word(s: &str) -> &'static str {
    match s {
        "com.cloudflare.api.account.zone" => "zone",
        "com.cloudflare.api.account" => "account",
        "com.cloudflare.api.user" => "user",
        _ => "other",
    }
}

fn pick_group<'g>(groups: &'g [Group], permission: &str, scope: &Scope) -> Result<&'g Group> {
    let want = scope.group_scope();
    let fits = |g: &Group| g.scopes.is_empty() || g.scopes.iter().any(|s| s == want);
    let by_id: Vec<&Group> = groups
        .iter()
        .filter(|g| g.id.eq_ignore_ascii_case(permission))
        .collect();
    let named: Vec<&Group> = if by_id.is_empty() {
        groups
            .iter()
            .filter(|g| g.name.eq_ignore_ascii_case(permission))
            .collect()
    } else {
        by_id
    };
    if named.is_empty() {
        return Err(invalid(format!(
            "no permission group is named {permission:?}; closest: {} (flarekit token permissions lists them all)",
            closest(groups, permission).join(", ")
        )));
    }
    match named.iter().copied().find(|g| fits(g)) {
        Some(g) => Ok(g),
        None => {
            let have: Vec<&str> = named
                .iter()
                .flat_map(|g| g.scopes.iter().map(|s| scope_word(s)))
                .collect();
            let how = |w: &str| match w {
                "zone" => "zone:NAME or zones:ACCOUNT",
                "account" => "account:NAME",
                "user" => "user",
                _ => "another scope",
            };
            Err(invalid(format!(
                "permission group {permission:?} is {}-level, so it cannot be granted on {}: use {}",
                have.join("/"),
                scope.display(),
                have.iter().map(|w| how(w)).collect::<Vec<_>>().join(" or ")
            )))
        }
    }
}

/// The three names nearest to `name` (edit distance, case-insensitive).
fn closest(groups: &[Group], name: &str) -> Vec<String> {
    let want = name.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = groups
        .iter()
        .map(|g| {
            let n = g.name.to_ascii_lowercase();
            let d = distance(&want, &n);
            let d = if n.contains(&want) || want.contains(&n) {
                d.min(1)
            } else {
                d
            };
            (d, g.name.as_str())
        })
        .collect();
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, n) in scored {
        if !out.iter().any(|o| o == n) {
            out.push(format!("{n:?}"));
        }
        if out.len() == 3 {
            break;
        }
    }
    out.dedup();
    out
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Resolves a spec into the request that creates it.
pub(crate) async fn resolve(
    cf: &Cloudflare,
    spec: &TokenSpec,
    owner: &Owner,
) -> Result<TokenRequest> {
    spec.validate()?;
    let not_before = spec
        .not_before
        .as_deref()
        .map(|t| time::normalise_time("not_before", t))
        .transpose()?;
    let expires_on = match &spec.expiry {
        None => None,
        Some(Expiry::At(t)) => Some(time::normalise_time("expires_on", t)?),
        Some(Expiry::Ttl(d)) => {
            if d.as_secs() == 0 {
                return Err(invalid("ttl must be at least one second"));
            }
            Some(time::format_rfc3339(time::now_secs() + d.as_secs() as i64))
        }
    };
    if let (Some(nb), Some(exp)) = (&not_before, &expires_on) {
        if time::parse_rfc3339(nb) >= time::parse_rfc3339(exp) {
            return Err(invalid(format!(
                "not_before {nb} must be earlier than expires_on {exp}"
            )));
        }
    }
    if let Owner::Account(a) = owner {
        if !is_id(a) {
            return Err(invalid(format!(
                "account_id {a:?} must be a 32-hex account id (account-owned tokens belong to one account)"
            )));
        }
    }
    let mut look = Lookups {
        cf,
        owner,
        groups: None,
        zones: HashMap::new(),
        accounts: HashMap::new(),
        user: None,
    };
    // Scopes first: their errors are more useful than a group list read for nothing.
    let mut grants = Vec::new();
    for g in &spec.grants {
        let resource = match &g.scope {
            Scope::Zone(z) => (format!("{ZONE_KEY}{}", look.zone_id(z).await?), json!("*")),
            Scope::AllZones(a) => (
                format!("{ACCOUNT_KEY}{}", look.account_id(a).await?),
                json!({ format!("{ZONE_KEY}*"): "*" }),
            ),
            Scope::Account(a) => {
                let id = look.account_id(a).await?;
                if let Owner::Account(own) = owner {
                    if !own.eq_ignore_ascii_case(&id) {
                        return Err(invalid(format!(
                            "an account-owned token of {own} cannot be granted {} on another account ({id})",
                            g.permission
                        )));
                    }
                }
                (format!("{ACCOUNT_KEY}{id}"), json!("*"))
            }
            Scope::User => {
                if matches!(owner, Owner::Account(_)) {
                    return Err(invalid(
                        "an account-owned token cannot be granted user-level permissions (grant on zone:, zones: or account:)",
                    ));
                }
                (format!("{USER_KEY}{}", look.user_id().await?), json!("*"))
            }
        };
        grants.push((g, resource));
    }
    let need_groups = spec.grants.iter().any(|g| !is_id(&g.permission));
    let mut resolved = Vec::new();
    for (g, resource) in grants {
        let (id, name) = if need_groups {
            let group = pick_group(look.groups().await?, &g.permission, &g.scope)?;
            (group.id.clone(), group.name.clone())
        } else {
            (g.permission.to_ascii_lowercase(), g.permission.clone())
        };
        resolved.push(ResolvedGrant {
            permission_id: id,
            permission_name: name,
            scope: g.scope.display(),
            resource,
        });
    }
    // One policy per resource, groups in the order given.
    let mut policies: Vec<((String, Value), Vec<String>)> = Vec::new();
    for r in &resolved {
        match policies.iter_mut().find(|(res, _)| *res == r.resource) {
            Some((_, ids)) => {
                if !ids.contains(&r.permission_id) {
                    ids.push(r.permission_id.clone())
                }
            }
            None => policies.push((r.resource.clone(), vec![r.permission_id.clone()])),
        }
    }
    let policies: Vec<Value> = policies
        .into_iter()
        .map(|((key, val), ids)| {
            let mut resources = Map::new();
            resources.insert(key, val);
            json!({
                "effect": "allow",
                "resources": resources,
                "permission_groups": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut body = Map::new();
    body.insert("name".into(), json!(spec.name.trim()));
    body.insert("policies".into(), Value::Array(policies));
    if !spec.ip_allow.is_empty() || !spec.ip_deny.is_empty() {
        let mut ip = Map::new();
        if !spec.ip_allow.is_empty() {
            ip.insert("in".into(), json!(spec.ip_allow));
        }
        if !spec.ip_deny.is_empty() {
            ip.insert("not_in".into(), json!(spec.ip_deny));
        }
        body.insert("condition".into(), json!({ "request_ip": ip }));
    }
    if let Some(nb) = not_before {
        body.insert("not_before".into(), json!(nb));
    }
    if let Some(exp) = expires_on {
        body.insert("expires_on".into(), json!(exp));
    }
    Ok(TokenRequest {
        method: "POST",
        path: match owner {
            Owner::User => "/user/tokens".into(),
            Owner::Account(a) => format!("/accounts/{a}/tokens"),
        },
        body: Value::Object(body),
        grants: resolved,
    })
}
