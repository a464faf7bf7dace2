//! Values across the boundary: JSON results straight into Python objects (no JSON text round-trip), and
//! Python arguments into JSON values for the core.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors::invalid_argument;
use crate::model::Model;

/// Nesting deeper than this is refused rather than overflowing the stack.
const MAX_DEPTH: usize = 256;

/// A JSON value as Python objects: objects become [`Model`]s (or plain dicts when `plain`), arrays lists.
pub fn to_py<'py>(py: Python<'py>, v: &Value, plain: bool) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_py(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item, plain)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(PyString::new(py, k), to_py(py, item, plain)?)?;
            }
            if plain {
                dict.into_any()
            } else {
                Bound::new(py, Model::wrap(dict.unbind()))?.into_any()
            }
        }
    })
}

/// Like [`to_py`] but consumes the value, so strings and maps are not cloned on the way. Object keys are
/// shared: one Python string per distinct key, as `json.loads` does (less memory, fewer allocations).
pub fn into_py(py: Python<'_>, v: Value) -> PyResult<Bound<'_, PyAny>> {
    let mut keys = KeyCache::default();
    into_py_keys(py, v, &mut keys)
}

/// Distinct object keys seen in one decode, bounded so maps keyed by ids cannot grow it without limit.
#[derive(Default)]
struct KeyCache {
    map: std::collections::HashMap<String, Py<PyString>, std::hash::BuildHasherDefault<Fnv>>,
    /// The key last seen at each (depth, position in its object): the objects of a list mostly have the same
    /// keys in the same order, so one comparison usually finds the key without hashing it.
    slots: Vec<Option<(Box<str>, Py<PyString>)>>,
}

/// FNV-1a: keys are short and not attacker-chosen in a way that matters here (the cache is bounded and per call),
/// and SipHash made the cache cost more than it saved.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

impl KeyCache {
    const LIMIT: usize = 4096;

    const SLOT_DEPTHS: usize = 8;
    const SLOT_POSITIONS: usize = 32;

    fn get<'py>(&mut self, py: Python<'py>, k: &str) -> Bound<'py, PyString> {
        if let Some(s) = self.map.get(k) {
            return s.bind(py).clone();
        }
        let s = PyString::new(py, k);
        if self.map.len() < Self::LIMIT && k.len() <= 64 {
            self.map.insert(k.to_owned(), s.clone().unbind());
        }
        s
    }

    /// [`get`](Self::get) for the key at `position` of an object at `depth`, trying that slot's last key first.
    fn get_at<'py>(
        &mut self,
        py: Python<'py>,
        k: &str,
        depth: usize,
        position: usize,
    ) -> Bound<'py, PyString> {
        if depth >= Self::SLOT_DEPTHS || position >= Self::SLOT_POSITIONS || k.len() > 64 {
            return self.get(py, k);
        }
        if self.slots.is_empty() {
            self.slots
                .resize_with(Self::SLOT_DEPTHS * Self::SLOT_POSITIONS, || None);
        }
        let slot = depth * Self::SLOT_POSITIONS + position;
        if let Some((last, s)) = &self.slots[slot] {
            if **last == *k {
                return s.bind(py).clone();
            }
        }
        let s = self.get(py, k);
        self.slots[slot] = Some((k.into(), s.clone().unbind()));
        s
    }
}

/// JSON text (a result as the server sent it, from the core's `execute_raw_unchecked`) straight into Python
/// objects, as [`into_py`] makes them from a `Value` but without building one: objects become [`Model`]s, keys are
/// shared. Text that does not decode (a number beyond the float range) raises `response`'s error as the core words
/// it (`raw_result_error`); a Python error (out of memory) raises itself.
pub fn decode_json<'py>(
    py: Python<'py>,
    text: &str,
    response: &flarekit::ApiResponse,
) -> PyResult<Bound<'py, PyAny>> {
    decode_json_with(py, text, |e| {
        crate::errors::to_pyerr(py, flarekit::raw_result_error(response, e))
    })
}

/// [`decode_json`] with the error for text that does not decode made by `on_error`.
pub fn decode_json_with<'py>(
    py: Python<'py>,
    text: &str,
    on_error: impl FnOnce(&serde_json::Error) -> PyErr,
) -> PyResult<Bound<'py, PyAny>> {
    // Building thousands of containers triggers the cyclic GC over and over, and none of them can be garbage:
    // pause it for a big result (as `json.loads` users do by hand), restoring it whatever happens.
    let _pause = (text.len() >= GC_PAUSE_BYTES)
        .then(|| GcPause::new(py))
        .transpose()?;
    let mut keys = KeyCache::default();
    let failed = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Decode {
        py,
        keys: &mut keys,
        failed: &failed,
        depth: 0,
    };
    let out =
        serde::de::DeserializeSeed::deserialize(seed, &mut de).and_then(|v| de.end().map(|()| v));
    match out {
        Ok(v) => Ok(v),
        Err(e) => Err(failed.into_inner().unwrap_or_else(|| on_error(&e))),
    }
}

/// Results at least this big pause the cyclic GC while they are built.
const GC_PAUSE_BYTES: usize = 64 * 1024;

/// The cyclic GC turned off for a while, back on when dropped (if it was on).
struct GcPause<'py>(Option<Bound<'py, PyModule>>);

impl<'py> GcPause<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        if gc.call_method0("isenabled")?.is_truthy()? {
            gc.call_method0("disable")?;
            Ok(GcPause(Some(gc)))
        } else {
            Ok(GcPause(None))
        }
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = &self.0 {
            let _ = gc.call_method0("enable");
        }
    }
}

/// One JSON value being decoded into Python (a serde seed, so the parser drives and nothing is built in between).
struct Decode<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache,
    /// The Python error that stopped the decoding, if that is what stopped it.
    failed: &'a std::cell::RefCell<Option<PyErr>>,
    depth: usize,
}

impl<'a, 'py> Decode<'a, 'py> {
    fn fail<E: serde::de::Error>(&self, e: PyErr) -> E {
        *self.failed.borrow_mut() = Some(e);
        E::custom("python error")
    }

    fn nested(&mut self) -> Decode<'_, 'py> {
        Decode {
            py: self.py,
            keys: self.keys,
            failed: self.failed,
            depth: self.depth + 1,
        }
    }
}

impl<'de, 'a, 'py> serde::de::DeserializeSeed<'de> for Decode<'a, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'a, 'py> serde::de::Visitor<'de> for Decode<'a, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, b).to_owned().into_any())
    }
    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        let Ok(v) = n.into_pyobject(self.py);
        Ok(v.into_any())
    }
    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        let Ok(v) = n.into_pyobject(self.py);
        Ok(v.into_any())
    }
    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.py, n).into_any())
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.py, s).into_any())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        mut self,
        mut seq: A,
    ) -> Result<Self::Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(serde::de::Error::custom("nested too deeply"));
        }
        let list = PyList::empty(self.py);
        while let Some(item) = seq.next_element_seed(self.nested())? {
            list.append(item).map_err(|e| self.fail(e))?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        mut self,
        mut map: A,
    ) -> Result<Self::Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(serde::de::Error::custom("nested too deeply"));
        }
        let dict = PyDict::new(self.py);
        let mut position = 0;
        while let Some(key) = map.next_key_seed(Key {
            py: self.py,
            keys: self.keys,
            depth: self.depth,
            position,
        })? {
            let value = map.next_value_seed(self.nested())?;
            dict.set_item(key, value).map_err(|e| self.fail(e))?;
            position += 1;
        }
        let model =
            Bound::new(self.py, Model::wrap(dict.clone().unbind())).map_err(|e| self.fail(e))?;
        crate::model::untrack_if_atomic(&model, &dict);
        Ok(model.into_any())
    }
}

/// An object key, shared through the decoding's [`KeyCache`].
struct Key<'a, 'py> {
    py: Python<'py>,
    keys: &'a mut KeyCache,
    depth: usize,
    position: usize,
}

impl<'de, 'a, 'py> serde::de::DeserializeSeed<'de> for Key<'a, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'a, 'py> serde::de::Visitor<'de> for Key<'a, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(self.keys.get_at(self.py, s, self.depth, self.position))
    }
}

fn into_py_keys<'py>(
    py: Python<'py>,
    v: Value,
    keys: &mut KeyCache,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(into_py_keys(py, item, keys)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(keys.get(py, &k), into_py_keys(py, item, keys)?)?;
            }
            Bound::new(py, Model::wrap(dict.unbind()))?.into_any()
        }
        other => to_py(py, &other, false)?,
    })
}

fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        Ok(i.into_pyobject(py)?.into_any())
    } else if let Some(u) = n.as_u64() {
        Ok(u.into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any())
    }
}

/// The Python names that are keywords, so `from_=` and `.import_` can stand for `from` and `import`.
pub const PY_KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// `from_` → `from`: a trailing underscore on a Python keyword is how Python code spells it.
pub fn unmangle(name: &str) -> &str {
    match name.strip_suffix('_') {
        Some(stem) if PY_KEYWORDS.contains(&stem) => stem,
        _ => name,
    }
}

/// A Python argument as JSON. Dicts and Models become objects, lists and tuples arrays; `datetime`/`date`
/// become ISO 8601 text and enums their value. Anything else is a `TypeError` naming the type and where.
/// A `str` as Rust text; one holding a lone surrogate (not valid Unicode, so not sendable) is an
/// `InvalidArgumentError` naming where it is.
fn text(s: &Bound<'_, PyString>, at: &str) -> PyResult<String> {
    s.to_cow().map(|c| c.into_owned()).map_err(|_| {
        invalid_argument(
            s.py(),
            format!(
                "{at} contains a lone surrogate, which is not valid Unicode and cannot be sent"
            ),
        )
    })
}

pub fn to_json(obj: &Bound<'_, PyAny>, at: &str) -> PyResult<Value> {
    to_json_depth(obj, at, 0)
}

fn to_json_depth(obj: &Bound<'_, PyAny>, at: &str, depth: usize) -> PyResult<Value> {
    let py = obj.py();
    if depth > MAX_DEPTH {
        return Err(invalid_argument(
            py,
            format!("{at} is nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast_exact::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(text(s, at)?));
    }
    if obj.cast::<PyInt>().is_ok() {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(invalid_argument(
            py,
            format!(
                "{at}: the integer {} does not fit in 64 bits",
                obj.str().map(|s| {
                    let t = s.to_string();
                    if t.len() > 40 {
                        format!("{}...", &t[..40])
                    } else {
                        t
                    }
                })?
            ),
        ));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return Number::from_f64(v).map(Value::Number).ok_or_else(|| {
            invalid_argument(
                py,
                format!("{at}: {v} is not a JSON number (NaN and infinities have no JSON form)"),
            )
        });
    }
    if let Ok(m) = obj.cast::<Model>() {
        return to_json_depth(m.borrow().data.bind(obj.py()).as_any(), at, depth);
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key = match k.cast::<PyString>() {
                Ok(s) => text(s, at)?,
                Err(_) => {
                    return Err(invalid_argument(
                        py,
                        format!(
                            "{at} has a key {} of type {}; JSON object keys must be strings",
                            k.repr()?,
                            type_name(&k)
                        ),
                    ))
                }
            };
            let child = format!("{at}[{key:?}]");
            map.insert(key, to_json_depth(&v, &child, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.cast::<PyList>().is_ok() || obj.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in obj.try_iter()?.enumerate() {
            out.push(to_json_depth(&item?, &format!("{at}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if obj.cast::<PyBytes>().is_ok() {
        return Err(invalid_argument(py, format!(
            "{at} is bytes; JSON has no bytes (decode it to str, or pass it as a raw body or a file)"
        )));
    }
    // datetime.date / datetime.datetime and similar: their ISO form is what the API expects.
    if obj.hasattr(pyo3::intern!(py, "isoformat"))? {
        let s = obj.call_method0(pyo3::intern!(py, "isoformat"))?;
        return to_json_depth(&s, at, depth + 1);
    }
    // enum.Enum members: their value.
    let enum_mod = py.import("enum")?;
    if obj.is_instance(&enum_mod.getattr("Enum")?)? {
        return to_json_depth(&obj.getattr("value")?, at, depth + 1);
    }
    // Other mappings and sequences (e.g. a user's Mapping, a set is refused: its order is undefined).
    let abc = py.import("collections.abc")?;
    if obj.is_instance(&abc.getattr("Mapping")?)? {
        let d = PyDict::new(py);
        d.call_method1("update", (obj,))?;
        return to_json_depth(d.as_any(), at, depth);
    }
    if obj.is_instance(&abc.getattr("Sequence")?)? {
        let l = PyList::empty(py);
        for item in obj.try_iter()? {
            l.append(item?)?;
        }
        return to_json_depth(l.as_any(), at, depth);
    }
    Err(invalid_argument(py, format!(
        "{at} has type {}, which has no JSON form (use str, int, float, bool, None, dict, list, or a datetime)",
        type_name(obj)
    )))
}

pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}
