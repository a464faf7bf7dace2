//! `flarekit._native`: the Python front door's native half. Every rule lives in the core crate; this crate only
//! translates values and errors (see `python/flarekit/` for the Python half).

mod client;
mod convert;
mod errors;
mod logging;
mod model;
mod ops;
mod options;
mod page;
mod runtime;

use pyo3::prelude::*;

/// Decode JSON text into Python objects the way results are decoded (for measurements and tests).
#[pyfunction]
#[pyo3(signature = (text, plain = false))]
fn decode_json<'py>(py: Python<'py>, text: &str, plain: bool) -> PyResult<Bound<'py, PyAny>> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("invalid JSON: {e}")))?;
    if plain {
        convert::to_py(py, &v, true)
    } else {
        convert::into_py(py, v)
    }
}

/// Parse JSON text in Rust, then hand it to Python as JSON text again (the alternative `decode_json` is
/// measured against: `json.loads(reencode_json(text))`).
#[pyfunction]
fn reencode_json(text: &str) -> PyResult<String> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("invalid JSON: {e}")))?;
    Ok(v.to_string())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add("__version__", flarekit::VERSION)?;
    m.add_class::<client::Client>()?;
    m.add_class::<model::Model>()?;
    m.add_class::<page::PageState>()?;
    m.add_function(wrap_pyfunction!(ops::resolve, m)?)?;
    m.add_function(wrap_pyfunction!(ops::members, m)?)?;
    m.add_function(wrap_pyfunction!(ops::find_operation, m)?)?;
    m.add_function(wrap_pyfunction!(ops::operation_info, m)?)?;
    m.add_function(wrap_pyfunction!(ops::operation_count, m)?)?;
    m.add_function(wrap_pyfunction!(ops::py_is_paginated, m)?)?;
    m.add_function(wrap_pyfunction!(decode_json, m)?)?;
    m.add_function(wrap_pyfunction!(reencode_json, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_drain_at_exit, m)?)?;
    Ok(())
}
