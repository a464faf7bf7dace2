//! The `/client/v4` routing table and dispatch: route, authenticate, run the
//! handler under the state lock.

mod account_tokens;
mod accounts;
mod audit_logs;
mod certificates;
mod dns;
mod pages;
mod tokens;
mod user;
mod workers;
mod zones;

use std::net::IpAddr;

use bytes::Bytes;
use http::{HeaderMap, Method};
use percent_encoding::percent_decode_str;

use crate::auth::{self, Principal, Schemes};
use crate::ctx::{self, Ctx};
use crate::envelope::{ApiError, Reply};
use crate::server::Shared;
use crate::state::State;

/// What handlers return.
pub type Result<T = Reply> = std::result::Result<T, ApiError>;
type ReadFn = fn(&Ctx, &State) -> Result;
type WriteFn = fn(&Ctx, &mut State) -> Result;

enum Handler {
    Read(ReadFn),
    Write(WriteFn),
}

struct Route {
    handler: Handler,
    schemes: Schemes,
    /// Token-verify endpoints answer unusable tokens with 401 / 1000.
    verify: bool,
}

fn read(f: ReadFn) -> Route {
    Route {
        handler: Handler::Read(f),
        schemes: Schemes::STANDARD,
        verify: false,
    }
}

fn write(f: WriteFn) -> Route {
    Route {
        handler: Handler::Write(f),
        schemes: Schemes::STANDARD,
        verify: false,
    }
}

fn verify(f: ReadFn) -> Route {
    Route {
        handler: Handler::Read(f),
        schemes: Schemes::TOKEN_ONLY,
        verify: true,
    }
}

fn origin_ca(mut r: Route) -> Route {
    r.schemes = Schemes::ORIGIN_CA;
    r
}

/// Finds the handler for a method and the segments after `/client/v4`.
fn route(method: &Method, segs: &[&str]) -> Option<Route> {
    let m = method.as_str();
    Some(match (m, segs) {
        ("GET", ["user"]) => read(user::get),
        ("GET", ["user", "tokens"]) => read(tokens::list),
        ("POST", ["user", "tokens"]) => write(tokens::create),
        ("GET", ["user", "tokens", "verify"]) => verify(tokens::verify),
        ("GET", ["user", "tokens", "permission_groups"]) => read(tokens::permission_groups),
        ("GET", ["user", "tokens", _]) => read(tokens::get),
        ("PUT", ["user", "tokens", _]) => write(tokens::update),
        ("DELETE", ["user", "tokens", _]) => write(tokens::delete),
        ("PUT", ["user", "tokens", _, "value"]) => write(tokens::roll),
        ("GET", ["memberships"]) => read(accounts::memberships),
        ("GET", ["accounts"]) => read(accounts::list),
        ("GET", ["accounts", _]) => read(accounts::get),
        ("GET", ["accounts", _, "tokens", "verify"]) => verify(tokens::verify_account),
        ("GET", ["accounts", _, "tokens"]) => read(account_tokens::list),
        ("POST", ["accounts", _, "tokens"]) => write(account_tokens::create),
        ("GET", ["accounts", _, "tokens", "permission_groups"]) => {
            read(account_tokens::permission_groups)
        }
        ("GET", ["accounts", _, "tokens", _]) => read(account_tokens::get),
        ("PUT", ["accounts", _, "tokens", _]) => write(account_tokens::update),
        ("DELETE", ["accounts", _, "tokens", _]) => write(account_tokens::delete),
        ("PUT", ["accounts", _, "tokens", _, "value"]) => write(account_tokens::roll),
        ("GET", ["accounts", _, "audit_logs"]) => read(audit_logs::list),
        ("GET", ["accounts", _, "pages", "projects"]) => read(pages::list),
        ("POST", ["accounts", _, "pages", "projects"]) => write(pages::create),
        ("GET", ["accounts", _, "pages", "projects", _]) => read(pages::get),
        ("PATCH", ["accounts", _, "pages", "projects", _]) => write(pages::edit),
        ("DELETE", ["accounts", _, "pages", "projects", _]) => write(pages::delete),
        ("GET", ["accounts", _, "workers", "scripts"]) => read(workers::list),
        ("PUT", ["accounts", _, "workers", "scripts", _]) => write(workers::upload),
        ("DELETE", ["accounts", _, "workers", "scripts", _]) => write(workers::delete),
        ("GET", ["zones"]) => read(zones::list),
        ("POST", ["zones"]) => write(zones::create),
        ("GET", ["zones", _]) => read(zones::get),
        ("PATCH", ["zones", _]) => write(zones::edit),
        ("DELETE", ["zones", _]) => write(zones::delete),
        ("GET", ["zones", _, "dns_records"]) => read(dns::list),
        ("POST", ["zones", _, "dns_records"]) => write(dns::create),
        // `export` and `usage` are other operations (answered from the spec), not record ids.
        ("GET", ["zones", _, "dns_records", "export" | "usage"]) => return None,
        ("GET", ["zones", _, "dns_records", _]) => read(dns::get),
        ("PUT", ["zones", _, "dns_records", _]) => write(dns::update),
        ("PATCH", ["zones", _, "dns_records", _]) => write(dns::edit),
        ("DELETE", ["zones", _, "dns_records", _]) => write(dns::delete),
        ("GET", ["certificates"]) => origin_ca(read(certificates::list)),
        ("POST", ["certificates"]) => origin_ca(write(certificates::create)),
        ("GET", ["certificates", _]) => origin_ca(read(certificates::get)),
        ("DELETE", ["certificates", _]) => origin_ca(write(certificates::revoke)),
        _ => return None,
    })
}

/// An API request, before routing.
pub struct ApiRequest {
    /// Method.
    pub method: Method,
    /// Full path.
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
    /// Peer address.
    pub ip: IpAddr,
}

/// Answers one request under `/client/v4` (anything else gets 7003).
pub fn dispatch(shared: &Shared, req: ApiRequest) -> Reply {
    let rest = match req.path.strip_prefix("/client/v4") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => return ApiError::no_route().reply(),
    };
    let segs: Vec<String> = rest
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let seg_refs: Vec<&str> = segs.iter().map(String::as_str).collect();
    let found = route(&req.method, &seg_refs);
    let spec_op = match found {
        Some(_) => None,
        None => match crate::spec::spec().find(req.method.as_str(), &seg_refs) {
            Some(i) => Some(i),
            None => return ApiError::no_route().reply(),
        },
    };
    let mut ctx = Ctx {
        segs,
        query: ctx::parse_query(req.query.as_deref()),
        headers: req.headers,
        body: req.body,
        ip: req.ip,
        principal: Principal::GlobalKey,
    };
    let Some(route) = found else {
        // Every other operation of the API, answered from its description.
        return crate::spec::answer(shared, &req.method, ctx, spec_op.unwrap_or_default());
    };
    let result =
        match route.handler {
            Handler::Read(f) => {
                let state = shared.read_state();
                auth::authenticate(&state, &ctx.headers, ctx.ip, route.schemes, route.verify)
                    .and_then(|p| {
                        ctx.principal = p;
                        f(&ctx, &state)
                    })
            }
            Handler::Write(f) => {
                let mut state = shared.write_state();
                auth::authenticate(&state, &ctx.headers, ctx.ip, route.schemes, route.verify)
                    .and_then(|p| {
                        ctx.principal = p;
                        f(&ctx, &mut state)
                    })
            }
        };
    result.unwrap_or_else(|e| e.reply())
}

/// 404 / 7003 for an id that names nothing, worded like the real API.
fn unknown_object(path: &str) -> ApiError {
    ApiError::not_found(
        7003,
        format!("Could not route to {path}, perhaps your object identifier is invalid?"),
    )
}

/// Sorts in the requested direction (`direction=desc` reverses).
fn apply_direction<T>(ctx: &Ctx, items: &mut [T]) {
    if ctx
        .q("direction")
        .is_some_and(|d| d.eq_ignore_ascii_case("desc"))
    {
        items.reverse();
    }
}
