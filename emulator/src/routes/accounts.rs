//! `/accounts` and `/memberships`.

use serde_json::Value;

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::Reply;
use crate::paging::{text_matches, Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::resources::Account;
use crate::state::token::Target;
use crate::state::State;

const BOUNDS: Bounds = Bounds {
    default: 20,
    min: 5,
    max: 50,
};

/// Accounts the caller can see, filtered by `name`.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let name = ctx.q("name");
    let mut all: Vec<&Account> = state
        .accounts
        .values()
        .filter(|a| name.is_none_or(|n| text_matches(&a.name, n)))
        .filter(|a| ctx.principal.sees_account(state, &a.id))
        .collect();
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter().map(|a| a.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}

/// One account.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let id = ctx.seg(1);
    let account = state
        .accounts
        .get(id)
        .ok_or_else(|| unknown_object(&format!("/accounts/{id}")))?;
    if !ctx.principal.sees_account(state, id) {
        return Err(crate::envelope::ApiError::auth_error());
    }
    Ok(Reply::ok(account.to_json()))
}

/// The user's memberships (one per account); a token needs Memberships Read.
pub fn memberships(ctx: &Ctx, state: &State) -> Result {
    ctx.principal.require(
        state,
        Area::Memberships,
        Access::Read,
        Target::User(&state.user.id),
    )?;
    let name = ctx.q("account.name").or_else(|| ctx.q("name"));
    let status_ok = ctx.q("status").is_none_or(|s| s == "accepted");
    let mut all: Vec<&Account> = state
        .accounts
        .values()
        .filter(|a| status_ok && name.is_none_or(|n| text_matches(&a.name, n)))
        .collect();
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter()
            .map(|a| a.membership_json())
            .collect::<Vec<Value>>(),
        info,
    ))
}
