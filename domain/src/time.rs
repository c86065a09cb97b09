//! Timestamps as RFC 3339 text (pure: callers read the clock).

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
///
/// ```
/// assert_eq!(domain::rfc3339_utc(0), "1970-01-01T00:00:00Z");
/// assert_eq!(domain::rfc3339_utc(1_795_000_000), "2026-11-18T11:06:40Z");
/// ```
pub fn rfc3339_utc(unix_secs: u64) -> String {
    let days = (unix_secs / 86_400) as i64;
    let rem = unix_secs % 86_400;
    let (hour, minute, second) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Civil date from days since 1970-01-01 (the days-from-civil algorithm, inverted).
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let doe = shifted - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}
