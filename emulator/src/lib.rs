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

/// The longest delay per response the emulator takes (ten minutes: a slow link, not a hang).
pub const MAX_LATENCY: std::time::Duration = std::time::Duration::from_secs(600);

/// `amount` of `unit` as a latency: `None` unless it is a number from 0 to [`MAX_LATENCY`]. The one rule for the
/// command's `--latency`, the admin API's `POST /latency` and the embedded emulators of the Python and Node packages.
pub fn latency(amount: f64, unit: LatencyUnit) -> Option<std::time::Duration> {
    let secs = amount / unit.per_second();
    (amount.is_finite() && amount >= 0.0 && secs <= MAX_LATENCY.as_secs_f64())
        .then(|| std::time::Duration::from_secs_f64(secs))
}

/// The unit a front door takes latency in: Python seconds, JS and the admin API milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LatencyUnit {
    /// Seconds (Python, the command's `0.5s`).
    Seconds,
    /// Milliseconds (JS, the admin API, the command's `25ms`).
    Milliseconds,
}

impl LatencyUnit {
    fn per_second(self) -> f64 {
        match self {
            LatencyUnit::Seconds => 1.0,
            LatencyUnit::Milliseconds => 1000.0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            LatencyUnit::Seconds => "seconds",
            LatencyUnit::Milliseconds => "milliseconds",
        }
    }
}

/// What the Python and Node packages' `Emulator` starts with: the values as the user gave them, checked here so both
/// refuse the same things with the same words.
#[derive(Debug, Clone)]
pub struct EmbeddedOptions {
    /// A seed as JSON text; the demo seed when `None`.
    pub seed_json: Option<String>,
    /// Interface to bind; `127.0.0.1` when `None`.
    pub host: Option<String>,
    /// Port to bind, 0 for a free one.
    pub port: i64,
    /// The delay per response, in `latency_unit`s.
    pub latency: f64,
    /// The unit of `latency`.
    pub latency_unit: LatencyUnit,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with a certificate made at start-up.
    pub tls: bool,
}

/// Why an embedded emulator did not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// An option is out of range or the seed does not parse: the caller's mistake (`InvalidArgumentError`).
    Invalid(String),
    /// The address could not be bound (a `ConnectionError`).
    Listen(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Invalid(m) | StartError::Listen(m) => f.write_str(m),
        }
    }
}

/// Checks `opts` and starts an emulator on the current tokio runtime (see [`EmbeddedOptions`]).
pub async fn start_embedded(opts: EmbeddedOptions) -> Result<RunningEmulator, StartError> {
    let unit = opts.latency_unit;
    let latency = latency(opts.latency, unit).ok_or_else(|| {
        StartError::Invalid(format!(
            "latency must be a number of {} from 0 to {}, got {}",
            unit.name(),
            MAX_LATENCY.as_secs_f64() * unit.per_second(),
            opts.latency
        ))
    })?;
    let port = u16::try_from(opts.port)
        .map_err(|_| StartError::Invalid(format!("port {} is not 0-65535", opts.port)))?;
    let seed = match opts.seed_json {
        None => Seed::demo(),
        Some(text) => Seed::from_json(&text).map_err(|e| StartError::Invalid(e.0))?,
    };
    let host = opts.host.unwrap_or_else(|| "127.0.0.1".to_string());
    let where_ = format!("{host}:{port}");
    Emulator::builder()
        .seed(seed)
        .host(host)
        .port(port)
        .latency(latency)
        .tls(opts.tls)
        .start()
        .await
        .map_err(|e| StartError::Listen(format!("the emulator could not listen on {where_}: {e}")))
}

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

    /// [`seed`](Self::seed) as JSON text (what the packages' `Emulator` shows as its seed).
    pub fn seed_json(&self) -> String {
        serde_json::to_string(self.seed()).unwrap_or_default()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_a_number_from_zero_to_ten_minutes_in_either_unit() {
        use std::time::Duration;
        assert_eq!(latency(0.0, LatencyUnit::Seconds), Some(Duration::ZERO));
        assert_eq!(
            latency(25.0, LatencyUnit::Milliseconds),
            Some(Duration::from_millis(25))
        );
        assert_eq!(latency(600.0, LatencyUnit::Seconds), Some(MAX_LATENCY));
        assert_eq!(
            latency(600_000.0, LatencyUnit::Milliseconds),
            Some(MAX_LATENCY)
        );
        for bad in [-1.0, 600.001, f64::NAN, f64::INFINITY, -0.0001] {
            assert_eq!(latency(bad, LatencyUnit::Seconds), None, "{bad}");
        }
        assert_eq!(latency(600_001.0, LatencyUnit::Milliseconds), None);
    }

    fn opts() -> EmbeddedOptions {
        EmbeddedOptions {
            seed_json: None,
            host: None,
            port: 0,
            latency: 0.0,
            latency_unit: LatencyUnit::Seconds,
            tls: false,
        }
    }

    /// What the Python and Node packages' `Emulator` refuses, in the words both show.
    #[tokio::test]
    async fn embedded_start_refuses_bad_options_in_one_wording() {
        let refused = |o: EmbeddedOptions| async move {
            match start_embedded(o).await {
                Err(StartError::Invalid(m)) => m,
                other => panic!("expected a refusal, got {other:?}"),
            }
        };
        let m = refused(EmbeddedOptions {
            latency: 601.0,
            ..opts()
        })
        .await;
        assert_eq!(
            m,
            "latency must be a number of seconds from 0 to 600, got 601"
        );
        let m = refused(EmbeddedOptions {
            latency: f64::NAN,
            latency_unit: LatencyUnit::Milliseconds,
            ..opts()
        })
        .await;
        assert_eq!(
            m,
            "latency must be a number of milliseconds from 0 to 600000, got NaN"
        );
        for port in [-1, 65_536] {
            let m = refused(EmbeddedOptions { port, ..opts() }).await;
            assert_eq!(m, format!("port {port} is not 0-65535"));
        }
        let m = refused(EmbeddedOptions {
            seed_json: Some("{".into()),
            ..opts()
        })
        .await;
        assert!(!m.is_empty());
        let emu = start_embedded(EmbeddedOptions {
            latency: 0.025,
            ..opts()
        })
        .await
        .expect("starts");
        assert!(emu.base_url().starts_with("http://127.0.0.1:"));
        assert!(emu.seed_json().starts_with('{'));
        emu.shutdown().await;
    }
}
