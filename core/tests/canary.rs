//! Secret hygiene: distinctive credentials never appear in logs, Debug output, errors or responses kept by errors.

mod support;

use std::time::Duration;

use flarekit::{Cloudflare, CredentialOptions, LogLevel, SecretString};
use serde_json::json;
use support::{Emulator, LogCapture};

const TOKEN: &str = "CANARYtok-7f3e9a1b2c4d5e6f";
const KEY: &str = "CANARYkey-0a1b2c3d4e5f6a7b";
const EMAIL: &str = "canary-9d8c7b@example.com";
const USK: &str = "v1.0-CANARYusk-5e4d3c2b1a";
const CANARIES: [&str; 4] = [TOKEN, KEY, EMAIL, USK];

fn assert_clean(what: &str, text: &str) {
    for c in CANARIES {
        assert!(!text.contains(c), "a credential leaked into {what}: {text}");
    }
    assert!(
        !text.contains("CANARY"),
        "a credential fragment leaked into {what}: {text}"
    );
}

fn builder(base: &str) -> flarekit::ClientBuilder {
    Cloudflare::builder()
        .base_url(base)
        .log_level(LogLevel::Debug)
        .retry_delay_scale(0.001)
        .timeout(Duration::from_millis(300))
        .env_source(std::collections::BTreeMap::new())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canary_never_leaks() {
    let logs = LogCapture::install();
    let emu = Emulator::start().await;
    let schemes = [
        builder(&emu.base_url).api_token(TOKEN),
        builder(&emu.base_url).api_key(KEY).api_email(EMAIL),
        builder(&emu.base_url).user_service_key(USK),
        // Half a pair beside a token: the warning must not quote the ignored key either.
        builder(&emu.base_url).api_token(TOKEN).api_key(KEY),
    ];
    let mut texts = Vec::new();
    for b in schemes {
        texts.push(format!("{b:?}"));
        let cf = b.build().unwrap();
        texts.push(format!("{cf:?} {} {:?}", cf.auth(), cf.auth()));
        texts.push(format!("{:?}", cf.to_builder()));
        // Failing calls of every kind: rejected credentials, server errors with retries, timeouts, bad JSON.
        for fault in [
            json!(null),
            json!({"status": 500}),
            json!({"delay_ms": 900}),
            json!({"html": true, "status": 502}),
            json!({"status": 400, "body": {"success": false, "errors": [{"code": 6003, "message": "Invalid request headers", "error_chain": [{"code": 6103, "message": "Invalid format for X-Auth-Key header"}]}]}}),
            json!({"status": 200, "body": {"success": true, "result": {"id": "ok"}}}),
        ] {
            if !fault.is_null() {
                emu.queue(&json!({"fault": fault})).await;
            }
            let call = cf
                .operation("zones", "list")
                .unwrap()
                .param("name", "example.com");
            texts.push(format!("{call:?}"));
            texts.push(format!("{:?}", call.prepare().unwrap()));
            match call.send().await {
                Ok(r) => texts.push(format!("{r:?}")),
                Err(e) => texts.push(format!(
                    "{e} {e:?} {:?} {:?} {:?} {:?}",
                    e.body(),
                    e.headers(),
                    e.errors(),
                    std::error::Error::source(&e)
                )),
            }
            emu.reset().await;
        }
        let err = cf
            .get("/zones")
            .query(json!({"page": 1}))
            .send()
            .await
            .unwrap_err();
        texts.push(format!("{err} {err:?}"));
    }
    // Bad credentials are refused without echoing them.
    for bad in [format!("{TOKEN}\r\nX-Evil: 1"), format!("{TOKEN}\u{e9}")] {
        let e = builder(&emu.base_url).api_token(bad).build().unwrap_err();
        texts.push(format!("{e} {e:?}"));
    }
    let opts = CredentialOptions {
        api_token: Some(SecretString::from(TOKEN.to_string())),
        ..Default::default()
    };
    texts.push(format!("{opts:?}"));
    // A connection that never opens.
    let cf = builder("http://127.0.0.1:9/client/v4")
        .api_token(TOKEN)
        .build()
        .unwrap();
    let e = cf.get("/user").send().await.unwrap_err();
    texts.push(format!("{e} {e:?}"));

    for t in &texts {
        assert_clean("Debug/Display output", t);
    }
    let log = logs.text();
    assert!(
        log.contains("DEBUG") && log.contains("request"),
        "debug logging was on: {log}"
    );
    assert!(log.contains("WARN"), "the half-pair warning was logged");
    assert_clean("the logs", &log);
}

#[tokio::test]
async fn emulator_masks_credentials_by_default() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let emu = flarekit_emulator::Emulator::builder()
        .start()
        .await
        .unwrap();
    let cf = builder(&emu.base_url()).api_token(TOKEN).build().unwrap();
    let _ = cf.get("/user").send().await;
    let admin = emu.base_url().replace("/client/v4", "/__emulator/requests");
    let log = reqwest::get(admin).await.unwrap().text().await.unwrap();
    assert!(log.contains("***"), "{log}");
    assert_clean("the emulator's request log", &log);
}
