//! The work rules on a synthetic town of ~100,000 buildings (`bench/neighbourhood.rs`): a full
//! derivation of every work item with the shipped rules, the incremental update after one report,
//! and a CQL2 selection of three conditions over every building (an assignment's or a campaign's
//! criteria). Issue 12 §6 asks, on 1 M buildings: full evaluation ≤ 1 s, incremental ≤ 1 ms, a
//! selection over 100,000 buildings ≤ 20 ms.
//!
//! Each case checks its result (items, matches) once, so a change in what is derived shows up as a
//! failure, not as a faster number. Run: `cargo bench -p work --bench rules`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly on a broken fixture"
)]

#[path = "../../bench/neighbourhood.rs"]
mod neighbourhood;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use domain::observations::{LiveObservation, ObservationIndex};
use work::{DEFAULT_RULES, Fields, ObservationTypeInfo, RuleSet, Sources, Target, WorkIndex};

/// The shipped rules, and one per pand like the shipped gas-free rule: the synthetic town has
/// buildings but no addresses, and no 3DBAG, so the shipped address rule finds nothing there.
fn rule_text() -> String {
    format!(
        "{DEFAULT_RULES}
[[rule]]
kind = \"old_homes\"
title = {{ nl = \"Oude woningen\", en = \"Old homes\" }}
target = \"pand\"
when = \"\"\"
woonfunctie AND bouwjaar < 1975
AND NOT gas_readiness.status_class IN ('off_gas', 'not_interested')
\"\"\"
size = \"aantal_verblijfsobjecten\"
unit = {{ nl = \"woningen\", en = \"homes\" }}
skills = [\"knocking_doors\", \"energy_advice\"]
"
    )
}

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
    let (lon, lat) = neighbourhood::CENTRE;
    LiveObservation {
        id,
        kind: "roof_suitability".into(),
        status_class: "suitable".into(),
        observed_at: NOW,
        confirmations: 0,
        point: domain::lonlat_to_world(lon, lat),
        lonlat: [lon, lat],
        building: Some(b.id().get()),
        address: None,
        tree: None,
        areas: b.areas(),
        public_space: false,
        reporter: id,
        accountable: true,
    }
}

fn rules(c: &mut Criterion) {
    let model = neighbourhood::model(50);
    let buildings = model.building_count();
    assert_eq!(buildings, 99_912);
    let fields = Arc::new(Fields::new(types()));
    let rules = Arc::new(RuleSet::parse(&rule_text(), &fields).unwrap());
    let obs = ObservationIndex::default();
    let src = Sources {
        model: &model,
        observations: &obs,
        now: NOW,
    };
    let mut full = WorkIndex::new(Arc::clone(&rules), Arc::clone(&fields));
    full.rebuild(&src);
    let items = full.len();
    assert!(items > 10_000, "{items} items");
    let mut group = c.benchmark_group("work_rules");
    group.sample_size(10);
    group.bench_function("full_derivation_100k_buildings", |b| {
        b.iter(|| {
            let mut w = WorkIndex::new(Arc::clone(&rules), Arc::clone(&fields));
            w.rebuild(black_box(&src));
            assert_eq!(w.len(), items);
            w
        });
    });

    // One report about one roof: only the targets it touches are derived again.
    let mut reported = ObservationIndex::default();
    let o = report(1, &model, 4_242);
    reported.upsert(o.clone());
    let after = Sources {
        model: &model,
        observations: &reported,
        now: NOW,
    };
    let targets = full.targets_of(&after, &o);
    assert!(!targets.is_empty());
    group.sample_size(100);
    group.bench_function("incremental_after_one_report", |b| {
        b.iter(|| {
            let t = full.targets_of(black_box(&after), &o);
            full.refresh(&after, &t)
        });
    });

    // A selection of three conditions over every building (criteria of an assignment).
    let schema = fields.of(work::TargetKind::Pand).schema();
    let criteria = rules::compile(
        "bouwjaar BETWEEN 1960 AND 1990 AND woonfunctie AND aantal_verblijfsobjecten >= 1",
        schema,
    )
    .unwrap();
    let ids: Vec<u64> = model.building_rows().map(|b| b.id().get()).collect();
    let matches = ids
        .iter()
        .filter(|id| full.holds(&src, Target::Pand(**id), &criteria))
        .count();
    assert!(matches > 0 && matches < buildings, "{matches}");
    group.bench_function("cql2_selection_100k_buildings_3_conditions", |b| {
        b.iter(|| {
            let n = ids
                .iter()
                .filter(|id| full.holds(black_box(&src), Target::Pand(**id), &criteria))
                .count();
            assert_eq!(n, matches);
            n
        });
    });

    // 1,000 residents' offers across the gemeente (buurten and wijken, two skills each) matched
    // to the open work of the kinds their skills fit (issue 12 §6: ≤ 50 ms).
    // The buurten and wijken the buildings lie in (the synthetic town has no area polygons).
    let codes: Vec<domain::AreaCode> = model
        .building_rows()
        .flat_map(|b| [b.areas().buurt, b.areas().wijk])
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(codes.len() > 10, "{} areas", codes.len());
    let skills = [
        ["knocking_doors", "cooking"],
        ["energy_advice", "language"],
        ["watering", "gardening"],
        ["solar_installer", "organising"],
    ];
    let offers: Vec<work::talent::Offer> = (0..1_000)
        .map(|i| work::talent::Offer {
            id: i,
            skills: work::talent::Bits::skills(skills[i as usize % skills.len()]).unwrap(),
            area: codes[(i as usize * 7) % codes.len()],
        })
        .collect();
    let matched = work::talent::match_offers(&full, &offers, 5, |_| true);
    let fitting: u64 = matched.iter().map(|m| u64::from(m.items())).sum();
    assert!(
        matched.len() > 400 && fitting > 10_000,
        "{} offers, {fitting} items",
        matched.len()
    );
    group.bench_function("match_1000_offers_to_open_work", |b| {
        b.iter(|| {
            let m = work::talent::match_offers(black_box(&full), &offers, 5, |_| true);
            assert_eq!(m.len(), matched.len());
            m
        });
    });
    // The scale, on request (it builds a town of a million buildings first):
    // WIJKWERK_BENCH_1M=1 cargo bench -p work --bench rules -- 1m
    if std::env::var_os("WIJKWERK_BENCH_1M").is_some() {
        // 159 × 159 blocks of ~40 buildings. (Until 5 December this was 500 × 500 blocks: ten
        // million buildings, not one.)
        let big = neighbourhood::model(159);
        let n = big.building_count();
        assert!((990_000..1_100_000).contains(&n), "{n} buildings");
        let big_src = Sources {
            model: &big,
            observations: &obs,
            now: NOW,
        };
        let mut once = WorkIndex::new(Arc::clone(&rules), Arc::clone(&fields));
        once.rebuild(&big_src);
        let big_items = once.len();
        drop(once);
        group.sample_size(10);
        group.bench_function("full_derivation_1m_buildings", |b| {
            b.iter(|| {
                let mut w = WorkIndex::new(Arc::clone(&rules), Arc::clone(&fields));
                w.rebuild(black_box(&big_src));
                assert_eq!(w.len(), big_items);
                w
            });
        });
    }
    group.finish();
}

criterion_group!(benches, rules);
criterion_main!(benches);
