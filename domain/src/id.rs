//! Identifiers: BAG object ids (16 digits, leading zeros kept) and CBS area codes.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result, excerpt};

/// A BAG *identificatie*: 16 decimal digits, the first four the gemeente code (leading zeros matter).
///
/// ```
/// use domain::BagId;
/// let id: BagId = "0221100000000001".parse().unwrap();
/// assert_eq!(id.to_string(), "0221100000000001");
/// assert_eq!(id.get(), 221_100_000_000_001);
/// assert!("221100000000001".parse::<BagId>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BagId(u64);

/// The largest value 16 digits can hold.
const MAX_BAG_ID: u64 = 9_999_999_999_999_999;

impl BagId {
    /// Wraps a number as an id; `None` if it does not fit in 16 digits.
    pub fn new(value: u64) -> Option<Self> {
        (value <= MAX_BAG_ID).then_some(Self(value))
    }

    /// The id as a number (what vector tiles carry as feature id).
    pub fn get(self) -> u64 {
        self.0
    }
}

impl FromStr for BagId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidBagId(excerpt(s)));
        }
        s.parse::<u64>()
            .map(Self)
            .map_err(|_| Error::InvalidBagId(excerpt(s)))
    }
}

impl fmt::Display for BagId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016}", self.0)
    }
}

/// The BAG id of a building (*pand*).
pub type BuildingId = BagId;
/// The BAG id of an address (*verblijfsobject*; a *ligplaats* or *standplaats* id fits too).
pub type AddressId = BagId;

/// Which level of the CBS hierarchy an [`AreaCode`] names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaKind {
    /// A municipality, `GMgggg`.
    Gemeente,
    /// A district, `WKggggww`.
    Wijk,
    /// A neighbourhood, `BUggggwwbb`.
    Buurt,
}

impl AreaKind {
    fn prefix(self) -> &'static str {
        match self {
            Self::Gemeente => "GM",
            Self::Wijk => "WK",
            Self::Buurt => "BU",
        }
    }

    fn digits(self) -> usize {
        match self {
            Self::Gemeente => 4,
            Self::Wijk => 6,
            Self::Buurt => 8,
        }
    }

    /// The English word used in URLs and tile attributes: `gemeente`, `wijk` or `buurt`
    /// (the CBS names are kept: they are the data's own names).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gemeente => "gemeente",
            Self::Wijk => "wijk",
            Self::Buurt => "buurt",
        }
    }
}

/// A CBS area code. Codes nest: `BU02330101` lies in `WK023301`, which lies in `GM0233`.
///
/// ```
/// use domain::{AreaCode, AreaKind};
/// let buurt: AreaCode = "BU02330101".parse().unwrap();
/// assert_eq!(buurt.kind(), AreaKind::Buurt);
/// assert_eq!(buurt.wijk().unwrap().to_string(), "WK023301");
/// assert_eq!(buurt.gemeente().to_string(), "GM0233");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AreaCode {
    kind: AreaKind,
    number: u32,
}

impl AreaCode {
    /// The level this code names.
    pub fn kind(self) -> AreaKind {
        self.kind
    }

    /// The wijk a buurt lies in, or the wijk itself; `None` for a gemeente.
    #[must_use]
    pub fn wijk(self) -> Option<Self> {
        match self.kind {
            AreaKind::Buurt => Some(Self {
                kind: AreaKind::Wijk,
                number: self.number / 100,
            }),
            AreaKind::Wijk => Some(self),
            AreaKind::Gemeente => None,
        }
    }

    /// The gemeente this code lies in (or is).
    #[must_use]
    pub fn gemeente(self) -> Self {
        let number = match self.kind {
            AreaKind::Buurt => self.number / 10_000,
            AreaKind::Wijk => self.number / 100,
            AreaKind::Gemeente => self.number,
        };
        Self {
            kind: AreaKind::Gemeente,
            number,
        }
    }
}

impl FromStr for AreaCode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::InvalidAreaCode(excerpt(s));
        let t = s.trim();
        let kind = match t.get(..2) {
            Some("GM") => AreaKind::Gemeente,
            Some("WK") => AreaKind::Wijk,
            Some("BU") => AreaKind::Buurt,
            _ => return Err(bad()),
        };
        let digits = &t[2..];
        if digits.len() != kind.digits() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let number = digits.parse().map_err(|_| bad())?;
        Ok(Self { kind, number })
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{:0width$}",
            self.kind.prefix(),
            self.number,
            width = self.kind.digits()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_id_keeps_leading_zeros() {
        let id: BagId = "0000100000000001".parse().unwrap();
        assert_eq!(id.to_string(), "0000100000000001");
    }

    #[test]
    fn bag_id_rejects_letters_and_wrong_length() {
        assert!("02211000000000a1".parse::<BagId>().is_err());
        assert!("02211000000000011".parse::<BagId>().is_err());
        assert!(BagId::new(10_000_000_000_000_000).is_none());
    }

    #[test]
    fn area_codes_round_trip_and_nest() {
        for code in ["GM0221", "WK022101", "BU02210105"] {
            assert_eq!(code.parse::<AreaCode>().unwrap().to_string(), code);
        }
        let wk: AreaCode = "WK022101".parse().unwrap();
        assert_eq!(wk.gemeente().to_string(), "GM0221");
        assert!("BU0221".parse::<AreaCode>().is_err());
        assert!("XX022101".parse::<AreaCode>().is_err());
    }
}
