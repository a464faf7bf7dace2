//! `/zones`: list with filters, get, create, edit, delete.

use serde_json::{json, Value};

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::ids;
use crate::paging::{text_matches, Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::token::Target;
use crate::state::zone::Zone;
use crate::state::{is_domain, State};
use crate::time;

const BOUNDS: Bounds = Bounds {
    default: 20,
    min: 5,
    max: 50,
};

/// The zone named by path segment 1, or 404 / 7003.
pub fn zone_of<'a>(ctx: &Ctx, state: &'a State) -> Result<&'a Zone> {
    let id = ctx.seg(1);
    state
        .zones
        .get(id)
        .ok_or_else(|| unknown_object(&format!("/zones/{id}")))
}

fn target(zone: &Zone) -> Target<'_> {
    Target::Zone {
        zone: &zone.id,
        account: &zone.account_id,
    }
}

/// Zones the caller can see, filtered by `name`, `status`, `type`, `account.id`,
/// `account.name` (combined by `match=all|any`), ordered and paged.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let any = ctx.q("match") == Some("any");
    let name = ctx.q("name");
    let status = ctx.q("status");
    let kinds: Option<Vec<&str>> = ctx.q("type").map(|t| t.split(',').collect());
    let account_id = ctx.q("account.id");
    let account_name = ctx.q("account.name");
    let matches = |z: &Zone| {
        let checks = [
            name.map(|n| text_matches(&z.name, n)),
            status.map(|s| z.status == s),
            kinds.as_ref().map(|k| k.contains(&z.kind.as_str())),
            account_id.map(|a| z.account_id == a),
            account_name.map(|n| text_matches(state.account_name(&z.account_id), n)),
        ];
        let mut given = checks.iter().flatten().peekable();
        if given.peek().is_none() {
            return true;
        }
        if any {
            given.any(|c| *c)
        } else {
            given.all(|c| *c)
        }
    };
    let mut all: Vec<&Zone> = state
        .zones
        .values()
        .filter(|z| matches(z) && ctx.principal.sees_zone(state, z))
        .collect();
    match ctx.q("order") {
        Some("name") => all.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("status") => all.sort_by(|a, b| a.status.cmp(&b.status)),
        Some("account.id") => all.sort_by(|a, b| a.account_id.cmp(&b.account_id)),
        Some("account.name") => all.sort_by(|a, b| {
            state
                .account_name(&a.account_id)
                .cmp(state.account_name(&b.account_id))
        }),
        _ => {}
    }
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter()
            .map(|z| state.zone_json(z))
            .collect::<Vec<Value>>(),
        info,
    ))
}

/// One zone.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let zone = zone_of(ctx, state)?;
    if !ctx.principal.sees_zone(state, zone) {
        return Err(ApiError::auth_error());
    }
    Ok(Reply::ok(state.zone_json(zone)))
}

/// Adds a zone (`{"name", "account": {"id"}, "type"}`); it starts `pending`.
/// A token needs Zone Write on all zones of the account.
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    let body = ctx.json()?;
    let account_id = body
        .pointer("/account/id")
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request(1001, "account.id is required"))?;
    if !state.accounts.contains_key(account_id) {
        return Err(ApiError::bad_request(
            1001,
            format!("account.id {account_id} is not an account of this user"),
        ));
    }
    ctx.principal.require(
        state,
        Area::Zone,
        Access::Write,
        Target::AllZonesOf(account_id),
    )?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .map(|n| n.trim().trim_end_matches('.').to_ascii_lowercase())
        .unwrap_or_default();
    if !is_domain(&name) {
        return Err(ApiError::bad_request(
            1001,
            format!("name {name:?} is not a valid domain name (e.g. example.net)"),
        ));
    }
    if state.zone_name_taken(&name) {
        return Err(ApiError::bad_request(
            1061,
            format!("{name} already exists"),
        ));
    }
    let mut zone = Zone::new(
        ids::hex_id(),
        name,
        account_id.to_string(),
        "pending".into(),
    );
    if let Some(kind) = body.get("type").and_then(Value::as_str) {
        zone.kind = check_kind(kind)?;
    }
    let out = state.zone_json(&zone);
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "add",
        "zone",
        &zone.id,
        Some(account_id),
        Some(&zone.name),
    );
    state
        .add_zone(zone)
        .map_err(|_| ApiError::bad_request(1061, "zone already exists"))?;
    Ok(Reply::ok(out))
}

fn check_kind(kind: &str) -> Result<String> {
    if matches!(kind, "full" | "partial" | "secondary" | "internal") {
        Ok(kind.to_string())
    } else {
        Err(ApiError::bad_request(
            1001,
            format!("type must be full, partial, secondary or internal, not {kind:?}"),
        ))
    }
}

/// Changes `paused`, `type` or `vanity_name_servers`.
pub fn edit(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    ctx.principal
        .require(state, Area::Zone, Access::Write, target(zone))?;
    let body = ctx.json()?;
    let obj = body
        .as_object()
        .ok_or_else(|| ApiError::bad_request(1001, "the body must be a JSON object"))?;
    let paused = match obj.get("paused") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(ApiError::bad_request(1001, "paused must be a boolean")),
    };
    let kind = obj
        .get("type")
        .and_then(Value::as_str)
        .map(check_kind)
        .transpose()?;
    let vanity = match obj.get("vanity_name_servers") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_str().map(str::to_string).ok_or_else(|| {
                        ApiError::bad_request(1001, "vanity_name_servers must be strings")
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        Some(_) => {
            return Err(ApiError::bad_request(
                1001,
                "vanity_name_servers must be an array",
            ))
        }
    };
    let (id, account) = (zone.id.clone(), zone.account_id.clone());
    let zone = state.zones.get_mut(&id).expect("looked up above");
    if let Some(p) = paused {
        zone.paused = p;
    }
    if let Some(k) = kind {
        zone.kind = k;
    }
    if let Some(v) = vanity {
        zone.vanity_name_servers = v;
    }
    zone.modified_on = time::now_rfc3339();
    let name = zone.name.clone();
    let out = state.zone_json(&state.zones[&id]);
    let actor = ctx.actor(state);
    state.audit(&actor, "update", "zone", &id, Some(&account), Some(&name));
    Ok(Reply::ok(out))
}

/// Deletes a zone and its records.
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    ctx.principal
        .require(state, Area::Zone, Access::Write, target(zone))?;
    let (id, account, name) = (zone.id.clone(), zone.account_id.clone(), zone.name.clone());
    state.remove_zone(&id);
    let actor = ctx.actor(state);
    state.audit(&actor, "delete", "zone", &id, Some(&account), Some(&name));
    Ok(Reply::ok(json!({"id": id})))
}
