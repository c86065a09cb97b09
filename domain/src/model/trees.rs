//! Trees from municipal registers: their own rows, sorted by [`TreeId`], with an R-tree of points.

use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::{AreaRefs, Tree, TreeId, WorldPoint, lonlat_to_world};

use super::{Model, PointEntry, Strings, TreeParams};

/// A report that names a register tree is about the tree with that number nearest to its point,
/// at most this far (metres).
pub const TREE_LINK_METRES: f64 = 50.0;

/// Trees in columns, sorted by id. Numbers and species are interned in the model's strings.
#[derive(Debug, Default)]
pub(crate) struct TreeColumns {
    pub(crate) ids: Vec<u64>,
    pub(crate) points: Vec<WorldPoint>,
    pub(crate) number: Vec<u32>,
    pub(crate) species: Vec<u32>,
    /// Year planted, 0 when unknown.
    pub(crate) planted: Vec<u16>,
    /// Index into the model's area refs (set once the areas are known, at build).
    pub(crate) area_ref: Vec<u32>,
}

impl TreeColumns {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn push(&mut self, t: &Tree, strings: &mut Strings) {
        self.ids.push(t.id.get());
        self.points
            .push(lonlat_to_world(t.location_wgs84.x(), t.location_wgs84.y()));
        self.number.push(strings.intern(&t.number));
        self.species
            .push(strings.intern(t.species.as_deref().unwrap_or("")));
        self.planted.push(t.planting_year.unwrap_or(0));
    }

    /// Sorts by id (a later row of the same id wins) and indexes the points.
    pub(crate) fn build(self) -> (Self, RTree<PointEntry, TreeParams>) {
        let order = super::builder::order_of(&self.ids);
        let sorted = Self {
            ids: super::builder::permute(&self.ids, &order),
            points: super::builder::permute(&self.points, &order),
            number: super::builder::permute(&self.number, &order),
            species: super::builder::permute(&self.species, &order),
            planted: super::builder::permute(&self.planted, &order),
            area_ref: Vec::new(),
        };
        let tree = RTree::bulk_load_with_params(
            sorted
                .points
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new(*p, i as u32))
                .collect(),
        );
        (sorted, tree)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.ids.capacity() * 8
            + self.points.capacity() * 8
            + (self.number.capacity() + self.species.capacity()) * 4
            + self.planted.capacity() * 2
            + self.area_ref.capacity() * 4
    }
}

/// A view of one tree of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub struct TreeRow<'a> {
    pub(crate) model: &'a Model,
    pub(crate) index: u32,
}

impl<'a> TreeRow<'a> {
    fn cols(&self) -> &'a TreeColumns {
        &self.model.trees
    }

    /// Row number in the model.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// wijkwerk's id.
    pub fn id(&self) -> TreeId {
        TreeId(self.cols().ids[self.index as usize])
    }

    /// Where it stands, in world units.
    pub fn point(&self) -> WorldPoint {
        self.cols().points[self.index as usize]
    }

    /// The register's own number.
    pub fn number(&self) -> &'a str {
        self.model
            .strings
            .get(self.cols().number[self.index as usize])
    }

    /// Species, as the register writes it.
    pub fn species(&self) -> Option<&'a str> {
        let i = self.cols().species[self.index as usize];
        (i != Strings::EMPTY).then(|| self.model.strings.get(i))
    }

    /// The areas it stands in (from the CBS boundaries).
    pub fn areas(&self) -> AreaRefs {
        self.cols()
            .area_ref
            .get(self.index as usize)
            .map(|r| self.model.area_refs[*r as usize])
            .unwrap_or_default()
    }

    /// Year planted.
    pub fn planting_year(&self) -> Option<u16> {
        let y = self.cols().planted[self.index as usize];
        (y != 0).then_some(y)
    }
}

impl Model {
    /// Number of trees.
    pub fn tree_count(&self) -> usize {
        self.trees.len()
    }

    /// The tree in row `index`. Panics if out of range: rows come from this model's queries.
    pub fn tree(&self, index: u32) -> TreeRow<'_> {
        assert!(
            (index as usize) < self.trees.len(),
            "tree row {index} out of range"
        );
        TreeRow { model: self, index }
    }

    /// The tree with `id`, if it is in the model.
    pub fn find_tree(&self, id: TreeId) -> Option<TreeRow<'_>> {
        self.trees
            .ids
            .binary_search(&id.get())
            .ok()
            .map(|i| TreeRow {
                model: self,
                index: i as u32,
            })
    }

    /// Trees inside `[min, max]` (inclusive, world units).
    pub fn trees_in(&self, min: WorldPoint, max: WorldPoint) -> impl Iterator<Item = u32> + '_ {
        let env = rstar::AABB::from_corners(min, max);
        self.tree_tree.locate_in_envelope(&env).map(|e| e.data)
    }

    /// The tree with the register number `number` nearest to `p` within `metres` (the work and
    /// the map use [`TREE_LINK_METRES`]): the tree a report names. Register numbers repeat across
    /// registers and places; the point tells them apart.
    pub fn tree_named_near(&self, number: &str, p: WorldPoint, metres: f64) -> Option<TreeRow<'_>> {
        let number = number.trim();
        let r = (metres * super::streets::units_per_metre(p[1])).ceil() as i32;
        let lo = [p[0].saturating_sub(r), p[1].saturating_sub(r)];
        let hi = [p[0].saturating_add(r), p[1].saturating_add(r)];
        let r2 = f64::from(r) * f64::from(r);
        self.trees_in(lo, hi)
            .map(|i| self.tree(i))
            .filter(|t| t.number() == number)
            .map(|t| {
                let q = t.point();
                let (dx, dy) = (f64::from(q[0] - p[0]), f64::from(q[1] - p[1]));
                (dx * dx + dy * dy, t)
            })
            .filter(|(d2, _)| *d2 <= r2)
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.index().cmp(&b.1.index())))
            .map(|(_, t)| t)
    }
}
