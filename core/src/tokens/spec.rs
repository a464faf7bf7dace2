//! What a caller asks for: a token spec (name, grants, IP lists, validity), from code, JSON or the command line.

use std::net::IpAddr;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// Where a grant applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// One zone, by name (`example.com`) or id.
    Zone(String),
    /// Every zone of an account, present and future, by account name or id.
    AllZones(String),
    /// An account, by name or id.
    Account(String),
    /// The user who owns the token.
    User,
}

impl Scope {
    /// `zone:NAME_OR_ID`, `zones:ACCOUNT_NAME_OR_ID`, `account:NAME_OR_ID` or `user`.
    pub fn parse(s: &str) -> Result<Scope> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("user") {
            return Ok(Scope::User);
        }
        let expected = "expected zone:NAME_OR_ID, zones:ACCOUNT_NAME_OR_ID (every zone of an account), account:NAME_OR_ID or user";
        let (kind, target) = t
            .split_once(':')
            .ok_or_else(|| invalid(format!("scope {t:?} is not a scope ({expected})")))?;
        let target = target.trim();
        if target.is_empty() {
            return Err(invalid(format!(
                "scope {t:?} names nothing after the colon ({expected})"
            )));
        }
        match kind.trim().to_ascii_lowercase().as_str() {
            "zone" => Ok(Scope::Zone(target.to_string())),
            "zones" => Ok(Scope::AllZones(target.to_string())),
            "account" => Ok(Scope::Account(target.to_string())),
            _ => Err(invalid(format!("scope {t:?} is not a scope ({expected})"))),
        }
    }

    /// The text form [`Scope::parse`] reads.
    pub fn display(&self) -> String {
        match self {
            Scope::Zone(z) => format!("zone:{z}"),
            Scope::AllZones(a) => format!("zones:{a}"),
            Scope::Account(a) => format!("account:{a}"),
            Scope::User => "user".into(),
        }
    }

    /// The permission-group scope a grant on this needs (`com.cloudflare.api.account.zone`, ...).
    pub(crate) fn group_scope(&self) -> &'static str {
        match self {
            Scope::Zone(_) | Scope::AllZones(_) => "com.cloudflare.api.account.zone",
            Scope::Account(_) => "com.cloudflare.api.account",
            Scope::User => "com.cloudflare.api.user",
        }
    }
}

/// One permission group, by name (`DNS Write`) or 32-hex id, on a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Permission group name or id.
    pub permission: String,
    /// Where it applies.
    pub scope: Scope,
}

impl Grant {
    /// A grant from its parts.
    pub fn new(permission: impl Into<String>, scope: Scope) -> Grant {
        Grant {
            permission: permission.into(),
            scope,
        }
    }

    /// `GROUP@SCOPE`, e.g. `DNS Write@zone:example.com` (the last `@` separates them).
    pub fn parse(s: &str) -> Result<Grant> {
        let (perm, scope) = s.rsplit_once('@').ok_or_else(|| {
            invalid(format!(
                "grant {s:?} must be PERMISSION@SCOPE, e.g. \"DNS Write@zone:example.com\""
            ))
        })?;
        let perm = perm.trim();
        if perm.is_empty() {
            return Err(invalid(format!(
                "grant {s:?} names no permission group before the @"
            )));
        }
        Ok(Grant::new(perm, Scope::parse(scope)?))
    }
}

/// When the token stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// At this RFC 3339 time.
    At(String),
    /// This long after the request is built.
    Ttl(Duration),
}

/// A least-privilege token, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenSpec {
    /// Token name.
    pub name: String,
    /// What it may do, where.
    pub grants: Vec<Grant>,
    /// `condition.request_ip.in`: CIDR ranges (or single addresses) the token may be used from.
    pub ip_allow: Vec<String>,
    /// `condition.request_ip.not_in`.
    pub ip_deny: Vec<String>,
    /// RFC 3339 start of validity.
    pub not_before: Option<String>,
    /// End of validity.
    pub expiry: Option<Expiry>,
}

impl TokenSpec {
    /// A spec with a name and nothing else yet.
    pub fn new(name: impl Into<String>) -> TokenSpec {
        TokenSpec {
            name: name.into(),
            ..TokenSpec::default()
        }
    }
    /// Adds a grant.
    pub fn allow(mut self, permission: impl Into<String>, scope: Scope) -> Self {
        self.grants.push(Grant::new(permission, scope));
        self
    }
    /// Adds an allowed CIDR range.
    pub fn ip_allow(mut self, cidr: impl Into<String>) -> Self {
        self.ip_allow.push(cidr.into());
        self
    }
    /// Adds a denied CIDR range.
    pub fn ip_deny(mut self, cidr: impl Into<String>) -> Self {
        self.ip_deny.push(cidr.into());
        self
    }
    /// Valid from this RFC 3339 time.
    pub fn not_before(mut self, t: impl Into<String>) -> Self {
        self.not_before = Some(t.into());
        self
    }
    /// Expires at this RFC 3339 time.
    pub fn expires_on(mut self, t: impl Into<String>) -> Self {
        self.expiry = Some(Expiry::At(t.into()));
        self
    }
    /// Expires this long after the request is built.
    pub fn ttl(mut self, d: Duration) -> Self {
        self.expiry = Some(Expiry::Ttl(d));
        self
    }

    /// A spec from the JSON the Python and Node front doors pass: `name`, `allow` (a list of `"GROUP@SCOPE"` or
    /// `{"permission", "scope"}`), `ip_allow`, `ip_deny`, `not_before`, `expires_on`, `ttl` (a duration such as
    /// `"1h"`, or a number: seconds, milliseconds when `millis`). camelCase spellings are accepted too.
    pub fn from_json(v: &Value, millis: bool) -> Result<TokenSpec> {
        let obj = v
            .as_object()
            .ok_or_else(|| invalid("a token spec must be an object with name and allow"))?;
        let mut spec = TokenSpec::default();
        let mut saw_name = false;
        for (key, val) in obj {
            if val.is_null() {
                continue;
            }
            match key.as_str() {
                "name" => {
                    spec.name = string("name", val)?;
                    saw_name = true;
                }
                "allow" | "grants" => spec.grants = grants(val)?,
                "ip_allow" | "ipAllow" => spec.ip_allow = strings(key, val)?,
                "ip_deny" | "ipDeny" => spec.ip_deny = strings(key, val)?,
                "not_before" | "notBefore" => spec.not_before = Some(string(key, val)?),
                "expires_on" | "expiresOn" => {
                    if matches!(spec.expiry, Some(Expiry::Ttl(_))) {
                        return Err(both_expiries());
                    }
                    spec.expiry = Some(Expiry::At(string(key, val)?));
                }
                "ttl" => {
                    if matches!(spec.expiry, Some(Expiry::At(_))) {
                        return Err(both_expiries());
                    }
                    spec.expiry = Some(Expiry::Ttl(ttl(val, millis)?));
                }
                other => {
                    return Err(invalid(format!(
                        "unknown token spec field {other:?} (expected name, allow, ip_allow, ip_deny, not_before, expires_on or ttl)"
                    )))
                }
            }
        }
        if !saw_name {
            return Err(invalid("a token spec needs a name"));
        }
        Ok(spec)
    }

    /// Checks what can be checked without the API: a name, at least one grant, CIDRs, times.
    pub fn validate(&self) -> Result<()> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(invalid("the token name must be 1 to 120 characters"));
        }
        if self.grants.is_empty() {
            return Err(invalid(
                "a token needs at least one grant, e.g. allow \"DNS Write@zone:example.com\"",
            ));
        }
        for (field, list) in [("ip_allow", &self.ip_allow), ("ip_deny", &self.ip_deny)] {
            for c in list {
                check_cidr(field, c)?;
            }
        }
        Ok(())
    }
}

fn both_expiries() -> Error {
    invalid("give expires_on or ttl, not both")
}

fn string(field: &str, v: &Value) -> Result<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| invalid(format!("{field} must be a string, not {}", kind_of(v))))
}

fn strings(field: &str, v: &Value) -> Result<Vec<String>> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items.iter().map(|i| string(field, i)).collect(),
        other => Err(invalid(format!(
            "{field} must be a list of CIDR strings, not {}",
            kind_of(other)
        ))),
    }
}

fn grants(v: &Value) -> Result<Vec<Grant>> {
    let one = |g: &Value| -> Result<Grant> {
        match g {
            Value::String(s) => Grant::parse(s),
            Value::Object(m) => grant_object(m),
            other => Err(invalid(format!(
                "each grant must be \"PERMISSION@SCOPE\" or {{\"permission\", \"scope\"}}, not {}",
                kind_of(other)
            ))),
        }
    };
    match v {
        Value::Array(items) => items.iter().map(one).collect(),
        single => Ok(vec![one(single)?]),
    }
}

fn grant_object(m: &Map<String, Value>) -> Result<Grant> {
    let perm = m
        .get("permission")
        .ok_or_else(|| invalid("a grant object needs permission (a group name or id)"))?;
    let scope = m.get("scope").ok_or_else(|| {
        invalid("a grant object needs scope (zone:NAME, zones:ACCOUNT, account:NAME or user)")
    })?;
    Ok(Grant::new(
        string("permission", perm)?,
        Scope::parse(&string("scope", scope)?)?,
    ))
}

fn ttl(v: &Value, millis: bool) -> Result<Duration> {
    duration_arg("ttl", v, millis)
}

/// A duration argument: a string such as `"7d"`, or a number of seconds (milliseconds when `millis`).
pub(crate) fn duration_arg(field: &str, v: &Value, millis: bool) -> Result<Duration> {
    match v {
        Value::String(s) => super::time::parse_duration(field, s),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            let secs = if millis { x / 1000.0 } else { x };
            if secs.is_finite() && secs > 0.0 && secs < 1e11 {
                Ok(Duration::from_secs_f64(secs))
            } else {
                Err(invalid(format!(
                    "{field} {n} is not a positive duration ({})",
                    if millis { "milliseconds" } else { "seconds" }
                )))
            }
        }
        other => Err(invalid(format!(
            "{field} must be a duration such as \"1h\" or a number, not {}",
            kind_of(other)
        ))),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A CIDR range (`192.0.2.0/24`, `2001:db8::/32`) or a single address.
pub(crate) fn check_cidr(field: &str, s: &str) -> Result<()> {
    let bad = || {
        invalid(format!(
            "{field}: {s:?} is not a CIDR range (expected e.g. 192.0.2.0/24 or 2001:db8::/32)"
        ))
    };
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().map_err(|_| bad())?;
    if let Some(p) = prefix {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let n: u8 = p.parse().map_err(|_| bad())?;
        if n > max || p.starts_with('+') {
            return Err(bad());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grants_and_scopes_parse() {
        let g = Grant::parse("DNS Write@zone:example.com").unwrap();
        assert_eq!(g.scope, Scope::Zone("example.com".into()));
        assert_eq!(
            Grant::parse("Logs Write@zones:Demo Account").unwrap().scope,
            Scope::AllZones("Demo Account".into())
        );
        assert_eq!(
            Grant::parse("API Tokens Read@user").unwrap().scope,
            Scope::User
        );
        for bad in [
            "DNS Write",
            "@user",
            "DNS Write@planet:mars",
            "DNS Write@zone:",
        ] {
            assert_eq!(
                Grant::parse(bad).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
    }

    #[test]
    fn cidrs() {
        for ok in ["192.0.2.0/24", "192.0.2.1", "2001:db8::/32", "::1"] {
            check_cidr("ip_allow", ok).unwrap();
        }
        for bad in [
            "192.0.2.0/33",
            "300.0.0.1/8",
            "10.0.0.0/",
            "example.com",
            "2001:db8::/129",
            "10.0.0.0/+8",
        ] {
            assert!(check_cidr("ip_allow", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn from_json_rejects_odd_input_with_typed_errors() {
        for v in [
            json!(1),
            json!({}),
            json!({"name": 3}),
            json!({"name": "x", "bogus": 1}),
            json!({"name": "x", "ttl": -1}),
            json!({"name": "x", "ttl": "1h", "expires_on": "2030-01-01T00:00:00Z"}),
            json!({"name": "x", "allow": [7]}),
            json!({"name": "x", "ttl": 1e300}),
        ] {
            assert_eq!(
                TokenSpec::from_json(&v, false).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{v}"
            );
        }
        let s = TokenSpec::from_json(&json!({"name": "ci", "allow": "DNS Read@zone:example.com", "ipAllow": "192.0.2.0/24", "ttl": 3_600_000}), true).unwrap();
        assert_eq!(s.expiry, Some(Expiry::Ttl(Duration::from_secs(3600))));
        assert_eq!(s.ip_allow, vec!["192.0.2.0/24"]);
    }
}
