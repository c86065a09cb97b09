//! Rules on a hand-checked fixture, rule-file errors, and incremental equals full recompute.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::sync::Arc;

use domain::observations::{LiveObservation, ObservationIndex};
use domain::{
    Address, AddressStatus, AreaCode, AreaRefs, BagId, Building, BuildingStatus, Model,
    ModelBuilder, Tree, TreeId, Usage, UsageSet, WorldPoint,
};
use geo::{MultiPolygon, Point, polygon};

use crate::{
    DEFAULT_RULES, Fields, ObservationTypeInfo, RuleSet, Sources, StatusRecord, Target, WorkIndex,
    WorkStatus,
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

fn buurt() -> AreaRefs {
    AreaRefs::from_code("BU19990101".parse::<AreaCode>().unwrap())
}

/// Pand `i` (1-based) at a square of its own, with one home address `i` in it.
fn lonlat(i: u64) -> (f64, f64) {
    (5.0 + i as f64 * 0.001, 52.0)
}

fn model(bouwjaren: &[u16]) -> Model {
    let mut b = ModelBuilder::default();
    let woon = {
        let mut u = UsageSet::EMPTY;
        u.insert(Usage::Woonfunctie);
        u
    };
    for (n, year) in bouwjaren.iter().enumerate() {
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
            areas: buurt(),
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
            areas: buurt(),
        });
    }
    // Register trees 50 m north of panden 1, 2 and 5; the last two share a register number, as
    // registers that number per place do.
    for (record, i, number, species, planted) in [
        (1, 1, "B1", Some("Tilia europaea"), Some(1961)),
        (2, 2, "B2", None, None),
        (3, 5, "B2", Some("Quercus robur"), Some(2001)),
    ] {
        if i > bouwjaren.len() as u64 {
            continue;
        }
        let (x, y) = lonlat(i);
        b.add_tree(&Tree {
            id: TreeId::new(7, record),
            number: number.into(),
            species: species.map(str::to_owned),
            planting_year: planted,
            location_wgs84: Point::new(x, y + TREE_NORTH),
        });
    }
    b.build()
}

/// How far north of its pand a fixture tree stands (degrees: about 50 m).
const TREE_NORTH: f64 = 0.000_45;

/// The fixture's tree of pand `i` (1, 2 or 5).
fn tree_of(i: u64) -> u64 {
    TreeId::new(
        7,
        [(1, 1), (2, 2), (5, 3)]
            .iter()
            .find(|(p, _)| *p == i)
            .unwrap()
            .1,
    )
    .get()
}

fn obs(
    id: i64,
    kind: &str,
    class: &str,
    target: (Option<u64>, Option<u64>),
    at: (f64, f64),
    observed_at: i64,
) -> LiveObservation {
    LiveObservation {
        id,
        kind: kind.into(),
        status_class: class.into(),
        observed_at,
        confirmations: 0,
        point: domain::lonlat_to_world(at.0, at.1),
        lonlat: [at.0, at.1],
        building: target.0,
        address: target.1,
        tree: None,
        areas: buurt(),
        public_space: target == (None, None),
        reporter: id,
        accountable: true,
    }
}

fn fields() -> Arc<Fields> {
    Arc::new(Fields::new(types()))
}

fn defaults(f: &Fields) -> Arc<RuleSet> {
    Arc::new(RuleSet::parse(DEFAULT_RULES, f).unwrap())
}

fn kinds(w: &WorkIndex) -> Vec<(String, Target)> {
    let mut v: Vec<(String, Target)> = w
        .iter()
        .map(|i| (i.rule.kind.clone(), i.item.target))
        .collect();
    v.sort();
    v
}

#[test]
fn default_rules_on_a_hand_checked_fixture() {
    // Pand 1 (1960): suitable roof, no panels seen → solar; its home is old → gas_free.
    // Pand 2 (1990): suitable roof, panels seen → no solar; home newer, no readiness → nothing.
    // Pand 3 (1990): home says interested in going off gas → gas_free.
    // Pand 4 (1970): home already off gas → nothing.
    let m = model(&[1960, 1990, 1990, 1970]);
    let mut ix = ObservationIndex::default();
    ix.upsert(obs(
        1,
        "roof_suitability",
        "suitable",
        (Some(1001), None),
        lonlat(1),
        NOW - DAY,
    ));
    ix.upsert(obs(
        2,
        "roof_suitability",
        "suitable",
        (Some(1002), None),
        lonlat(2),
        NOW - DAY,
    ));
    ix.upsert(obs(
        3,
        "solar_panels",
        "panels_seen",
        (Some(1002), None),
        lonlat(2),
        NOW - DAY,
    ));
    ix.upsert(obs(
        4,
        "gas_readiness",
        "interested",
        (None, Some(2003)),
        lonlat(3),
        NOW - DAY,
    ));
    ix.upsert(obs(
        5,
        "gas_readiness",
        "off_gas",
        (None, Some(2004)),
        lonlat(4),
        NOW - DAY,
    ));
    // Greenery: one serious report alone is not enough; a second one 10 m away within 30 days is.
    let park = (5.01, 52.001);
    ix.upsert(obs(
        6,
        "greenery_distress",
        "serious",
        (None, None),
        park,
        NOW - 2 * DAY,
    ));
    let f = fields();
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let mut w = WorkIndex::new(defaults(&f), Arc::clone(&f));
    w.rebuild(&src);
    assert_eq!(
        kinds(&w),
        vec![
            ("gas_free".into(), Target::Verblijfsobject(2001)),
            ("gas_free".into(), Target::Verblijfsobject(2003)),
            ("solar".into(), Target::Pand(1001)),
        ]
    );
    let ev = w.evidence(&src, "solar", Target::Pand(1001)).unwrap();
    assert_eq!(ev.observations, vec![1]);
    assert!(
        ev.facts
            .iter()
            .any(|(k, v)| k == "roof_suitability.status_class"
                && *v == crate::EvidenceValue::Text("suitable".into()))
    );
    assert!(
        ev.facts
            .iter()
            .any(|(k, v)| k == "solar_panels.status_class"
                && *v == crate::EvidenceValue::Text("none".into()))
    );

    ix.upsert(obs(
        7,
        "greenery_distress",
        "dying",
        (None, None),
        (park.0 + 0.0001, park.1),
        NOW - DAY,
    ));
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    w.rebuild(&src);
    let green: Vec<_> = w.iter().filter(|i| i.rule.kind == "greenery").collect();
    assert_eq!(green.len(), 1, "two reports at one spot are one item");
    assert_eq!(
        green[0].item.target,
        Target::PublicSpace(6),
        "named by the first report"
    );
    assert!((green[0].item.size - 2.0).abs() < 1e-6);
}

#[test]
fn a_done_item_stays_listed_when_its_rule_no_longer_holds() {
    let m = model(&[1960]);
    let mut ix = ObservationIndex::default();
    ix.upsert(obs(
        1,
        "roof_suitability",
        "suitable",
        (Some(1001), None),
        lonlat(1),
        NOW,
    ));
    let f = fields();
    let mut w = WorkIndex::new(defaults(&f), Arc::clone(&f));
    w.rebuild(&Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    });
    let r = w.record_status(
        "solar",
        Target::Pand(1001),
        StatusRecord {
            status: WorkStatus::Done,
            at: NOW,
            by: Some(7),
        },
    );
    assert_eq!(r.points.len(), 1);
    ix.upsert(obs(
        2,
        "solar_panels",
        "panels_seen",
        (Some(1001), None),
        lonlat(1),
        NOW,
    ));
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let targets = w.targets_of(&src, ix.get(2).unwrap());
    w.refresh(&src, &targets);
    let it = w.get("solar", Target::Pand(1001)).unwrap();
    assert_eq!(it.status, WorkStatus::Done);
    assert!(!it.item.matches);
}

#[test]
fn a_bad_rule_file_is_refused_with_its_line() {
    let f = fields();
    let bad = DEFAULT_RULES.replace(
        "AND NOT roof_suitability.status_class IN ('shaded')",
        "AND NOT roof_suitabilty.status_class IN ('shaded')",
    );
    let e = RuleSet::parse(&bad, &f).unwrap_err();
    let line = DEFAULT_RULES
        .lines()
        .position(|l| l.contains("AND NOT roof_suitability.status_class IN ('shaded')"))
        .unwrap()
        + 1;
    assert_eq!(e.line, line, "{e}");
    assert_eq!(e.field.as_deref(), Some("roof_suitabilty.status_class"));
    assert!(
        e.message
            .contains("did you mean roof_suitability.status_class"),
        "{e}"
    );

    let e = RuleSet::parse("[[rule]]\nkind = \"x\"\ntitle = { nl = \"a\", en = \"b\" }\ntarget = \"boom\"\nwhen = \"TRUE\"\nunit = { nl = \"a\", en = \"b\" }\n", &f).unwrap_err();
    assert_eq!(e.line, 4);
    assert!(e.message.contains("\"boom\""), "{e}");
    let twice = format!(
        "{DEFAULT_RULES}\n[[rule]]\nkind = \"solar\"\ntitle = {{ nl = \"a\", en = \"b\" }}\ntarget = \"pand\"\nwhen = \"TRUE\"\nunit = {{ nl = \"a\", en = \"b\" }}\n"
    );
    let e = RuleSet::parse(&twice, &f).unwrap_err();
    assert!(e.message.contains("already the rule on line"), "{e}");
    let e = RuleSet::parse("[[rule]]\nkind = \"x\"\nwhen = 3\n", &f).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    let e = RuleSet::parse("[[rule]]\nkind = \"x\"\ntitle = { nl = \"a\", en = \"b\" }\ntarget = \"pand\"\nwhen = \"bouwjaar < 1975\"\nsize = \"straat\"\nunit = { nl = \"a\", en = \"b\" }\n", &f).unwrap_err();
    assert_eq!(e.line, 6, "{e}");
}

/// A small deterministic generator (xorshift64*), so a failing case can be replayed by its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn incremental_equals_full_recompute_over_random_report_sequences() {
    let m = model(&[1950, 1960, 1980, 1990, 2000, 9999]);
    let f = fields();
    let types = types();
    for seed in 1..=200_u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut ix = ObservationIndex::default();
        let mut inc = WorkIndex::new(defaults(&f), Arc::clone(&f));
        inc.rebuild(&Sources {
            model: &m,
            observations: &ix,
            now: NOW,
        });
        let mut next_id = 1;
        for step in 0..40 {
            // Add, change or remove a report.
            let existing: Vec<i64> = ix.all().map(|o| o.id).collect();
            let (old, new) = if !existing.is_empty() && rng.below(4) == 0 {
                let id = existing[rng.below(existing.len() as u64) as usize];
                (ix.remove(id), None)
            } else {
                let t = &types[rng.below(types.len() as u64) as usize];
                let class =
                    t.status_classes[rng.below(t.status_classes.len() as u64) as usize].clone();
                let i = 1 + rng.below(6);
                let (x, y) = lonlat(i);
                let names_tree = t.public_space && matches!(i, 1 | 2 | 5) && rng.below(2) == 0;
                let (target, at) = if names_tree {
                    ((None, None), (x, y + TREE_NORTH))
                } else if t.public_space {
                    ((None, None), (x + rng.below(3) as f64 * 0.0002, y + 0.0005))
                } else if t.name == "gas_readiness" {
                    ((None, Some(2_000 + i)), (x, y))
                } else {
                    ((Some(1_000 + i), None), (x, y))
                };
                let mut o = obs(
                    next_id,
                    &t.name,
                    &class,
                    target,
                    at,
                    NOW - rng.below(60) as i64 * DAY,
                );
                o.confirmations = rng.below(2) as u32;
                // The server links a report that names a register tree (live_observation).
                o.tree = names_tree.then(|| tree_of(i));
                next_id += 1;
                let old = if !existing.is_empty() && rng.below(3) == 0 {
                    // A change of an existing report: same id, new answers.
                    let id = existing[rng.below(existing.len() as u64) as usize];
                    let prev = ix.get(id).cloned().unwrap();
                    o.id = id;
                    o.kind = prev.kind.clone();
                    o.status_class = types
                        .iter()
                        .find(|t| t.name == prev.kind)
                        .map(|t| t.status_classes[0].clone())
                        .unwrap();
                    o.building = prev.building;
                    o.address = prev.address;
                    o.tree = prev.tree;
                    o.public_space = prev.public_space;
                    o.point = prev.point;
                    Some(prev)
                } else {
                    None
                };
                ix.upsert(o.clone());
                (old, Some(o))
            };
            let src = Sources {
                model: &m,
                observations: &ix,
                now: NOW,
            };
            let mut targets = Vec::new();
            for o in old.iter().chain(new.iter()) {
                targets.extend(inc.targets_of(&src, o));
            }
            targets.sort_unstable();
            targets.dedup();
            inc.refresh(&src, &targets);
            let mut full = WorkIndex::new(defaults(&f), Arc::clone(&f));
            full.rebuild(&src);
            let items = |w: &WorkIndex| {
                let mut v: Vec<_> = w
                    .iter()
                    .map(|i| {
                        (
                            i.rule.kind.clone(),
                            i.item.target,
                            i.item.size.to_bits(),
                            i.item.point,
                        )
                    })
                    .collect();
                v.sort();
                v
            };
            assert_eq!(items(&inc), items(&full), "seed {seed}, step {step}");
            // The grid agrees: everywhere (the path over every cell) and in the south-west
            // half of the items' extent (the path cell by cell).
            let in_box = |w: &WorkIndex, lo: WorldPoint, hi: WorldPoint| {
                let mut v: Vec<_> = w
                    .in_box(lo, hi)
                    .iter()
                    .map(|i| (i.rule.kind.clone(), i.item.target))
                    .collect();
                v.sort();
                v
            };
            let all = in_box(&inc, [i32::MIN, i32::MIN], [i32::MAX, i32::MAX]);
            assert_eq!(all.len(), inc.len(), "seed {seed}, step {step}");
            assert_eq!(
                all,
                in_box(&full, [i32::MIN, i32::MIN], [i32::MAX, i32::MAX])
            );
            if let (Some(lo_x), Some(hi_x), Some(lo_y), Some(hi_y)) = (
                full.iter().map(|i| i.item.point[0]).min(),
                full.iter().map(|i| i.item.point[0]).max(),
                full.iter().map(|i| i.item.point[1]).min(),
                full.iter().map(|i| i.item.point[1]).max(),
            ) {
                let lo = [lo_x, lo_y];
                let hi = [lo_x / 2 + hi_x / 2, lo_y / 2 + hi_y / 2];
                assert_eq!(in_box(&inc, lo, hi), in_box(&full, lo, hi), "seed {seed}");
            }
        }
    }
}

#[test]
fn filters_read_register_fields_and_an_items_kind_and_status() {
    // Panden 1960, 1990, 1990, 1970: the fixture above, without the greenery reports.
    let m = model(&[1960, 1990, 1990, 1970]);
    let mut ix = ObservationIndex::default();
    ix.upsert(obs(
        1,
        "roof_suitability",
        "suitable",
        (Some(1001), None),
        lonlat(1),
        NOW - DAY,
    ));
    ix.upsert(obs(
        4,
        "gas_readiness",
        "interested",
        (None, Some(2003)),
        lonlat(3),
        NOW - DAY,
    ));
    let f = fields();
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let mut w = WorkIndex::new(defaults(&f), Arc::clone(&f));
    w.rebuild(&src);
    assert_eq!(
        w.len(),
        4,
        "solar on pand 1; gas_free on homes 1 and 4 (before 1975) and 3 (interested)"
    );

    // Register rows: panden older than 1975 with a home in them are 1 and 4.
    let reg = Fields::registers();
    let pand = reg.of(crate::TargetKind::Pand);
    let p = rules::compile("bouwjaar < 1975 AND woonfunctie", pand.schema()).unwrap();
    let old: Vec<u64> = m
        .building_rows()
        .filter(|b| p.matches(&pand.register_row(Some(*b), None, b.areas())))
        .map(|b| b.id().get())
        .collect();
    assert_eq!(old, vec![1001, 1004]);
    // Observation fields are not offered to filters over registers.
    let e = rules::compile("solar_panels.status_class = 'none'", pand.schema()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("solar_panels.status_class"));

    // Items: kind and status, and the target's register fields (missing for other kinds).
    let items = crate::ItemFields::new(w.rules(), &f);
    let matching = |text: &str| {
        let p = rules::compile(text, items.schema()).unwrap();
        let mut v: Vec<(String, Target)> = w
            .iter()
            .filter(|it| items.matches(&p, &m, Some((&ix, NOW)), it))
            .map(|it| (it.rule.kind.clone(), it.item.target))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        matching("kind = 'gas_free' AND bouwjaar < 1975"),
        vec![
            ("gas_free".into(), Target::Verblijfsobject(2001)),
            ("gas_free".into(), Target::Verblijfsobject(2004)),
        ]
    );
    assert_eq!(
        matching("status = 'open' AND bouwjaar >= 1960"),
        kinds(&w),
        "every item is open and stands in a pand from 1960 or later"
    );
    assert_eq!(
        matching("postcode IS NOT NULL OR kind = 'solar'").len(),
        4,
        "postcode is a field of addresses only"
    );
    assert!(matching("kind = 'solar' AND postcode IS NOT NULL").is_empty());
    // What the observations say about the target: the interested home, and the roof a resident
    // found suitable.
    assert_eq!(
        matching("gas_readiness.status_class = 'interested'"),
        vec![("gas_free".into(), Target::Verblijfsobject(2003))]
    );
    assert_eq!(
        matching("kind = 'solar' AND roof_suitability.reports >= 1"),
        vec![("solar".into(), Target::Pand(1001))]
    );
    let p = rules::compile("roof_suitability.status_class = 'suitable'", items.schema()).unwrap();
    assert!(items.reads_observations(&p));
    assert!(!items.reads_observations(&rules::compile("bouwjaar < 1975", items.schema()).unwrap()));
    // Over the registers only, observation fields are unknown.
    let registers = crate::ItemFields::new(w.rules(), &reg);
    let e = rules::compile("roof_suitability.reports >= 1", registers.schema()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("roof_suitability.reports"));
    let e = rules::compile("bouwjar < 1975", items.schema()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("bouwjar"));
    let e = rules::compile("status = 3", items.schema()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("status"));
}

#[test]
fn offers_are_matched_to_open_work_their_skills_fit_in_their_area() {
    use crate::talent::{Bits, Offer, match_offers};
    // Panden 1–3 (1960) each have an old home → three gas_free items; pand 1 also a suitable
    // roof → solar. Pand 3's item is planned already, so it is not open work.
    let m = model(&[1960, 1960, 1960]);
    let mut ix = ObservationIndex::default();
    ix.upsert(obs(
        1,
        "roof_suitability",
        "suitable",
        (Some(1001), None),
        lonlat(1),
        NOW - DAY,
    ));
    let f = fields();
    let mut w = WorkIndex::new(defaults(&f), Arc::clone(&f));
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    w.rebuild(&src);
    w.record_status(
        "gas_free",
        Target::Verblijfsobject(2003),
        StatusRecord {
            status: WorkStatus::Planned,
            at: NOW,
            by: None,
        },
    );
    let here: AreaCode = "BU19990101".parse().unwrap();
    let elsewhere: AreaCode = "BU19990102".parse().unwrap();
    let wijk: AreaCode = "WK199901".parse().unwrap();
    let offer = |id, skills: &[&str], area| Offer {
        id,
        skills: Bits::skills(skills.iter().copied()).unwrap(),
        area,
    };
    let offers = [
        // Knocks on doors: both kinds ask for it.
        offer(1, &["knocking_doors"], here),
        // Waters plants: only greenery asks for it, and there is none.
        offer(2, &["watering"], here),
        // Insulation, in the whole wijk: gas_free only.
        offer(3, &["insulation", "cooking"], wijk),
        // The right skill in another buurt.
        offer(4, &["knocking_doors"], elsewhere),
    ];
    let got = match_offers(&w, &offers, 1, |_| true);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].offer, 1);
    let kinds: Vec<(&str, u32)> = got[0]
        .kinds
        .iter()
        .map(|k| (k.kind.as_str(), k.items))
        .collect();
    assert_eq!(kinds, [("solar", 1), ("gas_free", 2)]);
    assert_eq!(got[0].kinds[0].largest, [Target::Pand(1001)]);
    // The largest `per_kind` (1) of two equal items: the lower target first.
    assert_eq!(got[0].kinds[1].largest, [Target::Verblijfsobject(2001)]);
    assert_eq!(got[1].offer, 3);
    assert_eq!(got[1].kinds.len(), 1);
    assert_eq!(got[1].kinds[0].kind, "gas_free");
    assert_eq!(got[1].kinds[0].items, 2);
    assert_eq!(
        got[1].kinds[0].skills.skill_list(),
        [crate::talent::Skill::Insulation]
    );
    // What the caller may not match (out of scope, opted out) is left out.
    let kept = match_offers(&w, &offers, 1, |it| it.item.target != Target::Pand(1001));
    assert_eq!(kept[0].kinds.len(), 1);
}

#[test]
fn a_rule_file_with_an_unknown_skill_is_refused_with_its_line() {
    let f = fields();
    let text = DEFAULT_RULES.replacen(
        "skills = [\"watering\", \"gardening\"]",
        "skills = [\"watering\", \"juggling\"]",
        1,
    );
    assert_ne!(text, DEFAULT_RULES);
    let e = RuleSet::parse(&text, &f).unwrap_err();
    let line = text.lines().position(|l| l.contains("juggling")).unwrap() + 1;
    assert_eq!(e.line, line);
    assert!(
        e.message.contains("juggling") && e.message.contains("watering"),
        "{}",
        e.message
    );
}

#[test]
fn reports_that_name_a_register_tree_make_tree_work_and_no_spot() {
    let m = model(&[1960, 1990, 1990, 1970, 2000]);
    let f = fields();
    let src_at = |ix: &ObservationIndex| {
        let mut w = WorkIndex::new(defaults(&f), Arc::clone(&f));
        w.rebuild(&Sources {
            model: &m,
            observations: ix,
            now: NOW,
        });
        w
    };
    let named = |id: i64, i: u64, class: &str, days: i64| {
        let (x, y) = lonlat(i);
        let mut o = obs(
            id,
            "greenery_distress",
            class,
            (None, None),
            (x, y + TREE_NORTH),
            NOW - days * DAY,
        );
        o.tree = Some(tree_of(i));
        o
    };
    // The greenery work (the fixture's old homes have gas-free work too).
    let green = |w: &WorkIndex| {
        kinds(w)
            .into_iter()
            .filter(|(k, _)| k == "tree_care" || k == "greenery")
            .collect::<Vec<_>>()
    };
    let mut ix = ObservationIndex::default();
    // One unconfirmed report about B2 by pand 2: not enough.
    ix.upsert(named(1, 2, "serious", 3));
    assert!(green(&src_at(&ix)).is_empty(), "{:?}", green(&src_at(&ix)));
    // A second one within 30 days is; the reports are about the tree, never a spot as well.
    ix.upsert(named(2, 2, "dying", 10));
    let w = src_at(&ix);
    let b2 = Target::Tree(tree_of(2));
    assert_eq!(green(&w), [("tree_care".to_owned(), b2)]);
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let ev = w.evidence(&src, "tree_care", b2).unwrap();
    assert_eq!(ev.observations, [1, 2]);
    let fact = |name: &str| {
        ev.facts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        fact("greenery_distress.reports_30d"),
        Some(crate::EvidenceValue::Number(2.0))
    );
    // The same number on another tree 200 m away is another tree: no work there.
    assert!(w.get("tree_care", Target::Tree(tree_of(5))).is_none());
    // B1: one confirmed report is enough; its register facts are fields rules can read.
    let mut o = named(3, 1, "light", 40);
    o.confirmations = 1;
    ix.upsert(o);
    let w = src_at(&ix);
    let b1 = Target::Tree(tree_of(1));
    assert!(w.get("tree_care", b1).is_some());
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let leeftijd = rules::compile(
        "boomsoort = 'Tilia europaea' AND leeftijd > 60 AND plantjaar = 1961",
        f.of(crate::TargetKind::Tree).schema(),
    )
    .unwrap();
    assert!(w.holds(&src, b1, &leeftijd), "NOW is in 2026: 65 years");
    // Incremental: withdrawing a report of B2 takes its item away, and only that one.
    let mut inc = src_at(&ix);
    let gone = ix.remove(2).unwrap();
    let src = Sources {
        model: &m,
        observations: &ix,
        now: NOW,
    };
    let targets = inc.targets_of(&src, &gone);
    assert!(targets.contains(&b2), "{targets:?}");
    let refresh = inc.refresh(&src, &targets);
    assert_eq!(refresh.points.len(), 1, "one item went: {refresh:?}");
    assert_eq!(green(&inc), [("tree_care".to_owned(), b1)]);
}
