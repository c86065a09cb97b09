//! CBS areas (*gemeente*, *wijk*, *buurt*) and the references buildings and addresses keep to them.

use geo::MultiPolygon;

use crate::AreaCode;
pub use crate::id::AreaKind;

/// A CBS area with its boundary in WGS84 and the statistics wijkwerk uses.
/// CBS's negative "suppressed" sentinels are stored as `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// CBS code (`GMgggg`, `WKggggww`, `BUggggwwbb`).
    pub code: AreaCode,
    /// Name (*buurtnaam*, *wijknaam*, *gemeentenaam*).
    pub name: String,
    /// Boundary, WGS84 lon/lat.
    pub boundary_wgs84: MultiPolygon<f64>,
    /// Residents (*aantal_inwoners*), `None` when unknown or suppressed.
    pub residents: Option<u32>,
    /// Households (*aantal_huishoudens*), `None` when unknown or suppressed.
    pub households: Option<u32>,
    /// Share of residents aged 65 and older, in whole percent 0–100
    /// (*percentage_personen_65_jaar_en_ouder*), `None` when unknown or suppressed.
    pub share_65_plus: Option<u8>,
    /// Residents per km² of land (*bevolkingsdichtheid_inwoners_per_km2*), `None` when unknown
    /// or suppressed.
    pub density: Option<u32>,
}

/// The CBS areas an object lies in, found by the spatial join at import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AreaRefs {
    /// The buurt, `BU…`.
    pub buurt: Option<AreaCode>,
    /// The wijk, `WK…`.
    pub wijk: Option<AreaCode>,
    /// The gemeente, `GM…`.
    pub gemeente: Option<AreaCode>,
}

impl AreaRefs {
    /// References derived from the smallest containing area: a buurt implies its wijk and gemeente.
    pub fn from_code(code: AreaCode) -> Self {
        Self {
            buurt: (code.kind() == AreaKind::Buurt).then_some(code),
            wijk: code.wijk(),
            gemeente: Some(code.gemeente()),
        }
    }
}
