//! `GET /accounts/{account_id}/audit_logs`.

use serde_json::Value;

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::audit::AuditEntry;
use crate::state::token::Target;
use crate::state::State;
use crate::time;

const BOUNDS: Bounds = Bounds {
    default: 100,
    min: 1,
    max: 1_000,
};

/// The account's changes plus user-level ones (tokens), newest first unless
/// `direction=asc`; filters `action.type`, `actor.email`, `actor.ip`, `zone.name`,
/// `id`, `since`, `before`. A token needs Account Settings Read.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!("/accounts/{account}/audit_logs")));
    }
    ctx.principal.require(
        state,
        Area::AccountSettings,
        Access::Read,
        Target::Account(account),
    )?;
    let bound = |key: &str| -> Result<Option<i64>> {
        ctx.q(key)
            .map(|v| {
                time::parse_rfc3339(v).ok_or_else(|| {
                    ApiError::bad_request(1001, format!("{key} must be a date or RFC 3339 time"))
                })
            })
            .transpose()
    };
    let (since, before) = (bound("since")?, bound("before")?);
    let action = ctx.q("action.type");
    let email = ctx.q("actor.email");
    let ip = ctx.q("actor.ip");
    let zone = ctx.q("zone.name");
    let id = ctx.q("id");
    let keep = |e: &&AuditEntry| {
        e.account_id.as_deref().is_none_or(|a| a == account)
            && action.is_none_or(|a| e.action == a)
            && email.is_none_or(|m| e.actor.email.eq_ignore_ascii_case(m))
            && ip.is_none_or(|i| e.actor.ip == i)
            && zone.is_none_or(|z| e.zone_name.as_deref() == Some(z))
            && id.is_none_or(|i| e.id == i)
            && (since.is_none() && before.is_none() || {
                let when = time::parse_rfc3339(&e.when).unwrap_or(0);
                since.is_none_or(|s| when >= s) && before.is_none_or(|b| when < b)
            })
    };
    let ascending = ctx
        .q("direction")
        .is_some_and(|d| d.eq_ignore_ascii_case("asc"));
    let all: Vec<&AuditEntry> = if ascending {
        state.audit.iter().filter(keep).collect()
    } else {
        state.audit.iter().rev().filter(keep).collect()
    };
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter().map(|e| e.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}
