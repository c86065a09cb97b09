//! Errors of the domain crate: values that do not parse.

/// A value that is not what the register's vocabulary allows.
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
}

/// Result with the domain [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
