//! The plan of the whole area: a square grid of buurten, grouped into square blocks of buurten that
//! form the wijken, all in one gemeente. Decided before any building is drawn, from the options and
//! the seed alone.
//!
//! Sizes grow with the number of buildings: about 300 buildings per buurt, at most 100 × 100
//! buurten; a wijk is `span × span` buurten with at most 10 × 10 wijken, so that the CBS codes
//! `WKggggww` and `BUggggwwbb` have room. The buurten nearest the centre are the oldest (with the
//! shops and a school), the outermost the newest.

use std::ops::RangeInclusive;

use geo::Coord;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::names::{AreaNames, pick_theme};

/// Buildings a buurt holds on average (before the grid is capped at 100 × 100).
const BUILDINGS_PER_BUURT: f64 = 300.0;
/// Largest grid side in buurten.
const MAX_GRID: u32 = 100;

/// When most of a buurt's buildings were built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Era {
    /// 1900–1939: terraced streets, shops with flats above, a church.
    Prewar,
    /// 1946–1969: reconstruction, portiek flats and terraced rows.
    Postwar,
    /// 1970–1989: *bloemkoolwijk* terraced and semi-detached houses.
    Seventies,
    /// 1990–2009: *Vinex* estates, more semi-detached and detached houses.
    Nineties,
    /// 2010–2024: new estates, partly still planned or under construction.
    Recent,
}

impl Era {
    /// Construction years of the era.
    pub(crate) fn years(self) -> RangeInclusive<u16> {
        match self {
            Self::Prewar => 1900..=1939,
            Self::Postwar => 1946..=1969,
            Self::Seventies => 1970..=1989,
            Self::Nineties => 1990..=2009,
            Self::Recent => 2010..=2024,
        }
    }

    /// From the distance to the centre, 0 (centre) to 1 (farthest buurt).
    fn from_distance(d: f64) -> Self {
        match d {
            d if d < 0.18 => Self::Prewar,
            d if d < 0.4 => Self::Postwar,
            d if d < 0.62 => Self::Seventies,
            d if d < 0.84 => Self::Nineties,
            _ => Self::Recent,
        }
    }

    /// How many buildings a buurt of this era holds, relative to the others.
    fn density(self) -> f64 {
        match self {
            Self::Prewar => 1.2,
            Self::Postwar => 1.1,
            Self::Seventies => 1.0,
            Self::Nineties => 0.9,
            Self::Recent => 0.8,
        }
    }
}

/// One buurt of the plan.
#[derive(Debug, Clone)]
pub(crate) struct BuurtPlan {
    /// Position in generation order (wijk by wijk), also the seed stream of the buurt.
    pub(crate) index: usize,
    /// Column in the grid (west to east).
    pub(crate) col: u32,
    /// Row in the grid (south to north).
    pub(crate) row: u32,
    /// Index of its wijk in [`Layout::wijken`].
    pub(crate) wijk: usize,
    /// The `bb` of `BUggggwwbb`.
    pub(crate) bb: u32,
    /// Row within its wijk (streets continue across the buurten of one such row).
    pub(crate) wijk_row: u32,
    pub(crate) name: String,
    pub(crate) era: Era,
    /// The year around which its streets were built.
    pub(crate) base_year: u16,
    /// Buildings (panden) to generate in it.
    pub(crate) quota: u64,
    pub(crate) school: bool,
    /// Rows of shops with flats above.
    pub(crate) shop_rows: u32,
    /// The postcode number (first four digits) of its addresses.
    pub(crate) pc4: u16,
}

/// One wijk of the plan: a block of buurten.
#[derive(Debug, Clone)]
pub(crate) struct WijkPlan {
    /// The `ww` of `WKggggww`.
    pub(crate) ww: u32,
    /// Name without the "Wijk ww" prefix CBS puts in front.
    pub(crate) name: String,
    /// Street-name theme.
    pub(crate) theme: usize,
    pub(crate) cols: RangeInclusive<u32>,
    pub(crate) rows: RangeInclusive<u32>,
}

/// The whole plan.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Grid lines, west to east and south to north (RD metres), shared by neighbouring areas so
    /// that their boundaries meet exactly.
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// Buurten in generation order: wijk by wijk, within a wijk row by row (south to north), west
    /// to east.
    pub(crate) buurten: Vec<BuurtPlan>,
    pub(crate) wijken: Vec<WijkPlan>,
}

impl Layout {
    /// Plans `buildings` buildings over a square of `extent_m` from `origin_rd` (its south-west corner).
    pub(crate) fn new(
        buildings: u64,
        origin_rd: (f64, f64),
        extent_m: f64,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let grid =
            ((buildings as f64 / BUILDINGS_PER_BUURT).sqrt().ceil() as u32).clamp(1, MAX_GRID);
        let span = match grid {
            1..=3 => 1,
            4..=20 => 2,
            g => g.div_ceil(10),
        };
        let wijk_cols = grid.div_ceil(span);
        let cell = extent_m / f64::from(grid);
        let line = |origin: f64, i: u32| {
            if i == grid {
                origin + extent_m
            } else {
                origin + f64::from(i) * cell
            }
        };
        let xs: Vec<f64> = (0..=grid).map(|i| line(origin_rd.0, i)).collect();
        let ys: Vec<f64> = (0..=grid).map(|i| line(origin_rd.1, i)).collect();

        let mut names = AreaNames::new(rng);
        let centre = grid / 2;
        let centre_of = |col: u32, row: u32| (f64::from(col) + 0.5, f64::from(row) + 0.5);
        let (cx, cy) = (f64::from(grid) / 2.0, f64::from(grid) / 2.0);
        let farthest = centre_of(0, 0);
        let max_distance = ((farthest.0 - cx).powi(2) + (farthest.1 - cy).powi(2))
            .sqrt()
            .max(f64::EPSILON);

        let mut wijken = Vec::new();
        let mut buurten = Vec::new();
        for wr in 0..wijk_cols {
            for wc in 0..wijk_cols {
                let cols = wc * span..=((wc + 1) * span).min(grid) - 1;
                let rows = wr * span..=((wr + 1) * span).min(grid) - 1;
                let wijk = wijken.len();
                let width = cols.end() - cols.start() + 1;
                let contains_centre = cols.contains(&centre) && rows.contains(&centre);
                wijken.push(WijkPlan {
                    ww: wijk as u32,
                    name: if contains_centre {
                        "Centrum".to_owned()
                    } else {
                        names.wijk()
                    },
                    theme: pick_theme(rng),
                    cols: cols.clone(),
                    rows: rows.clone(),
                });
                for row in rows.clone() {
                    for col in cols.clone() {
                        let (x, y) = centre_of(col, row);
                        let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() / max_distance;
                        let is_centre = col == centre && row == centre;
                        let is_corner = grid > 1 && col == 0 && row == 0;
                        let era = if is_centre {
                            Era::Prewar
                        } else if is_corner {
                            Era::Recent
                        } else {
                            Era::from_distance((d + rng.random_range(-0.08..0.08)).clamp(0.0, 1.0))
                        };
                        let years = era.years();
                        let base_year = rng.random_range(*years.start() + 3..=*years.end() - 3);
                        let index = buurten.len();
                        buurten.push(BuurtPlan {
                            index,
                            col,
                            row,
                            wijk,
                            bb: (row - rows.start()) * width + (col - cols.start()),
                            wijk_row: row - rows.start(),
                            name: if is_centre {
                                "Centrum".to_owned()
                            } else {
                                names.buurt()
                            },
                            era,
                            base_year,
                            quota: 0,
                            school: is_centre || rng.random_bool(0.3),
                            shop_rows: match era {
                                _ if is_centre => 3,
                                Era::Prewar => rng.random_range(1..=2),
                                Era::Postwar | Era::Seventies => u32::from(rng.random_bool(0.25)),
                                _ => u32::from(rng.random_bool(0.08)),
                            },
                            pc4: 1000 + (index % 9000) as u16,
                        });
                    }
                }
            }
        }
        share_out(&mut buurten, buildings, rng);
        Self {
            xs,
            ys,
            buurten,
            wijken,
        }
    }

    /// `[min_x, min_y, max_x, max_y]` of the buurt at (`col`, `row`).
    pub(crate) fn cell(&self, col: u32, row: u32) -> [f64; 4] {
        let (c, r) = (col as usize, row as usize);
        [self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1]]
    }

    /// The closed, counter-clockwise ring around a block of cells, through every grid point on its
    /// edge: the wijk and gemeente rings then share their vertices with the buurten inside.
    pub(crate) fn ring(
        &self,
        cols: &RangeInclusive<u32>,
        rows: &RangeInclusive<u32>,
    ) -> Vec<Coord<f64>> {
        let (c0, c1) = (*cols.start() as usize, *cols.end() as usize + 1);
        let (r0, r1) = (*rows.start() as usize, *rows.end() as usize + 1);
        let mut ring = Vec::with_capacity(2 * (c1 - c0 + r1 - r0) + 1);
        ring.extend((c0..c1).map(|c| Coord {
            x: self.xs[c],
            y: self.ys[r0],
        }));
        ring.extend((r0..r1).map(|r| Coord {
            x: self.xs[c1],
            y: self.ys[r],
        }));
        ring.extend((c0 + 1..=c1).rev().map(|c| Coord {
            x: self.xs[c],
            y: self.ys[r1],
        }));
        ring.extend((r0 + 1..=r1).rev().map(|r| Coord {
            x: self.xs[c0],
            y: self.ys[r],
        }));
        ring.push(ring[0]);
        ring
    }

    /// The ring of the whole area.
    pub(crate) fn outline(&self) -> Vec<Coord<f64>> {
        let last = (self.xs.len() - 2) as u32;
        self.ring(&(0..=last), &(0..=last))
    }
}

/// Shares `buildings` out over the buurten by era density with some noise; the shares add up exactly.
fn share_out(buurten: &mut [BuurtPlan], buildings: u64, rng: &mut ChaCha8Rng) {
    let weights: Vec<f64> = buurten
        .iter()
        .map(|b| b.era.density() * rng.random_range(0.85..1.15))
        .collect();
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| buildings as f64 * w / total)
        .collect();
    let mut given = 0;
    for (b, e) in buurten.iter_mut().zip(&exact) {
        b.quota = e.floor() as u64;
        given += b.quota;
    }
    // The remainder goes to the largest fractions (ties to the earliest buurt).
    let mut order: Vec<usize> = (0..buurten.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order
        .iter()
        .cycle()
        .take(buildings.saturating_sub(given) as usize)
    {
        buurten[i].quota += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn layout(buildings: u64) -> Layout {
        let extent = crate::default_extent_m(buildings);
        Layout::new(
            buildings,
            (187_000.0, 440_000.0),
            extent,
            &mut ChaCha8Rng::seed_from_u64(1),
        )
    }

    #[test]
    fn quotas_add_up_and_codes_fit() {
        for n in [0, 1, 10, 3_000, 200_000, 1_000_000] {
            let l = layout(n);
            assert_eq!(l.buurten.iter().map(|b| b.quota).sum::<u64>(), n);
            assert!(l.wijken.len() <= 100);
            assert!(l.buurten.iter().all(|b| b.bb < 100));
            let grid = l.xs.len() - 1;
            assert_eq!(l.buurten.len(), grid * grid);
        }
    }

    #[test]
    fn wijk_rings_walk_the_grid_counter_clockwise() {
        let l = layout(3_000);
        let w = &l.wijken[0];
        let ring = l.ring(&w.cols, &w.rows);
        assert_eq!(ring.first(), ring.last());
        // 2 × 2 buurten: 8 boundary points + closing point.
        assert_eq!(ring.len(), 9);
        let area2: f64 = ring
            .windows(2)
            .map(|p| p[0].x * p[1].y - p[1].x * p[0].y)
            .sum();
        assert!(area2 > 0.0);
    }

    #[test]
    fn centre_is_old_and_a_corner_is_new() {
        let l = layout(3_000);
        assert!(
            l.buurten.iter().any(|b| b.name == "Centrum"
                && b.era == Era::Prewar
                && b.school
                && b.shop_rows > 0)
        );
        assert!(l.buurten.iter().any(|b| b.era == Era::Recent));
    }
}
