//! `cf.tokens` and `cf.whoami()`: the core's token operations by name (`flarekit::tokens::dispatch`), and the
//! `Secret` a created or rolled token value is handed over in. The `flarekit` console script runs the CLI crate.

use flarekit::tokens::{dispatch, expose};
use flarekit::{Naming, SecretString};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde_json::Value;

use crate::client::Client;
use crate::convert::{into_py, to_json};
use crate::errors::to_pyerr;
use crate::runtime::{block_on, into_awaitable};

/// A token value, shown once. `repr()` and `str()` never show it; `reveal()` does. It cannot be pickled.
#[pyclass(module = "flarekit._native", name = "Secret", frozen)]
pub struct Secret {
    value: SecretString,
}

#[pymethods]
impl Secret {
    /// The secret text. Hand it to a secret store; do not print or log it.
    fn reveal(&self) -> String {
        expose(&self.value).to_string()
    }

    fn __repr__(&self) -> &'static str {
        "Secret('**********')"
    }

    fn __str__(&self) -> &'static str {
        "**********"
    }

    fn __len__(&self) -> usize {
        expose(&self.value).len()
    }

    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a Secret cannot be pickled: call reveal() and store the value in a secret store",
        ))
    }
}

/// The outcome, converted to Python under the GIL: `(result, Secret | None)`.
struct Out(flarekit::Result<dispatch::Reply>);

impl<'py> IntoPyObject<'py> for Out {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let reply = self.0.map_err(|e| to_pyerr(py, e))?;
        let secret = match reply.secret {
            Some(value) => Bound::new(py, Secret { value })?.into_any(),
            None => py.None().into_bound(py),
        };
        Ok(PyTuple::new(py, [into_py(py, reply.value)?, secret])?.into_any())
    }
}

fn args_of(args: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    match args {
        Some(a) => to_json(a.as_any(), "arguments"),
        None => Ok(Value::Null),
    }
}

/// Runs token operation `op` and waits (GIL released): `(result, Secret | None)`.
#[pyfunction]
#[pyo3(signature = (client, op, args=None))]
pub fn tokens_call(
    py: Python<'_>,
    client: &Bound<'_, Client>,
    op: String,
    args: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let core = client.get().core(py)?;
    let args = args_of(args)?;
    let out = block_on(py, async move {
        Out(dispatch::call(&core, &op, &args, Naming::Snake).await)
    })?;
    Ok(out.into_pyobject(py)?.unbind())
}

/// Like `tokens_call`, as an asyncio awaitable.
#[pyfunction]
#[pyo3(signature = (client, op, args=None))]
pub fn tokens_call_async<'py>(
    py: Python<'py>,
    client: &Bound<'py, Client>,
    op: String,
    args: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let core = client.get().core(py)?;
    let args = args_of(args)?;
    into_awaitable(py, async move {
        Ok(Out(dispatch::call(&core, &op, &args, Naming::Snake).await))
    })
}

/// The `flarekit` command (the CLI crate), with these arguments (the program name first); returns the exit code.
#[pyfunction]
pub fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| flarekit_cli::run(argv))
}
