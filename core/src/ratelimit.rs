//! The API's rate limit as a client-side budget: at most `limit` requests in any `window` (Cloudflare allows 1,200
//! per 5 minutes per user), shared by every clone and variant of a client. A request over budget waits for the
//! oldest one to leave the window instead of earning a 429.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// A sliding-window request budget.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    window: Duration,
    sent: Mutex<VecDeque<Instant>>,
}

impl RateLimiter {
    /// `limit` requests per `window`; a limit of 0 never waits.
    pub(crate) fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            sent: Mutex::new(VecDeque::new()),
        }
    }

    /// Whether this limiter has these settings (a variant client with other settings gets its own).
    pub(crate) fn is(&self, limit: u32, window: Duration) -> bool {
        self.limit == limit && self.window == window
    }

    /// Takes one request from the budget, waiting while it is spent; returns how long it waited and how many
    /// requests were in the window when it had to.
    pub(crate) async fn acquire(&self) -> (Duration, usize) {
        if self.limit == 0 {
            return (Duration::ZERO, 0);
        }
        let started = Instant::now();
        let mut seen = 0;
        loop {
            let wait = {
                let mut sent = match self.sent.lock() {
                    Ok(s) => s,
                    Err(p) => p.into_inner(),
                };
                let now = Instant::now();
                while sent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= self.window)
                {
                    sent.pop_front();
                }
                if sent.len() < self.limit as usize {
                    sent.push_back(now);
                    return (now.duration_since(started), seen);
                }
                seen = sent.len();
                // The oldest leaves the window then.
                sent.front()
                    .map(|t| self.window.saturating_sub(now.duration_since(*t)))
                    .unwrap_or(self.window)
            };
            tokio::time::sleep(wait.max(Duration::from_millis(1))).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_for_the_oldest_request_to_leave_the_window() {
        let rl = RateLimiter::new(3, Duration::from_secs(300));
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(rl.acquire().await.0, Duration::ZERO);
        }
        tokio::time::advance(Duration::from_secs(100)).await;
        let (waited, full) = rl.acquire().await;
        assert_eq!(full, 3);
        assert_eq!(
            waited,
            Duration::from_secs(200),
            "until the first leaves the window"
        );
        assert_eq!(Instant::now().duration_since(t0), Duration::from_secs(300));
        // Two more were sent at t0: they leave at once too; the third after another 300 s.
        assert_eq!(rl.acquire().await.0, Duration::ZERO);
        assert_eq!(rl.acquire().await.0, Duration::ZERO);
        assert_eq!(rl.acquire().await.0, Duration::from_secs(300));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_budget() {
        let rl = std::sync::Arc::new(RateLimiter::new(10, Duration::from_secs(60)));
        let t0 = Instant::now();
        let tasks: Vec<_> = (0..25)
            .map(|_| {
                let rl = rl.clone();
                tokio::spawn(async move {
                    rl.acquire().await;
                    Instant::now().duration_since(t0)
                })
            })
            .collect();
        let mut at = Vec::new();
        for t in tasks {
            at.push(t.await.unwrap());
        }
        at.sort();
        assert_eq!(at[9], Duration::ZERO);
        assert_eq!(at[10], Duration::from_secs(60));
        assert_eq!(at[19], Duration::from_secs(60));
        assert_eq!(at[20], Duration::from_secs(120));
    }

    #[tokio::test]
    async fn zero_is_no_limit() {
        let rl = RateLimiter::new(0, Duration::from_secs(1));
        for _ in 0..10_000 {
            assert_eq!(rl.acquire().await.0, Duration::ZERO);
        }
    }
}
