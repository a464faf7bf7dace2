//! Calling any operation of the table by name: `cf.operation("dns.records", "create")?.param(...).send()`.

use bytes::Bytes;
use futures_util::Stream;
use serde_json::{Map, Value};

use crate::client::Cloudflare;
use crate::envelope::ApiResponse;
use crate::error::{Error, ErrorKind, Result};
use crate::operations::{find, is_resource_prefix, methods_of, CallArgs, FileArg, Operation};
use crate::pagination::Pager;
use crate::transport::{Part, PreparedRequest};

/// Look up an operation, with an error that says what exists when it does not.
pub fn lookup(resource: &str, method: &str) -> Result<&'static Operation> {
    if let Some(op) = find(resource, method) {
        return Ok(op);
    }
    let msg = if is_resource_prefix(resource) {
        let methods = methods_of(resource);
        if methods.is_empty() {
            format!("{resource} is a group of resources, not a resource with methods")
        } else {
            format!(
                "{resource} has no method {method:?}; its methods are {}",
                methods.join(", ")
            )
        }
    } else {
        format!("unknown resource {resource:?} (no operation {resource}.{method} in the Cloudflare API table)")
    };
    Err(Error::new(ErrorKind::InvalidArgument, msg))
}

/// One operation call being built.
#[must_use = "a call does nothing until sent"]
#[derive(Debug, Clone)]
pub struct OperationCall {
    client: Cloudflare,
    op: &'static Operation,
    args: CallArgs,
    /// Set when `params` was given something other than an object; reported by `prepare`.
    bad_params: Option<&'static str>,
}

impl Cloudflare {
    /// Call an operation by resource path and method (JS or Python spelling): `cf.operation("zones", "list")`.
    pub fn operation(&self, resource: &str, method: &str) -> Result<OperationCall> {
        let op = lookup(resource, method)?;
        Ok(OperationCall {
            client: self.clone(),
            op,
            args: CallArgs::default(),
            bad_params: None,
        })
    }

    /// Form an operation's request without sending it.
    pub fn prepare_operation(&self, op: &Operation, args: CallArgs) -> Result<PreparedRequest> {
        op.prepare_named(args, self.account_id(), self.naming())
    }
}

impl OperationCall {
    /// The operation being called.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }
    /// Positional values, in the order of the operation's `positional` list.
    pub fn positional(mut self, v: impl IntoIterator<Item = Value>) -> Self {
        self.args.positional.extend(v);
        self
    }
    /// One named parameter.
    pub fn param(mut self, name: impl Into<String>, v: impl Into<Value>) -> Self {
        self.args.params.insert(name.into(), v.into());
        self
    }
    /// Named parameters from a JSON object (anything else is an error at `prepare`).
    pub fn params(mut self, v: Value) -> Self {
        match v {
            Value::Object(m) => self.args.params.extend(m),
            Value::Null => {}
            other => self.bad_params = Some(crate::query::type_name(&other)),
        }
        self
    }
    /// Named parameters from a map.
    pub fn params_map(mut self, m: Map<String, Value>) -> Self {
        self.args.params.extend(m);
        self
    }
    /// A multipart file part.
    pub fn file(mut self, part: Part) -> Self {
        self.args.files.push(part);
        self
    }
    /// A file found among the arguments (see [`FileArg`]): the core decides whether it is the raw body or a
    /// multipart part, and the part's name.
    pub fn file_arg(mut self, file: FileArg) -> Self {
        self.args.file_args.push(file);
        self
    }
    /// A raw body (octet-stream, JavaScript, text operations).
    pub fn raw_body(mut self, data: impl Into<Bytes>, content_type: Option<String>) -> Self {
        self.args.raw_body = Some((data.into(), content_type));
        self
    }

    /// The request this call sends.
    pub fn prepare(&self) -> Result<PreparedRequest> {
        if let Some(got) = self.bad_params {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "{}: params must be an object, got {got}",
                    self.op.full_name()
                ),
            ));
        }
        self.client.prepare_operation(self.op, self.args.clone())
    }

    /// Send and decode.
    pub async fn send(self) -> Result<ApiResponse> {
        let req = self.prepare()?;
        self.client.execute(&req).await
    }

    /// Send, leaving a JSON `result` as the server's text, unchecked (`ApiResponse::result_json`; see
    /// [`Cloudflare::execute_raw_unchecked`](crate::Cloudflare::execute_raw_unchecked)), for front doors that
    /// decode it with serde_json themselves.
    pub async fn send_raw_unchecked(self) -> Result<ApiResponse> {
        let req = self.prepare()?;
        self.client.execute_raw_unchecked(&req).await
    }

    /// Send and deserialise `result` into `T` (straight from the response's JSON text, no `Value` in between).
    pub async fn send_as<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        let req = self.prepare()?;
        let resp = self.client.execute_raw(&req).await?;
        match &resp.result_json {
            Some(text) => serde_json::from_str(text).map_err(|e| crate::envelope::shape_error(&e)),
            None => resp.into_result(),
        }
    }

    /// A pager over the pages of a list operation (one page for non-list operations).
    pub fn pages(self) -> Result<Pager> {
        let req = self.prepare()?;
        let kind = self
            .op
            .pagination
            .unwrap_or(crate::operations::PaginationKind::SinglePage);
        Ok(Pager::new(self.client, kind, req).items_under(self.op.items_key))
    }

    /// Every item of every page, fetched lazily.
    pub fn items(self) -> Result<impl Stream<Item = Result<Value>> + Send> {
        Ok(self.pages()?.items())
    }
}
