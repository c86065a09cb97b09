//! Houses: terraced, semi-detached and detached, one pand each (and a garage), one home each
//! (sometimes split into two: `12` and `12A`).

use domain::Usage;
use rand::Rng;

use super::{Builder, UnitSpec};
use crate::footprint::{l_shape, rear_extension, rect};
use crate::groups::{GARAGE_OFFSET, GARAGE_WIDTH, Group};
use crate::street::{FRONT, MAX_DEPTH};

impl Builder<'_> {
    pub(super) fn house(&mut self, group: &Group, a: f64, b: f64, depth: f64, extension: bool) {
        let shape: Vec<(f64, f64)> = if extension {
            let ext = self
                .rng
                .random_range(2.5..4.0_f64)
                .min(MAX_DEPTH - FRONT - depth);
            rear_extension(
                a,
                b,
                FRONT,
                FRONT + depth,
                a + 0.6,
                b - 0.6,
                (ext * 10.0).round() / 10.0,
            )
            .to_vec()
        } else {
            rect(a, b, FRONT, FRONT + depth).to_vec()
        };
        let p = self.pand(&shape, group);
        let floors = if self.rng.random_bool(0.25) { 3.0 } else { 2.0 };
        let area = self.floor_area((b - a) * depth, floors);
        let n = self.take_number();
        let mid = f64::midpoint(a, b);
        // Some houses were split into a ground-floor and an upstairs home: 12 and 12A.
        let split = self.rng.random_bool(0.03);
        let oppervlakte = if split { area / 2 } else { area };
        let home = |letter, v| UnitSpec {
            pand: p,
            second_pand: None,
            at: (mid, FRONT + depth * v),
            oppervlakte,
            usage: Usage::Woonfunctie,
            huisnummer: n,
            huisletter: letter,
            toevoeging: None,
            single_family: !split,
        };
        self.unit(home(None, 0.4));
        if split {
            self.unit(home(Some('A'), 0.7));
        }
    }

    /// Builds `group` starting at `u0` along the current section.
    pub(super) fn detached(
        &mut self,
        group: &Group,
        u0: f64,
        width: f64,
        depth: f64,
        l: bool,
        garage: bool,
    ) {
        let (a, b) = (u0, u0 + width);
        let shape: Vec<(f64, f64)> = if l {
            l_shape(
                a,
                b,
                FRONT,
                FRONT + depth,
                a + width * 0.55,
                FRONT + depth * 0.6,
            )
            .to_vec()
        } else {
            rect(a, b, FRONT, FRONT + depth).to_vec()
        };
        let p = self.pand(&shape, group);
        let floors = if self.rng.random_bool(0.6) { 2.0 } else { 1.5 };
        let oppervlakte = self.floor_area(width * depth * if l { 0.8 } else { 1.0 }, floors);
        // A house built later in a gap takes the previous number with a letter: 14A.
        let (huisnummer, huisletter) = match self.last_number {
            Some(prev) if self.rng.random_bool(0.08) => (prev, Some('A')),
            _ => (self.take_number(), None),
        };
        self.unit(UnitSpec {
            pand: p,
            second_pand: None,
            at: (a + width * 0.3, FRONT + depth * 0.4),
            oppervlakte,
            usage: Usage::Woonfunctie,
            huisnummer,
            huisletter,
            toevoeging: None,
            single_family: true,
        });
        if garage {
            let g0 = b + GARAGE_OFFSET;
            self.pand(
                &rect(g0, g0 + GARAGE_WIDTH, FRONT + 2.0, FRONT + 8.0),
                group,
            );
        }
    }
}
