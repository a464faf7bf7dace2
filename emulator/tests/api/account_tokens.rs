//! Account-owned tokens: managed under /accounts/{id}/tokens, confined to their account, refused by
//! /user/tokens/verify, audited; permission groups with names shared by zone- and account-level groups.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

fn workers_policy(account: &str) -> Value {
    json!([{"effect": "allow", "permission_groups": [{"id": "3f47b1a58a71e111a37ccc4cb1b71c7d"}],
            "resources": {format!("com.cloudflare.api.account.{account}"): "*"}}])
}

#[tokio::test]
async fn account_token_lifecycle() {
    let env = start().await;
    let admin = Auth::Token(demo::ADMIN_TOKEN);
    let base = format!("/accounts/{}/tokens", demo::ACCOUNT_ID);
    let created = env
        .post(
            &base,
            admin,
            json!({"name": "deploy", "policies": workers_policy(demo::ACCOUNT_ID)}),
        )
        .await;
    assert_ok(&created);
    let id = created.json["result"]["id"].as_str().unwrap().to_string();
    let value = created.json["result"]["value"]
        .as_str()
        .unwrap()
        .to_string();

    // Verified at its account, refused by /user/tokens/verify and at another account.
    let own = Auth::Token(&value);
    assert_ok(&env.get(&format!("{base}/verify"), own).await);
    assert_error(&env.get("/user/tokens/verify", own).await, 401, 1000);
    let other = format!("/accounts/{}/tokens/verify", demo::STAGING_ACCOUNT_ID);
    assert_error(&env.get(&other, own).await, 401, 1000);
    // It works on its account, and nowhere else.
    assert_ok(
        &env.get(
            &format!("/accounts/{}/workers/scripts", demo::ACCOUNT_ID),
            own,
        )
        .await,
    );
    let r = env
        .get(
            &format!("/accounts/{}/workers/scripts", demo::STAGING_ACCOUNT_ID),
            own,
        )
        .await;
    assert_error(&r, 403, 10000);

    // Listed under the account only; not reachable through /user/tokens.
    let listed = env.get(&base, admin).await;
    assert_eq!(listed.json["result"].as_array().unwrap().len(), 1);
    assert_error(
        &env.get(&format!("/user/tokens/{id}"), admin).await,
        404,
        1003,
    );
    let in_user_list = env.get("/user/tokens?per_page=50", admin).await;
    assert!(!in_user_list.json.to_string().contains(&id));

    let rolled = env
        .call(
            Method::PUT,
            &format!("{base}/{id}/value"),
            admin,
            Some(json!({})),
        )
        .await;
    assert_ok(&rolled);
    let new_value = rolled.json["result"].as_str().unwrap().to_string();
    assert_error(
        &env.get(&format!("{base}/verify"), Auth::Token(&value))
            .await,
        401,
        1000,
    );
    assert_ok(
        &env.get(&format!("{base}/verify"), Auth::Token(&new_value))
            .await,
    );
    let deleted = env
        .call(Method::DELETE, &format!("{base}/{id}"), admin, None)
        .await;
    assert_ok(&deleted);
    assert_error(
        &env.get(&format!("{base}/verify"), Auth::Token(&new_value))
            .await,
        401,
        1000,
    );

    let audit = env
        .get(&format!("/accounts/{}/audit_logs", demo::ACCOUNT_ID), admin)
        .await;
    let mine: Vec<&str> = audit.json["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e.to_string().contains(&id))
        .filter_map(|e| e["action"]["type"].as_str())
        .collect();
    assert_eq!(mine.len(), 3, "{mine:?}");
}

#[tokio::test]
async fn account_tokens_are_confined_to_their_account() {
    let env = start().await;
    let admin = Auth::Token(demo::ADMIN_TOKEN);
    let base = format!("/accounts/{}/tokens", demo::ACCOUNT_ID);
    let outside = env
        .post(
            &base,
            admin,
            json!({"name": "x", "policies": workers_policy(demo::STAGING_ACCOUNT_ID)}),
        )
        .await;
    assert_error(&outside, 400, 1001);
    let other_zone = json!([{"effect": "allow", "permission_groups": [{"id": "3584d9f528ae687988dcfe7ed701558d"}],
        "resources": {format!("com.cloudflare.api.account.zone.{}", demo::ORG_ZONE_ID): "*"}}]);
    assert_error(
        &env.post(&base, admin, json!({"name": "x", "policies": other_zone}))
            .await,
        400,
        1001,
    );
    let user_level = json!([{"effect": "allow", "permission_groups": [{"id": "6ff4c00ee1da8421a88d42ce7109d22b"}],
        "resources": {format!("com.cloudflare.api.account.{}", demo::ACCOUNT_ID): "*"}}]);
    assert_error(
        &env.post(&base, admin, json!({"name": "x", "policies": user_level}))
            .await,
        400,
        1001,
    );
    // Managing account tokens needs Account API Tokens Write; a DNS token has none.
    let dns = Auth::Token(demo::DNS_EDIT_TOKEN);
    let r = env
        .post(
            &base,
            dns,
            json!({"name": "x", "policies": workers_policy(demo::ACCOUNT_ID)}),
        )
        .await;
    assert_error(&r, 403, 10000);
}

#[tokio::test]
async fn permission_groups_share_names_across_scopes() {
    let env = start().await;
    let admin = Auth::Token(demo::ADMIN_TOKEN);
    let r = env
        .get("/user/tokens/permission_groups?name=Logs%20Write", admin)
        .await;
    let scopes: Vec<&str> = r.json["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["scopes"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        scopes,
        [
            "com.cloudflare.api.account.zone",
            "com.cloudflare.api.account"
        ]
    );
    let acct = env
        .get(
            &format!("/accounts/{}/tokens/permission_groups", demo::ACCOUNT_ID),
            admin,
        )
        .await;
    let groups = acct.json["result"].as_array().unwrap();
    assert!(!groups.is_empty());
    assert!(groups
        .iter()
        .all(|g| g["scopes"][0] != "com.cloudflare.api.user"));
}
