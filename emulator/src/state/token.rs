//! API tokens: policies, validity window, IP conditions, and the permission check.

use std::net::IpAddr;

use serde_json::{json, Map, Value};

use crate::cidr::Cidr;
use crate::ids;
use crate::permissions::{self, Access, Area, PermissionGroup};
use crate::time;

const ZONE_PREFIX: &str = "com.cloudflare.api.account.zone.";
const ACCOUNT_PREFIX: &str = "com.cloudflare.api.account.";
const USER_PREFIX: &str = "com.cloudflare.api.user.";

/// What a permission check is about.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// One zone, in its account.
    Zone {
        /// Zone id.
        zone: &'a str,
        /// The zone's account id.
        account: &'a str,
    },
    /// Every zone of an account, present and future (creating a zone needs this).
    AllZonesOf(&'a str),
    /// An account itself.
    Account(&'a str),
    /// The user.
    User(&'a str),
}

/// One policy of a token.
#[derive(Debug, Clone)]
pub struct Policy {
    /// 32-hex id.
    pub id: String,
    /// `allow` (true) or `deny`.
    pub allow: bool,
    /// Granted groups.
    pub groups: Vec<&'static PermissionGroup>,
    /// Resource keys (`com.cloudflare.api.account.zone.<id>` ...) to `"*"` or a nested map.
    pub resources: Map<String, Value>,
}

/// The lifecycle state a token was given (expiry by time is computed separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Usable.
    Active,
    /// Revoked.
    Disabled,
    /// Marked expired.
    Expired,
}

/// An API token.
#[derive(Debug, Clone)]
pub struct Token {
    /// 32-hex id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The secret.
    pub value: String,
    /// Given status.
    pub status: Status,
    /// Creation time (RFC 3339).
    pub issued_on: String,
    /// Last change (RFC 3339).
    pub modified_on: String,
    /// Seconds since the epoch and the text it came from.
    pub not_before: Option<(i64, String)>,
    /// Seconds since the epoch and the text it came from.
    pub expires_on: Option<(i64, String)>,
    /// `condition.request_ip.in`.
    pub ip_in: Vec<(String, Cidr)>,
    /// `condition.request_ip.not_in`.
    pub ip_not_in: Vec<(String, Cidr)>,
    /// Policies.
    pub policies: Vec<Policy>,
    /// The account that owns it (`/accounts/{id}/tokens`); `None` for the user's own tokens.
    pub owner: Option<String>,
}

/// Why a known token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Revoked.
    Disabled,
    /// Past `expires_on` or marked expired.
    Expired,
    /// Before `not_before`.
    NotYetValid,
    /// The client address fails `condition.request_ip`.
    IpNotAllowed,
}

/// The editable parts of a token, parsed from a create/update body or a seed.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    /// Name.
    pub name: String,
    /// Status, when given.
    pub status: Option<Status>,
    /// Window start.
    pub not_before: Option<(i64, String)>,
    /// Window end.
    pub expires_on: Option<(i64, String)>,
    /// Allowed CIDRs.
    pub ip_in: Vec<(String, Cidr)>,
    /// Denied CIDRs.
    pub ip_not_in: Vec<(String, Cidr)>,
    /// Policies.
    pub policies: Vec<Policy>,
}

impl TokenSpec {
    /// Parses the API's token body (`name`, `policies`, `not_before`, `expires_on`,
    /// `condition`, `status`). Policy ids are kept when given, otherwise generated.
    pub fn parse(body: &Value) -> Result<TokenSpec, String> {
        let obj = body.as_object().ok_or("the body must be a JSON object")?;
        let name = match obj.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 120 => s.clone(),
            _ => {
                return Err("name is required: a non-empty string of at most 120 characters".into())
            }
        };
        let status = match obj.get("status") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(match s.as_str() {
                "active" => Status::Active,
                "disabled" => Status::Disabled,
                "expired" => Status::Expired,
                other => {
                    return Err(format!(
                        "status must be active, disabled or expired, not {other:?}"
                    ))
                }
            }),
            Some(_) => return Err("status must be a string".into()),
        };
        let not_before = parse_time(obj.get("not_before"), "not_before")?;
        let expires_on = parse_time(obj.get("expires_on"), "expires_on")?;
        let (ip_in, ip_not_in) = parse_condition(obj.get("condition"))?;
        let policies = match obj.get("policies") {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(parse_policy)
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err("policies is required: a non-empty array".into()),
        };
        Ok(TokenSpec {
            name,
            status,
            not_before,
            expires_on,
            ip_in,
            ip_not_in,
            policies,
        })
    }
}

fn parse_time(v: Option<&Value>, field: &str) -> Result<Option<(i64, String)>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => time::parse_rfc3339(s)
            .map(|t| Some((t, time::format_secs(t))))
            .ok_or_else(|| {
                format!("{field} must be an RFC 3339 time such as 2030-01-01T00:00:00Z, not {s:?}")
            }),
        Some(_) => Err(format!("{field} must be a string")),
    }
}

type CidrList = Vec<(String, Cidr)>;

fn parse_condition(v: Option<&Value>) -> Result<(CidrList, CidrList), String> {
    let Some(cond) = v.filter(|v| !v.is_null()) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let ip = match cond.get("request_ip") {
        None | Some(Value::Null) => return Ok((Vec::new(), Vec::new())),
        Some(ip @ Value::Object(_)) => ip,
        Some(_) => {
            return Err("condition.request_ip must be an object with in / not_in lists".into())
        }
    };
    let list = |key: &str| -> Result<CidrList, String> {
        match ip.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|i| {
                    let s = i.as_str().unwrap_or_default();
                    Cidr::parse(s).map(|c| (s.to_string(), c)).ok_or_else(|| format!("condition.request_ip.{key}: {i} is not a CIDR range such as 192.0.2.0/24"))
                })
                .collect(),
            Some(_) => Err(format!("condition.request_ip.{key} must be an array of CIDR ranges")),
        }
    };
    Ok((list("in")?, list("not_in")?))
}

fn parse_policy(v: &Value) -> Result<Policy, String> {
    let obj = v.as_object().ok_or("each policy must be an object")?;
    let allow = match obj.get("effect").and_then(Value::as_str) {
        Some("allow") | None => true,
        Some("deny") => false,
        Some(other) => {
            return Err(format!(
                "policy effect must be allow or deny, not {other:?}"
            ))
        }
    };
    let groups = match obj.get("permission_groups") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|g| {
                let key = match g {
                    Value::String(s) => Some(s.as_str()),
                    Value::Object(o) => o.get("id").or_else(|| o.get("name")).and_then(Value::as_str),
                    _ => None,
                };
                key.and_then(permissions::find).ok_or_else(|| format!("unknown permission group {g} (GET /user/tokens/permission_groups lists them)"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err("each policy needs a non-empty permission_groups array".into()),
    };
    let resources = match obj.get("resources") {
        Some(Value::Object(map)) if !map.is_empty() => map.clone(),
        _ => return Err("each policy needs a non-empty resources object".into()),
    };
    for key in resources.keys() {
        if !(key.starts_with(ACCOUNT_PREFIX) || key.starts_with(USER_PREFIX)) {
            return Err(format!("resource {key:?} must start with com.cloudflare.api.account. or com.cloudflare.api.user."));
        }
    }
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| ids::is_hex_id(s))
        .map(str::to_string)
        .unwrap_or_else(ids::hex_id);
    Ok(Policy {
        id,
        allow,
        groups,
        resources,
    })
}

impl Token {
    /// A token from a spec, with the given id and value.
    pub fn new(id: String, value: String, spec: TokenSpec) -> Token {
        let now = time::now_rfc3339();
        let mut token = Token {
            id,
            value,
            name: String::new(),
            status: Status::Active,
            issued_on: now.clone(),
            modified_on: now,
            not_before: None,
            expires_on: None,
            ip_in: Vec::new(),
            ip_not_in: Vec::new(),
            policies: Vec::new(),
            owner: None,
        };
        token.apply(spec);
        token
    }

    /// Replaces the editable fields (a PUT).
    pub fn apply(&mut self, spec: TokenSpec) {
        self.name = spec.name;
        if let Some(s) = spec.status {
            self.status = s;
        }
        self.not_before = spec.not_before;
        self.expires_on = spec.expires_on;
        self.ip_in = spec.ip_in;
        self.ip_not_in = spec.ip_not_in;
        self.policies = spec.policies;
        self.modified_on = time::now_rfc3339();
    }

    /// The status the API reports now (`expired` once past `expires_on`).
    pub fn status_now(&self, now_secs: i64) -> &'static str {
        match self.status {
            Status::Disabled => "disabled",
            Status::Expired => "expired",
            Status::Active
                if self
                    .expires_on
                    .as_ref()
                    .is_some_and(|(t, _)| *t <= now_secs) =>
            {
                "expired"
            }
            Status::Active => "active",
        }
    }

    /// Why this token may not be used now from `ip`, if it may not.
    pub fn refusal(&self, now_secs: i64, ip: IpAddr) -> Option<Refusal> {
        match self.status_now(now_secs) {
            "disabled" => return Some(Refusal::Disabled),
            "expired" => return Some(Refusal::Expired),
            _ => {}
        }
        if self.not_before.as_ref().is_some_and(|(t, _)| *t > now_secs) {
            return Some(Refusal::NotYetValid);
        }
        let allowed_in = self.ip_in.is_empty() || self.ip_in.iter().any(|(_, c)| c.contains(ip));
        let denied = self.ip_not_in.iter().any(|(_, c)| c.contains(ip));
        (!allowed_in || denied).then_some(Refusal::IpNotAllowed)
    }

    /// Whether this token belongs to the user (not to an account).
    pub fn is_user_owned(&self) -> bool {
        self.owner.is_none()
    }

    /// Whether the policies grant `access` to `area` on `target`: some allow policy
    /// matches and no deny policy does.
    pub fn permits(&self, area: Area, access: Access, target: Target<'_>) -> bool {
        let matching = |p: &&Policy| {
            p.groups.iter().any(|g| g.grants(area, access)) && covers(&p.resources, target)
        };
        let mut hits = self.policies.iter().filter(matching).peekable();
        hits.peek().is_some() && hits.all(|p| p.allow)
    }

    /// The token as the API shows it; `with_value` only for create and roll.
    pub fn to_json(&self, now_secs: i64, with_value: bool) -> Value {
        let policies: Vec<Value> = self
            .policies
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "effect": if p.allow { "allow" } else { "deny" },
                    "permission_groups": p.groups.iter().map(|g| json!({"id": g.id, "name": g.name})).collect::<Vec<_>>(),
                    "resources": p.resources,
                })
            })
            .collect();
        let mut out = json!({
            "id": self.id,
            "name": self.name,
            "status": self.status_now(now_secs),
            "issued_on": self.issued_on,
            "modified_on": self.modified_on,
            "last_used_on": null,
            "not_before": self.not_before.as_ref().map(|(_, s)| s),
            "expires_on": self.expires_on.as_ref().map(|(_, s)| s),
            "policies": policies,
        });
        if !self.ip_in.is_empty() || !self.ip_not_in.is_empty() {
            let list = |l: &CidrList| l.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>();
            out["condition"] =
                json!({"request_ip": {"in": list(&self.ip_in), "not_in": list(&self.ip_not_in)}});
        }
        if with_value {
            out["value"] = Value::String(self.value.clone());
        }
        crate::envelope::without_nulls(out)
    }
}

/// Whether a policy's resources cover the target.
fn covers(resources: &Map<String, Value>, target: Target<'_>) -> bool {
    resources
        .iter()
        .any(|(key, val)| key_covers(key, val, target))
}

fn key_covers(key: &str, val: &Value, target: Target<'_>) -> bool {
    // Zone keys share the account prefix, so they must be recognised first.
    if let Some(z) = key.strip_prefix(ZONE_PREFIX) {
        return match target {
            Target::Zone { zone, .. } => z == "*" || z == zone,
            Target::AllZonesOf(_) => z == "*",
            _ => false,
        };
    }
    if let Some(a) = key.strip_prefix(ACCOUNT_PREFIX) {
        let same = |id: &str| a == "*" || a == id;
        return match target {
            // `"*"` covers the account and all its zones; a nested map names which zones.
            Target::Zone { account, .. } | Target::AllZonesOf(account) => {
                same(account) && val.as_object().is_none_or(|inner| covers(inner, target))
            }
            Target::Account(account) => same(account) && !val.is_object(),
            Target::User(_) => false,
        };
    }
    if let Some(u) = key.strip_prefix(USER_PREFIX) {
        return matches!(target, Target::User(id) if u == "*" || u == id);
    }
    false
}
