//! Least-privilege tokens against the emulator: specs resolved by name, create/verify/whoami/roll/revoke/expiring,
//! user- and account-owned, and the token values kept out of Debug and logs.

mod support;

use std::time::Duration;

use flarekit::tokens::{expose, Owner, Scope, TokenSpec};
use flarekit::{Cloudflare, ErrorKind};
use flarekit_emulator::demo;
use serde_json::{json, Value};
use support::{Emulator, LogCapture};

fn builder(emu: &Emulator) -> flarekit::ClientBuilder {
    Cloudflare::builder()
        .base_url(&emu.base_url)
        .env_source(std::collections::BTreeMap::new())
        .retry_delay_scale(0.001)
        .log_level(flarekit::LogLevel::Debug)
}

fn with_token(emu: &Emulator, token: &str) -> Cloudflare {
    builder(emu).api_token(token).build().unwrap()
}

fn zone_key(z: &str) -> String {
    format!("com.cloudflare.api.account.zone.{z}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_resolve_to_the_exact_body_once_per_call() {
    let emu = Emulator::start().await;
    let cf = with_token(&emu, demo::ADMIN_TOKEN);
    let spec = TokenSpec::new("ci")
        .allow("DNS Write", Scope::Zone("example.com".into()))
        .allow("zone read", Scope::Zone("example.com".into()))
        .allow("Logs Write", Scope::AllZones(demo::ACCOUNT_NAME.into()))
        .allow("Logs Write", Scope::Account(demo::ACCOUNT_NAME.into()))
        .ip_allow("192.0.2.0/24")
        .ip_deny("192.0.2.7")
        .not_before("2030-01-01T02:00:00+02:00")
        .expires_on("2031-01-01T00:00:00Z");
    emu.reset().await;
    let plan = cf.tokens().plan(&spec, &Owner::User).await.unwrap();
    let acct = format!("com.cloudflare.api.account.{}", demo::ACCOUNT_ID);
    assert_eq!(plan.path, "/user/tokens");
    assert_eq!(
        plan.body,
        json!({
            "name": "ci",
            "policies": [
                {"effect": "allow", "resources": {zone_key(demo::ZONE_ID): "*"},
                 "permission_groups": [{"id": "dbe7589dc33d827c135931b17957d999"}, {"id": "69c5b4a3464c28d21ee797902e8a0d15"}]},
                {"effect": "allow", "resources": {acct.clone(): {"com.cloudflare.api.account.zone.*": "*"}},
                 "permission_groups": [{"id": "3e0b5820118e47f3922f7c989e673882"}]},
                {"effect": "allow", "resources": {acct: "*"},
                 "permission_groups": [{"id": "96163bd1b0784f62b3e44ed8c2ab1eb6"}]},
            ],
            "condition": {"request_ip": {"in": ["192.0.2.0/24"], "not_in": ["192.0.2.7"]}},
            "not_before": "2030-01-01T00:00:00Z",
            "expires_on": "2031-01-01T00:00:00Z",
        })
    );
    // One zone lookup, one account lookup, one permission-group read; nothing written.
    let paths: Vec<String> = emu
        .requests()
        .await
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            "GET /client/v4/zones",
            "GET /client/v4/accounts",
            "GET /client/v4/user/tokens/permission_groups"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_specs_are_typed_errors_before_any_write() {
    let emu = Emulator::start().await;
    let cf = with_token(&emu, demo::ADMIN_TOKEN);
    emu.reset().await;
    let e = cf
        .tokens()
        .create(
            &TokenSpec::new("x")
                .allow("DNS Read", Scope::User)
                .ip_allow("10.0.0.0/33"),
            &Owner::User,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("10.0.0.0/33"), "{e}");
    assert!(
        emu.requests().await.is_empty(),
        "a bad CIDR is refused before any request"
    );

    let e = cf
        .tokens()
        .plan(
            &TokenSpec::new("x").allow("DNS Wrtie", Scope::Zone("example.com".into())),
            &Owner::User,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(
        e.message().contains("\"DNS Write\""),
        "closest names listed: {e}"
    );

    let e = cf
        .tokens()
        .plan(
            &TokenSpec::new("x").allow("DNS Write", Scope::Account(demo::ACCOUNT_ID.into())),
            &Owner::User,
        )
        .await
        .unwrap_err();
    assert!(e.message().contains("zone-level"), "{e}");

    let e = cf
        .tokens()
        .plan(
            &TokenSpec::new("x").allow("DNS Write", Scope::Zone("nope.example".into())),
            &Owner::User,
        )
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");

    let e = cf
        .tokens()
        .plan(
            &TokenSpec::new("x").allow("API Tokens Read", Scope::User),
            &Owner::Account(demo::ACCOUNT_ID.into()),
        )
        .await
        .unwrap_err();
    assert!(e.message().contains("user-level"), "{e}");
    for bad in ["", "nothex", "../x"] {
        assert_eq!(
            cf.tokens()
                .roll(bad, &Owner::User)
                .await
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            cf.tokens()
                .revoke(bad, &Owner::User)
                .await
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_token_lifecycle_and_secrecy() {
    let logs = LogCapture::install();
    let emu = Emulator::start().await;
    let admin = with_token(&emu, demo::ADMIN_TOKEN);
    let spec = TokenSpec::new("dns job")
        .allow("DNS Write", Scope::Zone("example.com".into()))
        .allow("Zone Read", Scope::Zone(demo::ZONE_ID.into()))
        .ip_allow("127.0.0.0/8")
        .ttl(Duration::from_secs(3600));
    let created = admin.tokens().create(&spec, &Owner::User).await.unwrap();
    let value = expose(created.value()).to_string();
    assert!(!format!("{created:?}").contains(&value));
    assert!(!created.to_json().to_string().contains(&value));
    assert!(created.expires_on.is_some());

    let job = with_token(&emu, &value);
    let who = job.tokens().whoami().await.unwrap();
    let t = who.token.as_ref().unwrap();
    assert_eq!(
        (t.id.as_str(), t.status.as_str(), &t.owner),
        (created.id.as_str(), "active", &Owner::User)
    );
    assert_eq!(who.scheme, "api_token");
    assert_eq!(t.policies, None, "a DNS token may not read itself");
    job.get(format!("/zones/{}/dns_records", demo::ZONE_ID))
        .send()
        .await
        .unwrap();

    let expiring = admin
        .tokens()
        .expiring(Duration::from_secs(86_400), &Owner::User)
        .await
        .unwrap();
    let ids: Vec<&str> = expiring.iter().filter_map(|t| t["id"].as_str()).collect();
    assert!(
        ids.contains(&created.id.as_str()) && !ids.contains(&demo::ADMIN_TOKEN_ID),
        "{ids:?}"
    );
    assert!(!ids.contains(&demo::REVOKED_TOKEN_ID));

    let rolled = admin
        .tokens()
        .roll(&created.id, &Owner::User)
        .await
        .unwrap();
    assert_ne!(expose(&rolled), value);
    assert!(job
        .tokens()
        .verify()
        .await
        .unwrap_err()
        .kind()
        .is_authentication());
    let job2 = with_token(&emu, expose(&rolled));
    assert_eq!(job2.tokens().verify().await.unwrap().id, created.id);
    admin
        .tokens()
        .revoke(&created.id, &Owner::User)
        .await
        .unwrap();
    assert!(job2
        .tokens()
        .verify()
        .await
        .unwrap_err()
        .kind()
        .is_authentication());
    let log = logs.text();
    assert!(
        !log.contains(&value) && !log.contains(expose(&rolled)),
        "no token value in the logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_owned_tokens_and_whoami_for_every_scheme() {
    let emu = Emulator::start().await;
    let admin = with_token(&emu, demo::ADMIN_TOKEN);
    let owner = Owner::Account(demo::ACCOUNT_ID.into());
    let spec = TokenSpec::new("workers deploy")
        .allow(
            "Workers Scripts Write",
            Scope::Account(demo::ACCOUNT_NAME.into()),
        )
        .allow("Logs Write", Scope::AllZones(demo::ACCOUNT_ID.into()));
    let created = admin.tokens().create(&spec, &owner).await.unwrap();
    assert_eq!(created.owner, owner);
    let value = expose(created.value()).to_string();

    // /user/tokens/verify refuses it; verify finds its account through /accounts (no account option).
    let job = with_token(&emu, &value);
    let e = job.get("/user/tokens/verify").send().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    let id = job.tokens().verify().await.unwrap();
    assert_eq!((id.id.as_str(), &id.owner), (created.id.as_str(), &owner));
    // With the account option it goes straight there.
    let job = builder(&emu)
        .api_token(&value)
        .account_id(demo::ACCOUNT_ID)
        .build()
        .unwrap();
    let who = job.tokens().whoami().await.unwrap();
    assert_eq!(who.token.unwrap().owner, owner);
    assert_eq!(who.auth, "api_token from options");

    let listed = admin.tokens().list(&owner).await.unwrap();
    assert_eq!(listed.len(), 1);
    let user_listed = admin.tokens().list(&Owner::User).await.unwrap();
    assert!(user_listed.iter().all(|t| t["id"] != created.id.as_str()));
    let rolled = admin.tokens().roll(&created.id, &owner).await.unwrap();
    admin.tokens().revoke(&created.id, &owner).await.unwrap();
    let gone = with_token(&emu, expose(&rolled));
    assert!(gone
        .tokens()
        .verify()
        .await
        .unwrap_err()
        .kind()
        .is_authentication());

    // The audit log of the account shows each step.
    let audit = admin
        .get(format!("/accounts/{}/audit_logs", demo::ACCOUNT_ID))
        .send()
        .await
        .unwrap();
    let actions: Vec<&str> = audit
        .result
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["resource"]["id"] == created.id.as_str() || e.to_string().contains(&created.id)
        })
        .filter_map(|e| e["action"]["type"].as_str())
        .collect();
    for a in ["add", "roll", "delete"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }

    let key = builder(&emu)
        .api_key(demo::API_KEY)
        .api_email(demo::API_EMAIL)
        .build()
        .unwrap();
    let who = key.tokens().whoami().await.unwrap();
    assert_eq!(who.scheme, "api_key");
    assert_eq!(who.user.unwrap()["email"], demo::API_EMAIL);
    assert_eq!(
        key.tokens().verify().await.unwrap_err().kind(),
        ErrorKind::Configuration
    );

    let admin_who = admin.tokens().whoami().await.unwrap();
    let policies = admin_who.token.unwrap().policies.unwrap();
    assert!(
        matches!(policies, Value::Array(ref p) if p.len() == 3),
        "the admin token reads itself"
    );
}
