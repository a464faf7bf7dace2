//! `/user/tokens`: list, get, create, update, delete, roll, verify, permission groups.

use serde_json::{json, Map, Value};

use super::{unknown_object, Result};
use crate::auth::{invalid_api_token, Principal};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Message, Reply};
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

fn now() -> i64 {
    time::now_micros() / 1_000_000
}

fn require(ctx: &Ctx, state: &State, access: Access) -> Result<()> {
    ctx.principal
        .require(state, Area::ApiTokens, access, Target::User(&state.user.id))
}

fn token_id_of<'a>(ctx: &'a Ctx, state: &State) -> Result<&'a str> {
    let id = ctx.seg(2);
    if state.tokens.get(id).is_some_and(Token::is_user_owned) {
        Ok(id)
    } else {
        Err(ApiError::not_found(
            1003,
            format!("API token {id} not found"),
        ))
    }
}

fn spec(ctx: &Ctx) -> Result<TokenSpec> {
    TokenSpec::parse(&ctx.json()?).map_err(|m| ApiError::bad_request(1001, m))
}

/// The user's tokens, without their values.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    require(ctx, state, Access::Read)?;
    let now = now();
    let mut all: Vec<&Token> = state
        .tokens
        .values()
        .filter(|t| t.is_user_owned())
        .collect();
    super::apply_direction(ctx, &mut all);
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    let result: Vec<Value> = page.iter().map(|t| t.to_json(now, false)).collect();
    Ok(Reply::list(result, info))
}

/// One token, without its value.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    require(ctx, state, Access::Read)?;
    let id = token_id_of(ctx, state)?;
    Ok(Reply::ok(state.tokens[id].to_json(now(), false)))
}

/// Creates a token; the response is the only time its value is shown (besides a roll).
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    require(ctx, state, Access::Write)?;
    let token = Token::new(ids::hex_id(), ids::token_value(), spec(ctx)?);
    let out = token.to_json(now(), true);
    let actor = ctx.actor(state);
    state.audit(&actor, "add", "api_token", &token.id, None, None);
    state.insert_token(token);
    Ok(Reply::ok(out))
}

/// Replaces a token's name, policies, window, condition and status.
pub fn update(ctx: &Ctx, state: &mut State) -> Result {
    require(ctx, state, Access::Write)?;
    let id = token_id_of(ctx, state)?.to_string();
    let spec = spec(ctx)?;
    let token = state.tokens.get_mut(&id).expect("checked above");
    token.apply(spec);
    let out = token.to_json(now(), false);
    let actor = ctx.actor(state);
    state.audit(&actor, "update", "api_token", &id, None, None);
    Ok(Reply::ok(out))
}

/// Deletes a token.
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    require(ctx, state, Access::Write)?;
    let id = token_id_of(ctx, state)?.to_string();
    state.remove_token(&id);
    let actor = ctx.actor(state);
    state.audit(&actor, "delete", "api_token", &id, None, None);
    Ok(Reply::ok(json!({"id": id})))
}

/// Gives a token a new value; `result` is the new value.
pub fn roll(ctx: &Ctx, state: &mut State) -> Result {
    require(ctx, state, Access::Write)?;
    if !ctx.body.iter().all(u8::is_ascii_whitespace) && !ctx.json()?.is_object() {
        return Err(ApiError::bad_request(
            1001,
            "the body must be a JSON object ({})",
        ));
    }
    let id = token_id_of(ctx, state)?.to_string();
    let value = state.roll_token(&id).expect("checked above");
    let actor = ctx.actor(state);
    state.audit(&actor, "roll", "api_token", &id, None, None);
    Ok(Reply::ok(value))
}

pub(super) fn verified(ctx: &Ctx, state: &State) -> Result {
    let Principal::Token(id) = &ctx.principal else {
        return Err(invalid_api_token());
    };
    let token = &state.tokens[id];
    let mut result = Map::new();
    result.insert("id".into(), json!(token.id));
    result.insert("status".into(), json!(token.status_now(now())));
    if let Some((_, s)) = &token.not_before {
        result.insert("not_before".into(), json!(s));
    }
    if let Some((_, s)) = &token.expires_on {
        result.insert("expires_on".into(), json!(s));
    }
    let message = Message {
        code: 10000,
        message: "This API Token is valid and active",
        kind: None,
    };
    Ok(Reply::ok_with(result, &[message]))
}

/// `GET /user/tokens/verify`: the calling token's id and status. An account-owned token is refused with
/// 401 / 1000, as the real API does (it is verified at `/accounts/{id}/tokens/verify`).
pub fn verify(ctx: &Ctx, state: &State) -> Result {
    if let Principal::Token(id) = &ctx.principal {
        if !state.tokens[id].is_user_owned() {
            return Err(invalid_api_token());
        }
    }
    verified(ctx, state)
}

/// `GET /accounts/{id}/tokens/verify`: as above, for a token that can reach the account.
pub fn verify_account(ctx: &Ctx, state: &State) -> Result {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/tokens/verify"
        )));
    }
    // An account-owned token verifies at its own account only; a user's token wherever it reaches.
    let owner = match &ctx.principal {
        Principal::Token(id) => state.tokens[id].owner.as_deref(),
        _ => None,
    };
    let ok = match owner {
        Some(o) => o == account,
        None => ctx.principal.sees_account(state, account),
    };
    if !ok {
        return Err(invalid_api_token());
    }
    verified(ctx, state)
}

/// Every permission group, filtered by `name` and `scope`.
pub fn permission_groups(ctx: &Ctx, _state: &State) -> Result {
    let name = ctx.q("name");
    let scope = ctx.q("scope");
    let groups: Vec<&permissions::PermissionGroup> = permissions::GROUPS
        .iter()
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
