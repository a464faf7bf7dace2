//! Every authentication and authorisation rule, with the real API's codes.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn no_credentials_is_9106_with_a_bare_body() {
    let env = start().await;
    let r = env.get("/zones", Auth::None).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json,
        json!({"success": false, "errors": [{"code": 9106, "message": "Missing X-Auth-Key, X-Auth-Email or Authorization headers"}]})
    );
    // Half a key/email pair is just as missing.
    assert_error(
        &env.get("/zones", Auth::Headers(&[("X-Auth-Key", demo::API_KEY)]))
            .await,
        400,
        9106,
    );
    assert_error(
        &env.get(
            "/zones",
            Auth::Headers(&[("X-Auth-Email", demo::API_EMAIL)]),
        )
        .await,
        400,
        9106,
    );
}

#[tokio::test]
async fn malformed_headers_are_6003_with_a_chain() {
    let env = start().await;
    // An API token sent as X-Auth-Key.
    let r = env
        .get("/zones", Auth::Key(demo::READ_ONLY_TOKEN, demo::API_EMAIL))
        .await;
    assert_error(&r, 400, 6003);
    assert_eq!(r.json["errors"][0]["message"], "Invalid request headers");
    assert_eq!(
        r.json["errors"][0]["error_chain"],
        json!([{"code": 6103, "message": "Invalid format for X-Auth-Key header"}])
    );
    // Both halves malformed.
    let r = env.get("/zones", Auth::Key("nope", "not-an-email")).await;
    let codes: Vec<u64> = r.json["errors"][0]["error_chain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [6102, 6103]);
    // Only the email malformed.
    let r = env
        .get("/zones", Auth::Key(demo::API_KEY, "demo.example.com"))
        .await;
    assert_eq!(r.json["errors"][0]["error_chain"][0]["code"], 6102);
    // Authorization without Bearer, or with a value that is not a token.
    for bad in [
        format!("Token {}", demo::READ_ONLY_TOKEN),
        "Bearer short".into(),
        "Bearer".into(),
        format!("Bearer {}!", &demo::READ_ONLY_TOKEN[..39]),
    ] {
        let r = env
            .get("/zones", Auth::Headers(&[("Authorization", bad.as_str())]))
            .await;
        assert_error(&r, 400, 6003);
        assert_eq!(
            r.json["errors"][0]["error_chain"][0]["code"], 6111,
            "for {bad:?}"
        );
    }
}

#[tokio::test]
async fn unknown_key_or_email_is_9103_and_unknown_token_9109() {
    let env = start().await;
    let other_key = "0123456789abcdef0123456789abcdef01234";
    assert_error(
        &env.get("/zones", Auth::Key(other_key, demo::API_EMAIL))
            .await,
        403,
        9103,
    );
    assert_error(
        &env.get("/zones", Auth::Key(demo::API_KEY, "someone@example.net"))
            .await,
        403,
        9103,
    );
    let r = env
        .get("/zones", Auth::Token("A".repeat(40).as_str()))
        .await;
    assert_error(&r, 403, 9109);
    assert_eq!(r.json["errors"][0]["message"], "Invalid access token");
}

#[tokio::test]
async fn global_key_has_full_access() {
    let env = start().await;
    let r = env.get("/user", GLOBAL).await;
    assert_ok(&r);
    assert_eq!(r.json["result"]["email"], demo::API_EMAIL);
    assert_eq!(
        env.get("/zones", GLOBAL).await.json["result_info"]["total_count"],
        2
    );
    assert_eq!(
        env.get("/accounts", GLOBAL).await.json["result_info"]["total_count"],
        2
    );
    assert_ok(
        &env.get(
            &format!("/accounts/{}/workers/scripts", demo::STAGING_ACCOUNT_ID),
            GLOBAL,
        )
        .await,
    );
    assert_ok(&env.get("/memberships", GLOBAL).await);
}

#[tokio::test]
async fn unusable_demo_tokens_are_10000_everywhere_and_1000_on_verify() {
    let env = start().await;
    for token in [
        demo::EXPIRED_TOKEN,
        demo::NOT_YET_VALID_TOKEN,
        demo::REVOKED_TOKEN,
        demo::IP_RESTRICTED_TOKEN,
    ] {
        let r = env.get("/zones", Auth::Token(token)).await;
        assert_error(&r, 403, 10000);
        assert_eq!(r.json["errors"][0]["message"], "Authentication error");
        assert_error(
            &env.get(
                &format!("/zones/{}/dns_records", demo::ZONE_ID),
                Auth::Token(token),
            )
            .await,
            403,
            10000,
        );
        let v = env.get("/user/tokens/verify", Auth::Token(token)).await;
        assert_error(&v, 401, 1000);
        assert_eq!(v.json["errors"][0]["message"], "Invalid API Token");
    }
    assert_error(
        &env.get("/user/tokens/verify", Auth::Token(&"b".repeat(40)))
            .await,
        401,
        1000,
    );
}

#[tokio::test]
async fn verify_reports_the_token() {
    let env = start().await;
    let r = env
        .get("/user/tokens/verify", Auth::Token(demo::DNS_EDIT_TOKEN))
        .await;
    assert_ok(&r);
    assert_eq!(
        r.json["result"],
        json!({"id": demo::DNS_EDIT_TOKEN_ID, "status": "active"})
    );
    assert_eq!(
        r.json["messages"],
        json!([{"code": 10000, "message": "This API Token is valid and active", "type": null}])
    );
    // Verify takes tokens only.
    assert_error(&env.get("/user/tokens/verify", GLOBAL).await, 400, 9106);
    // Account-level verify: the token must reach the account.
    assert_ok(
        &env.get(
            &format!("/accounts/{}/tokens/verify", demo::ACCOUNT_ID),
            Auth::Token(demo::DNS_EDIT_TOKEN),
        )
        .await,
    );
    assert_error(
        &env.get(
            &format!("/accounts/{}/tokens/verify", demo::STAGING_ACCOUNT_ID),
            Auth::Token(demo::DNS_EDIT_TOKEN),
        )
        .await,
        401,
        1000,
    );
}

#[tokio::test]
async fn dns_edit_token_reaches_only_example_com_dns() {
    let env = start().await;
    let t = Auth::Token(demo::DNS_EDIT_TOKEN);
    let zones = env.get("/zones", t).await;
    assert_ok(&zones);
    assert_eq!(zones.json["result"].as_array().unwrap().len(), 1);
    assert_eq!(zones.json["result"][0]["name"], "example.com");
    assert_eq!(zones.json["result_info"]["total_count"], 1);
    assert_ok(&env.get(&format!("/zones/{}", demo::ZONE_ID), t).await);
    assert_error(
        &env.get(&format!("/zones/{}", demo::ORG_ZONE_ID), t).await,
        403,
        10000,
    );
    assert_ok(
        &env.get(&format!("/zones/{}/dns_records", demo::ZONE_ID), t)
            .await,
    );
    assert_error(
        &env.get(&format!("/zones/{}/dns_records", demo::ORG_ZONE_ID), t)
            .await,
        403,
        10000,
    );
    let rec = json!({"type": "A", "name": "api", "content": "192.0.2.55"});
    assert_ok(
        &env.post(
            &format!("/zones/{}/dns_records", demo::ZONE_ID),
            t,
            rec.clone(),
        )
        .await,
    );
    assert_error(
        &env.post(&format!("/zones/{}/dns_records", demo::ORG_ZONE_ID), t, rec)
            .await,
        403,
        10000,
    );
    // Zone Read is not Zone Write.
    assert_error(
        &env.call(
            Method::PATCH,
            &format!("/zones/{}", demo::ZONE_ID),
            t,
            Some(json!({"paused": true})),
        )
        .await,
        403,
        10000,
    );
    // Nothing at account or user level.
    assert_error(
        &env.get(
            &format!("/accounts/{}/workers/scripts", demo::ACCOUNT_ID),
            t,
        )
        .await,
        403,
        10000,
    );
    assert_error(
        &env.get(&format!("/accounts/{}/pages/projects", demo::ACCOUNT_ID), t)
            .await,
        403,
        10000,
    );
    assert_error(&env.get("/user", t).await, 403, 9109);
    assert_error(&env.get("/user/tokens", t).await, 403, 10000);
}

#[tokio::test]
async fn read_only_token_reads_everything_and_writes_nothing() {
    let env = start().await;
    let t = Auth::Token(demo::READ_ONLY_TOKEN);
    assert_eq!(
        env.get("/zones", t).await.json["result_info"]["total_count"],
        2
    );
    for path in [
        format!("/zones/{}/dns_records", demo::ORG_ZONE_ID),
        format!(
            "/zones/{}/dns_records/{}",
            demo::ZONE_ID,
            demo::APEX_RECORD_ID
        ),
        "/user".into(),
        "/user/tokens".into(),
        "/memberships".into(),
        "/accounts".into(),
        format!("/accounts/{}", demo::STAGING_ACCOUNT_ID),
        format!("/accounts/{}/pages/projects", demo::ACCOUNT_ID),
        format!("/accounts/{}/workers/scripts", demo::ACCOUNT_ID),
        format!("/accounts/{}/audit_logs", demo::ACCOUNT_ID),
        format!("/certificates?zone_id={}", demo::ZONE_ID),
    ] {
        assert_ok(&env.get(&path, t).await);
    }
    let rec = json!({"type": "A", "name": "x", "content": "192.0.2.1"});
    assert_error(
        &env.post(&format!("/zones/{}/dns_records", demo::ZONE_ID), t, rec)
            .await,
        403,
        10000,
    );
    assert_error(
        &env.call(
            Method::DELETE,
            &format!(
                "/zones/{}/dns_records/{}",
                demo::ZONE_ID,
                demo::APEX_RECORD_ID
            ),
            t,
            None,
        )
        .await,
        403,
        10000,
    );
    assert_error(
        &env.post(
            "/zones",
            t,
            json!({"name": "new.example", "account": {"id": demo::ACCOUNT_ID}}),
        )
        .await,
        403,
        10000,
    );
    assert_error(
        &env.post("/user/tokens", t, json!({"name": "x", "policies": []}))
            .await,
        403,
        10000,
    );
}

#[tokio::test]
async fn ip_conditions_use_the_peer_address() {
    let env = start().await;
    let admin = Auth::Token(demo::ADMIN_TOKEN);
    let policies = json!([{"effect": "allow", "permission_groups": [{"id": "69c5b4a3464c28d21ee797902e8a0d15"}], "resources": {"com.cloudflare.api.account.zone.*": "*"}}]);
    let allowed = env.post("/user/tokens", admin, json!({"name": "loopback", "policies": policies, "condition": {"request_ip": {"in": ["127.0.0.0/8", "::1/128"]}}})).await;
    assert_ok(&allowed);
    let value = allowed.json["result"]["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        allowed.json["result"]["condition"]["request_ip"]["in"],
        json!(["127.0.0.0/8", "::1/128"])
    );
    assert_ok(&env.get("/zones", Auth::Token(&value)).await);
    assert_ok(&env.get("/user/tokens/verify", Auth::Token(&value)).await);

    let denied = env.post("/user/tokens", admin, json!({"name": "not loopback", "policies": policies, "condition": {"request_ip": {"not_in": ["127.0.0.0/8"]}}})).await;
    let value = denied.json["result"]["value"].as_str().unwrap().to_string();
    assert_error(&env.get("/zones", Auth::Token(&value)).await, 403, 10000);
    // The demo token allowed only from 192.0.2.0/24 is refused from loopback.
    assert_error(
        &env.get("/zones", Auth::Token(demo::IP_RESTRICTED_TOKEN))
            .await,
        403,
        10000,
    );
}

#[tokio::test]
async fn user_service_key_works_only_on_certificates() {
    let env = start().await;
    let usk = Auth::ServiceKey(demo::USER_SERVICE_KEY);
    assert_ok(
        &env.get(&format!("/certificates?zone_id={}", demo::ZONE_ID), usk)
            .await,
    );
    let created = env.post("/certificates", usk, json!({"hostnames": ["example.com", "*.example.com"], "request_type": "origin-rsa", "csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----", "requested_validity": 30})).await;
    assert_ok(&created);
    assert!(created.json["result"]["certificate"]
        .as_str()
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    let list = env
        .get(&format!("/certificates?zone_id={}", demo::ZONE_ID), usk)
        .await;
    assert_eq!(list.json["result_info"]["total_count"], 1);
    // Elsewhere the key is not a credential at all.
    assert_error(&env.get("/zones", usk).await, 400, 9106);
    assert_error(&env.get("/user", usk).await, 400, 9106);
    // A wrong key on /certificates.
    assert_error(
        &env.get(
            &format!("/certificates?zone_id={}", demo::ZONE_ID),
            Auth::ServiceKey("v1.0-0000"),
        )
        .await,
        403,
        10000,
    );
    // Tokens need SSL and Certificates permission on the zone.
    assert_error(
        &env.get(
            &format!("/certificates?zone_id={}", demo::ZONE_ID),
            Auth::Token(demo::DNS_EDIT_TOKEN),
        )
        .await,
        403,
        10000,
    );
}
