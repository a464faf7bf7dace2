//! Query strings: nested objects flattened to dotted keys, arrays as the operation's style says.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};
use crate::operations::QueryStyle;

/// Everything but RFC 3986 unreserved characters is escaped.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Flatten a JSON object into `(key, value)` pairs: `{"account": {"id": "x"}}` → `account.id=x`;
/// arrays repeat the key (`tag=a&tag=b`) unless `style` says comma; `null` values are left out.
pub fn flatten(query: &Value, style: &dyn Fn(&str) -> QueryStyle) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    match query {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(k.clone(), v, style, &mut out);
            }
        }
        other => {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "query must be an object of parameters, got {}",
                    type_name(other)
                ),
            ))
        }
    }
    Ok(out)
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The text of a scalar query or path value.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn flatten_into(
    key: String,
    v: &Value,
    style: &dyn Fn(&str) -> QueryStyle,
    out: &mut Vec<(String, String)>,
) {
    match v {
        Value::Null => {}
        Value::Object(map) => {
            for (k, inner) in map {
                flatten_into(format!("{key}.{k}"), inner, style, out);
            }
        }
        Value::Array(items) => {
            if style(&key) == QueryStyle::Comma && items.iter().all(|i| scalar_text(i).is_some()) {
                let joined: Vec<String> = items.iter().filter_map(scalar_text).collect();
                out.push((key, joined.join(",")));
            } else {
                for item in items {
                    flatten_into(key.clone(), item, style, out);
                }
            }
        }
        scalar => {
            if let Some(t) = scalar_text(scalar) {
                out.push((key, t));
            }
        }
    }
}

/// `k=v&k2=v2`, percent-encoded.
pub fn encode(pairs: &[(String, String)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.extend(utf8_percent_encode(k, COMPONENT));
        s.push('=');
        s.extend(utf8_percent_encode(v, COMPONENT));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_and_arrays() {
        let q = json!({"account": {"id": "a1", "name": null}, "tag": ["x", "y"], "type": ["A", "AAAA"], "page": 2, "proxied": true});
        let style = |k: &str| {
            if k == "type" {
                QueryStyle::Comma
            } else {
                QueryStyle::Repeat
            }
        };
        let pairs = flatten(&q, &style).unwrap();
        assert_eq!(
            encode(&pairs),
            "account.id=a1&tag=x&tag=y&type=A%2CAAAA&page=2&proxied=true"
        );
    }

    #[test]
    fn non_object_is_refused() {
        let e = flatten(&json!([1]), &|_| QueryStyle::Scalar).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    }
}
