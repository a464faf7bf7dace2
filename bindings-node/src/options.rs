//! Client options from JS into the core's raw values. `js/options.js` writes each value as tagged JSON (numbers
//! as text, so NaN, ±Infinity and every digit survive); this reads it back. No rule lives here: what is accepted,
//! the defaults and every message are the core's.

use flarekit::options::entries;
use flarekit::{Naming, RawValue};
use serde_json::Value;

use crate::errors::{config, Result};

/// The options object, as the core's named raw values.
pub(crate) fn given(options_json: &str) -> Result<Vec<(String, RawValue)>> {
    let v: Value = serde_json::from_str(options_json)
        .map_err(|e| config(format!("the options could not be read: {e}")))?;
    entries(decode(&v), Naming::Camel).map_err(crate::errors::throw)
}

fn decode(v: &Value) -> RawValue {
    let Value::Object(o) = v else {
        return RawValue::Null;
    };
    let Some((tag, x)) = o.iter().next() else {
        return RawValue::Null;
    };
    let text = || x.as_str().unwrap_or_default().to_string();
    match tag.as_str() {
        "b" => RawValue::Bool(x.as_bool().unwrap_or(false)),
        // `String(n)` of a JS number: `NaN`, `Infinity`, `-Infinity`, `1e+300`, `0.5`.
        "n" => RawValue::Float(text().parse().unwrap_or(f64::NAN)),
        "i" => match text().parse::<i128>() {
            Ok(i) => RawValue::Int(i),
            Err(_) => RawValue::BigInt(text()),
        },
        "s" => RawValue::Str(text()),
        "p" => RawValue::Path(text().into()),
        "l" => RawValue::List(
            x.as_array()
                .map(|a| a.iter().map(decode).collect())
                .unwrap_or_default(),
        ),
        "m" => RawValue::Map(
            x.as_array()
                .map(|a| {
                    a.iter()
                        .map(|pair| {
                            let k = pair.get(0).map(decode).unwrap_or(RawValue::Null);
                            let v = pair.get(1).map(decode).unwrap_or(RawValue::Null);
                            (k, v)
                        })
                        .collect()
                })
                .unwrap_or_default(),
        ),
        _ => RawValue::Other(text()),
    }
}
