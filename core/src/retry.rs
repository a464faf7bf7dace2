//! When to retry, and how long to wait.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

use crate::operations::Verb;

/// Longest server-requested wait that is honoured; longer requests are capped to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const INITIAL_BACKOFF_SECS: f64 = 0.5;
const MAX_BACKOFF_SECS: f64 = 8.0;

/// How an attempt ended, as far as retrying is concerned.
pub(crate) enum Outcome<'a> {
    /// The API answered with this status and headers.
    Response { status: u16, headers: &'a HeaderMap },
    /// The connection could not be made: the request never reached the server.
    ConnectFailed,
    /// The request may have reached the server, then the connection failed or timed out.
    MaybeSent,
}

/// Whether another attempt may be made. POST is retried only when the request never reached the server,
/// on 429/503, or when the server says `x-should-retry: true` — so a create is never duplicated.
pub(crate) fn should_retry(verb: Verb, outcome: &Outcome<'_>) -> bool {
    match outcome {
        Outcome::ConnectFailed => true,
        Outcome::MaybeSent => verb != Verb::Post,
        Outcome::Response { status, headers } => {
            match headers
                .get("x-should-retry")
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                Some("true") => return true,
                Some("false") => return false,
                _ => {}
            }
            if verb == Verb::Post {
                return matches!(status, 429 | 503);
            }
            matches!(status, 408 | 409 | 429) || *status >= 500
        }
    }
}

/// What the server asked for: `retry-after-ms`, else `Retry-After` in seconds or as an HTTP date.
/// Negative waits count as none; waits over [`MAX_RETRY_AFTER`] are capped.
pub fn server_retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() {
            return Some(cap(ms / 1000.0));
        }
    }
    let ra = text("retry-after")?;
    if let Ok(secs) = ra.parse::<f64>() {
        if secs.is_finite() {
            return Some(cap(secs));
        }
        return None;
    }
    let when = httpdate::parse_http_date(ra).ok()?;
    let secs = match when.duration_since(SystemTime::now()) {
        Ok(d) => d.as_secs_f64(),
        Err(_) => 0.0,
    };
    Some(cap(secs))
}

fn cap(secs: f64) -> Duration {
    Duration::from_secs_f64(secs.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()))
}

/// The wait before retry number `retry` (0 for the first retry): the server's request if any, else
/// `min(0.5 * 2^retry, 8)` s times a random factor in [0.75, 1]; then scaled (tests scale it down).
pub(crate) fn delay(retry: u32, headers: Option<&HeaderMap>, scale: f64) -> Duration {
    let base = headers
        .and_then(server_retry_after)
        .unwrap_or_else(|| backoff(retry, fastrand::f64()));
    base.mul_f64(scale)
}

/// Exponential backoff for retry number `retry` with jitter `unit` in [0, 1).
pub(crate) fn backoff(retry: u32, unit: f64) -> Duration {
    let exp = (INITIAL_BACKOFF_SECS * 2f64.powi(retry.min(16) as i32)).min(MAX_BACKOFF_SECS);
    let jitter = 1.0 - 0.25 * unit.clamp(0.0, 1.0);
    Duration::from_secs_f64(exp * jitter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        m
    }

    #[test]
    fn backoff_grows_and_caps_with_jitter() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 1.0), Duration::from_millis(375));
        assert_eq!(backoff(1, 0.0), Duration::from_secs(1));
        assert_eq!(backoff(4, 0.0), Duration::from_secs(8));
        assert_eq!(backoff(30, 0.0), Duration::from_secs(8));
        for r in 0..6 {
            let d = delay(r, None, 1.0);
            let max = backoff(r, 0.0);
            assert!(d <= max && d >= max.mul_f64(0.75), "{d:?} vs {max:?}");
        }
    }

    #[test]
    fn server_waits() {
        assert_eq!(
            server_retry_after(&h(&[("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            server_retry_after(&h(&[("retry-after-ms", "5"), ("retry-after", "9")])),
            Some(Duration::from_millis(5))
        );
        assert_eq!(
            server_retry_after(&h(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            server_retry_after(&h(&[("retry-after", "3600")])),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(
            server_retry_after(&h(&[("retry-after", "-3")])),
            Some(Duration::ZERO)
        );
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(30));
        let d = server_retry_after(&h(&[("retry-after", &future)])).unwrap();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        let far = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(7200));
        assert_eq!(
            server_retry_after(&h(&[("retry-after", &far)])),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(server_retry_after(&h(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn post_is_careful() {
        let none = HeaderMap::new();
        let r = |s| Outcome::Response {
            status: s,
            headers: &none,
        };
        assert!(should_retry(Verb::Get, &r(500)));
        assert!(should_retry(Verb::Get, &r(408)));
        assert!(should_retry(Verb::Get, &r(409)));
        assert!(!should_retry(Verb::Get, &r(404)));
        assert!(!should_retry(Verb::Post, &r(500)));
        assert!(should_retry(Verb::Post, &r(503)));
        assert!(should_retry(Verb::Post, &r(429)));
        assert!(!should_retry(Verb::Post, &Outcome::MaybeSent));
        assert!(should_retry(Verb::Post, &Outcome::ConnectFailed));
        assert!(should_retry(Verb::Delete, &Outcome::MaybeSent));
        let yes = h(&[("x-should-retry", "true")]);
        assert!(should_retry(
            Verb::Post,
            &Outcome::Response {
                status: 500,
                headers: &yes
            }
        ));
        let no = h(&[("x-should-retry", "false")]);
        assert!(!should_retry(
            Verb::Get,
            &Outcome::Response {
                status: 503,
                headers: &no
            }
        ));
    }
}
