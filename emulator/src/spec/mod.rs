//! Every operation of the flarekit table answered from the API's own description (`spec/api.json.gz`, generated
//! by `tools/gen_emulator_spec.py`): after the stateful routes, a request that matches an operation's method and
//! path is authenticated (the credential as everywhere; a token must hold some permission on the zone, account or
//! user the path names, a write one for a change), its JSON body validated against the request schema (400 with
//! one `errors[]` entry per problem), and answered with the spec's example, or a value built from the response
//! schema, with the path's last id echoed and lists paged. The data is parsed on first use.

mod collections;
pub mod schema;
mod synth;

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Mutex, OnceLock};

use http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use crate::auth::{self, Principal, Schemes};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Notice, Reply};
use crate::paging::{Bounds, Page};
use crate::permissions::{Access, Area};
use crate::server::Shared;
use crate::state::token::Target;
use crate::state::State;

pub use schema::{Schemas, Side};
pub use synth::{from_pattern, synth};

const DATA: &[u8] = include_bytes!("../../spec/api.json.gz");

/// One operation: method, path template and schemas.
pub struct Op {
    /// `GET`, ...
    pub method: String,
    /// The path template, e.g. `/zones/{zone_id}/dns_records`.
    pub path: String,
    /// Literal segments, `None` for a parameter.
    segs: Vec<Option<String>>,
    /// Accepts the user service key.
    service_key: bool,
    /// The official SDKs' pagination kind.
    pub page: Option<String>,
    /// `{"ct", "schema", "required"}`.
    pub req: Option<Value>,
    /// `{"status", "ct", "schema", "example"?}`.
    pub res: Value,
}

/// The operations and their schemas.
pub struct Spec {
    /// Sorted by path, then method.
    pub ops: Vec<Op>,
    /// Component schemas.
    pub schemas: Schemas,
    /// Built response bodies, per operation (the spec is fixed, so each is built once).
    built: Mutex<HashMap<usize, Value>>,
}

static SPEC: OnceLock<Spec> = OnceLock::new();

/// The spec data (parsed on first use, about 3 MB of JSON).
pub fn spec() -> &'static Spec {
    SPEC.get_or_init(|| {
        let mut text = Vec::new();
        // The data is part of the crate and covered by tests.
        flate2::read::GzDecoder::new(DATA)
            .read_to_end(&mut text)
            .expect("spec/api.json.gz is gzip");
        let mut data: Value = serde_json::from_slice(&text).expect("spec/api.json.gz is JSON");
        let schemas = match data.get_mut("schemas").map(Value::take) {
            Some(Value::Object(m)) => m,
            _ => Map::new(),
        };
        let ops = match data.get_mut("ops").map(Value::take) {
            Some(Value::Array(ops)) => ops.into_iter().map(op_of).collect(),
            _ => Vec::new(),
        };
        Spec {
            ops,
            schemas: Schemas::new(schemas),
            built: Mutex::new(HashMap::new()),
        }
    })
}

fn op_of(mut v: Value) -> Op {
    let path = v["p"].as_str().unwrap_or_default().to_string();
    let segs = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| (!s.starts_with('{')).then(|| s.to_string()))
        .collect();
    let service_key = v["sec"]
        .as_array()
        .is_some_and(|s| s.iter().any(|x| x == "user_service_key"));
    Op {
        method: v["m"].as_str().unwrap_or_default().to_string(),
        page: v["page"].as_str().map(str::to_string),
        req: Some(v["req"].take()).filter(|r| !r.is_null()),
        res: v["res"].take(),
        segs,
        service_key,
        path,
    }
}

impl Spec {
    /// The operation for `method` and the path segments (after `/client/v4`), the most specific match: literal
    /// segments beat parameters, leftmost first.
    pub fn find(&self, method: &str, segs: &[&str]) -> Option<usize> {
        let mut best: Option<(usize, Vec<bool>)> = None;
        for (i, op) in self.ops.iter().enumerate() {
            if op.method != method || op.segs.len() != segs.len() {
                continue;
            }
            let fits = op
                .segs
                .iter()
                .zip(segs)
                .all(|(t, s)| t.as_deref().is_none_or(|lit| lit == *s));
            if !fits {
                continue;
            }
            let score: Vec<bool> = op.segs.iter().map(Option::is_some).collect();
            if best.as_ref().is_none_or(|(_, b)| score > *b) {
                best = Some((i, score));
            }
        }
        best.map(|(i, _)| i)
    }

    /// The response body of operation `i` as built from the spec (before per-request changes).
    fn built(&self, i: usize) -> Value {
        if let Some(v) = self.built.lock().ok().and_then(|m| m.get(&i).cloned()) {
            return v;
        }
        let op = &self.ops[i];
        let schema = &op.res["schema"];
        let example = op
            .res
            .get("example")
            .filter(|e| !schema.is_null() && self.schemas.is_valid(schema, e, Side::Response));
        let mut v = match example {
            Some(e) => e.clone(),
            None if schema.is_null() => Value::Null,
            None => synth(&self.schemas, schema, Side::Response),
        };
        if !schema.is_null() {
            // A successful envelope: success true, no errors or messages (where the schema allows it).
            for (k, want) in [
                ("success", json!(true)),
                ("errors", json!([])),
                ("messages", json!([])),
            ] {
                patch(&self.schemas, schema, &mut v, |o| {
                    if o.contains_key(k) {
                        o.insert(k.to_string(), want.clone());
                    }
                });
            }
        }
        if let Ok(mut m) = self.built.lock() {
            m.insert(i, v.clone());
        }
        v
    }
}

/// Applies `f` to the object `v` and keeps the change only if `v` still validates against `schema`.
fn patch(
    schemas: &Schemas,
    schema: &Value,
    v: &mut Value,
    f: impl FnOnce(&mut Map<String, Value>),
) {
    let before = v.clone();
    if let Value::Object(o) = v {
        f(o);
        if !schemas.is_valid(schema, v, Side::Response) {
            *v = before;
        }
    }
}

/// The target a path names (`/zones/{id}/…`, `/accounts/{id}/…`, `/user/…`), checked to exist.
fn target_of<'s>(state: &'s State, segs: &'s [String]) -> Result<Option<Target<'s>>, ApiError> {
    let unknown = |what: &str| {
        ApiError::not_found(
            7003,
            format!("Could not route to /{what}, perhaps your object identifier is invalid?"),
        )
    };
    match segs {
        [z, id, ..] if z == "zones" => match state.zones.get(id.as_str()) {
            Some(zone) => Ok(Some(Target::Zone {
                zone: &zone.id,
                account: &zone.account_id,
            })),
            None => Err(unknown(&format!("zones/{id}"))),
        },
        [a, id, ..] if a == "accounts" => {
            if state.accounts.contains_key(id.as_str()) {
                Ok(Some(Target::Account(id)))
            } else {
                Err(unknown(&format!("accounts/{id}")))
            }
        }
        [u, ..] if u == "user" => Ok(Some(Target::User(&state.user.id))),
        _ => Ok(None),
    }
}

/// Answers a request for operation `i` of the spec.
pub fn answer(shared: &Shared, method: &Method, mut ctx: Ctx, i: usize) -> Reply {
    let spec = spec();
    let op = &spec.ops[i];
    let schemes = Schemes {
        service_key: op.service_key,
        ..Schemes::STANDARD
    };
    let outcome = {
        let state = shared.read_state();
        auth::authenticate(&state, &ctx.headers, ctx.ip, schemes, false).and_then(|p| {
            let access = if *method == Method::GET {
                Access::Read
            } else {
                Access::Write
            };
            if let (Principal::Token(_), Some(target)) = (&p, target_of(&state, &ctx.segs)?) {
                if !Area::ALL.iter().any(|a| p.can(&state, *a, access, target)) {
                    return Err(ApiError::auth_error());
                }
            } else if !matches!(p, Principal::Token(_)) {
                target_of(&state, &ctx.segs)?;
            }
            ctx.principal = p;
            Ok(())
        })
    };
    if let Err(e) = outcome {
        return e.reply();
    }
    if let Err(e) = check_body(spec, op, &ctx) {
        return e.reply();
    }
    if collections::owns(op) {
        let mut state = shared.write_state();
        return collections::answer(spec, i, &ctx, &mut state).unwrap_or_else(|e| e.reply());
    }
    respond(spec, i, &ctx)
}

fn check_body(spec: &Spec, op: &Op, ctx: &Ctx) -> Result<(), ApiError> {
    let Some(req) = &op.req else {
        return Ok(());
    };
    let ct = req["ct"].as_str().unwrap_or_default();
    let schema = &req["schema"];
    if !ct.contains("json") || schema.is_null() {
        return Ok(());
    }
    if ctx.body.iter().all(u8::is_ascii_whitespace) {
        if req["required"] == json!(true) {
            return Err(ApiError::bad_request(
                10001,
                format!("{} {} needs a JSON request body", op.method, op.path),
            ));
        }
        return Ok(());
    }
    let body = ctx.json()?;
    let problems = spec.schemas.errors(schema, &body, Side::Request);
    if problems.is_empty() {
        return Ok(());
    }
    Err(ApiError {
        status: StatusCode::BAD_REQUEST,
        errors: problems
            .into_iter()
            .map(|p| Notice::new(10001, format!("Invalid request body: {p}")))
            .collect(),
        bare: false,
    })
}

fn respond(spec: &'static Spec, i: usize, ctx: &Ctx) -> Reply {
    let op = &spec.ops[i];
    let status = op.res["status"]
        .as_u64()
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::OK);
    if status == StatusCode::NO_CONTENT {
        return Reply::raw(status, "text/plain", Vec::new());
    }
    let ct: &'static str = op.res["ct"].as_str().unwrap_or("application/json");
    let schema = &op.res["schema"];
    if !ct.contains("json") {
        let body: &[u8] = if ct.starts_with("text/") || ct.contains("pem") {
            b"example\n"
        } else {
            b"\x00\x01flarekit-emulator\x02\x03"
        };
        return Reply::raw(status, ct, body.to_vec());
    }
    let mut v = spec.built(i);
    if v.is_null() && schema.is_null() {
        v = json!({"success": true, "errors": [], "messages": [], "result": null});
    }
    if !schema.is_null() {
        echo_id(spec, op, ctx, schema, &mut v);
        page(spec, op, ctx, schema, &mut v);
    }
    Reply::json(status, &v).with_content_type(ct)
}

/// The path's last parameter as the result's `id` (`GET /zones/{zone_id}/rulesets/{ruleset_id}` answers with
/// that ruleset id), where the schema accepts it.
fn echo_id(spec: &Spec, op: &Op, ctx: &Ctx, schema: &Value, v: &mut Value) {
    let Some(last) = op
        .segs
        .iter()
        .zip(&ctx.segs)
        .rev()
        .find(|(t, _)| t.is_none())
    else {
        return;
    };
    let id = last.1.clone();
    patch(&spec.schemas, schema, v, |o| {
        if let Some(Value::Object(r)) = o.get_mut("result") {
            if r.contains_key("id") {
                r.insert("id".into(), Value::String(id));
            }
        }
    });
}

/// A list's `result_info` as the request's `page` / `per_page` say (one item built, so one item in all).
fn page(spec: &Spec, op: &Op, ctx: &Ctx, schema: &Value, v: &mut Value) {
    if op.page.is_none() {
        return;
    }
    let p = Page::from_query(
        ctx,
        Bounds {
            default: 20,
            min: 1,
            max: 1000,
        },
    );
    let n = v
        .get("result")
        .and_then(Value::as_array)
        .map_or(1, Vec::len);
    let (count, total) = if p.page == 1 { (n, n) } else { (0, n) };
    patch(&spec.schemas, schema, v, |o| {
        if p.page > 1 {
            match o.get_mut("result") {
                Some(Value::Array(items)) => items.clear(),
                // A list whose result is an object keeps its items in an array field of it (`items`,
                // `reports`, ...): each is empty after the first page.
                Some(Value::Object(fields)) => fields.values_mut().for_each(|v| {
                    if let Value::Array(items) = v {
                        items.clear();
                    }
                }),
                _ => {}
            }
        }
        if let Some(Value::Object(info)) = o.get_mut("result_info") {
            for (k, x) in [
                ("page", p.page),
                ("per_page", p.per_page),
                ("count", count),
                ("total_count", total),
                ("total_pages", total.div_ceil(p.per_page.max(1))),
            ] {
                if info.contains_key(k) {
                    info.insert(k.into(), json!(x));
                }
            }
        }
    });
}
