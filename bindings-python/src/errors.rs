//! Core errors raised as the Python classes of `flarekit._exceptions`, looked up once and cached.

use flarekit::{Error, ErrorKind};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::convert::to_py;

static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Vec<Py<PyType>>> {
    CLASSES.get_or_try_init(py, || {
        let m = py.import("flarekit._exceptions")?;
        ErrorKind::ALL
            .iter()
            .map(|k| Ok(m.getattr(k.as_str())?.cast_into::<PyType>()?.unbind()))
            .collect()
    })
}

/// The Python class for a kind (same name as `kind.as_str()`).
pub fn class_of(py: Python<'_>, kind: ErrorKind) -> PyResult<Bound<'_, PyType>> {
    let all = classes(py)?;
    let i = ErrorKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    Ok(all[i].bind(py).clone())
}

/// An error raised by the binding itself, of one of the core's kinds.
pub fn new_err(py: Python<'_>, kind: ErrorKind, message: impl Into<String>) -> PyErr {
    to_pyerr(py, Error::new(kind, message))
}

/// `InvalidArgumentError` (also a `TypeError`) with this message.
pub fn invalid_argument(py: Python<'_>, message: impl Into<String>) -> PyErr {
    new_err(py, ErrorKind::InvalidArgument, message)
}

/// Convert a core error into the matching Python exception, carrying every field the core has.
pub fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    match build(py, &e) {
        Ok(err) => err,
        // The exception module failed to import or a field failed to convert: still raise, with the message.
        Err(inner) => {
            let err = PyRuntimeError::new_err(format!("{}: {}", e.kind().as_str(), e.message()));
            err.set_cause(py, Some(inner));
            err
        }
    }
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let cls = class_of(py, e.kind())?;
    let kw = PyDict::new(py);
    if let Some(status) = e.status() {
        kw.set_item("status_code", status)?;
        kw.set_item("errors", to_py(py, e.errors_json(), false)?)?;
        kw.set_item("messages", to_py(py, e.messages_json(), false)?)?;
        if let Some(body) = e.body() {
            kw.set_item("body", to_py(py, body, false)?)?;
        }
        let headers = PyDict::new(py);
        for (k, v) in e.headers() {
            // Repeated headers are joined the way HTTP allows, so none is lost.
            match headers.get_item(k)? {
                Some(prev) => headers.set_item(k, format!("{}, {v}", prev.extract::<String>()?))?,
                None => headers.set_item(k, v)?,
            }
        }
        kw.set_item("headers", headers)?;
        kw.set_item("ray_id", e.ray_id())?;
        kw.set_item("codes", PyList::new(py, e.codes())?)?;
    }
    if let Some(ra) = e.retry_after() {
        kw.set_item("retry_after", ra.as_secs_f64())?;
    }
    kw.set_item("attempts", e.attempts())?;
    let inst = cls.call((e.message(),), Some(&kw))?;
    Ok(PyErr::from_value(inst))
}
