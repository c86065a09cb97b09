//! Areas (CBS gemeenten, wijken, buurten) in the model.

use crate::{AreaCode, WorldPoint};

use super::Model;

/// One area with its boundary in world units.
#[derive(Debug)]
pub(crate) struct AreaEntry {
    pub(crate) code: AreaCode,
    pub(crate) name: Box<str>,
    /// Polygons; each is its exterior ring followed by holes, oriented as building rings are.
    pub(crate) rings: Vec<Vec<WorldPoint>>,
    pub(crate) label_point: WorldPoint,
    pub(crate) residents: Option<u32>,
    pub(crate) households: Option<u32>,
    pub(crate) share_65_plus: Option<u8>,
    pub(crate) density: Option<u32>,
    pub(crate) bbox: [WorldPoint; 2],
}

/// A view of one area of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub struct AreaRow<'a> {
    pub(crate) model: &'a Model,
    pub(crate) index: u32,
}

impl<'a> AreaRow<'a> {
    fn entry(&self) -> &'a AreaEntry {
        &self.model.areas[self.index as usize]
    }

    /// Row number in the model.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// CBS code.
    pub fn code(&self) -> AreaCode {
        self.entry().code
    }

    /// Name as CBS writes it.
    pub fn name(&self) -> &'a str {
        &self.entry().name
    }

    /// Rings in world units, each exterior followed by its holes.
    pub fn rings(&self) -> impl Iterator<Item = &'a [WorldPoint]> + 'a {
        self.entry().rings.iter().map(Vec::as_slice)
    }

    /// A point inside the area for its label.
    pub fn label_point(&self) -> WorldPoint {
        self.entry().label_point
    }

    /// Bounding box in world units.
    pub fn bbox(&self) -> [WorldPoint; 2] {
        self.entry().bbox
    }

    /// Does `p` lie inside the area (even-odd rule over all its rings, so holes are outside)?
    pub fn contains(&self, p: WorldPoint) -> bool {
        let [lo, hi] = self.bbox();
        if p[0] < lo[0] || p[0] > hi[0] || p[1] < lo[1] || p[1] > hi[1] {
            return false;
        }
        let (x, y) = (f64::from(p[0]), f64::from(p[1]));
        let mut inside = false;
        for ring in self.rings() {
            for (i, a) in ring.iter().enumerate() {
                let b = ring[(i + 1) % ring.len()];
                let (ax, ay) = (f64::from(a[0]), f64::from(a[1]));
                let (bx, by) = (f64::from(b[0]), f64::from(b[1]));
                if (ay > y) != (by > y) && x < (bx - ax) * (y - ay) / (by - ay) + ax {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Residents (*aantal_inwoners*).
    pub fn residents(&self) -> Option<u32> {
        self.entry().residents
    }

    /// Households (*aantal_huishoudens*).
    pub fn households(&self) -> Option<u32> {
        self.entry().households
    }

    /// Share of residents aged 65 and older, whole percent (*percentage_personen_65_jaar_en_ouder*).
    pub fn share_65_plus(&self) -> Option<u8> {
        self.entry().share_65_plus
    }

    /// Residents per km² of land (*bevolkingsdichtheid_inwoners_per_km2*).
    pub fn density(&self) -> Option<u32> {
        self.entry().density
    }
}

impl Model {
    /// The area with CBS code `code`.
    pub fn find_area(&self, code: AreaCode) -> Option<AreaRow<'_>> {
        // Areas are sorted by code at build.
        self.areas
            .binary_search_by_key(&code, |a| a.code)
            .ok()
            .map(|i| AreaRow {
                model: self,
                index: i as u32,
            })
    }

    /// Name of the area with `code`, if loaded.
    pub fn area_name(&self, code: AreaCode) -> Option<&str> {
        self.find_area(code).map(|a| a.name())
    }

    /// The buurt (and its wijk and gemeente) whose boundary holds `p`: the smallest area that
    /// does wins (buurt over wijk over gemeente). Empty outside every area.
    pub fn areas_at(&self, p: crate::WorldPoint) -> crate::AreaRefs {
        let mut best: Option<AreaCode> = None;
        for row in self.areas_in(p, p) {
            let a = AreaRow {
                model: self,
                index: row,
            };
            if a.contains(p) {
                let code = a.code();
                if best.is_none_or(|b| code.kind() > b.kind()) {
                    best = Some(code);
                }
            }
        }
        best.map(crate::AreaRefs::from_code).unwrap_or_default()
    }
}
