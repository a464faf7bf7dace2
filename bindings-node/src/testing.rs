//! `flarekit/testing`'s native part: the `flarekit-emulator` crate, started in this process on the addon's runtime
//! (no cargo, no binary to find). Faults, logs and reset go through its admin API, from JS.

use std::sync::Mutex;

use flarekit_emulator::{
    start_embedded, EmbeddedOptions, LatencyUnit, RunningEmulator, StartError,
};
use napi_derive::napi;

use crate::errors::{invalid, throw, Result};

/// A running in-process emulator. Stops on `stop()` or when garbage-collected.
#[napi]
pub struct NativeEmulator {
    running: Mutex<Option<RunningEmulator>>,
    base_url: String,
    admin_url: String,
    seed_json: String,
    ca_pem: Option<String>,
}

#[napi]
impl NativeEmulator {
    /// `http://127.0.0.1:PORT/client/v4`.
    #[napi(getter, js_name = "baseURL")]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// `http://127.0.0.1:PORT/__emulator`.
    #[napi(getter, js_name = "adminURL")]
    pub fn admin_url(&self) -> String {
        self.admin_url.clone()
    }

    /// The seed it started from (JSON text): the demo credentials, accounts and zones.
    #[napi(getter)]
    pub fn seed_json(&self) -> String {
        self.seed_json.clone()
    }

    /// With TLS, the certificate authority (PEM) that signed the server's certificate.
    #[napi(getter)]
    pub fn ca_pem(&self) -> Option<String> {
        self.ca_pem.clone()
    }

    /// Connections accepted so far (HTTP/2 carries many calls on one).
    #[napi(getter)]
    pub fn connections(&self) -> i64 {
        self.running
            .lock()
            .ok()
            .and_then(|r| r.as_ref().map(RunningEmulator::connections))
            .unwrap_or(0) as i64
    }

    /// Whether it is serving.
    #[napi(getter)]
    pub fn running(&self) -> bool {
        self.running.lock().map(|r| r.is_some()).unwrap_or(false)
    }

    /// Stops accepting, lets in-flight requests finish, and resolves. Idempotent.
    #[napi]
    pub async fn stop(&self) {
        let emu = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some(emu) = emu {
            emu.shutdown().await;
        }
    }
}

/// Starts an emulator on `host:port` (port 0: a free one) with `seedJson` (the demo seed when absent), each
/// response delayed by `latencyMs`, over HTTPS (HTTP/2 and HTTP/1.1) with `tls`. Binding is immediate, so this
/// returns at once (on the addon's runtime, where the server then runs). The emulator crate checks the values
/// (`start_embedded`), as it does for Python.
// Called from JS only (the napi registration is not compiled into `cargo test`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn start_emulator(
    seed_json: Option<String>,
    host: Option<String>,
    port: Option<i64>,
    latency_ms: Option<f64>,
    tls: Option<bool>,
) -> Result<NativeEmulator> {
    let opts = EmbeddedOptions {
        seed_json,
        host,
        port: port.unwrap_or(0),
        latency: latency_ms.unwrap_or(0.0),
        latency_unit: LatencyUnit::Milliseconds,
        tls: tls.unwrap_or(false),
    };
    let emu = napi::bindgen_prelude::block_on(start_embedded(opts)).map_err(|e| match e {
        StartError::Invalid(m) => invalid(m),
        StartError::Listen(m) => throw(flarekit::Error::new(flarekit::ErrorKind::Connection, m)),
    })?;
    Ok(NativeEmulator {
        base_url: emu.base_url(),
        admin_url: emu.admin_url(),
        seed_json: emu.seed_json(),
        ca_pem: emu.ca_pem().map(str::to_string),
        running: Mutex::new(Some(emu)),
    })
}
