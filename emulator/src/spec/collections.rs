//! Resources kept in state with the spec's own shapes: Workers KV namespaces (and their values), R2 buckets and
//! account members. Create → get → list (paged) → update → delete round-trip; each object starts as the create
//! operation's documented result, takes the request's fields where the schema accepts them, and gets an id.

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::{patch, Op, Spec};
use crate::ctx::Ctx;
use crate::envelope::{ApiError, Reply};
use crate::ids;
use crate::multipart;
use crate::paging::{Bounds, Page};
use crate::state::State;

/// How a collection names its members.
#[derive(Clone, Copy)]
enum IdFrom {
    /// A new 32-hex id in `id`.
    Hex,
    /// The request's `name` (R2 buckets).
    Name,
}

struct Collection {
    /// The collection's path template.
    base: &'static str,
    id: IdFrom,
    /// What a missing member is called in a 404.
    what: &'static str,
}

const COLLECTIONS: [Collection; 3] = [
    Collection {
        base: "/accounts/{account_id}/storage/kv/namespaces",
        id: IdFrom::Hex,
        what: "namespace",
    },
    Collection {
        base: "/accounts/{account_id}/r2/buckets",
        id: IdFrom::Name,
        what: "bucket",
    },
    Collection {
        base: "/accounts/{account_id}/members",
        id: IdFrom::Hex,
        what: "member",
    },
];

const KV_VALUES: &str =
    "/accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}";
const KV_KEYS: &str = "/accounts/{account_id}/storage/kv/namespaces/{namespace_id}/keys";

/// Whether operation `op` is kept in state here.
pub fn owns(op: &Op) -> bool {
    op.path == KV_VALUES || op.path == KV_KEYS || member_of(op).is_some()
}

/// The collection an operation acts on, and whether it names one member.
fn member_of(op: &Op) -> Option<(&'static Collection, bool)> {
    COLLECTIONS.iter().find_map(|c| {
        if op.path == c.base {
            return Some((c, false));
        }
        let rest = op.path.strip_prefix(c.base)?;
        let one = rest.starts_with("/{") && rest.ends_with('}') && rest[1..].find('/').is_none();
        one.then_some((c, true))
    })
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::not_found(10006, format!("{what} {id} not found"))
}

/// Answers operation `i` from state.
pub fn answer(spec: &Spec, i: usize, ctx: &Ctx, state: &mut State) -> Result<Reply, ApiError> {
    let op = &spec.ops[i];
    let method = Method::from_bytes(op.method.as_bytes()).unwrap_or(Method::GET);
    if op.path == KV_VALUES || op.path == KV_KEYS {
        return kv(spec, i, ctx, state, &method);
    }
    let Some((coll, one)) = member_of(op) else {
        return Err(ApiError::no_route());
    };
    let base_len = coll.base.split('/').filter(|s| !s.is_empty()).count();
    let key = ctx.segs[..base_len].join("/");
    let schema = &op.res["schema"];
    let envelope = |result: Value| {
        let mut v = spec.built(i);
        if let Value::Object(o) = &mut v {
            o.insert("result".into(), result);
        }
        v
    };
    match (&method, one) {
        (&Method::POST, false) => {
            let body = json_body(ctx)?;
            let id = match coll.id {
                IdFrom::Hex => ids::hex_id(),
                IdFrom::Name => body
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::bad_request(10005, "name is required"))?,
            };
            let members = state.collections.entry(key).or_default();
            if members.contains_key(&id) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    10004,
                    format!("The {} {id} already exists", coll.what),
                ));
            }
            let mut v = spec.built(i);
            set_id(&mut v, coll.id, &id);
            overlay(spec, schema, &mut v, &body);
            members.insert(id, v["result"].clone());
            Ok(Reply::json(status_of(op), &v))
        }
        (&Method::GET, false) => {
            let all: Vec<Value> = state
                .collections
                .get(&key)
                .map(|m| m.values().cloned().collect())
                .unwrap_or_default();
            let p = Page::from_query(
                ctx,
                Bounds {
                    default: 20,
                    min: 1,
                    max: 1000,
                },
            );
            let (items, info) = p.slice(&all);
            let mut v = spec.built(i);
            let items = Value::Array(items.to_vec());
            match v.get_mut("result") {
                Some(Value::Object(r)) => {
                    // A result object holding the list (R2: `{"buckets": [...]}`).
                    if let Some(slot) = r.values_mut().find(|x| x.is_array()) {
                        *slot = items;
                    }
                }
                Some(slot) => *slot = items,
                None => {}
            }
            if let Some(Value::Object(ri)) = v.get_mut("result_info") {
                let info = serde_json::to_value(info).unwrap_or(Value::Null);
                for (k, x) in info.as_object().into_iter().flatten() {
                    ri.insert(k.clone(), x.clone());
                }
            }
            Ok(Reply::json(status_of(op), &v))
        }
        (_, true) => {
            let id = ctx.segs.get(base_len).cloned().unwrap_or_default();
            let members = state.collections.entry(key).or_default();
            let Some(current) = members.get(&id).cloned() else {
                return Err(not_found(coll.what, &id));
            };
            match method {
                Method::GET => Ok(Reply::json(status_of(op), &envelope(current))),
                Method::DELETE => {
                    members.shift_remove(&id);
                    let mut v = spec.built(i);
                    patch(&spec.schemas, schema, &mut v, |o| {
                        if let Some(Value::Object(r)) = o.get_mut("result") {
                            if r.contains_key("id") {
                                r.insert("id".into(), Value::String(id.clone()));
                            }
                        }
                    });
                    Ok(Reply::json(status_of(op), &v))
                }
                _ => {
                    let body = if ctx.body.iter().all(u8::is_ascii_whitespace) {
                        json!({})
                    } else {
                        json_body(ctx)?
                    };
                    let mut v = envelope(current);
                    overlay(spec, schema, &mut v, &body);
                    members.insert(id, v["result"].clone());
                    Ok(Reply::json(status_of(op), &v))
                }
            }
        }
        _ => Err(ApiError::no_route()),
    }
}

fn status_of(op: &Op) -> StatusCode {
    op.res["status"]
        .as_u64()
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
        .unwrap_or(StatusCode::OK)
}

fn json_body(ctx: &Ctx) -> Result<Value, ApiError> {
    match ctx.json()? {
        v @ Value::Object(_) => Ok(v),
        _ => Err(ApiError::bad_request(
            10001,
            "the body must be a JSON object",
        )),
    }
}

/// The new member's id in the result (`id`, or `name` for R2); kept even where the schema would not have it, as an
/// object without its id is of no use.
fn set_id(v: &mut Value, how: IdFrom, id: &str) {
    let field = match how {
        IdFrom::Hex => "id",
        IdFrom::Name => "name",
    };
    if let Some(Value::Object(r)) = v.get_mut("result") {
        r.insert(field.into(), Value::String(id.to_string()));
    }
}

/// Each request field the result documents, copied in where the response schema accepts the value.
fn overlay(spec: &Spec, schema: &Value, v: &mut Value, body: &Value) {
    let Some(fields) = body.as_object() else {
        return;
    };
    for (k, x) in fields {
        if k == "id" {
            continue;
        }
        patch(&spec.schemas, schema, v, |o: &mut Map<String, Value>| {
            if let Some(Value::Object(r)) = o.get_mut("result") {
                if r.contains_key(k) {
                    r.insert(k.clone(), x.clone());
                }
            }
        });
    }
}

/// Workers KV values (`PUT/GET/DELETE …/values/{key}`, raw bytes) and their key listing (cursor-paged).
fn kv(
    spec: &Spec,
    i: usize,
    ctx: &Ctx,
    state: &mut State,
    method: &Method,
) -> Result<Reply, ApiError> {
    // accounts/{a}/storage/kv/namespaces/{ns}/values/{key} (or …/keys).
    let ns_key = ctx.segs[..6].join("/");
    let ns_id = ctx.segs.get(5).cloned().unwrap_or_default();
    let ns_exists = state
        .collections
        .get(&ctx.segs[..5].join("/"))
        .is_some_and(|m| m.contains_key(&ns_id));
    if !ns_exists {
        return Err(not_found("namespace", &ns_id));
    }
    let values = state.kv.entry(ns_key).or_default();
    let op = &spec.ops[i];
    if op.path == KV_KEYS {
        let limit = ctx
            .q("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(1000)
            .clamp(1, 1000);
        let start = ctx
            .q("cursor")
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(0);
        let prefix = ctx.q("prefix").unwrap_or("");
        let names: Vec<&String> = values.keys().filter(|k| k.starts_with(prefix)).collect();
        let page: Vec<Value> = names
            .iter()
            .skip(start)
            .take(limit)
            .map(|k| json!({"name": k}))
            .collect();
        let next = start + page.len();
        let cursor = if next < names.len() {
            next.to_string()
        } else {
            String::new()
        };
        let body = json!({
            "success": true, "errors": [], "messages": [], "result": page,
            "result_info": {"count": page.len(), "cursor": cursor},
        });
        return Ok(Reply::json(StatusCode::OK, &body));
    }
    let name = ctx.segs.get(7).cloned().unwrap_or_default();
    match *method {
        Method::PUT => {
            values.insert(name, kv_value(ctx)?);
            Ok(Reply::json(StatusCode::OK, &spec.built(i)))
        }
        Method::GET => match values.get(&name) {
            Some(b) => Ok(Reply::raw(
                StatusCode::OK,
                "application/octet-stream",
                b.clone(),
            )),
            None => Err(ApiError::not_found(
                10009,
                format!("get: 'key not found': {name}"),
            )),
        },
        Method::DELETE => {
            values.shift_remove(&name);
            Ok(Reply::json(StatusCode::OK, &spec.built(i)))
        }
        _ => Err(ApiError::no_route()),
    }
}

/// The value a `PUT …/values/{key}` stores: the raw body, or the `value` part of a multipart one (as the official
/// SDKs send it, with `metadata` beside it).
fn kv_value(ctx: &Ctx) -> Result<Bytes, ApiError> {
    let ct = ctx
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(boundary) = multipart::boundary(ct) else {
        return Ok(ctx.body.clone());
    };
    let parts = multipart::parse(&boundary, &ctx.body).map_err(|e| {
        ApiError::bad_request(10001, format!("the multipart body is not valid: {e}"))
    })?;
    parts
        .into_iter()
        .find(|p| p.name == "value")
        .map(|p| p.data)
        .ok_or_else(|| ApiError::bad_request(10001, "the multipart body has no value part"))
}
