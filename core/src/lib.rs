//! flarekit: a Cloudflare API v4 client. This crate is the core every front door (Rust, Python, Node) shares:
//! credential resolution, transport and retries, envelope decoding, error classification and the operation table.
//!
//! ```no_run
//! # async fn run() -> flarekit::Result<()> {
//! let cf = flarekit::Cloudflare::from_env()?;
//! let zones = cf.get("/zones").query(serde_json::json!({"per_page": 5})).await?;
//! println!("{}", zones.result);
//! # Ok(()) }
//! ```

mod client;
mod config;
mod credentials;
pub mod env;
mod envelope;
mod error;
mod operation_call;
pub mod operations;
pub mod options;
pub mod pagination;
mod proxy;
pub mod query;
mod ratelimit;
pub mod retry;
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing;
pub mod tokens;
mod transport;
pub mod typed;

pub use client::{prepare_generic, Call, Cloudflare};
pub use config::{
    validate_base_url, ClientBuilder, LogLevel, CONNECT_TIMEOUT, DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
};
pub use credentials::{AuthInfo, AuthScheme, CredentialOptions, CredentialSource, Naming};
pub use envelope::{raw_result_error, shape_error, ApiResponse};
pub use error::{classify, ApiErrorDetail, Error, ErrorKind, Result};
pub use operation_call::{lookup, OperationCall};
pub use operations::{CallArgs, FileArg, Operation, PaginationKind, Verb};
pub use options::RawValue;
pub use pagination::{Page, Pager};
pub use transport::{Part, PreparedRequest, RequestBody};

/// Re-exported so callers can hold secrets the way the client does.
pub use secrecy::SecretString;

/// The crate version, as sent in the User-Agent.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
