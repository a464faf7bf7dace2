//! The token operations by name, with JSON arguments: what the Python and Node front doors (and the vector runners)
//! call, so their wrappers only translate values. The secret comes back beside the JSON, never inside it.

use secrecy::SecretString;
use serde_json::{json, Map, Value};

use super::spec::{duration_arg, TokenSpec};
use super::{Creation, Owner};
use crate::client::Cloudflare;
use crate::credentials::Naming;
use crate::error::{Error, ErrorKind, Result};

/// A token operation's answer: JSON without any secret, and the secret (created or rolled value) apart.
#[derive(Debug)]
pub struct Reply {
    /// The result.
    pub value: Value,
    /// The token value, for `create` and `roll`.
    pub secret: Option<SecretString>,
}

/// The operation names [`call`] takes.
pub const OPERATIONS: [&str; 8] = [
    "create",
    "verify",
    "whoami",
    "roll",
    "revoke",
    "list",
    "expiring",
    "permission_groups",
];

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// `dry_run` as `n` spells it (`dryRun` in JS).
fn spelled(n: Naming, snake: &str) -> String {
    if n == Naming::Snake {
        return snake.to_string();
    }
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Argument `snake` (or its camelCase spelling when `n` is camel).
fn arg<'v>(args: &'v Map<String, Value>, n: Naming, snake: &'static str) -> Option<&'v Value> {
    args.get(snake)
        .or_else(|| args.get(&spelled(n, snake)))
        .filter(|v| !v.is_null())
}

fn str_arg(args: &Map<String, Value>, n: Naming, snake: &'static str) -> Result<Option<String>> {
    match arg(args, n, snake) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(invalid(format!(
            "{} must be a string, not {other}",
            spelled(n, snake)
        ))),
    }
}

fn owner(args: &Map<String, Value>, n: Naming) -> Result<Owner> {
    Ok(Owner::from_account(
        str_arg(args, n, "account_id")?.as_deref(),
    ))
}

fn no_secret(value: Value) -> Reply {
    Reply {
        value,
        secret: None,
    }
}

/// Runs token operation `op` (one of [`OPERATIONS`]) with `args`: `create {spec, account_id?, dry_run?}`,
/// `verify {}`, `whoami {}`, `roll {id, account_id?}`, `revoke {id, account_id?}`, `list {account_id?}`,
/// `expiring {within, account_id?}`, `permission_groups {account_id?, scope?}`. Names as `n` spells them (camelCase
/// for JS, where a number for `ttl` / `within` is milliseconds).
pub async fn call(cf: &Cloudflare, op: &str, args: &Value, n: Naming) -> Result<Reply> {
    let empty = Map::new();
    let args = match args {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => return Err(invalid("token operation arguments must be an object")),
    };
    let millis = n == Naming::Camel;
    let t = cf.tokens();
    match op {
        "create" => {
            let spec = arg(args, n, "spec")
                .ok_or_else(|| invalid("create needs a token spec (name, allow, ...)"))?;
            let spec = TokenSpec::from_json(spec, millis)?;
            let dry_run = match arg(args, n, "dry_run") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(invalid(format!(
                        "{} must be true or false, not {other}",
                        spelled(n, "dry_run")
                    )))
                }
            };
            match t.create_or_plan(&spec, &owner(args, n)?, dry_run).await? {
                Creation::Planned(req) => Ok(no_secret(req.to_json())),
                Creation::Created(tok) => Ok(Reply {
                    value: tok.to_json(),
                    secret: Some(tok.value().clone()),
                }),
            }
        }
        "verify" => Ok(no_secret(t.verify().await?.to_json())),
        "whoami" => Ok(no_secret(t.whoami().await?.to_json())),
        "roll" | "revoke" => {
            let id =
                str_arg(args, n, "id")?.ok_or_else(|| invalid(format!("{op} needs a token id")))?;
            let owner = owner(args, n)?;
            if op == "roll" {
                let secret = t.roll(&id, &owner).await?;
                Ok(Reply {
                    value: json!({"id": id.trim()}),
                    secret: Some(secret),
                })
            } else {
                Ok(no_secret(json!({"id": t.revoke(&id, &owner).await?})))
            }
        }
        "list" => Ok(no_secret(Value::Array(t.list(&owner(args, n)?).await?))),
        "expiring" => {
            let within = arg(args, n, "within")
                .ok_or_else(|| invalid("expiring needs within: a duration such as \"7d\""))?;
            let within = duration_arg("within", within, millis)?;
            Ok(no_secret(Value::Array(
                t.expiring(within, &owner(args, n)?).await?,
            )))
        }
        "permission_groups" => {
            let scope = str_arg(args, n, "scope")?;
            Ok(no_secret(Value::Array(
                t.permission_groups(&owner(args, n)?, scope.as_deref())
                    .await?,
            )))
        }
        other => Err(invalid(format!(
            "unknown token operation {other:?} (expected one of {})",
            OPERATIONS.join(", ")
        ))),
    }
}
