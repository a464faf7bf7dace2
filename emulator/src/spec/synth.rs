//! Values built from a schema: the spec's own example where it is valid, else the simplest value of each type
//! that satisfies the schema (required and documented properties, one array item, a string matching its
//! `pattern`, a number within its bounds), checked against the schema as it is built.

use regex_syntax::hir::{Class, Hir, HirKind};
use serde_json::{json, Map, Number, Value};

use super::schema::{Schemas, Side};

const MAX_DEPTH: usize = 24;
/// Optional properties are filled in down to this depth; below it only required ones.
const FULL_DEPTH: usize = 4;

/// Builds a value valid against `s` (as far as it can), for a request or a response: `readOnly` properties are
/// left out of requests, optional `writeOnly` ones out of responses.
pub fn synth(schemas: &Schemas, s: &Value, side: Side) -> Value {
    Builder { schemas, side }.build(s, 0)
}

struct Builder<'a> {
    schemas: &'a Schemas,
    side: Side,
}

impl Builder<'_> {
    fn build(&self, s: &Value, depth: usize) -> Value {
        let schemas = self.schemas;
        let s = schemas.resolve(s);
        let Some(obj) = s.as_object() else {
            return Value::Null;
        };
        for key in ["example", "default"] {
            if let Some(ex) = obj.get(key) {
                if schemas.is_valid(s, ex, self.side) {
                    return ex.clone();
                }
            }
        }
        let nullable = obj.get("nullable").and_then(Value::as_bool) == Some(true);
        if depth > MAX_DEPTH {
            return if nullable { Value::Null } else { minimal(obj) };
        }
        if let Some(values) = obj.get("enum").and_then(Value::as_array) {
            if let Some(v) = values.iter().find(|v| !v.is_null()).or(values.first()) {
                return v.clone();
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alts) = obj.get(key).and_then(Value::as_array) {
                let shared = obj.contains_key("properties")
                    || obj.contains_key("type")
                    || obj.contains_key("allOf");
                if !shared {
                    return self.pick(s, alts, depth);
                }
                // Properties beside the union: each alternative is those properties and its own.
                let mut base = obj.clone();
                base.remove("oneOf");
                base.remove("anyOf");
                let alts: Vec<Value> = alts
                    .iter()
                    .map(|a| merge(schemas, &base, std::slice::from_ref(a)))
                    .collect();
                return self.pick(s, &alts, depth);
            }
        }
        if let Some(parts) = obj.get("allOf").and_then(Value::as_array) {
            let merged = merge(schemas, obj, parts);
            let v = self.build(&merged, depth + 1);
            if schemas.is_valid(s, &v, self.side) || !nullable {
                return v;
            }
            return Value::Null;
        }
        let t = obj.get("type").and_then(Value::as_str).unwrap_or_else(|| {
            if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
                "object"
            } else if obj.contains_key("items") {
                "array"
            } else {
                ""
            }
        });
        match t {
            "object" => self.object(obj, depth),
            "array" => {
                let min = obj.get("minItems").and_then(Value::as_u64).unwrap_or(1);
                let max = obj
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::MAX);
                let n = min.max(1).min(max).min(3);
                let item = obj.get("items").cloned().unwrap_or(Value::Null);
                let mut out = Vec::new();
                for i in 0..n {
                    let mut v = self.build(&item, depth + 1);
                    if i > 0 {
                        if let Value::String(s) = &mut v {
                            s.push_str(&i.to_string());
                        }
                    }
                    out.push(v);
                }
                Value::Array(out)
            }
            "string" => Value::String(string(schemas, obj)),
            "integer" | "number" => number(obj, t == "integer"),
            "boolean" => Value::Bool(true),
            _ if nullable => Value::Null,
            _ => Value::String("example".into()),
        }
    }

    /// A value of the first alternative that validates against the whole schema (exactly one branch for `oneOf`).
    fn pick(&self, whole: &Value, alts: &[Value], depth: usize) -> Value {
        let schemas = self.schemas;
        let mut first = None;
        for alt in alts {
            let v = self.build(alt, depth + 1);
            if schemas.is_valid(whole, &v, self.side) {
                return v;
            }
            first.get_or_insert(v);
        }
        first.unwrap_or(Value::Null)
    }
}

/// `allOf` parts as one object schema: properties and `required` united, the other keys of the first part that
/// has them.
fn merge(schemas: &Schemas, own: &Map<String, Value>, parts: &[Value]) -> Value {
    let mut out = Map::new();
    let mut props = Map::new();
    let mut required: Vec<Value> = Vec::new();
    let mut add = |m: &Map<String, Value>, out: &mut Map<String, Value>| {
        for (k, v) in m {
            match k.as_str() {
                "properties" => {
                    for (p, s) in v.as_object().into_iter().flatten() {
                        props.insert(p.clone(), s.clone());
                    }
                }
                "required" => {
                    for r in v.as_array().into_iter().flatten() {
                        if !required.contains(r) {
                            required.push(r.clone());
                        }
                    }
                }
                "allOf" | "example" | "default" | "nullable" => {}
                _ => {
                    out.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
        }
    };
    for part in parts {
        let r = schemas.resolve(part);
        if let Some(m) = r.as_object() {
            if let Some(inner) = m.get("allOf").and_then(Value::as_array) {
                if let Value::Object(nested) = merge(schemas, m, inner) {
                    add(&nested, &mut out);
                }
            } else {
                add(m, &mut out);
            }
        }
    }
    add(own, &mut out);
    if !props.is_empty() {
        out.insert("properties".into(), Value::Object(props));
        out.entry("type").or_insert(json!("object"));
    }
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    Value::Object(out)
}

impl Builder<'_> {
    fn object(&self, obj: &Map<String, Value>, depth: usize) -> Value {
        let schemas = self.schemas;
        let required: Vec<&str> = obj
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut out = Map::new();
        let max = obj
            .get("maxProperties")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |m| m as usize);
        let props = obj.get("properties").and_then(Value::as_object);
        if let Some(props) = props {
            // Required properties first, so that a maxProperties bound keeps them.
            let order = props
                .iter()
                .filter(|(k, _)| required.contains(&k.as_str()))
                .chain(
                    props
                        .iter()
                        .filter(|(k, _)| !required.contains(&k.as_str())),
                );
            for (k, p) in order {
                if out.len() >= max && !required.contains(&k.as_str()) {
                    break;
                }
                if depth < FULL_DEPTH || required.contains(&k.as_str()) {
                    let r = schemas.resolve(p);
                    let flag = |k: &str| r.get(k).and_then(Value::as_bool) == Some(true);
                    let skip = match self.side {
                        Side::Request => flag("readOnly"),
                        Side::Response => flag("writeOnly") && !required.contains(&k.as_str()),
                    };
                    if skip {
                        continue;
                    }
                    out.insert(k.clone(), self.build(p, depth + 1));
                }
            }
        }
        for r in &required {
            // A required name the properties do not describe (one they describe but that this side leaves out,
            // such as a readOnly one in a request, stays out).
            if !out.contains_key(*r) && props.is_none_or(|p| !p.contains_key(*r)) {
                let extra = match obj.get("additionalProperties") {
                    Some(s @ Value::Object(_)) => self.build(s, depth + 1),
                    _ => Value::String("example".into()),
                };
                out.insert((*r).to_string(), extra);
            }
        }
        Value::Object(out)
    }
}

fn minimal(obj: &Map<String, Value>) -> Value {
    match obj.get("type").and_then(Value::as_str) {
        Some("object") => json!({}),
        Some("array") => json!([]),
        Some("integer") | Some("number") => number(obj, true),
        Some("boolean") => json!(true),
        _ => json!("example"),
    }
}

fn number(obj: &Map<String, Value>, integer: bool) -> Value {
    let min = obj.get("minimum").and_then(Value::as_f64);
    let max = obj.get("maximum").and_then(Value::as_f64);
    let excl = |k: &str| obj.get(k).and_then(Value::as_bool) == Some(true);
    let step = obj
        .get("multipleOf")
        .and_then(Value::as_f64)
        .filter(|m| *m > 0.0);
    let mut x = match (min, max) {
        (Some(lo), _) => lo + if excl("exclusiveMinimum") { 1.0 } else { 0.0 },
        (None, Some(hi)) if hi < 1.0 => hi - if excl("exclusiveMaximum") { 1.0 } else { 0.0 },
        _ => 1.0,
    };
    if let Some(m) = step {
        x = (x / m).ceil() * m;
    }
    if integer || x.fract() == 0.0 {
        let i = x.ceil() as i64;
        Value::Number(Number::from(i))
    } else {
        Number::from_f64(x).map_or(json!(0), Value::Number)
    }
}

fn string(schemas: &Schemas, obj: &Map<String, Value>) -> String {
    let min = obj.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = obj
        .get("maxLength")
        .and_then(Value::as_u64)
        .map_or(usize::MAX, |m| m as usize);
    if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
        let candidates = [
            from_pattern(p, min),
            Some("023e105f4ecef8ad9ca31a8372d0c353".to_string()),
            Some("example.com".to_string()),
        ];
        for c in candidates.into_iter().flatten() {
            let n = c.chars().count();
            if schemas.pattern_matches(p, &c) && n >= min && n <= max {
                return c;
            }
        }
    }
    let base = match obj.get("format").and_then(Value::as_str) {
        Some("date-time") => "2014-01-01T05:20:00Z",
        Some("date") => "2014-01-01",
        Some("time") => "05:20:00",
        Some("uuid") => "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
        Some("email") => "user@example.com",
        Some("ipv4") => "192.0.2.1",
        Some("ipv6") => "2001:db8::1",
        Some("uri") | Some("url") => "https://example.com/",
        Some("hostname") => "example.com",
        Some("byte") => "ZXhhbXBsZQ==",
        _ => "example",
    };
    let mut s: String = base.to_string();
    while s.chars().count() < min {
        s.push('a');
    }
    if s.chars().count() > max {
        s = s.chars().take(max.max(1)).collect();
    }
    s
}

/// A short string matching `pattern` (a walk of its syntax tree: the first alternative, the smallest repetition
/// at least `min_len` long overall where the pattern allows, the first character of each class).
pub fn from_pattern(pattern: &str, min_len: usize) -> Option<String> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let mut out = String::new();
    walk(&hir, &mut out, min_len)?;
    Some(out)
}

fn walk(h: &Hir, out: &mut String, min_len: usize) -> Option<()> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(()),
        HirKind::Literal(lit) => {
            out.push_str(std::str::from_utf8(&lit.0).ok()?);
            Some(())
        }
        HirKind::Class(Class::Unicode(c)) => {
            let r = c.ranges().first()?;
            // A letter or digit where the class has one reads better than punctuation.
            let pick = c
                .ranges()
                .iter()
                .find_map(|r| {
                    (r.start()..=r.end())
                        .take(200)
                        .find(|ch| ch.is_ascii_alphanumeric())
                })
                .unwrap_or(r.start());
            out.push(pick);
            Some(())
        }
        HirKind::Class(Class::Bytes(c)) => {
            let r = c.ranges().first()?;
            out.push(char::from(r.start()));
            Some(())
        }
        HirKind::Repetition(rep) => {
            let start = out.len();
            let mut n = 0;
            loop {
                let enough = n >= rep.min && (out.len() - start >= min_len || rep.max == Some(n));
                if enough || n >= rep.min.max(64) {
                    break;
                }
                walk(&rep.sub, out, 0)?;
                n += 1;
            }
            Some(())
        }
        HirKind::Capture(cap) => walk(&cap.sub, out, min_len),
        HirKind::Concat(parts) => parts.iter().try_for_each(|p| walk(p, out, 0)),
        HirKind::Alternation(alts) => walk(alts.first()?, out, min_len),
    }
}
