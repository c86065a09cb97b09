//! The in-memory serving model: every drawable building, address and area, projected once to
//! fixed-point Web Mercator and packed in columns, with R-trees for bounding-box queries.
//!
//! Memory is the design constraint (the Netherlands has ~10.5 M panden): a building costs its id,
//! five small attribute columns, its vertices at 8 bytes each and one R-tree leaf — no per-building
//! allocation. Rings are stored oriented the way Mapbox Vector Tiles want them (exterior rings with a
//! positive shoelace area in y-south coordinates, holes negative), so no flag says which is which.

mod addresses;
mod areas;
mod builder;
mod buildings;
mod enrichment;
mod search;
mod streets;
mod trees;

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

pub use addresses::AddressRow;
pub use areas::AreaRow;
pub use builder::ModelBuilder;
pub use buildings::{BuildingRow, Ring};
pub use enrichment::{LabelFacts, RoofFacts};
pub use search::{Found, GroupHit, SearchHit, fold_name, near_prefix};
pub use streets::StreetLineRow;
pub use trees::{TREE_LINK_METRES, TreeRow};

use crate::{AreaRefs, WorldPoint};

/// Node sizes of the model's R-trees. Fuller nodes than rstar's default (3..=6): a tile's search
/// visits fewer nodes, and the trees are never changed after the bulk load, which is where small
/// nodes would pay off.
#[derive(Debug)]
pub(crate) struct TreeParams;

impl rstar::RTreeParams for TreeParams {
    const MIN_SIZE: usize = NODE_MIN;
    const MAX_SIZE: usize = NODE_MAX;
    const REINSERTION_COUNT: usize = 2;
    type DefaultInsertionStrategy = rstar::RStarInsertionStrategy;
}
const NODE_MIN: usize = 12;
const NODE_MAX: usize = 32;

/// An R-tree leaf: a bounding box in world units with the row it belongs to.
pub(crate) type BoxEntry = GeomWithData<Rectangle<WorldPoint>, u32>;
/// An R-tree leaf: a point in world units with the row it belongs to.
pub(crate) type PointEntry = GeomWithData<WorldPoint, u32>;

/// Strings that repeat (street names, places, postcodes), stored once.
#[derive(Debug, Default)]
pub(crate) struct Strings {
    values: Vec<Box<str>>,
    /// `values` folded for search (lower case, no diacritics), filled by `freeze`.
    folded: Vec<Box<str>>,
    lookup: std::collections::HashMap<Box<str>, u32>,
}

impl Strings {
    /// Index of the empty string (always present).
    pub(crate) const EMPTY: u32 = 0;

    fn new() -> Self {
        let mut s = Self::default();
        s.intern("");
        s
    }

    pub(crate) fn intern(&mut self, value: &str) -> u32 {
        if let Some(&i) = self.lookup.get(value) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(value.into());
        self.lookup.insert(value.into(), i);
        i
    }

    pub(crate) fn get(&self, i: u32) -> &str {
        self.values.get(i as usize).map_or("", |s| s)
    }

    pub(crate) fn len(&self) -> usize {
        self.values.len()
    }

    /// The folded form of string `i` (see `search::fold`).
    pub(crate) fn folded(&self, i: u32) -> &str {
        self.folded.get(i as usize).map_or("", |s| s)
    }

    /// Drops the lookup table once building is done (only `get` is needed to serve) and folds
    /// every string once for search.
    fn freeze(&mut self) {
        self.lookup = std::collections::HashMap::new();
        self.values.shrink_to_fit();
        self.folded = self
            .values
            .iter()
            .map(|v| search::fold(v).into_boxed_str())
            .collect();
    }
}

/// The serving model. Immutable once built; rebuilt (and swapped) to change.
#[derive(Debug)]
pub struct Model {
    pub(crate) buildings: buildings::BuildingColumns,
    pub(crate) building_tree: RTree<BoxEntry, TreeParams>,
    pub(crate) addresses: addresses::AddressColumns,
    pub(crate) address_tree: RTree<PointEntry, TreeParams>,
    pub(crate) areas: Vec<areas::AreaEntry>,
    pub(crate) area_tree: RTree<BoxEntry, TreeParams>,
    /// Distinct area references, indexed by buildings and addresses.
    pub(crate) area_refs: Vec<AreaRefs>,
    pub(crate) strings: Strings,
    /// 3DBAG per building row (empty without a 3DBAG import).
    pub(crate) roofs: enrichment::RoofColumns,
    /// The newest energy label per address row (empty without an EP-Online import).
    pub(crate) labels: enrichment::LabelColumns,
    pub(crate) trees: trees::TreeColumns,
    pub(crate) tree_tree: RTree<PointEntry, TreeParams>,
    /// Where street names are written, derived from the addresses.
    pub(crate) streets: streets::StreetLines,
}

/// Counts of what a model holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelStats {
    /// Drawable buildings.
    pub buildings: usize,
    /// Vertices of all footprints.
    pub vertices: usize,
    /// Addresses.
    pub addresses: usize,
    /// Areas (buurten, wijken, gemeenten).
    pub areas: usize,
    /// Buildings with 3DBAG roof facts.
    pub buildings_3d: usize,
    /// Addresses with an energy label.
    pub energy_labels: usize,
    /// Trees.
    pub trees: usize,
}

impl Model {
    /// An empty model.
    pub fn empty() -> Self {
        ModelBuilder::default().build()
    }

    /// What the model holds.
    pub fn stats(&self) -> ModelStats {
        ModelStats {
            buildings: self.buildings.len(),
            vertices: self.buildings.vertices.len(),
            addresses: self.addresses.len(),
            areas: self.areas.len(),
            buildings_3d: self.building_rows().filter(|b| b.roof().is_some()).count(),
            energy_labels: self
                .address_rows()
                .filter(|a| a.energy_label().is_some())
                .count(),
            trees: self.trees.len(),
        }
    }

    /// Number of buildings.
    pub fn building_count(&self) -> usize {
        self.buildings.len()
    }

    /// Number of addresses.
    pub fn address_count(&self) -> usize {
        self.addresses.len()
    }

    /// Number of areas.
    pub fn area_count(&self) -> usize {
        self.areas.len()
    }

    /// The building in row `index`. Panics if out of range: rows come from this model's queries.
    pub fn building(&self, index: u32) -> BuildingRow<'_> {
        assert!(
            (index as usize) < self.buildings.len(),
            "building row {index} out of range"
        );
        BuildingRow { model: self, index }
    }

    /// The address in row `index`.
    pub fn address(&self, index: u32) -> AddressRow<'_> {
        assert!(
            (index as usize) < self.addresses.len(),
            "address row {index} out of range"
        );
        AddressRow { model: self, index }
    }

    /// The area in row `index`.
    pub fn area(&self, index: u32) -> AreaRow<'_> {
        assert!(
            (index as usize) < self.areas.len(),
            "area row {index} out of range"
        );
        AreaRow { model: self, index }
    }

    /// Buildings whose bounding box intersects `[min, max]` (inclusive, world units),
    /// each with its bounding box.
    pub fn buildings_in(
        &self,
        min: WorldPoint,
        max: WorldPoint,
    ) -> impl Iterator<Item = (u32, [WorldPoint; 2])> + '_ {
        let env = rstar::AABB::from_corners(min, max);
        self.building_tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| {
                let r = e.geom();
                (e.data, [r.lower(), r.upper()])
            })
    }

    /// Addresses inside `[min, max]` (inclusive, world units).
    pub fn addresses_in(&self, min: WorldPoint, max: WorldPoint) -> impl Iterator<Item = u32> + '_ {
        let env = rstar::AABB::from_corners(min, max);
        self.address_tree.locate_in_envelope(&env).map(|e| e.data)
    }

    /// Areas whose bounding box intersects `[min, max]`.
    pub fn areas_in(&self, min: WorldPoint, max: WorldPoint) -> impl Iterator<Item = u32> + '_ {
        let env = rstar::AABB::from_corners(min, max);
        self.area_tree
            .locate_in_envelope_intersecting(&env)
            .map(|e| e.data)
    }

    /// All building rows in id order.
    pub fn building_rows(&self) -> impl Iterator<Item = BuildingRow<'_>> {
        (0..self.buildings.len() as u32).map(|index| BuildingRow { model: self, index })
    }

    /// All address rows in id order.
    pub fn address_rows(&self) -> impl Iterator<Item = AddressRow<'_>> {
        (0..self.addresses.len() as u32).map(|index| AddressRow { model: self, index })
    }

    /// All area rows, gemeenten first, then wijken, then buurten, each by code.
    pub fn area_rows(&self) -> impl Iterator<Item = AreaRow<'_>> {
        (0..self.areas.len() as u32).map(|index| AreaRow { model: self, index })
    }

    /// Approximate heap bytes held by the model (columns, trees, areas, strings); for benchmarks.
    pub fn heap_bytes(&self) -> usize {
        // rstar keeps every leaf in an `RTreeNode`, an enum as large as an inner node (40 bytes on
        // 64-bit, not the 12 or 20 of the entry); inner nodes add about one slot per NODE_MAX leaves.
        let tree = |leaves: usize, slot: usize| leaves * slot * (NODE_MAX + 1) / NODE_MAX;
        let box_slot = std::mem::size_of::<rstar::RTreeNode<BoxEntry>>();
        let point_slot = std::mem::size_of::<rstar::RTreeNode<PointEntry>>();
        self.buildings.heap_bytes()
            + self.addresses.heap_bytes()
            + tree(self.building_tree.size(), box_slot)
            + tree(self.address_tree.size(), point_slot)
            + tree(self.area_tree.size(), box_slot)
            + tree(self.tree_tree.size(), point_slot)
            + self.roofs.heap_bytes()
            + self.labels.heap_bytes()
            + self.trees.heap_bytes()
            + self.streets.heap_bytes()
            + self
                .areas
                .iter()
                .flat_map(|a| &a.rings)
                .map(|r| r.capacity() * std::mem::size_of::<WorldPoint>() + 24)
                .sum::<usize>()
            + self.area_refs.capacity() * std::mem::size_of::<AreaRefs>()
            + self
                .strings
                .values
                .iter()
                .map(|s| s.len() + 16)
                .sum::<usize>()
    }
}
