//! All emulator data, held in memory behind one lock and built from a [`Seed`].

pub mod audit;
pub mod dns;
pub mod resources;
pub mod token;
pub mod zone;

use std::collections::{HashMap, VecDeque};

use indexmap::IndexMap;
use serde_json::Value;

use crate::ids;
use crate::seed::Seed;
use crate::time;
use audit::{Actor, AuditEntry};
use dns::RecordFields;
use resources::{Account, Certificate, PagesProject, User, WorkerScript};
use token::{Token, TokenSpec};
use zone::Zone;

/// Audit entries kept; older ones are dropped so memory stays bounded.
const AUDIT_CAPACITY: usize = 100_000;

/// The whole mutable world.
#[derive(Debug, Clone)]
pub struct State {
    /// The user.
    pub user: User,
    /// Accounts by id.
    pub accounts: IndexMap<String, Account>,
    /// Zones by id.
    pub zones: IndexMap<String, Zone>,
    zone_ids_by_name: HashMap<String, String>,
    /// Tokens by id.
    pub tokens: IndexMap<String, Token>,
    token_ids_by_value: HashMap<String, String>,
    /// Pages projects.
    pub pages: Vec<PagesProject>,
    /// Workers scripts by (account id, name).
    pub scripts: IndexMap<(String, String), WorkerScript>,
    /// Origin CA certificates by id.
    pub certificates: IndexMap<String, Certificate>,
    /// Audit log, oldest first.
    pub audit: VecDeque<AuditEntry>,
    /// Resources kept from the spec's shapes (KV namespaces, R2 buckets, account members): by the collection's
    /// concrete path (`accounts/<id>/storage/kv/namespaces`), then by id, in creation order.
    pub collections: HashMap<String, IndexMap<String, serde_json::Value>>,
    /// Workers KV values: by namespace path, then key.
    pub kv: HashMap<String, IndexMap<String, bytes::Bytes>>,
}

impl State {
    /// Builds state from a seed, checking ids, references and formats.
    pub fn from_seed(seed: &Seed) -> Result<State, String> {
        let now = time::now_rfc3339();
        let u = &seed.user;
        check_id(&u.id, "user.id")?;
        if !crate::auth::is_email(&u.email) {
            return Err(format!("user.email {:?} is not an email address", u.email));
        }
        if !crate::auth::is_global_key(&u.api_key) {
            return Err(
                "user.api_key must be 37 lowercase hex characters, like a real global API key"
                    .into(),
            );
        }
        let user = User {
            id: u.id.clone(),
            email: u.email.clone(),
            api_key: u.api_key.clone(),
            user_service_key: u.user_service_key.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            created_on: now.clone(),
        };
        let mut state = State {
            user,
            accounts: IndexMap::new(),
            zones: IndexMap::new(),
            zone_ids_by_name: HashMap::new(),
            tokens: IndexMap::new(),
            token_ids_by_value: HashMap::new(),
            pages: Vec::new(),
            scripts: IndexMap::new(),
            collections: HashMap::new(),
            kv: HashMap::new(),
            certificates: IndexMap::new(),
            audit: VecDeque::new(),
        };
        for a in &seed.accounts {
            check_id(&a.id, "accounts[].id")?;
            let account = Account {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: a.kind.clone(),
                created_on: now.clone(),
                membership_id: ids::hex_id(),
            };
            if state.accounts.insert(a.id.clone(), account).is_some() {
                return Err(format!("account id {} appears twice", a.id));
            }
        }
        for z in &seed.zones {
            check_id(&z.id, "zones[].id")?;
            if !state.accounts.contains_key(&z.account_id) {
                return Err(format!(
                    "zone {} names account {}, which is not in accounts",
                    z.name, z.account_id
                ));
            }
            if !is_domain(&z.name) {
                return Err(format!("zone name {:?} is not a domain name", z.name));
            }
            if !matches!(
                z.status.as_str(),
                "active" | "pending" | "initializing" | "moved"
            ) {
                return Err(format!(
                    "zone {} status must be active, pending, initializing or moved",
                    z.name
                ));
            }
            let mut zone = Zone::new(
                z.id.clone(),
                z.name.to_ascii_lowercase(),
                z.account_id.clone(),
                z.status.clone(),
            );
            for r in &z.dns_records {
                let id = match &r.id {
                    Some(id) => {
                        check_id(id, "dns_records[].id")?;
                        id.clone()
                    }
                    None => ids::hex_id(),
                };
                let fields = RecordFields {
                    kind: Some(r.kind.clone()),
                    name: Some(r.name.clone()),
                    content: Some(r.content.clone()),
                    ttl: r.ttl,
                    proxied: r.proxied,
                    priority: r.priority,
                    comment: Some(r.comment.clone()),
                    tags: Some(r.tags.clone()),
                    data: None,
                    settings: None,
                };
                let record = fields.build(id, &zone.name, None).map_err(|e| {
                    format!("zone {} record {}: {}", z.name, r.name, e.errors[0].message)
                })?;
                if zone.records.contains_key(&record.id) {
                    return Err(format!("record id {} appears twice", record.id));
                }
                zone.put_record(record);
            }
            state
                .add_zone(zone)
                .map_err(|_| format!("zone {} or its id appears twice", z.name))?;
        }
        for t in &seed.tokens {
            check_id(&t.id, "tokens[].id")?;
            if !crate::auth::is_token_value(&t.value) {
                return Err(format!(
                    "token {} value must be 40 to 80 characters of A-Z a-z 0-9 _ -",
                    t.name
                ));
            }
            let body = serde_json::json!({
                "name": t.name, "status": t.status, "not_before": t.not_before, "expires_on": t.expires_on,
                "condition": t.condition, "policies": t.policies,
            });
            let spec = TokenSpec::parse(&body).map_err(|e| format!("token {}: {e}", t.name))?;
            if state.tokens.contains_key(&t.id) || state.token_ids_by_value.contains_key(&t.value) {
                return Err(format!("token {} repeats an id or value", t.name));
            }
            state.insert_token(Token::new(t.id.clone(), t.value.clone(), spec));
        }
        for p in &seed.pages_projects {
            if !state.accounts.contains_key(&p.account_id) {
                return Err(format!(
                    "pages project {} names unknown account {}",
                    p.name, p.account_id
                ));
            }
            state.pages.push(PagesProject {
                account_id: p.account_id.clone(),
                id: ids::uuid(),
                name: p.name.clone(),
                production_branch: p.production_branch.clone().unwrap_or_else(|| "main".into()),
                domains: p.domains.clone(),
                created_on: now.clone(),
            });
        }
        Ok(state)
    }

    /// Adds a zone; fails when the id or name is taken.
    pub fn add_zone(&mut self, zone: Zone) -> Result<(), ()> {
        if self.zones.contains_key(&zone.id) || self.zone_ids_by_name.contains_key(&zone.name) {
            return Err(());
        }
        self.zone_ids_by_name
            .insert(zone.name.clone(), zone.id.clone());
        self.zones.insert(zone.id.clone(), zone);
        Ok(())
    }

    /// Removes a zone and everything in it.
    pub fn remove_zone(&mut self, id: &str) -> Option<Zone> {
        let zone = self.zones.shift_remove(id)?;
        self.zone_ids_by_name.remove(&zone.name);
        self.certificates.retain(|_, c| c.zone_id != id);
        Some(zone)
    }

    /// Whether a zone with this name exists.
    pub fn zone_name_taken(&self, name: &str) -> bool {
        self.zone_ids_by_name.contains_key(name)
    }

    /// The zone a hostname belongs to (longest matching zone name).
    pub fn zone_for_host(&self, host: &str) -> Option<&Zone> {
        let host = host.trim_start_matches("*.").to_ascii_lowercase();
        let mut candidate = host.as_str();
        loop {
            if let Some(id) = self.zone_ids_by_name.get(candidate) {
                return self.zones.get(id);
            }
            candidate = candidate.split_once('.')?.1;
        }
    }

    /// The token with this secret value.
    pub fn token_by_value(&self, value: &str) -> Option<&Token> {
        self.token_ids_by_value
            .get(value)
            .and_then(|id| self.tokens.get(id))
    }

    /// Stores a new token.
    pub fn insert_token(&mut self, token: Token) {
        self.token_ids_by_value
            .insert(token.value.clone(), token.id.clone());
        self.tokens.insert(token.id.clone(), token);
    }

    /// Deletes a token.
    pub fn remove_token(&mut self, id: &str) -> Option<Token> {
        let token = self.tokens.shift_remove(id)?;
        self.token_ids_by_value.remove(&token.value);
        Some(token)
    }

    /// Gives a token a new secret; the old one stops working at once.
    pub fn roll_token(&mut self, id: &str) -> Option<String> {
        let token = self.tokens.get_mut(id)?;
        let value = ids::token_value();
        self.token_ids_by_value.remove(&token.value);
        token.value = value.clone();
        token.modified_on = time::now_rfc3339();
        self.token_ids_by_value
            .insert(value.clone(), id.to_string());
        Some(value)
    }

    /// Appends an audit entry, dropping the oldest past the capacity.
    pub fn audit(
        &mut self,
        actor: &Actor,
        action: &'static str,
        resource_type: &'static str,
        resource_id: &str,
        account_id: Option<&str>,
        zone_name: Option<&str>,
    ) {
        if self.audit.len() >= AUDIT_CAPACITY {
            self.audit.pop_front();
        }
        self.audit.push_back(AuditEntry {
            id: ids::uuid(),
            account_id: account_id.map(str::to_string),
            action,
            actor: actor.clone(),
            resource_type,
            resource_id: resource_id.to_string(),
            zone_name: zone_name.map(str::to_string),
            when: time::now_rfc3339(),
            owner_id: account_id.unwrap_or(&self.user.id).to_string(),
        });
    }

    /// The account's name ("" when unknown).
    pub fn account_name(&self, id: &str) -> &str {
        self.accounts.get(id).map(|a| a.name.as_str()).unwrap_or("")
    }

    /// A zone as JSON.
    pub fn zone_json(&self, zone: &Zone) -> Value {
        zone.to_json(
            self.account_name(&zone.account_id),
            &self.user.id,
            &self.user.email,
        )
    }
}

fn check_id(id: &str, field: &str) -> Result<(), String> {
    if ids::is_hex_id(id) {
        Ok(())
    } else {
        Err(format!("{field} {id:?} must be 32 hex characters"))
    }
}

/// A plausible domain name: dot-separated labels of letters, digits and hyphens.
pub fn is_domain(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}
