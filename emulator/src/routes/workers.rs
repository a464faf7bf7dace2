//! `/accounts/{account_id}/workers/scripts`: list, multipart upload, delete.

use serde_json::{json, Value};

use super::{unknown_object, Result};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::multipart::{self, Part};
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::state::resources::{Module, WorkerScript};
use crate::state::token::Target;
use crate::state::State;
use crate::time;

fn account_of<'a>(ctx: &'a Ctx, state: &State, access: Access) -> Result<&'a str> {
    let account = ctx.seg(1);
    if !state.accounts.contains_key(account) {
        return Err(unknown_object(&format!(
            "/accounts/{account}/workers/scripts"
        )));
    }
    ctx.principal
        .require(state, Area::Workers, access, Target::Account(account))?;
    Ok(account)
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::bad_request(10021, message)
}

/// The account's scripts; a token needs Workers Scripts Read.
pub fn list(ctx: &Ctx, state: &State) -> Result {
    let account = account_of(ctx, state, Access::Read)?;
    let all: Vec<&WorkerScript> = state
        .scripts
        .values()
        .filter(|s| s.account_id == account)
        .collect();
    let bounds = Bounds {
        default: all.len().max(1),
        min: 1,
        max: 10_000,
    };
    let (page, info) = Page::from_query(ctx, bounds).slice(&all);
    Ok(Reply::list(
        page.iter().map(|s| s.to_json()).collect::<Vec<Value>>(),
        info,
    ))
}

/// A 64-hex content hash (four FNV-1a passes with different offsets), used as etag.
fn etag(parts: &[Part]) -> String {
    (0u64..4)
        .map(|salt| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for p in parts {
                for b in p.name.bytes().chain(p.data.iter().copied()) {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
            format!("{h:016x}")
        })
        .collect()
}

/// Uploads a module script: a `metadata` JSON part naming `main_module` (or
/// `body_part`) plus the module parts. 400 / 10021 when metadata is missing or
/// malformed, or the main module is not among the parts.
pub fn upload(ctx: &Ctx, state: &mut State) -> Result {
    let account = account_of(ctx, state, Access::Write)?.to_string();
    let name = ctx.seg(4).to_string();
    if name.is_empty()
        || name.len() > 63
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    {
        return Err(ApiError::bad_request(
            10016,
            format!("invalid script name {name:?}: use 1-63 lowercase letters, digits, - or _"),
        ));
    }
    let content_type = ctx
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multipart::boundary(content_type).ok_or_else(|| {
        invalid("the body must be multipart/form-data with a metadata part and module parts")
    })?;
    let parts = multipart::parse(&boundary, &ctx.body).map_err(invalid)?;
    let metadata_part = parts
        .iter()
        .find(|p| p.name == "metadata")
        .ok_or_else(|| invalid("the multipart body has no metadata part"))?;
    let metadata: Value = serde_json::from_slice(&metadata_part.data)
        .map_err(|e| invalid(format!("the metadata part is not valid JSON: {e}")))?;
    if !metadata.is_object() {
        return Err(invalid("the metadata part must be a JSON object"));
    }
    let main = metadata
        .get("main_module")
        .or_else(|| metadata.get("body_part"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            invalid("metadata must name the entry module in main_module (or body_part)")
        })?;
    let modules: Vec<&Part> = parts.iter().filter(|p| p.name != "metadata").collect();
    if !modules
        .iter()
        .any(|p| p.name == main || p.filename.as_deref() == Some(main))
    {
        return Err(invalid(format!(
            "main_module {main:?} is not among the uploaded parts"
        )));
    }
    let now = time::now_rfc3339();
    let key = (account.clone(), name.clone());
    let created_on = state
        .scripts
        .get(&key)
        .map(|s| s.created_on.clone())
        .unwrap_or_else(|| now.clone());
    let script = WorkerScript {
        account_id: account.clone(),
        name: name.clone(),
        main_module: main.to_string(),
        modules: modules
            .iter()
            .map(|p| Module {
                name: p.filename.clone().unwrap_or_else(|| p.name.clone()),
                content_type: p
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
                size: p.data.len(),
            })
            .collect(),
        etag: etag(&parts),
        compatibility_date: metadata
            .get("compatibility_date")
            .and_then(Value::as_str)
            .map(str::to_string),
        compatibility_flags: metadata
            .get("compatibility_flags")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        created_on,
        modified_on: now,
    };
    let mut out = script.to_json();
    out["entry_point"] = json!(script.main_module);
    out["startup_time_ms"] = json!(0);
    out["modules"] = json!(script
        .modules
        .iter()
        .map(|m| json!({"name": m.name, "type": m.content_type, "size": m.size}))
        .collect::<Vec<_>>());
    let action = if state.scripts.contains_key(&key) {
        "update"
    } else {
        "add"
    };
    let actor = ctx.actor(state);
    state.audit(&actor, action, "worker_script", &name, Some(&account), None);
    state.scripts.insert(key, script);
    Ok(Reply::ok(out))
}

/// Deletes a script (404 / 10007 when there is none by that name).
pub fn delete(ctx: &Ctx, state: &mut State) -> Result {
    let account = account_of(ctx, state, Access::Write)?.to_string();
    let name = ctx.seg(4).to_string();
    if state
        .scripts
        .shift_remove(&(account.clone(), name.clone()))
        .is_none()
    {
        return Err(ApiError::not_found(
            10007,
            format!("Worker {name} does not exist on this account"),
        ));
    }
    let actor = ctx.actor(state);
    state.audit(
        &actor,
        "delete",
        "worker_script",
        &name,
        Some(&account),
        None,
    );
    // The spec's delete answers `result: null`.
    Ok(Reply::ok(Value::Null))
}
