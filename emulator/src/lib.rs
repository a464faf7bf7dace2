//! `flarekit-emulator`: a local Cloudflare API v4 server for tests, demos and benchmarks.
//!
//! It keeps state in memory (seeded from JSON or the built-in [`Seed::demo`]),
//! enforces tokens, the global key and the user service key with the real API's
//! error codes, pages lists with exact `result_info`, logs every change to the
//! audit log, and injects faults through an admin API under `/__emulator`.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use flarekit_emulator::{demo, Emulator, Seed};
//! let emu = Emulator::builder().seed(Seed::demo()).start().await?;
//! println!("{} (token {})", emu.base_url(), demo::DNS_EDIT_TOKEN);
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod admin;
mod auth;
mod cidr;
mod ctx;
pub mod demo;
mod envelope;
pub mod faults;
mod ids;
mod multipart;
mod paging;
mod permissions;
mod reqlog;
mod routes;
mod seed;
mod server;
pub mod spec;
mod state;
mod time;
mod tls;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use seed::{
    Seed, SeedAccount, SeedError, SeedPagesProject, SeedRecord, SeedToken, SeedUser, SeedZone,
    DEMO_SEED_JSON,
};

/// Entry point: `Emulator::builder()`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder binding `127.0.0.1:0` with the demo seed unless told otherwise.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            seed: None,
            host: "127.0.0.1".into(),
            port: 0,
            reveal_secrets: false,
            latency: std::time::Duration::ZERO,
            tls: false,
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    seed: Option<Seed>,
    host: String,
    port: u16,
    reveal_secrets: bool,
    latency: std::time::Duration,
    tls: bool,
}

impl EmulatorBuilder {
    /// Delay every API response by this much (a real link's round trip on loopback; default none). Also
    /// `POST /__emulator/latency`.
    pub fn latency(mut self, latency: std::time::Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Serve HTTPS with a certificate made at start-up ([`RunningEmulator::ca_pem`] is its CA), offering HTTP/2
    /// and HTTP/1.1 by ALPN.
    pub fn tls(mut self, yes: bool) -> Self {
        self.tls = yes;
        self
    }

    /// The initial state (default: [`Seed::demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Interface to bind (default `127.0.0.1`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// Show credential headers in `GET /__emulator/requests` as they were sent (default: masked as `***`).
    /// For client test suites that check what goes on the wire; never for a shared server.
    pub fn reveal_secrets(mut self, yes: bool) -> Self {
        self.reveal_secrets = yes;
        self
    }

    /// Port to bind (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Binds and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<RunningEmulator> {
        let listener = TcpListener::bind((self.host.as_str(), self.port)).await?;
        let addr = listener.local_addr()?;
        let mut shared = server::Shared::new(self.seed.unwrap_or_else(Seed::demo));
        shared.reveal_secrets = self.reveal_secrets;
        shared.set_latency(self.latency);
        let shared = Arc::new(shared);
        let tls = if self.tls { Some(tls::make()?) } else { None };
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let (tx, rx) = watch::channel(false);
        let task = tokio::spawn(server::serve(
            listener,
            shared.clone(),
            rx,
            tls.map(|t| t.acceptor),
        ));
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host
        };
        let scheme = if ca_pem.is_some() { "https" } else { "http" };
        Ok(RunningEmulator {
            addr,
            ca_pem,
            origin: format!("{scheme}://{host}:{}", addr.port()),
            shutdown: tx,
            task: Some(task),
            shared,
        })
    }
}

/// A serving emulator. Dropping it stops the server in the background;
/// [`RunningEmulator::shutdown`] stops it and waits.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    ca_pem: Option<String>,
    origin: String,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
    shared: Arc<server::Shared>,
}

impl RunningEmulator {
    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API base URL, e.g. `http://127.0.0.1:8787/client/v4`.
    pub fn base_url(&self) -> String {
        format!("{}/client/v4", self.origin)
    }

    /// The admin API base URL, e.g. `http://127.0.0.1:8787/__emulator`.
    pub fn admin_url(&self) -> String {
        format!("{}{}", self.origin, admin::PREFIX)
    }

    /// With TLS, the certificate authority (PEM) that signed the server's certificate: trust it (`ca_bundle`).
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Changes the delay added to every API response.
    pub fn set_latency(&self, latency: std::time::Duration) {
        self.shared.set_latency(latency);
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.shared.connections()
    }

    /// The seed this emulator started from.
    pub fn seed(&self) -> &Seed {
        self.shared.seed()
    }

    /// Stops accepting, lets in-flight requests finish (up to 5 s), and returns.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}
