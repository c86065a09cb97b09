//! The model against brute force: R-tree queries find exactly the rows whose boxes intersect, lookups
//! by id find every row, and per-building address links are the inverse of per-address building links.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

use domain::{
    Address, AddressStatus, AreaRefs, BagId, Building, BuildingStatus, ModelBuilder, UsageSet,
    lonlat_to_world,
};
use geo::{MultiPolygon, Point, polygon};

/// A small deterministic generator (xorshift64*), so the test needs no RNG crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn model(n: u64) -> (domain::Model, Vec<(u64, [f64; 4])>) {
    let mut rng = Rng(0x5eed);
    let mut b = ModelBuilder::default();
    let mut boxes = Vec::new();
    for i in 0..n {
        let (x, y) = (5.9 + rng.next() * 0.05, 51.95 + rng.next() * 0.03);
        let (w, h) = (0.00005 + rng.next() * 0.0002, 0.00003 + rng.next() * 0.0001);
        let id = 1_999_100_000_000_000 + (i * 7919) % 1_000_000;
        let status = if i % 50 == 0 {
            BuildingStatus::Demolished
        } else {
            BuildingStatus::InUse
        };
        b.add_building(&Building {
            id: BagId::new(id).unwrap(),
            footprint_wgs84: MultiPolygon(vec![polygon![(x: x, y: y), (x: x + w, y: y), (x: x + w, y: y + h), (x: x, y: y + h), (x: x, y: y)]]),
            bouwjaar: 1950,
            status,
            usage: UsageSet::EMPTY,
            units: 1,
            areas: AreaRefs::default(),
        });
        if status.is_drawn() {
            boxes.push((id, [x, y, x + w, y + h]));
            b.add_address(&Address {
                id: BagId::new(id - 90_000_000_000).unwrap(),
                location_wgs84: Point::new(x + w / 2.0, y + h / 2.0),
                street: format!("Straat {}", i % 40),
                house_number: (i % 200) as u32 + 1,
                house_letter: None,
                addition: None,
                postcode: None,
                place: "Wijkdorp".into(),
                status: AddressStatus::InUse,
                usage: UsageSet::EMPTY,
                floor_area_m2: None,
                building_ids: vec![BagId::new(id).unwrap()],
                areas: AreaRefs::default(),
            });
        }
    }
    (b.build(), boxes)
}

#[test]
fn rtree_queries_match_brute_force() {
    let (m, boxes) = model(3000);
    assert_eq!(
        m.building_count(),
        boxes.len(),
        "demolished buildings are left out"
    );
    let mut rng = Rng(42);
    for _ in 0..50 {
        let (x, y) = (5.9 + rng.next() * 0.05, 51.95 + rng.next() * 0.03);
        let q = [x, y, x + 0.004, y + 0.003];
        let sw = lonlat_to_world(q[0], q[1]);
        let ne = lonlat_to_world(q[2], q[3]);
        let mut got: Vec<u64> = m
            .buildings_in([sw[0], ne[1]], [ne[0], sw[1]])
            .map(|(r, _)| m.building(r).id().get())
            .collect();
        got.sort_unstable();
        let mut want: Vec<u64> = boxes
            .iter()
            .filter(|(_, b)| {
                let (lo, hi) = (lonlat_to_world(b[0], b[3]), lonlat_to_world(b[2], b[1]));
                lo[0] <= ne[0] && hi[0] >= sw[0] && lo[1] <= sw[1] && hi[1] >= ne[1]
            })
            .map(|(id, _)| *id)
            .collect();
        want.sort_unstable();
        assert_eq!(got, want);
    }
}

#[test]
fn every_row_is_found_by_id_and_links_are_inverse() {
    let (m, boxes) = model(1000);
    for (id, _) in &boxes {
        let b = m.find_building(BagId::new(*id).unwrap()).unwrap();
        assert_eq!(b.id().get(), *id);
        for &a in b.address_rows() {
            assert!(m.address(a).building_rows().contains(&b.index()));
        }
    }
    for a in m.address_rows() {
        for &b in a.building_rows() {
            assert!(m.building(b).address_rows().contains(&a.index()));
        }
        assert_eq!(m.find_address(a.id()).unwrap().index(), a.index());
    }
    assert!(m.find_building(BagId::new(1).unwrap()).is_none());
}
