//! `flarekit api` (any path, in the manner of `gh api`) and `flarekit call` (any operation by name).

use flarekit::{Cloudflare, Error, ErrorKind, Result, Verb};
use futures_util::StreamExt;
use serde_json::{json, Map, Number, Value};

use crate::args::{ApiArgs, CallArgs, ParamArgs};
use crate::output;

fn usage(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// `-f` and `-F` as one object, in the order given (later keys win).
fn params(p: &ParamArgs) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    let split = |flag: &str, kv: &str| -> Result<(String, String)> {
        match kv.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
            _ => Err(usage(format!("{flag} {kv:?} must be KEY=VALUE"))),
        }
    };
    for kv in &p.raw_fields {
        let (k, v) = split("-f", kv)?;
        out.insert(k, Value::String(v));
    }
    for kv in &p.fields {
        let (k, v) = split("-F", kv)?;
        out.insert(k, typed(&v)?);
    }
    Ok(out)
}

/// `-F` values: true/false/null, numbers, JSON arrays and objects, `@file` (`@-` is stdin), else the string.
fn typed(v: &str) -> Result<Value> {
    if let Some(path) = v.strip_prefix('@') {
        let text = if path == "-" {
            std::io::read_to_string(std::io::stdin())
        } else {
            std::fs::read_to_string(path)
        }
        .map_err(|e| usage(format!("-F @{path}: cannot read the file ({e})")))?;
        return Ok(Value::String(text));
    }
    Ok(match v {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ if v.starts_with('[') || v.starts_with('{') => serde_json::from_str(v).map_err(|e| {
            usage(format!(
                "-F value {v:?} looks like JSON but is not valid JSON ({e})"
            ))
        })?,
        _ => {
            if let Ok(i) = v.parse::<i64>() {
                Value::Number(i.into())
            } else if let Some(n) = v
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(Number::from_f64)
            {
                Value::Number(n)
            } else {
                Value::String(v.to_string())
            }
        }
    })
}

fn verb(method: Option<&str>, has_params: bool) -> Result<Verb> {
    Ok(match method.map(str::to_ascii_uppercase).as_deref() {
        None if has_params => Verb::Post,
        None | Some("GET") => Verb::Get,
        Some("POST") => Verb::Post,
        Some("PUT") => Verb::Put,
        Some("PATCH") => Verb::Patch,
        Some("DELETE") => Verb::Delete,
        Some(other) => {
            return Err(usage(format!(
                "-X {other} is not a method the API uses (GET, POST, PUT, PATCH or DELETE)"
            )))
        }
    })
}

/// `flarekit api`.
pub async fn api(cf: &Cloudflare, a: ApiArgs) -> Result<()> {
    let p = params(&a.params)?;
    let verb = verb(a.method.as_deref(), !p.is_empty())?;
    let build = |extra: &Map<String, Value>| {
        let mut c = cf.request(verb, a.path.clone());
        if verb == Verb::Get {
            let mut q = p.clone();
            q.extend(extra.clone());
            c = c.query(Value::Object(q));
        } else {
            if !extra.is_empty() {
                c = c.query(Value::Object(extra.clone()));
            }
            if !p.is_empty() {
                c = c.json(Value::Object(p.clone()));
            }
        }
        c
    };
    if !a.paginate {
        let r = build(&Map::new()).send().await?;
        if a.include {
            output::line(&format!("HTTP {}", r.status));
            for (k, v) in &r.headers {
                output::line(&format!("{k}: {v}"));
            }
            output::line("");
        }
        output::json(&r.result);
        return Ok(());
    }
    let mut items = Vec::new();
    let mut extra = Map::new();
    let mut page = 1u64;
    let mut seen_cursors = Vec::new();
    loop {
        let r = build(&extra).send().await?;
        let batch = match r.result {
            Value::Array(v) => v,
            other => other
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .ok_or_else(|| {
                    usage("--paginate needs a list endpoint (the result is not a list)")
                })?,
        };
        let empty = batch.is_empty();
        items.extend(batch);
        let info = r.result_info.unwrap_or(Value::Null);
        let cursor = info
            .get("cursor")
            .or_else(|| info.get("cursors").and_then(|c| c.get("after")))
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if empty {
            break;
        }
        if let Some(c) = cursor {
            if seen_cursors.contains(&c) {
                break;
            }
            seen_cursors.push(c.clone());
            let key = if info.get("cursors").is_some() {
                "after"
            } else {
                "cursor"
            };
            extra.insert(key.into(), json!(c));
            continue;
        }
        let total = info
            .get("total_pages")
            .and_then(Value::as_u64)
            .unwrap_or(page);
        if page >= total {
            break;
        }
        page += 1;
        extra.insert("page".into(), json!(page));
    }
    output::json(&Value::Array(items));
    Ok(())
}

/// `flarekit call`.
pub async fn call(cf: &Cloudflare, a: CallArgs) -> Result<()> {
    let (resource, method) = a.operation.rsplit_once('.').ok_or_else(|| {
        usage(format!(
            "{:?} must be RESOURCE.METHOD, e.g. zones.list or dns.records.create",
            a.operation
        ))
    })?;
    let positional: Vec<Value> = a
        .positional
        .iter()
        .map(|s| Value::String(s.clone()))
        .collect();
    let c = cf
        .operation(resource, method)?
        .positional(positional)
        .params_map(params(&a.params)?);
    if a.paginate {
        let mut items = Vec::new();
        let mut stream = Box::pin(c.items()?);
        while let Some(item) = stream.next().await {
            items.push(item?);
        }
        output::json(&Value::Array(items));
    } else {
        output::json(&c.send().await?.result);
    }
    Ok(())
}
