//! A synthetic, BAG-shaped town for the criterion benches (`tiles/benches/render_tile.rs`,
//! `domain/benches/index_query.rs`), generated in code so the benches need no files and no extra
//! crates. Included by both with `#[path]`.
//!
//! Shape (deterministic, like the Martin kit's `gen_pand.py` in spirit, not in code): a square of
//! `blocks × blocks` blocks of 100 m around (5.12° E, 52.09° N); in each block row houses of 5–7.5 m
//! by 8–12 m along the four edges (70 % rectangles, 20 % L-shapes, 10 % with a bay and an
//! extension), every tenth block a few large buildings instead, every block turned by up to ±12°.
//! Identificaties are BAG-style (0344 10 nnnnnnnnnn), bouwjaar falls with the distance to the centre.

use domain::{AreaRefs, BagId, Building, BuildingStatus, ModelBuilder, Usage, UsageSet};
use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Longitude and latitude of the centre of the town.
pub const CENTRE: (f64, f64) = (5.12, 52.09);
const BLOCK_M: f64 = 100.0;

/// A small xorshift generator: the benches must not depend on `rand`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// Footprint in block-local metres: along an edge at `u` (metres along it), `w` wide, `d` deep.
fn house(u: f64, w: f64, d: f64, rng: &mut Rng) -> Vec<(f64, f64)> {
    let r = rng.next();
    if r < 0.7 {
        vec![(u, 0.0), (u + w, 0.0), (u + w, d), (u, d)]
    } else if r < 0.9 {
        let (cw, cd) = (w * rng.range(0.35, 0.6), d * rng.range(0.3, 0.5));
        vec![
            (u, 0.0),
            (u + w, 0.0),
            (u + w, d - cd),
            (u + w - cw, d - cd),
            (u + w - cw, d),
            (u, d),
        ]
    } else {
        let (bx, bw, bd) = (u + w * 0.55, w * 0.25, rng.range(0.4, 0.9));
        let (ex, ew, ed) = (u + w * 0.2, w * 0.4, rng.range(1.5, 3.0));
        vec![
            (u, 0.0),
            (bx, 0.0),
            (bx, -bd),
            (bx + bw, -bd),
            (bx + bw, 0.0),
            (u + w, 0.0),
            (u + w, d),
            (ex + ew, d),
            (ex + ew, d + ed),
            (ex, d + ed),
            (ex, d),
            (u, d),
        ]
    }
}

/// The footprints of one block, in block-local metres (origin at its south-west corner).
fn block(large: bool, rng: &mut Rng) -> Vec<Vec<(f64, f64)>> {
    if large {
        return (0..3)
            .map(|i| {
                let y = 10.0 + f64::from(i) * 28.0;
                let (w, d) = (rng.range(30.0, 70.0), rng.range(12.0, 20.0));
                vec![(10.0, y), (10.0 + w, y), (10.0 + w, y + d), (10.0, y + d)]
            })
            .collect();
    }
    let inset = 8.0;
    let side = BLOCK_M - 2.0 * inset;
    let mut out = Vec::new();
    for edge in 0..4 {
        let mut u = 0.0;
        loop {
            let (w, d) = (rng.range(5.0, 7.5), rng.range(8.0, 12.0));
            if u + w > side - 12.0 {
                break;
            }
            let local = house(u, w, d, rng);
            // Edge frame (u along the edge, v inwards) into the block frame.
            out.push(
                local
                    .into_iter()
                    .map(|(a, v)| match edge {
                        0 => (inset + a, inset + v),
                        1 => (BLOCK_M - inset - v, inset + a),
                        2 => (BLOCK_M - inset - a, BLOCK_M - inset - v),
                        _ => (inset + v, BLOCK_M - inset - a),
                    })
                    .collect(),
            );
            u += w;
        }
    }
    out
}

/// Builds the model of a town of `blocks × blocks` blocks (about 40 buildings per block; 99,912 for 50).
#[allow(
    dead_code,
    reason = "not every bench that includes this file uses both towns"
)]
pub fn model(blocks: u32) -> domain::Model {
    town(blocks, false)
}

/// The same town with one home address in each building (at its first corner, numbered along the
/// blocks): for the benches that count households.
#[allow(
    dead_code,
    reason = "not every bench that includes this file uses both towns"
)]
pub fn model_with_addresses(blocks: u32) -> domain::Model {
    town(blocks, true)
}

fn town(blocks: u32, addresses: bool) -> domain::Model {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut builder = ModelBuilder::default();
    let (lon0, lat0) = CENTRE;
    let m_per_lon = 111_320.0 * lat0.to_radians().cos();
    let m_per_lat = 110_574.0;
    let half = f64::from(blocks) * BLOCK_M / 2.0;
    let mut seq = 0u64;
    let mut housing = UsageSet::EMPTY;
    housing.insert(Usage::Woonfunctie);
    for j in 0..blocks {
        for i in 0..blocks {
            let (ox, oy) = (f64::from(i) * BLOCK_M - half, f64::from(j) * BLOCK_M - half);
            let angle = rng.range(-12.0, 12.0).to_radians();
            let (s, c) = angle.sin_cos();
            let dist = (ox * ox + oy * oy).sqrt();
            for ring in block((i * 7 + j * 3) % 10 == 0, &mut rng) {
                seq += 1;
                let mut coords: Vec<Coord<f64>> = ring
                    .iter()
                    .map(|&(x, y)| {
                        let (lx, ly) = (x - BLOCK_M / 2.0, y - BLOCK_M / 2.0);
                        let gx = ox + BLOCK_M / 2.0 + lx * c - ly * s;
                        let gy = oy + BLOCK_M / 2.0 + lx * s + ly * c;
                        Coord {
                            x: lon0 + gx / m_per_lon,
                            y: lat0 + gy / m_per_lat,
                        }
                    })
                    .collect();
                coords.push(coords[0]);
                let bouwjaar = (2024.0 - dist / 20.0 - rng.range(0.0, 60.0)).max(1400.0) as u16;
                let b = Building {
                    id: BagId::new(344_100_000_000_000 + seq).expect("16 digits"),
                    footprint_wgs84: MultiPolygon(vec![Polygon::new(LineString(coords), vec![])]),
                    bouwjaar,
                    status: BuildingStatus::InUse,
                    usage: housing,
                    units: 1,
                    // A wijk per 10 × 10 blocks, four buurten in each (CBS codes of a made-up
                    // gemeente 3441; a town of more than 100 wijken goes on in gemeente 3442, …).
                    areas: AreaRefs::from_code({
                        let wijk = (j / 10) * 5 + i / 10;
                        format!(
                            "BU{:04}{:02}{:02}",
                            3441 + wijk / 100,
                            wijk % 100,
                            ((j % 10) / 5) * 2 + (i % 10) / 5
                        )
                        .parse()
                        .expect("a buurt code")
                    }),
                };
                if addresses {
                    let at = b.footprint_wgs84.0[0].exterior().0[0];
                    builder.add_address(&domain::Address {
                        id: BagId::new(344_200_000_000_000 + seq).expect("16 digits"),
                        location_wgs84: geo::Point::new(at.x, at.y),
                        street: format!("Blokstraat {j}"),
                        house_number: u32::try_from(seq % 10_000).unwrap_or(1) + 1,
                        house_letter: None,
                        addition: None,
                        postcode: None,
                        place: "Benchdorp".into(),
                        status: domain::AddressStatus::InUse,
                        usage: housing,
                        floor_area_m2: Some(100),
                        building_ids: vec![b.id],
                        areas: b.areas,
                    });
                }
                builder.add_building(&b);
            }
        }
    }
    if addresses {
        add_areas(&mut builder, blocks);
    }
    builder.build()
}

/// The CBS areas of the town with addresses, as the buildings name them: gemeente 3441, a wijk
/// per 10 × 10 blocks, four buurten of 5 × 5 blocks in each, as squares (the blocks turn a little,
/// so a house at a corner may stick out).
fn add_areas(builder: &mut ModelBuilder, blocks: u32) {
    let (lon0, lat0) = CENTRE;
    let m_per_lon = 111_320.0 * lat0.to_radians().cos();
    let m_per_lat = 110_574.0;
    let half = f64::from(blocks) * BLOCK_M / 2.0;
    let square = |i0: u32, j0: u32, n: u32| {
        let (x0, y0) = (
            f64::from(i0) * BLOCK_M - half,
            f64::from(j0) * BLOCK_M - half,
        );
        let side = f64::from(n.min(blocks - i0).min(blocks - j0)) * BLOCK_M;
        let ring: Vec<Coord<f64>> = [
            (0.0, 0.0),
            (side, 0.0),
            (side, side),
            (0.0, side),
            (0.0, 0.0),
        ]
        .iter()
        .map(|(dx, dy)| Coord {
            x: lon0 + (x0 + dx) / m_per_lon,
            y: lat0 + (y0 + dy) / m_per_lat,
        })
        .collect();
        MultiPolygon(vec![Polygon::new(LineString(ring), vec![])])
    };
    let area = |code: String, name: String, boundary: MultiPolygon<f64>| domain::Area {
        code: code.parse().expect("a CBS code"),
        name,
        boundary_wgs84: boundary,
        residents: None,
        households: None,
        share_65_plus: None,
        density: None,
    };
    builder.add_area(&area(
        "GM3441".into(),
        "Benchdorp".into(),
        square(0, 0, blocks),
    ));
    let n = blocks.div_ceil(10);
    for wj in 0..n {
        for wi in 0..n {
            let w = wj * 5 + wi;
            let (i0, j0) = (wi * 10, wj * 10);
            builder.add_area(&area(
                format!("WK3441{w:02}"),
                format!("Wijk {w}"),
                square(i0, j0, 10),
            ));
            for b in 0..4 {
                let (bi, bj) = (i0 + (b % 2) * 5, j0 + (b / 2) * 5);
                if bi < blocks && bj < blocks {
                    builder.add_area(&area(
                        format!("BU3441{w:02}{b:02}"),
                        format!("Buurt {w}-{b}"),
                        square(bi, bj, 5),
                    ));
                }
            }
        }
    }
}
