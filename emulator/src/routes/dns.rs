//! `/zones/{zone_id}/dns_records`: list with filters and paging, get, create, PUT, PATCH, delete.

use serde_json::json;

use super::zones::zone_of;
use super::Result;
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::ids;
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::dns::{DnsRecord, RecordFields};
use crate::state::token::Target;
use crate::state::zone::Zone;
use crate::state::State;

/// Up to 5,000 records per page, 100 by default.
const BOUNDS: Bounds = Bounds {
    default: 100,
    min: 1,
    max: 5_000,
};

fn allow(ctx: &Ctx, state: &State, zone: &Zone, access: Access) -> Result<()> {
    ctx.principal.require(
        state,
        Area::Dns,
        access,
        Target::Zone {
            zone: &zone.id,
            account: &zone.account_id,
        },
    )
}

fn not_found() -> ApiError {
    ApiError::not_found(81044, "Record does not exist.")
}

/// A `field`, `field.exact`, `field.contains`, `field.startswith`, `field.endswith` filter.
struct TextFilter {
    exact: Option<String>,
    contains: Option<String>,
    starts: Option<String>,
    ends: Option<String>,
}

impl TextFilter {
    fn new(ctx: &Ctx, field: &str) -> Self {
        let get = |suffix: &str| {
            ctx.q(&format!("{field}{suffix}"))
                .map(str::to_ascii_lowercase)
        };
        TextFilter {
            exact: get("").or_else(|| get(".exact")),
            contains: get(".contains"),
            starts: get(".startswith"),
            ends: get(".endswith"),
        }
    }

    /// Pushes the result of each sub-filter that was given.
    fn checks(&self, value: &str, out: &mut Vec<bool>) {
        let has = [&self.exact, &self.contains, &self.starts, &self.ends]
            .iter()
            .any(|f| f.is_some());
        if !has {
            return;
        }
        let v = value.to_ascii_lowercase();
        if let Some(f) = &self.exact {
            out.push(v == *f);
        }
        if let Some(f) = &self.contains {
            out.push(v.contains(f.as_str()));
        }
        if let Some(f) = &self.starts {
            out.push(v.starts_with(f.as_str()));
        }
        if let Some(f) = &self.ends {
            out.push(v.ends_with(f.as_str()));
        }
    }
}

/// Records of a zone filtered by `name*`, `type`, `content*`, `comment*`, `proxied`,
/// `tag`, combined by `match=all|any`, optionally ordered, paged (default 100, max 5,000).
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Read)?;
    let any = ctx.q("match") == Some("any");
    let name = TextFilter::new(ctx, "name");
    let content = TextFilter::new(ctx, "content");
    let comment = TextFilter::new(ctx, "comment");
    let kind = ctx.q("type").map(str::to_ascii_uppercase);
    let proxied = ctx.q("proxied").map(|p| p == "true");
    let tag = ctx.q("tag").or_else(|| ctx.q("tag.exact"));
    let tag_present = ctx.q("tag.present");

    let mut checks = Vec::with_capacity(8);
    let mut keep = |r: &DnsRecord| {
        checks.clear();
        name.checks(&r.name, &mut checks);
        content.checks(&r.content, &mut checks);
        comment.checks(r.comment.as_deref().unwrap_or(""), &mut checks);
        if let Some(k) = &kind {
            checks.push(r.kind == *k);
        }
        if let Some(p) = proxied {
            checks.push(r.proxied == p);
        }
        if let Some(t) = tag {
            checks.push(r.tags.iter().any(|x| x == t));
        }
        if let Some(t) = tag_present {
            checks.push(r.tags.iter().any(|x| x.split(':').next() == Some(t)));
        }
        checks.is_empty()
            || if any {
                checks.iter().any(|c| *c)
            } else {
                checks.iter().all(|c| *c)
            }
    };
    // An exact name with match=all can use the name index instead of scanning the zone.
    let mut all: Vec<&DnsRecord> = match (&name.exact, any) {
        (Some(n), false) => zone
            .ids_named(n)
            .iter()
            .filter_map(|id| zone.records.get(id))
            .filter(|r| keep(r))
            .collect(),
        _ => zone.records.values().filter(|r| keep(r)).collect(),
    };
    match ctx.q("order") {
        Some("type") => all.sort_by(|a, b| a.kind.cmp(&b.kind).then_with(|| a.name.cmp(&b.name))),
        Some("name") => all.sort_by(|a, b| a.name.cmp(&b.name)),
        Some("content") => all.sort_by(|a, b| a.content.cmp(&b.content)),
        Some("ttl") => all.sort_by_key(|r| r.ttl),
        Some("proxied") => all.sort_by_key(|r| r.proxied),
        _ => {}
    }
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(page, info))
}

/// One record.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Read)?;
    let record = zone.records.get(ctx.seg(3)).ok_or_else(not_found)?;
    Ok(Reply::ok(record))
}

/// Stores a checked record and logs the change.
fn save(
    ctx: &Ctx,
    state: &mut State,
    zone_id: &str,
    record: DnsRecord,
    action: &'static str,
) -> Result {
    let zone = &state.zones[zone_id];
    let replacing = (action == "update").then_some(record.id.as_str());
    zone.check_conflict(&record, replacing)?;
    let (account, zone_name) = (zone.account_id.clone(), zone.name.clone());
    let out = Reply::ok(&record);
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        action,
        "dns_record",
        &record.id,
        Some(&account),
        Some(&zone_name),
    );
    state
        .zones
        .get_mut(zone_id)
        .expect("looked up by caller")
        .put_record(record);
    Ok(out)
}

/// Creates a record (`type`, `name`, `content` required; `ttl` 1 or 30-86400).
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Write)?;
    let record = RecordFields::from_json(&ctx.json()?)?.build(ids::hex_id(), &zone.name, None)?;
    let zone_id = zone.id.clone();
    save(ctx, state, &zone_id, record, "add")
}

/// Replaces a record (PUT): the body is the whole record.
pub fn update(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Write)?;
    let old = zone.records.get(ctx.seg(3)).ok_or_else(not_found)?;
    let record = RecordFields::from_json(&ctx.json()?)?.build(
        old.id.clone(),
        &zone.name,
        Some(old.created_on.clone()),
    )?;
    let zone_id = zone.id.clone();
    save(ctx, state, &zone_id, record, "update")
}

/// Changes some fields of a record (PATCH).
pub fn edit(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Write)?;
    let old = zone.records.get(ctx.seg(3)).ok_or_else(not_found)?;
    let record = RecordFields::from_json(&ctx.json()?)?.merge(old.clone(), &zone.name)?;
    let zone_id = zone.id.clone();
    save(ctx, state, &zone_id, record, "update")
}

/// Deletes a record; `result` is `{"id"}`.
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    let zone = zone_of(ctx, state)?;
    allow(ctx, state, zone, Access::Write)?;
    let (zone_id, account, zone_name) =
        (zone.id.clone(), zone.account_id.clone(), zone.name.clone());
    let id = ctx.seg(3).to_string();
    state
        .zones
        .get_mut(&zone_id)
        .expect("looked up above")
        .remove_record(&id)
        .ok_or_else(not_found)?;
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "delete",
        "dns_record",
        &id,
        Some(&account),
        Some(&zone_name),
    );
    Ok(Reply::ok(json!({"id": id})))
}
