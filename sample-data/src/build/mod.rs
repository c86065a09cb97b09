//! Turning a buurt's placed groups into panden (footprints, year, status) and verblijfsobjecten
//! (location, floor area, use, address), as BAG would register them. Houses are built in
//! `houses`, flats and shops in `blocks`.

mod blocks;
mod houses;

use domain::{AddressStatus, BuildingStatus, Usage};
use geo::Coord;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::address::Streets;
use crate::footprint::{bbox, l_shape, rect};
use crate::groups::{Group, Kind};
use crate::layout::Era;
use crate::street::{FRONT, Frame, Side};

/// A pand: footprint ring (closed, counter-clockwise, RD metres) with its bounding box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pand {
    pub(crate) ring: Vec<Coord<f64>>,
    pub(crate) bbox: [f64; 4],
    pub(crate) bouwjaar: u16,
    pub(crate) status: BuildingStatus,
}

/// A verblijfsobject with its main address. `pand` and `second_pand` index the buurt's panden.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    pub(crate) location: Coord<f64>,
    pub(crate) oppervlakte: u32,
    pub(crate) status: AddressStatus,
    pub(crate) usage: Usage,
    /// Index into [`Streets::names`](crate::address::Streets).
    pub(crate) street: u32,
    pub(crate) huisnummer: u32,
    pub(crate) huisletter: Option<char>,
    pub(crate) toevoeging: Option<&'static str>,
    pub(crate) postcode: [u8; 6],
    pub(crate) pand: u32,
    pub(crate) second_pand: Option<u32>,
}

/// What the CBS statistics of a buurt are derived from.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Verblijfsobjecten that exist (not withdrawn, not planned).
    pub(crate) addresses: u64,
    /// Dwellings in use.
    pub(crate) dwellings: u64,
    /// Of those, single-family houses (*eengezinswoningen*).
    pub(crate) single_family: u64,
    /// Dwellings in use by known construction year.
    pub(crate) before_2000: u64,
    pub(crate) since_2000: u64,
}

/// The panden and verblijfsobjecten of one buurt.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct BuurtOutput {
    pub(crate) panden: Vec<Pand>,
    pub(crate) units: Vec<Unit>,
    pub(crate) tally: Tally,
}

/// Builds one section of a street at a time into a [`BuurtOutput`].
pub(crate) struct Builder<'a> {
    rng: &'a mut ChaCha8Rng,
    streets: &'a mut Streets,
    era: Era,
    out: BuurtOutput,
    frame: Option<Frame>,
    street: u32,
    side: usize,
    postcode: [u8; 6],
    last_number: Option<u32>,
}

#[derive(Clone, Copy)]
pub(super) struct UnitSpec {
    pand: u32,
    second_pand: Option<u32>,
    at: (f64, f64),
    oppervlakte: u32,
    usage: Usage,
    huisnummer: u32,
    huisletter: Option<char>,
    toevoeging: Option<&'static str>,
    single_family: bool,
}

impl<'a> Builder<'a> {
    pub(crate) fn new(rng: &'a mut ChaCha8Rng, streets: &'a mut Streets, era: Era) -> Self {
        Self {
            rng,
            streets,
            era,
            out: BuurtOutput::default(),
            frame: None,
            street: 0,
            side: 0,
            postcode: *b"1000AA",
            last_number: None,
        }
    }

    /// Starts a section: the following groups stand along `street` on `side`, in `frame`.
    pub(crate) fn section(&mut self, frame: Frame, street: u32, side: Side, postcode: [u8; 6]) {
        self.frame = Some(frame);
        self.street = street;
        self.side = match side {
            Side::South => 0,
            Side::North => 1,
        };
        self.postcode = postcode;
        self.last_number = None;
    }

    pub(crate) fn finish(self) -> BuurtOutput {
        self.out
    }

    fn take_number(&mut self) -> u32 {
        let n = self.streets.next_number(self.street, self.side);
        self.last_number = Some(n);
        n
    }

    fn pand(&mut self, local: &[(f64, f64)], group: &Group) -> u32 {
        let ring = self.frame.map(|f| f.ring(local)).unwrap_or_default();
        let status = if group.status == BuildingStatus::InUse {
            match self.rng.random::<f64>() {
                r if r < 0.010 => BuildingStatus::InUseNotMeasured,
                r if r < 0.015 => BuildingStatus::Renovation,
                r if r < 0.018 => BuildingStatus::OutOfUse,
                _ => BuildingStatus::InUse,
            }
        } else {
            group.status
        };
        let unknown_year = if self.era == Era::Prewar { 0.02 } else { 0.004 };
        let bouwjaar = if !status.is_planned() && self.rng.random_bool(unknown_year) {
            9999
        } else {
            group.bouwjaar
        };
        self.out.panden.push(Pand {
            bbox: bbox(&ring),
            ring,
            bouwjaar,
            status,
        });
        (self.out.panden.len() - 1) as u32
    }

    fn unit(&mut self, spec: UnitSpec) {
        let pand = &self.out.panden[spec.pand as usize];
        let status = match pand.status {
            BuildingStatus::PermitGranted | BuildingStatus::ConstructionStarted => {
                AddressStatus::Formed
            }
            BuildingStatus::Demolished => AddressStatus::Withdrawn,
            BuildingStatus::NotRealised => AddressStatus::NotRealised,
            BuildingStatus::OutOfUse => AddressStatus::OutOfUse,
            BuildingStatus::InUseNotMeasured => AddressStatus::InUseNotMeasured,
            _ if self.rng.random_bool(0.01) => AddressStatus::InUseNotMeasured,
            _ => AddressStatus::InUse,
        };
        let t = &mut self.out.tally;
        if status.is_shown() && status != AddressStatus::Formed {
            t.addresses += 1;
        }
        if spec.usage == Usage::Woonfunctie
            && matches!(
                status,
                AddressStatus::InUse | AddressStatus::InUseNotMeasured
            )
        {
            t.dwellings += 1;
            t.single_family += u64::from(spec.single_family);
            match pand.bouwjaar {
                9999 => {}
                y if y < 2000 => t.before_2000 += 1,
                _ => t.since_2000 += 1,
            }
        }
        let location = self
            .frame
            .map(|f| f.point(spec.at.0, spec.at.1))
            .unwrap_or_default();
        self.out.units.push(Unit {
            location,
            oppervlakte: spec.oppervlakte.max(1),
            status,
            usage: spec.usage,
            street: self.street,
            huisnummer: spec.huisnummer,
            huisletter: spec.huisletter,
            toevoeging: spec.toevoeging,
            postcode: self.postcode,
            pand: spec.pand,
            second_pand: spec.second_pand,
        });
    }

    /// Usable floor area of a building of `footprint_m2` with `floors` storeys.
    fn floor_area(&mut self, footprint_m2: f64, floors: f64) -> u32 {
        (footprint_m2 * floors * self.rng.random_range(0.78..0.9)).round() as u32
    }

    pub(crate) fn group(&mut self, group: &Group, u0: f64) {
        match group.kind {
            Kind::Terraced {
                units,
                width,
                depth,
                extensions,
            } => {
                for i in 0..units {
                    let (a, b) = (u0 + f64::from(i) * width, u0 + f64::from(i + 1) * width);
                    let ext = extensions && self.rng.random_bool(0.5);
                    self.house(group, a, b, depth, ext);
                }
            }
            Kind::Semi { width, depth } => {
                for i in 0..2 {
                    let (a, b) = (u0 + f64::from(i) * width, u0 + f64::from(i + 1) * width);
                    let ext = self.rng.random_bool(0.3);
                    self.house(group, a, b, depth, ext);
                }
            }
            Kind::Detached {
                width,
                depth,
                l_shape: l,
                garage,
            } => self.detached(group, u0, width, depth, l, garage),
            Kind::Flat {
                per_floor,
                unit_width,
                depth,
                floors,
                portiek,
                split,
            } => {
                self.flat(
                    group, u0, per_floor, unit_width, depth, floors, portiek, split,
                );
            }
            Kind::Shops {
                units,
                width,
                depth,
                flats_above,
            } => self.shops(group, u0, units, width, depth, flats_above),
            Kind::School {
                length,
                depth,
                l_shape: l,
            } => {
                let shape: Vec<(f64, f64)> = if l {
                    l_shape(
                        u0,
                        u0 + length,
                        FRONT,
                        FRONT + depth,
                        u0 + length * 0.4,
                        FRONT + depth * 0.55,
                    )
                    .to_vec()
                } else {
                    rect(u0, u0 + length, FRONT, FRONT + depth).to_vec()
                };
                let p = self.pand(&shape, group);
                let oppervlakte = self.floor_area(length * depth * if l { 0.75 } else { 1.0 }, 2.0);
                let n = self.take_number();
                self.unit(UnitSpec {
                    pand: p,
                    second_pand: None,
                    at: (length * 0.2 + u0, FRONT + depth * 0.3),
                    oppervlakte,
                    usage: Usage::Onderwijsfunctie,
                    huisnummer: n,
                    huisletter: None,
                    toevoeging: None,
                    single_family: false,
                });
            }
            Kind::Community {
                width,
                depth,
                usage,
            } => {
                let p = self.pand(&rect(u0, u0 + width, FRONT, FRONT + depth), group);
                let floors = f64::from(self.rng.random_range(1..=2u8));
                let oppervlakte = self.floor_area(width * depth, floors);
                let n = self.take_number();
                self.unit(UnitSpec {
                    pand: p,
                    second_pand: None,
                    at: (u0 + width / 2.0, FRONT + depth / 2.0),
                    oppervlakte,
                    usage,
                    huisnummer: n,
                    huisletter: None,
                    toevoeging: None,
                    single_family: false,
                });
            }
        }
    }
}
