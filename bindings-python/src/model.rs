//! `Model`: a JSON object from the API with attribute and item access.

use pyo3::exceptions::{PyAttributeError, PyKeyError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::convert::{to_json, unmangle};

/// A JSON object returned by the API. Fields read as attributes (`zone.id`) or items (`zone["id"]`);
/// a field named like a Python keyword reads with a trailing underscore too (`rule.from_`).
/// Nested objects are Models, arrays are lists. `to_dict()` gives plain dicts and lists, `to_json()` JSON text.
/// Models compare equal to Models or dicts with the same content.
#[pyclass(module = "flarekit._native", name = "Model", subclass)]
pub struct Model {
    pub data: Py<PyDict>,
}

impl Model {
    pub fn wrap(data: Py<PyDict>) -> Model {
        Model { data }
    }
}

/// Take a Model out of the cyclic GC's watch when its dict holds only values that cannot refer back to anything
/// (CPython leaves such a dict untracked): it cannot be part of a cycle, and a page of thousands of Models then
/// costs the collector nothing. Writing a field tracks it again ([`retrack`]).
pub fn untrack_if_atomic(model: &Bound<'_, Model>, dict: &Bound<'_, PyDict>) {
    // SAFETY: both are live objects of GC-enabled types; untracking a tracked object is what the API is for.
    unsafe {
        if pyo3::ffi::PyObject_GC_IsTracked(dict.as_ptr()) == 0
            && pyo3::ffi::PyObject_GC_IsTracked(model.as_ptr()) == 1
        {
            pyo3::ffi::PyObject_GC_UnTrack(model.as_ptr().cast());
        }
    }
}

/// Back under the GC's watch before a field is written (the new value may close a cycle).
fn retrack(slf: &Bound<'_, Model>) {
    // SAFETY: a live object of a GC-enabled type, tracked only if it is not already.
    unsafe {
        if pyo3::ffi::PyObject_GC_IsTracked(slf.as_ptr()) == 0 {
            pyo3::ffi::PyObject_GC_Track(slf.as_ptr().cast());
        }
    }
}

/// Wrap nested plain dicts as Models, so a Model built by hand behaves like one from the API.
fn wrap_nested<'py>(py: Python<'py>, v: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if v.cast::<Model>().is_ok() {
        return Ok(v.clone());
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, item) in d.iter() {
            out.set_item(k, wrap_nested(py, &item)?)?;
        }
        return Ok(Bound::new(py, Model::wrap(out.unbind()))?.into_any());
    }
    if let Ok(l) = v.cast::<PyList>() {
        let out = PyList::empty(py);
        for item in l.iter() {
            out.append(wrap_nested(py, &item)?)?;
        }
        return Ok(out.into_any());
    }
    Ok(v.clone())
}

/// Models back to plain dicts, recursively.
pub fn plain<'py>(py: Python<'py>, v: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(m) = v.cast::<Model>() {
        let d = m.borrow().data.clone_ref(py);
        return plain(py, d.bind(py).as_any());
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, item) in d.iter() {
            out.set_item(k, plain(py, &item)?)?;
        }
        return Ok(out.into_any());
    }
    if let Ok(l) = v.cast::<PyList>() {
        let out = PyList::empty(py);
        for item in l.iter() {
            out.append(plain(py, &item)?)?;
        }
        return Ok(out.into_any());
    }
    Ok(v.clone())
}

/// A name the Model class itself answers (a method or a dunder), which a field of that name does not shadow.
fn is_class_name(name: &Bound<'_, PyString>) -> bool {
    let p = name.as_ptr();
    // SAFETY: `p` is a live `str`; both calls only read it (the index is checked against the length first).
    let (len, dunder) = unsafe {
        let len = pyo3::ffi::PyUnicode_GetLength(p);
        let underscore = u32::from('_');
        let dunder = len >= 2
            && pyo3::ffi::PyUnicode_ReadChar(p, 0) == underscore
            && pyo3::ffi::PyUnicode_ReadChar(p, 1) == underscore;
        (len, dunder)
    };
    // Only a 7-character name can be a method: no UTF-8 copy of every other name.
    dunder || (len == 7 && matches!(name.to_cow().as_deref(), Ok("to_dict" | "to_json")))
}

/// A key that can stand as `key=value` in a repr: an identifier that is not a Python keyword.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !crate::convert::PY_KEYWORDS.contains(&s)
}

#[pymethods]
impl Model {
    #[new]
    #[pyo3(signature = (data = None, **fields))]
    fn new(
        py: Python<'_>,
        data: Option<&Bound<'_, PyDict>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Model> {
        let out = PyDict::new(py);
        for src in [data, fields].into_iter().flatten() {
            for (k, v) in src.iter() {
                out.set_item(k, wrap_nested(py, &v)?)?;
            }
        }
        Ok(Model::wrap(out.unbind()))
    }

    /// The GC sees the fields, so a cycle through Models (`m.me = m`) is found and collected.
    fn __traverse__(&self, visit: pyo3::gc::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.data)
    }

    /// Breaking a cycle: the fields go, the Model stays a valid (empty) object.
    fn __clear__(&mut self) {
        Python::attach(|py| self.data.bind(py).clear());
    }

    /// Fields first, without the failed class lookup (and its `AttributeError`) that plain attribute access would
    /// make before `__getattr__`: a Model is read field by field, thousands of times per page. The class's own
    /// names (`to_dict`, `to_json`, dunders) still win over fields, as do a subclass's: its lookup is Python's.
    fn __getattribute__(slf: &Bound<'_, Self>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if slf.get_type().is(py.get_type::<Model>()) && !is_class_name(name) {
            if let Some(v) = slf.borrow().data.bind(py).get_item(name)? {
                return Ok(v.unbind());
            }
        }
        // SAFETY: both pointers are live objects borrowed for the call; the result is a new reference or NULL
        // with the error set, which `from_owned_ptr_or_err` takes over.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                pyo3::ffi::PyObject_GenericGetAttr(slf.as_ptr(), name.as_ptr()),
            )
        }
        .map(Bound::unbind)
    }

    fn __getattr__(&self, py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Py<PyAny>> {
        let d = self.data.bind(py);
        if let Some(v) = d.get_item(name)? {
            return Ok(v.unbind());
        }
        let n_cow = name.to_cow()?;
        let n: &str = &n_cow;
        let stem = unmangle(n);
        if stem != n {
            if let Some(v) = d.get_item(stem)? {
                return Ok(v.unbind());
            }
        }
        if n.starts_with("__") {
            return Err(PyAttributeError::new_err(n.to_owned()));
        }
        let mut fields: Vec<String> = d
            .keys()
            .iter()
            .filter_map(|k| k.extract::<String>().ok())
            .collect();
        fields.sort();
        let shown = if fields.len() > 20 {
            format!("{}, ...", fields[..20].join(", "))
        } else {
            fields.join(", ")
        };
        Err(PyAttributeError::new_err(format!(
            "this object has no field {n:?} (fields: {})",
            if shown.is_empty() {
                "none".to_string()
            } else {
                shown
            }
        )))
    }

    fn __setattr__(slf: &Bound<'_, Self>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        retrack(slf);
        slf.borrow()
            .data
            .bind(py)
            .set_item(unmangle(name), wrap_nested(py, value)?)
    }

    fn __delattr__(&self, py: Python<'_>, name: &str) -> PyResult<()> {
        let d = self.data.bind(py);
        if d.contains(unmangle(name))? {
            d.del_item(unmangle(name))
        } else {
            Err(PyAttributeError::new_err(name.to_owned()))
        }
    }

    fn __getitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        match self.data.bind(py).get_item(key)? {
            Some(v) => Ok(v.unbind()),
            None => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    fn __setitem__(
        slf: &Bound<'_, Self>,
        key: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let py = slf.py();
        retrack(slf);
        slf.borrow()
            .data
            .bind(py)
            .set_item(key, wrap_nested(py, value)?)
    }

    fn __delitem__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        self.data.bind(py).del_item(key)
    }

    fn __contains__(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.data.bind(py).contains(key)
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.data.bind(py).len()
    }

    /// Iterating a Model gives its field names, as iterating a dict does.
    fn __iter__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.data.bind(py).try_iter()?.into_any().unbind())
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        let theirs = if let Ok(m) = other.cast::<Model>() {
            m.borrow().data.clone_ref(py).into_bound(py).into_any()
        } else if other.cast::<PyDict>().is_ok() {
            other.clone()
        } else {
            return Ok(py.NotImplemented());
        };
        let equal = self.data.bind(py).as_any().eq(&theirs)?;
        match op {
            CompareOp::Eq => Ok(equal.into_pyobject(py)?.to_owned().into_any().unbind()),
            CompareOp::Ne => Ok((!equal).into_pyobject(py)?.to_owned().into_any().unbind()),
            _ => Ok(py.NotImplemented()),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let d = self.data.bind(py);
        let mut all_idents = true;
        let mut parts = Vec::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k.extract::<String>().unwrap_or_default();
            if !is_identifier(&key) {
                all_idents = false;
                break;
            }
            parts.push(format!("{key}={}", v.repr()?));
        }
        if all_idents {
            Ok(format!("Model({})", parts.join(", ")))
        } else {
            Ok(format!("Model({})", d.repr()?))
        }
    }

    fn __dir__(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        let mut names: Vec<String> = self
            .data
            .bind(py)
            .keys()
            .iter()
            .filter_map(|k| k.extract::<String>().ok())
            .filter(|k| is_identifier(k))
            .collect();
        names.extend(["to_dict", "to_json"].map(String::from));
        names.sort();
        Ok(names)
    }

    /// The object as plain dicts and lists (a deep copy).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        plain(py, self.data.bind(py).as_any())
    }

    /// The object as JSON text, indented by `indent` spaces (`None` for one line).
    #[pyo3(signature = (indent = Some(2)))]
    fn to_json(&self, py: Python<'_>, indent: Option<usize>) -> PyResult<String> {
        let v = to_json(self.data.bind(py).as_any(), "model")?;
        Ok(json_text(&v, indent))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let cls = py.get_type::<Model>();
        let args = PyTuple::new(py, [plain(py, self.data.bind(py).as_any())?])?;
        PyTuple::new(py, [cls.into_any(), args.into_any()])
    }

    fn __copy__(&self, py: Python<'_>) -> PyResult<Model> {
        Ok(Model::wrap(self.data.bind(py).copy()?.unbind()))
    }

    fn __deepcopy__(&self, py: Python<'_>, _memo: &Bound<'_, PyAny>) -> PyResult<Model> {
        let d = plain(py, self.data.bind(py).as_any())?;
        let out = wrap_nested(py, &d)?;
        Ok(Model::wrap(
            out.cast::<Model>()?.borrow().data.clone_ref(py),
        ))
    }
}

pub fn json_text(v: &serde_json::Value, indent: Option<usize>) -> String {
    match indent {
        None => serde_json::to_string(v).unwrap_or_default(),
        Some(n) => {
            use serde::Serialize;
            let pad = vec![b' '; n];
            let fmt = serde_json::ser::PrettyFormatter::with_indent(&pad);
            let mut out = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
            let _ = v.serialize(&mut ser);
            String::from_utf8(out).unwrap_or_default()
        }
    }
}
