//! The binary: first stdout line, credentials, seed files, clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use flarekit_emulator::demo;

const BIN: &str = env!("CARGO_BIN_EXE_flarekit-emulator");

/// Starts the binary and returns it with its stdout lines (read until the last credential).
fn spawn(args: &[&str], lines: usize) -> (Child, Vec<String>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut out = Vec::new();
    for _ in 0..lines {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        out.push(line.trim_end().to_string());
    }
    (child, out)
}

/// Sends SIGTERM and waits (bounded) for the exit status.
fn terminate(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "emulator did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn prints_the_url_first_then_credentials_and_exits_0_on_sigterm() {
    let (child, lines) = spawn(&["--port", "0"], 11);
    let url = lines[0]
        .strip_prefix("flarekit-emulator listening on ")
        .unwrap_or_else(|| panic!("first line: {:?}", lines[0]));
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/client/v4"),
        "{url}"
    );
    let port: u16 = url["http://127.0.0.1:".len()..url.len() - "/client/v4".len()]
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let text = lines.join("\n");
    for secret in [
        demo::DNS_EDIT_TOKEN,
        demo::READ_ONLY_TOKEN,
        demo::EXPIRED_TOKEN,
        demo::API_KEY,
        demo::API_EMAIL,
        demo::USER_SERVICE_KEY,
    ] {
        assert!(text.contains(secret), "{secret} not printed in\n{text}");
    }
    // It answers.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::{Read, Write};
    write!(stream, "GET /client/v4/zones HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n", demo::READ_ONLY_TOKEN).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(terminate(child).success());
}

#[test]
fn seed_files_and_bad_arguments() {
    let dir = std::env::temp_dir().join(format!("flarekit-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("seed.json");
    std::fs::write(&good, r#"{"user": {"id": "0123456789abcdef0123456789abcdef", "email": "me@example.net", "api_key": "0123456789abcdef0123456789abcdef01234"}, "tokens": [{"id": "1123456789abcdef0123456789abcdef", "name": "mine", "value": "abcdefghijABCDEFGHIJ0123456789_-abcdefgh", "policies": [{"permission_groups": ["Zone Read"], "resources": {"com.cloudflare.api.account.zone.*": "*"}}]}]}"#).unwrap();
    let (child, lines) = spawn(&["--port=0", "--seed", good.to_str().unwrap()], 4);
    assert!(lines[0].starts_with("flarekit-emulator listening on http://127.0.0.1:"));
    assert!(lines
        .iter()
        .any(|l| l.contains("abcdefghijABCDEFGHIJ0123456789_-abcdefgh")));
    assert!(lines.iter().any(|l| l.contains("me@example.net")));
    assert!(terminate(child).success());

    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"user": {"id": "short", "email": "me@example.net", "api_key": "x"}}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--port", "0", "--seed", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("user.id"));
    let out = Command::new(BIN).args(["--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).args(["--help"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--seed"));
    std::fs::remove_dir_all(&dir).ok();
}
