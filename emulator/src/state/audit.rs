//! Audit log entries, one per change.

use serde_json::{json, Value};

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Token id for a token, the user id for the global key or service key.
    pub id: String,
    /// The user's email.
    pub email: String,
    /// The client address.
    pub ip: String,
    /// `api_token`, `api_key` or `user_service_key`.
    pub credential: &'static str,
}

/// One change.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// UUID.
    pub id: String,
    /// The account it belongs to; `None` for user-level changes (tokens), which
    /// every account's log shows.
    pub account_id: Option<String>,
    /// `add`, `update`, `delete`, `roll`.
    pub action: &'static str,
    /// Who.
    pub actor: Actor,
    /// `zone`, `dns_record`, `api_token`, `worker_script`, `certificate`.
    pub resource_type: &'static str,
    /// The changed resource's id.
    pub resource_id: String,
    /// Zone name, for zone-level changes.
    pub zone_name: Option<String>,
    /// When (RFC 3339).
    pub when: String,
    /// The owner id shown (account id or user id).
    pub owner_id: String,
}

impl AuditEntry {
    /// The entry as `GET /accounts/{id}/audit_logs` shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "action": {"type": self.action, "result": true},
            "actor": {"id": self.actor.id, "email": self.actor.email, "ip": self.actor.ip, "type": "user"},
            "interface": "API",
            "metadata": {"credential": self.actor.credential, "zone_name": self.zone_name},
            "owner": {"id": self.owner_id},
            "resource": {"id": self.resource_id, "type": self.resource_type},
            "when": self.when,
        })
    }
}
