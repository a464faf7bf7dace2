//! Hooks for `bench/decode.mjs`, compiled only with the `bench-hooks` feature: never part of the package.

use std::sync::atomic::{AtomicBool, Ordering};

use napi_derive::napi;

use crate::errors;

static NATIVE_DECODE: AtomicBool = AtomicBool::new(false);

/// How results cross to JS from now on in this process: `true` builds JS objects through N-API, `false` hands
/// JSON text to `JSON.parse` (the default, and the only way in a build without this feature).
#[napi]
pub fn set_native_decode(native: bool) {
    NATIVE_DECODE.store(native, Ordering::Relaxed);
}

pub(crate) fn native_decode() -> bool {
    NATIVE_DECODE.load(Ordering::Relaxed)
}

/// One parsed result, handed to JS either way so the two can be timed apart.
#[napi]
pub struct DecodeBench {
    value: serde_json::Value,
}

#[napi]
impl DecodeBench {
    #[napi(constructor)]
    pub fn new(json: String) -> errors::Result<Self> {
        let value = serde_json::from_str(&json).map_err(|e| errors::invalid(e.to_string()))?;
        Ok(DecodeBench { value })
    }

    /// The result as JSON text (what `send` does off the JS thread before `JSON.parse`).
    #[napi]
    pub fn text(&self) -> String {
        self.value.to_string()
    }

    /// The result built as JS objects through N-API (on the JS thread).
    #[napi]
    pub fn objects(&self) -> serde_json::Value {
        self.value.clone()
    }
}
