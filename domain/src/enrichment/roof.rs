//! 3DBAG: the roof and heights of a pand, and which of its roof is suitable for solar panels.

use std::fmt;

use crate::BuildingId;

/// Roof parts sloping at most this much (degrees) count as flat.
pub const FLAT_SLOPE_DEG: f64 = 5.0;
/// Sloped roof parts facing between south-east and south-west (azimuth in degrees clockwise from
/// north, inclusive) are suitable for solar panels …
pub const SOLAR_AZIMUTH_DEG: (f64, f64) = (112.5, 247.5);
/// … when they slope at most this much (degrees). Flat parts are suitable whatever they face.
pub const SOLAR_MAX_SLOPE_DEG: f64 = 60.0;

/// 3DBAG's `b3_dak_type`: the kind of roof found in the point cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoofType {
    /// `slanted`: at least one sloped part.
    Slanted,
    /// `multiple horizontal`: several flat parts at different heights.
    MultipleHorizontal,
    /// `single horizontal`: one flat part.
    SingleHorizontal,
    /// `horizontal`: flat (the 2024 releases write this instead of the single/multiple split).
    Horizontal,
    /// `no points`: no points of the building in the point cloud.
    NoPoints,
    /// `could not detect`: points, but no roof plane found.
    CouldNotDetect,
}

impl RoofType {
    /// Every roof type, in code order.
    pub const ALL: [Self; 6] = [
        Self::Slanted,
        Self::MultipleHorizontal,
        Self::SingleHorizontal,
        Self::Horizontal,
        Self::NoPoints,
        Self::CouldNotDetect,
    ];

    /// The text 3DBAG writes.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Slanted => "slanted",
            Self::MultipleHorizontal => "multiple horizontal",
            Self::SingleHorizontal => "single horizontal",
            Self::Horizontal => "horizontal",
            Self::NoPoints => "no points",
            Self::CouldNotDetect => "could not detect",
        }
    }

    /// A small code (1…6) for compact columns; 0 is left for "no 3DBAG data".
    pub fn code(self) -> u8 {
        match self {
            Self::Slanted => 1,
            Self::MultipleHorizontal => 2,
            Self::SingleHorizontal => 3,
            Self::Horizontal => 4,
            Self::NoPoints => 5,
            Self::CouldNotDetect => 6,
        }
    }

    /// The roof type with `code`.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The roof type 3DBAG writes as `text` (case and surrounding space ignored).
    pub fn from_3dbag(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(t))
    }
}

impl fmt::Display for RoofType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One part (plane) of an LoD2.2 roof.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoofPart {
    /// `b3_azimut`: the direction it faces, degrees clockwise from north (0 ≤ a < 360).
    pub azimuth_deg: Option<f64>,
    /// `b3_hellingshoek`: its slope, degrees (0 flat … 90 vertical).
    pub slope_deg: Option<f64>,
    /// Its area along the slope, m².
    pub area_m2: f64,
}

impl RoofPart {
    /// Whether it is flat ([`FLAT_SLOPE_DEG`] or less).
    pub fn is_flat(&self) -> bool {
        self.slope_deg.is_some_and(|s| s <= FLAT_SLOPE_DEG)
    }

    /// Whether solar panels fit it: flat, or facing between south-east and south-west
    /// ([`SOLAR_AZIMUTH_DEG`]) at a slope of at most [`SOLAR_MAX_SLOPE_DEG`]. A part whose slope is
    /// unknown is not counted.
    ///
    /// ```
    /// use domain::RoofPart;
    /// let part = |a, s| RoofPart { azimuth_deg: Some(a), slope_deg: Some(s), area_m2: 10.0 };
    /// assert!(part(180.0, 35.0).suitable_for_solar());
    /// assert!(part(112.5, 60.0).suitable_for_solar());
    /// assert!(!part(90.0, 35.0).suitable_for_solar(), "east");
    /// assert!(!part(200.0, 70.0).suitable_for_solar(), "too steep");
    /// assert!(part(0.0, 2.0).suitable_for_solar(), "flat, facing anywhere");
    /// ```
    pub fn suitable_for_solar(&self) -> bool {
        let Some(slope) = self.slope_deg else {
            return false;
        };
        if slope <= FLAT_SLOPE_DEG {
            return true;
        }
        let (from, to) = SOLAR_AZIMUTH_DEG;
        slope <= SOLAR_MAX_SLOPE_DEG && self.azimuth_deg.is_some_and(|a| (from..=to).contains(&a))
    }
}

/// 3DBAG's facts about one pand.
#[derive(Debug, Clone, PartialEq)]
pub struct Building3d {
    /// The pand (from `NL.IMBAG.Pand.<16 digits>`).
    pub id: BuildingId,
    /// `b3_dak_type`.
    pub roof_type: Option<RoofType>,
    /// `b3_opp_dak_plat`: area of the flat roof parts, m².
    pub roof_flat_m2: Option<f64>,
    /// `b3_opp_dak_schuin`: area of the sloped roof parts, m².
    pub roof_sloped_m2: Option<f64>,
    /// `b3_h_maaiveld`: ground level, m above NAP.
    pub ground_m: Option<f64>,
    /// `b3_h_dak_70p`: the 70th percentile of the roof's height, m above NAP.
    pub roof_70p_m: Option<f64>,
    /// The LoD2.2 roof parts.
    pub parts: Vec<RoofPart>,
}

impl Building3d {
    /// The roof area suitable for solar panels, m²: the parts that are
    /// ([`RoofPart::suitable_for_solar`]); without parts, the flat area alone.
    pub fn solar_suitable_m2(&self) -> f64 {
        if self.parts.is_empty() {
            return self.roof_flat_m2.unwrap_or(0.0);
        }
        self.parts
            .iter()
            .filter(|p| p.suitable_for_solar())
            .map(|p| p.area_m2)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roof_types_read_3dbag_text_and_round_trip_codes() {
        for t in RoofType::ALL {
            assert_eq!(RoofType::from_3dbag(t.as_str()), Some(t));
            assert_eq!(RoofType::from_code(t.code()), Some(t));
        }
        assert_eq!(
            RoofType::from_3dbag(" Multiple Horizontal "),
            Some(RoofType::MultipleHorizontal)
        );
        assert_eq!(RoofType::from_3dbag("dome"), None);
        assert_eq!(RoofType::from_code(0), None);
    }

    #[test]
    fn suitable_area_sums_suitable_parts_or_falls_back_to_the_flat_area() {
        let id = crate::BagId::new(1).unwrap();
        let mut b = Building3d {
            id,
            roof_type: Some(RoofType::Slanted),
            roof_flat_m2: Some(12.0),
            roof_sloped_m2: Some(60.0),
            ground_m: None,
            roof_70p_m: None,
            parts: Vec::new(),
        };
        assert!((b.solar_suitable_m2() - 12.0).abs() < 1e-9);
        let part = |a, s, area| RoofPart {
            azimuth_deg: Some(a),
            slope_deg: Some(s),
            area_m2: area,
        };
        b.parts = vec![
            part(180.0, 40.0, 30.0),
            part(0.0, 40.0, 30.0),
            part(0.0, 0.0, 12.0),
        ];
        assert!((b.solar_suitable_m2() - 42.0).abs() < 1e-9);
    }
}
