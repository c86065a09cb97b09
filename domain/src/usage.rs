//! *Gebruiksdoel*: what a BAG verblijfsobject is used for, and the set of them a pand carries.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result, excerpt};

/// One BAG *gebruiksdoel*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Usage {
    /// Housing.
    Woonfunctie,
    /// Gatherings (community centre, church, café).
    Bijeenkomstfunctie,
    /// Detention.
    Celfunctie,
    /// Health care.
    Gezondheidszorgfunctie,
    /// Industry.
    Industriefunctie,
    /// Office.
    Kantoorfunctie,
    /// Lodging.
    Logiesfunctie,
    /// Education.
    Onderwijsfunctie,
    /// Sport.
    Sportfunctie,
    /// Retail.
    Winkelfunctie,
    /// Anything else.
    OverigeGebruiksfunctie,
}

impl Usage {
    /// Every gebruiksdoel, in BAG's order.
    pub const ALL: [Self; 11] = [
        Self::Woonfunctie,
        Self::Bijeenkomstfunctie,
        Self::Celfunctie,
        Self::Gezondheidszorgfunctie,
        Self::Industriefunctie,
        Self::Kantoorfunctie,
        Self::Logiesfunctie,
        Self::Onderwijsfunctie,
        Self::Sportfunctie,
        Self::Winkelfunctie,
        Self::OverigeGebruiksfunctie,
    ];

    /// The name exactly as BAG writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Woonfunctie => "woonfunctie",
            Self::Bijeenkomstfunctie => "bijeenkomstfunctie",
            Self::Celfunctie => "celfunctie",
            Self::Gezondheidszorgfunctie => "gezondheidszorgfunctie",
            Self::Industriefunctie => "industriefunctie",
            Self::Kantoorfunctie => "kantoorfunctie",
            Self::Logiesfunctie => "logiesfunctie",
            Self::Onderwijsfunctie => "onderwijsfunctie",
            Self::Sportfunctie => "sportfunctie",
            Self::Winkelfunctie => "winkelfunctie",
            Self::OverigeGebruiksfunctie => "overige gebruiksfunctie",
        }
    }
}

impl FromStr for Usage {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        Self::ALL
            .into_iter()
            .find(|u| u.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| Error::UnknownUsage(excerpt(s)))
    }
}

/// A set of [`Usage`]s, as a bit set. Written as BAG lists do: comma separated, in BAG's order.
///
/// ```
/// use domain::{Usage, UsageSet};
/// let set: UsageSet = "winkelfunctie,woonfunctie".parse().unwrap();
/// assert!(set.contains(Usage::Woonfunctie));
/// assert_eq!(set.to_string(), "woonfunctie,winkelfunctie");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UsageSet(u16);

impl UsageSet {
    /// The empty set.
    pub const EMPTY: Self = Self(0);

    /// The set as bits (bit `n` is `Usage::ALL[n]`).
    pub fn bits(self) -> u16 {
        self.0
    }

    /// A set from [`bits`](Self::bits); unknown bits are dropped.
    pub fn from_bits(bits: u16) -> Self {
        Self(bits & ((1 << Usage::ALL.len()) - 1))
    }

    /// Adds a usage.
    pub fn insert(&mut self, usage: Usage) {
        self.0 |= 1 << usage as u8;
    }

    /// Whether the set holds `usage`.
    pub fn contains(self, usage: Usage) -> bool {
        self.0 & (1 << usage as u8) != 0
    }

    /// Whether no usage is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The usages in BAG's order.
    pub fn iter(self) -> impl Iterator<Item = Usage> {
        Usage::ALL.into_iter().filter(move |u| self.contains(*u))
    }

    /// The union of two sets.
    #[must_use]
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

impl FromStr for UsageSet {
    type Err = Error;
    /// Parses a list separated by commas (bag-light) or `|`; blank entries are ignored.
    fn from_str(s: &str) -> Result<Self> {
        let mut set = Self::EMPTY;
        for part in s
            .split([',', '|', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            set.insert(part.parse()?);
        }
        Ok(set)
    }
}

impl fmt::Display for UsageSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, u) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(u.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_set_round_trips() {
        let set: UsageSet = "woonfunctie, overige gebruiksfunctie".parse().unwrap();
        assert_eq!(set.to_string(), "woonfunctie,overige gebruiksfunctie");
        assert_eq!(UsageSet::from_bits(set.bits()), set);
        assert!("".parse::<UsageSet>().unwrap().is_empty());
        assert!("slaapfunctie".parse::<UsageSet>().is_err());
    }
}
