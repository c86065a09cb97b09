//! Rate limits: token buckets per (kind, key), in memory. A key is a client IP or an account.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// What is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Sign-in attempts and sign-in mails, per IP.
    SignInIp,
    /// Sign-in attempts and mails, per account (e-mail address).
    SignInAccount,
    /// Reports, per IP.
    ReportIp,
    /// Exports (letters, lists), per account.
    Export,
    /// Photo uploads, per client IP.
    PhotoIp,
    /// Photo uploads, per reporter (account or device).
    PhotoReporter,
}

/// A limit: `burst` requests at once, refilled to `per_minute` a minute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// Bucket size.
    pub burst: u32,
    /// Refill rate.
    pub per_minute: f64,
}

/// The limits of each kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Sign-in per IP.
    pub sign_in_ip: Limit,
    /// Sign-in per account.
    pub sign_in_account: Limit,
    /// Reports per IP.
    pub report_ip: Limit,
    /// Exports per account.
    pub export: Limit,
    /// Photo uploads per client IP.
    pub photo_ip: Limit,
    /// Photo uploads per reporter.
    pub photo_reporter: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            sign_in_ip: Limit {
                burst: 20,
                per_minute: 10.0,
            },
            sign_in_account: Limit {
                burst: 5,
                per_minute: 1.0,
            },
            report_ip: Limit {
                burst: 60,
                per_minute: 30.0,
            },
            export: Limit {
                burst: 10,
                per_minute: 2.0,
            },
            // Three reports with their three photos at once, then one every 12 s.
            photo_reporter: Limit {
                burst: 10,
                per_minute: 5.0,
            },
            // A few reporters behind one address (a neighbourhood centre's network).
            photo_ip: Limit {
                burst: 30,
                per_minute: 15.0,
            },
        }
    }
}

impl Limits {
    fn of(&self, kind: Kind) -> Limit {
        match kind {
            Kind::SignInIp => self.sign_in_ip,
            Kind::SignInAccount => self.sign_in_account,
            Kind::ReportIp => self.report_ip,
            Kind::Export => self.export,
            Kind::PhotoIp => self.photo_ip,
            Kind::PhotoReporter => self.photo_reporter,
        }
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Buckets of every client.
pub struct RateLimiter {
    limits: Limits,
    buckets: Mutex<HashMap<(Kind, String), Bucket>>,
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// Buckets kept before idle ones are swept.
const SWEEP_AT: usize = 100_000;

impl RateLimiter {
    /// Limiter with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`; `Err(seconds)` to wait when the bucket is empty.
    pub fn check(&self, kind: Kind, key: &str) -> Result<(), u64> {
        self.check_at(kind, key, Instant::now())
    }

    fn check_at(&self, kind: Kind, key: &str, now: Instant) -> Result<(), u64> {
        let limit = self.limits.of(kind);
        let per_sec = limit.per_minute / 60.0;
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= SWEEP_AT {
            // Drop buckets that have refilled completely: they carry no state.
            map.retain(|(k, _), b| {
                let l = self.limits.of(*k);
                b.tokens + now.duration_since(b.at).as_secs_f64() * l.per_minute / 60.0
                    < f64::from(l.burst)
            });
        }
        let b = map.entry((kind, key.to_owned())).or_insert(Bucket {
            tokens: f64::from(limit.burst),
            at: now,
        });
        let refill = now.duration_since(b.at).as_secs_f64() * per_sec;
        b.tokens = (b.tokens + refill).min(f64::from(limit.burst));
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else if per_sec <= 0.0 {
            Err(3600)
        } else {
            Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn bursts_then_refills() {
        let limits = Limits {
            sign_in_ip: Limit {
                burst: 3,
                per_minute: 60.0,
            },
            ..Limits::default()
        };
        let r = RateLimiter::new(limits);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(r.check_at(Kind::SignInIp, "1.2.3.4", t0).is_ok());
        }
        assert_eq!(r.check_at(Kind::SignInIp, "1.2.3.4", t0), Err(1));
        assert!(r.check_at(Kind::SignInIp, "5.6.7.8", t0).is_ok(), "per key");
        assert!(
            r.check_at(Kind::SignInIp, "1.2.3.4", t0 + Duration::from_secs(1))
                .is_ok()
        );
    }
}
