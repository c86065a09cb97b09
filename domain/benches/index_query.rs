//! Spatial and id lookups in the in-memory model, on a synthetic town of 99,912 buildings
//! (`bench/neighbourhood.rs`): the R-tree search a tile starts with (z12–z16 boxes with the
//! tiles' 1/64 buffer) and finding a building by its BAG id.
//!
//! Each case asserts how many rows it finds on every iteration.
//! Run: `cargo bench -p domain --bench index_query`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly on a broken fixture"
)]

#[path = "../../bench/neighbourhood.rs"]
mod neighbourhood;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::{BagId, WORLD_BITS, WorldPoint, lonlat_to_world};

/// (zoom, buildings whose box meets the buffered tile north-east of the centre).
const CASES: [(u32, usize); 5] = [
    (12, 73_194),
    (13, 38_194),
    (14, 9_575),
    (15, 2_483),
    (16, 542),
];

/// The buffered world box of the tile at zoom `z` holding `p`.
fn tile_box(z: u32, p: WorldPoint) -> (WorldPoint, WorldPoint) {
    let shift = WORLD_BITS - z;
    let size = 1i32 << shift;
    let (x0, y0) = ((p[0] >> shift) << shift, (p[1] >> shift) << shift);
    let pad = size / 64;
    ([x0 - pad, y0 - pad], [x0 + size + pad, y0 + size + pad])
}

fn query(c: &mut Criterion) {
    let model = neighbourhood::model(50);
    assert_eq!(model.building_count(), 99_912);
    let (lon, lat) = neighbourhood::CENTRE;
    let centre = lonlat_to_world(lon + 0.001, lat + 0.001);
    let mut group = c.benchmark_group("buildings_in");
    for (z, expected) in CASES {
        let (lo, hi) = tile_box(z, centre);
        group.bench_function(format!("z{z}"), |b| {
            b.iter(|| {
                let n = model.buildings_in(black_box(lo), black_box(hi)).count();
                assert_eq!(n, expected, "buildings in the z{z} box");
                n
            });
        });
    }
    group.finish();

    // Every 97th id of the town (BAG-style 0344 10 nnnnnnnnnn, numbered from 1).
    let ids: Vec<BagId> = (1..=99_912u64)
        .step_by(97)
        .map(|n| BagId::new(344_100_000_000_000 + n).unwrap())
        .collect();
    c.bench_function("find_building/1031_ids", |b| {
        b.iter(|| {
            let found = ids
                .iter()
                .filter(|&&id| model.find_building(black_box(id)).is_some())
                .count();
            assert_eq!(found, ids.len());
            found
        });
    });
}

criterion_group!(benches, query);
criterion_main!(benches);
