//! `/accounts/{account_id}/tokens`: account-owned tokens (list, get, create, update, delete, roll, permission
//! groups; verify is in `tokens`). They belong to the account, not to a user: managing them needs Account API
//! Tokens Read/Write on the account, their policies may only name that account and its zones, and
//! `/user/tokens/verify` refuses them.

use serde_json::{json, Value};

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::paging::{Bounds, Page};
use crate::permissions::{self, Access, Area};
use crate::state::token::{Target, Token, TokenSpec};
use crate::state::State;
use crate::{ids, time};

const BOUNDS: Bounds = Bounds {
    default: 20,
    min: 5,
    max: 50,
};

const ZONE_PREFIX: &str = "com.cloudflare.api.account.zone.";
const ACCOUNT_PREFIX: &str = "com.cloudflare.api.account.";

fn now() -> i64 {
    time::now_micros() / 1_000_000
}

/// The account of path segment 1, after the permission check.
fn account<'a>(ctx: &'a Ctx, state: &State, access: Access) -> Result<&'a str> {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!("/accounts/{account}/tokens")));
    }
    ctx.principal.require(
        state,
        Area::AccountApiTokens,
        access,
        Target::Account(account),
    )?;
    Ok(account)
}

fn token_id_of<'a>(ctx: &'a Ctx, state: &State, account: &str) -> Result<&'a str> {
    let id = ctx.seg(3);
    match state.tokens.get(id) {
        Some(t) if t.owner.as_deref() == Some(account) => Ok(id),
        _ => Err(ApiError::not_found(
            1003,
            format!("API token {id} not found in account {account}"),
        )),
    }
}

/// Parses the body and checks that every policy stays inside the account.
fn spec(ctx: &Ctx, state: &State, account: &str) -> Result<TokenSpec> {
    let spec = TokenSpec::parse(&ctx.json()?).map_err(|m| ApiError::bad_request(1001, m))?;
    for p in &spec.policies {
        if let Some(g) = p.groups.iter().find(|g| g.is_user_level()) {
            return Err(ApiError::bad_request(
                1001,
                format!(
                    "permission group {:?} is user-level; an account-owned token can only hold zone- and account-level groups",
                    g.name
                ),
            ));
        }
        for (key, val) in &p.resources {
            if !inside(state, account, key, val) {
                return Err(ApiError::bad_request(
                    1001,
                    format!("resource {key:?} is outside account {account}: an account-owned token may only name com.cloudflare.api.account.{account} and its zones"),
                ));
            }
        }
    }
    Ok(spec)
}

fn inside(state: &State, account: &str, key: &str, val: &Value) -> bool {
    if let Some(z) = key.strip_prefix(ZONE_PREFIX) {
        return state
            .zones
            .get(z)
            .is_some_and(|zone| zone.account_id == account);
    }
    if let Some(a) = key.strip_prefix(ACCOUNT_PREFIX) {
        return a == account
            && val.as_object().is_none_or(|inner| {
                inner
                    .iter()
                    .all(|(k, v)| k == &format!("{ZONE_PREFIX}*") || inside(state, account, k, v))
            });
    }
    false
}

/// The account's tokens, without their values.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let account = account(ctx, state, Access::Read)?;
    let now = now();
    let mut all: Vec<&Token> = state
        .tokens
        .values()
        .filter(|t| t.owner.as_deref() == Some(account))
        .collect();
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter()
            .map(|t| t.to_json(now, false))
            .collect::<Vec<Value>>(),
        info,
    ))
}

/// One account token, without its value.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let account = account(ctx, state, Access::Read)?;
    let id = token_id_of(ctx, state, account)?;
    Ok(Reply::ok(state.tokens[id].to_json(now(), false)))
}

/// Creates an account-owned token; the response is the only time its value is shown (besides a roll).
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    let account = account(ctx, state, Access::Write)?.to_string();
    let mut token = Token::new(
        ids::hex_id(),
        ids::token_value(),
        spec(ctx, state, &account)?,
    );
    token.owner = Some(account.clone());
    let out = token.to_json(now(), true);
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "add",
        "account_api_token",
        &token.id,
        Some(&account),
        None,
    );
    state.insert_token(token);
    Ok(Reply::ok(out))
}

/// Replaces an account token's editable fields.
pub fn update(ctx: &Ctx, state: &mut State) -> Result {
    let account = account(ctx, state, Access::Write)?.to_string();
    let id = token_id_of(ctx, state, &account)?.to_string();
    let spec = spec(ctx, state, &account)?;
    let token = state.tokens.get_mut(&id).expect("checked above");
    token.apply(spec);
    let out = token.to_json(now(), false);
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "update",
        "account_api_token",
        &id,
        Some(&account),
        None,
    );
    Ok(Reply::ok(out))
}

/// Deletes an account token: it stops working at once.
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    let account = account(ctx, state, Access::Write)?.to_string();
    let id = token_id_of(ctx, state, &account)?.to_string();
    let actor = ctx.actor(state);
    state.remove_token(&id);
    state.audit(
        &actor,
        "delete",
        "account_api_token",
        &id,
        Some(&account),
        None,
    );
    Ok(Reply::ok(json!({"id": id})))
}

/// Gives an account token a new value; `result` is the new value.
pub fn roll(ctx: &Ctx, state: &mut State) -> Result {
    let account = account(ctx, state, Access::Write)?.to_string();
    if !ctx.body.iter().all(u8::is_ascii_whitespace) && !ctx.json()?.is_object() {
        return Err(ApiError::bad_request(
            1001,
            "the body must be a JSON object ({})",
        ));
    }
    let id = token_id_of(ctx, state, &account)?.to_string();
    let actor = ctx.actor(state);
    let value = state.roll_token(&id).expect("checked above");
    state.audit(
        &actor,
        "roll",
        "account_api_token",
        &id,
        Some(&account),
        None,
    );
    Ok(Reply::ok(value))
}

/// The groups an account-owned token can hold (zone- and account-level), filtered by `name` and `scope`.
pub fn permission_groups(ctx: &Ctx, state: &State) -> Result {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/tokens/permission_groups"
        )));
    }
    if !ctx.principal.sees_account(state, account) {
        return Err(ApiError::auth_error());
    }
    let name = ctx.q("name");
    let scope = ctx.q("scope");
    let groups: Vec<&permissions::PermissionGroup> = permissions::GROUPS
        .iter()
        .filter(|g| !g.is_user_level())
        .filter(|g| name.is_none_or(|n| g.name.eq_ignore_ascii_case(n)))
        .filter(|g| scope.is_none_or(|s| g.scopes[0] == s))
        .collect();
    let bounds = Bounds {
        default: groups.len().max(1),
        min: 1,
        max: 1000,
    };
    let (page, info) = Page::from_query(ctx, bounds).slice(&groups);
    Ok(Reply::list(page, info))
}
