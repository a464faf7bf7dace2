//! Each fault kind, through the admin API, seen by real clients.

use std::time::{Duration, Instant};

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn status_faults_with_headers_count_down() {
    let env = start().await;
    env.fault(json!({"method": "GET", "path": "/client/v4/zones", "times": 2, "fault": {"status": 503, "headers": {"Retry-After": "1", "retry-after-ms": "5", "x-should-retry": "true"}}})).await;
    for _ in 0..2 {
        let r = env.get("/zones", GLOBAL).await;
        assert_error(&r, 503, 10001);
        assert_eq!(r.headers["retry-after"], "1");
        assert_eq!(r.headers["retry-after-ms"], "5");
        assert_eq!(r.headers["x-should-retry"], "true");
    }
    assert_ok(&env.get("/zones", GLOBAL).await);
    // Method and prefix matching; other requests pass.
    env.fault(json!({"method": "POST", "path": "/client/v4/zones/*", "fault": {"status": 429, "body": {"success": false, "errors": [{"code": 971, "message": "slow down"}]}}})).await;
    assert_ok(
        &env.get(&format!("/zones/{}/dns_records", demo::ZONE_ID), GLOBAL)
            .await,
    );
    let r = env
        .post(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            GLOBAL,
            json!({}),
        )
        .await;
    assert_error(&r, 429, 971);
    assert_eq!(r.json["errors"][0]["message"], "slow down");
    // A string body goes out as-is.
    env.fault(json!({"path": "/client/v4/user", "fault": {"status": 500, "body": "oops"}}))
        .await;
    let r = env.http.get(env.url("/user")).send().await.unwrap();
    assert_eq!(r.status(), 500);
    assert_eq!(r.text().await.unwrap(), "oops");
}

#[tokio::test]
async fn faults_apply_before_authentication() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"status": 502}}))
        .await;
    assert_error(&env.get("/zones", Auth::None).await, 502, 10001);
    assert_error(&env.get("/zones", Auth::None).await, 400, 9106);
}

#[tokio::test]
async fn delay_then_pass_through() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"delay_ms": 200}}))
        .await;
    let started = Instant::now();
    let r = env.get("/zones", GLOBAL).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_ok(&r);
    assert_eq!(r.json["result_info"]["total_count"], 2);
}

#[tokio::test]
async fn drop_before_headers_sends_nothing() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"drop": "before_headers"}}))
        .await;
    let (bytes, _) = raw_request(env.addr(), &raw_get("/client/v4/zones")).await;
    assert!(
        bytes.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&bytes)
    );
    // A real client sees a connection error, not a status.
    env.fault(json!({"path": "/client/v4/zones", "fault": {"drop": "before_headers"}}))
        .await;
    let err = env.http.get(env.url("/zones")).send().await.unwrap_err();
    assert!(err.status().is_none());
    assert_ok(&env.get("/zones", GLOBAL).await);
}

#[tokio::test]
async fn drop_after_headers_sends_only_the_head() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"drop": "after_headers"}}))
        .await;
    let (bytes, _) = raw_request(env.addr(), &raw_get("/client/v4/zones")).await;
    let (head, body) = split_response(&bytes);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(content_length(&head) > 0);
    assert!(body.is_empty());
}

#[tokio::test]
async fn truncated_body_is_shorter_than_announced() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"truncate_body": true}}))
        .await;
    let (bytes, _) = raw_request(env.addr(), &raw_get("/client/v4/zones")).await;
    let (head, body) = split_response(&bytes);
    assert!(!body.is_empty());
    assert!(
        body.len() < content_length(&head),
        "{} vs {}",
        body.len(),
        content_length(&head)
    );
    env.fault(json!({"path": "/client/v4/zones", "fault": {"truncate_body": true}}))
        .await;
    let r = env
        .http
        .get(env.url("/zones"))
        .header("X-Auth-Key", demo::API_KEY)
        .header("X-Auth-Email", demo::API_EMAIL)
        .send()
        .await
        .unwrap();
    assert!(r.bytes().await.is_err());
}

#[tokio::test]
async fn html_error_page() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"html": true, "status": 502}}))
        .await;
    let r = env.http.get(env.url("/zones")).send().await.unwrap();
    assert_eq!(r.status(), 502);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let text = r.text().await.unwrap();
    assert!(text.starts_with("<!DOCTYPE html>"));
    assert!(text.contains("Error code 502"));
}

#[tokio::test]
async fn success_false_invalid_utf8_and_big_bodies() {
    let env = start().await;
    env.fault(json!({"path": "/client/v4/zones", "fault": {"success_false": true}}))
        .await;
    let r = env.get("/zones", GLOBAL).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], false);
    assert!(r.json["errors"][0]["code"].is_u64());

    env.fault(json!({"path": "/client/v4/zones", "fault": {"invalid_utf8": true}}))
        .await;
    let r = env.http.get(env.url("/zones")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());

    env.fault(json!({"path": "/client/v4/zones", "fault": {"body_bytes": 2_000_000}}))
        .await;
    let r = env.http.get(env.url("/zones")).send().await.unwrap();
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.len().abs_diff(2_000_000) < 2_000, "{}", bytes.len());
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["success"], true);
}

#[tokio::test]
async fn request_log_masks_secrets_and_filters() {
    let env = start().await;
    env.get("/zones", GLOBAL).await;
    env.get("/user", Auth::Token(demo::READ_ONLY_TOKEN)).await;
    env.get(
        "/certificates?zone_id=x",
        Auth::ServiceKey(demo::USER_SERVICE_KEY),
    )
    .await;
    let (_, all) = env.admin(Method::GET, "/requests", None).await;
    assert_eq!(all["count"], 3);
    let text = all.to_string();
    for secret in [demo::API_KEY, demo::READ_ONLY_TOKEN, demo::USER_SERVICE_KEY] {
        assert!(!text.contains(secret), "secret leaked into the log");
    }
    assert_eq!(all["requests"][0]["headers"]["x-auth-key"], "***");
    assert_eq!(
        all["requests"][0]["headers"]["x-auth-email"],
        demo::API_EMAIL
    );
    assert_eq!(all["requests"][1]["headers"]["authorization"], "***");
    assert_eq!(
        all["requests"][2]["headers"]["x-auth-user-service-key"],
        "***"
    );
    assert_eq!(all["requests"][2]["query"], "zone_id=x");
    assert_eq!(all["requests"][1]["status"], 200);
    let (_, user) = env
        .admin(Method::GET, "/requests?path=/client/v4/user", None)
        .await;
    assert_eq!(user["count"], 1);
    assert_eq!(user["requests"][0]["method"], "GET");
    // Dropped requests are logged without a status.
    env.fault(json!({"path": "/client/v4/zones", "fault": {"drop": "before_headers"}}))
        .await;
    let _ = raw_request(env.addr(), &raw_get("/client/v4/zones")).await;
    let (_, zones) = env
        .admin(Method::GET, "/requests?path=/client/v4/zones", None)
        .await;
    assert_eq!(zones["count"], 2);
    assert_eq!(zones["requests"][1]["status"], serde_json::Value::Null);
}

#[tokio::test]
async fn reset_clears_faults_and_log_and_optionally_state() {
    let env = start().await;
    env.post(
        "/zones",
        GLOBAL,
        json!({"name": "temp.example", "account": {"id": demo::ACCOUNT_ID}}),
    )
    .await;
    env.fault(json!({"path": "/client/v4/zones", "times": 5, "fault": {"status": 500}}))
        .await;
    let (status, _) = env.admin(Method::POST, "/reset", None).await;
    assert_eq!(status, 200);
    let (_, log) = env.admin(Method::GET, "/requests", None).await;
    assert_eq!(log["count"], 0);
    let (_, faults) = env.admin(Method::GET, "/faults", None).await;
    assert_eq!(faults["faults"], json!([]));
    assert_eq!(
        env.get("/zones", GLOBAL).await.json["result_info"]["total_count"],
        3
    );
    env.admin(Method::POST, "/reset", Some(json!({"state": true})))
        .await;
    assert_eq!(
        env.get("/zones", GLOBAL).await.json["result_info"]["total_count"],
        2
    );
}

#[tokio::test]
async fn bad_fault_rules_are_rejected() {
    let env = start().await;
    for rule in [
        json!({"fault": {"status": 503}}),
        json!({"path": "zones", "fault": {}}),
        json!({"path": "/x", "fault": {"status": 99}}),
        json!({"path": "/x", "fault": {"explode": true}}),
        json!({"path": "/x", "times": 0, "fault": {}}),
    ] {
        let (status, body) = env.admin(Method::POST, "/faults", Some(rule.clone())).await;
        assert_eq!(status, 400, "{rule} -> {body}");
        assert!(body["error"].is_string());
    }
}

#[tokio::test]
async fn faults_combine() {
    let env = start().await;
    // Delay and status together.
    env.fault(json!({"path": "/client/v4/zones", "fault": {"delay_ms": 100, "status": 503}}))
        .await;
    let started = Instant::now();
    assert_error(&env.get("/zones", GLOBAL).await, 503, 10001);
    assert!(started.elapsed() >= Duration::from_millis(100));
    // Headers alone decorate the real answer.
    env.fault(
        json!({"path": "/client/v4/zones", "fault": {"headers": {"x-should-retry": "false"}}}),
    )
    .await;
    let r = env.get("/zones", GLOBAL).await;
    assert_ok(&r);
    assert_eq!(r.headers["x-should-retry"], "false");
    // A canned status cut after its headers.
    env.fault(
        json!({"path": "/client/v4/zones", "fault": {"status": 500, "drop": "after_headers"}}),
    )
    .await;
    let (bytes, _) = raw_request(env.addr(), &raw_get("/client/v4/zones")).await;
    let (head, body) = split_response(&bytes);
    assert!(head.starts_with("http/1.1 500"), "{head}");
    assert!(body.is_empty());
}

#[tokio::test]
async fn many_concurrent_requests() {
    use futures_util::StreamExt;
    let env = start().await;
    let path = format!(
        "/zones/{}/dns_records/{}",
        demo::ZONE_ID,
        demo::APEX_RECORD_ID
    );
    let statuses: Vec<u16> = futures_util::stream::iter(0..2000)
        .map(|_| async {
            env.get(&path, Auth::Token(demo::READ_ONLY_TOKEN))
                .await
                .status
        })
        .buffer_unordered(64)
        .collect()
        .await;
    assert!(statuses.iter().all(|s| *s == 200));
    let (_, log) = env.admin(Method::GET, "/requests", None).await;
    assert_eq!(log["count"], 2000);
}
