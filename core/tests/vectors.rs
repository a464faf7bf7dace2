//! Plays every case of `tests/vectors/*.json` against the emulator on loopback (see tests/vectors/README.md),
//! one reported test per vector (`file::case_name`), plus one that holds the counts to `manifest.json`.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flarekit::{
    Cloudflare, CredentialOptions, Error, FileArg, LogLevel, Naming, RawValue, SecretString, Verb,
};
use futures_util::StreamExt;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};
use support::{Emulator, LogCapture};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Every `*.json` file of tests/vectors but `manifest.json`, by file name, sorted.
fn vector_files() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p| {
            let name = p.file_name()?.to_string_lossy().into_owned();
            (name != "manifest.json").then_some((name, p))
        })
        .collect();
    files.sort();
    files
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p:?}: {e}"))
}

fn main() {
    let mut args = Arguments::from_args();
    // The log capture is global: one vector at a time.
    args.test_threads = Some(1);

    let rt = Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime"),
    );
    let logs = LogCapture::install();
    // Started when the first vector runs (so `--list` starts nothing), then shared by every vector.
    let emu: Arc<tokio::sync::OnceCell<Emulator>> = Arc::new(tokio::sync::OnceCell::new());
    let ran: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();

    let mut trials = Vec::new();
    let mut registered: BTreeMap<String, usize> = BTreeMap::new();
    for (file, path) in vector_files() {
        let doc = read_json(&path);
        let stem = file.trim_end_matches(".json").to_string();
        let cases = doc["cases"].as_array().cloned().unwrap_or_default();
        registered.insert(file.clone(), cases.len());
        for case in cases {
            let name = format!("{stem}::{}", case["name"].as_str().unwrap_or("?"));
            let (rt, emu, logs, ran, file) = (
                rt.clone(),
                emu.clone(),
                logs.clone(),
                ran.clone(),
                file.clone(),
            );
            trials.push(Trial::test(name, move || {
                *ran.lock().unwrap().entry(file).or_default() += 1;
                rt.block_on(async {
                    let emu = emu.get_or_init(Emulator::start).await;
                    run_case(emu, &logs, &case).await
                })
                .map_err(Failed::from)
            }));
        }
    }
    // Runs last (trials run in order on one thread): every file is in the manifest with its count, and, when no
    // filter is given, every one of those vectors ran.
    let unfiltered = args.filter.is_none() && args.skip.is_empty() && !args.ignored;
    trials.push(Trial::test("manifest::counts", move || {
        check_manifest(&registered, unfiltered.then(|| ran.lock().unwrap().clone()))
            .map_err(Failed::from)
    }));
    libtest_mimic::run(&args, trials).exit();
}

fn check_manifest(
    registered: &BTreeMap<String, usize>,
    ran: Option<BTreeMap<String, usize>>,
) -> Result<(), String> {
    let manifest = read_json(&vectors_dir().join("manifest.json"));
    let Some(manifest) = manifest.as_object() else {
        return Err("manifest.json is not an object".into());
    };
    let mut problems = Vec::new();
    for (file, n) in registered {
        match manifest.get(file).and_then(Value::as_u64) {
            None => problems.push(format!("{file} is not in manifest.json")),
            Some(want) if want != *n as u64 => {
                problems.push(format!("{file} has {n} cases, manifest.json says {want}"))
            }
            Some(_) => {}
        }
        if let Some(ran) = &ran {
            let got = ran.get(file).copied().unwrap_or(0);
            if got != *n {
                problems.push(format!("{got} of the {n} cases of {file} ran"));
            }
        }
    }
    for file in manifest.keys() {
        if !registered.contains_key(file) {
            problems.push(format!(
                "manifest.json lists {file}, which is not in tests/vectors"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
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
    if let Some(n) = opts.get("page_prefetch").and_then(Value::as_u64) {
        b = b.page_prefetch(n as u32);
    }
    if let Some(n) = opts.get("rate_limit").and_then(Value::as_u64) {
        b = b.rate_limit(n as u32);
    }
    if let Some(t) = opts.get("rate_limit_window").and_then(Value::as_f64) {
        b = b.rate_limit_window(Duration::from_secs_f64(t));
    }
    if let Some(t) = opts.get("max_rate_limit_wait").and_then(Value::as_f64) {
        b = b.max_rate_limit_wait(Duration::from_secs_f64(t));
    }
    if let Some(l) = opts.get("log_level").and_then(Value::as_str) {
        b = b.log_level(LogLevel::parse(l)?);
    }
    b.build()
}

/// `options` as the generic option path takes them (`RawValue::from_json`: `$float`, `$int`, `$path`).
fn raw_options(options: Option<&Value>) -> Vec<(String, RawValue)> {
    options
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), RawValue::from_json(v)))
                .collect()
        })
        .unwrap_or_default()
}

/// `client.exact`: the options exactly as written, through `ClientBuilder::apply_options`, plus the injected
/// environment as the `env` option (unless the options give their own).
fn build_exact(client: &Value) -> Result<Cloudflare, Error> {
    let mut given = raw_options(client.get("options"));
    if !given.iter().any(|(k, _)| k == "env") {
        let env = client.get("env").cloned().unwrap_or(json!({}));
        given.push(("env".into(), RawValue::from_json(&env)));
    }
    Cloudflare::builder()
        .naming(Naming::Snake)
        .apply_options(given)?
        .build()
}

/// Numbers compare as numbers (`60` equals `60.0`); everything else exactly.
fn same_value(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            if let (Some(a), Some(b)) = (g.as_i64(), w.as_i64()) {
                a == b
            } else if let (Some(a), Some(b)) = (g.as_u64(), w.as_u64()) {
                a == b
            } else {
                g.as_f64() == w.as_f64()
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            g.len() == w.len() && g.iter().zip(w).all(|(a, b)| same_value(a, b))
        }
        (Value::Object(g), Value::Object(w)) => {
            g.len() == w.len()
                && w.iter()
                    .all(|(k, b)| g.get(k).is_some_and(|a| same_value(a, b)))
        }
        _ => got == want,
    }
}

/// `expect.config`: each key against the canonical effective configuration (Rust/Python names, seconds).
fn check_config(cf: &Cloudflare, want: &Value, problems: &mut Vec<String>) {
    let got = cf.options_view(Naming::Snake);
    for (k, w) in want.as_object().into_iter().flatten() {
        match got.get(k) {
            None => problems.push(format!("the effective options have no {k:?}: {got}")),
            Some(g) if !same_value(g, w) => {
                problems.push(format!("effective option {k} is {g}, expected {w}"))
            }
            Some(_) => {}
        }
    }
}

/// Call arguments: `{"$file": {name?, text, type?}}` is a file (`FileArg`, where it was), as a front door finds
/// one; the value without its files (`None` when it was only files).
fn take_files(v: &Value, at: &[String], out: &mut Vec<FileArg>) -> Option<Value> {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("$file") => {
            let f = &m["$file"];
            out.push(FileArg {
                at: at.to_vec(),
                positional: None,
                list: false,
                filename: f.get("name").and_then(Value::as_str).map(str::to_owned),
                content_type: f.get("type").and_then(Value::as_str).map(str::to_owned),
                data: f["text"]
                    .as_str()
                    .unwrap_or_default()
                    .as_bytes()
                    .to_vec()
                    .into(),
            });
            None
        }
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|x| x.get("$file").is_some()) =>
        {
            for x in items {
                let before = out.len();
                take_files(x, at, out);
                for f in &mut out[before..] {
                    f.list = true;
                }
            }
            None
        }
        Value::Object(m) => {
            let before = out.len();
            let mut kept = serde_json::Map::new();
            for (k, x) in m {
                let mut here = at.to_vec();
                here.push(k.clone());
                if let Some(x) = take_files(x, &here, out) {
                    kept.insert(k.clone(), x);
                }
            }
            if out.len() != before && kept.is_empty() && !at.is_empty() {
                None
            } else {
                Some(Value::Object(kept))
            }
        }
        other => Some(other.clone()),
    }
}

/// What a call gave: the result, the envelope's `result_info`, and the token value a token operation handed over.
type Outcome = (Value, Option<Value>, Option<String>);

/// A token operation (`{"tokens": op, "args": {...}}`), through the core's dispatcher with snake_case names: the
/// result as the front doors give it (`revoke` the id, `roll` nothing but the secret).
async fn token_call(cf: &Cloudflare, op: &str, args: &Value) -> Result<Outcome, Error> {
    let reply = flarekit::tokens::dispatch::call(cf, op, args, flarekit::Naming::Snake).await?;
    let secret = reply
        .secret
        .as_ref()
        .map(|s| flarekit::tokens::expose(s).to_string());
    let result = match op {
        "revoke" => reply.value["id"].clone(),
        "roll" => Value::Null,
        _ => reply.value,
    };
    Ok((result, None, secret))
}

/// Make the case's call; the result is the response's `result` (or every item, when paginating).
async fn make_call(cf: &Cloudflare, call: &Value) -> Result<Outcome, Error> {
    if let Some(op) = call.get("tokens").and_then(Value::as_str) {
        return token_call(cf, op, call.get("args").unwrap_or(&Value::Null)).await;
    }
    if let Some(op) = call.get("operation").and_then(Value::as_str) {
        let (resource, method) = op.rsplit_once('.').unwrap_or(("", op));
        let mut c = cf.operation(resource, method)?;
        let mut files = Vec::new();
        if let Some(p) = call.get("positional").and_then(Value::as_array) {
            let mut values = Vec::new();
            for (i, v) in p.iter().enumerate() {
                let mut f = Vec::new();
                let kept = take_files(v, &[], &mut f);
                for mut x in f {
                    x.positional = Some(i);
                    files.push(x);
                }
                values.push(kept.unwrap_or(Value::Null));
            }
            c = c.positional(values);
        }
        if let Some(p) = call.get("params") {
            c = c.params(take_files(p, &[], &mut files).unwrap_or(Value::Null));
        }
        for f in files {
            c = c.file_arg(f);
        }
        if call.get("paginate").and_then(Value::as_str) == Some("all") {
            let mut items = Vec::new();
            let mut stream = Box::pin(c.items()?);
            while let Some(item) = stream.next().await {
                items.push(item?);
            }
            return Ok((Value::Array(items), None, None));
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
fn result_of(r: flarekit::ApiResponse) -> Outcome {
    match r.content {
        Some(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            (
                serde_json::json!({ "$bytes_hex": hex }),
                r.result_info,
                None,
            )
        }
        None => (r.result, r.result_info, None),
    }
}

/// `want` is contained in `got`: objects key by key (recursively), everything else equal.
fn is_subset(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|x| is_subset(x, v))),
        (Value::Array(g), Value::Array(w)) => {
            g.len() == w.len() && g.iter().zip(w).all(|(a, b)| is_subset(a, b))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => got == want,
    }
}

/// The token vectors' result expectations: `result_subset`, `result_has` (dotted paths that must exist),
/// `result_ids_include` / `result_ids_exclude` (the `id`s of a list), `secret` (whether a value was handed over).
fn check_token_result(result: &Value, secret: bool, expect: &Value, problems: &mut Vec<String>) {
    if let Some(w) = expect.get("result_subset") {
        if !is_subset(result, w) {
            problems.push(format!("result {result} does not contain {w}"));
        }
    }
    for path in expect
        .get("result_has")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let mut at = Some(result);
        for part in path.split('.') {
            at = at.and_then(|v| match part.parse::<usize>() {
                Ok(i) => v.get(i),
                Err(_) => v.get(part),
            });
        }
        if at.is_none_or(Value::is_null) {
            problems.push(format!("result {result} has nothing at {path}"));
        }
    }
    let ids: Vec<&str> = result
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_str()).collect())
        .unwrap_or_default();
    for (key, present) in [("result_ids_include", true), ("result_ids_exclude", false)] {
        for id in expect
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if ids.contains(&id) != present {
                problems.push(format!("ids {ids:?}: {key} {id}"));
            }
        }
    }
    if let Some(want) = expect.get("secret").and_then(Value::as_bool) {
        if want != secret {
            problems.push(format!(
                "a secret was handed over: {secret}, expected {want}"
            ));
        }
    }
}

fn secrets_of(client: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for section in ["options", "env", "variant"] {
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
    let mut client = subst(case.get("client").unwrap_or(&json!({})), emu);
    let exact = client.get("exact").and_then(Value::as_bool) == Some(true);
    let has_base = client.pointer("/options/base_url").is_some()
        || client.pointer("/env/CLOUDFLARE_BASE_URL").is_some();
    if !has_base && !exact {
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
    // Credentials of the case, and any token value a call hands over: none may show anywhere else.
    let secrets = std::cell::RefCell::new(secrets_of(&client));
    if case.get("reload_state").and_then(Value::as_bool) == Some(true) {
        emu.reset_state().await;
    } else {
        emu.reset().await;
    }
    if let Some(responses) = case.get("responses").and_then(Value::as_array) {
        for r in responses {
            emu.queue(&subst(r, emu)).await;
        }
    }
    logs.clear();
    let mut problems = Vec::new();
    let check_secret = |what: &str, text: &str, problems: &mut Vec<String>| {
        for s in secrets.borrow().iter() {
            if text.contains(s.as_str()) {
                problems.push(format!("a credential appears in {what}"));
            }
        }
    };

    let mut built = if exact {
        build_exact(&client)
    } else {
        build_client(&client)
    };
    let expected_error = expect.get("error");
    let variant = client.get("variant");
    // With a variant, every expectation is about the variant: an expected error is the variant's (whether or not
    // it says `construction`), and the client it is made from must build.
    let construction_error = if variant.is_some() {
        expected_error.is_some()
    } else {
        expected_error
            .and_then(|e| e.get("construction"))
            .and_then(Value::as_bool)
            == Some(true)
    };
    if let Some(v) = variant {
        match built {
            Ok(base) => {
                check_secret("the client's Debug", &format!("{base:?}"), &mut problems);
                built = base.with_raw_options(raw_options(Some(v)));
            }
            Err(e) => {
                check_secret("the error message", &format!("{e} {e:?}"), &mut problems);
                problems.push(format!(
                    "the client to make a variant of failed: {e} ({})",
                    e.kind()
                ));
                return Err(problems.join("; "));
            }
        }
    }
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

    if let Some(want) = expect.get("config") {
        check_config(&cf, want, &mut problems);
    }

    if let Some(call) = case.get("call") {
        let started = Instant::now();
        let outcome = make_call(&cf, call).await;
        let elapsed = started.elapsed().as_millis() as u64;
        match (&outcome, expected_error) {
            (Ok((result, info, secret)), None) => {
                if let Some(s) = secret {
                    secrets.borrow_mut().push(s.clone());
                    check_secret("the result", &result.to_string(), &mut problems);
                }
                check_token_result(result, secret.is_some(), &expect, &mut problems);
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
            (Ok((result, _, _)), Some(_)) => problems.push(format!(
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
    if let Some(o) = exp.get("option").and_then(Value::as_str) {
        if !msg.contains(o) {
            problems.push(format!("message {msg:?} does not name the option {o:?}"));
        }
    }
    if let Some(list) = exp.get("message_contains").and_then(Value::as_array) {
        for t in list.iter().filter_map(Value::as_str) {
            if !msg.contains(t) {
                problems.push(format!("message {msg:?} lacks {t:?}"));
            }
        }
    }
    if let Some(list) = exp.get("message_excludes").and_then(Value::as_array) {
        for t in list.iter().filter_map(Value::as_str) {
            if msg.contains(t) {
                problems.push(format!("message {msg:?} contains {t:?}, which it must not"));
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
}
