//! The synthetic gemeente the urgency benchmarks share: ~100,000 buildings, each with one home
//! (`neighbourhood.rs`), 2,000 residents' reports, the work derived by the default rules and
//! 10,000 doors on campaign routes. Included with `#[path]` by `urgency/benches/recompute.rs` and
//! `tiles/benches/urgency_tile.rs`, next to `neighbourhood.rs`.

use std::collections::HashMap;
use std::sync::Arc;

use domain::observations::{LiveObservation, ObservationIndex};
use urgency::{DEFAULT_INDICATORS, DoorState, IndicatorSet, Schemas};
use work::{DEFAULT_RULES, Fields, ObservationTypeInfo, RuleSet, Sources, WorkIndex};

use super::neighbourhood;

pub const NOW: i64 = 1_780_000_000;

pub fn types() -> Vec<ObservationTypeInfo> {
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

pub fn report(id: i64, model: &domain::Model, building: u32) -> LiveObservation {
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
        tree: None,
        areas: b.areas(),
        public_space: public,
        reporter: id % 400,
        accountable: true,
    }
}

/// The gemeente, its reports, work, doors and the shipped indicators.
pub struct World {
    pub model: domain::Model,
    pub obs: ObservationIndex,
    pub work: WorkIndex,
    pub doors: HashMap<u64, DoorState>,
    pub schemas: Arc<Schemas>,
    pub set: Arc<IndicatorSet>,
}

/// Builds it (a few seconds).
pub fn world() -> World {
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
    World {
        model,
        obs,
        work,
        doors,
        schemas,
        set,
    }
}
