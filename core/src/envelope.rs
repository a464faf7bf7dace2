//! Decoding `{success, errors, messages, result, result_info}` and turning failures into classified errors.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::credentials::AuthScheme;
use crate::error::{classify, ApiErrorDetail, ApiFailure, Error, ErrorKind, Result};
use crate::retry::server_retry_after;

/// How much of a non-JSON body an error quotes.
const QUOTE_CHARS: usize = 200;

/// A successful response, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u16,
    /// The envelope's `result` (`Null` when absent or for an empty 2xx body; also `Null` when `result_json`
    /// holds it).
    pub result: Value,
    /// Only from [`Cloudflare::execute_raw`](crate::Cloudflare::execute_raw): the envelope's `result` as the JSON
    /// text the server sent, not decoded (`None` when absent or null). A front door that parses JSON itself (Node's
    /// `JSON.parse`) takes it as it is, instead of a `Value` built here and serialised again.
    pub result_json: Option<String>,
    /// The envelope's `result_info`, present on list calls.
    pub result_info: Option<Value>,
    /// The envelope's `messages`.
    pub messages: Value,
    /// Response headers, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// A 2xx body that is neither JSON nor text (a PNG screenshot, a PDF, a zip, a pcap): the bytes as received;
    /// `result` is then `Null`. Front doors hand it over as `bytes` (Python) or a `Buffer` (Node).
    pub content: Option<bytes::Bytes>,
}

impl ApiResponse {
    /// The result as any deserialisable type.
    pub fn into_result<T: serde::de::DeserializeOwned>(self) -> Result<T> {
        if let Some(content) = &self.content {
            return Err(Error::new(
                ErrorKind::ApiStatus,
                format!(
                    "the response is {} bytes of {}, not JSON: read ApiResponse::content",
                    content.len(),
                    self.header("content-type").unwrap_or("binary content")
                ),
            ));
        }
        if let Some(text) = &self.result_json {
            return serde_json::from_str(text).map_err(|e| shape_error(&e));
        }
        serde_json::from_value(self.result).map_err(|e| shape_error(&e))
    }

    /// A response header by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The error for a successful response whose result does not decode as the caller asked (a front door that
/// decodes `result_json` itself raises the same).
pub fn shape_error(e: &serde_json::Error) -> Error {
    Error::new(
        ErrorKind::ApiStatus,
        format!("the response result does not have the expected shape: {e}"),
    )
}

/// What the decoder needs to know about the request that was made.
pub(crate) struct RequestContext<'a> {
    pub path: &'a str,
    pub scheme: AuthScheme,
    pub naming: crate::credentials::Naming,
}

pub(crate) fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
        .to_string()
}

fn quote(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut q: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().nth(QUOTE_CHARS).is_some() {
        q.push('…');
    }
    q
}

/// Content types whose 2xx bodies are handed back as a string (when they are UTF-8).
fn is_text_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    let essence = ct.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence.ends_with("+xml")
        || matches!(
            essence,
            "application/javascript"
                | "application/x-javascript"
                | "application/ecmascript"
                | "application/xml"
                | "application/x-pem-file"
                | "application/pem-certificate-chain"
                | "application/x-ndjson"
                | "application/yaml"
                | "message/rfc822"
                | "string"
        )
}

fn is_json_type(content_type: &str) -> bool {
    let ct = content_type.to_ascii_lowercase();
    ct.is_empty() || ct.contains("json")
}

/// The members of a Cloudflare envelope: a 2xx object with other members and no `result` is data, not an envelope.
const ENVELOPE_KEYS: [&str; 5] = ["success", "errors", "messages", "result", "result_info"];

/// A successful envelope, with `result` left as the text the server sent (the rest of the body is still checked to
/// be valid JSON while it is skipped).
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default)]
    success: Option<Value>,
    #[serde(borrow, default)]
    result: Option<&'a RawValue>,
    #[serde(default)]
    result_info: Option<Value>,
    #[serde(default)]
    messages: Option<Value>,
    /// `errors` and any other member, checked as decoding would check them (with [`Form::TextUnchecked`] no other
    /// pass reads them).
    #[serde(flatten)]
    _rest: std::collections::HashMap<String, Checked>,
}

/// Any JSON value, walked and dropped without building it: numbers are parsed as a `Value` parses them (a number
/// beyond `f64` range is an error), which skipping (`IgnoredAny`, `RawValue`) does not check.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor).map(|()| Checked)
    }
}

struct CheckedVisitor;

impl<'de> serde::de::Visitor<'de> for CheckedVisitor {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> std::result::Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<(), A::Error> {
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(())
    }
}

/// How a successful envelope's `result` is handed back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// Decoded (`ApiResponse::result`).
    Value,
    /// As the server's JSON text (`ApiResponse::result_json`), after a pass that checks it as decoding would
    /// (UTF-8, numbers in range): for a front door whose parser accepts more (`JSON.parse` reads `1e400`).
    Text,
    /// As the server's text without that pass: for callers that decode it with serde_json, which checks the same
    /// as it goes, and report a failure with [`raw_result_error`].
    TextUnchecked,
}

/// The error for a `result` handed back unchecked (see `Cloudflare::execute_raw_unchecked`) whose text then fails
/// to decode: what decoding the response in full reports, without the body.
pub fn raw_result_error(response: &ApiResponse, e: &serde_json::Error) -> Error {
    let detail = format!("response body is not valid JSON ({e})");
    Error::api(
        ErrorKind::ApiStatus,
        ApiFailure {
            status: response.status,
            reason: reason(response.status),
            errors_raw: Value::Array(Vec::new()),
            messages_raw: Value::Array(Vec::new()),
            body: None,
            headers: response.headers.clone(),
            ray_id: response.header("cf-ray").map(str::to_owned),
            retry_after: None,
            detail: Some(detail),
            hint: None,
        },
    )
}

/// Decode one response. `Ok` only for a 2xx whose envelope does not say `success: false`.
/// With a text `form`, a successful envelope's `result` is handed back as JSON text (`result_json`); anything
/// else (errors, non-envelopes) decodes as with [`Form::Value`].
pub(crate) fn decode(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    ctx: &RequestContext<'_>,
    form: Form,
) -> Result<ApiResponse> {
    let ok_status = (200..300).contains(&status);
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let header_list = header_pairs(headers);
    let ray_id = headers
        .get("cf-ray")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);

    let failure = |detail: Option<String>, body_value: Option<Value>| ApiFailure {
        status,
        reason: reason(status),
        errors_raw: Value::Array(Vec::new()),
        messages_raw: Value::Array(Vec::new()),
        body: body_value,
        headers: header_list.clone(),
        ray_id: ray_id.clone(),
        retry_after: server_retry_after(headers),
        detail,
        hint: None,
    };

    if body.iter().all(u8::is_ascii_whitespace) {
        if ok_status {
            return Ok(ApiResponse {
                status,
                result: Value::Null,
                result_json: None,
                result_info: None,
                messages: Value::Array(Vec::new()),
                headers: header_list,
                content: None,
            });
        }
        let kind = classify(status, &[], ctx.path);
        return Err(Error::api(
            kind,
            failure(Some("empty response body".into()), None),
        ));
    }

    // A 2xx that is not JSON is content: text (a PEM file, a script, CSV) as a string, anything else (or text
    // that is not UTF-8) as bytes.
    if ok_status && !is_json_type(&content_type) {
        let text = if is_text_type(&content_type) {
            std::str::from_utf8(body).ok()
        } else {
            None
        };
        return Ok(ApiResponse {
            status,
            result: text.map_or(Value::Null, |t| Value::String(t.to_owned())),
            result_json: None,
            result_info: None,
            messages: Value::Array(Vec::new()),
            headers: header_list,
            content: match text {
                Some(_) => None,
                None => Some(bytes::Bytes::copy_from_slice(body)),
            },
        });
    }

    if form != Form::Value
        && ok_status
        && body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
    {
        // All of the body must be UTF-8 and every number in range, as the full decoding requires (the fields and
        // the result skipped here would not be checked otherwise); a body that fails either decodes in full below,
        // so both modes give the same error.
        if let Some(env) = std::str::from_utf8(body)
            .ok()
            .filter(|text| {
                form == Form::TextUnchecked || serde_json::from_str::<Checked>(text).is_ok()
            })
            .and_then(|text| serde_json::from_str::<RawEnvelope<'_>>(text).ok())
        {
            // Without `result` the body may be the data itself (decoded in full below).
            if !matches!(env.success, Some(Value::Bool(false))) && env.result.is_some() {
                return Ok(ApiResponse {
                    status,
                    result: Value::Null,
                    result_json: env.result.map(|r| r.get().to_owned()),
                    result_info: env.result_info.filter(|v| !v.is_null()),
                    messages: env
                        .messages
                        .filter(Value::is_array)
                        .unwrap_or_else(|| Value::Array(Vec::new())),
                    headers: header_list,
                    content: None,
                });
            }
        }
    }

    let parsed: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            let kind = if ok_status {
                ErrorKind::ApiStatus
            } else {
                classify(status, &[], ctx.path)
            };
            let ct = if content_type.is_empty() {
                "no content type".to_string()
            } else {
                format!("content type {content_type}")
            };
            let what = if std::str::from_utf8(body).is_err() {
                "response body is not valid UTF-8"
            } else {
                "response body is not valid JSON"
            };
            let detail = format!("{what} ({ct}, {e}): {}", quote(body));
            return Err(Error::api(
                kind,
                failure(Some(detail), Some(Value::String(quote(body)))),
            ));
        }
    };

    let Value::Object(mut obj) = parsed else {
        if ok_status {
            // Not an envelope but valid JSON: return it as the result rather than guessing.
            return Ok(ApiResponse {
                status,
                result: parsed,
                result_json: None,
                result_info: None,
                messages: Value::Array(Vec::new()),
                headers: header_list,
                content: None,
            });
        }
        let kind = classify(status, &[], ctx.path);
        let q = quote(body);
        return Err(Error::api(kind, failure(Some(q), Some(parsed))));
    };

    let success = match obj.get("success") {
        Some(Value::Bool(b)) => *b,
        _ => ok_status,
    };
    if ok_status && success {
        if !obj.contains_key("result") && obj.keys().any(|k| !ENVELOPE_KEYS.contains(&k.as_str())) {
            // Not an envelope: about 160 operations (Realtime Kit, Cloudforce One, ...) answer with the data itself,
            // which is then the result, whole.
            return Ok(ApiResponse {
                status,
                result: Value::Object(obj),
                result_json: None,
                result_info: None,
                messages: Value::Array(Vec::new()),
                headers: header_list,
                content: None,
            });
        }
        let result = obj.remove("result").unwrap_or(Value::Null);
        let result_info = obj.remove("result_info").filter(|v| !v.is_null());
        let messages = obj
            .remove("messages")
            .filter(|v| v.is_array())
            .unwrap_or_else(|| Value::Array(Vec::new()));
        return Ok(ApiResponse {
            status,
            result,
            result_json: None,
            result_info,
            messages,
            headers: header_list,
            content: None,
        });
    }

    let errors_raw = obj
        .get("errors")
        .filter(|v| v.is_array())
        .cloned()
        .unwrap_or_else(|| Value::Array(Vec::new()));
    let messages_raw = obj
        .get("messages")
        .filter(|v| v.is_array())
        .cloned()
        .unwrap_or_else(|| Value::Array(Vec::new()));
    let details: Vec<ApiErrorDetail> = errors_raw
        .as_array()
        .map(|a| a.iter().map(ApiErrorDetail::from_value).collect())
        .unwrap_or_default();
    let kind = if ok_status {
        // success:false inside a 2xx: an error all the same; classify by code, never silently return.
        match classify(status, &details, ctx.path) {
            ErrorKind::Authentication => ErrorKind::Authentication,
            _ => ErrorKind::ApiStatus,
        }
    } else {
        classify(status, &details, ctx.path)
    };
    let hint = hint_for(&details, ctx);
    let detail = if ok_status {
        Some("the response says success: false".to_string())
    } else {
        Some(quote(body))
    };
    let mut f = failure(detail, None);
    f.errors_raw = errors_raw;
    f.messages_raw = messages_raw;
    f.body = Some(Value::Object(obj));
    f.hint = hint;
    Err(Error::api(kind, f))
}

fn hint_for(details: &[ApiErrorDetail], ctx: &RequestContext<'_>) -> Option<String> {
    let has = |code: i64| {
        details
            .iter()
            .any(|d| d.code == code || d.error_chain.iter().any(|c| c.code == code))
    };
    if has(6103) && ctx.scheme == AuthScheme::ApiKey {
        return Some(format!(
            "hint: the X-Auth-Key value is not a global API key; if it is an API token, pass it as {} \
             (CLOUDFLARE_API_TOKEN) instead of {}",
            ctx.naming.name("api_token"),
            ctx.naming.name("api_key")
        ));
    }
    None
}
