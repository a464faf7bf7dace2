//! Origin CA `/certificates`: the only routes that accept the user service key.

use serde_json::{json, Value};

use super::Result;
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::resources::Certificate;
use crate::state::token::Target;
use crate::state::State;
use crate::{ids, time};

const BOUNDS: Bounds = Bounds {
    default: 20,
    min: 5,
    max: 50,
};
const VALIDITIES: &[u64] = &[7, 30, 90, 365, 730, 1095, 5475];

fn allow(ctx: &Ctx, state: &State, zone_id: &str, access: Access) -> Result<()> {
    let zone = &state.zones[zone_id];
    ctx.principal.require(
        state,
        Area::Ssl,
        access,
        Target::Zone {
            zone: &zone.id,
            account: &zone.account_id,
        },
    )
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(1004, format!("Certificate {id} not found"))
}

/// Certificates of the zone given by the required `zone_id` query parameter.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let zone_id = ctx
        .q("zone_id")
        .ok_or_else(|| ApiError::bad_request(1001, "zone_id query parameter is required"))?;
    if !state.zones.contains_key(zone_id) {
        return Err(ApiError::bad_request(
            1001,
            format!("zone_id {zone_id} is not a zone of this user"),
        ));
    }
    allow(ctx, state, zone_id, Access::Read)?;
    let all: Vec<&Certificate> = state
        .certificates
        .values()
        .filter(|c| c.zone_id == zone_id)
        .collect();
    let (page, info) = Page::from_query(ctx, BOUNDS).slice(&all);
    Ok(Reply::list(
        page.iter().map(|c| c.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}

/// Issues a (fake) certificate for hostnames of one zone.
pub fn create(ctx: &Ctx, state: &mut State) -> Result {
    let body = ctx.json()?;
    let bad = |m: &str| ApiError::bad_request(1001, m.to_string());
    let hostnames: Vec<String> = body
        .get("hostnames")
        .and_then(Value::as_array)
        .filter(|h| !h.is_empty() && h.len() <= 100)
        .ok_or_else(|| bad("hostnames is required: 1 to 100 hostnames"))?
        .iter()
        .map(|h| {
            h.as_str()
                .map(str::to_string)
                .ok_or_else(|| bad("hostnames must be strings"))
        })
        .collect::<Result<_>>()?;
    let request_type = body
        .get("request_type")
        .and_then(Value::as_str)
        .filter(|t| matches!(*t, "origin-rsa" | "origin-ecc" | "keyless-certificate"))
        .ok_or_else(|| bad("request_type must be origin-rsa, origin-ecc or keyless-certificate"))?;
    let csr = body
        .get("csr")
        .and_then(Value::as_str)
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| bad("csr is required"))?;
    let validity = match body.get("requested_validity") {
        None | Some(Value::Null) => 5475,
        Some(v) => v
            .as_u64()
            .filter(|d| VALIDITIES.contains(d))
            .ok_or_else(|| {
                bad("requested_validity must be one of 7, 30, 90, 365, 730, 1095, 5475")
            })?,
    };
    let zone_ids: Vec<String> = hostnames
        .iter()
        .map(|h| state.zone_for_host(h).map(|z| z.id.clone()))
        .collect::<Option<_>>()
        .ok_or_else(|| bad("every hostname must belong to one of your zones"))?;
    if zone_ids.iter().any(|z| *z != zone_ids[0]) {
        return Err(bad("all hostnames must belong to the same zone"));
    }
    let zone_id = zone_ids[0].clone();
    allow(ctx, state, &zone_id, Access::Write)?;
    let id = ids::hex_id();
    let filler = ids::random_hex(64);
    let cert = Certificate {
        id: id.clone(),
        zone_id: zone_id.clone(),
        hostnames,
        request_type: request_type.to_string(),
        requested_validity: validity,
        csr: csr.to_string(),
        certificate: format!("-----BEGIN CERTIFICATE-----\nRkxBUkVLSVQtRU1VTEFUT1I{filler}\n-----END CERTIFICATE-----\n"),
        expires_on: time::format_secs(time::now_micros() / 1_000_000 + validity as i64 * 86_400),
    };
    let out = cert.to_json();
    let zone = &state.zones[&zone_id];
    let (account, zone_name) = (zone.account_id.clone(), zone.name.clone());
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "add",
        "certificate",
        &id,
        Some(&account),
        Some(&zone_name),
    );
    state.certificates.insert(id, cert);
    Ok(Reply::ok(out))
}

/// One certificate.
pub fn get(ctx: &Ctx, state: &State) -> Result {
    let id = ctx.seg(1);
    let cert = state.certificates.get(id).ok_or_else(|| not_found(id))?;
    allow(ctx, state, &cert.zone_id, Access::Read)?;
    Ok(Reply::ok(cert.to_json()))
}

/// Revokes (deletes) a certificate.
pub fn revoke(ctx: &Ctx, state: &mut State) -> Result {
    let id = ctx.seg(1).to_string();
    let cert = state.certificates.get(&id).ok_or_else(|| not_found(&id))?;
    allow(ctx, state, &cert.zone_id.clone(), Access::Write)?;
    let cert = state
        .certificates
        .shift_remove(&id)
        .expect("looked up above");
    let zone = state
        .zones
        .get(&cert.zone_id)
        .map(|z| (z.account_id.clone(), z.name.clone()));
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "delete",
        "certificate",
        &id,
        zone.as_ref().map(|z| z.0.as_str()),
        zone.as_ref().map(|z| z.1.as_str()),
    );
    Ok(Reply::ok(
        json!({"id": id, "revoked_at": time::now_rfc3339()}),
    ))
}
