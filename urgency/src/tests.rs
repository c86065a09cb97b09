//! Indicators on a hand-checked fixture, suppression, file errors, and incremental equals full
//! recompute on random changes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::HashMap;
use std::sync::Arc;

use domain::observations::{LiveObservation, ObservationIndex};
use domain::{
    Address, AddressStatus, AreaCode, AreaRefs, BagId, Building, BuildingStatus, Model,
    ModelBuilder, Usage, UsageSet,
};
use geo::{MultiPolygon, Point, polygon};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use work::{DEFAULT_RULES, Fields, ObservationTypeInfo, RuleSet, Sources, Target, WorkIndex};

use crate::{
    Cell, DEFAULT_INDICATORS, DoorState, Engine, IndicatorSet, Inputs, Level, Placement, Privacy,
    Schemas, Unit,
};

const NOW: i64 = 1_780_000_000;
const DAY: i64 = 86_400;

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
        t(
            "greenery_distress",
            &["light", "serious", "dying", "unknown"],
            true,
        ),
    ]
}

fn buurt(n: u8) -> AreaRefs {
    AreaRefs::from_code(format!("BU199901{n:02}").parse::<AreaCode>().unwrap())
}

fn lonlat(i: u64) -> (f64, f64) {
    (5.0 + i as f64 * 0.001, 52.0)
}

/// One house per entry: (bouwjaar, buurt number). Pand 1000+i, address 2000+i (1-based).
fn model(houses: &[(u16, u8)]) -> Model {
    let mut b = ModelBuilder::default();
    let mut woon = UsageSet::EMPTY;
    woon.insert(Usage::Woonfunctie);
    for (n, (year, bu)) in houses.iter().enumerate() {
        let i = n as u64 + 1;
        let (x, y) = lonlat(i);
        let d = 0.0001;
        b.add_building(&Building {
            id: BagId::new(1_000 + i).unwrap(),
            footprint_wgs84: MultiPolygon(vec![polygon![
                (x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d), (x: x, y: y)
            ]]),
            bouwjaar: *year,
            status: BuildingStatus::InUse,
            usage: woon,
            units: 1,
            areas: buurt(*bu),
        });
        b.add_address(&Address {
            id: BagId::new(2_000 + i).unwrap(),
            location_wgs84: Point::new(x + d / 2.0, y + d / 2.0),
            street: "Kerkstraat".into(),
            house_number: u32::try_from(i).unwrap(),
            house_letter: None,
            addition: None,
            postcode: Some("1999AA".into()),
            place: "Wijkdorp".into(),
            status: AddressStatus::InUse,
            usage: woon,
            floor_area_m2: Some(90),
            building_ids: vec![BagId::new(1_000 + i).unwrap()],
            areas: buurt(*bu),
        });
    }
    b.build()
}

/// Adds the houses of [`model`] to `b` (to build them beside areas); their addresses' lon/lat.
fn add_homes(b: &mut ModelBuilder, houses: &[(u16, u8)]) -> Vec<(f64, f64)> {
    let homes = model(houses);
    let mut at = Vec::new();
    for r in homes.building_rows() {
        let a = homes.address(r.address_rows()[0]);
        let (lon, lat) = domain::world_to_lonlat(a.point());
        at.push((lon, lat));
        b.add_building(&Building {
            id: r.id(),
            footprint_wgs84: MultiPolygon(vec![polygon![
                (x: lon, y: lat), (x: lon + 0.0001, y: lat), (x: lon + 0.0001, y: lat + 0.0001), (x: lon, y: lat + 0.0001), (x: lon, y: lat)
            ]]),
            bouwjaar: r.bouwjaar(),
            status: BuildingStatus::InUse,
            usage: r.usage(),
            units: 1,
            areas: r.areas(),
        });
        b.add_address(&Address {
            id: a.id(),
            location_wgs84: Point::new(lon, lat),
            street: "Kerkstraat".into(),
            house_number: a.house_number(),
            house_letter: None,
            addition: None,
            postcode: Some("1999AA".into()),
            place: "Wijkdorp".into(),
            status: AddressStatus::InUse,
            usage: a.usage(),
            floor_area_m2: Some(90),
            building_ids: vec![r.id()],
            areas: a.areas(),
        });
    }
    at
}

fn report(
    id: i64,
    kind: &str,
    class: &str,
    at: (f64, f64),
    bu: u8,
    reporter: i64,
) -> LiveObservation {
    LiveObservation {
        id,
        kind: kind.into(),
        status_class: class.into(),
        observed_at: NOW - 3 * DAY,
        confirmations: 1,
        point: domain::lonlat_to_world(at.0, at.1),
        lonlat: [at.0, at.1],
        building: None,
        address: None,
        tree: None,
        areas: buurt(bu),
        public_space: true,
        reporter,
        accountable: true,
    }
}

struct World {
    model: Model,
    obs: ObservationIndex,
    work: WorkIndex,
    doors: HashMap<u64, DoorState>,
    opted: Vec<u64>,
    schemas: Arc<Schemas>,
    set: Arc<IndicatorSet>,
}

impl World {
    fn new(houses: &[(u16, u8)]) -> Self {
        let fields = Arc::new(Fields::new(types()));
        let rules = Arc::new(RuleSet::parse(DEFAULT_RULES, &fields).unwrap());
        let schemas = Arc::new(Schemas::new(&fields, &rules));
        let set = Arc::new(IndicatorSet::parse(DEFAULT_INDICATORS, &schemas).unwrap());
        Self {
            model: model(houses),
            obs: ObservationIndex::default(),
            work: WorkIndex::new(rules, fields),
            doors: HashMap::new(),
            opted: Vec::new(),
            schemas,
            set,
        }
    }

    fn src(&self) -> Sources<'_> {
        Sources {
            model: &self.model,
            observations: &self.obs,
            now: NOW,
        }
    }

    fn rebuild_work(&mut self) {
        let src = Sources {
            model: &self.model,
            observations: &self.obs,
            now: NOW,
        };
        self.work.rebuild(&src);
    }

    fn engine(&self, k: u32, round_to: u32) -> Engine {
        self.engine_keyed(k, round_to, None)
    }

    /// An engine whose released counts are perturbed with the cell key `cell_key`.
    fn engine_keyed(&self, k: u32, round_to: u32, cell_key: Option<[u64; 2]>) -> Engine {
        let opted = |a: u64| self.opted.contains(&a);
        let inputs = Inputs {
            src: self.src(),
            work: &self.work,
            doors: &self.doors,
            opted_out: &opted,
        };
        Engine::build(
            Arc::clone(&self.set),
            Arc::clone(&self.schemas),
            Privacy {
                k,
                round_to,
                cell_key,
            },
            Arc::new(Placement::new(&self.model)),
            &inputs,
        )
    }

    fn index(&self, name: &str) -> usize {
        self.set.by_name(name).unwrap().0
    }
}

fn cell(code: &str) -> Cell {
    Cell::Area(code.parse().unwrap())
}

#[test]
fn shares_on_a_hand_checked_fixture() {
    // Buurt 01: eight homes, four built before 1975 → gas_free 4 of 8.
    // Buurt 02: three homes, one before 1975 → one household on its side: withheld.
    // Buurt 03: two homes: fewer than k addresses, never listed.
    let mut houses = vec![];
    houses.extend([1960, 1965, 1970, 1972, 1980, 1990, 2000, 2010].map(|y| (y, 1)));
    houses.extend([1950, 1990, 1995].map(|y| (y, 2)));
    houses.extend([1950, 1990].map(|y| (y, 3)));
    let mut w = World::new(&houses);
    w.rebuild_work();
    let e = w.engine(3, 1);
    let gas = w.index("gas_free");
    let cells = e.release(&w.model, gas, Level::Buurt);
    assert_eq!(cells.len(), 2, "{cells:?}");
    assert_eq!(cells[0].cell, cell("BU19990101"));
    assert!(!cells[0].suppressed);
    assert_eq!(
        (cells[0].numerator, cells[0].denominator),
        (Some(4), Some(8))
    );
    assert_eq!(cells[0].value, Some(0.5));
    assert_eq!(cells[1].cell, cell("BU19990102"));
    assert!(cells[1].suppressed && cells[1].value.is_none() && cells[1].numerator.is_none());
    // The wijk is the sum of its released buurten: buurt 01 only (4 of 8), never 6 of 13,
    // which would give away the withheld buurt 02 by differencing.
    let wijk = e.release(&w.model, gas, Level::Wijk);
    assert_eq!((wijk[0].numerator, wijk[0].denominator), (Some(4), Some(8)));
    let gemeente = e.release(&w.model, gas, Level::Gemeente);
    assert_eq!(
        (gemeente[0].numerator, gemeente[0].denominator),
        (Some(4), Some(8))
    );
    // Rounded to 5: 5 of 10 (the share from the rounded counts).
    let e5 = w.engine(3, 5);
    let buurt = e5.release(&w.model, gas, Level::Buurt);
    assert_eq!(
        (buurt[0].numerator, buurt[0].denominator),
        (Some(5), Some(10))
    );
    assert_eq!(buurt[0].value, Some(0.5));
    // A home that opted out of research is left out: 3 of 7 in buurt 01.
    w.opted.push(2001);
    let e = w.engine(3, 1);
    let cells = e.release(&w.model, gas, Level::Buurt);
    assert_eq!(
        (cells[0].numerator, cells[0].denominator),
        (Some(3), Some(7))
    );
}

#[test]
fn report_counts_need_k_reporters_and_device_sessions_count_once() {
    let houses: Vec<(u16, u8)> = (0..10)
        .map(|_| (1990, 1))
        .chain((0..10).map(|_| (1990, 2)))
        .collect();
    let mut w = World::new(&houses);
    // Buurt 01: three reports by three residents with an account.
    for (id, r) in [(1, 11), (2, 12), (3, 13)] {
        w.obs
            .upsert(report(id, "greenery_distress", "serious", lonlat(2), 1, r));
    }
    // Buurt 02: five reports from five device sessions: one reporter together.
    for id in 4..9 {
        let mut o = report(id, "greenery_distress", "serious", lonlat(15), 2, 100 + id);
        o.accountable = false;
        w.obs.upsert(o);
    }
    w.rebuild_work();
    let e = w.engine(3, 1);
    let g = w.index("greenery_distress");
    let cells = e.release(&w.model, g, Level::Buurt);
    assert_eq!(cells.len(), 2);
    assert!(
        !cells[0].suppressed && cells[0].numerator == Some(3),
        "{cells:?}"
    );
    assert!(cells[0].value.unwrap() > 0.0);
    assert!(
        cells[1].suppressed,
        "device sessions must not reach k: {cells:?}"
    );
    // The same residents reporting three more times do not add reporters; fine, still three.
    // Two of them withdrawing leaves one reporter: withheld.
    w.obs.remove(1);
    w.obs.remove(2);
    let e = w.engine(3, 1);
    assert!(e.release(&w.model, g, Level::Buurt)[0].suppressed);
}

#[test]
fn grid_and_h3_cells_are_named_as_their_systems_name_them() {
    let houses: Vec<(u16, u8)> = (0..4).map(|_| (1960, 1)).collect();
    let mut w = World::new(&houses);
    w.rebuild_work();
    let e = w.engine(1, 1);
    let gas = w.index("gas_free");
    let squares = e.release(&w.model, gas, Level::Grid100);
    // Four houses 0.001° (≈ 69 m) apart at 52° N: in two or three squares.
    assert!((2..=4).contains(&squares.len()), "{squares:?}");
    for c in &squares {
        let name = c.cell.to_string();
        assert!(
            name.starts_with('E') && name.contains('N') && name.len() == 10,
            "{name}"
        );
        assert_eq!(Cell::parse(Level::Grid100, &name), Some(c.cell));
    }
    let hex = e.release(&w.model, gas, Level::H3r9);
    for c in &hex {
        let name = c.cell.to_string();
        assert_eq!(name.len(), 15, "{name}");
        assert!(
            name.starts_with("89"),
            "resolution 9 cells start 89…: {name}"
        );
        assert_eq!(Cell::parse(Level::H3r9, &name), Some(c.cell));
        assert_eq!(Cell::parse(Level::H3r8, &name), None);
    }
    // Every unit lies in exactly one cell of each level: the totals agree.
    for level in [
        Level::Buurt,
        Level::Grid100,
        Level::H3r8,
        Level::H3r9,
        Level::H3r10,
    ] {
        let total: u32 = e
            .release(&w.model, gas, level)
            .iter()
            .filter_map(|c| c.denominator)
            .sum();
        assert_eq!(total, 4, "{level}");
    }
}

#[test]
fn a_bad_indicator_file_is_refused_with_its_line() {
    let w = World::new(&[]);
    let bad = DEFAULT_INDICATORS.replacen(
        "numerator = \"status = 'done'\"",
        "numerator = \"statuz = 'done'\"",
        1,
    );
    let e = IndicatorSet::parse(&bad, &w.schemas).unwrap_err();
    let line = bad.lines().position(|l| l.contains("statuz")).unwrap() + 1;
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("statuz"), "{e}");
    let e = IndicatorSet::parse("[[indicator]]\nname = \"x\"\n", &w.schemas).unwrap_err();
    assert!(e.message.contains("missing field"), "{e}");
    let dup = format!(
        "{DEFAULT_INDICATORS}\n{}",
        &DEFAULT_INDICATORS[DEFAULT_INDICATORS.find("\n[[indicator]]").unwrap()..]
    );
    let e = IndicatorSet::parse(&dup, &w.schemas).unwrap_err();
    assert!(e.message.contains("already"), "{e}");
    let density_with_den = DEFAULT_INDICATORS.replacen(
        "measure = \"density\"",
        "measure = \"density\"\ndenominator = \"public_space\"",
        1,
    );
    let e = IndicatorSet::parse(&density_with_den, &w.schemas).unwrap_err();
    assert!(e.message.contains("km²"), "{e}");
}

/// Random changes: reports come and go, doors are knocked on, statuses recorded; after each
/// change the incremental engine equals a full recompute, at every level and indicator.
#[test]
fn incremental_equals_full_recompute() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let houses: Vec<(u16, u8)> = (0..40)
        .map(|i| (if i % 3 == 0 { 1960 } else { 1995 }, (i % 4) as u8 + 1))
        .collect();
    let mut w = World::new(&houses);
    w.rebuild_work();
    // With the cell key on: the keys of the tallies follow the units as their counts do.
    let key = Some([0x5eed, 0xcafe]);
    let mut e = w.engine_keyed(2, 1, key);
    let mut next_id = 1i64;
    let kinds = [
        "roof_suitability",
        "solar_panels",
        "gas_readiness",
        "greenery_distress",
    ];
    for step in 0..300 {
        let i = rng.random_range(1..=40u64);
        let mut touched: Vec<Target> = Vec::new();
        let mut units: Vec<Unit> = Vec::new();
        match rng.random_range(0..10) {
            0..=4 => {
                let kind = kinds[rng.random_range(0..kinds.len())];
                let class = match kind {
                    "roof_suitability" => ["suitable", "shaded"][rng.random_range(0..2)],
                    "solar_panels" => ["panels_seen", "no_panels"][rng.random_range(0..2)],
                    "gas_readiness" => ["interested", "off_gas", "maybe"][rng.random_range(0..3)],
                    _ => ["serious", "dying"][rng.random_range(0..2)],
                };
                let mut o = report(
                    next_id,
                    kind,
                    class,
                    lonlat(i),
                    (((i - 1) % 4) + 1) as u8,
                    rng.random_range(1..6),
                );
                o.accountable = rng.random_bool(0.8);
                match kind {
                    "roof_suitability" | "solar_panels" => {
                        o.public_space = false;
                        o.building = Some(1000 + i);
                    }
                    "gas_readiness" => {
                        o.public_space = false;
                        o.address = Some(2000 + i);
                    }
                    _ => {}
                }
                next_id += 1;
                let src = w.src();
                touched.extend(w.work.targets_of(&src, &o));
                units.push(Unit::Report(o.id));
                w.obs.upsert(o);
            }
            5 => {
                let ids: Vec<i64> = w.obs.all().map(|o| o.id).collect();
                if let Some(id) = ids.get(rng.random_range(0..ids.len().max(1))) {
                    let o = w.obs.get(*id).unwrap().clone();
                    let src = w.src();
                    touched.extend(w.work.targets_of(&src, &o));
                    w.obs.remove(*id);
                    units.push(Unit::Report(*id));
                }
            }
            6 | 7 => {
                let d = DoorState {
                    visited: rng.random_bool(0.6),
                    answered: rng.random_bool(0.5),
                    signed_up: rng.random_bool(0.3),
                    visitor: Some(rng.random_range(1..4)),
                };
                w.doors.insert(2000 + i, d);
                units.push(Unit::Door(2000 + i));
            }
            8 => {
                // Opt out (or back in) of research.
                if let Some(p) = w.opted.iter().position(|a| *a == 2000 + i) {
                    w.opted.remove(p);
                } else {
                    w.opted.push(2000 + i);
                }
                touched.push(Target::Pand(1000 + i));
                touched.push(Target::Verblijfsobject(2000 + i));
            }
            _ => {
                // A status recorded on a work item of the house.
                let status =
                    [work::WorkStatus::Done, work::WorkStatus::Planned][rng.random_range(0..2)];
                for kind in ["solar", "gas_free"] {
                    let target = if kind == "solar" {
                        Target::Pand(1000 + i)
                    } else {
                        Target::Verblijfsobject(2000 + i)
                    };
                    if w.work.get(kind, target).is_some() {
                        w.work.record_status(
                            kind,
                            target,
                            work::StatusRecord {
                                status,
                                at: NOW,
                                by: None,
                            },
                        );
                        touched.push(target);
                    }
                }
            }
        }
        {
            let src = Sources {
                model: &w.model,
                observations: &w.obs,
                now: NOW,
            };
            let refresh_targets = touched.clone();
            w.work.refresh(&src, &refresh_targets);
        }
        let opted = w.opted.clone();
        let is_opted = |a: u64| opted.contains(&a);
        let inputs = Inputs {
            src: w.src(),
            work: &w.work,
            doors: &w.doors,
            opted_out: &is_opted,
        };
        for t in &touched {
            units.extend(e.units_of(&inputs, *t));
        }
        e.update(&inputs, units);
        let full = w.engine_keyed(2, 1, key);
        for (ix, ind) in w.set.indicators.iter().enumerate() {
            for level in Level::ALL {
                assert_eq!(
                    e.raw(ix, level),
                    full.raw(ix, level),
                    "step {step}: {} at {level}",
                    ind.name
                );
                assert_eq!(
                    e.release(&w.model, ix, level),
                    full.release(&w.model, ix, level),
                    "step {step}: {} at {level}, released with the cell key",
                    ind.name
                );
            }
        }
    }
    // The changes reached every kind of unit: the test compared something.
    for name in [
        "solar_gap",
        "greenery_distress",
        "gas_free",
        "gas_readiness_known",
        "campaign_reach",
        "work_done",
    ] {
        let ix = w.index(name);
        assert!(!e.raw(ix, Level::Buurt).is_empty(), "{name} stayed empty");
    }
}

/// A cell with k − 1 homes never appears, at any level and for any indicator; a wijk never
/// gives away a withheld buurt (it is the sum of its released buurten).
#[test]
fn a_cell_under_k_never_appears_and_levels_do_not_difference() {
    // Buurt 01: six homes; buurt 02: four (k − 1 with k = 5), all old, each reported on.
    let houses: Vec<(u16, u8)> = (0..6)
        .map(|_| (1960, 1))
        .chain((0..4).map(|_| (1960, 2)))
        .collect();
    let mut w = World::new(&houses);
    for i in 1..=10u64 {
        let mut o = report(
            i as i64,
            "gas_readiness",
            "interested",
            lonlat(i),
            if i <= 6 { 1 } else { 2 },
            i as i64,
        );
        o.public_space = false;
        o.address = Some(2000 + i);
        w.obs.upsert(o);
        w.doors.insert(
            2000 + i,
            DoorState {
                visited: true,
                answered: true,
                signed_up: i % 2 == 0,
                visitor: Some(i as i64),
            },
        );
    }
    w.rebuild_work();
    let e = w.engine(5, 1);
    let buurt02 = cell("BU19990102");
    for (ix, ind) in w.set.indicators.iter().enumerate() {
        for level in Level::ALL {
            let cells = e.release(&w.model, ix, level);
            assert!(
                cells.iter().all(|c| c.cell != buurt02),
                "{} at {level} lists buurt 02",
                ind.name
            );
            // No cell of the fine levels holds 5 homes 70 m apart: none is listed.
            if matches!(level, Level::Grid100 | Level::H3r10) {
                assert!(cells.is_empty(), "{} at {level}: {cells:?}", ind.name);
            }
            if level == Level::Wijk {
                let buurten = e.release(&w.model, ix, Level::Buurt);
                let sum: u32 = buurten
                    .iter()
                    .filter(|c| !c.suppressed)
                    .filter_map(|c| c.denominator)
                    .sum();
                let wijk: u32 = cells
                    .iter()
                    .filter(|c| !c.suppressed)
                    .filter_map(|c| c.denominator)
                    .sum();
                assert_eq!(wijk, sum, "{}: the wijk is its released buurten", ind.name);
            }
        }
    }
}

/// A level release names the tiles a change makes stale: the cells whose values moved (here a
/// door knocked on in one square), everything when a class break moved, nothing without a change.
#[test]
fn a_release_names_the_cells_a_change_moved() {
    use crate::{LevelRelease, Shapes};
    // Homes 0.001° (about 70 m) apart along one parallel: one or two per CBS square.
    let houses: Vec<(u16, u8)> = (0..12).map(|i| (1960 + i, 1)).collect();
    let mut w = World::new(&houses);
    w.rebuild_work();
    let mut shapes = Shapes::default();
    let e = w.engine(1, 1);
    let a = LevelRelease::new(&e, &w.model, Level::Grid100, &mut shapes);
    assert!(a.cells.len() >= 6, "{} squares", a.cells.len());
    assert_eq!(a.stale(&a), Some(vec![]), "no change, nothing stale");
    for c in &a.cells {
        assert!(c.shape.bbox[0][0] < c.shape.bbox[1][0], "{:?}", c.shape);
        assert_eq!(c.shape.rings.len(), 1);
        assert!(domain::Ring(&c.shape.rings[0]).is_exterior());
    }
    // One cell's value changed, the breaks kept: that cell's box alone.
    let mut b = a.clone();
    let gas = w.index("gas_free");
    b.cells[3].values[gas].as_mut().unwrap().numerator = Some(7);
    assert_eq!(b.stale(&a), Some(vec![a.cells[3].shape.bbox]));
    // A cell that came or went.
    let mut c = a.clone();
    c.cells.remove(5);
    assert_eq!(c.stale(&a), Some(vec![a.cells[5].shape.bbox]));
    // A break that moved recolours anywhere.
    let mut d = a.clone();
    d.breaks[gas] = vec![0.5];
    assert_eq!(d.stale(&a), None);
    // A real change: a door on a campaign route of the sixth home. Its square moves; if a break
    // did not move with it, it is the only square that does.
    w.doors.insert(
        2006,
        DoorState {
            visited: true,
            answered: true,
            signed_up: true,
            visitor: Some(1),
        },
    );
    let after = w.engine(1, 1);
    let r = LevelRelease::new(&after, &w.model, Level::Grid100, &mut shapes);
    let home = a
        .cells
        .iter()
        .find(|c| {
            c.shape
                .meets(w.model.address(5).point(), w.model.address(5).point())
        })
        .unwrap();
    match r.stale(&a) {
        Some(boxes) => assert_eq!(boxes, vec![home.shape.bbox]),
        None => assert_ne!(r.breaks, a.breaks),
    }
    // The tiles' values are the API's: three decimals.
    for c in &r.cells {
        for v in c.values.iter().flatten() {
            if let Some(x) = v.value {
                assert_eq!(x.to_bits(), crate::round3(x).to_bits(), "{x}");
            }
        }
    }
}

/// An indicator per 1,000 inhabitants (CBS context as the denominator): at a buurt, the rounded
/// count over its CBS inhabitants; a wijk over its released buurten's; a CBS square has none; a
/// file that gives it a denominator is refused.
#[test]
fn a_count_per_thousand_inhabitants_reads_the_cbs_figures() {
    use crate::{IndicatorSet, LevelRelease, Shapes};
    let file = r#"
[[indicator]]
name = "old_homes_per_1000"
title = { nl = "Oude woningen per 1.000 inwoners", en = "Old homes per 1,000 inhabitants" }
description = { nl = "Woningen van voor 1975 per 1.000 inwoners", en = "Homes built before 1975 per 1,000 inhabitants" }
over = "verblijfsobject"
measure = "per_1000_inhabitants"
numerator = "bouwjaar < 1975"
source = { nl = "BAG, CBS", en = "BAG, CBS" }
freshness = { nl = "bij elke import", en = "at every import" }
higher_is_more_urgent = true
"#;
    // Buurt 01: six homes before 1975 of ten, 400 inhabitants; buurt 02: four of ten, CBS left
    // its inhabitants out.
    let mut houses: Vec<(u16, u8)> = (0..10)
        .map(|i| (if i < 6 { 1960 } else { 2000 }, 1))
        .collect();
    houses.extend((0..10).map(|i| (if i < 4 { 1960 } else { 2000 }, 2)));
    let mut w = World::new(&houses);
    let mut b = ModelBuilder::default();
    for (n, residents) in [(1_u8, Some(400)), (2, None)] {
        let x = 5.0 + f64::from(n - 1) * 0.01;
        b.add_area(&domain::Area {
            code: format!("BU199901{n:02}").parse().unwrap(),
            name: format!("Buurt {n}"),
            boundary_wgs84: MultiPolygon(vec![polygon![
                (x: x, y: 51.99), (x: x + 0.01, y: 51.99), (x: x + 0.01, y: 52.01), (x: x, y: 52.01), (x: x, y: 51.99)
            ]]),
            residents,
            households: None,
            share_65_plus: None,
            density: None,
        });
    }
    b.add_area(&domain::Area {
        code: "WK199901".parse().unwrap(),
        name: "Wijk 1".into(),
        boundary_wgs84: MultiPolygon(vec![polygon![
            (x: 5.0, y: 51.99), (x: 5.02, y: 51.99), (x: 5.02, y: 52.01), (x: 5.0, y: 52.01), (x: 5.0, y: 51.99)
        ]]),
        residents: Some(900),
        households: None,
        share_65_plus: None,
        density: None,
    });
    // The fixture's houses again, now beside their areas.
    add_homes(&mut b, &houses);
    w.model = b.build();
    w.set = Arc::new(IndicatorSet::parse(file, &w.schemas).unwrap());
    w.rebuild_work();
    let e = w.engine(3, 1);
    let buurten = e.release(&w.model, 0, Level::Buurt);
    assert_eq!(buurten.len(), 2, "{buurten:?}");
    // 6 per 400 inhabitants = 15 per 1,000.
    assert_eq!(
        (buurten[0].numerator, buurten[0].denominator),
        (Some(6), None)
    );
    assert_eq!(buurten[0].value, Some(15.0));
    // No CBS count: the count is released, the figure per inhabitant is not.
    assert_eq!((buurten[1].numerator, buurten[1].value), (Some(4), None));
    // The wijk over its released buurten: 10 homes over the inhabitants of buurten that have a
    // count — none, because buurt 02 has none, rather than a figure over the wrong people.
    let wijk = e.release(&w.model, 0, Level::Wijk);
    assert_eq!((wijk[0].numerator, wijk[0].value), (Some(10), None));
    // A CBS square has no inhabitants of its own here.
    for c in e.release(&w.model, 0, Level::Grid100) {
        assert!(c.value.is_none(), "{c:?}");
    }
    let r = LevelRelease::new(&e, &w.model, Level::Buurt, &mut Shapes::default());
    assert_eq!(r.cells.len(), 2);
    // A denominator is refused with its line.
    let bad = file.replace(
        "numerator = ",
        "denominator = \"woonfunctie\"\nnumerator = ",
    );
    let err = IndicatorSet::parse(&bad, &w.schemas)
        .unwrap_err()
        .to_string();
    assert!(err.contains("inhabitants"), "{err}");
}

/// The cell-key method: noise of −2…+2 in the stated proportions, never below 1, zero kept; the
/// same units always released the same way (a day without change gives the same figures); and a
/// day with one more report no longer tells by how much a count moved.
#[test]
fn counts_are_perturbed_by_their_cell_key_the_same_way_for_the_same_units() {
    use crate::perturb;
    // The noise: over many keys, 5 / 20 / 50 / 20 / 5 %.
    let mut seen = [0u32; 5];
    for key in 0..200_000u32 {
        let n = perturb(10, key.wrapping_mul(2_654_435_761));
        seen[(n as i64 - 8) as usize] += 1;
    }
    let share = |i: usize| f64::from(seen[i]) / 200_000.0;
    for (i, p) in [0.05, 0.20, 0.50, 0.20, 0.05].into_iter().enumerate() {
        assert!((share(i) - p).abs() < 0.01, "{seen:?}");
    }
    assert!((0..10_000u32).all(|k| perturb(1, k) >= 1 && perturb(2, k) >= 1));
    assert!((0..10_000u32).all(|k| perturb(0, k) == 0));

    // Forty homes in one buurt, all old; residents of some say how ready for gas-free they are.
    let houses: Vec<(u16, u8)> = (0..40).map(|_| (1960, 1)).collect();
    let mut w = World::new(&houses);
    let told = |w: &mut World, i: u64| {
        let mut o = report(
            i as i64,
            "gas_readiness",
            "interested",
            lonlat(i),
            1,
            i as i64,
        );
        o.public_space = false;
        o.address = Some(2000 + i);
        w.obs.upsert(o);
    };
    for i in 1..=20 {
        told(&mut w, i);
    }
    w.rebuild_work();
    let ix = w.index("gas_readiness_known");
    let buurt = |e: &Engine| {
        e.release(&w.model, ix, Level::Buurt)
            .into_iter()
            .find(|c| c.cell == cell("BU19990101"))
            .unwrap()
    };
    let exact = buurt(&w.engine(5, 1));
    assert_eq!((exact.numerator, exact.denominator), (Some(20), Some(40)));
    // The same units under the same key: the same figures, however often they are made.
    let mut moved = std::collections::BTreeSet::new();
    let mut differs_from_exact = 0;
    let mut w2 = World::new(&houses);
    for i in 1..=21 {
        told(&mut w2, i);
    }
    w2.rebuild_work();
    for installation in 0..64u64 {
        let key = Some([installation, installation ^ 0xfeed]);
        let day1 = buurt(&w.engine_keyed(5, 1, key));
        assert_eq!(
            day1,
            buurt(&w.engine_keyed(5, 1, key)),
            "no change, same figures"
        );
        let n1 = day1.numerator.unwrap();
        assert!(n1.abs_diff(20) <= 2 && day1.denominator.unwrap().abs_diff(40) <= 2);
        differs_from_exact += usize::from(n1 != 20);
        // The next day one more household tells: the released step is not always 1.
        let day2 = w2
            .engine_keyed(5, 1, key)
            .release(&w2.model, ix, Level::Buurt)
            .into_iter()
            .find(|c| c.cell == cell("BU19990101"))
            .unwrap();
        moved.insert(i64::from(day2.numerator.unwrap()) - i64::from(n1));
    }
    assert!(
        differs_from_exact > 10,
        "{differs_from_exact} of 64 perturbed"
    );
    assert!(
        moved.len() >= 3,
        "one more report moves the count by {moved:?}"
    );
}

/// A sum beside a count (m² here, kWp in the shipped set) and a mean are perturbed by the same
/// units' key as counts are: a sum by up to two homes' parts (root mean square), a mean by up to
/// two values' spread over the count; the same units always the same way; without a key exact;
/// values that are all equal leave a mean as it is.
#[test]
fn sums_and_means_are_perturbed_by_their_cell_key() {
    use crate::{IndicatorSet, perturb_mean, perturb_sum};
    let file = r#"
[[indicator]]
name = "old_floor"
title = { nl = "Oude woningen", en = "Old homes" }
description = { nl = "Woningen van voor 1975, met hun vloeroppervlak", en = "Homes built before 1975, with their floor area" }
over = "verblijfsobject"
measure = "share"
denominator = "woonfunctie"
numerator = "bouwjaar < 1975"
sum = "oppervlakte"
sum_unit = { nl = "m²", en = "m²" }
source = { nl = "BAG", en = "BAG" }
freshness = { nl = "bij elke import", en = "at every import" }
higher_is_more_urgent = true

[[indicator]]
name = "mean_year"
title = { nl = "Gemiddeld bouwjaar", en = "Mean year built" }
description = { nl = "Gemiddeld bouwjaar van de woningen", en = "Mean year the homes were built" }
over = "verblijfsobject"
measure = "mean"
denominator = "woonfunctie"
value = "bouwjaar"
source = { nl = "BAG", en = "BAG" }
freshness = { nl = "bij elke import", en = "at every import" }
higher_is_more_urgent = false

[[indicator]]
name = "mean_floor"
title = { nl = "Gemiddeld vloeroppervlak", en = "Mean floor area" }
description = { nl = "Gemiddeld vloeroppervlak van de woningen", en = "Mean floor area of the homes" }
over = "verblijfsobject"
measure = "mean"
denominator = "woonfunctie"
value = "oppervlakte"
source = { nl = "BAG", en = "BAG" }
freshness = { nl = "bij elke import", en = "at every import" }
higher_is_more_urgent = false
"#;
    // Forty homes of 90 m² in one buurt: thirty built in 1960, ten in 2000.
    let houses: Vec<(u16, u8)> = (0..40)
        .map(|i| (if i < 30 { 1960 } else { 2000 }, 1))
        .collect();
    let mut w = World::new(&houses);
    w.set = Arc::new(IndicatorSet::parse(file, &w.schemas).unwrap());
    w.rebuild_work();
    let at = |e: &Engine, name: &str| {
        e.release(&w.model, w.index(name), Level::Buurt)
            .into_iter()
            .find(|c| c.cell == cell("BU19990101"))
            .unwrap()
    };
    // Without a key: exact.
    let exact = w.engine(5, 1);
    assert_eq!(at(&exact, "old_floor").sum, Some(30.0 * 90.0));
    let mean = 1970.0;
    assert!((at(&exact, "mean_year").value.unwrap() - mean).abs() < 1e-9);
    // σ of thirty 1960s and ten 2000s: 17.32 years; one value moves the mean by σ/40.
    let sigma = (0.75f64 * 0.25).sqrt() * 40.0;
    let mut sums = std::collections::BTreeSet::new();
    let mut means = std::collections::BTreeSet::new();
    for installation in 0..64u64 {
        let key = Some([installation, installation ^ 0xbeef]);
        let e = w.engine_keyed(5, 1, key);
        let sum = at(&e, "old_floor").sum.unwrap();
        // Up to two homes' parts (90 m² each).
        assert!((sum - 2700.0).abs() <= 180.0 + 1e-9, "{sum}");
        assert!((sum % 90.0).abs() < 1e-9, "whole homes' parts: {sum}");
        sums.insert(sum as i64);
        let m = at(&e, "mean_year").value.unwrap();
        assert!((m - mean).abs() <= 2.0 * sigma / 40.0 + 1e-9, "{m}");
        means.insert((m * 1e6).round() as i64);
        // All 90 m²: nothing to hide, nothing added.
        assert_eq!(at(&e, "mean_floor").value, Some(90.0));
        // The same units, the same figures.
        assert_eq!(at(&w.engine_keyed(5, 1, key), "old_floor").sum, Some(sum));
        assert_eq!(at(&w.engine_keyed(5, 1, key), "mean_year").value, Some(m));
    }
    assert!(sums.len() >= 4, "sums seen: {sums:?}");
    assert!(means.len() >= 4, "means seen: {means:?}");
    // The functions themselves: nothing is nothing; a sum of parts ≥ 0 never goes below 0.
    assert!(perturb_sum(0.0, 0.0, 0, 7).abs() < f64::EPSILON);
    assert_eq!(perturb_mean(0.0, 0.0, 0, 7), None);
    assert!((0..1000u32).all(|k| perturb_sum(5.0, 25.0, 1, k) >= 0.0));
}

/// A raster indicator on a hand-checked fixture: 10 m pixels aligned with the CBS squares, each
/// pixel's value its column, so that a square's mean is its first column + 4.5; the buurt (which
/// holds the whole raster) averages every pixel with data; pixels without data count nowhere;
/// the wijk is its released buurten's mean. The file refuses what a raster indicator cannot be.
#[test]
fn a_raster_indicator_is_the_zonal_mean_per_cell() {
    use crate::{RD_NEW, Raster, write_geotiff};
    use domain::rd::wgs84_to_rd;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_owned();
    let houses: Vec<(u16, u8)> = (0..5).map(|_| (1960, 1)).collect();
    let mut w = World::new(&houses);
    // The houses again, inside a buurt polygon large enough to hold the raster.
    let mut b = ModelBuilder::default();
    b.add_area(&domain::Area {
        code: "BU19990101".parse().unwrap(),
        name: "Buurt 1".into(),
        boundary_wgs84: MultiPolygon(vec![polygon![
            (x: 4.98, y: 51.98), (x: 5.03, y: 51.98), (x: 5.03, y: 52.02), (x: 4.98, y: 52.02), (x: 4.98, y: 51.98)
        ]]),
        residents: None,
        households: None,
        share_65_plus: None,
        density: None,
    });
    let rd: Vec<(f64, f64)> = add_homes(&mut b, &houses)
        .into_iter()
        .map(|(lon, lat)| wgs84_to_rd(lon, lat))
        .collect();
    w.model = b.build();
    // The raster: the houses' RD bounds and 300 m around, on the 100 m lines.
    let snap = |v: f64, up: bool| {
        if up {
            (v / 100.0).ceil() * 100.0
        } else {
            (v / 100.0).floor() * 100.0
        }
    };
    let x0 = snap(
        rd.iter().map(|p| p.0).fold(f64::MAX, f64::min) - 300.0,
        false,
    );
    let x1 = snap(
        rd.iter().map(|p| p.0).fold(f64::MIN, f64::max) + 300.0,
        true,
    );
    let y0 = snap(
        rd.iter().map(|p| p.1).fold(f64::MAX, f64::min) - 300.0,
        false,
    );
    let y1 = snap(
        rd.iter().map(|p| p.1).fold(f64::MIN, f64::max) + 300.0,
        true,
    );
    let (cols, rows) = (((x1 - x0) / 10.0) as u32, ((y1 - y0) / 10.0) as u32);
    let mut values: Vec<f32> = (0..rows)
        .flat_map(|_| (0..cols).map(|c| c as f32))
        .collect();
    // No data in the top row.
    for v in values.iter_mut().take(cols as usize) {
        *v = f32::NAN;
    }
    let raster = Raster::new((x0, y1), (10.0, 10.0), (cols, rows), values).unwrap();
    let file = std::fs::File::create(dir.join("heat.tif")).unwrap();
    write_geotiff(file, &raster, -9999.0, RD_NEW).unwrap();
    let indicator = r#"
[[indicator]]
name = "heat"
title = { nl = "Hitte", en = "Heat" }
description = { nl = "Hitte-eiland", en = "Heat island" }
over = "raster"
measure = "mean"
raster = "heat.tif"
value_unit = { nl = "°C", en = "°C" }
source = { nl = "RIVM", en = "RIVM" }
freshness = { nl = "bij het starten", en = "at start" }
higher_is_more_urgent = true
"#;
    let text = format!("{DEFAULT_INDICATORS}{indicator}");
    let set = IndicatorSet::parse_in(&text, &w.schemas, &dir).unwrap();
    let (ix, heat) = set.by_name("heat").unwrap();
    let read = heat.raster.as_deref().unwrap();
    assert_eq!(
        (read.origin, read.pixel, read.size),
        (raster.origin, raster.pixel, raster.size)
    );
    w.set = Arc::new(set);
    w.rebuild_work();
    let e = w.engine(1, 1);
    // Every square with a house: its own 10 columns, all 10 rows with data.
    let squares = e.release(&w.model, ix, Level::Grid100);
    assert!(!squares.is_empty());
    for c in &squares {
        let Cell::Square { e: col, .. } = c.cell else {
            panic!("{c:?}")
        };
        let first = (f64::from(col) * 100.0 - x0) / 10.0;
        assert_eq!(c.numerator, Some(100), "{c:?}");
        assert_eq!(c.value, Some(first + 4.5), "{c:?}");
        assert!(!c.suppressed && c.denominator.is_none());
    }
    // The buurt holds the whole raster: the mean column, over the rows with data.
    let buurt = e.release(&w.model, ix, Level::Buurt);
    assert_eq!(buurt.len(), 1);
    assert_eq!(buurt[0].numerator, Some(cols * (rows - 1)));
    assert_eq!(buurt[0].value, Some(f64::from(cols - 1) / 2.0));
    let wijk = e.release(&w.model, ix, Level::Wijk);
    assert_eq!((wijk[0].value, wijk[0].denominator), (buurt[0].value, None));
    // A hexagon's mean lies within the columns.
    for c in e.release(&w.model, ix, Level::H3r10) {
        let v = c.value.unwrap();
        assert!(
            c.numerator.unwrap() > 0 && (0.0..f64::from(cols)).contains(&v),
            "{c:?}"
        );
    }
    // An update moves nothing of a raster.
    let before = e.release(&w.model, ix, Level::Grid100);
    let mut e2 = e.clone();
    let opted = |_: u64| false;
    let inputs = Inputs {
        src: w.src(),
        work: &w.work,
        doors: &w.doors,
        opted_out: &opted,
    };
    e2.update(&inputs, [Unit::Verblijfsobject(2_001)]);
    assert_eq!(e2.release(&w.model, ix, Level::Grid100), before);

    // What the file refuses, with the line.
    let refused = |text: &str| {
        IndicatorSet::parse_in(&format!("{DEFAULT_INDICATORS}{text}"), &w.schemas, &dir)
            .unwrap_err()
    };
    let no_file = refused(&indicator.replace("raster = \"heat.tif\"\n", ""));
    assert!(
        no_file.message.contains("raster = \"FILE.tif\""),
        "{no_file}"
    );
    let missing = refused(&indicator.replace("heat.tif", "elders.tif"));
    assert!(missing.message.contains("elders.tif"), "{missing}");
    let line = DEFAULT_INDICATORS.lines().count()
        + indicator
            .lines()
            .position(|l| l.starts_with("raster"))
            .unwrap()
        + 1;
    assert_eq!(missing.line, line, "{missing}");
    let counted = refused(&indicator.replace(
        "over = \"raster\"",
        "over = \"raster\"\nnumerator = \"woonfunctie\"",
    ));
    assert!(counted.message.contains("no numerator"), "{counted}");
    let share = refused(&indicator.replace("measure = \"mean\"", "measure = \"share\""));
    assert!(share.message.contains("its measure is mean"), "{share}");
    let stray = refused(
        &indicator
            .replace("over = \"raster\"", "over = \"pand\"")
            .replace(
                "measure = \"mean\"",
                "measure = \"mean\"\nvalue = \"bouwjaar\"",
            ),
    );
    assert!(
        stray.message.contains("only an indicator over raster"),
        "{stray}"
    );
    // A raster in another coordinate system is named.
    let mercator = std::fs::File::create(dir.join("mercator.tif")).unwrap();
    write_geotiff(mercator, &raster, -9999.0, 3857).unwrap();
    let crs = refused(&indicator.replace("heat.tif", "mercator.tif"));
    assert!(
        crs.message.contains("EPSG:3857") && crs.message.contains("mercator.tif"),
        "{crs}"
    );
}
