//! The native client: holds the core client, translates Python arguments into core calls and results back.

use std::sync::Mutex;

use bytes::Bytes;
use flarekit::operations::BodyKind;
use flarekit::{Cloudflare as Core, ErrorKind, FileArg, Naming, OperationCall, RequestBody, Verb};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::convert::{to_json, type_name, unmangle};
use crate::errors::{invalid_argument, new_err, to_pyerr};
use crate::files;
use crate::ops;
use crate::page::{PageState, Reply};
use crate::runtime::{block_on, into_awaitable};

/// The core client of this process. After `fork()` the child rebuilds it from the same options (and the same
/// environment snapshot): pooled connections belong to the parent.
struct State {
    pid: u32,
    client: Option<Core>,
}

/// The native half of `flarekit.Cloudflare` / `flarekit.AsyncCloudflare`.
#[pyclass(module = "flarekit._native", name = "Client", frozen)]
pub struct Client {
    state: Mutex<State>,
}

fn python_suffix(py: Python<'_>) -> String {
    let v = py.version_info();
    format!("python {}.{}.{}", v.major, v.minor, v.patch)
}

impl Client {
    fn wrap(core: Core) -> Client {
        Client {
            state: Mutex::new(State {
                pid: std::process::id(),
                client: Some(core),
            }),
        }
    }

    /// The core client for this process; rebuilt once in a forked child.
    pub fn core(&self, py: Python<'_>) -> PyResult<Core> {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        let Some(client) = st.client.as_ref() else {
            return Err(new_err(
                py,
                ErrorKind::Connection,
                "this client is closed; create a new one (or use copy() before close())",
            ));
        };
        if st.pid == pid {
            return Ok(client.clone());
        }
        let fresh = client.to_builder().build().map_err(|e| to_pyerr(py, e))?;
        st.client = Some(fresh.clone());
        st.pid = pid;
        Ok(fresh)
    }
}

/// A `files=[...]` entry as flarekit has always taken it, besides the official SDK's forms (see `files.rs`):
/// `(name, content[, content_type])` with str content too, or `{"name", "content", "content_type"}`.
fn files_entry(py: Python<'_>, item: &Bound<'_, PyAny>, i: usize) -> PyResult<FileArg> {
    let bad = |why: &str| invalid_argument(py, format!("files[{i}] {why}"));
    if let Some(mut f) = files::as_file(py, item, &format!("files[{i}]"))? {
        f.at = vec!["files".into()];
        f.list = true;
        return Ok(f);
    }
    let (name, content, content_type): (Option<String>, Bound<'_, PyAny>, Option<String>) =
        if let Ok(t) = item.cast::<PyTuple>() {
            match t.len() {
                2 => (t.get_item(0)?.extract()?, t.get_item(1)?, None),
                3 => (
                    t.get_item(0)?.extract()?,
                    t.get_item(1)?,
                    t.get_item(2)?.extract()?,
                ),
                _ => {
                    return Err(bad(
                        "must be (name, content) or (name, content, content_type)",
                    ))
                }
            }
        } else {
            let get = |k: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
                match item.get_item(k) {
                    Ok(v) if !v.is_none() => Ok(Some(v)),
                    Ok(_) => Ok(None),
                    Err(e) if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) => Ok(None),
                    Err(_) => Err(bad(
                        "must be bytes, an open file, a path, a tuple, or a dict with name and content",
                    )),
                }
            };
            let name = get("name")?.ok_or_else(|| bad("needs a name (the file name)"))?;
            let content = get("content")?.ok_or_else(|| bad("needs content"))?;
            let ct = get("content_type")?
                .map(|c| c.extract::<String>())
                .transpose()?;
            (Some(name.extract()?), content, ct)
        };
    let data = if let Ok(b) = content.cast::<PyBytes>() {
        Bytes::copy_from_slice(b.as_bytes())
    } else if let Ok(s) = content.cast::<PyString>() {
        Bytes::from(s.to_cow()?.as_bytes().to_vec())
    } else {
        return Err(bad(&format!(
            "content must be bytes or str, got {}",
            type_name(&content)
        )));
    };
    Ok(FileArg {
        at: vec!["files".into()],
        positional: None,
        list: true,
        filename: name,
        content_type,
        data,
    })
}

/// Python arguments into a core operation call. The core decides what the parameters mean (path, query, header,
/// body, file part or raw body) and which are unknown; only value shapes are translated here.
fn build_call(
    py: Python<'_>,
    core: &Core,
    op_index: usize,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<OperationCall> {
    let op = ops::op(py, op_index)?;
    let mut call = core
        .operation(op.resource, op.method)
        .map_err(|e| to_pyerr(py, e))?;
    // Only operations with a multipart or raw body take files; elsewhere bytes stay a JSON error.
    let takes_files = op
        .body
        .iter()
        .any(|b| !matches!(b, BodyKind::Json | BodyKind::MergePatchJson));
    let mut found = Vec::new();
    let mut positional = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let name = op.positional.get(i).copied().unwrap_or("argument");
        if takes_files && files::split(py, &a, name, Some(i), &mut found)?.is_none() {
            positional.push(Value::Null);
            continue;
        }
        positional.push(to_json(&a, name)?);
    }
    let mut params = Map::new();
    if let Some(kw) = kwargs {
        for (k, v) in kw.iter() {
            let key: String = k.extract()?;
            let key = unmangle(&key).to_string();
            if v.is_none() {
                params.insert(key, Value::Null);
                continue;
            }
            let v = if takes_files {
                let legacy = key == "files"
                    && v.cast::<PyList>().is_ok()
                    && op.body.contains(&BodyKind::Multipart);
                let before = found.len();
                match files::split(py, &v, &key, None, &mut found)? {
                    None => continue,
                    Some(rest) if legacy && found.len() == before => {
                        for (i, item) in rest.try_iter()?.enumerate() {
                            found.push(files_entry(py, &item?, i)?);
                        }
                        continue;
                    }
                    Some(rest) => rest,
                }
            } else {
                v
            };
            let value = to_json(&v, &key)?;
            params.insert(key, value);
        }
    }
    for f in found {
        call = call.file_arg(f);
    }
    Ok(call.positional(positional).params_map(params))
}

fn verb(py: Python<'_>, method: &str) -> PyResult<Verb> {
    match method.to_ascii_uppercase().as_str() {
        "GET" => Ok(Verb::Get),
        "POST" => Ok(Verb::Post),
        "PUT" => Ok(Verb::Put),
        "PATCH" => Ok(Verb::Patch),
        "DELETE" => Ok(Verb::Delete),
        other => Err(invalid_argument(
            py,
            format!("method {other:?} is not one of GET, POST, PUT, PATCH, DELETE"),
        )),
    }
}

/// A generic request's body: bytes (or str with a content type) go raw, anything else as JSON.
fn generic_body(
    py: Python<'_>,
    body: Option<&Bound<'_, PyAny>>,
    content_type: Option<String>,
) -> PyResult<RequestBody> {
    let Some(body) = body.filter(|b| !b.is_none()) else {
        return Ok(RequestBody::None);
    };
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(RequestBody::Raw {
            data: Bytes::copy_from_slice(b.as_bytes()),
            content_type: content_type.unwrap_or_else(|| "application/octet-stream".into()),
        });
    }
    if let (Ok(s), Some(ct)) = (body.cast::<PyString>(), content_type.as_ref()) {
        return Ok(RequestBody::Raw {
            data: Bytes::from(s.to_cow()?.as_bytes().to_vec()),
            content_type: ct.clone(),
        });
    }
    let _ = py;
    Ok(RequestBody::Json {
        value: to_json(body, "body")?,
        content_type: "application/json",
    })
}

#[pymethods]
impl Client {
    /// Build a client from keyword options as the caller gave them (`None`: not given). The core decides what
    /// is accepted, the defaults and the messages.
    #[new]
    fn new(py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Client> {
        let given = crate::options::given(options)?;
        let core = Core::builder()
            .naming(Naming::Snake)
            .runtime(python_suffix(py))
            .apply_options(given)
            .and_then(|b| b.build())
            .map_err(|e| to_pyerr(py, e))?;
        Ok(Client::wrap(core))
    }

    /// A new client with some options changed, by the core's variant rules (credentials replace as a set,
    /// `default_headers` merge, `set_default_headers` replace, `None` keeps); the environment is not read again.
    fn copy(&self, py: Python<'_>, overrides: &Bound<'_, PyDict>) -> PyResult<Client> {
        let core = self.core(py)?;
        let given = crate::options::given(overrides)?;
        let fresh = core.with_raw_options(given).map_err(|e| to_pyerr(py, e))?;
        Ok(Client::wrap(fresh))
    }

    /// The effective configuration (Python names, seconds); never a secret.
    fn effective_options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let core = self.core(py)?;
        crate::convert::to_py(py, &core.effective_options(), true)
    }

    /// The core's option table.
    #[staticmethod]
    fn option_table(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        crate::options::table(py)
    }

    /// Release the connection pool. Later calls raise `APIConnectionError`.
    fn close(&self) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.client = None;
    }

    #[getter]
    fn closed(&self) -> bool {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .client
            .is_none()
    }

    /// Which auth scheme is used and where it came from, e.g. `api_token from CLOUDFLARE_API_TOKEN`.
    #[getter]
    fn auth(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.core(py)?.auth().description().to_string())
    }

    #[getter]
    fn auth_scheme(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(self.core(py)?.auth().scheme.as_str())
    }

    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.core(py)?.base_url().to_string())
    }

    #[getter]
    fn account_id(&self, py: Python<'_>) -> PyResult<Option<String>> {
        Ok(self.core(py)?.account_id().map(str::to_owned))
    }

    #[getter]
    fn max_retries(&self, py: Python<'_>) -> PyResult<u32> {
        Ok(self.core(py)?.max_retries())
    }

    #[getter]
    fn timeout(&self, py: Python<'_>) -> PyResult<f64> {
        Ok(self.core(py)?.timeout().as_secs_f64())
    }

    #[getter]
    fn log_level(&self, py: Python<'_>) -> PyResult<&'static str> {
        Ok(self.core(py)?.log_level().as_str())
    }

    /// Call operation `op` (an index of the table) and wait, with the GIL released.
    /// Returns the result as Python objects, or a `PageState` for list operations.
    #[pyo3(signature = (op, args, kwargs=None))]
    fn call(
        slf: &Bound<'_, Self>,
        op: usize,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let core = slf.get().core(py)?;
        let call = build_call(py, &core, op, args, kwargs)?;
        if ops::is_paginated(op) {
            let mut pager = call.pages().map_err(|e| to_pyerr(py, e))?;
            let (pager, page) = block_on(py, async move {
                let page = pager.next_page_raw_unchecked().await;
                (pager, page)
            })?;
            let reply = Reply::Page {
                owner: slf.clone().unbind(),
                pager,
                page,
            };
            return Ok(reply.into_pyobject(py)?.unbind());
        }
        let resp = block_on(py, call.send_raw_unchecked())?;
        Ok(Reply::Result(resp).into_pyobject(py)?.unbind())
    }

    /// Like `call`, returning an asyncio awaitable of the running loop.
    #[pyo3(signature = (op, args, kwargs=None))]
    fn call_async<'py>(
        slf: &Bound<'py, Self>,
        op: usize,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let core = slf.get().core(py)?;
        let call = build_call(py, &core, op, args, kwargs)?;
        if ops::is_paginated(op) {
            let mut pager = call.pages().map_err(|e| to_pyerr(py, e))?;
            let owner = slf.clone().unbind();
            return into_awaitable(py, async move {
                let page = pager.next_page_raw_unchecked().await;
                Ok(Reply::Page { owner, pager, page })
            });
        }
        into_awaitable(py, async move {
            Ok(Reply::Result(call.send_raw_unchecked().await))
        })
    }

    /// A generic request to any path under the base URL, waiting with the GIL released. Returns the result, or
    /// with `full` the tuple `(status, result, result_info, messages, headers)`.
    #[pyo3(signature = (method, path, query=None, body=None, content_type=None, full=false))]
    #[allow(clippy::too_many_arguments)]
    fn request(
        &self,
        py: Python<'_>,
        method: &str,
        path: &str,
        query: Option<&Bound<'_, PyAny>>,
        body: Option<&Bound<'_, PyAny>>,
        content_type: Option<String>,
        full: bool,
    ) -> PyResult<Py<PyAny>> {
        let core = self.core(py)?;
        let req = generic(py, method, path, query, body, content_type)?;
        let resp = block_on(py, async move { core.execute_raw_unchecked(&req).await })?;
        let reply = if full {
            Reply::Response(resp)
        } else {
            Reply::Result(resp)
        };
        Ok(reply.into_pyobject(py)?.unbind())
    }

    /// Like `request`, returning an asyncio awaitable.
    #[pyo3(signature = (method, path, query=None, body=None, content_type=None, full=false))]
    #[allow(clippy::too_many_arguments)]
    fn request_async<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        query: Option<&Bound<'py, PyAny>>,
        body: Option<&Bound<'py, PyAny>>,
        content_type: Option<String>,
        full: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let core = self.core(py)?;
        let req = generic(py, method, path, query, body, content_type)?;
        into_awaitable(py, async move {
            let resp = core.execute_raw_unchecked(&req).await;
            Ok(if full {
                Reply::Response(resp)
            } else {
                Reply::Result(resp)
            })
        })
    }
}

fn generic(
    py: Python<'_>,
    method: &str,
    path: &str,
    query: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
    content_type: Option<String>,
) -> PyResult<flarekit::PreparedRequest> {
    let verb = verb(py, method)?;
    let query = match query {
        Some(q) => to_json(q, "query")?,
        None => Value::Null,
    };
    let body = generic_body(py, body, content_type)?;
    flarekit::prepare_generic(verb, path, &query, body).map_err(|e| to_pyerr(py, e))
}

// PageState needs to rebuild a pager in a forked child.
impl PageState {
    pub fn core_of(owner: &Py<Client>, py: Python<'_>) -> PyResult<Core> {
        owner.get().core(py)
    }
}
