//! Node front door of flarekit. The native layer holds core clients and translates values and errors;
//! `index.js` turns error descriptions into the JS error classes and builds the resource objects.
//! Every rule (credentials, retries, envelopes, paging, the query/body split) stays in the core.

#![deny(clippy::all)]

#[cfg(feature = "bench-hooks")]
pub mod bench_hooks;
mod call;
mod cancel;
mod client;
mod errors;
mod logging;
mod options;
mod testing;
mod tokens;

use napi_derive::napi;

/// The core's version, sent in the User-Agent.
#[napi]
pub const VERSION: &str = flarekit::VERSION;

/// The operation table as compact JSON: `[[resource, method, positional[], pagination|null, verb, body_param|null], ...]`.
/// Read once, lazily, by `index.js` so `require` stays fast.
#[napi]
pub fn operation_table() -> String {
    let rows: Vec<serde_json::Value> = flarekit::operations::OPERATIONS
        .iter()
        .map(|op| {
            serde_json::json!([
                op.resource,
                op.method,
                op.positional,
                op.pagination.map(|p| p.as_str()),
                op.verb.as_str(),
                op.body_param,
            ])
        })
        .collect();
    serde_json::Value::Array(rows).to_string()
}

/// The core's option table (names, environment variables, units, defaults, variant rules).
#[napi]
pub fn option_table() -> serde_json::Value {
    flarekit::options::table_json()
}

/// Every error kind name of the core, in the core's order (the JS `code` values).
#[napi]
pub fn error_kinds() -> Vec<&'static str> {
    flarekit::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect()
}

/// One operation by name (JS or Python spelling), as a row of `operation_table`; unknown names throw
/// `InvalidArgumentError` with the core's message.
#[napi]
pub fn lookup_operation(resource: String, method: String) -> errors::Result<String> {
    let op = flarekit::lookup(&resource, &method).map_err(errors::throw)?;
    Ok(serde_json::json!([
        op.resource,
        op.method,
        op.positional,
        op.pagination.map(|p| p.as_str()),
        op.verb.as_str(),
        op.body_param,
    ])
    .to_string())
}
