//! Validation of a JSON value against an OpenAPI 3.0 schema of `spec/api.json.gz` (the subset the API uses:
//! types, `nullable`, `enum`, properties and `required`, `additionalProperties`, items, bounds, `pattern`,
//! `allOf` / `oneOf` / `anyOf` / `not`). `format` is not asserted, as in JSON Schema validators by default.

use std::collections::HashMap;
use std::sync::Mutex;

use regex::Regex;
use serde_json::{Map, Value};

/// Which side of the wire a value is on: `readOnly` properties are not required in requests, `writeOnly` ones
/// not in responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A request body.
    Request,
    /// A response.
    Response,
}

/// The component schemas, and compiled patterns.
pub struct Schemas {
    map: Map<String, Value>,
    patterns: Mutex<HashMap<String, Option<Regex>>>,
}

const MAX_DEPTH: usize = 64;
const MAX_ERRORS: usize = 8;

impl Schemas {
    /// Wraps the `schemas` object of the spec data.
    pub fn new(map: Map<String, Value>) -> Schemas {
        Schemas {
            map,
            patterns: Mutex::new(HashMap::new()),
        }
    }

    /// Follows `{"$ref": name}` links.
    pub fn resolve<'a>(&'a self, mut s: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(name) => match self.map.get(name) {
                    Some(next) => s = next,
                    None => return &Value::Null,
                },
                None => return s,
            }
        }
        s
    }

    /// Whether `pattern` matches `text` (a pattern this engine cannot compile counts as matching).
    pub fn pattern_matches(&self, pattern: &str, text: &str) -> bool {
        let mut cache = match self.patterns.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        let re = cache
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).ok());
        re.as_ref().is_none_or(|re| re.is_match(text))
    }

    /// Whether `v` is valid against `s`.
    pub fn is_valid(&self, s: &Value, v: &Value, side: Side) -> bool {
        let mut errs = Vec::new();
        self.check(s, v, side, "", &mut errs, 0);
        errs.is_empty()
    }

    /// The first few problems of `v` against `s`, each `where: what`.
    pub fn errors(&self, s: &Value, v: &Value, side: Side) -> Vec<String> {
        let mut errs = Vec::new();
        self.check(s, v, side, "", &mut errs, 0);
        errs
    }

    fn check(
        &self,
        s: &Value,
        v: &Value,
        side: Side,
        at: &str,
        errs: &mut Vec<String>,
        depth: usize,
    ) {
        if errs.len() >= MAX_ERRORS || depth > MAX_DEPTH {
            return;
        }
        // `nullable` may stand beside a `$ref` (the spec does that), so it is read before resolving.
        if v.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        let s = self.resolve(s);
        let Some(obj) = s.as_object() else {
            return; // `{}`, `true`: anything
        };
        let here = || {
            if at.is_empty() {
                "body".to_string()
            } else {
                at.to_string()
            }
        };
        if v.is_null() && obj.get("nullable").and_then(Value::as_bool) == Some(true) {
            return;
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            if !values.iter().any(|e| same(e, v)) {
                errs.push(format!(
                    "{}: {} is not one of {}",
                    here(),
                    v,
                    Value::Array(values.clone())
                ));
                return;
            }
        }
        if let Some(t) = obj.get("type").and_then(Value::as_str) {
            let ok = match t {
                "object" => v.is_object(),
                "array" => v.is_array(),
                "string" => v.is_string(),
                "boolean" => v.is_boolean(),
                "integer" => v.as_f64().is_some_and(|f| f.fract() == 0.0),
                "number" => v.is_number(),
                _ => true,
            };
            if !ok {
                errs.push(format!("{}: expected {t}, got {}", here(), kind(v)));
                return;
            }
        }
        for part in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.check(part, v, side, at, errs, depth + 1);
        }
        if let Some(alts) = obj.get("anyOf").and_then(Value::as_array) {
            if !alts.iter().any(|a| self.is_valid_at(a, v, side, depth)) {
                errs.push(format!("{}: matches none of anyOf", here()));
            }
        }
        if let Some(alts) = obj.get("oneOf").and_then(Value::as_array) {
            let n = alts
                .iter()
                .filter(|a| self.is_valid_at(a, v, side, depth))
                .count();
            if n != 1 {
                errs.push(format!("{}: matches {n} of oneOf, not exactly one", here()));
            }
        }
        if let Some(not) = obj.get("not") {
            if self.is_valid_at(not, v, side, depth) {
                errs.push(format!("{}: matches a schema it must not", here()));
            }
        }
        match v {
            Value::Object(m) => self.check_object(obj, m, side, at, errs, depth),
            Value::Array(items) => {
                let n = items.len() as f64;
                bound(obj, "minItems", |b| n >= b, errs, &here, "items");
                bound(obj, "maxItems", |b| n <= b, errs, &here, "items");
                if obj.get("uniqueItems").and_then(Value::as_bool) == Some(true) {
                    for (i, a) in items.iter().enumerate() {
                        if items[..i].iter().any(|b| same(a, b)) {
                            errs.push(format!("{}: items are not unique", here()));
                            break;
                        }
                    }
                }
                if let Some(item) = obj.get("items") {
                    for (i, x) in items.iter().enumerate() {
                        self.check(item, x, side, &format!("{}[{i}]", here()), errs, depth + 1);
                    }
                }
            }
            Value::String(text) => {
                let n = text.chars().count() as f64;
                bound(obj, "minLength", |b| n >= b, errs, &here, "characters");
                bound(obj, "maxLength", |b| n <= b, errs, &here, "characters");
                if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
                    if !self.pattern_matches(p, text) {
                        errs.push(format!("{}: {text:?} does not match {p}", here()));
                    }
                }
            }
            Value::Number(num) => {
                let x = num.as_f64().unwrap_or(0.0);
                let excl = |k: &str| obj.get(k).and_then(Value::as_bool) == Some(true);
                if let Some(min) = obj.get("minimum").and_then(Value::as_f64) {
                    if x < min || (excl("exclusiveMinimum") && x == min) {
                        errs.push(format!("{}: {x} is below the minimum {min}", here()));
                    }
                }
                if let Some(max) = obj.get("maximum").and_then(Value::as_f64) {
                    if x > max || (excl("exclusiveMaximum") && x == max) {
                        errs.push(format!("{}: {x} is above the maximum {max}", here()));
                    }
                }
                if let Some(m) = obj.get("multipleOf").and_then(Value::as_f64) {
                    if m > 0.0 && ((x / m).round() * m - x).abs() > 1e-9 {
                        errs.push(format!("{}: {x} is not a multiple of {m}", here()));
                    }
                }
            }
            _ => {}
        }
    }

    fn is_valid_at(&self, s: &Value, v: &Value, side: Side, depth: usize) -> bool {
        let mut errs = Vec::new();
        self.check(s, v, side, "", &mut errs, depth + 1);
        errs.is_empty()
    }

    fn check_object(
        &self,
        obj: &Map<String, Value>,
        m: &Map<String, Value>,
        side: Side,
        at: &str,
        errs: &mut Vec<String>,
        depth: usize,
    ) {
        let props = obj.get("properties").and_then(Value::as_object);
        let field = |k: &str| {
            if at.is_empty() {
                k.to_string()
            } else {
                format!("{at}.{k}")
            }
        };
        for r in obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if m.contains_key(r) {
                continue;
            }
            let p = props.and_then(|p| p.get(r)).map(|p| self.resolve(p));
            let flag = |k: &str| p.and_then(|p| p.get(k)).and_then(Value::as_bool) == Some(true);
            let exempt = match side {
                Side::Request => flag("readOnly"),
                Side::Response => flag("writeOnly"),
            };
            if !exempt {
                errs.push(format!("{}: is required", field(r)));
            }
        }
        let n = m.len() as f64;
        let here = || {
            if at.is_empty() {
                "body".to_string()
            } else {
                at.to_string()
            }
        };
        bound(obj, "minProperties", |b| n >= b, errs, &here, "properties");
        bound(obj, "maxProperties", |b| n <= b, errs, &here, "properties");
        let extra = obj.get("additionalProperties");
        for (k, x) in m {
            match props.and_then(|p| p.get(k)) {
                Some(p) => self.check(p, x, side, &field(k), errs, depth + 1),
                None => match extra {
                    Some(Value::Bool(false)) => {
                        errs.push(format!("{}: is not a known field", field(k)))
                    }
                    Some(s @ Value::Object(_)) => {
                        self.check(s, x, side, &field(k), errs, depth + 1)
                    }
                    _ => {}
                },
            }
        }
    }
}

fn bound(
    obj: &Map<String, Value>,
    key: &str,
    ok: impl Fn(f64) -> bool,
    errs: &mut Vec<String>,
    here: &dyn Fn() -> String,
    what: &str,
) {
    if let Some(b) = obj.get(key).and_then(Value::as_f64) {
        if !ok(b) {
            errs.push(format!("{}: {key} {b} {what}", here()));
        }
    }
}

/// JSON equality with numbers compared as numbers (`1` equals `1.0`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
