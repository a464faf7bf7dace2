//! Sending prepared calls and walking pages, with cancellation and result decoding.

use std::sync::Arc;

use flarekit as fk;
use napi_derive::napi;
use serde_json::Value;
use tracing::Instrument;

use crate::cancel::Cancel;
use crate::errors::{throw, ErrorInfo, Result};
use crate::logging;

/// How a result reaches JS. JSON text handed to `JSON.parse` measured faster than building objects
/// natively (see bench/decode.mjs), so it is the only way in the package; `Native` exists for re-measuring, in
/// builds with the `bench-hooks` feature. The text is the server's own (`Cloudflare::execute_raw`): the core
/// checks the envelope but never builds a `Value` of the result.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Decode {
    JsonText,
    #[cfg(feature = "bench-hooks")]
    Native,
}

impl Decode {
    fn current() -> Decode {
        #[cfg(feature = "bench-hooks")]
        if crate::bench_hooks::native_decode() {
            return Decode::Native;
        }
        Decode::JsonText
    }
}

/// The settled outcome of a call: never a rejection, so `index.js` can raise the right error class.
#[napi(object)]
pub struct Outcome {
    pub error: Option<ErrorInfo>,
    /// The result (items, for a page) as JSON text.
    pub json: Option<String>,
    /// The result (items, for a page) as a JS value: only in builds with the `bench-hooks` feature, when it
    /// asked for native decoding.
    pub value: Option<Value>,
    pub result_info_json: Option<String>,
    /// For pages: whether another page exists.
    pub has_next: bool,
    pub status: u32,
    /// The envelope's `messages` as JSON text, when the whole response was asked for.
    pub messages_json: Option<String>,
    /// Response headers `[[name, value], ...]`, when the whole response was asked for.
    pub headers: Option<Vec<Vec<String>>>,
    /// A 2xx body that is neither JSON nor text (an image, a PDF, a zip): the result, as a `Buffer`.
    pub content: Option<napi::bindgen_prelude::Buffer>,
}

impl Outcome {
    fn failed(e: &fk::Error) -> Outcome {
        Outcome {
            error: Some(e.into()),
            json: None,
            value: None,
            result_info_json: None,
            has_next: false,
            status: 0,
            messages_json: None,
            headers: None,
            content: None,
        }
    }

    fn ok(
        result: Value,
        result_json: Option<String>,
        result_info: Option<Value>,
        has_next: bool,
        status: u16,
        decode: Decode,
    ) -> Outcome {
        let (json, value) = match (decode, result_json) {
            (Decode::JsonText, Some(text)) => (Some(text), None),
            (Decode::JsonText, None) => (Some(result.to_string()), None),
            #[cfg(feature = "bench-hooks")]
            (Decode::Native, Some(text)) => (
                None,
                Some(serde_json::from_str(&text).unwrap_or(Value::Null)),
            ),
            #[cfg(feature = "bench-hooks")]
            (Decode::Native, None) => (None, Some(result)),
        };
        Outcome {
            error: None,
            json,
            value,
            result_info_json: result_info.map(|v| v.to_string()),
            has_next,
            status: status.into(),
            messages_json: None,
            headers: None,
            content: None,
        }
    }
}

async fn in_span<T>(log_id: Option<u64>, fut: impl std::future::Future<Output = T>) -> T {
    match log_id {
        Some(id) => fut.instrument(logging::span(id)).await,
        None => fut.await,
    }
}

/// One prepared request.
#[napi]
pub struct NativeCall {
    client: fk::Cloudflare,
    req: fk::PreparedRequest,
    cancel: Cancel,
    log_id: Option<u64>,
}

impl NativeCall {
    pub(crate) fn new(
        client: fk::Cloudflare,
        req: fk::PreparedRequest,
        log_id: Option<u64>,
    ) -> NativeCall {
        NativeCall {
            client,
            req,
            cancel: Cancel::default(),
            log_id,
        }
    }
}

#[napi]
impl NativeCall {
    /// Abort the call: it settles with `APIUserAbortError` and its connection is dropped.
    #[napi]
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// The method and path (with query) this call sends, for debugging.
    #[napi(getter)]
    pub fn target(&self) -> String {
        format!("{} {}", self.req.verb.as_str(), self.req.path_and_query())
    }

    /// Send (with the core's retries) and settle with the decoded outcome.
    /// With `full`, the outcome also carries the envelope's `messages` and the response headers.
    #[napi]
    pub async fn send(&self, full: Option<bool>) -> Outcome {
        let decode = Decode::current();
        let raw = decode == Decode::JsonText;
        let fut = self.cancel.run(async {
            if raw {
                self.client.execute_raw(&self.req).await
            } else {
                self.client.execute(&self.req).await
            }
        });
        match in_span(self.log_id, fut).await {
            Ok(r) => {
                let extra = full.unwrap_or(false).then(|| {
                    let headers = r
                        .headers
                        .iter()
                        .map(|(k, v)| vec![k.clone(), v.clone()])
                        .collect();
                    (r.messages.to_string(), headers)
                });
                let mut out = Outcome::ok(
                    r.result,
                    r.result_json,
                    r.result_info,
                    false,
                    r.status,
                    decode,
                );
                if let Some((messages, headers)) = extra {
                    out.messages_json = Some(messages);
                    out.headers = Some(headers);
                }
                out.content = r.content.map(|b| b.to_vec().into());
                out
            }
            Err(e) => Outcome::failed(&e),
        }
    }
}

/// The pages of one list call. `fork` gives an independent copy, so every JS page can fetch its own next page.
#[napi]
pub struct NativePager {
    inner: Arc<tokio::sync::Mutex<fk::Pager>>,
    cancel: Cancel,
    log_id: Option<u64>,
}

impl NativePager {
    pub(crate) fn new(pager: fk::Pager, cancel: Cancel, log_id: Option<u64>) -> NativePager {
        NativePager {
            inner: Arc::new(tokio::sync::Mutex::new(pager)),
            cancel,
            log_id,
        }
    }
}

#[napi]
impl NativePager {
    /// A copy at the same position (sharing cancellation).
    #[napi]
    pub fn fork(&self) -> Result<NativePager> {
        let pager = self
            .inner
            .try_lock()
            .map_err(|_| {
                throw(fk::Error::new(
                    fk::ErrorKind::InvalidArgument,
                    "a page is still being fetched",
                ))
            })?
            .clone();
        Ok(NativePager::new(pager, self.cancel.clone(), self.log_id))
    }

    /// Abort the walk: the fetch in flight and every later one settle with `APIUserAbortError`.
    #[napi]
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Fetch the next page; an empty, last page after the end.
    #[napi]
    pub async fn next(&self) -> Outcome {
        let decode = Decode::current();
        let raw = decode == Decode::JsonText;
        let inner = self.inner.clone();
        let fut = self.cancel.run(async move {
            let mut pager = inner.lock().await;
            if raw {
                pager.next_page_raw().await
            } else {
                pager.next_page().await
            }
        });
        match in_span(self.log_id, fut).await {
            Ok(Some(page)) => {
                let has_next = page.has_next_page();
                let status = page.response.status;
                Outcome::ok(
                    Value::Array(page.items),
                    page.items_json,
                    page.result_info,
                    has_next,
                    status,
                    decode,
                )
            }
            Ok(None) => Outcome::ok(Value::Array(Vec::new()), None, None, false, 200, decode),
            Err(e) => Outcome::failed(&e),
        }
    }
}
