//! `flarekit-emulator [--port 8787] [--host 127.0.0.1] [--seed FILE] [--latency 25ms] [--tls]`
//!
//! Prints `flarekit-emulator listening on http://HOST:PORT/client/v4` as its first
//! line (tests start it with `--port 0` and read the port from there), then the
//! seed's credentials, one per line. Stops on SIGINT or SIGTERM with exit code 0.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use flarekit_emulator::{Emulator, Seed};

const USAGE: &str = "usage: flarekit-emulator [--port PORT] [--host HOST] [--seed FILE] [--reveal-secrets]\n\n  --port PORT   port to listen on (default 8787; 0 picks a free one)\n  --host HOST   address to bind (default 127.0.0.1)\n  --seed FILE   JSON seed file (default: the built-in demo seed)\n  --reveal-secrets  show credential headers in the request log (client test suites only)\n  --latency DUR     delay every API response (25ms, 0.5s; default none): a real link on loopback\n  --tls             serve HTTPS (HTTP/2 and HTTP/1.1) with a certificate made at start-up; its CA is written\n                    to a file whose path is printed (`tls ca: PATH`)\n";

struct Args {
    port: u16,
    host: String,
    seed: Option<PathBuf>,
    reveal_secrets: bool,
    latency: std::time::Duration,
    tls: bool,
}

/// `25ms`, `0.5s`, `2` (seconds).
fn parse_latency(v: &str) -> Result<std::time::Duration, String> {
    let t = v.trim();
    let (num, unit) = if let Some(n) = t.strip_suffix("ms") {
        (n, flarekit_emulator::LatencyUnit::Milliseconds)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, flarekit_emulator::LatencyUnit::Seconds)
    } else {
        (t, flarekit_emulator::LatencyUnit::Seconds)
    };
    match num
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|x| flarekit_emulator::latency(x, unit))
    {
        Some(d) => Ok(d),
        None => Err(format!(
            "--latency must be a duration such as 25ms or 0.5s (at most 600s), not {v:?}"
        )),
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        port: 8787,
        host: "127.0.0.1".into(),
        seed: None,
        reveal_secrets: false,
        latency: std::time::Duration::ZERO,
        tls: false,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" | "-p" => {
                let v = value()?;
                out.port = v
                    .parse()
                    .map_err(|_| format!("--port must be a number from 0 to 65535, not {v:?}"))?;
            }
            "--host" => out.host = value()?,
            "--seed" => out.seed = Some(PathBuf::from(value()?)),
            "--reveal-secrets" => out.reveal_secrets = true,
            "--latency" => out.latency = parse_latency(&value()?)?,
            "--tls" => out.tls = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(out))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("flarekit-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let seed = match &args.seed {
        Some(path) => match Seed::from_file(path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("flarekit-emulator: {e}");
                return ExitCode::from(2);
            }
        },
        None => Seed::demo(),
    };
    let signalled = shutdown_signal();
    let emu = match Emulator::builder()
        .seed(seed)
        .host(args.host.clone())
        .port(args.port)
        .reveal_secrets(args.reveal_secrets)
        .latency(args.latency)
        .tls(args.tls)
        .start()
        .await
    {
        Ok(e) => e,
        Err(e) => {
            eprintln!(
                "flarekit-emulator: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::from(1);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        // The first line is a contract: clients parse the base URL from it.
        let _ = writeln!(out, "flarekit-emulator listening on {}", emu.base_url());
        let _ = out.flush();
        let _ = writeln!(out, "admin api: {}", emu.admin_url());
        if let Some(pem) = emu.ca_pem() {
            let path = std::env::temp_dir()
                .join(format!("flarekit-emulator-{}-ca.pem", emu.addr().port()));
            match std::fs::write(&path, pem) {
                Ok(()) => {
                    let _ = writeln!(out, "tls ca: {}", path.display());
                }
                Err(e) => eprintln!(
                    "flarekit-emulator: cannot write the CA to {}: {e}",
                    path.display()
                ),
            }
        }
        if !args.latency.is_zero() {
            let _ = writeln!(out, "latency: {:?} per response", args.latency);
        }
        for line in emu.seed().credential_lines() {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }
    signalled.await;
    emu.shutdown().await;
    ExitCode::SUCCESS
}

/// Registers SIGINT/SIGTERM handlers now (before the banner, so a supervisor that
/// signals as soon as it reads the first line cannot kill the process by default
/// action) and returns a future that completes on the first signal.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let handlers =
            signal(SignalKind::interrupt()).and_then(|i| Ok((i, signal(SignalKind::terminate())?)));
        async move {
            match handlers {
                Ok((mut int, mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
