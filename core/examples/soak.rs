//! Soak: SOAK_CALLS calls at 64 in flight with 10% injected faults (see tests/soak/README.md).
//! Needs CLOUDFLARE_BASE_URL (an emulator), CLOUDFLARE_API_TOKEN and FLAREKIT_SOAK_ZONE_ID.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use flarekit::Cloudflare;
use futures_util::StreamExt;
use serde_json::json;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Which path call `i` goes to, and the outcome it must end in.
fn plan(i: usize, zone: &str) -> (String, &'static str) {
    match (i % 20, (i / 20) % 2) {
        (18, 0) => ("soak-503".into(), "InternalServerError"),
        (18, _) => ("soak-drop".into(), "APIConnectionError"),
        (19, 0) => ("soak-trunc".into(), "APIConnectionError"),
        (19, _) => ("soak-404".into(), "NotFoundError"),
        _ => (zone.to_string(), "ok"),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calls: usize = std::env::var("SOAK_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let zone = std::env::var("FLAREKIT_SOAK_ZONE_ID")?;
    // The soak goes well past the client-side budget (1,200 requests per 5 minutes) on purpose: off.
    let cf = Cloudflare::builder()
        .retry_delay_scale(0.001)
        .max_retries(2)
        .rate_limit(0)
        .build()?;
    let admin = cf.base_url().replace("/client/v4", "/__emulator");
    let http = reqwest::Client::new();
    for (path, fault) in [
        ("soak-503", json!({"status": 503})),
        ("soak-drop", json!({"drop": "before_headers"})),
        (
            "soak-trunc",
            json!({"status": 200, "body": {"success": true, "result": {"id": "x"}}, "truncate_body": true}),
        ),
        ("soak-404", json!({"status": 404})),
    ] {
        let rule = json!({"method": "GET", "path": format!("/client/v4/zones/{path}"), "times": 1_000_000, "fault": fault});
        http.post(format!("{admin}/faults"))
            .json(&rule)
            .send()
            .await?
            .error_for_status()?;
    }

    let started = Instant::now();
    let warmup = calls / 5;
    let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
    let mut got: BTreeMap<String, usize> = BTreeMap::new();
    let mut rss_warm = 0;
    let mut done = 0usize;
    let mut results = futures_util::stream::iter(0..calls)
        .map(|i| {
            let cf = cf.clone();
            let (path, want) = plan(i, &zone);
            async move {
                let r = cf
                    .operation("zones", "get")
                    .unwrap()
                    .param("zone_id", path)
                    .send()
                    .await;
                (want, r.map(|_| ()).map_err(|e| e.kind().as_str()))
            }
        })
        .buffer_unordered(64);
    let deadline = Duration::from_secs(120 + calls as u64 / 50);
    while let Some((want, r)) = tokio::time::timeout(deadline, results.next()).await? {
        *expected.entry(want).or_default() += 1;
        let outcome = match r {
            Ok(()) => "ok".to_string(),
            Err(kind) => kind.to_string(),
        };
        *got.entry(outcome).or_default() += 1;
        done += 1;
        if done == warmup {
            rss_warm = rss_kib();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rss_end = rss_kib();
    println!(
        "[rust] soak: {done} calls in {secs:.2} s ({:.0} calls/s), outcomes {got:?}, peak RSS after warm-up {:.1} MiB, at end {:.1} MiB",
        done as f64 / secs,
        rss_warm as f64 / 1024.0,
        rss_end as f64 / 1024.0
    );
    let expected: BTreeMap<String, usize> = expected
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    if got != expected || done != calls {
        return Err(format!("outcomes {got:?} do not match the plan {expected:?}").into());
    }
    let growth = rss_end.saturating_sub(rss_warm);
    if growth as f64 > rss_warm as f64 * 0.25 && growth > 16 * 1024 {
        return Err(format!("peak RSS grew by {growth} KiB after warm-up").into());
    }
    Ok(())
}
