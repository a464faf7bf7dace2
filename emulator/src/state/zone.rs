//! Zones and the DNS records they hold.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::dns::DnsRecord;
use crate::envelope::ApiError;
use crate::time;

/// A zone with its records. Records keep insertion order (the list order) and are
/// indexed by name so conflict checks never scan the whole zone.
#[derive(Debug, Clone)]
pub struct Zone {
    /// 32-hex id.
    pub id: String,
    /// Domain name.
    pub name: String,
    /// Owning account.
    pub account_id: String,
    /// `active`, `pending`, `initializing` or `moved`.
    pub status: String,
    /// Whether Cloudflare's proxy is paused.
    pub paused: bool,
    /// `full`, `partial`, `secondary` or `internal`.
    pub kind: String,
    /// Creation time.
    pub created_on: String,
    /// Last change.
    pub modified_on: String,
    /// Activation time, for active zones.
    pub activated_on: Option<String>,
    /// Assigned name servers.
    pub name_servers: Vec<String>,
    /// Custom name servers.
    pub vanity_name_servers: Vec<String>,
    /// Records by id.
    pub records: IndexMap<String, DnsRecord>,
    by_name: HashMap<String, Vec<String>>,
}

const NS_NAMES: &[&str] = &[
    "ada", "bob", "cruz", "dina", "eli", "fay", "gus", "hana", "ivan", "jade", "kai", "lola",
];

impl Zone {
    /// A new zone without records.
    pub fn new(id: String, name: String, account_id: String, status: String) -> Zone {
        let now = time::now_rfc3339();
        // Deterministic per zone, like the stable pair a real zone is given.
        let seed = id
            .bytes()
            .fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
        let first = seed % NS_NAMES.len();
        let second = (first + 1 + (seed / NS_NAMES.len()) % (NS_NAMES.len() - 1)) % NS_NAMES.len();
        let activated_on = (status == "active").then(|| now.clone());
        Zone {
            id,
            name,
            account_id,
            status,
            paused: false,
            kind: "full".into(),
            created_on: now.clone(),
            modified_on: now,
            activated_on,
            name_servers: vec![
                format!("{}.ns.cloudflare.com", NS_NAMES[first]),
                format!("{}.ns.cloudflare.com", NS_NAMES[second]),
            ],
            vanity_name_servers: Vec::new(),
            records: IndexMap::new(),
            by_name: HashMap::new(),
        }
    }

    /// Refuses a record that duplicates another or collides with a CNAME.
    /// `replacing` names the record being updated, which does not count.
    pub fn check_conflict(&self, r: &DnsRecord, replacing: Option<&str>) -> Result<(), ApiError> {
        let Some(ids) = self.by_name.get(&r.name) else {
            return Ok(());
        };
        for other in ids
            .iter()
            .filter(|id| Some(id.as_str()) != replacing)
            .filter_map(|id| self.records.get(id))
        {
            if other.kind == r.kind && other.content.eq_ignore_ascii_case(&r.content) {
                return Err(ApiError::bad_request(
                    81058,
                    "An identical record already exists.",
                ));
            }
            if other.kind == "CNAME" || r.kind == "CNAME" {
                return Err(ApiError::bad_request(
                    81053,
                    format!(
                        "A CNAME record cannot share the name {} with another record.",
                        r.name
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Adds or replaces a record (keeping its list position when replacing).
    pub fn put_record(&mut self, r: DnsRecord) {
        if let Some(old) = self.records.get(&r.id) {
            let old_name = old.name.clone();
            self.unindex(&old_name, &r.id);
        }
        self.by_name
            .entry(r.name.clone())
            .or_default()
            .push(r.id.clone());
        self.records.insert(r.id.clone(), r);
    }

    /// Removes a record.
    pub fn remove_record(&mut self, id: &str) -> Option<DnsRecord> {
        let r = self.records.shift_remove(id)?;
        self.unindex(&r.name, id);
        Some(r)
    }

    fn unindex(&mut self, name: &str, id: &str) {
        if let Some(ids) = self.by_name.get_mut(name) {
            ids.retain(|i| i != id);
            if ids.is_empty() {
                self.by_name.remove(name);
            }
        }
    }

    /// Ids of the records with exactly this name.
    pub fn ids_named(&self, name: &str) -> &[String] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The zone as the API shows it.
    pub fn to_json(&self, account_name: &str, owner_id: &str, owner_email: &str) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "paused": self.paused,
            "type": self.kind,
            "development_mode": 0,
            "name_servers": self.name_servers,
            "vanity_name_servers": self.vanity_name_servers,
            "original_name_servers": null,
            "original_registrar": null,
            "original_dnshost": null,
            "created_on": self.created_on,
            "modified_on": self.modified_on,
            "activated_on": self.activated_on,
            "meta": {"step": 2, "custom_certificate_quota": 0, "page_rule_quota": 3, "phishing_detected": false},
            "owner": {"id": owner_id, "type": "user", "email": owner_email},
            "account": {"id": self.account_id, "name": account_name},
            // No tenant: the spec's tenant fields are strings, so they are left out rather than null.
            "tenant": {},
            "tenant_unit": {},
            "permissions": ["#dns_records:read", "#dns_records:edit", "#zone:read", "#zone:edit"],
            "plan": {
                "id": "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
                "name": "Free Website",
                "price": 0,
                "currency": "USD",
                "frequency": "",
                "is_subscribed": false,
                "can_subscribe": false,
                "legacy_id": "free",
                "legacy_discount": false,
                "externally_managed": false
            },
        })
    }
}
