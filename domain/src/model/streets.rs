//! Where a street's name is written on the map: one straight line per stretch of a street (an
//! openbare ruimte in a woonplaats), derived from its addresses when the model is built.
//!
//! The BAG has no street geometry (the BGT has, but it is not imported), so a street's line is
//! the principal axis of its address points: the direction in which they spread most, through
//! their mean, from the first address to the last along it and a little beyond. Addresses more
//! than [`GAP_M`] from every other address of the street start another stretch, so a street
//! that bends round a corner or runs on after a park gets a line per leg; a stretch of one
//! address gets none.

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use super::{BoxEntry, Model, TreeParams};
use crate::{WORLD_SIZE, WorldPoint, world_to_lonlat};

/// Addresses farther apart than this (metres) are on different stretches of a street.
pub(crate) const GAP_M: f64 = 120.0;
/// A street's line runs this far (metres) past its first and last address.
const OVERHANG_M: f64 = 12.0;

/// The street lines of a model, with an R-tree of their boxes.
#[derive(Debug, Default)]
pub(crate) struct StreetLines {
    /// Street name (string id), woonplaats (string id), the line's ends, its addresses.
    pub(crate) lines: Vec<(u32, u32, [WorldPoint; 2], u32)>,
    pub(crate) tree: RTree<BoxEntry, TreeParams>,
}

impl StreetLines {
    pub(crate) fn heap_bytes(&self) -> usize {
        self.lines.capacity() * std::mem::size_of::<(u32, u32, [WorldPoint; 2], u32)>()
            + self.lines.len() * std::mem::size_of::<rstar::RTreeNode<BoxEntry>>()
    }
}

/// World units per metre at world row `y` (Web Mercator stretches with latitude).
pub(crate) fn units_per_metre(y: i32) -> f64 {
    let (_, lat) = world_to_lonlat([0, y]);
    WORLD_SIZE as f64 / (40_075_016.686 * lat.to_radians().cos())
}

/// Single-linkage stretches of `points` at most `gap` apart: each stretch's indices.
fn stretches(points: &[WorldPoint], gap: f64) -> Vec<Vec<usize>> {
    let n = points.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by_key(|&i| points[i][0]);
    // Sorted by x: a pair within `gap` is within `gap` in x, so the inner loop stops early.
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            let dx = f64::from(points[j][0]) - f64::from(points[i][0]);
            if dx > gap {
                break;
            }
            let dy = f64::from(points[j][1]) - f64::from(points[i][1]);
            if dx * dx + dy * dy <= gap * gap {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut by_root = std::collections::BTreeMap::<usize, Vec<usize>>::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root.into_values().collect()
}

/// The line through `points` along their principal axis, `overhang` beyond the outermost.
fn axis_line(points: &[WorldPoint], overhang: f64) -> Option<[WorldPoint; 2]> {
    let n = points.len() as f64;
    let (mx, my) = points.iter().fold((0.0, 0.0), |(x, y), p| {
        (x + f64::from(p[0]) / n, y + f64::from(p[1]) / n)
    });
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for p in points {
        let (dx, dy) = (f64::from(p[0]) - mx, f64::from(p[1]) - my);
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if sxx + syy == 0.0 {
        return None;
    }
    let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (ux, uy) = (angle.cos(), angle.sin());
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for p in points {
        let t = (f64::from(p[0]) - mx) * ux + (f64::from(p[1]) - my) * uy;
        lo = lo.min(t);
        hi = hi.max(t);
    }
    let at = |t: f64| [(mx + t * ux).round() as i32, (my + t * uy).round() as i32];
    Some([at(lo - overhang), at(hi + overhang)])
}

/// The street lines of addresses with street string ids `street`, woonplaats ids `place` and
/// points `points` (one row per address).
pub(crate) fn derive(street: &[u32], place: &[u32], points: &[WorldPoint]) -> StreetLines {
    let mut groups = std::collections::HashMap::<(u32, u32), Vec<WorldPoint>>::new();
    for ((s, w), p) in street.iter().zip(place).zip(points) {
        groups.entry((*s, *w)).or_default().push(*p);
    }
    let mut keys: Vec<(u32, u32)> = groups.keys().copied().collect();
    keys.sort_unstable();
    let mut lines = Vec::new();
    for key in keys {
        let Some(mut pts) = groups.remove(&key) else {
            continue;
        };
        let homes = pts.len();
        pts.sort_unstable();
        pts.dedup();
        let Some(first) = pts.first() else { continue };
        let per_metre = units_per_metre(first[1]);
        for stretch in stretches(&pts, GAP_M * per_metre) {
            if stretch.len() < 2 {
                continue;
            }
            let sp: Vec<WorldPoint> = stretch.iter().map(|&i| pts[i]).collect();
            if let Some(line) = axis_line(&sp, OVERHANG_M * per_metre) {
                // Homes on this stretch: its share of the street's addresses (points may hold
                // several, a block of flats).
                let share = (homes * sp.len()).div_ceil(pts.len());
                lines.push((key.0, key.1, line, share as u32));
            }
        }
    }
    let tree = RTree::bulk_load_with_params(
        lines
            .iter()
            .enumerate()
            .map(|(i, (_, _, [a, b], _))| {
                let lo = [a[0].min(b[0]), a[1].min(b[1])];
                let hi = [a[0].max(b[0]), a[1].max(b[1])];
                GeomWithData::new(Rectangle::from_corners(lo, hi), i as u32)
            })
            .collect(),
    );
    StreetLines { lines, tree }
}

/// One street line of a [`Model`].
#[derive(Debug, Clone, Copy)]
pub struct StreetLineRow<'a> {
    model: &'a Model,
    index: u32,
}

impl<'a> StreetLineRow<'a> {
    fn entry(&self) -> &'a (u32, u32, [WorldPoint; 2], u32) {
        &self.model.streets.lines[self.index as usize]
    }

    /// The street's name (openbare ruimte).
    pub fn name(&self) -> &'a str {
        self.model.strings.get(self.entry().0)
    }

    /// The woonplaats.
    pub fn place(&self) -> &'a str {
        self.model.strings.get(self.entry().1)
    }

    /// Where the name is written: the line's two ends.
    pub fn line(&self) -> [WorldPoint; 2] {
        self.entry().2
    }

    /// About how many addresses lie along it.
    pub fn addresses(&self) -> u32 {
        self.entry().3
    }
}

impl Model {
    /// The street lines whose box meets `[min, max]`, each a stretch of one street.
    pub fn street_lines_in(
        &self,
        min: WorldPoint,
        max: WorldPoint,
    ) -> impl Iterator<Item = StreetLineRow<'_>> + '_ {
        let env = rstar::AABB::from_corners(min, max);
        self.streets
            .tree
            .locate_in_envelope_intersecting(&env)
            .map(move |e| StreetLineRow {
                model: self,
                index: e.data,
            })
    }

    /// How many street lines the model holds.
    pub fn street_line_count(&self) -> usize {
        self.streets.lines.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lonlat_to_world;

    #[test]
    fn a_street_gets_a_line_along_its_addresses_and_a_line_per_stretch() {
        // Kerkstraat: ten houses along a parallel, both sides (odd 5 m north, even 5 m south),
        // 20 m apart; then, 400 m on, three more: a second stretch. Molenweg: one house.
        let mut street = Vec::new();
        let mut points = Vec::new();
        for i in 0..10 {
            let lon = 5.0 + f64::from(i) * 0.0003;
            let lat = 52.0 + if i % 2 == 0 { 0.000_045 } else { -0.000_045 };
            street.push(1);
            points.push(lonlat_to_world(lon, lat));
        }
        for i in 0..3 {
            street.push(1);
            points.push(lonlat_to_world(5.01 + f64::from(i) * 0.0003, 52.0));
        }
        street.push(2);
        points.push(lonlat_to_world(5.02, 52.0));
        let place = vec![7; street.len()];
        let s = derive(&street, &place, &points);
        assert_eq!(s.lines.len(), 2, "{:?}", s.lines);
        let (name, w, [a, b], homes) = s.lines[0];
        assert_eq!((name, w, homes), (1, 7, 10));
        // West to east along the parallel, through the middle of the two sides, 12 m past the ends.
        let (lon_a, lat_a) = world_to_lonlat(a);
        let (lon_b, lat_b) = world_to_lonlat(b);
        let (west, east) = if lon_a < lon_b {
            (lon_a, lon_b)
        } else {
            (lon_b, lon_a)
        };
        assert!((west - (5.0 - 0.000_175)).abs() < 0.000_03, "{west}");
        assert!((east - (5.0027 + 0.000_175)).abs() < 0.000_03, "{east}");
        assert!((lat_a - 52.0).abs() < 0.000_02 && (lat_b - 52.0).abs() < 0.000_02);
        assert_eq!(s.lines[1].3, 3);
        assert_eq!(s.tree.size(), 2);
    }
}
