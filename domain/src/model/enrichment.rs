//! Enrichment columns of the model: 3DBAG roof facts per building row and the newest energy label
//! per address row, packed small (ADR 14): a building with roof facts costs 17 bytes more, an
//! address with a label 5. A model without any 3DBAG (or label) import keeps the columns empty.

use crate::{Building3d, EnergyClass, EnergyLabel, LabelDate, RoofType};

use super::{AddressRow, BuildingRow};

/// "Unknown" in an area column.
const NO_AREA: u32 = u32::MAX;
/// "Unknown" in a height column.
const NO_HEIGHT: i16 = i16::MIN;
/// "Unknown" in the energy index column.
const NO_INDEX: u16 = u16::MAX;

/// An area in m² as hundredths (3DBAG writes two decimals), saturating; unknown for `None`.
fn centi(m2: Option<f64>) -> u32 {
    m2.filter(|v| v.is_finite() && *v >= 0.0)
        .map_or(NO_AREA, |v| ((v * 100.0).round() as u32).min(NO_AREA - 1))
}

fn from_centi(v: u32) -> Option<f64> {
    (v != NO_AREA).then(|| f64::from(v) / 100.0)
}

/// A height in m as decimetres, saturating; unknown for `None`.
fn deci(m: Option<f64>) -> i16 {
    m.filter(|v| v.is_finite()).map_or(NO_HEIGHT, |v| {
        (v * 10.0)
            .round()
            .clamp(f64::from(NO_HEIGHT + 1), f64::from(i16::MAX)) as i16
    })
}

fn from_deci(v: i16) -> Option<f64> {
    (v != NO_HEIGHT).then(|| f64::from(v) / 10.0)
}

/// The roof facts of one building, packed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackedRoof {
    flat: u32,
    sloped: u32,
    solar: u32,
    ground: i16,
    roof_70p: i16,
    roof_type: u8,
}

impl PackedRoof {
    pub(crate) fn new(b: &Building3d) -> Self {
        Self {
            flat: centi(b.roof_flat_m2),
            sloped: centi(b.roof_sloped_m2),
            solar: centi(Some(b.solar_suitable_m2())),
            ground: deci(b.ground_m),
            roof_70p: deci(b.roof_70p_m),
            // 0 = "no roof type", but the building has 3DBAG data: rows without any are told
            // apart by NO_DATA below.
            roof_type: b.roof_type.map_or(UNKNOWN_TYPE, RoofType::code),
        }
    }
}

/// `roof_type` of a building without 3DBAG data.
const NO_DATA: u8 = 0;
/// `roof_type` of a building with 3DBAG data but no (known) roof type.
const UNKNOWN_TYPE: u8 = u8::MAX;

/// Roof facts per building row; empty when no 3DBAG was imported.
#[derive(Debug, Default)]
pub(crate) struct RoofColumns {
    flat: Vec<u32>,
    sloped: Vec<u32>,
    solar: Vec<u32>,
    ground: Vec<i16>,
    roof_70p: Vec<i16>,
    roof_type: Vec<u8>,
}

impl RoofColumns {
    /// Columns for `ids` (the sorted building ids) from `(id, facts)`; ids not among the
    /// buildings are dropped (3DBAG covers the whole country, the model one wijk).
    pub(crate) fn attach(ids: &[u64], roofs: Vec<(u64, PackedRoof)>) -> (Self, usize) {
        if roofs.is_empty() {
            return (Self::default(), 0);
        }
        let n = ids.len();
        let mut c = Self {
            flat: vec![NO_AREA; n],
            sloped: vec![NO_AREA; n],
            solar: vec![NO_AREA; n],
            ground: vec![NO_HEIGHT; n],
            roof_70p: vec![NO_HEIGHT; n],
            roof_type: vec![NO_DATA; n],
        };
        let mut attached = 0;
        for (id, r) in roofs {
            let Ok(i) = ids.binary_search(&id) else {
                continue;
            };
            attached += usize::from(c.roof_type[i] == NO_DATA);
            c.flat[i] = r.flat;
            c.sloped[i] = r.sloped;
            c.solar[i] = r.solar;
            c.ground[i] = r.ground;
            c.roof_70p[i] = r.roof_70p;
            c.roof_type[i] = r.roof_type;
        }
        (c, attached)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        (self.flat.capacity() + self.sloped.capacity() + self.solar.capacity()) * 4
            + (self.ground.capacity() + self.roof_70p.capacity()) * 2
            + self.roof_type.capacity()
    }
}

/// 3DBAG's facts about a building as the model keeps them: areas to 0.01 m², heights to 0.1 m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoofFacts {
    /// `b3_dak_type`.
    pub roof_type: Option<RoofType>,
    /// `b3_opp_dak_plat`, m².
    pub flat_m2: Option<f64>,
    /// `b3_opp_dak_schuin`, m².
    pub sloped_m2: Option<f64>,
    /// Roof area suitable for solar panels, m² ([`Building3d::solar_suitable_m2`]).
    pub solar_m2: f64,
    /// `b3_h_maaiveld`, m above NAP.
    pub ground_m: Option<f64>,
    /// `b3_h_dak_70p`, m above NAP.
    pub roof_70p_m: Option<f64>,
}

impl BuildingRow<'_> {
    /// What 3DBAG says about its roof, if 3DBAG was imported for it.
    pub fn roof(&self) -> Option<RoofFacts> {
        let c = &self.model.roofs;
        let i = self.index as usize;
        let code = *c.roof_type.get(i)?;
        (code != NO_DATA).then(|| RoofFacts {
            roof_type: RoofType::from_code(code),
            flat_m2: from_centi(c.flat[i]),
            sloped_m2: from_centi(c.sloped[i]),
            solar_m2: from_centi(c.solar[i]).unwrap_or(0.0),
            ground_m: from_deci(c.ground[i]),
            roof_70p_m: from_deci(c.roof_70p[i]),
        })
    }
}

/// A label packed: class code, index in hundredths, registration date as days since 1990.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PackedLabel {
    class: u8,
    index: u16,
    date: u16,
}

impl PackedLabel {
    pub(crate) fn new(l: &EnergyLabel) -> Self {
        Self {
            class: l.class.code(),
            index: l
                .energy_index
                .filter(|v| v.is_finite() && *v >= 0.0)
                .map_or(NO_INDEX, |v| ((v * 100.0).round() as u16).min(NO_INDEX - 1)),
            date: l.registered.days_since_1990(),
        }
    }
}

/// The newest label per address row; empty when no labels were imported.
#[derive(Debug, Default)]
pub(crate) struct LabelColumns {
    class: Vec<u8>,
    index: Vec<u16>,
    date: Vec<u16>,
}

impl LabelColumns {
    /// Columns for `ids` (the sorted address ids); a later label of the same address wins when
    /// it is newer.
    pub(crate) fn attach(ids: &[u64], labels: Vec<(u64, PackedLabel)>) -> (Self, usize) {
        if labels.is_empty() {
            return (Self::default(), 0);
        }
        let n = ids.len();
        let mut c = Self {
            class: vec![0; n],
            index: vec![NO_INDEX; n],
            date: vec![0; n],
        };
        let mut attached = 0;
        for (id, l) in labels {
            let Ok(i) = ids.binary_search(&id) else {
                continue;
            };
            if c.class[i] != 0 && c.date[i] > l.date {
                continue;
            }
            attached += usize::from(c.class[i] == 0);
            c.class[i] = l.class;
            c.index[i] = l.index;
            c.date[i] = l.date;
        }
        (c, attached)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.class.capacity() + (self.index.capacity() + self.date.capacity()) * 2
    }
}

/// The newest energy label of an address as the model keeps it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelFacts {
    /// `Pand_energieklasse`.
    pub class: EnergyClass,
    /// `Pand_energieindex`, to two decimals.
    pub energy_index: Option<f64>,
    /// `Pand_registratiedatum`.
    pub registered: LabelDate,
}

impl AddressRow<'_> {
    /// Its newest energy label, if EP-Online was imported and has one.
    pub fn energy_label(&self) -> Option<LabelFacts> {
        let c = &self.model.labels;
        let i = self.index as usize;
        let class = EnergyClass::from_code(*c.class.get(i)?)?;
        Some(LabelFacts {
            class,
            energy_index: (c.index[i] != NO_INDEX).then(|| f64::from(c.index[i]) / 100.0),
            registered: LabelDate::from_days_since_1990(c.date[i])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_two_decimals_of_area_and_one_of_height() {
        assert_eq!(from_centi(centi(Some(7.22))), Some(7.22));
        assert_eq!(from_centi(centi(None)), None);
        assert_eq!(from_centi(centi(Some(f64::NAN))), None);
        assert_eq!(from_deci(deci(Some(-0.305))), Some(-0.3));
        assert_eq!(from_deci(deci(Some(9.24))), Some(9.2));
        assert_eq!(from_deci(deci(Some(1e9))), Some(3276.7));
        assert_eq!(from_deci(deci(None)), None);
    }
}
