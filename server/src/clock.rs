//! The wall clock, read in one place.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    domain::rfc3339_utc(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}
