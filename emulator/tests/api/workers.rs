//! Workers script upload (multipart), list and delete.

use flarekit_emulator::demo;
use reqwest::multipart::{Form, Part};
use reqwest::Method;

use crate::common::*;

fn form(metadata: Option<&str>, modules: &[(&str, &str)]) -> Form {
    let mut form = Form::new();
    if let Some(m) = metadata {
        form = form.part(
            "metadata",
            Part::text(m.to_string())
                .mime_str("application/json")
                .unwrap(),
        );
    }
    for (name, source) in modules {
        form = form.part(
            name.to_string(),
            Part::text(source.to_string())
                .file_name(name.to_string())
                .mime_str("application/javascript+module")
                .unwrap(),
        );
    }
    form
}

async fn upload(env: &Env, token: &str, name: &str, form: Form) -> Resp {
    let resp = env
        .http
        .put(env.url(&format!(
            "/accounts/{}/workers/scripts/{name}",
            demo::ACCOUNT_ID
        )))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    Resp {
        status,
        headers,
        json: resp.json().await.unwrap(),
    }
}

#[tokio::test]
async fn upload_list_delete() {
    let env = start().await;
    let meta = r#"{"main_module": "worker.js", "compatibility_date": "2024-09-23", "compatibility_flags": ["nodejs_compat"]}"#;
    let r = upload(
        &env,
        demo::ADMIN_TOKEN,
        "hello-worker",
        form(
            Some(meta),
            &[
                (
                    "worker.js",
                    "export default { fetch() { return new Response('hi') } }",
                ),
                ("util.js", "export const x = 1"),
            ],
        ),
    )
    .await;
    assert_ok(&r);
    assert_eq!(r.json["result"]["id"], "hello-worker");
    assert_eq!(r.json["result"]["entry_point"], "worker.js");
    assert_eq!(r.json["result"]["compatibility_date"], "2024-09-23");
    assert_eq!(
        r.json["result"]["modules"][1]["type"],
        "application/javascript+module"
    );
    assert_eq!(r.json["result"]["etag"].as_str().unwrap().len(), 64);

    let list = env
        .get(
            &format!("/accounts/{}/workers/scripts", demo::ACCOUNT_ID),
            Auth::Token(demo::READ_ONLY_TOKEN),
        )
        .await;
    assert_eq!(list.json["result"][0]["id"], "hello-worker");
    assert_eq!(list.json["result_info"]["total_count"], 1);

    let path = format!(
        "/accounts/{}/workers/scripts/hello-worker",
        demo::ACCOUNT_ID
    );
    assert_error(
        &env.call(
            Method::DELETE,
            &path,
            Auth::Token(demo::READ_ONLY_TOKEN),
            None,
        )
        .await,
        403,
        10000,
    );
    assert_ok(&env.call(Method::DELETE, &path, GLOBAL, None).await);
    assert_error(
        &env.call(Method::DELETE, &path, GLOBAL, None).await,
        404,
        10007,
    );
    assert_eq!(
        env.get(
            &format!("/accounts/{}/workers/scripts", demo::ACCOUNT_ID),
            GLOBAL
        )
        .await
        .json["result"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn upload_rejects_bad_bodies() {
    let env = start().await;
    let module = [("worker.js", "export default {}")];
    let missing_meta = upload(&env, demo::ADMIN_TOKEN, "w", form(None, &module)).await;
    assert_error(&missing_meta, 400, 10021);
    let wrong_main = upload(
        &env,
        demo::ADMIN_TOKEN,
        "w",
        form(Some(r#"{"main_module": "index.js"}"#), &module),
    )
    .await;
    assert_error(&wrong_main, 400, 10021);
    assert!(wrong_main.json["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("index.js"));
    let bad_json = upload(&env, demo::ADMIN_TOKEN, "w", form(Some("{nope"), &module)).await;
    assert_error(&bad_json, 400, 10021);
    let no_main = upload(&env, demo::ADMIN_TOKEN, "w", form(Some("{}"), &module)).await;
    assert_error(&no_main, 400, 10021);
    // Not multipart at all.
    let r = env
        .call(
            Method::PUT,
            &format!("/accounts/{}/workers/scripts/w", demo::ACCOUNT_ID),
            GLOBAL,
            Some(serde_json::json!({})),
        )
        .await;
    assert_error(&r, 400, 10021);
    // Permission: the DNS token cannot upload.
    let denied = upload(
        &env,
        demo::DNS_EDIT_TOKEN,
        "w",
        form(Some(r#"{"main_module": "worker.js"}"#), &module),
    )
    .await;
    assert_error(&denied, 403, 10000);
}
