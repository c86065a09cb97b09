//! A level's released cells ready to draw: every indicator's released value per cell, the cell's
//! outline in world coordinates, and each indicator's quantile classes — what the `urgency_<level>`
//! tile layers draw. Built from [`Engine::release_all`], so it holds exactly what the API releases
//! (suppressed cells carry a flag and nothing else); compared with the previous release it names
//! the cells whose tiles went stale ([`LevelRelease::stale`]).

use std::collections::HashMap;
use std::sync::Arc;

use domain::{Model, WorldPoint, lonlat_to_world};

use crate::engine::{CellValue, Engine};
use crate::file::IndicatorSet;
use crate::level::{Cell, Level};

/// How many classes a choropleth draws.
pub const CLASSES: u8 = 5;

/// A cell's name and outline, world coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct CellShape {
    /// The cell.
    pub cell: Cell,
    /// Its code as CBS or H3 writes it.
    pub code: String,
    /// The name of a CBS area.
    pub name: Option<String>,
    /// Rings, each exterior (positive in world coordinates) followed by its holes.
    pub rings: Vec<Vec<WorldPoint>>,
    /// Bounding box.
    pub bbox: [WorldPoint; 2],
}

impl CellShape {
    /// The shape of `cell` in `model`.
    pub fn new(cell: Cell, model: &Model) -> Self {
        let (rings, name): (Vec<Vec<WorldPoint>>, Option<String>) = match cell {
            Cell::Area(code) => model.find_area(code).map_or_else(
                || (Vec::new(), None),
                |a| {
                    (
                        a.rings().map(<[WorldPoint]>::to_vec).collect(),
                        Some(a.name().to_owned()),
                    )
                },
            ),
            Cell::Square { .. } | Cell::H3(_) => (
                cell.outline(model)
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        let mut ring: Vec<WorldPoint> =
                            r.iter().map(|p| lonlat_to_world(p[0], p[1])).collect();
                        // One exterior ring: oriented as the model keeps exteriors.
                        if !domain::Ring(&ring).is_exterior() {
                            ring.reverse();
                        }
                        ring
                    })
                    .collect(),
                None,
            ),
        };
        let mut lo = [i32::MAX, i32::MAX];
        let mut hi = [i32::MIN, i32::MIN];
        for p in rings.iter().flatten() {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        if lo[0] > hi[0] {
            (lo, hi) = ([0, 0], [0, 0]);
        }
        Self {
            cell,
            code: cell.to_string(),
            name,
            rings,
            bbox: [lo, hi],
        }
    }

    /// Does the bounding box meet box `lo`–`hi`?
    pub fn meets(&self, lo: WorldPoint, hi: WorldPoint) -> bool {
        let [a, b] = self.bbox;
        a[0] <= hi[0] && b[0] >= lo[0] && a[1] <= hi[1] && b[1] >= lo[1]
    }
}

/// Cell shapes of one model, kept between releases (a cell's outline does not change until the
/// registers do).
#[derive(Debug, Default)]
pub struct Shapes {
    by_cell: HashMap<Cell, Arc<CellShape>>,
}

impl Shapes {
    /// The shape of `cell`, made once.
    pub fn get(&mut self, cell: Cell, model: &Model) -> Arc<CellShape> {
        Arc::clone(
            self.by_cell
                .entry(cell)
                .or_insert_with(|| Arc::new(CellShape::new(cell, model))),
        )
    }
}

/// One listed cell of a level release.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleasedCell {
    /// Name and outline.
    pub shape: Arc<CellShape>,
    /// Per indicator (in the set's order): its released value, `None` where the cell is not
    /// listed for that indicator.
    pub values: Vec<Option<CellValue>>,
    /// Per indicator: the quantile class (0 least urgent … [`CLASSES`] − 1 most urgent) of a
    /// released value.
    pub classes: Vec<Option<u8>>,
}

/// Every indicator released at one level, with outlines and classes.
#[derive(Debug, Clone)]
pub struct LevelRelease {
    /// The level.
    pub level: Level,
    /// The indicators.
    pub set: Arc<IndicatorSet>,
    /// The listed cells, in cell order.
    pub cells: Vec<ReleasedCell>,
    /// Per indicator: the upper bounds of the quantile classes, ascending (the last class takes
    /// the rest).
    pub breaks: Vec<Vec<f64>>,
}

impl LevelRelease {
    /// What `engine` releases at `level`, shapes from `shapes`.
    pub fn new(engine: &Engine, model: &Model, level: Level, shapes: &mut Shapes) -> Self {
        let set = Arc::clone(engine.set());
        let all = engine.release_all(model, level);
        let n = all.len();
        let mut rows: std::collections::BTreeMap<Cell, Vec<Option<CellValue>>> =
            std::collections::BTreeMap::new();
        for (i, cells) in all.into_iter().enumerate() {
            for mut c in cells {
                // As the API gives them (three decimals), so a map classing the API's figures
                // and one classing the tiles' agree at every break.
                c.value = c.value.map(round3);
                c.baseline = c.baseline.map(round3);
                let cell = c.cell;
                rows.entry(cell).or_insert_with(|| vec![None; n])[i] = Some(c);
            }
        }
        let breaks: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let v: Vec<f64> = rows
                    .values()
                    .filter_map(|r| r[i].as_ref())
                    .filter(|c| !c.suppressed)
                    .filter_map(|c| c.value)
                    .collect();
                quantile_breaks(v)
            })
            .collect();
        let cells = rows
            .into_iter()
            .map(|(cell, values)| {
                let classes = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let v = v.as_ref().filter(|c| !c.suppressed)?.value?;
                        let higher = set
                            .indicators
                            .get(i)
                            .is_none_or(|d| d.higher_is_more_urgent);
                        Some(class_of(v, &breaks[i], higher))
                    })
                    .collect();
                ReleasedCell {
                    shape: shapes.get(cell, model),
                    values,
                    classes,
                }
            })
            .collect();
        Self {
            level,
            set,
            cells,
            breaks,
        }
    }

    /// The cells whose bounding box meets box `lo`–`hi`.
    pub fn cells_in(
        &self,
        lo: WorldPoint,
        hi: WorldPoint,
    ) -> impl Iterator<Item = &ReleasedCell> + '_ {
        self.cells.iter().filter(move |c| c.shape.meets(lo, hi))
    }

    /// What changed from `before` to this release, for the tile cache: the boxes of the cells
    /// whose values or classes differ (or that came or went); `None` when a class break moved,
    /// which recolours cells anywhere (every tile of the level is then stale).
    pub fn stale(&self, before: &Self) -> Option<Vec<[WorldPoint; 2]>> {
        if self.breaks != before.breaks || !Arc::ptr_eq(&self.set, &before.set) {
            return None;
        }
        let mut out = Vec::new();
        let (mut a, mut b) = (before.cells.iter().peekable(), self.cells.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some(x), Some(y)) if x.shape.cell == y.shape.cell => {
                    if x.values != y.values || x.classes != y.classes {
                        out.push(y.shape.bbox);
                    }
                    a.next();
                    b.next();
                }
                (Some(x), Some(y)) if x.shape.cell < y.shape.cell => {
                    out.push(x.shape.bbox);
                    a.next();
                }
                (Some(x), None) => {
                    out.push(x.shape.bbox);
                    a.next();
                }
                (_, Some(y)) => {
                    out.push(y.shape.bbox);
                    b.next();
                }
            }
        }
        Some(out)
    }
}

/// `v` to three decimals, as released figures are given.
pub fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The upper bounds of the first classes under quantile classing: as many cells in each class,
/// the last class takes the rest; a bound at the largest value (which would leave the last class
/// empty) or equal to the one before is left out. The web app classes the same way
/// (`web/src/urgency/classes.ts`), so the tiles' classes are the ones its legend shows.
pub fn quantile_breaks(mut v: Vec<f64>) -> Vec<f64> {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    let Some(&max) = v.last() else {
        return Vec::new();
    };
    let len = v.len();
    let classes = usize::from(CLASSES);
    let mut out: Vec<f64> = Vec::new();
    for i in 1..classes {
        let at = (i * len).div_ceil(classes).saturating_sub(1).min(len - 1);
        let b = v[at];
        if b < max && out.last().is_none_or(|last| b > *last) {
            out.push(b);
        }
    }
    out
}

/// The class (0 least urgent … [`CLASSES`] − 1 most urgent) of `value` under `bounds`; fewer
/// bounds are spread over the whole range of colours.
pub fn class_of(value: f64, bounds: &[f64], higher_is_more_urgent: bool) -> u8 {
    let c = bounds
        .iter()
        .position(|b| value <= *b)
        .unwrap_or(bounds.len());
    let top = usize::from(CLASSES - 1);
    let spread = if bounds.is_empty() {
        top
    } else {
        ((c * top) as f64 / bounds.len() as f64).round() as usize
    };
    let spread = spread.min(top) as u8;
    if higher_is_more_urgent {
        spread
    } else {
        CLASSES - 1 - spread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_classes_match_the_web_app() {
        // The cases of web/tests/unit/urgency.test.ts, and a few more.
        let v: Vec<f64> = (0..10).map(|i| f64::from(i) / 10.0).collect();
        let b = quantile_breaks(v.clone());
        assert_eq!(b, vec![0.1, 0.3, 0.5, 0.7]);
        let mut counts = [0; CLASSES as usize];
        for x in &v {
            counts[usize::from(class_of(*x, &b, true))] += 1;
        }
        assert_eq!(counts, [2, 2, 2, 2, 2]);
        assert_eq!(class_of(0.1, &[0.2, 0.4, 0.6, 0.8], false), CLASSES - 1);
        assert_eq!(quantile_breaks(vec![1.0, 1.0, 1.0, 2.0]), vec![1.0]);
        assert_eq!(class_of(2.0, &[1.0], true), CLASSES - 1);
        assert_eq!(quantile_breaks(vec![3.0; 7]), Vec::<f64>::new());
        assert_eq!(quantile_breaks(Vec::new()), Vec::<f64>::new());
        assert_eq!(class_of(1.0, &[2.0, 4.0, 6.0, 8.0], true), 0);
        assert_eq!(class_of(9.0, &[2.0, 4.0, 6.0, 8.0], true), 4);
        assert_eq!(class_of(9.0, &[2.0, 4.0, 6.0, 8.0], false), 0);
        assert_eq!(class_of(5.0, &[1.0], true), 4);
        assert_eq!(class_of(1.0, &[1.0], true), 0);
        assert_eq!(class_of(3.0, &[], true), 4);
    }
}
