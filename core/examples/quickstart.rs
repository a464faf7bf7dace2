//! The flarekit quickstart in Rust. Reads the environment like any flarekit program:
//! `CLOUDFLARE_API_TOKEN` (and `CLOUDFLARE_BASE_URL` for the emulator; unset it for the real API).
//! `make demo` runs it against the bundled emulator, which also provides the tokens of the error walkthrough
//! (`FLAREKIT_DEMO_READ_ONLY_TOKEN`, `FLAREKIT_DEMO_EXPIRED_TOKEN`).

use flarekit::typed::{DnsRecordFilter, DnsRecordInput, ZoneFilter};
use flarekit::{Cloudflare, ErrorKind};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cf = Cloudflare::from_env()?;
    println!("[rust] client uses {} at {}", cf.auth(), cf.base_url());

    let status = cf.user().verify_token().await?;
    println!("[rust] token {} is {}", status.id, status.status);

    let zones = cf.zones().list(&ZoneFilter::default()).await?;
    for z in &zones {
        println!("[rust] zone {} ({})", z.name, z.id);
    }
    let zone = zones.first().ok_or("the token sees no zone")?;

    let name = format!("flarekit-rust-demo.{}", zone.name);
    let created = cf
        .dns_records()
        .create(
            &zone.id,
            &DnsRecordInput {
                ttl: Some(300),
                ..DnsRecordInput::new("A", &name, "192.0.2.10")
            },
        )
        .await?;
    println!(
        "[rust] created {} {} -> {}",
        created.record_type,
        created.name,
        created.content.as_deref().unwrap_or("")
    );

    let found = cf
        .dns_records()
        .list(
            &zone.id,
            &DnsRecordFilter {
                name: Some(name.clone()),
                ..Default::default()
            },
        )
        .await?;
    println!("[rust] listed back {} record(s) named {name}", found.len());
    cf.dns_records().delete(&zone.id, &created.id).await?;
    println!("[rust] deleted {}", created.id);

    // The typed errors: a token without permission, an expired token, and no credentials at all.
    if let Ok(token) = std::env::var("FLAREKIT_DEMO_READ_ONLY_TOKEN") {
        let ro = cf.with_options(|b| b.api_token(token))?;
        match ro
            .dns_records()
            .create(&zone.id, &DnsRecordInput::new("A", &name, "192.0.2.11"))
            .await
        {
            Err(e) if e.kind() == ErrorKind::Authentication => {
                println!("[rust] read-only token: {} -> {e}", e.kind())
            }
            other => return Err(format!("expected an authentication error, got {other:?}").into()),
        }
    }
    if let Ok(token) = std::env::var("FLAREKIT_DEMO_EXPIRED_TOKEN") {
        let expired = cf.with_options(|b| b.api_token(token))?;
        match expired.zones().list(&ZoneFilter::default()).await {
            Err(e) if e.kind().is_authentication() => {
                println!("[rust] expired token: {} -> {e}", e.kind())
            }
            other => return Err(format!("expected an authentication error, got {other:?}").into()),
        }
    }
    match Cloudflare::builder()
        .env_source(std::collections::BTreeMap::new())
        .build()
    {
        Err(e) if e.kind() == ErrorKind::MissingCredentials => {
            println!("[rust] no credentials: {} -> {e}", e.kind())
        }
        other => return Err(format!("expected MissingCredentialsError, got {other:?}").into()),
    }
    Ok(())
}
