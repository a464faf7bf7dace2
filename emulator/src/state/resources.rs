//! The user, accounts, Pages projects, Workers scripts and Origin CA certificates.

use serde_json::{json, Value};

/// The single user.
#[derive(Debug, Clone)]
pub struct User {
    /// 32-hex id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Global API key.
    pub api_key: String,
    /// Origin CA key.
    pub user_service_key: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Creation time.
    pub created_on: String,
}

impl User {
    /// The user as `GET /user` shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.id,
            "telephone": null,
            "country": null,
            "zipcode": null,
            "created_on": self.created_on,
            "modified_on": self.created_on,
            "two_factor_authentication_enabled": false,
            "two_factor_authentication_locked": false,
            "has_pro_zones": false,
            "has_business_zones": false,
            "has_enterprise_zones": false,
            "suspended": false,
            "betas": [],
            "organizations": [],
        })
    }
}

/// An account.
#[derive(Debug, Clone)]
pub struct Account {
    /// 32-hex id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `standard` or `enterprise`.
    pub kind: String,
    /// Creation time.
    pub created_on: String,
    /// The user's membership id in this account.
    pub membership_id: String,
}

impl Account {
    /// The account as the API shows it.
    pub fn to_json(&self) -> Value {
        crate::envelope::without_nulls(json!({
            "id": self.id,
            "name": self.name,
            "type": self.kind,
            "settings": {"enforce_twofactor": false, "abuse_contact_email": null},
            "created_on": self.created_on,
        }))
    }

    /// The user's membership of this account.
    pub fn membership_json(&self) -> Value {
        let grant = json!({"read": true, "write": true});
        let areas = [
            "analytics",
            "billing",
            "cache_purge",
            "dns",
            "dns_records",
            "lb",
            "logs",
            "organization",
            "ssl",
            "waf",
            "zone_settings",
            "zones",
        ];
        let permissions: serde_json::Map<String, Value> = areas
            .iter()
            .map(|a| (a.to_string(), grant.clone()))
            .collect();
        json!({
            "id": self.membership_id,
            "account": self.to_json(),
            "status": "accepted",
            "api_access_enabled": null,
            "roles": ["Administrator"],
            "permissions": permissions,
        })
    }
}

/// A Pages project.
#[derive(Debug, Clone)]
pub struct PagesProject {
    /// Owning account.
    pub account_id: String,
    /// UUID.
    pub id: String,
    /// Name.
    pub name: String,
    /// Production branch.
    pub production_branch: String,
    /// Custom domains.
    pub domains: Vec<String>,
    /// Creation time.
    pub created_on: String,
}

impl PagesProject {
    /// The project as the API shows it.
    pub fn to_json(&self) -> Value {
        let config = json!({"always_use_latest_compatibility_date": false, "build_image_major_version": 3, "compatibility_date": "2024-01-01", "compatibility_flags": [], "env_vars": {}, "fail_open": true, "usage_model": "standard"});
        let mut domains = vec![format!("{}.pages.dev", self.name)];
        domains.extend(self.domains.iter().cloned());
        json!({
            "id": self.id,
            "name": self.name,
            "subdomain": format!("{}.pages.dev", self.name),
            "domains": domains,
            "production_branch": self.production_branch,
            "created_on": self.created_on,
            "deployment_configs": {"production": config, "preview": config},
            "latest_deployment": null,
            "canonical_deployment": null,
            "build_config": {"build_caching": false, "build_command": "", "destination_dir": "", "root_dir": "", "web_analytics_tag": null, "web_analytics_token": null},
            "production_script_name": format!("pages-worker--{}-production", &self.id[..8]),
            "preview_script_name": format!("pages-worker--{}-preview", &self.id[..8]),
            "uses_functions": false,
            "framework": "",
            "framework_version": "",
        })
    }
}

/// One uploaded module of a Workers script.
#[derive(Debug, Clone)]
pub struct Module {
    /// Part name (the module's file name).
    pub name: String,
    /// Declared content type.
    pub content_type: String,
    /// Size in bytes.
    pub size: usize,
}

/// A Workers script.
#[derive(Debug, Clone)]
pub struct WorkerScript {
    /// Owning account.
    pub account_id: String,
    /// Script name (its id).
    pub name: String,
    /// The entry module.
    pub main_module: String,
    /// Uploaded modules.
    pub modules: Vec<Module>,
    /// Content hash.
    pub etag: String,
    /// `metadata.compatibility_date`.
    pub compatibility_date: Option<String>,
    /// `metadata.compatibility_flags`.
    pub compatibility_flags: Vec<String>,
    /// Creation time.
    pub created_on: String,
    /// Last upload.
    pub modified_on: String,
}

impl WorkerScript {
    /// The script as the list endpoint shows it.
    pub fn to_json(&self) -> Value {
        crate::envelope::without_nulls(json!({
            "id": self.name,
            "tag": &self.etag[..32],
            "etag": self.etag,
            "handlers": ["fetch"],
            "named_handlers": [],
            "created_on": self.created_on,
            "modified_on": self.modified_on,
            "compatibility_date": self.compatibility_date,
            "compatibility_flags": self.compatibility_flags,
            "usage_model": "standard",
            "has_modules": true,
            "has_assets": false,
            "logpush": false,
            "last_deployed_from": "api",
            "tail_consumers": null,
        }))
    }
}

/// An Origin CA certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// Id (decimal digits in the real API; 32 hex here, like every other id).
    pub id: String,
    /// The zone it was issued under.
    pub zone_id: String,
    /// Covered hostnames.
    pub hostnames: Vec<String>,
    /// `origin-rsa`, `origin-ecc` or `keyless-certificate`.
    pub request_type: String,
    /// Days of validity.
    pub requested_validity: u64,
    /// The CSR sent.
    pub csr: String,
    /// The fake PEM certificate.
    pub certificate: String,
    /// Expiry.
    pub expires_on: String,
}

impl Certificate {
    /// The certificate as the API shows it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "hostnames": self.hostnames,
            "request_type": self.request_type,
            "requested_validity": self.requested_validity,
            "csr": self.csr,
            "certificate": self.certificate,
            "expires_on": self.expires_on,
        })
    }
}
