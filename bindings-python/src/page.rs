//! One page of a list call, and the reply type that turns core results into Python objects (or exceptions)
//! once the GIL is held.

use flarekit::{Page, Pager, PaginationKind, PreparedRequest};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::client::Client;
use crate::convert::{decode_json, into_py};
use crate::errors::to_pyerr;
use crate::runtime::{block_on, into_awaitable};

/// What a call produced, converted to Python when the GIL is next held: on the caller's thread for blocking
/// calls, on a blocking-pool thread for asyncio (so a conversion failure or API error becomes the exception).
// Built once per call and moved straight into Python: boxing the large variant would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Reply {
    /// A response's result: its `content` as `bytes` when the body was binary, else the decoded `result`.
    Result(flarekit::Result<flarekit::ApiResponse>),
    /// The whole decoded response: `(status, result, result_info, messages, headers)`.
    Response(flarekit::Result<flarekit::ApiResponse>),
    Page {
        owner: Py<Client>,
        pager: Pager,
        page: flarekit::Result<Option<Page>>,
    },
}

/// A response's result as Python: `bytes` for binary content, else the decoded JSON (or text). Responses come
/// from the core's raw path, so a JSON result is the server's text, decoded here straight into Python objects.
fn result_of<'py>(py: Python<'py>, r: &mut flarekit::ApiResponse) -> PyResult<Bound<'py, PyAny>> {
    if let Some(b) = r.content.take() {
        return Ok(pyo3::types::PyBytes::new(py, &b).into_any());
    }
    match r.result_json.take() {
        Some(text) => decode_json(py, &text, r),
        None => into_py(py, std::mem::take(&mut r.result)),
    }
}

impl<'py> IntoPyObject<'py> for Reply {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Reply::Result(r) => result_of(py, &mut r.map_err(|e| to_pyerr(py, e))?),
            Reply::Response(r) => {
                let mut r = r.map_err(|e| to_pyerr(py, e))?;
                let result = result_of(py, &mut r)?;
                let headers = pyo3::types::PyDict::new(py);
                for (k, v) in &r.headers {
                    match headers.get_item(k)? {
                        Some(prev) => {
                            headers.set_item(k, format!("{}, {v}", prev.extract::<String>()?))?
                        }
                        None => headers.set_item(k, v)?,
                    }
                }
                let info = match r.result_info {
                    Some(v) => into_py(py, v)?,
                    None => py.None().into_bound(py),
                };
                let items = [
                    r.status.into_pyobject(py)?.into_any(),
                    result,
                    info,
                    into_py(py, r.messages)?,
                    headers.into_any(),
                ];
                Ok(pyo3::types::PyTuple::new(py, items)?.into_any())
            }
            Reply::Page { owner, pager, page } => {
                let Some(page) = page.map_err(|e| to_pyerr(py, e))? else {
                    return Ok(py.None().into_bound(py));
                };
                let state = PageState::new(py, owner, pager, page)?;
                Ok(Bound::new(py, state)?.into_any())
            }
        }
    }
}

/// The native state of one page: its items, `result_info`, and how to fetch the next page.
#[pyclass(module = "flarekit._native", name = "PageState", frozen)]
pub struct PageState {
    items: Py<PyList>,
    result_info: Py<PyAny>,
    owner: Py<Client>,
    pid: u32,
    /// Positioned after this page (it remembers every cursor seen, so a repeating server cannot loop it).
    pager: Pager,
    next: Option<PreparedRequest>,
    kind: PaginationKind,
    items_key: &'static str,
}

impl PageState {
    fn new(py: Python<'_>, owner: Py<Client>, pager: Pager, page: Page) -> PyResult<PageState> {
        let kind = page.kind();
        let items_key = page.items_key();
        let next = page.next;
        let items = match &page.items_json {
            // The raw path: the items as the server's JSON array text.
            Some(text) => decode_json(py, text, &page.response)?.cast_into::<PyList>()?,
            None => {
                let items = PyList::empty(py);
                for item in page.items {
                    items.append(into_py(py, item)?)?;
                }
                items
            }
        };
        let result_info = match page.result_info {
            Some(v) => into_py(py, v)?.unbind(),
            None => py.None(),
        };
        Ok(PageState {
            items: items.unbind(),
            result_info,
            owner,
            pid: std::process::id(),
            pager,
            next,
            kind,
            items_key,
        })
    }

    /// A pager for the next page. In a forked child the parent's pager holds the parent's connections, so the
    /// walk continues from the next request on the child's client.
    fn next_pager(&self, py: Python<'_>) -> PyResult<Option<Pager>> {
        let Some(next) = &self.next else {
            return Ok(None);
        };
        if self.pid == std::process::id() {
            return Ok(Some(self.pager.clone()));
        }
        let core = PageState::core_of(&self.owner, py)?;
        Ok(Some(
            Pager::new(core, self.kind, next.clone()).items_under(self.items_key),
        ))
    }
}

#[pymethods]
impl PageState {
    /// The items of this page (a list, shared: the same list each time).
    #[getter]
    fn items(&self, py: Python<'_>) -> Py<PyList> {
        self.items.clone_ref(py)
    }

    /// The envelope's `result_info` (a Model), or `None`.
    #[getter]
    fn result_info(&self, py: Python<'_>) -> Py<PyAny> {
        self.result_info.clone_ref(py)
    }

    /// The pagination kind of the operation (`V4PagePaginationArray`, `CursorPagination`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.kind.as_str()
    }

    /// Whether another page exists (the core's stop rules: `total_pages`, empty page, repeated cursor).
    fn has_next(&self) -> bool {
        self.next.is_some()
    }

    /// Fetch the next page, waiting with the GIL released; `None` after the last page.
    fn next_page(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let Some(mut pager) = self.next_pager(py)? else {
            return Ok(None);
        };
        let (pager, page) = block_on(py, async move {
            let page = pager.next_page_raw_unchecked().await;
            (pager, page)
        })?;
        let reply = Reply::Page {
            owner: self.owner.clone_ref(py),
            pager,
            page,
        };
        Ok(Some(reply.into_pyobject(py)?.unbind()))
    }

    /// Fetch the next page as an asyncio awaitable (resolving to `None` after the last page).
    fn next_page_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pager = self.next_pager(py)?;
        let owner = self.owner.clone_ref(py);
        into_awaitable(py, async move {
            match pager {
                None => Ok(None),
                Some(mut pager) => {
                    let page = pager.next_page_raw_unchecked().await;
                    Ok(Some(Reply::Page { owner, pager, page }))
                }
            }
        })
    }
}
