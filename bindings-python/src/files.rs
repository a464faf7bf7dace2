//! Files among a call's arguments, as the official Python SDK takes them: `bytes` (or `bytearray`, `memoryview`),
//! an open binary file, a path (`os.PathLike`), or a tuple `(filename, content[, content_type[, headers]])` of one
//! of those. Each becomes a core `FileArg` that says where it was; the core decides what it is on the wire.

use bytes::Bytes;
use flarekit::FileArg;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString, PyTuple};

use crate::convert::type_name;
use crate::errors::invalid_argument;

/// How deep inside object arguments files are looked for (`file={"file": ...}` is depth 1).
const MAX_FILE_DEPTH: usize = 4;

/// The base name of a path-like or file name.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or(name).to_string()
}

/// The bytes of file content: bytes-like, an open file (read to its end), or a path (read from disk).
/// `Ok(None)` when `obj` is not file content at all.
fn content(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    at: &str,
) -> PyResult<Option<(Bytes, Option<String>)>> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(Some((Bytes::copy_from_slice(b.as_bytes()), None)));
    }
    if let Ok(b) = obj.cast::<PyByteArray>() {
        return Ok(Some((Bytes::from(b.to_vec()), None)));
    }
    if obj.cast::<PyMemoryView>().is_ok() {
        let b = obj.call_method0("tobytes")?;
        let b = b.cast::<PyBytes>()?;
        return Ok(Some((Bytes::copy_from_slice(b.as_bytes()), None)));
    }
    if obj.cast::<PyString>().is_ok()
        || obj.cast::<PyDict>().is_ok()
        || obj.cast::<PyList>().is_ok()
    {
        return Ok(None);
    }
    if obj.hasattr(pyo3::intern!(py, "read"))? {
        let name = obj.getattr(pyo3::intern!(py, "name")).ok().and_then(|n| {
            n.cast::<PyString>()
                .ok()
                .map(|s| base_name(&s.to_string_lossy()))
        });
        let data = obj.call_method0(pyo3::intern!(py, "read"))?;
        return match content(py, &data, at)? {
            Some((bytes, _)) => Ok(Some((bytes, name))),
            None => match data.cast::<PyString>() {
                Ok(s) => Ok(Some((Bytes::from(s.to_cow()?.as_bytes().to_vec()), name))),
                Err(_) => Err(invalid_argument(
                    py,
                    format!(
                        "{at}: reading the file gave {}, not bytes",
                        type_name(&data)
                    ),
                )),
            },
        };
    }
    let os = py.import("os")?;
    if obj.is_instance(&os.getattr("PathLike")?)? {
        let path: String = os.getattr("fsdecode")?.call1((obj,))?.extract()?;
        let data = std::fs::read(&path).map_err(|e| {
            invalid_argument(py, format!("{at}: cannot read the file {path:?}: {e}"))
        })?;
        return Ok(Some((Bytes::from(data), Some(base_name(&path)))));
    }
    Ok(None)
}

/// `obj` as a file, or `None` when it is not one.
pub fn as_file(py: Python<'_>, obj: &Bound<'_, PyAny>, at: &str) -> PyResult<Option<FileArg>> {
    if let Ok(t) = obj.cast::<PyTuple>() {
        if !(2..=4).contains(&t.len()) {
            return Ok(None);
        }
        let Some((data, _)) = content(py, &t.get_item(1)?, at)? else {
            return Ok(None);
        };
        let name = t.get_item(0)?;
        let filename = if name.is_none() {
            None
        } else if let Ok(s) = name.cast::<PyString>() {
            Some(s.to_string_lossy().into_owned())
        } else {
            return Err(invalid_argument(
                py,
                format!(
                    "{at}: a file's name must be a str, got {}",
                    type_name(&name)
                ),
            ));
        };
        let content_type = if t.len() >= 3 {
            let ct = t.get_item(2)?;
            if ct.is_none() {
                None
            } else {
                Some(ct.extract::<String>().map_err(|_| {
                    invalid_argument(py, format!("{at}: a file's content type must be a str"))
                })?)
            }
        } else {
            None
        };
        return Ok(Some(FileArg {
            at: Vec::new(),
            positional: None,
            list: false,
            filename,
            content_type,
            data,
        }));
    }
    Ok(content(py, obj, at)?.map(|(data, filename)| FileArg {
        at: Vec::new(),
        positional: None,
        list: false,
        filename,
        content_type: None,
        data,
    }))
}

/// Take the files out of one argument value: `Ok(None)` when the whole value is a file (or a list of files),
/// else the value with the files inside its objects removed. `at` is the argument's name (empty for a positional
/// argument, `positional` its index).
pub fn split<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    at: &str,
    positional: Option<usize>,
    out: &mut Vec<FileArg>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let before = out.len();
    let path = if positional.is_some() {
        vec![]
    } else {
        vec![at.to_string()]
    };
    let kept = split_depth(py, value, &path, out, 0)?;
    for f in &mut out[before..] {
        f.positional = positional;
    }
    Ok(kept)
}

fn split_depth<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    path: &[String],
    out: &mut Vec<FileArg>,
    depth: usize,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let at = path.join(".");
    let at = at.as_str();
    if let Some(mut f) = as_file(py, value, at)? {
        f.at = path.to_vec();
        out.push(f);
        return Ok(None);
    }
    if let Ok(l) = value.cast::<PyList>() {
        let mut found = Vec::new();
        for item in l.iter() {
            match as_file(py, &item, at)? {
                Some(mut f) => {
                    f.at = path.to_vec();
                    f.list = true;
                    found.push(f);
                }
                None => return Ok(Some(value.clone())),
            }
        }
        if found.is_empty() {
            return Ok(Some(value.clone()));
        }
        out.extend(found);
        return Ok(None);
    }
    if depth < MAX_FILE_DEPTH {
        if let Ok(d) = value.cast::<PyDict>() {
            let mut copy: Option<Bound<'py, PyDict>> = None;
            for (k, v) in d.iter() {
                let Ok(key) = k.cast::<PyString>() else {
                    continue;
                };
                let mut child = path.to_vec();
                child.push(key.to_string_lossy().into_owned());
                let before = out.len();
                let kept = split_depth(py, &v, &child, out, depth + 1)?;
                if out.len() != before {
                    let c = match &copy {
                        Some(c) => c.clone(),
                        None => {
                            let c = d.copy()?;
                            copy = Some(c.clone());
                            c
                        }
                    };
                    match kept {
                        Some(rest) => c.set_item(&k, rest)?,
                        None => c.del_item(&k)?,
                    }
                }
            }
            if let Some(c) = copy {
                // An object that held only files (`file={"file": ...}`) is not sent as well.
                return Ok(if c.is_empty() {
                    None
                } else {
                    Some(c.into_any())
                });
            }
        }
    }
    Ok(Some(value.clone()))
}
