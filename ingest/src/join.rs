//! The spatial join: which CBS buurt, wijk and gemeente a building or an address lies in.
//!
//! Areas (WGS84) are prepared once per import: each boundary becomes an interval-tree polygon
//! (geo's [`IntervalTreeMultiPolygon`], O(log n) point-in-polygon instead of a walk over every
//! edge) and its bounding box goes into an R-tree. A query takes the areas whose box holds the
//! point, tries them finest level first and smallest first, and the first that contains the point
//! wins; its code gives the coarser levels ([`AreaRefs::from_code`]), so a point in a buurt also
//! gets that buurt's wijk and gemeente, and the join works when only wijken or gemeenten are loaded.
//!
//! A building is represented by its interior point (geo [`InteriorPoint`]), which lies inside the
//! footprint even for an L- or U-shaped pand, where the centroid may not.

use domain::{Address, Area, AreaCode, AreaKind, AreaRefs, Building};
use geo::indexed::IntervalTreeMultiPolygon;
use store::ImportTx;

use crate::{Progress, Result};
use geo::{Area as _, BoundingRect, Contains, InteriorPoint, Intersects, MultiPolygon, Point};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

/// One area ready for point queries.
struct PreparedArea {
    code: AreaCode,
    /// Finest level first, then smallest first: the order candidates are tried in.
    rank: (u8, f64),
    polygon: IntervalTreeMultiPolygon<f64>,
    /// Kept for the on-the-boundary fallback (`Intersects` includes the boundary).
    boundary: MultiPolygon<f64>,
}

type AreaBox = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Every loaded area, indexed for the spatial join. Cheap to share between threads.
pub struct AreaIndex {
    areas: Vec<PreparedArea>,
    tree: RTree<AreaBox>,
}

impl std::fmt::Debug for AreaIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AreaIndex")
            .field("areas", &self.areas.len())
            .finish_non_exhaustive()
    }
}

fn level(kind: AreaKind) -> u8 {
    match kind {
        AreaKind::Buurt => 0,
        AreaKind::Wijk => 1,
        AreaKind::Gemeente => 2,
    }
}

impl AreaIndex {
    /// Prepares `areas` (in parallel). Areas without a boundary are left out.
    pub fn new(areas: &[Area]) -> Self {
        let prepared: Vec<(PreparedArea, Rectangle<[f64; 2]>)> = areas
            .par_iter()
            .filter_map(|a| {
                let rect = a.boundary_wgs84.bounding_rect()?;
                let area = PreparedArea {
                    code: a.code,
                    rank: (level(a.code.kind()), a.boundary_wgs84.unsigned_area()),
                    polygon: IntervalTreeMultiPolygon::new(&a.boundary_wgs84),
                    boundary: a.boundary_wgs84.clone(),
                };
                let corners = Rectangle::from_corners(
                    [rect.min().x, rect.min().y],
                    [rect.max().x, rect.max().y],
                );
                Some((area, corners))
            })
            .collect();
        let mut boxes = Vec::with_capacity(prepared.len());
        let mut list = Vec::with_capacity(prepared.len());
        for (i, (area, rect)) in prepared.into_iter().enumerate() {
            boxes.push(GeomWithData::new(rect, i as u32));
            list.push(area);
        }
        Self {
            areas: list,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// How many areas take part.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// Whether no area is loaded (every join then gives empty references).
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The smallest area containing `p` (WGS84), if any.
    pub fn area_at(&self, p: Point<f64>) -> Option<AreaCode> {
        if self.areas.is_empty() || !(p.x().is_finite() && p.y().is_finite()) {
            return None;
        }
        let mut candidates: Vec<&PreparedArea> = self
            .tree
            .locate_all_at_point(&[p.x(), p.y()])
            .map(|b| &self.areas[b.data as usize])
            .collect();
        if candidates.is_empty() {
            return None;
        }
        candidates.sort_by(|a, b| a.rank.0.cmp(&b.rank.0).then(a.rank.1.total_cmp(&b.rank.1)));
        // Level by level, finest first: an interior hit, else (a point exactly on a boundary is in
        // no interior) the first area whose closed boundary touches it.
        candidates
            .chunk_by(|a, b| a.rank.0 == b.rank.0)
            .find_map(|level| {
                level
                    .iter()
                    .find(|a| a.polygon.contains(&p))
                    .or_else(|| level.iter().find(|a| a.boundary.intersects(&p)))
            })
            .map(|a| a.code)
    }

    /// The areas a point lies in.
    pub fn refs_at(&self, p: Point<f64>) -> AreaRefs {
        self.area_at(p).map(AreaRefs::from_code).unwrap_or_default()
    }

    /// The areas a footprint lies in, by its interior point.
    pub fn refs_of_footprint(&self, footprint_wgs84: &MultiPolygon<f64>) -> AreaRefs {
        if self.areas.is_empty() {
            return AreaRefs::default();
        }
        interior_point(footprint_wgs84)
            .map(|p| self.refs_at(p))
            .unwrap_or_default()
    }

    /// The areas a building lies in.
    pub fn building_refs(&self, building: &Building) -> AreaRefs {
        self.refs_of_footprint(&building.footprint_wgs84)
    }

    /// The areas an address lies in.
    pub fn address_refs(&self, address: &Address) -> AreaRefs {
        self.refs_at(address.location_wgs84)
    }
}

/// A point inside a footprint: the middle of the widest stretch of the horizontal line through
/// the middle of its bounding box (the scanline rule of geo's [`InteriorPoint`]), computed directly
/// from the edges: a pand has a handful of vertices, and geo's general segment-intersection
/// machinery costs some twenty times more. Degenerate shapes fall back to geo.
fn interior_point(footprint: &MultiPolygon<f64>) -> Option<Point<f64>> {
    let mut best: Option<(f64, Point<f64>)> = None;
    let mut crossings = Vec::new();
    for polygon in &footprint.0 {
        let Some(rect) = polygon.exterior().bounding_rect() else {
            continue;
        };
        let y = f64::midpoint(rect.min().y, rect.max().y);
        crossings.clear();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for edge in ring.lines() {
                let (a, b) = (edge.start, edge.end);
                // Half-open rule: an edge counts when exactly one end lies above the line, so a
                // vertex on the line is counted once (or not at all at a spike).
                if (a.y > y) != (b.y > y) {
                    crossings.push(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
                }
            }
        }
        if crossings.len() < 2 || crossings.len() % 2 != 0 {
            continue;
        }
        crossings.sort_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let width = pair[1] - pair[0];
            if width > 0.0 && best.is_none_or(|(w, _)| width > w) {
                best = Some((width, Point::new(f64::midpoint(pair[0], pair[1]), y)));
            }
        }
    }
    best.map(|(_, p)| p).or_else(|| footprint.interior_point())
}

/// Gives every building and address in the store the areas it lies in now (after areas changed).
pub(crate) fn rejoin(tx: &mut dyn ImportTx, progress: &dyn Progress) -> Result<u64> {
    let areas = AreaIndex::new(&tx.areas()?);
    progress.phase("spatial join", None);
    let n = tx.rejoin(&mut |b| areas.building_refs(b), &mut |a| {
        areas.address_refs(a)
    })?;
    progress.advance(n);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        let ring = LineString::from(vec![
            (x0, y0),
            (x0 + size, y0),
            (x0 + size, y0 + size),
            (x0, y0 + size),
            (x0, y0),
        ]);
        MultiPolygon(vec![Polygon::new(ring, vec![])])
    }

    fn area(code: &str, boundary: MultiPolygon<f64>) -> Area {
        Area {
            code: code.parse().unwrap(),
            name: code.into(),
            boundary_wgs84: boundary,
            residents: None,
            households: None,
            share_65_plus: None,
            density: None,
        }
    }

    /// A gemeente 0..4 with wijk 0..2 (x) holding buurten 0..1 and 1..2.
    fn fixture() -> Vec<Area> {
        vec![
            area("GM0001", square(0.0, 0.0, 4.0)),
            area("WK000101", square(0.0, 0.0, 2.0)),
            area("BU00010101", square(0.0, 0.0, 1.0)),
            area("BU00010102", square(1.0, 0.0, 1.0)),
        ]
    }

    #[test]
    fn finest_containing_area_wins_and_implies_the_coarser_levels() {
        let index = AreaIndex::new(&fixture());
        let r = index.refs_at(Point::new(1.5, 0.5));
        assert_eq!(r.buurt.unwrap().to_string(), "BU00010102");
        assert_eq!(r.wijk.unwrap().to_string(), "WK000101");
        assert_eq!(r.gemeente.unwrap().to_string(), "GM0001");
        // In the wijk but in no buurt.
        let r = index.refs_at(Point::new(1.5, 1.5));
        assert_eq!(
            (r.buurt, r.wijk.unwrap().to_string()),
            (None, "WK000101".to_owned())
        );
        // Only in the gemeente.
        let r = index.refs_at(Point::new(3.0, 3.0));
        assert_eq!(
            (r.wijk, r.gemeente.unwrap().to_string()),
            (None, "GM0001".to_owned())
        );
        assert_eq!(index.refs_at(Point::new(5.0, 5.0)), AreaRefs::default());
    }

    #[test]
    fn point_on_a_shared_boundary_still_gets_a_buurt() {
        let index = AreaIndex::new(&fixture());
        assert!(index.refs_at(Point::new(1.0, 0.5)).buurt.is_some());
    }

    #[test]
    fn l_shaped_building_uses_a_point_inside_it() {
        // An L whose centroid (≈ 0.83, 0.83) lies outside the footprint, in buurt A's empty corner;
        // buurt B covers exactly the L's lower-right half.
        let l = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (3.0, 0.0),
                (3.0, 1.0),
                (1.0, 1.0),
                (1.0, 3.0),
                (0.0, 3.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let refs =
            AreaIndex::new(&[area("BU00010101", square(0.0, 0.0, 3.0))]).refs_of_footprint(&l);
        assert_eq!(refs.buurt.unwrap().to_string(), "BU00010101");
        let p = l.interior_point().unwrap();
        assert!(l.contains(&p));
    }

    #[test]
    fn interior_points_lie_inside_odd_shapes() {
        let u = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (3.0, 0.0),
                (3.0, 3.0),
                (2.0, 3.0),
                (2.0, 1.0),
                (1.0, 1.0),
                (1.0, 3.0),
                (0.0, 3.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        let ring_with_hole = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (4.0, 0.0),
                (4.0, 4.0),
                (0.0, 4.0),
                (0.0, 0.0),
            ]),
            vec![LineString::from(vec![
                (1.0, 1.0),
                (3.5, 1.0),
                (3.5, 3.0),
                (1.0, 3.0),
                (1.0, 1.0),
            ])],
        )]);
        // A square with a vertex exactly on the scanline, and a triangle.
        let diamond = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (1.0, 0.0),
                (2.0, 1.0),
                (1.0, 2.0),
                (0.0, 1.0),
                (1.0, 0.0),
            ]),
            vec![],
        )]);
        for shape in [u, ring_with_hole, diamond, square(5.0, 5.0, 0.0001)] {
            let p = interior_point(&shape).unwrap();
            assert!(shape.contains(&p), "{p:?} outside {shape:?}");
        }
        assert_eq!(interior_point(&MultiPolygon(vec![])), None);
    }

    #[test]
    fn no_areas_gives_empty_refs() {
        let index = AreaIndex::new(&[]);
        assert!(index.is_empty());
        assert_eq!(
            index.refs_of_footprint(&square(0.0, 0.0, 1.0)),
            AreaRefs::default()
        );
    }
}
