//! `flarekit.testing.Emulator`'s native part: the `flarekit-emulator` crate, started in this process on the
//! extension's runtime (no cargo, no binary to find). Faults, logs and reset go through its admin API, from Python.

use std::sync::Mutex;

use flarekit::{Error, ErrorKind};
use flarekit_emulator::{
    start_embedded, EmbeddedOptions, LatencyUnit, RunningEmulator, StartError,
};
use pyo3::prelude::*;

use crate::errors::to_pyerr;
use crate::runtime::block_on;

/// A running in-process emulator. Stops on `stop()` or when garbage-collected.
#[pyclass(module = "flarekit._native", name = "NativeEmulator", frozen)]
pub struct NativeEmulator {
    running: Mutex<Option<RunningEmulator>>,
    base_url: String,
    admin_url: String,
    seed_json: String,
    ca_pem: Option<String>,
}

#[pymethods]
impl NativeEmulator {
    /// `http://127.0.0.1:PORT/client/v4`.
    #[getter]
    fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `http://127.0.0.1:PORT/__emulator`.
    #[getter]
    fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// The seed it started from (JSON text): the demo credentials, accounts and zones.
    #[getter]
    fn seed_json(&self) -> &str {
        &self.seed_json
    }

    /// With TLS, the certificate authority (PEM) that signed the server's certificate.
    #[getter]
    fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Connections accepted so far (HTTP/2 carries many calls on one).
    #[getter]
    fn connections(&self) -> u64 {
        self.running
            .lock()
            .ok()
            .and_then(|r| r.as_ref().map(RunningEmulator::connections))
            .unwrap_or(0)
    }

    /// Whether it is serving.
    #[getter]
    fn running(&self) -> bool {
        self.running.lock().map(|r| r.is_some()).unwrap_or(false)
    }

    /// Stops accepting, lets in-flight requests finish, and returns. Idempotent.
    fn stop(&self, py: Python<'_>) -> PyResult<()> {
        let emu = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some(emu) = emu {
            block_on(py, emu.shutdown())?;
        }
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("NativeEmulator(base_url={:?})", self.base_url)
    }
}

/// Starts an emulator on `host:port` (port 0: a free one) with `seed_json` (the demo seed when `None`), each
/// response delayed by `latency` seconds, over HTTPS (HTTP/2 and HTTP/1.1) with `tls`. The emulator crate checks
/// the values (`start_embedded`), as it does for Node.
#[pyfunction]
#[pyo3(signature = (seed_json=None, host="127.0.0.1".to_string(), port=0, latency=0.0, tls=false))]
pub fn start_emulator(
    py: Python<'_>,
    seed_json: Option<String>,
    host: String,
    port: i64,
    latency: f64,
    tls: bool,
) -> PyResult<NativeEmulator> {
    let opts = EmbeddedOptions {
        seed_json,
        host: Some(host),
        port,
        latency,
        latency_unit: LatencyUnit::Seconds,
        tls,
    };
    let emu = block_on(py, start_embedded(opts))?.map_err(|e| {
        let kind = match e {
            StartError::Invalid(_) => ErrorKind::InvalidArgument,
            StartError::Listen(_) => ErrorKind::Connection,
        };
        to_pyerr(py, Error::new(kind, e.to_string()))
    })?;
    Ok(NativeEmulator {
        base_url: emu.base_url(),
        admin_url: emu.admin_url(),
        seed_json: emu.seed_json(),
        ca_pem: emu.ca_pem().map(str::to_string),
        running: Mutex::new(Some(emu)),
    })
}
