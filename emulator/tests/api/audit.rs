//! Every write leaves an audit-log entry.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

fn entries(r: &Resp) -> Vec<Value> {
    r.json["result"].as_array().unwrap().clone()
}

#[tokio::test]
async fn writes_are_logged_with_actor_action_and_resource() {
    let env = start().await;
    let logs = format!("/accounts/{}/audit_logs", demo::ACCOUNT_ID);
    assert_eq!(entries(&env.get(&logs, GLOBAL).await).len(), 0);

    let rec = env
        .post(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            Auth::Token(demo::DNS_EDIT_TOKEN),
            json!({"type": "A", "name": "audit", "content": "192.0.2.77"}),
        )
        .await;
    let rec_id = rec.json["result"]["id"].as_str().unwrap().to_string();
    env.call(
        Method::PATCH,
        &format!("/zones/{}/dns_records/{rec_id}", demo::ZONE_ID),
        GLOBAL,
        Some(json!({"ttl": 600})),
    )
    .await;
    env.call(
        Method::DELETE,
        &format!("/zones/{}/dns_records/{rec_id}", demo::ZONE_ID),
        GLOBAL,
        None,
    )
    .await;
    let zone = env
        .post(
            "/zones",
            GLOBAL,
            json!({"name": "audited.example", "account": {"id": demo::ACCOUNT_ID}}),
        )
        .await;
    let zone_id = zone.json["result"]["id"].as_str().unwrap().to_string();
    env.post("/user/tokens", GLOBAL, json!({"name": "t", "policies": [{"effect": "allow", "permission_groups": ["DNS Read"], "resources": {"com.cloudflare.api.account.zone.*": "*"}}]})).await;

    let r = env
        .get(
            &format!("{logs}?direction=asc"),
            Auth::Token(demo::READ_ONLY_TOKEN),
        )
        .await;
    assert_ok(&r);
    let all = entries(&r);
    let summary: Vec<(String, String)> = all
        .iter()
        .map(|e| {
            (
                e["action"]["type"].as_str().unwrap().into(),
                e["resource"]["type"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("add", "dns_record"),
        ("update", "dns_record"),
        ("delete", "dns_record"),
        ("add", "zone"),
        ("add", "api_token"),
    ];
    assert_eq!(
        summary,
        expected.map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(r.json["result_info"]["total_count"], 5);

    let first = &all[0];
    assert_eq!(first["actor"]["id"], demo::DNS_EDIT_TOKEN_ID);
    assert_eq!(first["actor"]["email"], demo::API_EMAIL);
    assert_eq!(first["actor"]["ip"], "127.0.0.1");
    assert_eq!(first["resource"]["id"], rec_id.as_str());
    assert_eq!(first["owner"]["id"], demo::ACCOUNT_ID);
    assert_eq!(first["action"]["result"], true);
    assert!(first["when"].as_str().unwrap().ends_with('Z'));
    assert_eq!(all[1]["actor"]["id"], demo::USER_ID);
    assert_eq!(all[3]["resource"]["id"], zone_id.as_str());

    // Newest first by default, and filters.
    assert_eq!(
        entries(&env.get(&logs, GLOBAL).await)[0]["resource"]["type"],
        "api_token"
    );
    assert_eq!(
        entries(&env.get(&format!("{logs}?action.type=delete"), GLOBAL).await).len(),
        1
    );
    assert_eq!(
        entries(
            &env.get(&format!("{logs}?zone.name=example.com"), GLOBAL)
                .await
        )
        .len(),
        3
    );
    assert_eq!(
        entries(&env.get(&format!("{logs}?per_page=2&page=3"), GLOBAL).await).len(),
        1
    );
    // The staging account sees only the user-level token entry.
    let staging = env
        .get(
            &format!("/accounts/{}/audit_logs", demo::STAGING_ACCOUNT_ID),
            GLOBAL,
        )
        .await;
    assert_eq!(entries(&staging).len(), 1);
    // The DNS token may not read audit logs.
    assert_error(
        &env.get(&logs, Auth::Token(demo::DNS_EDIT_TOKEN)).await,
        403,
        10000,
    );
}
