//! `flarekit whoami` and `flarekit token …`.

use flarekit::tokens::{expose, parse_duration, Creation, Grant, Owner, TokenSpec};
use flarekit::{Cloudflare, Result};
use serde_json::{json, Value};

use crate::args::{CreateArgs, TokenCommand};
use crate::output;

fn s(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn owner_text(owner: &Owner) -> String {
    match owner {
        Owner::User => "user-owned".into(),
        Owner::Account(a) => format!("owned by account {a}"),
    }
}

/// `flarekit whoami`.
pub async fn whoami(cf: &Cloudflare, as_json: bool) -> Result<()> {
    let who = cf.tokens().whoami().await?;
    if as_json {
        output::json(&who.to_json());
        return Ok(());
    }
    output::line(&who.auth);
    if let Some(t) = &who.token {
        let name = t
            .name
            .as_deref()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        output::line(&format!(
            "token {}{name}: {}, {}, valid from {} until {}",
            t.id,
            t.status,
            owner_text(&t.owner),
            t.not_before.as_deref().unwrap_or("creation"),
            t.expires_on.as_deref().unwrap_or("revoked (no expiry)"),
        ));
    }
    if let Some(u) = &who.user {
        output::line(&format!("user {} <{}>", s(u, "id"), s(u, "email")));
    }
    Ok(())
}

/// `flarekit token …`.
pub async fn run(cf: &Cloudflare, cmd: TokenCommand) -> Result<()> {
    match cmd {
        TokenCommand::Verify(a) => {
            let t = cf.tokens().verify().await?;
            if a.json {
                output::json(&t.to_json());
            } else {
                output::line(&format!(
                    "token {} is {} ({})",
                    t.id,
                    t.status,
                    owner_text(&t.owner)
                ));
            }
            Ok(())
        }
        TokenCommand::Create(a) => create(cf, a).await,
        TokenCommand::List(a) => {
            let owner = Owner::from_account(a.account.as_deref());
            let tokens = match &a.expiring_within {
                Some(d) => {
                    let within = parse_duration("--expiring-within", d)?;
                    cf.tokens().expiring(within, &owner).await?
                }
                None => cf.tokens().list(&owner).await?,
            };
            if a.json {
                output::json(&Value::Array(tokens));
            } else {
                for t in &tokens {
                    let exp = t
                        .get("expires_on")
                        .and_then(Value::as_str)
                        .unwrap_or("never");
                    output::line(&format!(
                        "{}  {:<8}  {:<20}  {}",
                        s(t, "id"),
                        s(t, "status"),
                        exp,
                        s(t, "name")
                    ));
                }
            }
            Ok(())
        }
        TokenCommand::Roll(a) => {
            let owner = Owner::from_account(a.account.as_deref());
            let value = cf.tokens().roll(&a.id, &owner).await?;
            if a.json {
                output::json(&json!({"id": a.id.trim(), "value": expose(&value)}));
            } else {
                output::line(expose(&value));
                output::note(&format!("rolled token {}: the new value is above (shown once); the old one no longer works", a.id.trim()));
            }
            Ok(())
        }
        TokenCommand::Revoke(a) => {
            let owner = Owner::from_account(a.account.as_deref());
            let id = cf.tokens().revoke(&a.id, &owner).await?;
            if a.json {
                output::json(&json!({"id": id, "revoked": true}));
            } else {
                output::line(&format!("revoked token {id}"));
            }
            Ok(())
        }
        TokenCommand::Permissions(a) => {
            let owner = Owner::from_account(a.account.as_deref());
            let groups = cf
                .tokens()
                .permission_groups(&owner, a.scope.as_deref())
                .await?;
            if a.json {
                output::json(&Value::Array(groups));
            } else {
                for g in &groups {
                    let scope = g["scopes"][0].as_str().unwrap_or("");
                    let word = match scope {
                        "com.cloudflare.api.account.zone" => "zone",
                        "com.cloudflare.api.account" => "account",
                        "com.cloudflare.api.user" => "user",
                        other => other,
                    };
                    output::line(&format!("{}  {:<7}  {}", s(g, "id"), word, s(g, "name")));
                }
            }
            Ok(())
        }
    }
}

async fn create(cf: &Cloudflare, a: CreateArgs) -> Result<()> {
    let mut spec = TokenSpec::new(a.name);
    for g in &a.allow {
        spec.grants.push(Grant::parse(g)?);
    }
    spec.ip_allow = a.ip_allow;
    spec.ip_deny = a.ip_deny;
    spec.not_before = a.not_before;
    if let Some(t) = &a.ttl {
        spec = spec.ttl(parse_duration("--ttl", t)?);
    }
    if let Some(e) = a.expires_on {
        spec = spec.expires_on(e);
    }
    let owner = Owner::from_account(a.account.as_deref());
    match cf.tokens().create_or_plan(&spec, &owner, a.dry_run).await? {
        Creation::Planned(req) => output::json(&req.to_json()),
        Creation::Created(t) => {
            if a.json {
                let mut v = t.to_json();
                v["value"] = json!(expose(t.value()));
                output::json(&v);
            } else {
                output::line(expose(t.value()));
                output::note(&format!(
                    "created token {} ({}, expires {}): its value is above, shown once",
                    t.id,
                    owner_text(&t.owner),
                    t.expires_on.as_deref().unwrap_or("never")
                ));
            }
        }
    }
    Ok(())
}
