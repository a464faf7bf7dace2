//! `GET /accounts/{account_id}/pages/projects`.

use serde_json::Value;

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::Reply;
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::resources::PagesProject;
use crate::state::token::Target;
use crate::state::State;

const BOUNDS: Bounds = Bounds {
    default: 10,
    min: 1,
    max: 100,
};

/// The account's Pages projects; a token needs Pages Read on the account.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/pages/projects"
        )));
    }
    ctx.principal
        .require(state, Area::Pages, Access::Read, Target::Account(account))?;
    let all: Vec<&PagesProject> = state
        .pages
        .iter()
        .filter(|p| p.account_id == account)
        .collect();
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter().map(|p| p.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}
