//! Rate limits: token buckets per (kind, key), in memory. A key is a client IP, an account, or
//! both.
//!
//! Sign-in is throttled so that an attacker slows down only themselves (OWASP, "Blocking Brute
//! Force Attacks"): every attempt of a client counts against its IP ([`Kind::SignInIp`]), wrong
//! passwords against the pair of account and client ([`Kind::SignInFailure`], see
//! [`failure_key`]) and never against the account alone, so that another client's failures never
//! refuse the owner's right password. Mails per address are limited ([`Kind::SignInMail`]; no mail
//! bombs), but a code that was mailed is never refused by a limiter: each code itself dies after
//! five wrong tries (in the store). Wrong TOTP codes, which only someone with the password can
//! send, count per account ([`Kind::TotpFailure`]).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// What is limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Sign-in attempts of a client IP: mail requests, passwords, device sessions, wrong codes.
    SignInIp,
    /// Sign-in mails to an address.
    SignInMail,
    /// Failed passwords (sign-in, and re-authentication on the account page) of one account from
    /// one client IP ([`failure_key`]).
    SignInFailure,
    /// Wrong TOTP codes of an account (after a right password, or on the account page).
    TotpFailure,
    /// Letter codes tried by an account.
    LetterCode,
    /// Observations, per IP.
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
    /// Sign-in attempts per IP.
    pub sign_in_ip: Limit,
    /// Sign-in mails per address.
    pub sign_in_mail: Limit,
    /// Failed passwords per account and client IP.
    pub sign_in_failure: Limit,
    /// Wrong TOTP codes per account.
    pub totp_failure: Limit,
    /// Letter codes per account.
    pub letter_code: Limit,
    /// Observations per IP.
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
            sign_in_mail: Limit {
                burst: 5,
                per_minute: 1.0,
            },
            sign_in_failure: Limit {
                burst: 5,
                per_minute: 1.0,
            },
            totp_failure: Limit {
                burst: 5,
                per_minute: 1.0,
            },
            letter_code: Limit {
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
            Kind::SignInMail => self.sign_in_mail,
            Kind::SignInFailure => self.sign_in_failure,
            Kind::TotpFailure => self.totp_failure,
            Kind::LetterCode => self.letter_code,
            Kind::ReportIp => self.report_ip,
            Kind::Export => self.export,
            Kind::PhotoIp => self.photo_ip,
            Kind::PhotoReporter => self.photo_reporter,
        }
    }
}

/// The key of [`Kind::SignInFailure`]: the account as typed (lower case, at most the 254
/// characters an address can have) and the client IP.
pub fn failure_key(email: &str, ip: std::net::IpAddr) -> String {
    let account: String = email.trim().to_lowercase().chars().take(254).collect();
    format!("{account} {ip}")
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

    /// Gives back the token a [`check`](Self::check) took, for an attempt that turned out not to
    /// count (a right password: only failures count against [`Kind::SignInFailure`]). Taking the
    /// token first and giving it back after makes concurrent attempts unable to pass the limit.
    pub fn refund(&self, kind: Kind, key: &str) {
        let burst = f64::from(self.limits.of(kind).burst);
        let mut map = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = map.get_mut(&(kind, key.to_owned())) {
            b.tokens = (b.tokens + 1.0).min(burst);
        }
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

    #[test]
    fn a_refund_gives_back_a_token_up_to_the_burst() {
        let r = RateLimiter::new(Limits::default());
        let key = failure_key(" Owner@Example.nl ", [127, 0, 0, 1].into());
        assert_eq!(key, "owner@example.nl 127.0.0.1");
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(r.check_at(Kind::SignInFailure, &key, t0).is_ok());
        }
        assert!(r.check_at(Kind::SignInFailure, &key, t0).is_err());
        r.refund(Kind::SignInFailure, &key);
        assert!(r.check_at(Kind::SignInFailure, &key, t0).is_ok());
        // Never beyond the burst, and nothing for a key never seen.
        let fresh = failure_key("other@example.nl", [127, 0, 0, 1].into());
        r.refund(Kind::SignInFailure, &fresh);
        for _ in 0..5 {
            assert!(r.check_at(Kind::SignInFailure, &fresh, t0).is_ok());
        }
        assert!(r.check_at(Kind::SignInFailure, &fresh, t0).is_err());
    }
}
