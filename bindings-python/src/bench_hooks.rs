//! Hooks for `bench/decode.py`, compiled only with the `bench-hooks` feature: never part of the package.

use pyo3::prelude::*;

use crate::convert;

/// Decode JSON text into Python objects the way results are decoded (straight from the text into Models), or
/// with `plain` the way they were before: a `serde_json::Value` first, then plain dicts.
#[pyfunction]
#[pyo3(signature = (text, plain = false))]
fn decode_json<'py>(py: Python<'py>, text: &str, plain: bool) -> PyResult<Bound<'py, PyAny>> {
    let invalid = |e: &serde_json::Error| {
        pyo3::exceptions::PyValueError::new_err(format!("invalid JSON: {e}"))
    };
    if !plain {
        return convert::decode_json_with(py, text, invalid);
    }
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| invalid(&e))?;
    convert::to_py(py, &v, true)
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
