//! Plays every case of `tests/vectors/*.json` against the emulator on loopback (see tests/vectors/README.md).

mod support;

use std::time::{Duration, Instant};

use flarekit::{Cloudflare, CredentialOptions, Error, LogLevel, SecretString, Verb};
use futures_util::StreamExt;
use serde_json::{json, Map, Value};
use support::{Emulator, LogCapture};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_vector() {
    let logs = LogCapture::install();
    let emu = Emulator::start().await;
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, case) in support::load_vectors() {
        count += 1;
        let name = format!("{file}::{}", case["name"].as_str().unwrap_or("?"));
        if let Err(why) = run_case(&emu, &logs, &case).await {
            failures.push(format!("{name}: {why}"));
        }
    }
    assert!(count >= 40, "expected at least 40 vectors, found {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn subst(v: &Value, emu: &Emulator) -> Value {
    match v {
        Value::String(s) => Value::String(
            s.replace("{base}", &emu.base_url)
                .replace("{origin}", &emu.origin),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| subst(x, emu)).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, x)| (k.clone(), subst(x, emu))).collect())
        }
        other => other.clone(),
    }
}

fn build_client(client: &Value) -> Result<Cloudflare, Error> {
    let opts = client.get("options").cloned().unwrap_or(json!({}));
    let env: std::collections::BTreeMap<String, String> = client
        .get("env")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let s = |k: &str| {
        opts.get(k)
            .and_then(Value::as_str)
            .map(|v| SecretString::from(v.to_string()))
    };
    let mut b = Cloudflare::builder()
        .credentials(CredentialOptions {
            api_token: s("api_token"),
            api_key: s("api_key"),
            api_email: s("api_email"),
            user_service_key: s("user_service_key"),
        })
        .env_source(env)
        .retry_delay_scale(
            opts.get("retry_delay_scale")
                .and_then(Value::as_f64)
                .unwrap_or(0.001),
        )
        .log_level(LogLevel::Debug);
    if let Some(u) = opts.get("base_url").and_then(Value::as_str) {
        b = b.base_url(u);
    }
    if let Some(a) = opts.get("account_id").and_then(Value::as_str) {
        b = b.account_id(a);
    }
    if let Some(t) = opts.get("timeout").and_then(Value::as_f64) {
        b = b.timeout(Duration::from_secs_f64(t));
    }
    if let Some(r) = opts.get("max_retries").and_then(Value::as_u64) {
        b = b.max_retries(r as u32);
    }
    if let Some(h) = opts.get("default_headers").and_then(Value::as_object) {
        for (k, v) in h {
            b = b.default_header(k, v.as_str().unwrap_or(""));
        }
    }
    if let Some(n) = opts.get("max_response_bytes").and_then(Value::as_u64) {
        b = b.max_response_bytes(n);
    }
    if let Some(l) = opts.get("log_level").and_then(Value::as_str) {
        b = b.log_level(LogLevel::parse(l)?);
    }
    b.build()
}

/// Make the case's call; the result is the response's `result` (or every item, when paginating).
async fn make_call(cf: &Cloudflare, call: &Value) -> Result<(Value, Option<Value>), Error> {
    if let Some(op) = call.get("operation").and_then(Value::as_str) {
        let (resource, method) = op.rsplit_once('.').unwrap_or(("", op));
        let mut c = cf.operation(resource, method)?;
        if let Some(p) = call.get("positional").and_then(Value::as_array) {
            c = c.positional(p.iter().cloned());
        }
        if let Some(p) = call.get("params") {
            c = c.params(p.clone());
        }
        if call.get("paginate").and_then(Value::as_str) == Some("all") {
            let mut items = Vec::new();
            let mut stream = Box::pin(c.items()?);
            while let Some(item) = stream.next().await {
                items.push(item?);
            }
            return Ok((Value::Array(items), None));
        }
        return Ok(result_of(c.send().await?));
    }
    let verb = match call["method"].as_str().unwrap_or("GET") {
        "POST" => Verb::Post,
        "PUT" => Verb::Put,
        "PATCH" => Verb::Patch,
        "DELETE" => Verb::Delete,
        _ => Verb::Get,
    };
    let mut c = cf.request(verb, call["path"].as_str().unwrap_or("/"));
    if let Some(q) = call.get("query") {
        c = c.query(q.clone());
    }
    if let Some(b) = call.get("body") {
        c = c.json(b.clone());
    }
    Ok(result_of(c.send().await?))
}

/// The result as the vectors write it: binary content as `{"$bytes_hex": "..."}`.
fn result_of(r: flarekit::ApiResponse) -> (Value, Option<Value>) {
    match r.content {
        Some(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            (serde_json::json!({ "$bytes_hex": hex }), r.result_info)
        }
        None => (r.result, r.result_info),
    }
}

fn secrets_of(client: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for section in ["options", "env"] {
        if let Some(m) = client.get(section).and_then(Value::as_object) {
            for (k, v) in m {
                let k = k.to_ascii_lowercase();
                let secretish = ["token", "key", "email"].iter().any(|s| k.contains(s));
                if let (true, Some(s)) = (secretish, v.as_str()) {
                    let t = s.trim();
                    if t.len() >= 8 {
                        out.push(t.to_string());
                    }
                }
            }
        }
    }
    out
}

async fn run_case(emu: &Emulator, logs: &LogCapture, case: &Value) -> Result<(), String> {
    let client = subst(case.get("client").unwrap_or(&json!({})), emu);
    let mut client = client;
    let has_base = client.pointer("/options/base_url").is_some()
        || client.pointer("/env/CLOUDFLARE_BASE_URL").is_some();
    if !has_base {
        client
            .as_object_mut()
            .unwrap()
            .entry("options")
            .or_insert(json!({}))
            .as_object_mut()
            .unwrap()
            .insert("base_url".into(), Value::String(emu.base_url.clone()));
    }
    let expect = subst(case.get("expect").unwrap_or(&json!({})), emu);
    let secrets = secrets_of(&client);
    emu.reset().await;
    if let Some(responses) = case.get("responses").and_then(Value::as_array) {
        for r in responses {
            emu.queue(&subst(r, emu)).await;
        }
    }
    logs.clear();
    let mut problems = Vec::new();
    let check_secret = |what: &str, text: &str, problems: &mut Vec<String>| {
        for s in &secrets {
            if text.contains(s.as_str()) {
                problems.push(format!("a credential appears in {what}"));
            }
        }
    };

    let built = build_client(&client);
    let expected_error = expect.get("error");
    let construction_error = expected_error
        .and_then(|e| e.get("construction"))
        .and_then(Value::as_bool)
        == Some(true);
    let cf = match built {
        Err(e) => {
            check_secret("the error message", &format!("{e} {e:?}"), &mut problems);
            if construction_error {
                check_error(&e, expected_error.unwrap(), &mut problems);
            } else {
                problems.push(format!(
                    "construction failed unexpectedly: {} ({})",
                    e,
                    e.kind()
                ));
            }
            check_secret("logs", &logs.text(), &mut problems);
            return if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            };
        }
        Ok(cf) => cf,
    };
    if construction_error {
        problems.push("construction succeeded but an error was expected".into());
    }
    check_secret("the client's Debug", &format!("{cf:?}"), &mut problems);
    if let Some(a) = expect.get("auth").and_then(Value::as_str) {
        if cf.auth().description() != a {
            problems.push(format!(
                "auth is {:?}, expected {a:?}",
                cf.auth().description()
            ));
        }
    }
    if let Some(u) = expect.get("base_url").and_then(Value::as_str) {
        if cf.base_url() != u {
            problems.push(format!("base_url is {:?}, expected {u:?}", cf.base_url()));
        }
    }

    if let Some(call) = case.get("call") {
        let started = Instant::now();
        let outcome = make_call(&cf, call).await;
        let elapsed = started.elapsed().as_millis() as u64;
        match (&outcome, expected_error) {
            (Ok((result, info)), None) => {
                if let Some(r) = expect.get("result") {
                    if r != result {
                        problems.push(format!("result {result} != expected {r}"));
                    }
                }
                if let Some(ri) = expect.get("result_info") {
                    if Some(ri) != info.as_ref() {
                        problems.push(format!("result_info {info:?} != expected {ri}"));
                    }
                }
            }
            (Ok((result, _)), Some(_)) => problems.push(format!(
                "call succeeded with {result} but an error was expected"
            )),
            (Err(e), Some(exp)) if !construction_error => {
                check_error(e, exp, &mut problems);
                check_secret(
                    "the error",
                    &format!("{e} {e:?} {:?}", e.body()),
                    &mut problems,
                );
            }
            (Err(e), _) => problems.push(format!("call failed unexpectedly: {e} ({})", e.kind())),
        }
        if let Some(range) = expect.get("elapsed_ms") {
            if let Some(min) = range.get("min").and_then(Value::as_u64) {
                if elapsed < min {
                    problems.push(format!("took {elapsed} ms, expected at least {min}"));
                }
            }
            if let Some(max) = range.get("max").and_then(Value::as_u64) {
                if elapsed > max {
                    problems.push(format!("took {elapsed} ms, expected at most {max}"));
                }
            }
        }
    }

    let seen = emu.requests().await;
    if let Some(n) = expect.get("attempts").and_then(Value::as_u64) {
        if seen.len() as u64 != n {
            problems.push(format!(
                "the server saw {} requests, expected {n}",
                seen.len()
            ));
        }
    }
    if let Some(reqs) = expect.get("requests").and_then(Value::as_array) {
        if reqs.len() != seen.len() {
            problems.push(format!(
                "the server saw {} requests, expected {}",
                seen.len(),
                reqs.len()
            ));
        }
        for (i, (want, got)) in reqs.iter().zip(seen.iter()).enumerate() {
            support::check_request(i, want, got, &mut problems);
        }
    }
    let log_text = logs.text();
    if let Some(w) = expect.get("warnings_contain").and_then(Value::as_array) {
        for t in w.iter().filter_map(Value::as_str) {
            if !log_text
                .lines()
                .any(|l| l.contains("WARN") && l.contains(t))
            {
                problems.push(format!("no warning containing {t:?} was logged"));
            }
        }
    }
    check_secret("logs", &log_text, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn check_error(e: &Error, exp: &Value, problems: &mut Vec<String>) {
    if let Some(k) = exp.get("kind").and_then(Value::as_str) {
        if e.kind().as_str() != k {
            problems.push(format!(
                "error kind {} != expected {k} ({e})",
                e.kind().as_str()
            ));
        }
    }
    if let Some(s) = exp.get("status").and_then(Value::as_u64) {
        if e.status() != Some(s as u16) {
            problems.push(format!("status {:?} != expected {s}", e.status()));
        }
    }
    if let Some(c) = exp.get("codes").and_then(Value::as_array) {
        let want: Vec<i64> = c.iter().filter_map(Value::as_i64).collect();
        if e.codes() != want {
            problems.push(format!("codes {:?} != expected {want:?}", e.codes()));
        }
    }
    let msg = e.to_string();
    if let Some(list) = exp.get("message_contains").and_then(Value::as_array) {
        for t in list.iter().filter_map(Value::as_str) {
            if !msg.contains(t) {
                problems.push(format!("message {msg:?} lacks {t:?}"));
            }
        }
    }
    if let Some(p) = exp.get("message_starts_with").and_then(Value::as_str) {
        if !msg.starts_with(p) {
            problems.push(format!("message {msg:?} does not start with {p:?}"));
        }
    }
    if let Some(m) = exp.get("message").and_then(Value::as_str) {
        if msg != m {
            problems.push(format!("message {msg:?} != expected {m:?}"));
        }
    }
    if let Some(r) = exp.get("ray_id").and_then(Value::as_str) {
        if e.ray_id() != Some(r) {
            problems.push(format!("ray_id {:?} != expected {r:?}", e.ray_id()));
        }
    }
    if let Some(r) = exp.get("retry_after").and_then(Value::as_f64) {
        if e.retry_after() != Some(Duration::from_secs_f64(r)) {
            problems.push(format!(
                "retry_after {:?} != expected {r}s",
                e.retry_after()
            ));
        }
    }
    let _: Map<String, Value> = Map::new();
}
