//! The `flarekit` binary against the emulator: outputs, exit codes (0/1/2/3/4), and no secret on any stream except
//! the value of a token just created or rolled, once, on stdout.

use std::process::{Command, Output};

use flarekit_emulator::{demo, Emulator, RunningEmulator};
use serde_json::Value;

struct Env {
    base: String,
    _emu: RunningEmulator,
}

async fn start() -> Env {
    let emu = Emulator::builder().start().await.expect("emulator starts");
    Env {
        base: emu.base_url(),
        _emu: emu,
    }
}

/// Every secret the seed knows; none may be printed.
const SEED_SECRETS: [&str; 5] = [
    demo::ADMIN_TOKEN,
    demo::API_KEY,
    demo::DNS_EDIT_TOKEN,
    demo::READ_ONLY_TOKEN,
    demo::USER_SERVICE_KEY,
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

fn run_with(env: &Env, creds: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_flarekit"));
    cmd.env_clear()
        .env("CLOUDFLARE_BASE_URL", &env.base)
        .args(args);
    for (k, v) in creds {
        cmd.env(k, v);
    }
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("flarekit runs");
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    for s in SEED_SECRETS {
        assert!(
            !run.stdout.contains(s) && !run.stderr.contains(s),
            "a seed secret was printed by {args:?}"
        );
    }
    if run.code != 0 {
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "one error line: {}",
            run.stderr
        );
        assert!(run.stderr.starts_with("flarekit: "), "{}", run.stderr);
    }
    run
}

fn admin(env: &Env, args: &[&str]) -> Run {
    run_with(env, &[("CLOUDFLARE_API_TOKEN", demo::ADMIN_TOKEN)], args)
}

fn with_token(env: &Env, token: &str, args: &[&str]) -> Run {
    run_with(env, &[("CLOUDFLARE_API_TOKEN", token)], args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whoami_for_every_scheme() {
    let env = start().await;
    let r = admin(&env, &["whoami", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["auth"], "api_token from CLOUDFLARE_API_TOKEN");
    assert_eq!(v["token"]["id"], demo::ADMIN_TOKEN_ID);
    assert_eq!(v["token"]["owner"], "user");
    let r = admin(&env, &["whoami"]);
    assert!(
        r.stdout.contains(demo::ADMIN_TOKEN_ID) && r.stdout.contains("user-owned"),
        "{}",
        r.stdout
    );

    let key = [
        ("CLOUDFLARE_API_KEY", demo::API_KEY),
        ("CLOUDFLARE_EMAIL", demo::API_EMAIL),
    ];
    let r = run_with(&env, &key, &["whoami", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["user"]["email"], demo::API_EMAIL);
    assert_eq!(
        run_with(&env, &key, &["token", "verify"]).code,
        2,
        "verify needs a token"
    );

    let r = run_with(&env, &[], &["whoami"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("CLOUDFLARE_API_TOKEN"), "{}", r.stderr);
    for bad in [
        demo::EXPIRED_TOKEN,
        demo::REVOKED_TOKEN,
        "x".repeat(40).as_str(),
    ] {
        assert_eq!(with_token(&env, bad, &["whoami"]).code, 4);
    }
    assert_eq!(
        with_token(&env, "bad\ntoken", &["whoami"]).code,
        2,
        "a control character is a configuration error"
    );
}

/// `--ca-bundle FILE` trusts a CA besides the system roots (the emulator's, over TLS); without it the certificate is
/// refused (exit 3), and a file that cannot be read is a configuration error (exit 2).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_bundle_flag_trusts_the_emulators_ca() {
    let emu = Emulator::builder()
        .tls(true)
        .start()
        .await
        .expect("emulator starts");
    let ca = std::env::temp_dir().join(format!("flarekit-cli-test-{}-ca.pem", emu.addr().port()));
    std::fs::write(&ca, emu.ca_pem().expect("a TLS emulator has a CA")).expect("CA written");
    let env = Env {
        base: emu.base_url(),
        _emu: emu,
    };
    let ca_arg = ca.to_str().expect("a UTF-8 temp path");
    let r = admin(&env, &["--ca-bundle", ca_arg, "token", "verify", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["status"], "active");
    assert_eq!(
        admin(&env, &["token", "verify"]).code,
        3,
        "the emulator's CA is not a system root"
    );
    let missing = ca.with_extension("missing");
    let r = admin(&env, &["--ca-bundle", missing.to_str().unwrap(), "whoami"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let _ = std::fs::remove_file(&ca);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_lifecycle_prints_each_value_once() {
    let env = start().await;
    let dry = admin(
        &env,
        &[
            "token",
            "create",
            "--name",
            "dns job",
            "--allow",
            "DNS Write@zone:example.com",
            "--allow",
            "Zone Read@zone:example.com",
            "--ip-allow",
            "127.0.0.0/8",
            "--expires-on",
            "2031-01-01T00:00:00Z",
            "--dry-run",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let plan = dry.json();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["path"], "/user/tokens");
    assert_eq!(
        plan["body"]["condition"]["request_ip"]["in"][0],
        "127.0.0.0/8"
    );
    let before = admin(&env, &["token", "list", "--json"])
        .json()
        .as_array()
        .unwrap()
        .len();

    let created = admin(
        &env,
        &[
            "token",
            "create",
            "--name",
            "dns job",
            "--allow",
            "DNS Write@zone:example.com",
            "--ip-allow",
            "127.0.0.0/8",
            "--ttl",
            "1h",
        ],
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    let value = created.stdout.trim().to_string();
    assert_eq!(
        created.stdout,
        format!("{value}\n"),
        "stdout is the value alone"
    );
    assert!(!created.stderr.contains(&value));
    let listed = admin(&env, &["token", "list", "--json"]);
    assert_eq!(
        listed.json().as_array().unwrap().len(),
        before + 1,
        "the dry run created nothing"
    );
    assert!(!listed.stdout.contains(&value));

    let v = with_token(&env, &value, &["token", "verify", "--json"]);
    assert_eq!(v.code, 0, "{}", v.stderr);
    assert!(!v.stdout.contains(&value));
    let id = v.json()["id"].as_str().unwrap().to_string();
    let soon = admin(
        &env,
        &["token", "list", "--expiring-within", "7d", "--json"],
    );
    let ids: Vec<String> = soon
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.contains(&id) && !ids.contains(&demo::ADMIN_TOKEN_ID.to_string()),
        "{ids:?}"
    );
    let text = admin(&env, &["token", "list"]);
    assert!(
        text.stdout
            .lines()
            .any(|l| l.starts_with(&id) && l.ends_with("dns job")),
        "{}",
        text.stdout
    );

    let rolled = admin(&env, &["token", "roll", &id, "--json"]);
    assert_eq!(rolled.code, 0, "{}", rolled.stderr);
    let new_value = rolled.json()["value"].as_str().unwrap().to_string();
    assert_ne!(new_value, value);
    assert_eq!(
        with_token(&env, &value, &["token", "verify"]).code,
        4,
        "the old value stops working"
    );
    let r = with_token(&env, &new_value, &["token", "verify"]);
    assert_eq!(r.code, 0);
    assert!(!r.stdout.contains(&new_value));
    assert_eq!(admin(&env, &["token", "revoke", &id]).code, 0);
    assert_eq!(with_token(&env, &new_value, &["token", "verify"]).code, 4);
    assert_eq!(
        admin(&env, &["token", "revoke", &id]).code,
        1,
        "already gone: 404"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_owned_tokens() {
    let env = start().await;
    let created = admin(
        &env,
        &[
            "token",
            "create",
            "--name",
            "deploy",
            "--account",
            demo::ACCOUNT_ID,
            "--allow",
            "Workers Scripts Write@account:Demo Account",
            "--allow",
            "Logs Write@zones:Demo Account",
            "--ttl",
            "1h",
            "--json",
        ],
    );
    assert_eq!(created.code, 0, "{}", created.stderr);
    let t = created.json();
    assert_eq!(t["owner"], "account");
    let value = t["value"].as_str().unwrap().to_string();
    let who = with_token(&env, &value, &["whoami", "--json"]);
    assert_eq!(who.code, 0, "{}", who.stderr);
    assert_eq!(who.json()["token"]["account_id"], demo::ACCOUNT_ID);
    assert!(!who.stdout.contains(&value));
    let r = with_token(&env, &value, &["api", "/user/tokens/verify"]);
    assert_eq!(
        r.code, 4,
        "/user/tokens/verify refuses an account-owned token"
    );
    let listed = admin(
        &env,
        &["token", "list", "--account", demo::ACCOUNT_ID, "--json"],
    );
    assert_eq!(listed.json().as_array().unwrap().len(), 1);
    let groups = admin(
        &env,
        &[
            "token",
            "permissions",
            "--scope",
            "account",
            "--account",
            demo::ACCOUNT_ID,
            "--json",
        ],
    );
    let names: Vec<&str> = Vec::new();
    let g = groups.json();
    let names = g
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|g| g["name"].as_str())
        .fold(names, |mut a, n| {
            a.push(n);
            a
        });
    assert!(
        names.contains(&"Logs Write") && !names.contains(&"API Tokens Read"),
        "{names:?}"
    );
    let id = t["id"].as_str().unwrap();
    assert_eq!(
        admin(
            &env,
            &["token", "revoke", id, "--account", demo::ACCOUNT_ID]
        )
        .code,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_any_request() {
    let env = start().await;
    let create = |extra: &[&str]| {
        let mut args = vec!["token", "create", "--name", "x"];
        args.extend_from_slice(extra);
        admin(&env, &args)
    };
    let r = create(&[
        "--allow",
        "DNS Write@zone:example.com",
        "--ip-allow",
        "10.0.0.0/33",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("10.0.0.0/33"), "{}", r.stderr);
    let r = create(&["--allow", "DNS Wirte@zone:example.com"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("closest") && r.stderr.contains("DNS Write"),
        "{}",
        r.stderr
    );
    assert_eq!(create(&["--allow", "DNS Write@planet:mars"]).code, 2);
    assert_eq!(
        create(&["--allow", "DNS Write@zone:example.com", "--ttl", "soon"]).code,
        2
    );
    assert_eq!(
        create(&[
            "--allow",
            "DNS Write@zone:example.com",
            "--ttl",
            "1h",
            "--expires-on",
            "2030-01-01T00:00:00Z"
        ])
        .code,
        2
    );
    assert_eq!(create(&[]).code, 2, "--allow is required");
    assert_eq!(
        create(&["--allow", "DNS Write@zone:nope.example"]).code,
        1,
        "an unknown zone is the API's answer"
    );
    assert_eq!(admin(&env, &["token", "roll", "not-an-id"]).code, 2);
    assert_eq!(admin(&env, &["frobnicate"]).code, 2);
    assert_eq!(admin(&env, &["--timeout", "-1", "whoami"]).code, 2);
    for cmd in [
        &["--help"][..],
        &["whoami", "--help"],
        &["token", "--help"],
        &["token", "verify", "--help"],
        &["token", "create", "--help"],
        &["token", "list", "--help"],
        &["token", "roll", "--help"],
        &["token", "revoke", "--help"],
        &["token", "permissions", "--help"],
        &["api", "--help"],
        &["call", "--help"],
    ] {
        let r = admin(&env, cmd);
        assert_eq!(r.code, 0, "{cmd:?}");
        assert!(r.stdout.contains("Usage: flarekit"), "{cmd:?}");
    }
    // A DNS-only token may not create tokens: rejected (403 / 10000).
    let r = with_token(
        &env,
        demo::DNS_EDIT_TOKEN,
        &[
            "token",
            "create",
            "--name",
            "x",
            "--allow",
            "DNS Read@zone:example.com",
        ],
    );
    assert_eq!(r.code, 4, "{}", r.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_and_call() {
    let env = start().await;
    let r = admin(
        &env,
        &[
            "api",
            "-X",
            "GET",
            "/zones",
            "--paginate",
            "-F",
            "per_page=5",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let zones = r.json();
    assert!(zones
        .as_array()
        .unwrap()
        .iter()
        .any(|z| z["name"] == demo::ZONE_NAME));
    let r = admin(
        &env,
        &[
            "api",
            "-X",
            "GET",
            "zones",
            "-f",
            "name=example.com",
            "--include",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("HTTP 200\n") && r.stdout.contains("content-type: application/json"),
        "{}",
        r.stdout
    );
    let r = admin(
        &env,
        &[
            "api",
            "-X",
            "POST",
            "/zones/00000000000000000000000000000000/dns_records",
            "-f",
            "type=A",
            "-f",
            "name=www",
            "-f",
            "content=192.0.2.1",
        ],
    );
    assert_eq!(r.code, 1, "an API error: {}", r.stderr);
    assert!(
        r.stderr.contains("7003") || r.stderr.contains("404"),
        "{}",
        r.stderr
    );
    assert_eq!(admin(&env, &["api", "-X", "TRACE", "/zones"]).code, 2);
    assert_eq!(admin(&env, &["api", "https://evil.example/zones"]).code, 2);

    let r = admin(
        &env,
        &[
            "call",
            "zones.get",
            "-f",
            &format!("zone_id={}", demo::ZONE_ID),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["name"], demo::ZONE_NAME);
    let r = admin(
        &env,
        &[
            "call",
            "dns.records.list",
            "-f",
            &format!("zone_id={}", demo::ZONE_ID),
            "--paginate",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json().as_array().unwrap().len(), 5);
    assert_eq!(admin(&env, &["call", "nope.nothing"]).code, 2);
    assert_eq!(
        admin(&env, &["call", "dns.records.get"]).code,
        2,
        "a missing path parameter"
    );

    let closed = Env {
        base: "http://127.0.0.1:9/client/v4".into(),
        _emu: env._emu,
    };
    let r = admin(&closed, &["--max-retries", "0", "whoami"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
}
