//! What makes a walk or a burst fast over a real link, against the emulator with latency and TLS: pages fetched
//! ahead (exact request counts, order kept, bounded waste), HTTP/2 sharing one connection for concurrent calls, and
//! the request budget shared by a client's clones.

use std::time::{Duration, Instant};

use flarekit::Cloudflare;
use flarekit_emulator::{demo, Emulator, RunningEmulator};
use futures_util::StreamExt;

const ZONE: &str = demo::ZONE_ID;

async fn emulator(latency_ms: u64, tls: bool) -> (RunningEmulator, Option<std::path::PathBuf>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = Emulator::builder()
        .latency(Duration::from_millis(latency_ms))
        .tls(tls)
        .start()
        .await
        .unwrap();
    let ca = emu.ca_pem().map(|pem| {
        let path = std::env::temp_dir().join(format!("flarekit-speed-{}.pem", emu.addr().port()));
        std::fs::write(&path, pem).unwrap();
        path
    });
    (emu, ca)
}

fn client(emu: &RunningEmulator, ca: Option<&std::path::PathBuf>) -> flarekit::ClientBuilder {
    let mut b = Cloudflare::builder()
        .api_token(demo::ADMIN_TOKEN)
        .base_url(emu.base_url())
        .env_source(std::collections::BTreeMap::new());
    if let Some(ca) = ca {
        b = b.ca_bundle(ca);
    }
    b
}

/// The requests the emulator has logged (when each arrived, before its latency).
async fn requests_logged(emu: &RunningEmulator) -> u64 {
    let log: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/requests", emu.admin_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["count"].as_u64().unwrap()
}

/// example.com's 5 records, one per page.
fn records_by_one(cf: &Cloudflare) -> flarekit::Pager {
    cf.operation("dns.records", "list")
        .unwrap()
        .param("zone_id", ZONE)
        .param("per_page", 1)
        .pages()
        .unwrap()
}

/// Walks example.com's 5 records one per page; the time it took and the ids in order.
async fn walk(cf: &Cloudflare) -> (Duration, Vec<String>) {
    let started = Instant::now();
    let items: Vec<String> = cf
        .operation("dns.records", "list")
        .unwrap()
        .param("zone_id", ZONE)
        .param("per_page", 1)
        .items()
        .unwrap()
        .map(|r| r.unwrap()["id"].as_str().unwrap().to_string())
        .collect()
        .await;
    (started.elapsed(), items)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefetch_hides_round_trips_and_keeps_order_and_counts() {
    let (emu, _) = emulator(60, false).await;
    let ahead = client(&emu, None).build().unwrap();
    let serial = client(&emu, None).page_prefetch(0).build().unwrap();
    let (t_serial, serial_ids) = walk(&serial).await;
    let before = emu.connections();
    let _ = before;
    let (t_ahead, ahead_ids) = walk(&ahead).await;
    assert_eq!(ahead_ids, serial_ids, "the same items in the same order");
    assert_eq!(ahead_ids.len(), 5);
    // Serial: 5 round trips. Ahead: page 1, then pages 2-5 at once: about 2.
    assert!(t_serial >= Duration::from_millis(300), "{t_serial:?}");
    assert!(
        t_ahead < Duration::from_millis(240),
        "prefetch took {t_ahead:?} (serial {t_serial:?})"
    );
    assert_eq!(
        requests_logged(&emu).await,
        10,
        "exactly one request per page in each walk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_early_wastes_at_most_page_prefetch() {
    let (emu, _) = emulator(30, false).await;
    let cf = client(&emu, None).page_prefetch(2).build().unwrap();
    let mut pager = records_by_one(&cf);
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 1);
    drop(pager);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let n = requests_logged(&emu).await;
    assert!(
        (1..=3).contains(&n),
        "1 page read, at most 2 ahead: {n} requests"
    );
}

/// Polls the emulator's request log until it holds `n` requests or `until` passes; the count it saw last.
async fn requests_reach(emu: &RunningEmulator, n: u64, until: Instant) -> u64 {
    loop {
        let seen = requests_logged(emu).await;
        if seen >= n || Instant::now() >= until {
            return seen;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_a_page_is_awaited_the_following_ones_are_on_their_way() {
    // The emulator logs a request when it arrives and answers 600 ms later, so the log shows what is in flight.
    let latency = Duration::from_millis(600);
    let (emu, _) = emulator(latency.as_millis() as u64, false).await;
    let cf = client(&emu, None).page_prefetch(2).build().unwrap();
    let mut pager = records_by_one(&cf);
    let first = pager.next_page().await.unwrap().unwrap();
    // Pages 2 and 3 leave now and cannot be answered before `answered`.
    let answered = Instant::now() + latency;
    assert_eq!(first.items.len(), 1);
    let settle = Instant::now() + Duration::from_millis(200);
    assert_eq!(
        requests_reach(&emu, 3, settle).await,
        3,
        "page 1 read: pages 2 and 3 ahead"
    );
    // Asking for page 2 (still on its way) sends page 4: two ahead of the page awaited, not of the page read.
    let waiting = tokio::spawn(async move {
        let page = pager.next_page().await.unwrap().unwrap();
        (pager, page)
    });
    let seen = requests_reach(&emu, 4, answered - Duration::from_millis(150)).await;
    assert!(
        Instant::now() < answered && !waiting.is_finished(),
        "page 2 is still on its way"
    );
    assert_eq!(seen, 4, "waiting for page 2: pages 3 and 4 ahead");
    let (mut pager, second) = waiting.await.unwrap();
    assert_eq!(second.items.len(), 1);
    let mut pages = 2;
    while let Some(p) = pager.next_page().await.unwrap() {
        assert_eq!(p.items.len(), 1);
        pages += 1;
    }
    assert_eq!(pages, 5);
    assert_eq!(requests_logged(&emu).await, 5, "one request per page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_over_tls_shares_one_connection() {
    let (emu, ca) = emulator(20, true).await;
    let cf = client(&emu, ca.as_ref()).build().unwrap();
    cf.get("/user/tokens/verify").send().await.unwrap();
    let calls = (0..64).map(|_| {
        let cf = cf.clone();
        async move { cf.get(format!("/zones/{ZONE}")).send().await }
    });
    let started = Instant::now();
    for r in futures_util::future::join_all(calls).await {
        r.unwrap();
    }
    let took = started.elapsed();
    assert_eq!(
        emu.connections(),
        1,
        "64 concurrent calls on one HTTP/2 connection"
    );
    assert!(
        took < Duration::from_millis(1000),
        "64 calls with 20 ms latency took {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_is_shared_by_clones_and_variants() {
    let (emu, _) = emulator(0, false).await;
    let cf = client(&emu, None)
        .rate_limit(4)
        .rate_limit_window(Duration::from_millis(300))
        .build()
        .unwrap();
    let variant = cf
        .with_raw_options(vec![(
            "max_retries".to_string(),
            flarekit::options::RawValue::from_json(&serde_json::json!(1)),
        )])
        .unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let c = if i % 2 == 0 {
            cf.clone()
        } else {
            variant.clone()
        };
        tasks.push(tokio::spawn(async move {
            c.get("/user/tokens/verify").send().await.unwrap();
            started.elapsed()
        }));
    }
    let mut at = Vec::new();
    for t in tasks {
        at.push(t.await.unwrap());
    }
    at.sort();
    assert!(at[3] < Duration::from_millis(200), "{at:?}");
    assert!(
        at[4] >= Duration::from_millis(290),
        "the 5th waits for the window: {at:?}"
    );
}
