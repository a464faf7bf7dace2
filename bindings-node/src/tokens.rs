//! `cf.tokens` and `cf.whoami()`: the core's token operations by name (`flarekit::tokens::dispatch`); the JS wrapper
//! (`js/tokens.js`) keeps a created or rolled value in a `Secret`. `cliMain` runs the CLI crate for the npm `bin`.

use flarekit::tokens::{dispatch, expose};
use flarekit::Naming;
use napi_derive::napi;
use serde_json::Value;
use tracing::Instrument;

use crate::client::NativeClient;
use crate::errors::ErrorInfo;
use crate::logging;

/// A settled token operation (never a rejection, so the wrapper raises the right class).
#[napi(object)]
pub struct TokensOutcome {
    pub error: Option<ErrorInfo>,
    /// The result as JSON text (never holding a token value).
    pub json: Option<String>,
    /// The value of a token just created or rolled; the wrapper puts it in a `Secret` at once.
    pub secret: Option<String>,
}

#[napi]
impl NativeClient {
    /// Run token operation `op` (`create`, `verify`, `whoami`, `roll`, `revoke`, `list`, `expiring`,
    /// `permission_groups`) with JSON arguments (camelCase; numbers of milliseconds).
    #[napi]
    pub async fn tokens_call(&self, op: String, args_json: Option<String>) -> TokensOutcome {
        let args = match args_json.as_deref().map(serde_json::from_str::<Value>) {
            None => Value::Null,
            Some(Ok(v)) => v,
            Some(Err(e)) => {
                let err = flarekit::Error::new(
                    flarekit::ErrorKind::InvalidArgument,
                    format!("token operation arguments are not JSON: {e}"),
                );
                return failed(&err);
            }
        };
        let fut = dispatch::call(&self.inner, &op, &args, Naming::Camel);
        let out = match self.log_id {
            Some(id) => fut.instrument(logging::span(id)).await,
            None => fut.await,
        };
        match out {
            Ok(reply) => TokensOutcome {
                error: None,
                json: Some(reply.value.to_string()),
                secret: reply.secret.as_ref().map(|s| expose(s).to_string()),
            },
            Err(e) => failed(&e),
        }
    }
}

fn failed(e: &flarekit::Error) -> TokensOutcome {
    TokensOutcome {
        error: Some(e.into()),
        json: None,
        secret: None,
    }
}

/// The `flarekit` command (the CLI crate) with these arguments, the program name first; returns the exit code.
// Called from JS only (the napi registration is not compiled into `cargo test`).
#[cfg_attr(test, allow(dead_code))]
#[napi]
pub fn cli_main(argv: Vec<String>) -> u32 {
    u32::from(flarekit_cli::run(argv))
}
