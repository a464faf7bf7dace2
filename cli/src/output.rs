//! Writing to stdout and stderr (a closed pipe is not an error worth a panic).

use std::io::Write;

use serde_json::Value;

/// One line on stdout.
pub fn line(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{s}");
    let _ = out.flush();
}

/// JSON, pretty, on stdout.
pub fn json(v: &Value) {
    line(&serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()));
}

/// A note for the person at the terminal, on stderr.
pub fn note(s: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{s}");
}

/// One error line on stderr.
pub fn error_line(s: &str) {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(std::io::stderr().lock(), "flarekit: {one}");
}

/// The core's message (with its hints), on one line.
pub fn error(e: &flarekit::Error) {
    error_line(&format!("{}: {}", e.kind(), e.message()));
}
