//! The life-cycle statuses of BAG objects, spelled exactly as BAG writes them.

use std::fmt;
use std::str::FromStr;

use crate::{Error, Result, excerpt};

macro_rules! bag_status {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every status, in BAG's order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The status exactly as BAG writes it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The compact code used in columns and tiles' internals.
            pub fn code(self) -> u8 {
                self as u8
            }

            /// The status for a [`code`](Self::code).
            pub fn from_code(code: u8) -> Option<Self> {
                Self::ALL.get(code as usize).copied()
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self> {
                let t = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(t))
                    .ok_or_else(|| Error::UnknownStatus(excerpt(s)))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

bag_status! {
    /// Status of a BAG *pand* (building).
    BuildingStatus {
        /// Planned: a building permit was granted.
        PermitGranted = "Bouwvergunning verleend",
        /// Not realised: the permit lapsed; the building never stood.
        NotRealised = "Niet gerealiseerd pand",
        /// Under construction.
        ConstructionStarted = "Bouw gestart",
        /// In use, measured.
        InUseNotMeasured = "Pand in gebruik (niet ingemeten)",
        /// In use.
        InUse = "Pand in gebruik",
        /// Being renovated.
        Renovation = "Verbouwing pand",
        /// A demolition permit was granted; the building still stands.
        DemolitionPermitGranted = "Sloopvergunning verleend",
        /// Demolished.
        Demolished = "Pand gesloopt",
        /// Standing but out of use.
        OutOfUse = "Pand buiten gebruik",
        /// Registered by mistake; it never existed.
        WronglyRegistered = "Pand ten onrechte opgevoerd",
    }
}

impl BuildingStatus {
    /// Whether the building stands (or is being built) and may be drawn on a map as a building.
    /// Demolished, not-realised and wrongly-registered panden never are.
    pub fn is_drawn(self) -> bool {
        !matches!(
            self,
            Self::NotRealised | Self::Demolished | Self::WronglyRegistered
        )
    }

    /// Whether the building is only planned (permit granted, not yet under construction).
    pub fn is_planned(self) -> bool {
        matches!(self, Self::PermitGranted)
    }
}

bag_status! {
    /// Status of a BAG *verblijfsobject* (address unit); *ligplaats* and *standplaats* statuses map
    /// onto the same life cycle.
    AddressStatus {
        /// Formed (planned).
        Formed = "Verblijfsobject gevormd",
        /// Not realised.
        NotRealised = "Niet gerealiseerd verblijfsobject",
        /// In use, not measured.
        InUseNotMeasured = "Verblijfsobject in gebruik (niet ingemeten)",
        /// In use.
        InUse = "Verblijfsobject in gebruik",
        /// Withdrawn.
        Withdrawn = "Verblijfsobject ingetrokken",
        /// Out of use.
        OutOfUse = "Verblijfsobject buiten gebruik",
        /// Being renovated.
        Renovation = "Verbouwing verblijfsobject",
        /// Registered by mistake.
        WronglyRegistered = "Verblijfsobject ten onrechte opgevoerd",
        /// A ligplaats or standplaats that is registered (*Plaats aangewezen*).
        PlaceAssigned = "Plaats aangewezen",
        /// A ligplaats or standplaats that was withdrawn (*Plaats ingetrokken*).
        PlaceWithdrawn = "Plaats ingetrokken",
    }
}

impl AddressStatus {
    /// Whether the address exists (or is planned) and is shown.
    pub fn is_shown(self) -> bool {
        !matches!(
            self,
            Self::NotRealised | Self::Withdrawn | Self::WronglyRegistered | Self::PlaceWithdrawn
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_exactly() {
        for s in BuildingStatus::ALL {
            assert_eq!(s.as_str().parse::<BuildingStatus>().unwrap(), *s);
            assert_eq!(BuildingStatus::from_code(s.code()), Some(*s));
        }
        for s in AddressStatus::ALL {
            assert_eq!(s.as_str().parse::<AddressStatus>().unwrap(), *s);
        }
    }

    #[test]
    fn gone_buildings_are_not_drawn() {
        assert!(!BuildingStatus::Demolished.is_drawn());
        assert!(!BuildingStatus::NotRealised.is_drawn());
        assert!(!BuildingStatus::WronglyRegistered.is_drawn());
        assert!(BuildingStatus::InUse.is_drawn());
        assert!(BuildingStatus::PermitGranted.is_drawn());
        assert!("Pand op de maan".parse::<BuildingStatus>().is_err());
    }
}
