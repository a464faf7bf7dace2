//! `GET /user`.

use http::StatusCode;

use super::Result;
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::permissions::{Access, Area};
use crate::state::token::Target;
use crate::state::State;

/// The user's details; a token needs User Details Read (else 403 / 9109, as the real API answers).
pub fn get(ctx: &Ctx, state: &State) -> Result {
    if !ctx.principal.can(
        state,
        Area::UserDetails,
        Access::Read,
        Target::User(&state.user.id),
    ) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            9109,
            "Unauthorized to access requested resource",
        ));
    }
    Ok(Reply::ok(state.user.to_json()))
}
