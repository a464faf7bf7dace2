//! DNS records: the stored shape (serialised as the API returns it) and validation
//! of create / update / patch bodies.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::envelope::ApiError;
use crate::time;

/// Record types the API accepts.
pub const TYPES: &[&str] = &[
    "A",
    "AAAA",
    "CAA",
    "CERT",
    "CNAME",
    "DNSKEY",
    "DS",
    "HTTPS",
    "LOC",
    "MX",
    "NAPTR",
    "NS",
    "OPENPGPKEY",
    "PTR",
    "SMIMEA",
    "SRV",
    "SSHFP",
    "SVCB",
    "TLSA",
    "TXT",
    "URI",
];

/// Types whose value is a structured `data` object rather than plain `content`.
const DATA_TYPES: &[&str] = &[
    "CAA", "CERT", "DNSKEY", "DS", "HTTPS", "LOC", "NAPTR", "SMIMEA", "SRV", "SSHFP", "SVCB",
    "TLSA", "URI",
];

/// A DNS record, field for field as the API returns it.
#[derive(Debug, Clone, Serialize)]
pub struct DnsRecord {
    /// 32-hex id.
    pub id: String,
    /// Fully qualified name.
    pub name: String,
    /// Record type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Content.
    pub content: String,
    /// Whether the type can be proxied.
    pub proxiable: bool,
    /// Whether it is proxied.
    pub proxied: bool,
    /// TTL (1 = automatic).
    pub ttl: u32,
    /// Per-record settings.
    pub settings: Value,
    /// Extra facts (always empty here).
    pub meta: Value,
    /// Comment; the spec makes it a required string, so no comment reads as `""`.
    #[serde(serialize_with = "empty_if_none")]
    pub comment: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Creation time.
    pub created_on: String,
    /// Last change.
    pub modified_on: String,
    /// MX / URI priority.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u16>,
    /// Structured value for SRV, CAA and similar types; `null` for the others (the spec's record response
    /// requires the field for every type).
    pub data: Option<Value>,
}

/// Fields a client may set on a record.
#[derive(Debug, Clone, Default)]
pub struct RecordFields {
    /// Type.
    pub kind: Option<String>,
    /// Name (relative or fully qualified).
    pub name: Option<String>,
    /// Content.
    pub content: Option<String>,
    /// TTL.
    pub ttl: Option<u32>,
    /// Proxied.
    pub proxied: Option<bool>,
    /// Priority.
    pub priority: Option<u16>,
    /// Comment (`Some(None)` clears it).
    pub comment: Option<Option<String>>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Structured data.
    pub data: Option<Value>,
    /// Settings object.
    pub settings: Option<Value>,
}

fn invalid(code: u32, message: impl Into<String>) -> ApiError {
    ApiError::bad_request(code, message)
}

impl RecordFields {
    /// Reads the fields of a JSON body, rejecting wrong types.
    pub fn from_json(body: &Value) -> Result<RecordFields, ApiError> {
        let obj = body
            .as_object()
            .ok_or_else(|| invalid(9207, "Request body must be a JSON object"))?;
        let string = |key: &str| -> Result<Option<String>, ApiError> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(invalid(9207, format!("{key} must be a string"))),
            }
        };
        let ttl = match obj.get("ttl") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|t| *t == 1 || (30..=86_400).contains(t))
                    .ok_or_else(|| {
                        invalid(
                            9021,
                            "ttl must be 1 (automatic) or between 30 and 86400 seconds",
                        )
                    })? as u32,
            ),
        };
        let proxied = match obj.get("proxied") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(invalid(9207, "proxied must be a boolean")),
        };
        let priority =
            match obj.get("priority") {
                None | Some(Value::Null) => None,
                Some(v) => Some(v.as_u64().filter(|p| *p <= 65_535).ok_or_else(|| {
                    invalid(9207, "priority must be an integer between 0 and 65535")
                })? as u16),
            };
        let comment = match obj.get("comment") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => return Err(invalid(9207, "comment must be a string")),
        };
        let tags = match obj.get("tags") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|t| {
                        t.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| invalid(9207, "tags must be strings"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(invalid(9207, "tags must be an array of strings")),
        };
        let data = obj.get("data").filter(|v| !v.is_null()).cloned();
        if data.as_ref().is_some_and(|d| !d.is_object()) {
            return Err(invalid(9207, "data must be an object"));
        }
        let settings = obj.get("settings").filter(|v| !v.is_null()).cloned();
        Ok(RecordFields {
            kind: string("type")?,
            name: string("name")?,
            content: string("content")?,
            ttl,
            proxied,
            priority,
            comment,
            tags,
            data,
            settings,
        })
    }

    /// A complete record from these fields (create and PUT): type, name and content
    /// (or data) are required.
    pub fn build(
        self,
        id: String,
        zone_name: &str,
        created_on: Option<String>,
    ) -> Result<DnsRecord, ApiError> {
        let now = time::now_rfc3339();
        let kind = self
            .kind
            .ok_or_else(|| invalid(9000, "DNS record type is required"))?;
        let name = self
            .name
            .ok_or_else(|| invalid(9000, "DNS record name is required"))?;
        let record = DnsRecord {
            id,
            name,
            kind,
            content: self.content.unwrap_or_default(),
            proxiable: false,
            proxied: self.proxied.unwrap_or(false),
            ttl: self.ttl.unwrap_or(1),
            settings: self.settings.unwrap_or_else(|| Value::Object(Map::new())),
            meta: Value::Object(Map::new()),
            comment: self.comment.flatten(),
            tags: self.tags.unwrap_or_default(),
            created_on: created_on.unwrap_or_else(|| now.clone()),
            modified_on: now,
            priority: self.priority,
            data: self.data,
        };
        finish(record, zone_name)
    }

    /// Applies these fields over an existing record (PATCH).
    pub fn merge(self, mut record: DnsRecord, zone_name: &str) -> Result<DnsRecord, ApiError> {
        if let Some(k) = self.kind {
            record.kind = k;
        }
        if let Some(n) = self.name {
            record.name = n;
        }
        if let Some(c) = self.content {
            record.content = c;
        }
        if let Some(t) = self.ttl {
            record.ttl = t;
        }
        if let Some(p) = self.proxied {
            record.proxied = p;
        }
        if self.priority.is_some() {
            record.priority = self.priority;
        }
        if let Some(c) = self.comment {
            record.comment = c;
        }
        if let Some(t) = self.tags {
            record.tags = t;
        }
        if self.data.is_some() {
            record.data = self.data;
        }
        if let Some(s) = self.settings {
            record.settings = s;
        }
        record.modified_on = time::now_rfc3339();
        finish(record, zone_name)
    }
}

/// Normalises the name, derives `content` for data types and checks the value.
fn finish(mut r: DnsRecord, zone_name: &str) -> Result<DnsRecord, ApiError> {
    r.kind = r.kind.to_ascii_uppercase();
    if !TYPES.contains(&r.kind.as_str()) {
        return Err(invalid(
            9020,
            format!(
                "Invalid DNS record type {:?}; expected one of {}",
                r.kind,
                TYPES.join(", ")
            ),
        ));
    }
    r.name = qualify(&r.name, zone_name);
    if r.name.len() > 253 {
        return Err(invalid(
            9005,
            "DNS record name is longer than 253 characters",
        ));
    }
    if DATA_TYPES.contains(&r.kind.as_str()) {
        if let (true, Some(Value::Object(d))) = (r.content.is_empty(), &r.data) {
            r.content = d
                .values()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    if r.content.is_empty() {
        return Err(invalid(
            9000,
            format!("content is required for a {} record", r.kind),
        ));
    }
    match r.kind.as_str() {
        "A" if r.content.parse::<Ipv4Addr>().is_err() => {
            return Err(invalid(
                9005,
                "Content for A record must be a valid IPv4 address",
            ))
        }
        "AAAA" if r.content.parse::<Ipv6Addr>().is_err() => {
            return Err(invalid(
                9006,
                "Content for AAAA record must be a valid IPv6 address",
            ))
        }
        _ => {}
    }
    r.proxiable = matches!(r.kind.as_str(), "A" | "AAAA" | "CNAME");
    if r.proxied && !r.proxiable {
        return Err(invalid(
            9004,
            format!("A {} record cannot be proxied", r.kind),
        ));
    }
    Ok(r)
}

/// `@` and empty mean the apex; names not ending in the zone get it appended.
pub fn qualify(name: &str, zone_name: &str) -> String {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() || name == "@" {
        return zone_name.to_string();
    }
    if name == zone_name || name.ends_with(&format!(".{zone_name}")) {
        name
    } else {
        format!("{name}.{zone_name}")
    }
}

fn empty_if_none<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_deref().unwrap_or(""))
}
