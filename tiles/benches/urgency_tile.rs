//! Drawing one `urgency_<level>` tile uncached (issue 14 §7: an urgency tile at the buurt level
//! ≤ 1 ms), on the synthetic gemeente of ~100,000 homes of `bench/urgency_world.rs`, and making
//! the level release the tiles draw from (after each change in the indicators).
//!
//! Each case checks the decoded tile once (its layer and how many cells) and the byte length on
//! every iteration. Run: `cargo bench -p tiles --bench urgency_tile`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly on a broken fixture"
)]

#[path = "../../bench/neighbourhood.rs"]
mod neighbourhood;
#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../../bench/urgency_world.rs"]
mod urgency_world;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::access::Principal;
use tiles::{Part, TileCoord, TileSet};
use urgency::{Engine, Inputs, Level, LevelRelease, Placement, Privacy, Shapes};
use work::Sources;

fn render(c: &mut Criterion) {
    let w = urgency_world::world();
    let no_opt_outs = |_: u64| false;
    let inputs = Inputs {
        src: Sources {
            model: &w.model,
            observations: &w.obs,
            now: urgency_world::NOW,
        },
        work: &w.work,
        doors: &w.doors,
        opted_out: &no_opt_outs,
    };
    let engine = Engine::build(
        Arc::clone(&w.set),
        Arc::clone(&w.schemas),
        Privacy {
            k: 5,
            round_to: 5,
            cell_key: Some([7, 11]),
        },
        Arc::new(Placement::new(&w.model)),
        &inputs,
    );
    let set = TileSet::with_urgency(&w.set);
    let (lon, lat) = neighbourhood::CENTRE;
    let mut group = c.benchmark_group("urgency_tile");
    let mut released = std::collections::HashSet::new();
    // (level, zoom, cells in the tile at the town's centre).
    for (level, z, cells) in [
        (Level::Buurt, 12, 81),
        (Level::Buurt, 14, 20),
        (Level::Grid100, 14, 272),
        (Level::H3r9, 13, 133),
    ] {
        let mut shapes = Shapes::default();
        let release = LevelRelease::new(&engine, &w.model, level, &mut shapes);
        let id = set.urgency_tileset(level).unwrap();
        let tile = TileCoord::covering(z, [lon + 0.001, lat + 0.001, lon + 0.001, lat + 0.001])
            .next()
            .unwrap();
        let sources = tiles::Sources {
            urgency: Some(&release),
            ..tiles::Sources::registers(&w.model)
        };
        let draw = || set.render_part(id, Part::Public, &sources, &Principal::Anonymous, tile);
        let bytes = draw();
        let layers = support::decode(&bytes);
        assert_eq!(layers.len(), 1);
        assert_eq!(layers[0].name, tiles::urgency_layer_name(level));
        assert_eq!(
            layers[0].features.len(),
            cells,
            "cells in {level} z{z} tile {tile}"
        );
        let len = bytes.len();
        group.bench_function(format!("{level}_z{z}"), |b| {
            b.iter(|| {
                let out = black_box(&draw)();
                assert_eq!(out.len(), len);
                out
            });
        });
        if released.insert(level) {
            group.bench_function(format!("release_{level}"), |b| {
                b.iter(|| LevelRelease::new(&engine, &w.model, level, black_box(&mut shapes)));
            });
        }
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
