//! Identifier and secret generation in the shapes the real API uses.

/// A random 32-character lowercase hex identifier (zone, record, token ids...).
pub fn hex_id() -> String {
    random_hex(32)
}

/// `len` random lowercase hex characters.
pub fn random_hex(len: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..len)
        .map(|_| HEX[fastrand::usize(..16)] as char)
        .collect()
}

/// A new API token value: 40 characters of `[A-Za-z0-9_-]`, like real tokens.
pub fn token_value() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..40)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

/// A `cf-ray` header value: 16 hex digits and a colo code (`EMU` marks the emulator).
pub fn ray_id() -> String {
    format!("{}-EMU", random_hex(16))
}

/// Whether `s` is a 32-character hex identifier.
pub fn is_hex_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A random version-4 style UUID (audit log entries and Pages projects use these).
pub fn uuid() -> String {
    let h = random_hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}
