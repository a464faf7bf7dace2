//! Zone and DNS record create / read / update / delete, and request-level errors.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn zone_lifecycle() {
    let env = start().await;
    let created = env.post("/zones", GLOBAL, json!({"name": "new-zone.example", "account": {"id": demo::ACCOUNT_ID}, "type": "full"})).await;
    assert_ok(&created);
    let zone = &created.json["result"];
    let id = zone["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 32);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(zone["status"], "pending");
    assert_eq!(
        zone["account"],
        json!({"id": demo::ACCOUNT_ID, "name": demo::ACCOUNT_NAME})
    );
    assert_eq!(zone["name_servers"].as_array().unwrap().len(), 2);

    assert_error(
        &env.post(
            "/zones",
            GLOBAL,
            json!({"name": "new-zone.example", "account": {"id": demo::ACCOUNT_ID}}),
        )
        .await,
        400,
        1061,
    );
    assert_error(
        &env.post(
            "/zones",
            GLOBAL,
            json!({"name": "not a domain", "account": {"id": demo::ACCOUNT_ID}}),
        )
        .await,
        400,
        1001,
    );
    assert_error(
        &env.post("/zones", GLOBAL, json!({"name": "x.example"}))
            .await,
        400,
        1001,
    );

    assert_eq!(
        env.get(&format!("/zones/{id}"), GLOBAL).await.json["result"]["name"],
        "new-zone.example"
    );
    let edited = env
        .call(
            Method::PATCH,
            &format!("/zones/{id}"),
            GLOBAL,
            Some(json!({"paused": true})),
        )
        .await;
    assert_ok(&edited);
    assert_eq!(edited.json["result"]["paused"], true);
    assert_eq!(
        env.get("/zones", GLOBAL).await.json["result_info"]["total_count"],
        3
    );

    let deleted = env
        .call(Method::DELETE, &format!("/zones/{id}"), GLOBAL, None)
        .await;
    assert_ok(&deleted);
    assert_eq!(deleted.json["result"], json!({"id": id}));
    assert_error(&env.get(&format!("/zones/{id}"), GLOBAL).await, 404, 7003);
    assert_error(
        &env.call(Method::DELETE, &format!("/zones/{id}"), GLOBAL, None)
            .await,
        404,
        7003,
    );
}

#[tokio::test]
async fn dns_record_lifecycle() {
    let env = start().await;
    let base = format!("/zones/{}/dns_records", demo::ZONE_ID);
    let created = env.post(&base, GLOBAL, json!({"type": "A", "name": "api", "content": "192.0.2.50", "ttl": 300, "proxied": true, "comment": "edge"})).await;
    assert_ok(&created);
    let rec = &created.json["result"];
    let id = rec["id"].as_str().unwrap().to_string();
    assert_eq!(rec["name"], "api.example.com");
    assert_eq!(rec["proxiable"], true);
    assert_eq!(rec["ttl"], 300);
    for key in [
        "settings",
        "meta",
        "tags",
        "created_on",
        "modified_on",
        "comment",
    ] {
        assert!(rec.get(key).is_some(), "record lacks {key}: {rec}");
    }

    assert_eq!(
        env.get(&format!("{base}/{id}"), GLOBAL).await.json["result"]["content"],
        "192.0.2.50"
    );
    let put = env
        .call(
            Method::PUT,
            &format!("{base}/{id}"),
            GLOBAL,
            Some(json!({"type": "A", "name": "api.example.com", "content": "192.0.2.51"})),
        )
        .await;
    assert_ok(&put);
    assert_eq!(put.json["result"]["content"], "192.0.2.51");
    assert_eq!(
        put.json["result"]["ttl"], 1,
        "PUT replaces the whole record"
    );
    assert_eq!(put.json["result"]["created_on"], rec["created_on"]);
    let patch = env
        .call(
            Method::PATCH,
            &format!("{base}/{id}"),
            GLOBAL,
            Some(json!({"ttl": 120, "comment": null})),
        )
        .await;
    assert_ok(&patch);
    assert_eq!(patch.json["result"]["ttl"], 120);
    assert_eq!(patch.json["result"]["content"], "192.0.2.51");
    // Cleared: the spec makes `comment` a required string, so it reads as "".
    assert_eq!(patch.json["result"]["comment"], json!(""));

    let del = env
        .call(Method::DELETE, &format!("{base}/{id}"), GLOBAL, None)
        .await;
    assert_eq!(del.json["result"], json!({"id": id}));
    assert_error(&env.get(&format!("{base}/{id}"), GLOBAL).await, 404, 81044);
    assert_error(
        &env.call(
            Method::PATCH,
            &format!("{base}/{id}"),
            GLOBAL,
            Some(json!({"ttl": 120})),
        )
        .await,
        404,
        81044,
    );
}

#[tokio::test]
async fn dns_validation() {
    let env = start().await;
    let base = format!("/zones/{}/dns_records", demo::ZONE_ID);
    let post = |body| env.post(&base, GLOBAL, body);
    assert_error(
        &post(json!({"type": "A", "name": "x", "content": "not-an-ip"})).await,
        400,
        9005,
    );
    assert_error(
        &post(json!({"type": "AAAA", "name": "x", "content": "192.0.2.1"})).await,
        400,
        9006,
    );
    assert_error(
        &post(json!({"type": "BOGUS", "name": "x", "content": "y"})).await,
        400,
        9020,
    );
    assert_error(
        &post(json!({"type": "A", "name": "x", "content": "192.0.2.1", "ttl": 5})).await,
        400,
        9021,
    );
    assert_error(
        &post(json!({"type": "TXT", "name": "x", "content": "hi", "proxied": true})).await,
        400,
        9004,
    );
    assert_error(
        &post(json!({"type": "A", "content": "192.0.2.1"})).await,
        400,
        9000,
    );
    // Duplicates and CNAME collisions.
    assert_error(
        &post(json!({"type": "A", "name": "@", "content": "192.0.2.10"})).await,
        400,
        81058,
    );
    assert_error(
        &post(json!({"type": "A", "name": "www", "content": "192.0.2.9"})).await,
        400,
        81053,
    );
    assert_error(
        &post(json!({"type": "CNAME", "name": "mail", "content": "example.com"})).await,
        400,
        81053,
    );
    assert_ok(&post(json!({"type": "SRV", "name": "_sip._tcp", "data": {"priority": 10, "weight": 5, "port": 5060, "target": "sip.example.com"}})).await);
    assert_error(
        &env.post(
            &format!("/zones/{}/dns_records", "0".repeat(32)),
            GLOBAL,
            json!({}),
        )
        .await,
        404,
        7003,
    );
}

#[tokio::test]
async fn bad_json_unknown_routes_and_methods() {
    let env = start().await;
    let r = env
        .http
        .post(env.url(&format!("/zones/{}/dns_records", demo::ZONE_ID)))
        .header("X-Auth-Key", demo::API_KEY)
        .header("X-Auth-Email", demo::API_EMAIL)
        .header("Content-Type", "application/json")
        .body("{\"type\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(body["errors"][0]["code"], 6007);

    for (method, path) in [
        (Method::GET, "/nope"),
        (Method::GET, "/zones/a/b/c/d"),
        (Method::POST, "/user"),
        (Method::DELETE, "/accounts"),
    ] {
        let r = env.call(method, path, GLOBAL, None).await;
        assert_error(&r, 404, 7003);
        assert_eq!(r.json["errors"][0]["message"], "No route for the URI");
    }
    // Outside /client/v4 too, and routing comes before authentication.
    let r = env
        .http
        .get(format!("http://{}/other", env.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_error(&env.get("/nope", Auth::None).await, 404, 7003);
}

#[tokio::test]
async fn accounts_memberships_and_pages() {
    let env = start().await;
    let accounts = env.get("/accounts", GLOBAL).await;
    assert_eq!(accounts.json["result"][0]["id"], demo::ACCOUNT_ID);
    assert_eq!(accounts.json["result"][0]["type"], "standard");
    assert_ok(
        &env.get(&format!("/accounts/{}", demo::ACCOUNT_ID), GLOBAL)
            .await,
    );
    assert_error(
        &env.get(&format!("/accounts/{}", "f".repeat(32)), GLOBAL)
            .await,
        404,
        7003,
    );
    let m = env.get("/memberships", GLOBAL).await;
    assert_eq!(
        m.json["result"][1]["account"]["id"],
        demo::STAGING_ACCOUNT_ID
    );
    assert_eq!(m.json["result"][0]["status"], "accepted");
    let p = env
        .get(
            &format!("/accounts/{}/pages/projects", demo::ACCOUNT_ID),
            GLOBAL,
        )
        .await;
    assert_eq!(p.json["result_info"]["total_count"], 2);
    assert_eq!(p.json["result"][0]["name"], "demo-site");
    assert_eq!(p.json["result"][0]["subdomain"], "demo-site.pages.dev");
    // The DNS-only token sees only the account its zone is in.
    let t = env
        .get("/accounts", Auth::Token(demo::DNS_EDIT_TOKEN))
        .await;
    assert_eq!(t.json["result_info"]["total_count"], 1);
}
