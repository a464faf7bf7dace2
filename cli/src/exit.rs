//! The documented exit codes, from the core's one error table.

use flarekit::ErrorKind;

/// Success.
pub const OK: u8 = 0;
/// The API answered with an error (not found, conflict, rate limit, server error, ...).
pub const API_ERROR: u8 = 1;
/// Bad arguments or configuration (nothing was sent, or the client could not be built).
pub const USAGE: u8 = 2;
/// The request did not get an answer: connection refused or dropped, timeout.
pub const CONNECTION: u8 = 3;
/// No credentials, or the API rejected them (9106, 9103, 9109, 10000, 61xx, 1000 from verify).
pub const CREDENTIALS: u8 = 4;

/// The exit code for an error of this kind.
pub fn code_for(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidArgument | ErrorKind::Configuration => USAGE,
        ErrorKind::Connection | ErrorKind::Timeout | ErrorKind::UserAbort => CONNECTION,
        ErrorKind::Authentication | ErrorKind::MissingCredentials => CREDENTIALS,
        _ => API_ERROR,
    }
}
