//! Which proxy a client uses (option `proxy`, else `HTTPS_PROXY` and friends unless `NO_PROXY` exempts the host;
//! never for a loopback base URL), how a proxy URL is shown (without its user info), and what a refused tunnel
//! means in words.

use std::net::IpAddr;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::config::is_loopback;
use crate::env::{vars, EnvSnapshot};
use crate::error::{Error, ErrorKind, Result};

/// The proxy a client sends through.
#[derive(Clone)]
pub(crate) struct ProxyChoice {
    /// With user info, if any (reqwest sends it as `Proxy-Authorization`).
    pub url: url::Url,
    /// Where it came from: the option as the front door spells it, or the environment variable.
    pub label: String,
}

impl ProxyChoice {
    /// The URL without user info, for messages and introspection.
    pub fn shown(&self) -> String {
        redact(&self.url)
    }
}

/// `scheme://host:port`, with `***@` where user info was.
pub(crate) fn redact(url: &url::Url) -> String {
    let userinfo = if url.username().is_empty() && url.password().is_none() {
        ""
    } else {
        "***@"
    };
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        Some(h) => h.to_string(),
        None => String::new(),
    };
    match url.port_or_known_default() {
        Some(p) => format!("{}://{userinfo}{host}:{p}", url.scheme()),
        None => format!("{}://{userinfo}{host}", url.scheme()),
    }
}

/// Check a proxy URL. Messages never repeat the URL: it may hold a password.
pub(crate) fn validate(raw: &str, label: &str) -> Result<url::Url> {
    let bad = |why: &str| {
        Error::new(
            ErrorKind::Configuration,
            format!("{label} must be an http:// or https:// proxy URL such as http://proxy.internal:3128; {why}"),
        )
    };
    // A bare `host:port` (common in HTTPS_PROXY) means http://host:port.
    let text = if raw.contains("://") {
        raw.to_string()
    } else {
        format!("http://{raw}")
    };
    let url = url::Url::parse(&text).map_err(|e| bad(&format!("it could not be parsed ({e})")))?;
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(bad(&format!("its scheme is {other:?}"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it has a query string or fragment"));
    }
    Ok(url)
}

/// The proxy for requests to `base`, or none.
pub(crate) fn choose(
    option: Option<&str>,
    option_label: &str,
    env: &EnvSnapshot,
    base: &url::Url,
) -> Result<Option<ProxyChoice>> {
    if is_loopback(base) {
        return Ok(None);
    }
    if let Some(raw) = option {
        return Ok(Some(ProxyChoice {
            url: validate(raw, option_label)?,
            label: option_label.to_string(),
        }));
    }
    for var in [
        vars::HTTPS_PROXY,
        vars::HTTPS_PROXY_LOWER,
        vars::ALL_PROXY,
        vars::ALL_PROXY_LOWER,
    ] {
        let Some(raw) = env.get(var) else { continue };
        let url = validate(raw.expose_secret(), var)?;
        let exempt = [vars::NO_PROXY, vars::NO_PROXY_LOWER]
            .iter()
            .find_map(|v| env.get(v))
            .is_some_and(|list| no_proxy_matches(list.expose_secret(), base));
        if exempt {
            return Ok(None);
        }
        return Ok(Some(ProxyChoice {
            url,
            label: var.to_string(),
        }));
    }
    Ok(None)
}

/// Whether a `NO_PROXY` list exempts the URL's host: `*`, a host name (matching itself and its subdomains, with or
/// without a leading dot or `*.`, with or without a port), an IP address, or a CIDR range.
pub(crate) fn no_proxy_matches(list: &str, url: &url::Url) -> bool {
    let host_ip: Option<IpAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    let host = url
        .host_str()
        .unwrap_or("")
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let port = url.port_or_known_default();
    for entry in list
        .split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        if entry == "*" {
            return true;
        }
        let entry = entry.to_ascii_lowercase();
        if let Some(ip) = host_ip {
            let bare = entry
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("");
            if let Some((net, bits)) = entry.split_once('/') {
                if let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) {
                    if in_cidr(ip, net, bits) {
                        return true;
                    }
                }
                continue;
            }
            if bare.parse::<IpAddr>().ok() == Some(ip) || entry.parse::<IpAddr>().ok() == Some(ip) {
                return true;
            }
            continue;
        }
        let (name, entry_port) = match entry.rsplit_once(':') {
            Some((n, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
                (n, p.parse::<u16>().ok())
            }
            _ => (entry.as_str(), None),
        };
        if entry_port.is_some() && entry_port != port {
            continue;
        }
        let name = name
            .trim_start_matches("*.")
            .trim_start_matches('.')
            .trim_end_matches('.');
        if name.is_empty() {
            continue;
        }
        if host == name || host.ends_with(&format!(".{name}")) {
            return true;
        }
    }
    false
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u32) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The status an http:// proxy answers to `CONNECT host:port`, asked once more after a refused tunnel (the
/// HTTP stack reports only "unsuccessful"). `None` when it cannot be learned within `timeout`.
pub(crate) async fn tunnel_status(
    p: &ProxyChoice,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Option<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    if p.url.scheme() != "http" {
        return None;
    }
    let proxy_host = p
        .url
        .host_str()?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let proxy_port = p.url.port_or_known_default()?;
    let mut request = format!("CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n");
    if !p.url.username().is_empty() || p.url.password().is_some() {
        let user = percent_encoding::percent_decode_str(p.url.username()).decode_utf8_lossy();
        let pass = percent_encoding::percent_decode_str(p.url.password().unwrap_or(""))
            .decode_utf8_lossy();
        request.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64(format!("{user}:{pass}").as_bytes())
        ));
    }
    request.push_str("\r\n");
    let ask = async {
        let mut conn = tokio::net::TcpStream::connect((proxy_host.as_str(), proxy_port))
            .await
            .ok()?;
        conn.write_all(request.as_bytes()).await.ok()?;
        let mut buf = [0u8; 512];
        let mut got = 0;
        while got < buf.len() {
            let n = conn.read(&mut buf[got..]).await.ok()?;
            if n == 0 {
                break;
            }
            got += n;
            if buf[..got].contains(&b'\n') {
                break;
            }
        }
        let line = std::str::from_utf8(&buf[..got])
            .ok()?
            .lines()
            .next()?
            .to_string();
        let mut words = line.split_whitespace();
        if !words.next()?.starts_with("HTTP/") {
            return None;
        }
        words.next()?.parse::<u16>().ok()
    };
    tokio::time::timeout(timeout, ask).await.ok().flatten()
}

fn base64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn no_proxy_lists() {
        let api = u("https://api.cloudflare.com/client/v4");
        for yes in [
            "*",
            "cloudflare.com",
            ".cloudflare.com",
            "*.cloudflare.com",
            "api.cloudflare.com:443",
            "x, api.cloudflare.com",
        ] {
            assert!(no_proxy_matches(yes, &api), "{yes}");
        }
        for no in [
            "",
            "example.com",
            "flare.com",
            "api.cloudflare.com:8443",
            "10.0.0.0/8",
        ] {
            assert!(!no_proxy_matches(no, &api), "{no}");
        }
        let ip = u("https://10.1.2.3/client/v4");
        assert!(no_proxy_matches("10.0.0.0/8", &ip));
        assert!(no_proxy_matches("10.1.2.3", &ip));
        assert!(!no_proxy_matches("10.1.2.4,192.168.0.0/16", &ip));
        let v6 = u("https://[2001:db8::1]/");
        assert!(no_proxy_matches("2001:db8::/32", &v6));
        assert!(no_proxy_matches("[2001:db8::1]", &v6));
    }

    #[test]
    fn redaction_and_validation() {
        assert_eq!(
            redact(&u("http://user:pw@proxy.internal:3128")),
            "http://***@proxy.internal:3128"
        );
        assert_eq!(
            redact(&u("http://proxy.internal")),
            "http://proxy.internal:80"
        );
        let e = validate("socks5://user:hunter2@p:1080", "proxy").unwrap_err();
        assert!(!e.message().contains("hunter2"), "{}", e.message());
        assert_eq!(
            validate("proxy.internal:3128", "HTTPS_PROXY")
                .unwrap()
                .as_str(),
            "http://proxy.internal:3128/"
        );
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab"), "YWI=");
    }
}
