//! Errors of the domain crate: values that do not parse.

/// A value that is not what the register's vocabulary allows. The value is quoted by its start
/// only ([`excerpt`]): it comes from a file or a request and may be of any length.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A BAG identificatie must be exactly 16 ASCII digits.
    #[error("invalid BAG identificatie {0:?}: expected 16 digits")]
    InvalidBagId(String),
    /// A CBS area code must be `GM` + 4, `WK` + 6 or `BU` + 8 digits.
    #[error("invalid CBS area code {0:?}: expected GMgggg, WKggggww or BUggggwwbb")]
    InvalidAreaCode(String),
    /// A status text that BAG does not define.
    #[error("unknown BAG status {0:?}")]
    UnknownStatus(String),
    /// A gebruiksdoel text that BAG does not define.
    #[error("unknown BAG gebruiksdoel {0:?}")]
    UnknownUsage(String),
    /// An energy class that is not `A+++++` … `G`.
    #[error(
        "unknown energy class {0:?}: expected A+++++, A++++, A+++, A++, A+, A, B, C, D, E, F or G"
    )]
    UnknownEnergyClass(String),
}

/// Result with the domain [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Characters of a value that an error message quotes.
pub const EXCERPT_CHARS: usize = 40;

/// The start of `value` for an error message: its first [`EXCERPT_CHARS`] characters, and `…`
/// when there were more. Values in messages come from files and requests: quoted whole, a 100 MB
/// field makes a 100 MB message.
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(EXCERPT_CHARS) {
        None => value.to_owned(),
        Some((end, _)) => format!("{}…", &value[..end]),
    }
}

/// [`excerpt`] of bytes that need not be UTF-8 (invalid sequences show as U+FFFD). Looks at the
/// first bytes only, however long `value` is.
pub fn excerpt_bytes(value: &[u8]) -> String {
    // Enough bytes for EXCERPT_CHARS + 1 characters of at most 4 bytes each.
    let head = &value[..value.len().min((EXCERPT_CHARS + 1) * 4)];
    let text = String::from_utf8_lossy(head);
    let cut = excerpt(&text);
    if head.len() < value.len() && !cut.ends_with('…') {
        // Fewer than EXCERPT_CHARS characters in the head (invalid bytes, cut characters).
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_keep_short_values_and_cut_long_ones() {
        assert_eq!(excerpt("Pand in gebruik"), "Pand in gebruik");
        let forty = "a".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&forty), forty);
        assert_eq!(excerpt(&"é".repeat(100)), format!("{}…", "é".repeat(40)));
        assert_eq!(
            excerpt_bytes(&vec![b'A'; 100 << 20]),
            format!("{}…", "A".repeat(40))
        );
        assert_eq!(excerpt_bytes(b"12\xff"), "12\u{fffd}");
        assert_eq!(
            excerpt_bytes(&[0xff; 1000]).chars().count(),
            EXCERPT_CHARS + 1
        );
    }

    #[test]
    fn errors_quote_the_start_of_the_value() {
        let long = "1".repeat(1 << 20);
        let e = long.parse::<crate::BagId>().unwrap_err().to_string();
        assert!(e.len() < 120, "{e}");
        assert!(e.contains(&format!("{}…", "1".repeat(40))), "{e}");
        for e in [
            long.parse::<crate::AreaCode>().unwrap_err(),
            long.parse::<crate::BuildingStatus>().unwrap_err(),
            long.parse::<crate::UsageSet>().unwrap_err(),
        ] {
            assert!(e.to_string().len() < 120, "{e}");
        }
    }
}
