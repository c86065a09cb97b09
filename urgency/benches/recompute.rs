//! Urgency indicators on a synthetic gemeente of ~100,000 buildings, each with one home
//! (`bench/neighbourhood.rs`), 2,000 residents' reports and 10,000 doors on campaign routes.
//! Issue 14 §7 asks: full recompute of every indicator at every level ≤ 100 ms; the incremental
//! update after one report ≤ 1 ms. Placing the addresses in their cells (RD New, CBS squares, H3 at
//! three resolutions) happens once per model load and is measured on its own.
//!
//! Each case checks its result once, so a change in what is counted shows up as a failure, not
//! as a faster number. Run: `cargo bench -p urgency --bench recompute`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly on a broken fixture"
)]

#[path = "../../bench/neighbourhood.rs"]
mod neighbourhood;

#[path = "../../bench/urgency_world.rs"]
mod urgency_world;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::observations::ObservationIndex;
use urgency::{Engine, Inputs, Level, Placement, Privacy, Unit};
use urgency_world::{NOW, World, report};
use work::Sources;

fn recompute(c: &mut Criterion) {
    let World {
        model,
        obs,
        mut work,
        doors,
        schemas,
        set,
    } = urgency_world::world();
    let src = Sources {
        model: &model,
        observations: &obs,
        now: NOW,
    };
    let no_opt_outs = |_: u64| false;
    let inputs = Inputs {
        src,
        work: &work,
        doors: &doors,
        opted_out: &no_opt_outs,
    };
    let privacy = Privacy {
        k: 5,
        round_to: 5,
        cell_key: Some([7, 11]),
    };
    let mut group = c.benchmark_group("urgency");
    group.sample_size(10);
    group.bench_function("place_100k_addresses_7_levels", |b| {
        b.iter(|| Placement::new(black_box(&model)));
    });
    let place = Arc::new(Placement::new(&model));
    let mut engine = Engine::build(
        Arc::clone(&set),
        Arc::clone(&schemas),
        privacy,
        Arc::clone(&place),
        &inputs,
    );
    let buurten = engine.release(&model, 0, Level::Buurt);
    let released = buurten.iter().filter(|c| !c.suppressed).count();
    assert!(
        buurten.len() >= 90 && released > 80,
        "{} buurten, {released} released",
        buurten.len()
    );
    group.bench_function("full_recompute_every_indicator_every_level_100k", |b| {
        b.iter(|| {
            Engine::build(
                Arc::clone(&set),
                Arc::clone(&schemas),
                privacy,
                black_box(Arc::clone(&place)),
                &inputs,
            )
        });
    });
    // The same without the cell key: what the cell-key method (ADR 22) costs, in the same run.
    let exact = Privacy {
        cell_key: None,
        ..privacy
    };
    group.bench_function("full_recompute_without_cell_key_100k", |b| {
        b.iter(|| {
            Engine::build(
                Arc::clone(&set),
                Arc::clone(&schemas),
                exact,
                black_box(Arc::clone(&place)),
                &inputs,
            )
        });
    });
    // A raster indicator over a 10 m raster of the whole gemeente: its zonal means are made once
    // per model, on the first build with a new placement (placing the addresses is the case
    // above; subtract it).
    let (raster_set, pixels, _tmp) = raster_set(&model, &schemas);
    group.bench_function("placement_and_zonal_mean_10m_raster_100k", |b| {
        b.iter_batched(
            || Arc::new(Placement::new(&model)),
            |fresh| {
                Engine::build(
                    Arc::clone(&raster_set),
                    Arc::clone(&schemas),
                    privacy,
                    fresh,
                    &inputs,
                )
            },
            criterion::BatchSize::LargeInput,
        );
    });
    eprintln!("the raster has {pixels} pixels");
    group.bench_function("release_every_indicator_every_level_100k", |b| {
        b.iter(|| {
            let mut n = 0;
            for i in 0..set.indicators.len() {
                for level in Level::ALL {
                    n += engine.release(&model, i, level).len();
                }
            }
            n
        });
    });

    // One more report about one roof: the work items of that pand are derived again and the
    // units it touches are re-tallied.
    let mut after_obs = ObservationIndex::default();
    for o in obs.all() {
        after_obs.upsert(o.clone());
    }
    let o = report(3_000, &model, 4_242);
    after_obs.upsert(o.clone());
    let after = Sources {
        model: &model,
        observations: &after_obs,
        now: NOW,
    };
    let targets = work.targets_of(&after, &o);
    work.refresh(&after, &targets);
    let inputs = Inputs {
        src: after,
        work: &work,
        doors: &doors,
        opted_out: &no_opt_outs,
    };
    group.sample_size(100);
    group.bench_function("incremental_after_one_report", |b| {
        b.iter(|| {
            let mut units = vec![Unit::Report(o.id)];
            for t in &targets {
                units.extend(engine.units_of(&inputs, *t));
            }
            engine.update(black_box(&inputs), units);
        });
    });
    group.bench_function("release_buurt_one_indicator", |b| {
        b.iter(|| engine.release(&model, 0, Level::Buurt));
    });
    group.finish();
}

/// The shipped indicators and one over a 10 m GeoTIFF covering every address of `model` (and
/// 1 km around), written to a temporary folder (returned, to keep it).
fn raster_set(
    model: &domain::Model,
    schemas: &Arc<urgency::Schemas>,
) -> (Arc<urgency::IndicatorSet>, u64, tempfile::TempDir) {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for a in model.address_rows() {
        let (lon, lat) = domain::world_to_lonlat(a.point());
        let (x, y) = domain::rd::wgs84_to_rd(lon, lat);
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    let (x0, y1) = (
        (b[0] / 100.0).floor() * 100.0 - 1000.0,
        (b[3] / 100.0).ceil() * 100.0 + 1000.0,
    );
    let cols = ((b[2] + 1000.0 - x0) / 10.0).ceil() as u32;
    let rows = ((y1 - (b[1] - 1000.0)) / 10.0).ceil() as u32;
    let values: Vec<f32> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| ((r * 7 + c * 3) % 31) as f32 / 10.0))
        .collect();
    let raster = urgency::Raster::new((x0, y1), (10.0, 10.0), (cols, rows), values).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(tmp.path().join("heat.tif")).unwrap();
    urgency::write_geotiff(
        std::io::BufWriter::new(file),
        &raster,
        -9999.0,
        urgency::RD_NEW,
    )
    .unwrap();
    let text = format!(
        r#"{}
[[indicator]]
name = "heat"
title = {{ nl = "Hitte", en = "Heat" }}
description = {{ nl = "Hitte-eiland", en = "Heat island" }}
over = "raster"
measure = "mean"
raster = "heat.tif"
source = {{ nl = "RIVM", en = "RIVM" }}
freshness = {{ nl = "vast", en = "fixed" }}
higher_is_more_urgent = true
"#,
        urgency::DEFAULT_INDICATORS
    );
    let set = urgency::IndicatorSet::parse_in(&text, schemas, tmp.path()).unwrap();
    (Arc::new(set), u64::from(cols) * u64::from(rows), tmp)
}

criterion_group!(benches, recompute);
criterion_main!(benches);
