//! The Rust front door against the emulator's demo seed: CRUD, paging request counts, uploads, auth failures.

mod support;

use flarekit::typed::{DnsRecordFilter, DnsRecordInput, Module, NewToken, ZoneFilter};
use flarekit::{Cloudflare, ErrorKind};
use flarekit_emulator::demo;
use futures_util::StreamExt;
use serde_json::json;
use support::Emulator;

fn client(emu: &Emulator, token: &str) -> Cloudflare {
    Cloudflare::builder()
        .api_token(token)
        .base_url(&emu.base_url)
        .account_id(demo::ACCOUNT_ID)
        .env_source(std::collections::BTreeMap::new())
        .retry_delay_scale(0.001)
        .build()
        .unwrap()
}

#[test]
fn client_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync_clone::<Cloudflare>();
    assert_send_sync::<flarekit::Error>();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zones_and_dns_crud() {
    let emu = Emulator::start().await;
    let cf = client(&emu, demo::ADMIN_TOKEN);
    assert_eq!(cf.user().verify_token().await.unwrap().status, "active");
    assert_eq!(
        cf.user().get().await.unwrap().email.as_deref(),
        Some(demo::API_EMAIL)
    );

    let zone = cf
        .zones()
        .create(demo::ACCOUNT_ID, "flarekit-crud.test")
        .await
        .unwrap();
    assert_eq!(
        cf.zones().get(&zone.id).await.unwrap().name,
        "flarekit-crud.test"
    );
    let found = cf
        .zones()
        .list(&ZoneFilter {
            name: Some("flarekit-crud.test".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);

    let rec = cf
        .dns_records()
        .create(
            &zone.id,
            &DnsRecordInput::new("A", "www.flarekit-crud.test", "192.0.2.1"),
        )
        .await
        .unwrap();
    assert_eq!(
        cf.dns_records()
            .get(&zone.id, &rec.id)
            .await
            .unwrap()
            .content
            .as_deref(),
        Some("192.0.2.1")
    );
    let replaced = cf
        .dns_records()
        .update(
            &zone.id,
            &rec.id,
            &DnsRecordInput::new("A", "www.flarekit-crud.test", "192.0.2.2"),
        )
        .await
        .unwrap();
    assert_eq!(replaced.content.as_deref(), Some("192.0.2.2"));
    let edited = cf
        .dns_records()
        .edit(&zone.id, &rec.id, json!({"comment": "edited"}))
        .await
        .unwrap();
    assert_eq!(edited.extra.get("comment"), Some(&json!("edited")));
    cf.dns_records().delete(&zone.id, &rec.id).await.unwrap();
    let err = cf.dns_records().get(&zone.id, &rec.id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");

    cf.zones().delete(&zone.id).await.unwrap();
    assert_eq!(
        cf.zones().get(&zone.id).await.unwrap_err().kind(),
        ErrorKind::NotFound
    );

    let log = emu.requests().await;
    assert!(log
        .iter()
        .all(|r| r["headers"]["authorization"] == json!(format!("Bearer {}", demo::ADMIN_TOKEN))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_costs_exactly_ceil_n_over_per_page() {
    let emu = Emulator::start().await;
    let cf = client(&emu, demo::ADMIN_TOKEN);
    let zone = cf
        .zones()
        .create(demo::ACCOUNT_ID, "flarekit-paging.test")
        .await
        .unwrap();
    for i in 0..25 {
        cf.dns_records()
            .create(
                &zone.id,
                &DnsRecordInput::new("A", &format!("h{i}.flarekit-paging.test"), "192.0.2.3"),
            )
            .await
            .unwrap();
    }
    for (per_page, expected_requests) in [(5u32, 5usize), (10, 3), (25, 1), (100, 1)] {
        emu.reset().await;
        let all = cf
            .dns_records()
            .list(
                &zone.id,
                &DnsRecordFilter {
                    per_page: Some(per_page),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(all.len(), 25);
        let seen = emu.requests().await;
        assert_eq!(seen.len(), expected_requests, "per_page {per_page}");
    }
    // The by-name route pages the same way, lazily: taking 7 items at per_page 5 costs 2 requests (with no page
    // fetched ahead; the default fetches up to page_prefetch more, see tests/speed.rs).
    emu.reset().await;
    let lazy = cf
        .with_raw_options(vec![(
            "page_prefetch".to_string(),
            flarekit::options::RawValue::from_json(&serde_json::json!(0)),
        )])
        .unwrap();
    let stream = lazy
        .operation("dns.records", "list")
        .unwrap()
        .param("zone_id", zone.id.as_str())
        .param("per_page", 5)
        .items()
        .unwrap();
    let first7: Vec<_> = Box::pin(stream).take(7).collect().await;
    assert_eq!(first7.len(), 7);
    assert_eq!(emu.requests().await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_upload_list_delete() {
    let emu = Emulator::start().await;
    let cf = client(&emu, demo::ADMIN_TOKEN);
    let module = Module {
        name: "worker.js".into(),
        content: bytes::Bytes::from_static(
            b"export default { fetch() { return new Response('hi') } }",
        ),
        content_type: "application/javascript+module".into(),
    };
    let script = cf
        .workers_scripts()
        .upload(None, "hello-flarekit", "worker.js", vec![module])
        .await
        .unwrap();
    assert_eq!(script.id, "hello-flarekit");
    let listed = cf.workers_scripts().list(None).await.unwrap();
    assert!(listed.iter().any(|s| s.id == "hello-flarekit"));
    // A main_module that is not among the parts is refused by the server, and surfaced as a typed error.
    let err = cf
        .workers_scripts()
        .upload(None, "broken", "missing.js", vec![])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadRequest, "{err}");
    cf.workers_scripts()
        .delete(None, "hello-flarekit")
        .await
        .unwrap();
    assert!(!cf
        .workers_scripts()
        .list(None)
        .await
        .unwrap()
        .iter()
        .any(|s| s.id == "hello-flarekit"));
    assert!(cf.pages_projects().list(None).await.is_ok());
    assert!(!cf.accounts().list().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seed_auth_failures_are_typed() {
    let emu = Emulator::start().await;
    for token in [
        demo::EXPIRED_TOKEN,
        demo::NOT_YET_VALID_TOKEN,
        demo::REVOKED_TOKEN,
        demo::IP_RESTRICTED_TOKEN,
    ] {
        let err = client(&emu, token)
            .zones()
            .list(&ZoneFilter::default())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
        assert!(!err.to_string().contains(token));
        let err = client(&emu, token).user().verify_token().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    }
    // Read-only token: reading works, writing is an authentication error (403/10000).
    let ro = client(&emu, demo::READ_ONLY_TOKEN);
    assert!(!ro
        .zones()
        .list(&ZoneFilter::default())
        .await
        .unwrap()
        .is_empty());
    let err = ro
        .dns_records()
        .create(
            demo::ZONE_ID,
            &DnsRecordInput::new("A", "x.example.com", "192.0.2.9"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.status(), err.codes()),
        (ErrorKind::Authentication, Some(403), vec![10000])
    );
    // DNS-edit token is scoped to example.com.
    let dns = client(&emu, demo::DNS_EDIT_TOKEN);
    let err = dns
        .dns_records()
        .create(
            demo::ORG_ZONE_ID,
            &DnsRecordInput::new("A", "x.example.org", "192.0.2.9"),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication, "{err}");
    // Key + email: full access; a wrong key is 9103.
    let key = Cloudflare::builder()
        .api_key(demo::API_KEY)
        .api_email(demo::API_EMAIL)
        .base_url(&emu.base_url)
        .env_source(std::collections::BTreeMap::new())
        .build()
        .unwrap();
    assert!(key.user().get().await.is_ok());
    let bad = key
        .with_options(|b| b.api_key("0000000000000000000000000000000000000"))
        .unwrap();
    let err = bad.user().get().await.unwrap_err();
    assert_eq!(
        (err.kind(), err.codes()),
        (ErrorKind::Authentication, vec![9103])
    );
    // A token passed as a key: 6003/6103 with the hint.
    let confused = key
        .with_options(|b| b.api_key(demo::DNS_EDIT_TOKEN))
        .unwrap();
    let err = confused.user().get().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert!(
        err.codes().contains(&6103) && err.to_string().contains("api_token"),
        "{err}"
    );
    // A token restricted to loopback, created through the API, works from loopback.
    let admin = client(&emu, demo::ADMIN_TOKEN);
    let groups = admin
        .operation("user.tokens.permissionGroups", "list")
        .unwrap()
        .send()
        .await
        .unwrap()
        .result;
    let zone_read = groups
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "Zone Read")
        .cloned()
        .expect("a Zone Read permission group");
    let created = admin
        .user()
        .create_token(&NewToken {
            name: "loopback only".into(),
            policies: vec![json!({"effect": "allow", "resources": {"com.cloudflare.api.account.zone.*": "*"}, "permission_groups": [{"id": zone_read["id"]}]})],
            condition: Some(json!({"request_ip": {"in": ["127.0.0.0/8"]}})),
            ..Default::default()
        })
        .await
        .unwrap();
    let value = created.value.clone().expect("the value is shown on create");
    assert!(!client(&emu, &value)
        .zones()
        .list(&ZoneFilter::default())
        .await
        .unwrap()
        .is_empty());
    let rolled = admin.user().roll_token(&created.id).await.unwrap();
    assert_ne!(rolled, value);
    assert_eq!(
        client(&emu, &value)
            .zones()
            .list(&ZoneFilter::default())
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::Authentication
    );
    admin.user().delete_token(&created.id).await.unwrap();
    assert!(!admin
        .user()
        .list_tokens()
        .await
        .unwrap()
        .iter()
        .any(|t| t.id == created.id));
}

/// The lists whose items the spec keeps under a key of their own (`reports`, `images`, `events`, ...; the table's
/// `items_key`) yield them from the emulator, which builds one item per list, and each walk ends (page 2, if it is
/// asked for, has none).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_with_items_under_their_own_key_yield_them_and_end() {
    let emu = Emulator::start().await;
    let cf = client(&emu, demo::ADMIN_TOKEN);
    let keyed: Vec<_> = flarekit::operations::OPERATIONS
        .iter()
        .filter(|op| op.items_key != "items")
        .collect();
    assert_eq!(
        keyed.len(),
        14,
        "the lists that keep their items under a key of their own"
    );
    for op in keyed {
        emu.reset().await;
        let mut call = cf.operation(op.resource, op.method).unwrap();
        for p in op.path_params {
            call = call.param(
                *p,
                if *p == "account_id" {
                    demo::ACCOUNT_ID
                } else {
                    "x1"
                },
            );
        }
        let stream = call.param("per_page", 1).items().unwrap();
        let got: Vec<_> = Box::pin(stream).take(10).collect().await;
        let what = format!("{}.{} ({})", op.resource, op.method, op.items_key);
        assert_eq!(got.len(), 1, "{what}: the walk must end after the one item");
        let item = got[0].as_ref().unwrap();
        assert!(
            item.is_object() && item.get(op.items_key).is_none(),
            "{what}: {item}"
        );
        assert!(emu.requests().await.len() <= 2, "{what}");
    }
}
