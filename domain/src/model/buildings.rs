//! Building columns and the row view over them.

use crate::{AreaRefs, BagId, BuildingId, BuildingStatus, UsageSet, WorldPoint};

use super::Model;

/// Buildings in columns; row `i` of every column is the same building. Sorted by id.
#[derive(Debug, Default)]
pub(crate) struct BuildingColumns {
    pub(crate) ids: Vec<u64>,
    pub(crate) bouwjaar: Vec<u16>,
    pub(crate) status: Vec<u8>,
    pub(crate) usage: Vec<u16>,
    pub(crate) units: Vec<u16>,
    pub(crate) area_ref: Vec<u32>,
    /// Rings of building `i` are `ring_start[i]..ring_start[i + 1]` (one extra entry at the end).
    pub(crate) ring_start: Vec<u32>,
    /// Vertices of ring `r` are `vertex_start[r]..vertex_start[r + 1]` (one extra entry at the end).
    pub(crate) vertex_start: Vec<u32>,
    pub(crate) vertices: Vec<WorldPoint>,
    /// Addresses of building `i` are `address_links[address_start[i]..address_start[i + 1]]`.
    pub(crate) address_start: Vec<u32>,
    pub(crate) address_links: Vec<u32>,
}

impl BuildingColumns {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.bouwjaar.capacity() * 2
            + self.status.capacity()
            + self.usage.capacity() * 2
            + self.units.capacity() * 2
            + self.area_ref.capacity() * 4
            + self.ring_start.capacity() * 4
            + self.vertex_start.capacity() * 4
            + self.vertices.capacity() * 8
            + self.address_start.capacity() * 4
            + self.address_links.capacity() * 4
    }

    /// Row of the building with `id`, by binary search.
    pub(crate) fn find(&self, id: BuildingId) -> Option<u32> {
        self.ids.binary_search(&id.get()).ok().map(|i| i as u32)
    }
}

/// One ring of a footprint in world units, not closed (the last vertex is not the first repeated).
/// Exterior rings have a positive shoelace area in y-south coordinates, holes a negative one.
#[derive(Debug, Clone, Copy)]
pub struct Ring<'a>(pub &'a [WorldPoint]);

impl Ring<'_> {
    /// Whether this is an exterior ring (otherwise a hole of the exterior before it).
    pub fn is_exterior(&self) -> bool {
        crate::mercator::signed_area2(self.0) > 0
    }
}

/// A view of one building of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub struct BuildingRow<'a> {
    pub(crate) model: &'a Model,
    pub(crate) index: u32,
}

impl<'a> BuildingRow<'a> {
    fn cols(&self) -> &'a BuildingColumns {
        &self.model.buildings
    }

    /// Row number in the model.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// BAG identificatie.
    pub fn id(&self) -> BuildingId {
        BagId::new(self.cols().ids[self.index as usize])
            .unwrap_or_else(|| unreachable!("ids are validated at build"))
    }

    /// Construction year as registered (9999 = unknown).
    pub fn bouwjaar(&self) -> u16 {
        self.cols().bouwjaar[self.index as usize]
    }

    /// BAG status.
    pub fn status(&self) -> BuildingStatus {
        BuildingStatus::from_code(self.cols().status[self.index as usize])
            .unwrap_or(BuildingStatus::InUse)
    }

    /// Gebruiksdoelen.
    pub fn usage(&self) -> UsageSet {
        UsageSet::from_bits(self.cols().usage[self.index as usize])
    }

    /// Number of verblijfsobjecten (saturates at 65,535).
    pub fn units(&self) -> u32 {
        u32::from(self.cols().units[self.index as usize])
    }

    /// The areas it lies in.
    pub fn areas(&self) -> AreaRefs {
        self.model.area_refs[self.cols().area_ref[self.index as usize] as usize]
    }

    /// The rings of its footprint, each exterior followed by its holes.
    pub fn rings(&self) -> impl Iterator<Item = Ring<'a>> + 'a {
        let cols = self.cols();
        let i = self.index as usize;
        (cols.ring_start[i]..cols.ring_start[i + 1]).map(move |r| {
            let r = r as usize;
            Ring(&cols.vertices[cols.vertex_start[r] as usize..cols.vertex_start[r + 1] as usize])
        })
    }

    /// Row numbers of its addresses.
    pub fn address_rows(&self) -> &'a [u32] {
        let cols = self.cols();
        let i = self.index as usize;
        &cols.address_links[cols.address_start[i] as usize..cols.address_start[i + 1] as usize]
    }
}

impl Model {
    /// The building with BAG id `id`, if it is in the model.
    pub fn find_building(&self, id: BuildingId) -> Option<BuildingRow<'_>> {
        self.buildings
            .find(id)
            .map(|index| BuildingRow { model: self, index })
    }
}
