//! The `flarekit` command, on the flarekit core. The same code runs as the Rust binary, the Python package's
//! console script and the npm package's `bin` (each calls [`run`]).
//!
//! Exit codes: 0 success, 1 API error, 2 usage or configuration error, 3 connection or timeout, 4 missing or
//! rejected credentials ([`exit`]). Errors are one line on stderr. The only secret ever printed is the value of a
//! token just created or rolled, once, on stdout.

mod api;
mod args;
pub mod exit;
mod output;
mod token;

use std::ffi::OsString;
use std::time::Duration;

use clap::Parser;
use flarekit::{Cloudflare, Error};

use args::{Cli, Command};

/// Parses `args` (the program name first) and runs the command; returns the exit code.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return exit::OK;
        }
        Err(e) => {
            // clap's first line says what is wrong; the usage block it adds is what --help shows.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            let what = first.strip_prefix("error: ").unwrap_or(first);
            output::error_line(&format!(
                "{what} (see flarekit --help, or --help after a command)"
            ));
            return exit::USAGE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            output::error_line(&format!("cannot start the I/O runtime: {e}"));
            return exit::USAGE;
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(()) => exit::OK,
        Err(e) => {
            output::error(&e);
            exit::code_for(e.kind())
        }
    }
}

fn client(cli: &Cli) -> flarekit::Result<Cloudflare> {
    let mut b = Cloudflare::builder().runtime(concat!("flarekit-cli ", env!("CARGO_PKG_VERSION")));
    if let Some(t) = cli.timeout {
        if !(t.is_finite() && t > 0.0 && t <= 86_400.0) {
            return Err(Error::new(
                flarekit::ErrorKind::Configuration,
                format!("--timeout {t} must be a number of seconds above 0 and at most 86400"),
            ));
        }
        b = b.timeout(Duration::from_secs_f64(t));
    }
    if let Some(n) = cli.max_retries {
        b = b.max_retries(n);
    }
    if let Some(path) = &cli.ca_bundle {
        b = b.ca_bundle(path);
    }
    b.build()
}

async fn dispatch(cli: Cli) -> flarekit::Result<()> {
    let cf = client(&cli)?;
    match cli.command {
        Command::Whoami(a) => token::whoami(&cf, a.json).await,
        Command::Token(t) => token::run(&cf, t).await,
        Command::Api(a) => api::api(&cf, a).await,
        Command::Call(a) => api::call(&cf, a).await,
    }
}
