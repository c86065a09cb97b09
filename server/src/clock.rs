//! The wall clock, read in one place.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Now as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    domain::rfc3339_utc(now() as u64)
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(secs: i64) -> String {
    domain::rfc3339_utc(secs.max(0) as u64)
}
