//! A BAG *verblijfsobject* with its *nummeraanduiding*: an address with a location.

use geo::Point;

use crate::{AddressId, AddressStatus, AreaRefs, BuildingId, UsageSet};

/// An address: a verblijfsobject (or ligplaats/standplaats) joined with its main nummeraanduiding,
/// openbare ruimte and woonplaats. Texts are kept byte for byte as the register writes them.
#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    /// BAG identificatie of the verblijfsobject.
    pub id: AddressId,
    /// Location, WGS84 lon/lat.
    pub location_wgs84: Point<f64>,
    /// Street (*openbare_ruimte_naam*).
    pub street: String,
    /// House number (*huisnummer*).
    pub house_number: u32,
    /// House letter (*huisletter*).
    pub house_letter: Option<String>,
    /// House number addition (*huisnummertoevoeging*).
    pub addition: Option<String>,
    /// Postcode, `1234AB`.
    pub postcode: Option<String>,
    /// Place (*woonplaats_naam*).
    pub place: String,
    /// Life-cycle status.
    pub status: AddressStatus,
    /// Gebruiksdoelen.
    pub usage: UsageSet,
    /// Floor area in m² (*oppervlakte*).
    pub floor_area_m2: Option<u32>,
    /// The panden it lies in (a verblijfsobject may lie in more than one).
    pub building_ids: Vec<BuildingId>,
    /// The CBS areas it lies in.
    pub areas: AreaRefs,
}

impl Address {
    /// The address as one line: `'s-Gravenweg 12A-2, 6981AB Doesburg`.
    pub fn label(&self) -> String {
        let mut s = format!("{} {}", self.street, self.house_number);
        if let Some(l) = &self.house_letter {
            s.push_str(l);
        }
        if let Some(a) = &self.addition {
            s.push('-');
            s.push_str(a);
        }
        s.push_str(", ");
        if let Some(p) = &self.postcode {
            s.push_str(p);
            s.push(' ');
        }
        s.push_str(&self.place);
        s
    }
}
