//! Rendering one `buildings` tile from the in-memory model, per zoom, on a synthetic town of
//! ~100,000 buildings (`bench/neighbourhood.rs`): footprints at z15–z16, blocks at z12–z14.
//!
//! Each case checks the decoded tile once (layer and feature count) and the byte length on every
//! iteration, so a change in what is drawn shows up as a failure, not as a faster number.
//! Run: `cargo bench -p tiles --bench render_tile`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly on a broken fixture"
)]

#[path = "../../bench/neighbourhood.rs"]
mod neighbourhood;
#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tiles::{TileCoord, TileSet};

/// (zoom, features expected in the `buildings` layer of the tile at the town's centre).
const CASES: [(u8, usize); 5] = [(12, 162), (13, 3982), (14, 2358), (15, 2482), (16, 542)];

fn render(c: &mut Criterion) {
    let model = neighbourhood::model(50);
    assert_eq!(model.building_count(), 99_912);
    let set = TileSet::default();
    let (lon, lat) = neighbourhood::CENTRE;
    let mut group = c.benchmark_group("render_buildings");
    for (z, features) in CASES {
        // The tile just north-east of the centre, so it lies wholly inside the town.
        let tile = TileCoord::covering(z, [lon + 0.001, lat + 0.001, lon + 0.001, lat + 0.001])
            .next()
            .unwrap();
        let bytes = set
            .render(&tiles::Sources::registers(&model), "buildings", tile)
            .unwrap();
        let layers = support::decode(&bytes);
        assert_eq!(layers.len(), 1);
        assert_eq!(layers[0].name, "buildings");
        assert_eq!(
            layers[0].features.len(),
            features,
            "features in z{z} tile {tile}"
        );
        let len = bytes.len();
        group.bench_function(format!("z{z}"), |b| {
            b.iter(|| {
                let out = set
                    .render(
                        &tiles::Sources::registers(&model),
                        "buildings",
                        black_box(tile),
                    )
                    .unwrap();
                assert_eq!(out.len(), len);
                out
            });
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
