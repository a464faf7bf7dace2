//! The operation table seen as Python attribute paths: `cf.dns.records.create`. Built on first attribute access,
//! never at import.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use flarekit::operations::OPERATIONS;
use flarekit::{Operation, PaginationKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::PY_KEYWORDS;

#[derive(Default)]
struct Node {
    /// Python attribute name → child resource path (Python spelling, dotted).
    children: BTreeMap<String, String>,
    /// Python attribute name → index in `OPERATIONS`.
    methods: BTreeMap<String, usize>,
}

/// A name as a Python attribute: keywords get a trailing underscore (`import` → `import_`).
fn attr(name: &str) -> String {
    if PY_KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_string()
    }
}

fn index() -> &'static HashMap<String, Node> {
    static INDEX: OnceLock<HashMap<String, Node>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut nodes: HashMap<String, Node> = HashMap::new();
        for (i, op) in OPERATIONS.iter().enumerate() {
            let mut parent = String::new();
            for seg in op.resource_py.split('.') {
                let path = if parent.is_empty() {
                    seg.to_string()
                } else {
                    format!("{parent}.{seg}")
                };
                nodes
                    .entry(parent)
                    .or_default()
                    .children
                    .insert(attr(seg), path.clone());
                parent = path;
            }
            nodes
                .entry(parent)
                .or_default()
                .methods
                .insert(attr(op.method_py), i);
        }
        nodes
    })
}

/// Operation `i` of the table; an index from outside the table is an `InvalidArgumentError`, not a panic.
pub fn op(py: Python<'_>, i: usize) -> PyResult<&'static Operation> {
    OPERATIONS
        .get(i)
        .ok_or_else(|| crate::errors::invalid_argument(py, format!("there is no operation {i}")))
}

/// What `name` is under the resource `path` (`""` for the client): `("resource", child_path)`,
/// `("method", operation_index)`, or `None`.
#[pyfunction]
pub fn resolve(
    py: Python<'_>,
    path: &str,
    name: &str,
) -> PyResult<Option<(&'static str, Py<PyAny>)>> {
    let Some(node) = index().get(path) else {
        return Ok(None);
    };
    if let Some(child) = node.children.get(name) {
        return Ok(Some((
            "resource",
            child.into_pyobject(py)?.into_any().unbind(),
        )));
    }
    match node.methods.get(name) {
        Some(i) => Ok(Some(("method", i.into_pyobject(py)?.into_any().unbind()))),
        None => Ok(None),
    }
}

/// The attribute names under a resource path: sub-resources, then methods.
#[pyfunction]
pub fn members(path: &str) -> (Vec<String>, Vec<String>) {
    match index().get(path) {
        Some(n) => (
            n.children.keys().cloned().collect(),
            n.methods.keys().cloned().collect(),
        ),
        None => (Vec::new(), Vec::new()),
    }
}

/// The index of an operation by resource and method, in the JS or the Python spelling; the core's
/// `InvalidArgumentError` (saying what exists) when there is none.
#[pyfunction]
pub fn find_operation(py: Python<'_>, resource: &str, method: &str) -> PyResult<usize> {
    let found = flarekit::lookup(resource, method).map_err(|e| crate::errors::to_pyerr(py, e))?;
    Ok(OPERATIONS
        .iter()
        .position(|o| std::ptr::eq(o, found))
        .expect("lookup returns a table entry"))
}

/// How many operations the table holds.
#[pyfunction]
pub fn operation_count() -> usize {
    OPERATIONS.len()
}

/// One operation's description, for reprs, docstrings and tests.
#[pyfunction]
pub fn operation_info(py: Python<'_>, i: usize) -> PyResult<Bound<'_, PyDict>> {
    let o = OPERATIONS
        .get(i)
        .ok_or_else(|| pyo3::exceptions::PyIndexError::new_err(format!("no operation {i}")))?;
    let d = PyDict::new(py);
    d.set_item("resource", o.resource)?;
    d.set_item("method", o.method)?;
    d.set_item("resource_py", o.resource_py)?;
    d.set_item("method_py", o.method_py)?;
    d.set_item(
        "attr_path",
        format!("{}.{}", attr_path(o.resource_py), attr(o.method_py)),
    )?;
    d.set_item("verb", o.verb.as_str())?;
    d.set_item("path", o.path)?;
    d.set_item("positional", o.positional.to_vec())?;
    d.set_item("path_params", o.path_params.to_vec())?;
    d.set_item("query", o.query.iter().map(|q| q.name).collect::<Vec<_>>())?;
    d.set_item(
        "body",
        o.body.iter().map(|b| b.content_type()).collect::<Vec<_>>(),
    )?;
    d.set_item("pagination", o.pagination.map(PaginationKind::as_str))?;
    d.set_item("body_param", o.body_param)?;
    d.set_item("files", o.files.to_vec())?;
    Ok(d)
}

fn attr_path(resource_py: &str) -> String {
    resource_py
        .split('.')
        .map(attr)
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether calls to this operation return pages.
pub fn is_paginated(i: usize) -> bool {
    OPERATIONS.get(i).is_some_and(|o| o.pagination.is_some())
}

#[pyfunction]
#[pyo3(name = "is_paginated")]
pub fn py_is_paginated(i: usize) -> bool {
    is_paginated(i)
}
