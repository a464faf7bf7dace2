//! Token management: create shows the value once, roll, update, delete, permission groups.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

fn dns_read_policy() -> serde_json::Value {
    json!([{"effect": "allow", "permission_groups": [{"id": "3584d9f528ae687988dcfe7ed701558d"}], "resources": {format!("com.cloudflare.api.account.zone.{}", demo::ZONE_ID): "*"}}])
}

#[tokio::test]
async fn create_shows_the_value_once() {
    let env = start().await;
    let admin = Auth::Token(demo::ADMIN_TOKEN);
    let created = env.post("/user/tokens", admin, json!({"name": "ci", "policies": dns_read_policy(), "expires_on": "2099-12-31T00:00:00Z"})).await;
    assert_ok(&created);
    let t = &created.json["result"];
    let (id, value) = (
        t["id"].as_str().unwrap().to_string(),
        t["value"].as_str().unwrap().to_string(),
    );
    assert_eq!(value.len(), 40);
    assert!(value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'));
    assert_eq!(t["status"], "active");
    assert_eq!(t["policies"][0]["permission_groups"][0]["name"], "DNS Read");
    assert_eq!(t["policies"][0]["id"].as_str().unwrap().len(), 32);

    let fetched = env.get(&format!("/user/tokens/{id}"), admin).await;
    assert_ok(&fetched);
    assert!(fetched.json["result"].get("value").is_none());
    let listed = env.get("/user/tokens?per_page=50", admin).await;
    assert!(listed.json["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t.get("value").is_none()));
    assert_eq!(listed.json["result_info"]["total_count"], 8);

    let verify = env.get("/user/tokens/verify", Auth::Token(&value)).await;
    assert_eq!(
        verify.json["result"],
        json!({"id": id, "status": "active", "expires_on": "2099-12-31T00:00:00Z"})
    );
    assert_ok(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            Auth::Token(&value),
        )
        .await,
    );
    assert_error(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ORG_ZONE_ID),
            Auth::Token(&value),
        )
        .await,
        403,
        10000,
    );
}

#[tokio::test]
async fn roll_replaces_the_value() {
    let env = start().await;
    let path = format!("/user/tokens/{}/value", demo::READ_ONLY_TOKEN_ID);
    let rolled = env.call(Method::PUT, &path, GLOBAL, Some(json!({}))).await;
    assert_ok(&rolled);
    let value = rolled.json["result"].as_str().unwrap().to_string();
    assert_ne!(value, demo::READ_ONLY_TOKEN);
    assert_eq!(value.len(), 40);
    assert_error(
        &env.get("/zones", Auth::Token(demo::READ_ONLY_TOKEN)).await,
        403,
        9109,
    );
    assert_ok(&env.get("/zones", Auth::Token(&value)).await);
    assert_error(
        &env.call(
            Method::PUT,
            &format!("/user/tokens/{}/value", "0".repeat(32)),
            GLOBAL,
            Some(json!({})),
        )
        .await,
        404,
        1003,
    );
}

#[tokio::test]
async fn update_and_delete() {
    let env = start().await;
    let path = format!("/user/tokens/{}", demo::DNS_EDIT_TOKEN_ID);
    let body =
        json!({"name": "DNS edit, disabled", "status": "disabled", "policies": dns_read_policy()});
    let updated = env.call(Method::PUT, &path, GLOBAL, Some(body)).await;
    assert_ok(&updated);
    assert_eq!(updated.json["result"]["status"], "disabled");
    assert!(updated.json["result"].get("value").is_none());
    assert_error(
        &env.get("/zones", Auth::Token(demo::DNS_EDIT_TOKEN)).await,
        403,
        10000,
    );

    let deleted = env.call(Method::DELETE, &path, GLOBAL, None).await;
    assert_eq!(
        deleted.json["result"],
        json!({"id": demo::DNS_EDIT_TOKEN_ID})
    );
    assert_error(
        &env.get("/zones", Auth::Token(demo::DNS_EDIT_TOKEN)).await,
        403,
        9109,
    );
    assert_error(&env.get(&path, GLOBAL).await, 404, 1003);
}

#[tokio::test]
async fn bad_token_bodies_are_400() {
    let env = start().await;
    for body in [
        json!({"policies": dns_read_policy()}),
        json!({"name": "x", "policies": []}),
        json!({"name": "x", "policies": [{"permission_groups": [{"id": "nope"}], "resources": {"com.cloudflare.api.account.zone.*": "*"}}]}),
        json!({"name": "x", "policies": dns_read_policy(), "condition": {"request_ip": {"in": ["300.0.0.0/8"]}}}),
        json!({"name": "x", "policies": dns_read_policy(), "expires_on": "soon"}),
    ] {
        assert_error(&env.post("/user/tokens", GLOBAL, body).await, 400, 1001);
    }
}

#[tokio::test]
async fn permission_groups() {
    let env = start().await;
    let all = env
        .get(
            "/user/tokens/permission_groups",
            Auth::Token(demo::READ_ONLY_TOKEN),
        )
        .await;
    assert_ok(&all);
    let names: Vec<&str> = all.json["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    for expected in [
        "DNS Read",
        "DNS Write",
        "Zone Read",
        "Zone Write",
        "Workers Scripts Write",
        "Pages Read",
        "API Tokens Write",
        "Account Settings Read",
        "User Details Read",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let one = env
        .get("/user/tokens/permission_groups?name=DNS%20Write", GLOBAL)
        .await;
    assert_eq!(one.json["result"].as_array().unwrap().len(), 1);
    assert_eq!(
        one.json["result"][0]["scopes"],
        json!(["com.cloudflare.api.account.zone"])
    );
}

#[tokio::test]
async fn deny_policies_win() {
    let env = start().await;
    let policies = json!([
        {"effect": "allow", "permission_groups": ["DNS Read"], "resources": {"com.cloudflare.api.account.zone.*": "*"}},
        {"effect": "deny", "permission_groups": ["DNS Read"], "resources": {format!("com.cloudflare.api.account.zone.{}", demo::ORG_ZONE_ID): "*"}}
    ]);
    let created = env
        .post(
            "/user/tokens",
            GLOBAL,
            json!({"name": "deny", "policies": policies}),
        )
        .await;
    let value = created.json["result"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ok(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            Auth::Token(&value),
        )
        .await,
    );
    assert_error(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ORG_ZONE_ID),
            Auth::Token(&value),
        )
        .await,
        403,
        10000,
    );
    // A nested account resource limits the grant to that account's zones.
    let nested = json!([{"effect": "allow", "permission_groups": ["DNS Read"], "resources": {format!("com.cloudflare.api.account.{}", demo::STAGING_ACCOUNT_ID): {"com.cloudflare.api.account.zone.*": "*"}}}]);
    let created = env
        .post(
            "/user/tokens",
            GLOBAL,
            json!({"name": "nested", "policies": nested}),
        )
        .await;
    let value = created.json["result"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ok(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ORG_ZONE_ID),
            Auth::Token(&value),
        )
        .await,
    );
    assert_error(
        &env.get(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            Auth::Token(&value),
        )
        .await,
        403,
        10000,
    );
}
