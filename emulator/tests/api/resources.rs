//! The resources the emulator keeps beyond zones, records and tokens: KV namespaces and values, R2 buckets, account
//! members and Pages projects round-trip (create → get → list with paging → update → delete); everything else of the
//! spec answers from its description, with bodies validated, tokens scoped, and unknown paths still 7003.

use flarekit_emulator::demo;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

fn acct(path: &str) -> String {
    format!("/accounts/{}{path}", demo::ACCOUNT_ID)
}

async fn round_trip(
    env: &Env,
    base: &str,
    create: Value,
    id_field: &str,
    update: (Method, Value, &str),
) {
    let mut ids = Vec::new();
    for i in 0..3 {
        let mut body = create.clone();
        if let Some(n) = body.get_mut("name") {
            *n = json!(format!("{}-{i}", n.as_str().unwrap()));
        }
        if let Some(t) = body.get_mut("title") {
            *t = json!(format!("{}-{i}", t.as_str().unwrap()));
        }
        let r = env.post(base, GLOBAL, body).await;
        assert_ok(&r);
        ids.push(r.json["result"][id_field].as_str().unwrap().to_string());
    }
    let got = env.get(&format!("{base}/{}", ids[1]), GLOBAL).await;
    assert_ok(&got);
    assert_eq!(got.json["result"][id_field], ids[1].as_str());

    // Listed in creation order after whatever the seed has, one per page at the position of each.
    let items_of = |r: &Resp| match &r.json["result"] {
        Value::Array(a) => a.clone(),
        Value::Object(o) => o.values().find_map(|v| v.as_array().cloned()).unwrap(),
        other => panic!("list result {other}"),
    };
    let all = env.get(&format!("{base}?per_page=100"), GLOBAL).await;
    assert_ok(&all);
    let listed: Vec<String> = items_of(&all)
        .iter()
        .map(|x| x[id_field].as_str().unwrap().to_string())
        .collect();
    let at = listed
        .iter()
        .position(|x| *x == ids[0])
        .expect("created members are listed");
    assert_eq!(listed[at..], ids[..], "in creation order");
    let page = env
        .get(&format!("{base}?per_page=1&page={}", at + 3), GLOBAL)
        .await;
    let items = items_of(&page);
    assert_eq!(items.len(), 1, "{}", page.json);
    assert_eq!(items[0][id_field], ids[2].as_str());
    if let Some(info) = page.json["result_info"].as_object() {
        if info.contains_key("total_count") {
            assert_eq!(info["total_count"], listed.len());
        }
    }

    let (method, body, field) = update;
    let changed = env
        .call(
            method,
            &format!("{base}/{}", ids[0]),
            GLOBAL,
            Some(body.clone()),
        )
        .await;
    assert_ok(&changed);
    assert_eq!(
        changed.json["result"][field], body[field],
        "{}",
        changed.json
    );
    let again = env.get(&format!("{base}/{}", ids[0]), GLOBAL).await;
    assert_eq!(again.json["result"][field], body[field]);

    let del = env
        .call(Method::DELETE, &format!("{base}/{}", ids[0]), GLOBAL, None)
        .await;
    assert_ok(&del);
    assert_eq!(
        env.get(&format!("{base}/{}", ids[0]), GLOBAL).await.status,
        404
    );
}

#[tokio::test]
async fn kv_namespaces_round_trip() {
    let env = start().await;
    round_trip(
        &env,
        &acct("/storage/kv/namespaces"),
        json!({"title": "sessions"}),
        "id",
        (Method::PUT, json!({"title": "renamed"}), "title"),
    )
    .await;
}

#[tokio::test]
async fn kv_values_round_trip_as_bytes() {
    let env = start().await;
    let ns = env
        .post(
            &acct("/storage/kv/namespaces"),
            GLOBAL,
            json!({"title": "cache"}),
        )
        .await;
    let ns = ns.json["result"]["id"].as_str().unwrap().to_string();
    let base = env.url(&acct(&format!("/storage/kv/namespaces/{ns}")));
    for (k, v) in [("a", &b"\x00\x01bytes"[..]), ("b", b"two"), ("c", b"three")] {
        let r = env
            .http
            .put(format!("{base}/values/{k}"))
            .header("X-Auth-Key", demo::API_KEY)
            .header("X-Auth-Email", demo::API_EMAIL)
            .header("content-type", "application/octet-stream")
            .body(v.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let got = env
        .http
        .get(format!("{base}/values/a"))
        .header("X-Auth-Key", demo::API_KEY)
        .header("X-Auth-Email", demo::API_EMAIL)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(&got.bytes().await.unwrap()[..], b"\x00\x01bytes");
    let keys = env
        .get(
            &acct(&format!("/storage/kv/namespaces/{ns}/keys?limit=2")),
            GLOBAL,
        )
        .await;
    assert_eq!(keys.json["result"], json!([{"name": "a"}, {"name": "b"}]));
    let cursor = keys.json["result_info"]["cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let rest = env
        .get(
            &acct(&format!("/storage/kv/namespaces/{ns}/keys?cursor={cursor}")),
            GLOBAL,
        )
        .await;
    assert_eq!(rest.json["result"], json!([{"name": "c"}]));
    assert_eq!(rest.json["result_info"]["cursor"], "");
    let del = env
        .call(
            Method::DELETE,
            &acct(&format!("/storage/kv/namespaces/{ns}/values/a")),
            GLOBAL,
            None,
        )
        .await;
    assert_ok(&del);
    assert_error(
        &env.get(
            &acct(&format!("/storage/kv/namespaces/{ns}/values/a")),
            GLOBAL,
        )
        .await,
        404,
        10009,
    );
    assert_eq!(
        env.get(
            &acct(&format!("/storage/kv/namespaces/{}/keys", "0".repeat(32))),
            GLOBAL
        )
        .await
        .status,
        404,
        "an unknown namespace"
    );
}

#[tokio::test]
async fn r2_buckets_round_trip_by_name() {
    let env = start().await;
    round_trip(
        &env,
        &acct("/r2/buckets"),
        json!({"name": "assets"}),
        "name",
        (
            Method::PATCH,
            json!({"storage_class": "InfrequentAccess"}),
            "storage_class",
        ),
    )
    .await;
    let dup = env
        .post(&acct("/r2/buckets"), GLOBAL, json!({"name": "assets-1"}))
        .await;
    assert_eq!(dup.status, 409);
}

#[tokio::test]
async fn account_members_round_trip() {
    let env = start().await;
    round_trip(
        &env,
        &acct("/members"),
        json!({"email": "new@example.com", "roles": ["3536bcfad5faccb999b47003c79917fb"], "status": "pending"}),
        "id",
        (Method::PUT, json!({"status": "accepted"}), "status"),
    )
    .await;
}

#[tokio::test]
async fn pages_projects_round_trip() {
    let env = start().await;
    round_trip(
        &env,
        &acct("/pages/projects"),
        json!({"name": "blog", "production_branch": "main"}),
        "name",
        (
            Method::PATCH,
            json!({"production_branch": "release"}),
            "production_branch",
        ),
    )
    .await;
    let bad = env
        .post(
            &acct("/pages/projects"),
            GLOBAL,
            json!({"name": "Not Valid!"}),
        )
        .await;
    assert_eq!(bad.status, 400);
    // Pages Write is needed: the read-only token may list but not create.
    let ro = Auth::Token(demo::READ_ONLY_TOKEN);
    assert_ok(&env.get(&acct("/pages/projects"), ro).await);
    assert_error(
        &env.post(&acct("/pages/projects"), ro, json!({"name": "x"}))
            .await,
        403,
        10000,
    );
}

#[tokio::test]
async fn other_operations_answer_from_the_spec() {
    let env = start().await;
    let zone = demo::ZONE_ID;
    // A documented response, with the path's id echoed.
    let r = env
        .get(
            &format!("/zones/{zone}/firewall/rules/{}", "a".repeat(32)),
            GLOBAL,
        )
        .await;
    assert_ok(&r);
    // A body missing a required field, or of the wrong type, is a 400 naming the field.
    let r = env
        .post(&acct("/storage/kv/namespaces"), GLOBAL, json!({}))
        .await;
    assert_error(&r, 400, 10001);
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("title"),
        "{}",
        r.json
    );
    let r = env
        .post(&acct("/storage/kv/namespaces"), GLOBAL, json!({"title": 5}))
        .await;
    assert_error(&r, 400, 10001);
    // Scoped tokens: the DNS token has nothing on the account, so it may not create there.
    let dns = Auth::Token(demo::DNS_EDIT_TOKEN);
    assert_error(
        &env.post(&acct("/storage/kv/namespaces"), dns, json!({"title": "x"}))
            .await,
        403,
        10000,
    );
    // No credential, an expired token: as everywhere.
    assert_eq!(
        env.get(&acct("/storage/kv/namespaces"), Auth::None)
            .await
            .status,
        400
    );
    assert_error(
        &env.get(
            &acct("/storage/kv/namespaces"),
            Auth::Token(demo::EXPIRED_TOKEN),
        )
        .await,
        403,
        10000,
    );
    // An unknown account is 7003; an unknown path still is.
    assert_error(
        &env.get("/accounts/nope/storage/kv/namespaces", GLOBAL)
            .await,
        404,
        7003,
    );
    assert_error(&env.get("/no/such/path", GLOBAL).await, 404, 7003);
    // The catalog of operations with a valid body for each.
    let (status, ops) = env.admin(Method::GET, "/operations", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        ops["count"], 2560,
        "distinct method and path pairs of the 2,589 operations"
    );
}
