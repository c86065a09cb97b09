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

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::observations::{LiveObservation, ObservationIndex};
use urgency::{
    DEFAULT_INDICATORS, DoorState, Engine, IndicatorSet, Inputs, Level, Placement, Privacy,
    Schemas, Unit,
};
use work::{DEFAULT_RULES, Fields, ObservationTypeInfo, RuleSet, Sources, WorkIndex};

const NOW: i64 = 1_780_000_000;

fn types() -> Vec<ObservationTypeInfo> {
    let t = |name: &str, classes: &[&str], public_space: bool| ObservationTypeInfo {
        name: name.into(),
        status_classes: classes.iter().map(|s| (*s).to_owned()).collect(),
        public_space,
    };
    vec![
        t(
            "solar_panels",
            &["panels_seen", "no_panels", "unknown"],
            false,
        ),
        t(
            "roof_suitability",
            &["suitable", "partly_shaded", "shaded", "unknown"],
            false,
        ),
        t(
            "gas_readiness",
            &["interested", "maybe", "not_interested", "off_gas"],
            false,
        ),
        t("greenery_distress", &["light", "serious", "dying"], true),
    ]
}

fn report(id: i64, model: &domain::Model, building: u32) -> LiveObservation {
    let b = model.building(building);
    let a = model.address(b.address_rows()[0]);
    let (lon, lat) = domain::world_to_lonlat(a.point());
    let (kind, class, building, address, public) = match id % 3 {
        0 => (
            "roof_suitability",
            "suitable",
            Some(b.id().get()),
            None,
            false,
        ),
        1 => (
            "gas_readiness",
            "interested",
            None,
            Some(a.id().get()),
            false,
        ),
        _ => ("greenery_distress", "serious", None, None, true),
    };
    LiveObservation {
        id,
        kind: kind.into(),
        status_class: class.into(),
        observed_at: NOW - 86_400,
        confirmations: 1,
        point: a.point(),
        lonlat: [lon, lat],
        building,
        address,
        areas: b.areas(),
        public_space: public,
        reporter: id % 400,
        accountable: true,
    }
}

fn recompute(c: &mut Criterion) {
    let model = neighbourhood::model_with_addresses(50);
    assert_eq!(model.building_count(), 99_912);
    assert_eq!(model.address_count(), 99_912);
    let fields = Arc::new(Fields::new(types()));
    let rules = Arc::new(RuleSet::parse(DEFAULT_RULES, &fields).unwrap());
    let schemas = Arc::new(Schemas::new(&fields, &rules));
    let set = Arc::new(IndicatorSet::parse(DEFAULT_INDICATORS, &schemas).unwrap());
    let mut obs = ObservationIndex::default();
    for id in 1..=2_000 {
        obs.upsert(report(id, &model, (id as u32 * 47) % 99_912));
    }
    let src = Sources {
        model: &model,
        observations: &obs,
        now: NOW,
    };
    let mut work = WorkIndex::new(Arc::clone(&rules), Arc::clone(&fields));
    work.rebuild(&src);
    let doors: HashMap<u64, DoorState> = model
        .address_rows()
        .step_by(10)
        .enumerate()
        .map(|(i, a)| {
            (
                a.id().get(),
                DoorState {
                    visited: i % 2 == 0,
                    answered: i % 4 == 0,
                    signed_up: i % 12 == 0,
                    visitor: Some(i as i64 % 25),
                },
            )
        })
        .collect();
    let no_opt_outs = |_: u64| false;
    let inputs = Inputs {
        src,
        work: &work,
        doors: &doors,
        opted_out: &no_opt_outs,
    };
    let privacy = Privacy { k: 5, round_to: 5 };
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
