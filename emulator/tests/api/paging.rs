//! `result_info`, paging bounds and list filters.

use std::collections::HashSet;

use flarekit_emulator::demo;
use futures_util::StreamExt;
use serde_json::{json, Value};

use crate::common::*;

/// Adds `n` A records named `host-<i>` to example.org (which starts with 3 records).
async fn add_records(env: &Env, n: usize) {
    for i in 0..n {
        let r = env.post(&format!("/zones/{}/dns_records", demo::ORG_ZONE_ID), GLOBAL, json!({"type": "A", "name": format!("host-{i}"), "content": format!("198.51.100.{}", i + 10)})).await;
        assert_ok(&r);
    }
}

fn info(r: &Resp) -> [u64; 5] {
    let i = &r.json["result_info"];
    ["page", "per_page", "count", "total_count", "total_pages"].map(|k| {
        i[k].as_u64()
            .unwrap_or_else(|| panic!("result_info.{k} in {i}"))
    })
}

#[tokio::test]
async fn dns_result_info_is_exact_for_several_page_sizes() {
    let env = start().await;
    add_records(&env, 23).await;
    let path = |q: &str| format!("/zones/{}/dns_records?{q}", demo::ORG_ZONE_ID);
    // 26 records in all.
    for (per_page, pages) in [(5u64, 6u64), (7, 4), (10, 3), (26, 1), (100, 1)] {
        let first = env
            .get(&path(&format!("per_page={per_page}")), GLOBAL)
            .await;
        assert_eq!(info(&first), [1, per_page, per_page.min(26), 26, pages]);
        assert_eq!(
            first.json["result"].as_array().unwrap().len() as u64,
            per_page.min(26)
        );
        let last = env
            .get(&path(&format!("per_page={per_page}&page={pages}")), GLOBAL)
            .await;
        let rest = 26 - per_page * (pages - 1);
        assert_eq!(info(&last), [pages, per_page, rest, 26, pages]);
        let past = env
            .get(
                &path(&format!("per_page={per_page}&page={}", pages + 1)),
                GLOBAL,
            )
            .await;
        assert_ok(&past);
        assert_eq!(past.json["result"], json!([]));
        assert_eq!(info(&past), [pages + 1, per_page, 0, 26, pages]);
    }
    // Walking every page yields every record exactly once.
    let mut seen = HashSet::new();
    for page in 1..=4 {
        let r = env
            .get(&path(&format!("per_page=7&page={page}")), GLOBAL)
            .await;
        for rec in r.json["result"].as_array().unwrap() {
            assert!(seen.insert(rec["id"].as_str().unwrap().to_string()));
        }
    }
    assert_eq!(seen.len(), 26);
}

#[tokio::test]
async fn page_sizes_are_clamped_to_each_endpoints_bounds() {
    let env = start().await;
    let dns = env
        .get(&format!("/zones/{}/dns_records", demo::ZONE_ID), GLOBAL)
        .await;
    assert_eq!(info(&dns), [1, 100, 5, 5, 1]);
    let dns = env
        .get(
            &format!("/zones/{}/dns_records?per_page=100000", demo::ZONE_ID),
            GLOBAL,
        )
        .await;
    assert_eq!(dns.json["result_info"]["per_page"], 5000);
    let zones = env.get("/zones", GLOBAL).await;
    assert_eq!(info(&zones), [1, 20, 2, 2, 1]);
    let zones = env.get("/zones?per_page=1", GLOBAL).await;
    assert_eq!(zones.json["result_info"]["per_page"], 5);
    let zones = env.get("/zones?per_page=500&page=0", GLOBAL).await;
    assert_eq!(info(&zones), [1, 50, 2, 2, 1]);
}

#[tokio::test]
async fn empty_lists_have_zero_pages() {
    let env = start().await;
    let r = env.get("/zones?name=nothing.example", GLOBAL).await;
    assert_ok(&r);
    assert_eq!(r.json["result"], json!([]));
    assert_eq!(info(&r), [1, 20, 0, 0, 0]);
}

fn names(r: &Resp) -> Vec<String> {
    r.json["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn zone_filters() {
    let env = start().await;
    assert_eq!(
        names(&env.get("/zones?name=example.org", GLOBAL).await),
        ["example.org"]
    );
    assert_eq!(
        names(&env.get("/zones?name=contains:.org", GLOBAL).await),
        ["example.org"]
    );
    assert_eq!(
        names(&env.get("/zones?name=starts_with:example", GLOBAL).await).len(),
        2
    );
    assert_eq!(
        names(&env.get("/zones?name=ends_with:.com", GLOBAL).await),
        ["example.com"]
    );
    assert_eq!(
        names(&env.get("/zones?status=active", GLOBAL).await).len(),
        2
    );
    assert_eq!(
        names(&env.get("/zones?status=pending", GLOBAL).await).len(),
        0
    );
    assert_eq!(
        names(
            &env.get(
                &format!("/zones?account.id={}", demo::STAGING_ACCOUNT_ID),
                GLOBAL
            )
            .await
        ),
        ["example.org"]
    );
    assert_eq!(
        names(
            &env.get("/zones?account.name=contains:Staging", GLOBAL)
                .await
        ),
        ["example.org"]
    );
    assert_eq!(
        names(&env.get("/zones?account.name=Demo%20Account", GLOBAL).await),
        ["example.com"]
    );
    // match=all (default) needs every filter; match=any needs one.
    let q = format!("name=example.com&account.id={}", demo::STAGING_ACCOUNT_ID);
    assert_eq!(
        names(&env.get(&format!("/zones?{q}"), GLOBAL).await).len(),
        0
    );
    assert_eq!(
        names(&env.get(&format!("/zones?{q}&match=any"), GLOBAL).await).len(),
        2
    );
    assert_eq!(
        names(&env.get("/zones?order=name&direction=desc", GLOBAL).await),
        ["example.org", "example.com"]
    );
}

#[tokio::test]
async fn dns_filters() {
    let env = start().await;
    let list = |q: &str| format!("/zones/{}/dns_records?{q}", demo::ZONE_ID);
    let get = |r: Resp| -> Vec<Value> { r.json["result"].as_array().unwrap().clone() };
    let a = get(env.get(&list("type=A"), GLOBAL).await);
    assert_eq!(a.len(), 2);
    assert!(a.iter().all(|r| r["type"] == "A"));
    assert_eq!(
        get(env.get(&list("name=mail.example.com"), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        get(env.get(&list("name=example.com"), GLOBAL).await).len(),
        3
    );
    assert_eq!(
        get(env.get(&list("name.contains=mail"), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        get(env.get(&list("name.startswith=www."), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        get(env.get(&list("content=192.0.2.10"), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        get(env.get(&list("content.startswith=192.0.2."), GLOBAL).await).len(),
        2
    );
    assert_eq!(
        get(env.get(&list("type=MX&name=example.com"), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        get(env
            .get(&list("type=MX&content=192.0.2.20&match=any"), GLOBAL)
            .await)
        .len(),
        2
    );
    assert_eq!(get(env.get(&list("proxied=true"), GLOBAL).await).len(), 2);
    assert_eq!(get(env.get(&list("tag=team:mail"), GLOBAL).await).len(), 1);
    assert_eq!(
        get(env.get(&list("comment.contains=mail"), GLOBAL).await).len(),
        1
    );
    assert_eq!(get(env.get(&list("type=AAAA"), GLOBAL).await).len(), 0);
    let ordered = get(env.get(&list("order=type"), GLOBAL).await);
    let kinds: Vec<&str> = ordered
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["A", "A", "CNAME", "MX", "TXT"]);
}

#[tokio::test]
async fn five_thousand_records_in_one_page() {
    let env = start().await;
    // Build the zone through the API in parallel; the list then comes back in one page.
    let futs = (0..5000).map(|i| {
        let env = &env;
        async move {
            let body = json!({"type": "A", "name": format!("bulk-{i}"), "content": format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256)});
            env.post(&format!("/zones/{}/dns_records", demo::ORG_ZONE_ID), GLOBAL, body).await.status
        }
    });
    let statuses: Vec<u16> = futures_util::stream::iter(futs)
        .buffer_unordered(64)
        .collect()
        .await;
    assert!(statuses.iter().all(|s| *s == 200));
    let r = env
        .get(
            &format!("/zones/{}/dns_records?per_page=5000", demo::ORG_ZONE_ID),
            GLOBAL,
        )
        .await;
    assert_eq!(info(&r), [1, 5000, 5000, 5003, 2]);
}
