//! Entry points for fuzzers and property tests: the core's pure functions, callable without a server.
//! Not part of the stable API: compiled only with the `testing` feature (the fuzz crate and the crate's own tests
//! turn it on).

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::credentials::{resolve, AuthScheme, CredentialOptions, Naming};
use crate::env::EnvSnapshot;
use crate::envelope::{decode, ApiResponse, Form, RequestContext};
use crate::error::Result;

/// Decode a response as the transport would (status, headers, body, the request path).
pub fn decode_envelope(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    path: &str,
) -> Result<ApiResponse> {
    decode_with(status, headers, body, path, Form::Value)
}

/// Like [`decode_envelope`], with the successful `result` left as JSON text (`ApiResponse::result_json`), as
/// [`Cloudflare::execute_raw`](crate::Cloudflare::execute_raw) decodes.
pub fn decode_envelope_raw(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    path: &str,
) -> Result<ApiResponse> {
    decode_with(status, headers, body, path, Form::Text)
}

fn decode_with(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    path: &str,
    form: Form,
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
    let ctx = RequestContext {
        path,
        scheme: AuthScheme::ApiToken,
        naming: Naming::Snake,
    };
    decode(status, &map, body, &ctx, form)
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

/// Fuzz properties: each function takes arbitrary bytes, runs one pure part of the core on them and panics when
/// a property breaks (or when the core itself panics). The cargo-fuzz targets in `fuzz/` call them, and
/// `core/tests/fuzz_corpus.rs` replays the committed corpus through them on every `make test`.
pub mod fuzz {
    use std::collections::BTreeMap;

    use percent_encoding::{percent_decode_str, utf8_percent_encode};
    use secrecy::SecretString;
    use serde_json::{Map, Value};

    use crate::credentials::CredentialOptions;
    use crate::operations::{CallArgs, QueryStyle, OPERATIONS};
    use crate::query::{encode, flatten, COMPONENT};

    /// Split `data` on 0xFF bytes (never part of UTF-8), each part read as (lossy) UTF-8 text.
    fn parts(data: &[u8]) -> Vec<String> {
        data.split(|b| *b == 0xFF)
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect()
    }

    fn forbidden_in_header(c: char) -> bool {
        c.is_control() || !c.is_ascii()
    }

    /// Envelope decoding: byte 0-1 pick the status (100-599), then `name: value` header lines up to the first
    /// 0xFF byte, then the body. Never panics; success only for a 2xx status; an error carries the status.
    pub fn envelope(data: &[u8]) {
        if data.len() < 2 {
            return;
        }
        let status = 100 + u16::from_le_bytes([data[0], data[1]]) % 500;
        let rest = &data[2..];
        let (head, body) = match rest.iter().position(|b| *b == 0xFF) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (&[][..], rest),
        };
        let headers: Vec<(String, String)> = String::from_utf8_lossy(head)
            .lines()
            .filter_map(|l| {
                l.split_once(':')
                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            })
            .collect();
        let paths = [
            "/zones",
            "/user/tokens/verify",
            "/accounts/a1/tokens/verify",
            "/certificates",
        ];
        let path = paths[data[0] as usize % paths.len()];
        let full = super::decode_envelope(status, &headers, body, path);
        // The raw mode (result left as JSON text) agrees with the full decoding on every input.
        match (
            &full,
            super::decode_envelope_raw(status, &headers, body, path),
        ) {
            (Ok(a), Ok(b)) => {
                let b_result = match &b.result_json {
                    Some(text) => serde_json::from_str(text).expect("result_json is JSON"),
                    None => b.result.clone(),
                };
                assert_eq!(
                    a.result, b_result,
                    "raw and full decoding disagree on the result"
                );
                assert_eq!(a.result_info, b.result_info);
                assert_eq!(a.content, b.content);
                if let Some(content) = &a.content {
                    assert_eq!(content.as_ref(), body, "content is the body as received");
                    assert!(a.result.is_null());
                }
                assert_eq!(a.messages, b.messages);
            }
            (Err(a), Err(b)) => assert_eq!(a.kind(), b.kind()),
            (a, b) => panic!("raw and full decoding disagree: {a:?} / {b:?}"),
        }
        match full {
            Ok(resp) => {
                assert!(
                    (200..300).contains(&status),
                    "status {status} decoded as a success"
                );
                assert_eq!(resp.status, status);
                let _ = format!("{resp:?}");
            }
            Err(e) => {
                assert!(!e.message().is_empty(), "an error without a message");
                if !(200..300).contains(&status) {
                    assert_eq!(e.status(), Some(status), "{e}");
                }
                let _ = format!("{e} {e:?}");
            }
        }
    }

    /// Credential resolution and header validation: byte 0 says which of the four options and four environment
    /// variables are set; the values follow, split on 0xFF. An accepted set builds its headers (the core `expect`s
    /// that validation made them valid) and its description never contains a value; a rejected one says why
    /// without quoting a value.
    pub fn credentials(data: &[u8]) {
        let Some((&mask, rest)) = data.split_first() else {
            return;
        };
        let values = parts(rest);
        let text = credentials_text(mask, &values, |v| v.to_string());
        // The same input with every letter and digit rotated: a value of the input that shows in `text` but not
        // in `twin` was quoted from the input; one that shows in both is the core's own wording.
        let twin = credentials_text(mask, &values, rotate);
        for (i, v) in values.iter().enumerate().take(8) {
            let v = v.trim();
            if mask & (1 << i) != 0 && v.len() >= 8 {
                assert!(
                    !text.contains(v) || twin.contains(v),
                    "a credential value appears in {text:?}"
                );
            }
        }
        for (i, v) in values.iter().enumerate().take(4) {
            let label = ["api_token", "api_key", "api_email", "user_service_key"][i];
            let ok = super::validate_header_text(label, v).is_ok();
            assert_eq!(
                ok,
                !v.chars().any(forbidden_in_header),
                "validation of {v:?}"
            );
        }
    }

    /// Letters and digits rotated within their class; everything else (what validation looks at) kept.
    fn rotate(v: &str) -> String {
        v.chars()
            .map(|c| match c {
                'a'..='z' => (b'a' + (c as u8 - b'a' + 13) % 26) as char,
                'A'..='Z' => (b'A' + (c as u8 - b'A' + 13) % 26) as char,
                '0'..='9' => (b'0' + (c as u8 - b'0' + 5) % 10) as char,
                other => other,
            })
            .collect()
    }

    /// Resolve the credentials byte `mask` selects (bits 0-3 options, 4-7 environment variables) from `values`
    /// mapped through `map`; the description, or the error's message and `Debug`.
    fn credentials_text(mask: u8, values: &[String], map: impl Fn(&str) -> String) -> String {
        let value = |i: usize| -> Option<String> {
            (mask & (1 << i) != 0).then(|| map(values.get(i).map(String::as_str).unwrap_or("")))
        };
        let secret = |i: usize| value(i).map(SecretString::from);
        let options = CredentialOptions {
            api_token: secret(0),
            api_key: secret(1),
            api_email: secret(2),
            user_service_key: secret(3),
        };
        let mut env = BTreeMap::new();
        for (i, name) in [
            "CLOUDFLARE_API_TOKEN",
            "CLOUDFLARE_API_KEY",
            "CLOUDFLARE_EMAIL",
            "CLOUDFLARE_API_USER_SERVICE_KEY",
        ]
        .iter()
        .enumerate()
        {
            if let Some(v) = value(4 + i) {
                env.insert((*name).to_string(), v);
            }
        }
        match super::resolve_credentials(&options, &env) {
            Ok(description) => description,
            Err(e) => {
                assert!(
                    e.kind().is_authentication() || e.kind().as_str() == "ConfigurationError",
                    "{e:?}"
                );
                format!("{e} {e:?}")
            }
        }
    }

    /// Path filling: bytes 0-1 pick an operation of the table, the rest gives its path parameters (split on 0xFF).
    /// An accepted call has exactly the template's segments, each parameter percent-encoded into its own segment
    /// (decoding gives the value back), no query or fragment smuggled in and no dot segment; a refused one names
    /// the operation.
    pub fn path(data: &[u8]) {
        if data.len() < 2 {
            return;
        }
        let op = &OPERATIONS[u16::from_le_bytes([data[0], data[1]]) as usize % OPERATIONS.len()];
        let values = parts(&data[2..]);
        let mut params = Map::new();
        for (name, v) in op.path_params.iter().zip(values.iter()) {
            params.insert((*name).to_string(), Value::String(v.clone()));
        }
        let args = CallArgs {
            params: params.clone(),
            ..CallArgs::default()
        };
        match op.prepare(args, None) {
            Ok(req) => {
                assert!(
                    !req.path.contains('?') && !req.path.contains('#'),
                    "{}",
                    req.path
                );
                let want: Vec<&str> = op.path.split('/').collect();
                let got: Vec<&str> = req.path.split('/').collect();
                assert_eq!(want.len(), got.len(), "{} filled as {}", op.path, req.path);
                for (w, g) in want.iter().zip(&got) {
                    assert!(*g != "." && *g != "..", "dot segment in {}", req.path);
                    let whole = w
                        .strip_prefix('{')
                        .and_then(|w| w.strip_suffix('}'))
                        .filter(|name| !name.contains('{'));
                    if let Some(name) = whole {
                        let decoded = percent_decode_str(g).decode_utf8().expect("utf-8 segment");
                        assert_eq!(params.get(name), Some(&Value::String(decoded.into_owned())));
                    } else {
                        // Literal text, or several placeholders in one segment (`{event_t}.{event_n}`): each
                        // placeholder becomes its value, escaped, and the literal text stays.
                        let mut expect = w.to_string();
                        for (name, v) in &params {
                            let text = v.as_str().unwrap_or_default();
                            let escaped: String = utf8_percent_encode(text, COMPONENT).collect();
                            expect = expect.replace(&format!("{{{name}}}"), &escaped);
                        }
                        assert_eq!(&expect, g, "segment {w} of {}", op.path);
                    }
                }
            }
            Err(e) => {
                assert!(e.message().starts_with(&op.full_name()), "{e}");
                assert_eq!(e.kind().as_str(), "InvalidArgumentError", "{e}");
            }
        }
    }

    /// Query flattening: the bytes as JSON. An object flattens to pairs whose encoding uses only unreserved
    /// characters and escapes, and decodes back to the same pairs; anything but an object or null is refused.
    pub fn query(data: &[u8]) {
        let Ok(v) = serde_json::from_slice::<Value>(data) else {
            return;
        };
        let style = |k: &str| {
            if k.starts_with('t') {
                QueryStyle::Comma
            } else {
                QueryStyle::Repeat
            }
        };
        match flatten(&v, &style) {
            Ok(pairs) => {
                assert!(v.is_object() || v.is_null());
                let wire = encode(&pairs);
                assert!(
                    wire.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.~%&=".contains(c)),
                    "{wire}"
                );
                let back: Vec<(String, String)> = if wire.is_empty() {
                    Vec::new()
                } else {
                    wire.split('&')
                        .map(|kv| {
                            let (k, v) = kv.split_once('=').expect("k=v");
                            let d = |s: &str| {
                                percent_decode_str(s)
                                    .decode_utf8()
                                    .expect("utf-8")
                                    .into_owned()
                            };
                            (d(k), d(v))
                        })
                        .collect()
                };
                assert_eq!(back, pairs);
                if let Value::Object(m) = &v {
                    for (k, _) in &pairs {
                        assert!(
                            m.keys()
                                .any(|top| k == top || k.starts_with(&format!("{top}."))),
                            "{k}"
                        );
                    }
                }
            }
            Err(e) => {
                assert!(!(v.is_object() || v.is_null()), "{e}");
            }
        }
    }
}
