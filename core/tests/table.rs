//! Walks the whole operation table: every entry forms a request (path, verb, query/body split) without error.

use flarekit::operations::{BodyKind, OPERATIONS};
use flarekit::{CallArgs, Cloudflare, RequestBody, Verb};
use serde_json::{json, Map, Value};

fn client() -> Cloudflare {
    Cloudflare::builder()
        .api_token("tok-table-walk")
        .base_url("http://127.0.0.1:9/client/v4")
        .env_source(std::collections::BTreeMap::new())
        .build()
        .unwrap()
}

#[test]
fn table_has_every_operation() {
    assert_eq!(OPERATIONS.len(), 2589);
    let mut names: Vec<_> = OPERATIONS.iter().map(|o| (o.resource, o.method)).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 2589, "(resource, method) pairs are unique");
    let irregular = OPERATIONS
        .iter()
        .filter(|o| o.body_param.is_some() || !o.aliases.is_empty())
        .count();
    assert!(irregular >= 13, "irregular entries kept: {irregular}");
}

#[test]
fn every_operation_forms_its_request() {
    let cf = client();
    let mut failures = Vec::new();
    for op in OPERATIONS.iter() {
        let mut params = Map::new();
        let mut positional = Vec::new();
        for name in op.positional {
            if Some(*name) == op.body_param {
                positional.push(if op.body.contains(&BodyKind::Json) {
                    json!([{"k": 1}])
                } else {
                    json!("raw-bytes")
                });
            } else {
                positional.push(Value::String(format!("pos-{name}")));
            }
        }
        for p in op.path_params {
            if !op.positional.contains(p) && *p != "accounts_or_zones" {
                params.insert((*p).to_string(), Value::String(format!("id-{p}")));
            }
        }
        if op.path_params.contains(&"accounts_or_zones") {
            params.insert("accounts_or_zones".into(), json!("zones"));
        }
        let query_param = op
            .query
            .iter()
            .find(|q| !q.name.contains('.'))
            .map(|q| q.name);
        if let Some(q) = query_param {
            params.insert(q.to_string(), json!("qv"));
        }
        let json_body = op.body_param.is_none() && op.takes_json();
        if json_body {
            params.insert("zz_body_field".into(), json!(1));
        }
        let mut args = CallArgs {
            positional,
            params,
            ..Default::default()
        };
        let raw_only = op.body_param.is_none()
            && !op.body.is_empty()
            && !op.takes_json()
            && !op.body.contains(&BodyKind::Multipart)
            && !op.body.contains(&BodyKind::FormUrlEncoded);
        if raw_only {
            args.raw_body = Some((bytes::Bytes::from_static(b"raw"), None));
        }
        let name = op.full_name();
        let req = match cf.prepare_operation(op, args) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if req.verb != op.verb {
            failures.push(format!("{name}: verb {:?}", req.verb));
        }
        if req.path.contains('{') || req.path.contains('}') || req.path.contains("//") {
            failures.push(format!("{name}: path not filled: {}", req.path));
        }
        for p in op.path_params {
            if !op.positional.contains(p)
                && *p != "accounts_or_zones"
                && !req.path.contains(&format!("id-{p}"))
            {
                failures.push(format!("{name}: {p} missing from {}", req.path));
            }
        }
        if let Some(q) = query_param {
            if !req.query.iter().any(|(k, v)| k == q && v == "qv") {
                failures.push(format!(
                    "{name}: query param {q} not in the query: {:?}",
                    req.query
                ));
            }
        }
        if json_body {
            match &req.body {
                RequestBody::Json { value, .. } if value.get("zz_body_field").is_some() => {}
                other => failures.push(format!(
                    "{name}: body field not in the JSON body: {other:?}"
                )),
            }
        }
        if op.body.is_empty() && req.body != RequestBody::None {
            failures.push(format!("{name}: a body-less operation got a body"));
        }
        if cf.url_for(&req).is_err() {
            failures.push(format!("{name}: URL does not parse"));
        }
        let _ = Verb::Get;
    }
    assert!(
        failures.is_empty(),
        "{} operations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn python_names_split_acronyms_like_the_python_sdk() {
    for (py, js) in [
        ("origin_ca_certificates", "originCACertificates"),
        ("origin_tls_client_auth", "originTLSClientAuth"),
        (
            "ddos_protection.advanced_tcp_protection.allowlist",
            "DDoSProtection.advancedTCPProtection.allowlist",
        ),
    ] {
        let op = OPERATIONS
            .iter()
            .find(|o| o.resource_py == py)
            .unwrap_or_else(|| panic!("no resource {py}"));
        assert_eq!(op.resource, js);
        assert!(flarekit::operations::find(py, op.method_py).is_some());
    }
    assert!(OPERATIONS
        .iter()
        .all(|o| !o.resource_py.contains("cacertificates")));
}
