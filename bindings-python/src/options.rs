//! Client options from Python into the core's raw values. Only shapes are translated here; what is accepted,
//! the defaults and every message are the core's (`flarekit::options`).

use std::path::PathBuf;

use flarekit::RawValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};

use crate::convert::type_name;

/// Deeper values are not options; they are reported by type.
const MAX_DEPTH: usize = 8;

/// A Python value as the core's raw value. Never fails: what cannot be read is described by its type.
pub fn raw(v: &Bound<'_, PyAny>) -> RawValue {
    raw_depth(v, 0)
}

fn raw_depth(v: &Bound<'_, PyAny>, depth: usize) -> RawValue {
    if v.is_none() {
        return RawValue::Null;
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return RawValue::Bool(b.is_true());
    }
    if v.is_instance_of::<PyInt>() {
        return match v.extract::<i128>() {
            Ok(i) => RawValue::Int(i),
            Err(_) => RawValue::BigInt(v.str().map(|s| s.to_string()).unwrap_or_default()),
        };
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return RawValue::Float(f.value());
    }
    if let Ok(s) = v.cast::<PyString>() {
        return match s.to_cow() {
            Ok(s) => RawValue::Str(s.into_owned()),
            Err(_) => RawValue::Other("str (with characters that are not valid Unicode)".into()),
        };
    }
    if depth >= MAX_DEPTH {
        return RawValue::Other(type_name(v));
    }
    if v.hasattr("__fspath__").unwrap_or(false) {
        return match v.extract::<PathBuf>() {
            Ok(p) => RawValue::Path(p),
            Err(_) => RawValue::Other(type_name(v)),
        };
    }
    if let Ok(m) = v.cast::<PyMapping>() {
        let Ok(items) = m.items() else {
            return RawValue::Other(type_name(v));
        };
        let mut out = Vec::new();
        for item in items.iter() {
            let Ok((k, val)) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>() else {
                return RawValue::Other(type_name(v));
            };
            out.push((raw_depth(&k, depth + 1), raw_depth(&val, depth + 1)));
        }
        return RawValue::Map(out);
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        if let Ok(iter) = v.try_iter() {
            for item in iter {
                match item {
                    Ok(item) => out.push(raw_depth(&item, depth + 1)),
                    Err(_) => return RawValue::Other(type_name(v)),
                }
            }
        }
        return RawValue::List(out);
    }
    RawValue::Other(type_name(v))
}

/// Keyword options (`None` included: the core treats it as not given).
pub fn given(d: &Bound<'_, PyDict>) -> PyResult<Vec<(String, RawValue)>> {
    let mut out = Vec::with_capacity(d.len());
    for (k, v) in d.iter() {
        out.push((k.extract::<String>()?, raw(&v)));
    }
    Ok(out)
}

/// The core's option table as Python values (what the vector runners translate names and units with).
pub fn table(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    crate::convert::to_py(py, &flarekit::options::table_json(), true)
}
