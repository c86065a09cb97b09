//! EP-Online: the energy label of a verblijfsobject.

use std::fmt;
use std::str::FromStr;

use crate::{AddressId, BuildingId, Error, Result, excerpt};

/// An energy class, `A+++++` (best) to `G` (worst).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EnergyClass {
    /// `A+++++`.
    APlus5,
    /// `A++++`.
    APlus4,
    /// `A+++`.
    APlus3,
    /// `A++`.
    APlus2,
    /// `A+`.
    APlus1,
    /// `A`.
    A,
    /// `B`.
    B,
    /// `C`.
    C,
    /// `D`.
    D,
    /// `E`.
    E,
    /// `F`.
    F,
    /// `G`.
    G,
}

impl EnergyClass {
    /// Every class, best first.
    pub const ALL: [Self; 12] = [
        Self::APlus5,
        Self::APlus4,
        Self::APlus3,
        Self::APlus2,
        Self::APlus1,
        Self::A,
        Self::B,
        Self::C,
        Self::D,
        Self::E,
        Self::F,
        Self::G,
    ];

    /// The label as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::APlus5 => "A+++++",
            Self::APlus4 => "A++++",
            Self::APlus3 => "A+++",
            Self::APlus2 => "A++",
            Self::APlus1 => "A+",
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
            Self::E => "E",
            Self::F => "F",
            Self::G => "G",
        }
    }

    /// 1 (`A+++++`) … 12 (`G`), for compact columns; 0 is left for "no label".
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// The class with `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// Parses the bytes of a label as EP-Online writes it (`A+++`, `C`; no allocation).
    pub fn from_bytes(text: &[u8]) -> Option<Self> {
        let text = text.trim_ascii();
        match text {
            [b'A' | b'a', plus @ ..] if plus.iter().all(|&b| b == b'+') && plus.len() <= 5 => {
                Self::from_code(6 - plus.len() as u8)
            }
            [c] => match c.to_ascii_uppercase() {
                b'B' => Some(Self::B),
                b'C' => Some(Self::C),
                b'D' => Some(Self::D),
                b'E' => Some(Self::E),
                b'F' => Some(Self::F),
                b'G' => Some(Self::G),
                _ => None,
            },
            _ => None,
        }
    }
}

impl fmt::Display for EnergyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EnergyClass {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_bytes(s.as_bytes()).ok_or_else(|| Error::UnknownEnergyClass(excerpt(s)))
    }
}

/// A calendar date (the day a label was registered), as `yyyymmdd` in one number so that dates
/// compare as numbers do.
///
/// ```
/// use domain::LabelDate;
/// let d = LabelDate::new(2024, 2, 29).unwrap();
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert_eq!(d.days_since_1990(), 12_477);
/// assert_eq!(LabelDate::from_days_since_1990(12_477), Some(d));
/// assert!(LabelDate::new(2023, 2, 29).is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelDate(u32);

/// Days from 0000-03-01 to 1970-01-01 in the days-from-civil algorithm, and from 1970 to 1990.
const CIVIL_TO_UNIX: i64 = 719_468;
const UNIX_TO_1990: i64 = 7_305;

impl LabelDate {
    /// The date, if it exists (years 1900 to 2099).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=2099).contains(&year) && (1..=days_in_month).contains(&day))
            .then(|| Self(u32::from(year) * 10_000 + u32::from(month) * 100 + u32::from(day)))
    }

    /// Year, month, day.
    pub fn ymd(self) -> (u16, u8, u8) {
        (
            (self.0 / 10_000) as u16,
            (self.0 / 100 % 100) as u8,
            (self.0 % 100) as u8,
        )
    }

    /// Days since 1990-01-01 (what the serving model keeps in two bytes).
    pub fn days_since_1990(self) -> u16 {
        let (y, m, d) = self.ymd();
        let (y, m, d) = (i64::from(y), i64::from(m), i64::from(d));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - CIVIL_TO_UNIX - UNIX_TO_1990;
        u16::try_from(days).unwrap_or(0)
    }

    /// The date `days` after 1990-01-01.
    pub fn from_days_since_1990(days: u16) -> Option<Self> {
        let z = i64::from(days) + UNIX_TO_1990 + CIVIL_TO_UNIX;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Self::new(u16::try_from(y).ok()?, m as u8, d as u8)
    }

    /// Reads the dates EP-Online has written: `20240131`, `2024-01-31`, `31-01-2024`, each
    /// optionally followed by a time (`2024-01-31 12:00:00`, `2024-01-31T12:00:00`).
    ///
    /// ```
    /// use domain::LabelDate;
    /// let d = LabelDate::new(2024, 1, 31);
    /// for text in ["20240131", "2024-01-31", "31-01-2024", "2024-01-31 08:15:00", "2024-01-31T08:15"] {
    ///     assert_eq!(LabelDate::parse(text.as_bytes()), d, "{text}");
    /// }
    /// assert_eq!(LabelDate::parse(b"2024-13-01"), None);
    /// ```
    pub fn parse(text: &[u8]) -> Option<Self> {
        let text = text.trim_ascii();
        let date = text
            .iter()
            .position(|&b| b == b' ' || b == b'T')
            .map_or(text, |i| &text[..i]);
        let num = |s: &[u8]| -> Option<u32> {
            if s.is_empty() || s.len() > 4 || !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(s.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0')))
        };
        let (y, m, d) = match date.len() {
            8 if date.iter().all(u8::is_ascii_digit) => {
                (num(&date[..4])?, num(&date[4..6])?, num(&date[6..])?)
            }
            10 if date[4] == b'-' && date[7] == b'-' => {
                (num(&date[..4])?, num(&date[5..7])?, num(&date[8..])?)
            }
            10 if date[2] == b'-' && date[5] == b'-' => {
                (num(&date[6..])?, num(&date[3..5])?, num(&date[..2])?)
            }
            _ => return None,
        };
        Self::new(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }
}

impl fmt::Display for LabelDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// The energy label of one verblijfsobject (EP-Online's `Pand_*` columns).
#[derive(Debug, Clone, PartialEq)]
pub struct EnergyLabel {
    /// `Pand_bagverblijfsobjectid`.
    pub address: AddressId,
    /// `Pand_bagpandid`.
    pub building: Option<BuildingId>,
    /// `Pand_energieklasse`.
    pub class: EnergyClass,
    /// `Pand_registratiedatum`.
    pub registered: LabelDate,
    /// `Pand_gebouwklasse`: `W` (woningbouw) or `U` (utiliteitsbouw).
    pub building_class: Option<char>,
    /// `Pand_gebouwtype`, e.g. `Tussenwoning`.
    pub building_type: Option<String>,
    /// `Pand_energieindex` (or, in older files, `Pand_energieprestatieindex`).
    pub energy_index: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_parse_as_printed_and_round_trip_codes() {
        for c in EnergyClass::ALL {
            assert_eq!(c.as_str().parse::<EnergyClass>().unwrap(), c);
            assert_eq!(EnergyClass::from_code(c.code()), Some(c));
        }
        assert_eq!(EnergyClass::APlus5.code(), 1);
        assert_eq!(EnergyClass::G.code(), 12);
        assert_eq!(EnergyClass::from_bytes(b" a++ "), Some(EnergyClass::APlus2));
        for bad in ["A++++++", "H", "", "AB", "+"] {
            assert!(bad.parse::<EnergyClass>().is_err(), "{bad}");
        }
        assert_eq!(EnergyClass::from_code(0), None);
        assert_eq!(EnergyClass::from_code(13), None);
    }

    #[test]
    fn dates_count_days_from_1990_both_ways() {
        let first = LabelDate::new(1990, 1, 1).unwrap();
        assert_eq!(first.days_since_1990(), 0);
        for (y, m, d) in [(2008, 1, 1), (2000, 2, 29), (2026, 12, 4), (2099, 12, 31)] {
            let date = LabelDate::new(y, m, d).unwrap();
            assert_eq!(
                LabelDate::from_days_since_1990(date.days_since_1990()),
                Some(date)
            );
        }
        assert!(LabelDate::new(1900, 2, 29).is_none());
        assert!(LabelDate::new(2000, 2, 29).is_some());
    }
}
