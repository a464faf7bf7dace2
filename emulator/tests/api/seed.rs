//! The demo seed matches the published constants; custom seeds are validated.

use flarekit_emulator::{demo, Emulator, Seed};
use serde_json::json;

use crate::common::*;

#[test]
fn demo_constants_match_the_demo_seed() {
    let seed = Seed::demo();
    assert_eq!(seed.user.id, demo::USER_ID);
    assert_eq!(seed.user.email, demo::API_EMAIL);
    assert_eq!(seed.user.api_key, demo::API_KEY);
    assert_eq!(
        seed.user.user_service_key.as_deref(),
        Some(demo::USER_SERVICE_KEY)
    );
    let accounts: Vec<(&str, &str)> = seed
        .accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        accounts,
        [
            (demo::ACCOUNT_ID, demo::ACCOUNT_NAME),
            (demo::STAGING_ACCOUNT_ID, demo::STAGING_ACCOUNT_NAME)
        ]
    );
    let zones: Vec<(&str, &str, &str)> = seed
        .zones
        .iter()
        .map(|z| (z.id.as_str(), z.name.as_str(), z.account_id.as_str()))
        .collect();
    assert_eq!(
        zones,
        [
            (demo::ZONE_ID, demo::ZONE_NAME, demo::ACCOUNT_ID),
            (
                demo::ORG_ZONE_ID,
                demo::ORG_ZONE_NAME,
                demo::STAGING_ACCOUNT_ID
            )
        ]
    );
    assert_eq!(
        seed.zones[0].dns_records[0].id.as_deref(),
        Some(demo::APEX_RECORD_ID)
    );
    let tokens: Vec<(&str, &str)> = seed
        .tokens
        .iter()
        .map(|t| (t.id.as_str(), t.value.as_str()))
        .collect();
    assert_eq!(
        tokens,
        [
            (demo::ADMIN_TOKEN_ID, demo::ADMIN_TOKEN),
            (demo::DNS_EDIT_TOKEN_ID, demo::DNS_EDIT_TOKEN),
            (demo::READ_ONLY_TOKEN_ID, demo::READ_ONLY_TOKEN),
            (demo::EXPIRED_TOKEN_ID, demo::EXPIRED_TOKEN),
            (demo::NOT_YET_VALID_TOKEN_ID, demo::NOT_YET_VALID_TOKEN),
            (demo::REVOKED_TOKEN_ID, demo::REVOKED_TOKEN),
            (demo::IP_RESTRICTED_TOKEN_ID, demo::IP_RESTRICTED_TOKEN),
        ]
    );
    assert_eq!(demo::API_KEY.len(), 37);
}

#[test]
fn invalid_seeds_say_what_is_wrong() {
    let user = json!({"id": "0123456789abcdef0123456789abcdef", "email": "me@example.net", "api_key": "0123456789abcdef0123456789abcdef01234"});
    let cases = [
        (
            json!({"user": {"id": "x", "email": "me@example.net", "api_key": "0123456789abcdef0123456789abcdef01234"}}),
            "user.id",
        ),
        (
            json!({"user": user, "zones": [{"id": "1123456789abcdef0123456789abcdef", "name": "a.example", "account_id": "2123456789abcdef0123456789abcdef"}]}),
            "not in accounts",
        ),
        (
            json!({"user": user, "tokens": [{"id": "1123456789abcdef0123456789abcdef", "name": "t", "value": "abcdefghijABCDEFGHIJ0123456789_-abcdefgh", "policies": [{"permission_groups": ["Nope"], "resources": {"com.cloudflare.api.account.zone.*": "*"}}]}]}),
            "permission group",
        ),
        (json!({"user": user, "surprise": 1}), "unknown field"),
    ];
    for (seed, expected) in cases {
        let err = Seed::from_json(&seed.to_string()).unwrap_err().to_string();
        assert!(
            err.contains(expected),
            "{err:?} should mention {expected:?}"
        );
    }
}

#[tokio::test]
async fn a_custom_seed_drives_the_state() {
    let seed = json!({
        "user": {"id": "0123456789abcdef0123456789abcdef", "email": "me@example.net", "api_key": "0123456789abcdef0123456789abcdef01234"},
        "accounts": [{"id": "2123456789abcdef0123456789abcdef", "name": "Mine"}],
        "zones": [{"id": "1123456789abcdef0123456789abcdef", "name": "mine.example", "account_id": "2123456789abcdef0123456789abcdef", "dns_records": [{"type": "A", "name": "@", "content": "203.0.113.1"}]}]
    });
    let env = start_with(Seed::from_json(&seed.to_string()).unwrap()).await;
    let key = Auth::Key("0123456789abcdef0123456789abcdef01234", "me@example.net");
    let r = env
        .get("/zones/1123456789abcdef0123456789abcdef/dns_records", key)
        .await;
    assert_eq!(r.json["result"][0]["name"], "mine.example");
    assert_error(&env.get("/zones", GLOBAL).await, 403, 9103);
    // Library API.
    let emu = Emulator::builder().start().await.unwrap();
    assert!(
        emu.base_url().starts_with("http://127.0.0.1:") && emu.base_url().ends_with("/client/v4")
    );
    assert_eq!(
        emu.admin_url(),
        format!("http://127.0.0.1:{}/__emulator", emu.addr().port())
    );
    emu.shutdown().await;
}
