//! Entry points for fuzzers and property tests: the core's pure functions, callable without a server.
//! Not part of the stable API.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::credentials::{resolve, AuthScheme, CredentialOptions, Naming};
use crate::env::EnvSnapshot;
use crate::envelope::{decode, ApiResponse, RequestContext};
use crate::error::Result;

/// Decode a response as the transport would (status, headers, body, the request path).
pub fn decode_envelope(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    path: &str,
) -> Result<ApiResponse> {
    let mut map = HeaderMap::new();
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_bytes(v.as_bytes()),
        ) {
            map.append(k, v);
        }
    }
    decode(
        status,
        &map,
        body,
        &RequestContext {
            path,
            scheme: AuthScheme::ApiToken,
            naming: Naming::Snake,
        },
    )
}

/// Resolve credentials from options and an environment map; returns the auth description.
pub fn resolve_credentials(
    options: &CredentialOptions,
    env: &std::collections::BTreeMap<String, String>,
) -> Result<String> {
    let snap = EnvSnapshot::read(env);
    let r = resolve(options, &snap, Naming::Snake)?;
    // Building the headers is part of what must never panic for an accepted value.
    let _ = r.credentials.headers();
    Ok(r.info.description().to_string())
}

/// Validate a header-bound text the way credentials and default headers are validated.
pub fn validate_header_text(label: &str, value: &str) -> Result<()> {
    crate::credentials::validate_header_text(label, value)
}
