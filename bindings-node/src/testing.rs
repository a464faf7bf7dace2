//! `flarekit/testing`'s native part: the `flarekit-emulator` crate, started in this process on the addon's runtime
//! (no cargo, no binary to find). Faults, logs and reset go through its admin API, from JS.

use std::sync::Mutex;

use flarekit_emulator::{Emulator, RunningEmulator, Seed};
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
/// returns at once (on the addon's runtime, where the server then runs).
// Called from JS only (the napi registration is not compiled into `cargo test`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn start_emulator(
    seed_json: Option<String>,
    host: Option<String>,
    port: Option<u32>,
    latency_ms: Option<f64>,
    tls: Option<bool>,
) -> Result<NativeEmulator> {
    let latency = latency_ms.unwrap_or(0.0);
    if !(latency.is_finite() && (0.0..=600_000.0).contains(&latency)) {
        return Err(invalid(format!(
            "latency must be a number of milliseconds from 0 to 600000, got {latency}"
        )));
    }
    let seed = match seed_json {
        None => Seed::demo(),
        Some(text) => Seed::from_json(&text).map_err(|e| invalid(e.0))?,
    };
    let host = host.unwrap_or_else(|| "127.0.0.1".to_string());
    let port = port.unwrap_or(0);
    let port = u16::try_from(port).map_err(|_| invalid(format!("port {port} is not 0-65535")))?;
    let where_ = format!("{host}:{port}");
    let start = Emulator::builder()
        .seed(seed)
        .host(host)
        .port(port)
        .latency(std::time::Duration::from_secs_f64(latency / 1000.0))
        .tls(tls.unwrap_or(false))
        .start();
    let emu = napi::bindgen_prelude::block_on(start).map_err(|e| {
        throw(flarekit::Error::new(
            flarekit::ErrorKind::Connection,
            format!("the emulator could not listen on {where_}: {e}"),
        ))
    })?;
    Ok(NativeEmulator {
        base_url: emu.base_url(),
        admin_url: emu.admin_url(),
        seed_json: serde_json::to_string(emu.seed()).unwrap_or_default(),
        ca_pem: emu.ca_pem().map(str::to_string),
        running: Mutex::new(Some(emu)),
    })
}
