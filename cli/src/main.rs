//! `flarekit`: see [`flarekit_cli`] for the commands and exit codes.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(flarekit_cli::run(std::env::args_os()))
}
