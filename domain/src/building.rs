//! A BAG *pand*: one building as the register knows it.

use geo::MultiPolygon;

use crate::{AreaRefs, BuildingId, BuildingStatus, UsageSet};

/// The *bouwjaar* BAG writes when the construction year is unknown.
pub const UNKNOWN_BOUWJAAR: u16 = 9999;

/// A building (BAG *pand*) with its footprint in WGS84 lon/lat.
#[derive(Debug, Clone, PartialEq)]
pub struct Building {
    /// BAG identificatie.
    pub id: BuildingId,
    /// Footprint, WGS84 lon/lat (RFC 7946), as registered (one polygon in BAG; a multipolygon allowed).
    pub footprint_wgs84: MultiPolygon<f64>,
    /// Construction year as registered (*bouwjaar*); 9999 means unknown.
    pub bouwjaar: u16,
    /// Life-cycle status.
    pub status: BuildingStatus,
    /// The union of its verblijfsobjecten's gebruiksdoelen (bag-light's `gebruiksdoel`).
    pub usage: UsageSet,
    /// Number of verblijfsobjecten in it (*aantal_verblijfsobjecten*).
    pub units: u32,
    /// The CBS areas it lies in (by the spatial join at import).
    pub areas: AreaRefs,
}

impl Building {
    /// The construction year, `None` when BAG writes 9999 (unknown).
    pub fn construction_year(&self) -> Option<u16> {
        (self.bouwjaar != UNKNOWN_BOUWJAAR).then_some(self.bouwjaar)
    }
}
