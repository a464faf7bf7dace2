//! Conformance with Cloudflare's own spec: every operation of subset.openapi.json, called by name, against Prism.
//! Skipped (with a message) when ../shared is absent or Prism is not installed (`make conformance-deps`).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flarekit::Cloudflare;
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

struct Prism(Child);
impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_prism(spec: &Path) -> Option<(Prism, u16)> {
    let bin = Path::new(ROOT).join("tests/conformance/node_modules/.bin/prism");
    if !bin.exists() {
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(spec)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let prism = Prism(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "prism did not start within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some((prism, port))
}

/// Prism's `sl-violations` about the request (not about its own generated response), minus known quirks.
fn request_violations(headers: &[(String, String)], allowed: &[Value]) -> Vec<Value> {
    let Some((_, raw)) = headers.iter().find(|(k, _)| k == "sl-violations") else {
        return Vec::new();
    };
    let list: Vec<Value> =
        serde_json::from_str(raw).unwrap_or_else(|_| vec![Value::String(raw.clone())]);
    list.into_iter()
        .filter(|v| v["location"].get(0).and_then(Value::as_str) != Some("response"))
        .filter(|v| !allowed.contains(&v["location"]))
        .collect()
}

#[tokio::test]
async fn subset_operations_conform_to_the_spec() {
    let spec = Path::new(ROOT).join("../shared/cloudflare-api/subset.openapi.json");
    if !spec.exists() {
        eprintln!("conformance skipped: {} is absent", spec.display());
        return;
    }
    let Some((_prism, port)) = start_prism(&spec) else {
        eprintln!("conformance skipped: Prism is not installed (run `make conformance-deps`)");
        return;
    };
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("tests/conformance/cases.json")).unwrap(),
    )
    .unwrap();
    let creds = &doc["credentials"];
    let base = format!("http://127.0.0.1:{port}");
    let mut failures = Vec::new();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 18);
    for case in cases {
        let op = case["operation"].as_str().unwrap();
        let b = Cloudflare::builder()
            .base_url(&base)
            .max_retries(0)
            .page_prefetch(0)
            .env_source(std::collections::BTreeMap::new());
        let b = match case["auth"].as_str() {
            Some("key") => b
                .api_key(creds["key"].as_str().unwrap())
                .api_email(creds["email"].as_str().unwrap()),
            _ => b.api_token(creds["token"].as_str().unwrap()),
        };
        let cf = b.build().unwrap();
        let (resource, method) = op.rsplit_once('.').unwrap();
        let mut call = cf.operation(resource, method).unwrap();
        if let Some(p) = case["positional"].as_array() {
            call = call.positional(p.iter().cloned());
        }
        call = call.params(case["params"].clone());
        let allowed: Vec<Value> = case["allowed_request_violations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let (headers, outcome) = match call.send().await {
            Ok(r) => (r.headers.clone(), Ok(())),
            Err(e) => (e.headers().to_vec(), Err(e)),
        };
        let violations = request_violations(&headers, &allowed);
        if !violations.is_empty() {
            failures.push(format!("{op}: our request broke the spec: {violations:?}"));
        }
        match outcome {
            Ok(()) => {}
            // A status error whose only cause is an allowed Prism quirk still decoded as a typed error.
            Err(e) if !allowed.is_empty() && e.status().is_some() => {}
            Err(e) => failures.push(format!("{op}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 18 operations failed conformance:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
