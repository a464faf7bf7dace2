//! The admin API under `/__emulator` (outside `/client/v4`, no authentication):
//! fault injection, the request log, and reset.

use bytes::Bytes;
use http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::ctx::parse_query;
use crate::envelope::Reply;
use crate::faults::FaultRule;
use crate::server::Shared;

/// Path prefix of the admin API.
pub const PREFIX: &str = "/__emulator";

fn error(status: StatusCode, message: impl Into<String>) -> Reply {
    Reply::json(status, &json!({"error": message.into()}))
}

fn json_body(body: &Bytes) -> Result<Value, Reply> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            format!("body is not valid JSON: {e}"),
        )
    })
}

/// Answers one admin request.
pub fn handle(
    shared: &Shared,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &Bytes,
) -> Reply {
    let sub = path
        .strip_prefix(PREFIX)
        .unwrap_or("")
        .trim_end_matches('/');
    match (method.as_str(), sub) {
        ("GET", "" | "/health") => Reply::json(StatusCode::OK, &json!({"ok": true})),
        ("POST", "/faults") => {
            let value = match json_body(body) {
                Ok(v) => v,
                Err(r) => return r,
            };
            let rule: FaultRule = match serde_json::from_value(value) {
                Ok(r) => r,
                Err(e) => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        format!(
                        "not a fault rule ({{\"method\", \"path\", \"times\", \"fault\"}}): {e}"
                    ),
                    )
                }
            };
            match shared.faults.push(rule.clone()) {
                Ok(()) => Reply::json(
                    StatusCode::CREATED,
                    &json!({"queued": rule, "pending": shared.faults.pending().len()}),
                ),
                Err(m) => error(StatusCode::BAD_REQUEST, m),
            }
        }
        ("GET", "/operations") => {
            // Every operation answered from the spec, with a valid request body built from its schema: what a
            // test that calls each of them sends.
            let spec = crate::spec::spec();
            let q = parse_query(query);
            let only = q.iter().find(|(k, _)| k == "path").map(|(_, v)| v.as_str());
            let ops: Vec<Value> = spec
                .ops
                .iter()
                .filter(|op| only.is_none_or(|p| p == op.path))
                .map(|op| {
                    let req = op.req.as_ref();
                    let schema = req.map(|r| &r["schema"]).filter(|s| !s.is_null());
                    json!({
                        "method": op.method,
                        "path": op.path,
                        "pagination": op.page,
                        "request_content_type": req.map(|r| r["ct"].clone()),
                        "request_body": schema.map(|s| crate::spec::synth(&spec.schemas, s, crate::spec::Side::Request)),
                        "response_status": op.res["status"],
                        "response_content_type": op.res["ct"],
                    })
                })
                .collect();
            Reply::json(
                StatusCode::OK,
                &json!({"count": ops.len(), "operations": ops}),
            )
        }
        ("GET", "/stats") => Reply::json(
            StatusCode::OK,
            &json!({
                "connections": shared.connections(),
                "requests": shared.log.matching(None).len(),
                "latency_ms": shared.latency().as_secs_f64() * 1000.0,
            }),
        ),
        ("POST", "/latency") => {
            let value = match json_body(body) {
                Ok(v) => v,
                Err(r) => return r,
            };
            let ms = value.get("ms").and_then(Value::as_f64);
            match ms
                .and_then(|ms| Some((ms, crate::latency(ms, crate::LatencyUnit::Milliseconds)?)))
            {
                Some((ms, latency)) => {
                    shared.set_latency(latency);
                    Reply::json(StatusCode::OK, &json!({"latency_ms": ms}))
                }
                _ => error(
                    StatusCode::BAD_REQUEST,
                    "body must be {\"ms\": N} with N from 0 to 600000",
                ),
            }
        }
        ("GET", "/faults") => {
            Reply::json(StatusCode::OK, &json!({"faults": shared.faults.pending()}))
        }
        ("DELETE", "/faults") => {
            shared.faults.clear();
            Reply::json(StatusCode::OK, &json!({"faults": []}))
        }
        ("GET", "/requests") => {
            let q = parse_query(query);
            let filter = q.iter().find(|(k, _)| k == "path").map(|(_, v)| v.as_str());
            let requests = shared.log.matching(filter);
            Reply::json(
                StatusCode::OK,
                &json!({"count": requests.len(), "requests": requests}),
            )
        }
        ("DELETE", "/requests") => {
            shared.log.clear();
            Reply::json(StatusCode::OK, &json!({"count": 0, "requests": []}))
        }
        ("POST", "/reset") => {
            let value = match json_body(body) {
                Ok(v) => v,
                Err(r) => return r,
            };
            let reload = value.get("state").and_then(Value::as_bool).unwrap_or(false);
            shared.faults.clear();
            shared.log.clear();
            if reload {
                shared.reload_state();
            }
            Reply::json(
                StatusCode::OK,
                &json!({"reset": true, "state_reloaded": reload}),
            )
        }
        _ => error(
            StatusCode::NOT_FOUND,
            format!(
                "no admin route {} {path}; see emulator/README.md",
                method.as_str()
            ),
        ),
    }
}
