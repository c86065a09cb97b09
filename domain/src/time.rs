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

/// Parses RFC 3339 text (`2026-11-18T11:06:40Z`, an offset like `+01:00`, or a bare date
/// `2026-11-18` for midnight UTC) into seconds since the Unix epoch. Fractions are dropped.
///
/// ```
/// assert_eq!(domain::parse_rfc3339("2026-11-18T11:06:40Z"), Some(1_795_000_000));
/// assert_eq!(domain::parse_rfc3339("2026-11-18T12:06:40.5+01:00"), Some(1_795_000_000));
/// assert_eq!(domain::parse_rfc3339("1970-01-02"), Some(86_400));
/// assert_eq!(domain::parse_rfc3339("2026-13-01"), None);
/// ```
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let (y, mo, day) = (num(d.next()?)?, num(d.next()?)?, num(d.next()?)?);
    if d.next().is_some() || !(1..=12).contains(&mo) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut secs, offset) = match time {
        None => (0, 0),
        Some(t) => {
            let (clock, offset) = if let Some(c) = t.strip_suffix(['Z', 'z']) {
                (c, 0)
            } else if let Some(i) = t.rfind(['+', '-']) {
                let (c, o) = t.split_at(i);
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let (oh, om) = o[1..].split_once(':')?;
                (c, sign * (num(oh)? * 3600 + num(om)? * 60))
            } else {
                return None;
            };
            let clock = clock.split('.').next()?;
            let mut c = clock.split(':');
            let (h, mi, se) = (num(c.next()?)?, num(c.next()?)?, num(c.next()?)?);
            if c.next().is_some() || h > 23 || mi > 59 || se > 60 {
                return None;
            }
            (h * 3600 + mi * 60 + se, offset)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    secs += days * 86_400;
    Some(secs - offset)
}
