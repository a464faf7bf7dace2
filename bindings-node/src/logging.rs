//! The core's `tracing` events, routed to the JS `logger` of the client that made them.
//!
//! Each client with logging on registers a (weak) threadsafe function under an id; its calls run inside a
//! span carrying that id, so events from any tokio thread reach the right logger. The core decides what is
//! logged and at which level (`CLOUDFLARE_LOG` / `logLevel`) and never logs a secret.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock};

use napi::bindgen_prelude::Unknown;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;
use tracing_subscriber::registry::LookupSpan;

/// One log event: `logger[level](message, fields)`.
#[napi(object)]
pub struct LogEvent {
    pub level: String,
    pub message: String,
    pub fields: Value,
}

/// The JS function that receives events; weak, so a client never keeps the process alive.
pub type LoggerFn =
    ThreadsafeFunction<LogEvent, Unknown<'static>, LogEvent, napi::Status, false, true>;

const SPAN_TARGET: &str = "flarekit_node";
const CLIENT_FIELD: &str = "client";

fn loggers() -> &'static Mutex<HashMap<u64, Arc<LoggerFn>>> {
    static L: OnceLock<Mutex<HashMap<u64, Arc<LoggerFn>>>> = OnceLock::new();
    L.get_or_init(Default::default)
}

pub(crate) fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Install the routing subscriber once per process (unless the host already set one).
pub(crate) fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ =
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(JsLayer));
    });
}

pub(crate) fn register(id: u64, f: LoggerFn) {
    loggers()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, Arc::new(f));
}

pub(crate) fn unregister(id: u64) {
    loggers()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&id);
}

/// The span a client's work runs in, so its events find the client's logger.
pub(crate) fn span(id: u64) -> tracing::Span {
    tracing::info_span!(target: SPAN_TARGET, "flarekit", client = id)
}

struct ClientId(u64);

struct JsLayer;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for JsLayer {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        if meta.target().starts_with("flarekit") {
            tracing::subscriber::Interest::always()
        } else {
            tracing::subscriber::Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>, _: Context<'_, S>) -> bool {
        meta.target().starts_with("flarekit")
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        struct V(Option<u64>);
        impl Visit for V {
            fn record_u64(&mut self, f: &Field, v: u64) {
                if f.name() == CLIENT_FIELD {
                    self.0 = Some(v);
                }
            }
            fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
        }
        let mut v = V(None);
        attrs.record(&mut v);
        if let (Some(client), Some(span)) = (v.0, ctx.span(id)) {
            span.extensions_mut().insert(ClientId(client));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        let Some(client) = scope
            .from_root()
            .find_map(|s| s.extensions().get::<ClientId>().map(|c| c.0))
        else {
            return;
        };
        let Some(f) = loggers()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&client)
            .cloned()
        else {
            return;
        };
        let mut fields = Fields {
            message: String::new(),
            map: Map::new(),
        };
        event.record(&mut fields);
        let level = match *event.metadata().level() {
            Level::ERROR => "error",
            Level::WARN => "warn",
            Level::INFO => "info",
            _ => "debug",
        };
        f.call(
            LogEvent {
                level: level.to_string(),
                message: fields.message,
                fields: Value::Object(fields.map),
            },
            ThreadsafeFunctionCallMode::NonBlocking,
        );
    }
}

struct Fields {
    message: String,
    map: Map<String, Value>,
}

impl Visit for Fields {
    fn record_u64(&mut self, f: &Field, v: u64) {
        self.map.insert(f.name().to_string(), v.into());
    }
    fn record_i64(&mut self, f: &Field, v: i64) {
        self.map.insert(f.name().to_string(), v.into());
    }
    fn record_bool(&mut self, f: &Field, v: bool) {
        self.map.insert(f.name().to_string(), v.into());
    }
    fn record_str(&mut self, f: &Field, v: &str) {
        if f.name() == "message" {
            self.message = v.to_string();
        } else {
            self.map.insert(f.name().to_string(), v.into());
        }
    }
    fn record_debug(&mut self, f: &Field, v: &dyn std::fmt::Debug) {
        let text = format!("{v:?}");
        if f.name() == "message" {
            self.message = text;
        } else {
            self.map.insert(f.name().to_string(), text.into());
        }
    }
}
