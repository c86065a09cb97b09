//! The streets of one buurt and the building lots along them.
//!
//! A buurt is laid out as parallel east–west streets, each lined on both sides by a row of lots
//! (*strokenverkaveling*); back gardens of neighbouring streets meet. Cross streets cut every row
//! into sections of 100–150 m. Building footprints are drawn in a [`Frame`] per section: `u` along
//! the street (west to east), `v` from the front of the lot into it.
//!
//! ```text
//!  ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─ ─    back of the lots (next street's gardens beyond)
//!  ┌──┬──┬──┐   ┌────┐  ┌────┐            north row: buildings face south, v grows northwards
//!  └──┴──┴──┘   └────┘  └────┘     3 m front gardens
//!  ════════════════════════ ══ ══   street (12 m), cross street every section
//!  ┌──┬──┬──┬──┐  ┌──────────┐            south row: buildings face north, v grows southwards
//!  └──┴──┴──┴──┘  └──────────┘
//! ```

use geo::Coord;

/// Width of a street.
pub(crate) const STREET_WIDTH: f64 = 12.0;
/// Depth of a lot, from the street to the back garden fence.
const LOT_DEPTH: f64 = 23.0;
/// Front garden: buildings start this far from the street.
pub(crate) const FRONT: f64 = 3.0;
/// Deepest a building (with its extensions) may reach into a lot, from the street.
pub(crate) const MAX_DEPTH: f64 = LOT_DEPTH - 0.5;
/// Green strip kept free along the buurt boundary.
const MARGIN: f64 = 4.0;
/// Street, with a row of lots on each side.
const STREET_BAND: f64 = 2.0 * LOT_DEPTH + STREET_WIDTH;
/// Preferred distance between cross streets.
const SECTION_TARGET: f64 = 140.0;

/// Which side of its street a row of lots lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// South of the street: odd house numbers.
    South,
    /// North of the street: even house numbers.
    North,
}

/// A local coordinate frame along a street: `u` west to east from the section start, `v` from the
/// front of the lot (at the street) into it. Points come out in RD metres rounded to millimetres,
/// as BAG registers them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    x0: f64,
    street_edge_y: f64,
    /// +1 when `v` grows northwards, -1 southwards.
    dir: f64,
}

impl Frame {
    /// The RD point at (`u`, `v`).
    pub(crate) fn point(&self, u: f64, v: f64) -> Coord<f64> {
        let mm = |m: f64| (m * 1000.0).round() / 1000.0;
        Coord {
            x: mm(self.x0 + u),
            y: mm(self.street_edge_y + self.dir * v),
        }
    }

    /// A closed RD ring from a simple polygon given counter-clockwise in (`u`, `v`); the result is
    /// counter-clockwise too (the south rows mirror `v`, so their rings are reversed).
    pub(crate) fn ring(&self, local: &[(f64, f64)]) -> Vec<Coord<f64>> {
        let mut ring: Vec<Coord<f64>> = local.iter().map(|&(u, v)| self.point(u, v)).collect();
        if self.dir < 0.0 {
            ring.reverse();
        }
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        ring
    }
}

/// One side of one street between two cross streets: where groups of buildings are placed.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// Which street of the buurt (south to north).
    pub(crate) street: usize,
    pub(crate) side: Side,
    pub(crate) frame: Frame,
    /// Usable length along the street.
    pub(crate) length: f64,
}

/// The sections of a buurt occupying `cell` (`[min_x, min_y, max_x, max_y]`), ordered by street
/// (south to north), side (south, north) and west to east; and the number of streets.
pub(crate) fn sections(cell: [f64; 4]) -> (Vec<Section>, usize) {
    let [x0, y0, x1, y1] = cell;
    let streets = ((y1 - y0 - 2.0 * MARGIN) / STREET_BAND).floor().max(0.0) as usize;
    let usable_x = x1 - x0 - 2.0 * MARGIN;
    if streets == 0 || usable_x < 20.0 {
        return (Vec::new(), 0);
    }
    let per_row = ((usable_x + STREET_WIDTH) / (SECTION_TARGET + STREET_WIDTH))
        .round()
        .max(1.0) as usize;
    let length = (usable_x - (per_row - 1) as f64 * STREET_WIDTH) / per_row as f64;
    // Space left over is shared out as deeper back gardens between the streets.
    let slot = (y1 - y0 - 2.0 * MARGIN) / streets as f64;
    let first_band = y0 + MARGIN + (slot - STREET_BAND) / 2.0;
    let mut out = Vec::with_capacity(streets * 2 * per_row);
    for street in 0..streets {
        let band = first_band + street as f64 * slot;
        for side in [Side::South, Side::North] {
            let (street_edge_y, dir) = match side {
                Side::South => (band + LOT_DEPTH, -1.0),
                Side::North => (band + LOT_DEPTH + STREET_WIDTH, 1.0),
            };
            for j in 0..per_row {
                let start = x0 + MARGIN + j as f64 * (length + STREET_WIDTH);
                let frame = Frame {
                    x0: start,
                    street_edge_y,
                    dir,
                };
                out.push(Section {
                    street,
                    side,
                    frame,
                    length,
                });
            }
        }
    }
    (out, streets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_stay_inside_the_cell_and_rows_do_not_overlap() {
        let cell = [187_000.0, 440_000.0, 187_384.6, 440_384.6];
        let (sections, streets) = sections(cell);
        assert_eq!(streets, 6);
        assert_eq!(sections.len(), 6 * 2 * 3);
        for s in &sections {
            for (u, v) in [(0.0, 0.0), (s.length, MAX_DEPTH)] {
                let p = s.frame.point(u, v);
                assert!(
                    p.x > cell[0] && p.x < cell[2] && p.y > cell[1] && p.y < cell[3],
                    "{p:?}"
                );
            }
        }
        // The deepest building of a south row ends above the deepest of the north row below it.
        let north0 = sections
            .iter()
            .find(|s| s.street == 0 && s.side == Side::North)
            .unwrap();
        let south1 = sections
            .iter()
            .find(|s| s.street == 1 && s.side == Side::South)
            .unwrap();
        assert!(north0.frame.point(0.0, MAX_DEPTH).y < south1.frame.point(0.0, MAX_DEPTH).y);
    }

    #[test]
    fn rings_are_counter_clockwise_on_both_sides() {
        let (sections, _) = sections([0.0, 0.0, 400.0, 400.0]);
        let square = [(0.0, 0.0), (5.0, 0.0), (5.0, 10.0), (0.0, 10.0)];
        for s in sections.iter().take(7) {
            let ring = s.frame.ring(&square);
            let area2: f64 = ring
                .windows(2)
                .map(|p| p[0].x * p[1].y - p[1].x * p[0].y)
                .sum();
            assert!((area2 - 100.0).abs() < 1e-6, "{area2}");
        }
    }
}
