//! Hooks for `bench/decode.py`, compiled only with the `bench-hooks` feature: never part of the package.

use pyo3::prelude::*;

use crate::convert;

/// Decode JSON text into Python objects the way results are decoded (Models, or plain dicts with `plain`).
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

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decode_json, m)?)?;
    m.add_function(wrap_pyfunction!(reencode_json, m)?)?;
    Ok(())
}
