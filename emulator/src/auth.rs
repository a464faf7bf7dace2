//! Authentication and authorisation, with the real API's error codes.
//!
//! Order of checks: which credential scheme the route accepts and the request
//! carries; header formats (6003 with a 61xx chain); whether the credential is
//! known (9103 / 9109); whether a token is usable now from this address (10000);
//! then, in the handler, whether its policies grant the action (10000).

use std::net::IpAddr;

use http::{HeaderMap, StatusCode};

use crate::envelope::{ApiError, Notice};
use crate::permissions::{Access, Area};
use crate::state::audit::Actor;
use crate::state::token::Target;
use crate::state::zone::Zone;
use crate::state::State;
use crate::time;

/// Which credential schemes a route accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schemes {
    /// `Authorization: Bearer <token>`.
    pub token: bool,
    /// `X-Auth-Email` + `X-Auth-Key`.
    pub key: bool,
    /// `X-Auth-User-Service-Key`.
    pub service_key: bool,
}

impl Schemes {
    /// Token or global key: most routes.
    pub const STANDARD: Schemes = Schemes {
        token: true,
        key: true,
        service_key: false,
    };
    /// Tokens only (`/user/tokens/verify`).
    pub const TOKEN_ONLY: Schemes = Schemes {
        token: true,
        key: false,
        service_key: false,
    };
    /// Token or user service key (Origin CA `/certificates`).
    pub const ORIGIN_CA: Schemes = Schemes {
        token: true,
        key: false,
        service_key: true,
    };
}

/// Who is calling, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An API token, by id.
    Token(String),
    /// The global API key with the user's email: full access.
    GlobalKey,
    /// The user service key: Origin CA certificates only.
    ServiceKey,
}

/// Whether `s` looks like an email address (what 6102 checks).
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// Whether `s` has the global key's shape: 37 lowercase hex characters (what 6103 checks).
pub fn is_global_key(s: &str) -> bool {
    s.len() == 37 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `s` has an API token's shape: 40 to 80 characters of `[A-Za-z0-9_-]`.
pub fn is_token_value(s: &str) -> bool {
    (40..=80).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<Result<&'a str, ()>> {
    headers
        .get(name)
        .map(|v| v.to_str().map(str::trim).map_err(|_| ()))
}

/// 400 / 9106, whose real body has only `success` and `errors`.
pub fn missing_headers() -> ApiError {
    ApiError {
        bare: true,
        ..ApiError::bad_request(
            9106,
            "Missing X-Auth-Key, X-Auth-Email or Authorization headers",
        )
    }
}

fn invalid_headers(chain: Vec<Notice>) -> ApiError {
    let mut e = ApiError::bad_request(6003, "Invalid request headers");
    e.errors[0].error_chain = chain;
    e
}

/// 401 / 1000, the answer of the verify endpoints for any unusable token.
pub fn invalid_api_token() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, 1000, "Invalid API Token")
}

/// Identifies the caller. `verify` selects the token-verify endpoints' answers
/// (401 / 1000 instead of 403 for a token that is unknown or unusable).
pub fn authenticate(
    state: &State,
    headers: &HeaderMap,
    ip: IpAddr,
    schemes: Schemes,
    verify: bool,
) -> Result<Principal, ApiError> {
    let authorization = header(headers, "authorization");
    let (key, email) = (
        header(headers, "x-auth-key"),
        header(headers, "x-auth-email"),
    );
    let service_key = header(headers, "x-auth-user-service-key");

    if let (true, Some(auth)) = (schemes.token, authorization) {
        let value = auth
            .ok()
            .and_then(|a| a.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, v)| v.trim())
            .filter(|v| is_token_value(v))
            .ok_or_else(|| {
                invalid_headers(vec![Notice::new(
                    6111,
                    "Invalid format for Authorization header",
                )])
            })?;
        let unusable = |e: ApiError| if verify { invalid_api_token() } else { e };
        let token = state.token_by_value(value).ok_or_else(|| {
            unusable(ApiError::new(
                StatusCode::FORBIDDEN,
                9109,
                "Invalid access token",
            ))
        })?;
        if token.refusal(time::now_micros() / 1_000_000, ip).is_some() {
            return Err(unusable(ApiError::auth_error()));
        }
        return Ok(Principal::Token(token.id.clone()));
    }
    if schemes.key && (key.is_some() || email.is_some()) {
        let (Some(key), Some(email)) = (key, email) else {
            return Err(missing_headers());
        };
        let mut chain = Vec::new();
        if !email.is_ok_and(is_email) {
            chain.push(Notice::new(6102, "Invalid format for X-Auth-Email header"));
        }
        if !key.is_ok_and(is_global_key) {
            chain.push(Notice::new(6103, "Invalid format for X-Auth-Key header"));
        }
        if !chain.is_empty() {
            return Err(invalid_headers(chain));
        }
        let (key, email) = (key.unwrap_or_default(), email.unwrap_or_default());
        if email.eq_ignore_ascii_case(&state.user.email) && key == state.user.api_key {
            return Ok(Principal::GlobalKey);
        }
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            9103,
            "Unknown X-Auth-Key or X-Auth-Email",
        ));
    }
    if let (true, Some(usk)) = (schemes.service_key, service_key) {
        return match (usk, &state.user.user_service_key) {
            (Ok(given), Some(known)) if given == known => Ok(Principal::ServiceKey),
            _ => Err(ApiError::auth_error()),
        };
    }
    Err(missing_headers())
}

impl Principal {
    /// Whether this caller may do `access` on `area` of `target`.
    pub fn can(&self, state: &State, area: Area, access: Access, target: Target<'_>) -> bool {
        match self {
            Principal::GlobalKey => true,
            Principal::ServiceKey => area == Area::Ssl,
            Principal::Token(id) => state
                .tokens
                .get(id)
                .is_some_and(|t| t.permits(area, access, target)),
        }
    }

    /// [`Principal::can`] as a result: 403 / 10000 when not allowed.
    pub fn require(
        &self,
        state: &State,
        area: Area,
        access: Access,
        target: Target<'_>,
    ) -> Result<(), ApiError> {
        if self.can(state, area, access, target) {
            Ok(())
        } else {
            Err(ApiError::auth_error())
        }
    }

    /// Whether the caller may see a zone at all: any zone-level read permission on it
    /// (a DNS-only token can still look its zone up, as with the real API).
    pub fn sees_zone(&self, state: &State, zone: &Zone) -> bool {
        let target = Target::Zone {
            zone: &zone.id,
            account: &zone.account_id,
        };
        [Area::Zone, Area::Dns, Area::Ssl]
            .into_iter()
            .any(|area| self.can(state, area, Access::Read, target))
    }

    /// Whether the caller may see an account: any account-level read, or any zone in it.
    pub fn sees_account(&self, state: &State, account_id: &str) -> bool {
        let target = Target::Account(account_id);
        [
            Area::AccountSettings,
            Area::Workers,
            Area::Pages,
            Area::Logs,
            Area::AccountApiTokens,
        ]
        .into_iter()
        .any(|area| self.can(state, area, Access::Read, target))
            || state
                .zones
                .values()
                .any(|z| z.account_id == account_id && self.sees_zone(state, z))
    }

    /// The audit-log actor for this caller.
    pub fn actor(&self, state: &State, ip: IpAddr) -> Actor {
        let (id, credential) = match self {
            Principal::Token(id) => (id.clone(), "api_token"),
            Principal::GlobalKey => (state.user.id.clone(), "api_key"),
            Principal::ServiceKey => (state.user.id.clone(), "user_service_key"),
        };
        Actor {
            id,
            email: state.user.email.clone(),
            ip: ip.to_string(),
            credential,
        }
    }
}
