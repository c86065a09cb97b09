//! Blocks: flats (portiek and galerij, possibly registered as two panden) and rows of shops with
//! flats above.

use domain::Usage;
use rand::Rng;

use super::{Builder, UnitSpec};
use crate::footprint::rect;
use crate::groups::Group;
use crate::street::FRONT;

/// Floor additions of portiek flats: ground floor (*huis*), then the floor number.
const FLOORS: [&str; 7] = ["hs", "1", "2", "3", "4", "5", "6"];

impl Builder<'_> {
    #[expect(clippy::too_many_arguments, reason = "the fields of Kind::Flat")]
    pub(super) fn flat(
        &mut self,
        group: &Group,
        u0: f64,
        per_floor: u32,
        w: f64,
        depth: f64,
        floors: u32,
        portiek: bool,
        split: bool,
    ) {
        let length = f64::from(per_floor) * w;
        let middle = per_floor / 2;
        let (first, second) = if split {
            let cut = u0 + (f64::from(middle) + 0.5) * w;
            let a = self.pand(&rect(u0, cut, FRONT, FRONT + depth), group);
            let b = self.pand(&rect(cut, u0 + length, FRONT, FRONT + depth), group);
            (a, Some(b))
        } else {
            (
                self.pand(&rect(u0, u0 + length, FRONT, FRONT + depth), group),
                None,
            )
        };
        let unit_area = w * depth * 0.85;
        let home = |this: &mut Self,
                    i: u32,
                    floor: u32,
                    huisnummer: u32,
                    toevoeging: Option<&'static str>| {
            let (pand, second_pand, u) = match second {
                Some(b) if i > middle => (b, None, (f64::from(i) + 0.5) * w),
                // The middle unit straddles the joint: it lies in both panden, located in the first.
                Some(b) if i == middle => (first, Some(b), (f64::from(i) + 0.5) * w - 0.5),
                _ => (first, None, (f64::from(i) + 0.5) * w),
            };
            let oppervlakte = (unit_area * this.rng.random_range(0.8..1.1)).round() as u32;
            this.unit(UnitSpec {
                pand,
                second_pand,
                at: (
                    u0 + u,
                    FRONT + depth * (0.3 + 0.4 * f64::from(floor) / f64::from(floors)),
                ),
                oppervlakte,
                usage: Usage::Woonfunctie,
                huisnummer,
                huisletter: None,
                toevoeging,
                single_family: false,
            });
        };
        if portiek {
            for stair in 0..per_floor / 2 {
                let (left, right) = (self.take_number(), self.take_number());
                for floor in 0..floors {
                    let addition = FLOORS.get(floor as usize).copied();
                    home(self, 2 * stair, floor, left, addition);
                    home(self, 2 * stair + 1, floor, right, addition);
                }
            }
        } else {
            for floor in 0..floors {
                for i in 0..per_floor {
                    let n = self.take_number();
                    home(self, i, floor, n, None);
                }
            }
        }
    }

    pub(super) fn shops(
        &mut self,
        group: &Group,
        u0: f64,
        units: u32,
        width: f64,
        depth: f64,
        flats_above: u32,
    ) {
        let panden: Vec<u32> = (0..units)
            .map(|i| {
                self.pand(
                    &rect(
                        u0 + f64::from(i) * width,
                        u0 + f64::from(i + 1) * width,
                        FRONT,
                        FRONT + depth,
                    ),
                    group,
                )
            })
            .collect();
        let mut i = 0;
        while i < units {
            let a = u0 + f64::from(i) * width;
            // Now and then one shop takes the ground floor of two panden.
            let wide = i + 1 < units && self.rng.random_bool(0.12);
            let n = self.take_number();
            let shop_area = self.floor_area(width * depth * if wide { 2.0 } else { 1.0 }, 1.0);
            let here = panden[i as usize];
            self.unit(UnitSpec {
                pand: here,
                second_pand: wide.then(|| panden[i as usize + 1]),
                at: (
                    if wide {
                        a + width - 0.5
                    } else {
                        a + width / 2.0
                    },
                    FRONT + 2.0,
                ),
                oppervlakte: shop_area,
                usage: Usage::Winkelfunctie,
                huisnummer: n,
                huisletter: None,
                toevoeging: None,
                single_family: false,
            });
            self.flats_above(here, a + width / 2.0, depth, n, flats_above, width);
            if wide {
                // The second pand's upper floors keep their own number.
                let n2 = self.take_number();
                self.flats_above(
                    panden[i as usize + 1],
                    a + width * 1.5,
                    depth,
                    n2,
                    flats_above,
                    width,
                );
            }
            i += if wide { 2 } else { 1 };
        }
    }

    fn flats_above(
        &mut self,
        pand: u32,
        u: f64,
        depth: f64,
        huisnummer: u32,
        count: u32,
        width: f64,
    ) {
        for k in 0..count {
            let oppervlakte = self.floor_area(width * depth / f64::from(count), 1.0);
            self.unit(UnitSpec {
                pand,
                second_pand: None,
                at: (u, FRONT + depth * (0.55 + 0.1 * f64::from(k))),
                oppervlakte,
                usage: Usage::Woonfunctie,
                huisnummer,
                huisletter: char::from_u32(u32::from('A') + k),
                toevoeging: None,
                single_family: false,
            });
        }
    }
}
