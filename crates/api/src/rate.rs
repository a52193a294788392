//! A per-viewer rate limit on GraphQL requests, commands included (issue 26 item 1, decision
//! 0682): a token bucket per viewer, the ИИН of a verified token or, for anyone else, the
//! client's address. A request over the limit is answered 429 with the code `rate_limited` and
//! `Retry-After`, before anything is parsed, read or written.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::auth::Viewer;

/// How many requests a viewer may send: `per_second` on average, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_second: u32,
    pub burst: u32,
}

/// The address of the connection's peer, put in every request's extensions by the server.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Buckets kept before the full ones are forgotten: a full bucket is what a new one would be.
const MAX_BUCKETS: usize = 100_000;

pub(crate) struct Limiter {
    limit: Option<RateLimit>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn refilled(&self, now: Instant, limit: RateLimit) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + elapsed * f64::from(limit.per_second)).min(f64::from(limit.burst))
    }
}

impl Limiter {
    /// No limit with `None`.
    pub fn new(limit: Option<RateLimit>) -> Self {
        Limiter {
            limit,
            buckets: Mutex::default(),
        }
    }

    /// Takes a request's token from `key`'s bucket, or says how long until there is one.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let burst = f64::from(limit.burst);
        let mut buckets = self.buckets.lock().expect("not poisoned");
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(key) {
            buckets.retain(|_, b| b.refilled(now, limit) < burst);
            // Still crowded (many addresses at once): start over rather than scan on every
            // request; each of them gets a fresh burst, no more.
            if buckets.len() >= MAX_BUCKETS / 2 {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        bucket.tokens = bucket.refilled(now, limit);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / f64::from(limit.per_second);
            Err(Duration::from_secs_f64(wait))
        }
    }

    /// The 429 answer to a viewer over the limit, or `None` when the request may go on. The
    /// viewer's bucket: the ИИН of a token that verifies, else the client's address.
    pub fn refusal(&self, viewer: &Viewer, addr: Option<ClientAddr>) -> Option<Response> {
        self.limit?;
        let key = match viewer.principal() {
            Ok(Some(p)) => format!("iin:{}", p.iin),
            _ => match addr {
                Some(ClientAddr(ip)) => format!("addr:{ip}"),
                None => "addr:unknown".to_owned(),
            },
        };
        self.take(&key, Instant::now()).err().map(limited)
    }
}

fn limited(wait: Duration) -> Response {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let mut response = crate::http_error::json(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        &format!("Слишком много запросов: повторите через {seconds} с"),
        &format!("too many requests; retry in {seconds} s"),
    );
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&seconds.to_string()).expect("digits"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_second: u32, burst: u32) -> Limiter {
        Limiter::new(Some(RateLimit { per_second, burst }))
    }

    #[test]
    fn a_burst_passes_then_the_bucket_refills_at_its_rate() {
        let limiter = limiter(2, 3);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take("iin:1", t0).is_ok());
        }
        let wait = limiter.take("iin:1", t0).unwrap_err();
        assert_eq!(wait, Duration::from_millis(500));
        // Half a second later one token is back, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(limiter.take("iin:1", t1).is_ok());
        assert!(limiter.take("iin:1", t1).is_err());
    }

    #[test]
    fn each_viewer_has_a_bucket_of_its_own() {
        let limiter = limiter(1, 1);
        let t0 = Instant::now();
        assert!(limiter.take("iin:1", t0).is_ok());
        assert!(limiter.take("iin:1", t0).is_err());
        assert!(limiter.take("iin:2", t0).is_ok());
        assert!(limiter.take("addr:127.0.0.1", t0).is_ok());
    }

    #[test]
    fn no_limit_takes_nothing() {
        let limiter = Limiter::new(None);
        let t0 = Instant::now();
        for _ in 0..1000 {
            assert!(limiter.take("iin:1", t0).is_ok());
        }
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let response = limited(Duration::from_millis(1200));
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
        assert_eq!(
            limited(Duration::from_millis(10)).headers()[header::RETRY_AFTER],
            "1"
        );
    }
}
