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

criterion_group!(benches, recompute);
criterion_main!(benches);
