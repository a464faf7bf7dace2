//! One benchmark contender per run: `flarekit-bench <flarekit|raw> <w1|w2|w3|w4|w5|w8> [count] [concurrency]`.
//!
//! Reads `BENCH_BASE_URL`, `BENCH_TOKEN`, `BENCH_ZONE` (W1/W4/W8) and `BENCH_BIG_ZONE` (W2/W3) and prints one JSON
//! line of figures (`wall_s`, `cpu_s`, `calls`, `items`, ...) for `bench/run.py`. `raw` is the floor: reqwest with
//! the same features as flarekit's and serde_json, no retries, no envelope checks beyond `success`; over the TLS
//! link (W6 is W3 there, W4/TLS is W4) it walks pages one after the other, the sequential reference.
//! `BENCH_CA`, when set, is a PEM file of a CA to trust (the TLS emulator's): flarekit's `ca_bundle`, reqwest's
//! `add_root_certificate`. W8 creates `count` DNS records in `BENCH_ZONE`, `concurrency` in flight.

use std::time::Instant;

use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// User + system CPU seconds of the whole process (every thread).
fn cpu_seconds() -> f64 {
    let mut ru = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_SELF is always valid.
    let ru = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, ru.as_mut_ptr());
        ru.assume_init()
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// This process's own peak RSS in KiB (VmHWM); getrusage's maxrss of a child also counts its parent at fork.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

struct Args {
    workload: String,
    count: usize,
    concurrency: usize,
    base: String,
    token: String,
    ca: Option<String>,
}

/// What a contender must do; each method returns the number of items it saw.
trait Contender: Clone + Send + Sync + 'static {
    async fn get_zone(&self, zone: &str) -> Result<usize, BoxError>;
    async fn big_page(&self, zone: &str) -> Result<usize, BoxError>;
    async fn walk(&self, zone: &str) -> Result<usize, BoxError>;
    async fn create_record(&self, zone: &str, i: usize) -> Result<usize, BoxError>;
}

/// W8's record `i`: a unique name in the zone.
fn record_name(i: usize) -> String {
    format!("bench-w8-{i}.example.com")
}

fn record_content(i: usize) -> String {
    format!("198.51.100.{}", i % 250 + 1)
}

#[derive(Clone)]
struct Flarekit(flarekit::Cloudflare);

impl Flarekit {
    fn new(a: &Args) -> Result<Self, BoxError> {
        let mut b = flarekit::Cloudflare::builder()
            .api_token(a.token.clone())
            .base_url(a.base.clone())
            // The client-side budget (1,200 requests per 5 minutes by default) would hold W1 and W4's 2,000
            // calls for minutes; the emulator does not rate limit and raw reqwest has no budget: off.
            .rate_limit(0);
        if let Some(ca) = &a.ca {
            b = b.ca_bundle(ca);
        }
        Ok(Flarekit(b.build()?))
    }
}

impl Contender for Flarekit {
    async fn get_zone(&self, zone: &str) -> Result<usize, BoxError> {
        let z = self.0.zones().get(zone).await?;
        Ok(usize::from(!z.id.is_empty()))
    }
    async fn big_page(&self, zone: &str) -> Result<usize, BoxError> {
        let filter = flarekit::typed::DnsRecordFilter {
            per_page: Some(5000),
            ..Default::default()
        };
        Ok(self.0.dns_records().list(zone, &filter).await?.len())
    }
    async fn walk(&self, zone: &str) -> Result<usize, BoxError> {
        let filter = flarekit::typed::DnsRecordFilter {
            per_page: Some(100),
            ..Default::default()
        };
        Ok(self.0.dns_records().list(zone, &filter).await?.len())
    }
    async fn create_record(&self, zone: &str, i: usize) -> Result<usize, BoxError> {
        let mut input =
            flarekit::typed::DnsRecordInput::new("A", &record_name(i), &record_content(i));
        input.ttl = Some(300);
        let r = self.0.dns_records().create(zone, &input).await?;
        Ok(usize::from(!r.id.is_empty()))
    }
}

#[derive(Clone)]
struct Raw {
    http: reqwest::Client,
    base: String,
}

impl Raw {
    fn new(a: &Args) -> Result<Self, BoxError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {}", a.token).parse()?,
        );
        let mut http = reqwest::Client::builder().default_headers(headers);
        if let Some(ca) = &a.ca {
            http = http.add_root_certificate(reqwest::Certificate::from_pem(&std::fs::read(ca)?)?);
        }
        let http = http.build()?;
        Ok(Raw {
            http,
            base: a.base.clone(),
        })
    }

    async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Value, BoxError> {
        let mut url = format!("{}{path}", self.base);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(v);
        }
        let resp = self.http.get(url).send().await?;
        let body = resp.bytes().await?;
        let v: Value = serde_json::from_slice(&body)?;
        if v["success"] != json!(true) {
            return Err(format!("GET {path} failed: {v}").into());
        }
        Ok(v)
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, BoxError> {
        let resp = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body)?)
            .send()
            .await?;
        let body = resp.bytes().await?;
        let v: Value = serde_json::from_slice(&body)?;
        if v["success"] != json!(true) {
            return Err(format!("POST {path} failed: {v}").into());
        }
        Ok(v)
    }
}

impl Contender for Raw {
    async fn get_zone(&self, zone: &str) -> Result<usize, BoxError> {
        let v = self.get(&format!("/zones/{zone}"), &[]).await?;
        Ok(usize::from(v["result"]["id"].is_string()))
    }
    async fn big_page(&self, zone: &str) -> Result<usize, BoxError> {
        let path = format!("/zones/{zone}/dns_records");
        let v = self.get(&path, &[("per_page", "5000".into())]).await?;
        Ok(v["result"].as_array().map_or(0, Vec::len))
    }
    async fn walk(&self, zone: &str) -> Result<usize, BoxError> {
        let path = format!("/zones/{zone}/dns_records");
        let mut items = 0;
        let mut page = 1u64;
        loop {
            let q = [("per_page", "100".to_string()), ("page", page.to_string())];
            let v = self.get(&path, &q).await?;
            items += v["result"].as_array().map_or(0, Vec::len);
            let total = v["result_info"]["total_pages"].as_u64().unwrap_or(0);
            if page >= total {
                return Ok(items);
            }
            page += 1;
        }
    }
    async fn create_record(&self, zone: &str, i: usize) -> Result<usize, BoxError> {
        let body =
            json!({"type": "A", "name": record_name(i), "content": record_content(i), "ttl": 300});
        let v = self
            .post(&format!("/zones/{zone}/dns_records"), &body)
            .await?;
        Ok(usize::from(v["result"]["id"].is_string()))
    }
}

async fn run<C: Contender>(c: C, a: &Args) -> Result<Value, BoxError> {
    let zone = env("BENCH_ZONE");
    let big = env("BENCH_BIG_ZONE");
    // One warm-up call opens the connection, so every workload measures a warm client.
    c.get_zone(&zone).await?;
    let (cpu0, t0) = (cpu_seconds(), Instant::now());
    let mut items = 0;
    match a.workload.as_str() {
        "w1" => {
            for _ in 0..a.count {
                items += c.get_zone(&zone).await?;
            }
        }
        "w2" => {
            for _ in 0..a.count {
                items += c.big_page(&big).await?;
            }
        }
        "w3" => {
            for _ in 0..a.count {
                items += c.walk(&big).await?;
            }
        }
        "w8" => {
            // Every record once, `concurrency` creations in flight.
            let results: Vec<Result<usize, BoxError>> = stream::iter(0..a.count)
                .map(|i| {
                    let (c, zone) = (c.clone(), zone.clone());
                    async move { c.create_record(&zone, i).await }
                })
                .buffer_unordered(a.concurrency)
                .collect()
                .await;
            for r in results {
                items += r?;
            }
        }
        "w4" => {
            let results: Vec<Result<usize, BoxError>> = stream::iter(0..a.count)
                .map(|_| {
                    let (c, zone) = (c.clone(), zone.clone());
                    async move { c.get_zone(&zone).await }
                })
                .buffer_unordered(a.concurrency)
                .collect()
                .await;
            for r in results {
                items += r?;
            }
        }
        other => return Err(format!("unknown workload {other}").into()),
    }
    let wall = t0.elapsed().as_secs_f64();
    Ok(json!({ "wall_s": wall, "cpu_s": cpu_seconds() - cpu0, "calls": a.count, "items": items }))
}

fn main() -> Result<(), BoxError> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (Some(contender), Some(workload)) = (argv.first(), argv.get(1)) else {
        return Err(
            "usage: flarekit-bench <flarekit|raw> <w1|w2|w3|w4|w5|w8> [count] [concurrency]".into(),
        );
    };
    let a = Args {
        workload: workload.clone(),
        count: argv.get(2).map_or(Ok(1), |s| s.parse())?,
        concurrency: argv.get(3).map_or(Ok(64), |s| s.parse())?,
        base: env("BENCH_BASE_URL"),
        token: env("BENCH_TOKEN"),
        ca: std::env::var("BENCH_CA").ok().filter(|s| !s.is_empty()),
    };
    if a.workload == "w5" {
        // Start-up: constructing a client (there is no import step in Rust).
        let t0 = Instant::now();
        let ok = match contender.as_str() {
            "flarekit" => Flarekit::new(&a).is_ok(),
            _ => Raw::new(&a).is_ok(),
        };
        let wall = t0.elapsed().as_secs_f64();
        println!(
            "{}",
            json!({ "wall_s": wall, "ok": ok, "rss_kib": peak_rss_kib() })
        );
        return Ok(());
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let out = rt.block_on(async {
        match contender.as_str() {
            "flarekit" => run(Flarekit::new(&a)?, &a).await,
            "raw" => run(Raw::new(&a)?, &a).await,
            other => Err(format!("unknown contender {other}").into()),
        }
    })?;
    println!("{out}");
    Ok(())
}
