//! Turning an operation plus its arguments into a request: path filling, query/body split, multipart.

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use serde_json::{Map, Value};

use super::{ArgLoc, BodyKind, Operation, QueryStyle};
use crate::credentials::Naming;
use crate::error::{Error, ErrorKind, Result};
use crate::query::{flatten, scalar_text, type_name, COMPONENT};
use crate::transport::{Part, PreparedRequest, RequestBody};

/// Rename the fields inside a body value that `nested` lists at `path` (official name to wire name), and below.
fn rename_nested(v: &mut Value, path: &str, nested: &[(&str, &str, &str)]) {
    let below = |at: &str| {
        path.is_empty()
            || (at.len() > path.len()
                && at.starts_with(path)
                && matches!(at.as_bytes()[path.len()], b'.' | b'['))
    };
    if !nested.iter().any(|(at, _, _)| *at == path || below(at)) {
        return;
    }
    match v {
        Value::Object(m) => {
            for (at, name, wire) in nested {
                if *at == path && !m.contains_key(*wire) {
                    if let Some(x) = m.remove(*name) {
                        m.insert((*wire).to_string(), x);
                    }
                }
            }
            // `name.*` addresses every value of a map (`tools.*.blockingTriggers`).
            let any = if path.is_empty() {
                "*".to_string()
            } else {
                format!("{path}.*")
            };
            let maps = nested.iter().any(|(at, _, _)| at.starts_with(any.as_str()));
            for (k, child) in m.iter_mut() {
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                rename_nested(child, &here, nested);
                if maps {
                    rename_nested(child, &any, nested);
                }
            }
        }
        Value::Array(items) => {
            let inner = format!("{path}[]");
            for item in items {
                rename_nested(item, &inner, nested);
            }
        }
        _ => {}
    }
}

/// Arguments routed by the table rather than by their names.
#[derive(Default)]
struct Routed {
    query: Vec<(&'static str, Value)>,
    body: Vec<(&'static str, Value)>,
    headers: Vec<(String, String)>,
}

/// A file that a front door found among the arguments of a call (bytes, an open file, a `(name, content, type)`
/// tuple, a Blob): the core decides where it goes. As the whole body of a raw-body operation it is sent with the
/// operation's media type; in a multipart body it is a part named after its argument (the innermost name for a
/// file inside an object argument, `files[]` for list entries in the TypeScript SDK's convention), except
/// Workers module uploads, whose `files` parts are named after each file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileArg {
    /// The argument: its name, then the keys down to the file for one inside an object argument
    /// (`["file", "files"]`); for a positional argument, empty (see `positional`).
    pub at: Vec<String>,
    /// The index of the positional argument that is the file (the front door leaves `null` in its place).
    pub positional: Option<usize>,
    /// Whether it is one entry of a list argument (`files=[...]`).
    pub list: bool,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// The arguments of one operation call.
#[derive(Debug, Clone, Default)]
pub struct CallArgs {
    /// Values for the operation's positional parameters, in order.
    pub positional: Vec<Value>,
    /// Named parameters: path, query and body fields alike.
    pub params: Map<String, Value>,
    /// Extra multipart parts (files) for multipart operations.
    pub files: Vec<Part>,
    /// A raw body for octet-stream / JavaScript / text operations.
    pub raw_body: Option<(Bytes, Option<String>)>,
    /// Files found among the arguments, wherever they were (see [`FileArg`]).
    pub file_args: Vec<FileArg>,
}

impl Operation {
    /// `dns.records.create`.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.resource, self.method)
    }

    fn invalid(&self, why: String) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            format!("{}: {why}", self.full_name()),
        )
    }

    /// Whether `key` (a top-level param name) addresses a query parameter, directly or as a nested object.
    fn is_query_key(&self, key: &str) -> bool {
        self.query.iter().any(|q| {
            q.name == key
                || (q.name.len() > key.len()
                    && q.name.starts_with(key)
                    && q.name.as_bytes()[key.len()] == b'.')
        })
    }

    fn query_style(&self, key: &str) -> QueryStyle {
        self.query
            .iter()
            .find(|q| q.name == key)
            .map(|q| q.style)
            .unwrap_or(QueryStyle::Repeat)
    }

    /// Every parameter name the operation knows (path, aliases, query), for messages.
    fn known_params(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.path_params.to_vec();
        v.extend(self.aliases.iter().map(|(a, _)| *a));
        v.extend(
            self.query
                .iter()
                .map(|q| q.name.split('.').next().unwrap_or(q.name)),
        );
        v.extend(self.body_param);
        v.dedup();
        v
    }

    /// Whether the operation takes a JSON (object) body.
    pub fn takes_json(&self) -> bool {
        self.body
            .iter()
            .any(|b| matches!(b, BodyKind::Json | BodyKind::MergePatchJson))
    }

    /// Form the request for this operation. `default_account_id` fills `account_id` when not given.
    /// Errors (before any request) name the operation and what is wrong.
    pub fn prepare(
        &self,
        args: CallArgs,
        default_account_id: Option<&str>,
    ) -> Result<PreparedRequest> {
        self.prepare_named(args, default_account_id, Naming::Snake)
    }

    /// [`Operation::prepare`], with messages naming options as the front door spells them.
    pub fn prepare_named(
        &self,
        args: CallArgs,
        default_account_id: Option<&str>,
        naming: Naming,
    ) -> Result<PreparedRequest> {
        let mut params = args.params;
        if args.positional.len() > self.positional.len() {
            return Err(self.invalid(format!(
                "takes {} positional argument{} ({}) but {} were given",
                self.positional.len(),
                if self.positional.len() == 1 { "" } else { "s" },
                self.positional.join(", "),
                args.positional.len()
            )));
        }
        let mut file_args = args.file_args;
        let positional_files: Vec<usize> = file_args.iter().filter_map(|f| f.positional).collect();
        for (i, (name, value)) in self.positional.iter().zip(args.positional).enumerate() {
            if positional_files.contains(&i) {
                continue;
            }
            if params.contains_key(*name) {
                // A name that is both this path parameter and a body field (the TypeScript SDK's params carry the
                // body field under its own name beside the positional id): the named one is the body field.
                let body_field = self
                    .args
                    .iter()
                    .find(|a| a.loc == ArgLoc::Body && a.wire == *name && a.name != *name);
                match (body_field, params.remove(*name)) {
                    (Some(a), Some(v)) if !params.contains_key(a.name) => {
                        params.insert(a.name.to_string(), v);
                    }
                    _ => {
                        return Err(
                            self.invalid(format!("{name} was given both positionally and by name"))
                        )
                    }
                }
            }
            params.insert((*name).to_string(), value);
        }
        for f in &mut file_args {
            if let Some(i) = f.positional {
                let name = self.positional.get(i).ok_or_else(|| {
                    self.invalid(format!("positional argument {i} cannot be a file"))
                })?;
                if params.contains_key(*name) {
                    return Err(
                        self.invalid(format!("{name} was given both positionally and by name"))
                    );
                }
                f.at = vec![(*name).to_string()];
            }
            let Some(top) = f.at.first_mut() else {
                return Err(self.invalid("a file argument without a name".into()));
            };
            let renamed = self
                .aliases
                .iter()
                .find(|(alias, _)| *alias == top.as_str())
                .map(|(_, target)| *target)
                .or_else(|| {
                    self.args
                        .iter()
                        .find(|a| a.name == top.as_str() && a.loc == ArgLoc::Body)
                        .map(|a| a.wire)
                });
            if let Some(wire) = renamed {
                *top = wire.to_string();
            }
        }
        for (alias, target) in self.aliases {
            if let Some(v) = params.remove(*alias) {
                if params.contains_key(*target) {
                    return Err(self.invalid(format!(
                        "{alias} and {target} name the same parameter; give one"
                    )));
                }
                params.insert((*target).to_string(), v);
            }
        }
        let routed = self.route_args(&mut params)?;
        self.fill_scope(&mut params, default_account_id);

        let path = self.fill_path(&mut params, naming)?;

        // The whole body carried by one parameter (array bodies, raw uploads).
        let mut body_value: Option<Value> = None;
        if let Some(bp) = self.body_param {
            body_value = params.remove(bp);
        }

        let mut query_map = Map::new();
        let keys: Vec<String> = params.keys().cloned().collect();
        for k in keys {
            if self.is_query_key(&k) {
                if let Some(v) = params.remove(&k) {
                    query_map.insert(k, v);
                }
            }
        }
        for (wire, v) in routed.query {
            query_map.insert(wire.to_string(), v);
        }
        for (wire, v) in routed.body {
            params.insert(wire.to_string(), v);
        }
        if !self.nested.is_empty() {
            for (k, v) in params.iter_mut() {
                rename_nested(v, k, self.nested);
            }
            if let Some(v) = body_value.as_mut() {
                rename_nested(v, "", self.nested);
            }
        }
        let headers = routed.headers;
        let mut query = flatten(&Value::Object(query_map), &|k| self.query_style(k))?;
        // Dotted filters given as objects (`hostname={"starts_with": …}`) by their official names.
        for (k, _) in query.iter_mut() {
            if let Some(a) = self
                .args
                .iter()
                .find(|a| a.loc == ArgLoc::Query && a.name.contains('.') && a.name == k.as_str())
            {
                *k = a.wire.to_string();
            }
        }
        let mut raw_body = args.raw_body;
        let mut files = args.files;
        if !file_args.is_empty() {
            self.place_files(
                file_args,
                &mut body_value,
                &mut raw_body,
                &mut files,
                naming,
            )?;
        }
        let body = self.build_body(params, body_value, files, raw_body, naming)?;
        Ok(PreparedRequest {
            verb: self.verb,
            path,
            query,
            headers,
            body,
        })
    }

    /// Take the arguments of [`Operation::args`] out of `params`: path ones go back in under their wire name;
    /// query and body ones (which may share a name with a path or query parameter) and headers are returned.
    fn route_args(&self, params: &mut Map<String, Value>) -> Result<Routed> {
        let mut out = Routed::default();
        for a in self.args {
            let by_name = params.remove(a.name);
            // The wire name of a header (the official TypeScript SDK's key) is a header too.
            let by_wire = if a.loc == ArgLoc::Header && a.wire != a.name {
                params.remove(a.wire)
            } else {
                None
            };
            let v = match (by_name, by_wire) {
                (Some(_), Some(_)) => {
                    return Err(self.invalid(format!(
                        "{} and {} name the same header; give one",
                        a.name, a.wire
                    )))
                }
                (Some(v), None) | (None, Some(v)) => v,
                (None, None) => continue,
            };
            if v.is_null() {
                continue;
            }
            match a.loc {
                ArgLoc::Header => {
                    let text = scalar_text(&v).ok_or_else(|| {
                        self.invalid(format!(
                            "{} is sent as the header {} and must be a string, number or boolean, got {}",
                            a.name,
                            a.wire,
                            type_name(&v)
                        ))
                    })?;
                    out.headers.push((a.wire.to_string(), text));
                }
                ArgLoc::Path => {
                    if a.wire != a.name && params.contains_key(a.wire) {
                        return Err(self.invalid(format!(
                            "{} and {} name the same parameter; give one",
                            a.name, a.wire
                        )));
                    }
                    params.insert(a.wire.to_string(), v);
                }
                ArgLoc::Query => out.query.push((a.wire, v)),
                ArgLoc::Body => out.body.push((a.wire, v)),
            }
        }
        Ok(out)
    }

    /// `account_id` from the client's default; `{accounts_or_zones}/{account_or_zone_id}` from whichever id is given.
    fn fill_scope(&self, params: &mut Map<String, Value>, default_account_id: Option<&str>) {
        let needs = |p: &str| self.path_params.contains(&p);
        if needs("accounts_or_zones") && !params.contains_key("accounts_or_zones") {
            let (scope, id) = if let Some(id) = params.remove("account_id") {
                ("accounts", Some(id))
            } else if let Some(id) = params.remove("zone_id") {
                ("zones", Some(id))
            } else if params.contains_key("account_or_zone_id") {
                ("accounts", None)
            } else {
                (
                    "accounts",
                    default_account_id.map(|a| Value::String(a.to_string())),
                )
            };
            if let Some(id) = id {
                params.insert("accounts_or_zones".into(), Value::String(scope.into()));
                params.insert("account_or_zone_id".into(), id);
            } else if params.contains_key("account_or_zone_id") {
                params.insert("accounts_or_zones".into(), Value::String(scope.into()));
            }
        }
        if needs("account_id") && !params.contains_key("account_id") {
            if let Some(a) = default_account_id {
                params.insert("account_id".into(), Value::String(a.to_string()));
            }
        }
    }

    fn fill_path(&self, params: &mut Map<String, Value>, naming: Naming) -> Result<String> {
        let mut missing = Vec::new();
        let mut values: Vec<(&str, String)> = Vec::with_capacity(self.path_params.len());
        for name in self.path_params {
            match params.remove(*name) {
                None | Some(Value::Null) => missing.push(*name),
                Some(v) => {
                    let text = scalar_text(&v).ok_or_else(|| {
                        self.invalid(format!(
                            "path parameter {name} must be a string or number, got {}",
                            type_name(&v)
                        ))
                    })?;
                    if text.trim().is_empty() {
                        return Err(self.invalid(format!("path parameter {name} is empty")));
                    }
                    // URLs treat `.` and `..` (even percent-encoded) as dot segments that remove a path segment.
                    if text == "." || text == ".." {
                        return Err(self.invalid(format!(
                            "path parameter {name} cannot be {text:?}: it would change the path"
                        )));
                    }
                    values.push((name, encode_segment(&text)));
                }
            }
        }
        if !missing.is_empty() {
            let mut msg = format!(
                "missing required path parameter{} {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            );
            if missing.contains(&"account_id") || missing.contains(&"account_or_zone_id") {
                msg.push_str(&format!(
                    " (pass account_id, or set the {} option or CLOUDFLARE_ACCOUNT_ID)",
                    naming.name("account_id")
                ));
            }
            return Err(self.invalid(msg));
        }
        let mut path = String::with_capacity(self.path.len() + 32);
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .unwrap_or(rest.len() - 1);
            let name = &rest[open + 1..close];
            let v = values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            path.push_str(v);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        Ok(path)
    }

    /// The operation's raw media type (octet-stream, JavaScript, text, NDJSON), if it takes one.
    fn raw_kind(&self) -> Option<BodyKind> {
        self.body
            .iter()
            .find(|b| {
                matches!(
                    b,
                    BodyKind::OctetStream
                        | BodyKind::JavaScript
                        | BodyKind::TextPlain
                        | BodyKind::NdJson
                )
            })
            .copied()
    }

    /// Put the files found among the arguments where they go (see [`FileArg`]).
    fn place_files(
        &self,
        file_args: Vec<FileArg>,
        body_value: &mut Option<Value>,
        raw_body: &mut Option<(Bytes, Option<String>)>,
        files: &mut Vec<Part>,
        naming: Naming,
    ) -> Result<()> {
        let multipart = self.body.contains(&BodyKind::Multipart);
        for f in file_args {
            let at = f.at.join(".");
            let whole = f.at.len() == 1 && Some(at.as_str()) == self.body_param;
            if whole && !multipart {
                let Some(kind) = self.raw_kind() else {
                    return Err(self.invalid(format!(
                        "{at} is a file, but the body of this operation is JSON (pass the value itself)"
                    )));
                };
                if f.list || raw_body.is_some() || body_value.as_ref().is_some_and(|v| !v.is_null())
                {
                    return Err(self.invalid(format!("{at} takes one file as the body")));
                }
                *body_value = None;
                *raw_body = Some((f.data, Some(kind.content_type().to_string())));
                continue;
            }
            if !multipart {
                return Err(self.invalid(format!(
                    "{at} is a file, but this operation takes no files (it has no multipart body)"
                )));
            }
            let innermost = f.at.last().cloned().unwrap_or_default();
            let name = if self.modules && at == "files" {
                f.filename.clone().ok_or_else(|| {
                    self.invalid(
                        "each entry of files needs a name (the module file name the metadata refers to)"
                            .into(),
                    )
                })?
            } else if f.list && naming == Naming::Camel {
                format!("{innermost}[]")
            } else {
                innermost
            };
            files.push(Part {
                name,
                filename: f.filename,
                content_type: f.content_type,
                data: f.data,
            });
        }
        Ok(())
    }

    fn build_body(
        &self,
        params: Map<String, Value>,
        body_value: Option<Value>,
        files: Vec<Part>,
        raw: Option<(Bytes, Option<String>)>,
        naming: Naming,
    ) -> Result<RequestBody> {
        let raw_kind = self.raw_kind();
        if let Some((data, ct)) = raw {
            let Some(kind) = raw_kind else {
                return Err(self.invalid("does not take a raw body".into()));
            };
            if !params.is_empty() {
                return Err(self.invalid(format!(
                    "unexpected parameters beside a raw body: {}",
                    keys(&params)
                )));
            }
            return Ok(RequestBody::Raw {
                data,
                content_type: ct.unwrap_or_else(|| kind.content_type().to_string()),
            });
        }
        let multipart = self.body.contains(&BodyKind::Multipart);
        if let (true, Some(Value::Object(map))) = (multipart && !self.takes_json(), &body_value) {
            // A multipart body that is a map (`workers.assets.upload.create(body={hash: content})`): a part each.
            if !params.is_empty() {
                return Err(self.invalid(format!(
                    "unexpected parameters {} beside the body parameter {}",
                    keys(&params),
                    self.body_param.unwrap_or("")
                )));
            }
            return Ok(RequestBody::Multipart(multipart_parts(
                map.clone(),
                files,
                self.modules,
                naming,
            )?));
        }
        if let Some(v) = body_value {
            if !params.is_empty() {
                return Err(self.invalid(format!(
                    "unexpected parameters {} beside the body parameter {}",
                    keys(&params),
                    self.body_param.unwrap_or("")
                )));
            }
            if let (Some(kind), Value::String(s)) = (raw_kind, &v) {
                if !self.takes_json() {
                    return Ok(RequestBody::Raw {
                        data: Bytes::from(s.clone().into_bytes()),
                        content_type: kind.content_type().to_string(),
                    });
                }
            }
            return Ok(RequestBody::Json {
                value: v,
                content_type: "application/json",
            });
        }
        if multipart && (!files.is_empty() || (!self.takes_json() && !params.is_empty())) {
            return Ok(RequestBody::Multipart(multipart_parts(
                params,
                files,
                self.modules,
                naming,
            )?));
        }
        if !files.is_empty() {
            return Err(self.invalid("does not take files (it has no multipart body)".into()));
        }
        if params.is_empty() {
            return Ok(RequestBody::None);
        }
        if self.takes_json() {
            let ct = if self.body.contains(&BodyKind::Json) {
                "application/json"
            } else {
                "application/merge-patch+json"
            };
            return Ok(RequestBody::Json {
                value: Value::Object(params),
                content_type: ct,
            });
        }
        if self.body.contains(&BodyKind::FormUrlEncoded) {
            let pairs = flatten(&Value::Object(params), &|_| QueryStyle::Repeat)?;
            return Ok(RequestBody::Raw {
                data: Bytes::from(crate::query::encode(&pairs).into_bytes()),
                content_type: "application/x-www-form-urlencoded".into(),
            });
        }
        let mut valid = self.known_params();
        valid.sort_unstable();
        valid.dedup();
        Err(self.invalid(format!(
            "unknown parameter{} {}; valid parameters: {}",
            if params.len() == 1 { "" } else { "s" },
            keys(&params),
            if valid.is_empty() {
                "none".to_string()
            } else {
                valid.join(", ")
            }
        )))
    }
}

fn keys(m: &Map<String, Value>) -> String {
    m.keys().cloned().collect::<Vec<_>>().join(", ")
}

/// Percent-encode one path segment, so a `/` or `?` in a value never adds a segment or a query.
fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).collect()
}

/// Multipart parts: JSON values as `application/json` parts (e.g. `metadata`), scalars as text, and `files`
/// entries (`{name, content, content_type}`) as file parts: named after the file for Workers module uploads
/// (`modules`), which is how the Workers API finds modules, else after the argument (`files`, `files[]` in the
/// TypeScript SDK's convention).
fn multipart_parts(
    mut params: Map<String, Value>,
    mut files: Vec<Part>,
    modules: bool,
    naming: Naming,
) -> Result<Vec<Part>> {
    let mut parts = Vec::new();
    if let Some(Value::Array(list)) = params.remove("files") {
        for f in list {
            let name = f.get("name").and_then(Value::as_str).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    "each entry of files needs a name (the file name)",
                )
            })?;
            let content = match f.get("content") {
                Some(Value::String(s)) => Bytes::from(s.clone().into_bytes()),
                Some(other) => Bytes::from(other.to_string().into_bytes()),
                None => {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        format!("file {name:?} has no content"),
                    ))
                }
            };
            let ct = f
                .get("content_type")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let part = if modules {
                name.to_string()
            } else if naming == Naming::Camel {
                "files[]".to_string()
            } else {
                "files".to_string()
            };
            files.push(Part {
                name: part,
                filename: Some(name.to_string()),
                content_type: ct,
                data: content,
            });
        }
    }
    for (k, v) in params {
        match v {
            Value::Null => {}
            Value::String(s) => parts.push(Part {
                name: k,
                filename: None,
                content_type: None,
                data: Bytes::from(s.into_bytes()),
            }),
            Value::Bool(_) | Value::Number(_) => parts.push(Part {
                name: k,
                filename: None,
                content_type: None,
                data: Bytes::from(v.to_string().into_bytes()),
            }),
            other => parts.push(Part {
                name: k.clone(),
                filename: None,
                content_type: Some("application/json".into()),
                data: Bytes::from(serde_json::to_vec(&other).unwrap_or_default()),
            }),
        }
    }
    parts.extend(files);
    Ok(parts)
}
