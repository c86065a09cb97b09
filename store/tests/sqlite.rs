//! The SQLite store on a temporary file: round trips, one-transaction imports, replacement by source.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

use domain::{Address, AddressStatus, Area, AreaRefs, BagId, Building, BuildingStatus, UsageSet};
use geo::{MultiPolygon, Point, polygon};
use store::{SourceInfo, SourceKind, SqliteStore, Store};

fn source(key: &str) -> SourceInfo {
    SourceInfo {
        key: key.into(),
        kind: SourceKind::Bag,
        format: "test".into(),
        location: "memory".into(),
    }
}

fn building(id: u64, status: BuildingStatus) -> Building {
    Building {
        id: BagId::new(id).unwrap(),
        footprint_wgs84: MultiPolygon(vec![
            polygon![(x: 5.0, y: 52.0), (x: 5.001, y: 52.0), (x: 5.001, y: 52.001), (x: 5.0, y: 52.0)],
        ]),
        bouwjaar: 1931,
        status,
        usage: "woonfunctie,winkelfunctie".parse().unwrap(),
        units: 3,
        areas: AreaRefs::from_code("BU19990101".parse().unwrap()),
    }
}

fn address(id: u64) -> Address {
    Address {
        id: BagId::new(id).unwrap(),
        location_wgs84: Point::new(5.0005, 52.0003),
        street: "'s-Gravenweg".into(),
        house_number: 12,
        house_letter: Some("A".into()),
        addition: Some("2".into()),
        postcode: Some("1234AB".into()),
        place: "Wijkdorp".into(),
        status: AddressStatus::InUse,
        usage: UsageSet::EMPTY,
        floor_area_m2: Some(84),
        building_ids: vec![BagId::new(1).unwrap(), BagId::new(2).unwrap()],
        areas: AreaRefs::default(),
    }
}

#[test]
fn rows_round_trip_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("w.sqlite")).unwrap();
    let mut tx = store.begin_import(&source("a")).unwrap();
    let b = building(221_100_000_000_001, BuildingStatus::InUse);
    let a = address(221_010_000_000_001);
    tx.put_building(&b).unwrap();
    tx.put_address(&a).unwrap();
    let area = Area {
        code: "BU19990101".parse().unwrap(),
        name: "Centrum-Oost".into(),
        boundary_wgs84: b.footprint_wgs84.clone(),
        residents: Some(120),
        households: None,
        share_65_plus: Some(23),
        density: Some(1_349),
    };
    tx.put_area(&area).unwrap();
    // A second area whose CBS figures are all missing: NULL in, `None` out.
    let unknown = Area {
        code: "BU19990102".parse().unwrap(),
        name: "Water".into(),
        boundary_wgs84: b.footprint_wgs84.clone(),
        residents: None,
        households: None,
        share_65_plus: None,
        density: None,
    };
    tx.put_area(&unknown).unwrap();
    tx.commit().unwrap();

    let mut got = Vec::new();
    store.for_each_building(&mut |b| got.push(b)).unwrap();
    assert_eq!(got, vec![b]);
    let mut addrs = Vec::new();
    store.for_each_address(&mut |a| addrs.push(a)).unwrap();
    assert_eq!(addrs, vec![a]);
    assert_eq!(store.areas().unwrap(), vec![area, unknown]);
}

#[test]
fn dropped_import_leaves_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("w.sqlite")).unwrap();
    let mut tx = store.begin_import(&source("a")).unwrap();
    tx.put_building(&building(1, BuildingStatus::InUse))
        .unwrap();
    tx.commit().unwrap();
    let before = store.counts().unwrap();

    let mut tx = store.begin_import(&source("a")).unwrap();
    tx.put_building(&building(2, BuildingStatus::InUse))
        .unwrap();
    drop(tx); // an import that failed half way
    assert_eq!(store.counts().unwrap(), before);
    assert_eq!(store.sources().unwrap().len(), 1);
}

#[test]
fn reimporting_a_source_replaces_it_and_other_sources_stay() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    for _ in 0..2 {
        let mut tx = store.begin_import(&source("a")).unwrap();
        tx.put_building(&building(1, BuildingStatus::InUse))
            .unwrap();
        tx.put_building(&building(2, BuildingStatus::Demolished))
            .unwrap();
        let c = tx.commit().unwrap();
        assert_eq!(c.buildings, 2);
    }
    let mut tx = store.begin_import(&source("b")).unwrap();
    tx.put_building(&building(3, BuildingStatus::InUse))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(store.counts().unwrap().buildings, 3);
    let mut tx = store.begin_import(&source("a")).unwrap();
    tx.put_building(&building(1, BuildingStatus::InUse))
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(
        store.counts().unwrap().buildings,
        2,
        "building 2 left with its source's new version"
    );
    let statuses = store.building_status_counts().unwrap();
    assert_eq!(statuses, vec![("Pand in gebruik".to_string(), 2)]);
    drop(store);
    // Reopening runs no migration twice and keeps the rows.
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.counts().unwrap().buildings, 2);
}

/// A campaign that ended longer ago than `campaign_visits` loses its visits per address (knocked
/// doors, kept outcomes); the counts per route stay; a running campaign keeps them. Moving doors
/// between free routes is all or nothing.
#[test]
fn campaign_visits_go_after_the_campaign_ended_and_doors_move_between_free_routes() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("w.sqlite")).unwrap();
    let walker = store
        .create_user(
            "loper@test",
            "Loper",
            None,
            &[("volunteer".into(), "all".into())],
            0,
        )
        .unwrap();
    let spec = |ends_on: &str| store::CampaignSpec {
        title: "Zon".into(),
        topic: "zon".into(),
        area: "WK199901".into(),
        criteria: String::new(),
        work_kind: None,
        assignment_id: None,
        questions: "[]".into(),
        turf_size: 2,
        starts_on: "2026-01-01".into(),
        ends_on: ends_on.into(),
    };
    let turfs = |base: u64| {
        vec![
            store::NewTurf {
                buurt: "BU19990101".into(),
                doors: vec![base + 1, base + 2],
            },
            store::NewTurf {
                buurt: "BU19990101".into(),
                doors: vec![base + 3, base + 4],
            },
        ]
    };
    let day = 86_400;
    let ended = store
        .create_campaign(&spec("2026-02-01"), &turfs(100), 0, None, 0)
        .unwrap();
    let running = store
        .create_campaign(&spec("2027-12-31"), &turfs(200), 0, None, 0)
        .unwrap();
    // Redraw before anyone walks: route 2's first door to route 1, and back; a door of another
    // campaign is refused and nothing moves.
    let [t1, t2]: [i64; 2] = store
        .turfs(ended)
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert_eq!(store.move_doors(ended, t1, &[103]).unwrap(), 1);
    assert_eq!(store.turf_doors(t1).unwrap(), vec![101, 102, 103]);
    assert!(store.move_doors(ended, t1, &[104, 201]).is_err());
    assert_eq!(store.turf_doors(t2).unwrap(), vec![104]);
    assert_eq!(store.move_doors(ended, t2, &[103]).unwrap(), 1);
    for c in [ended, running] {
        let t = store.turfs(c).unwrap()[0].clone();
        store.set_turf_holder(t.id, None, Some(walker), 0).unwrap();
        let op = |k: &str, a: u64| store::VisitOp {
            key: k.into(),
            address: a,
            outcome: "signed_up".into(),
            keep: true,
            answers: "{}".into(),
            counted: Vec::new(),
            note: String::new(),
        };
        let doors = store.turf_doors(t.id).unwrap();
        store
            .apply_visits(
                c,
                t.id,
                walker,
                &[op("a", doors[0]), op("b", doors[1])],
                10,
                |_| "{}".into(),
            )
            .unwrap();
    }
    let doors_of = |c: i64| {
        store
            .campaign_door_states()
            .unwrap()
            .into_iter()
            .filter(|(a, d)| d.visited && (if c == ended { *a < 200 } else { *a >= 200 }))
            .count()
    };
    assert_eq!((doors_of(ended), doors_of(running)), (2, 2));
    // 2026-12-05: 307 days after the first campaign ended, well before the second ends.
    let now = 1_796_428_800;
    let rules = store::people::RetentionRules {
        campaign_visits: Some(180 * day),
        ..Default::default()
    };
    let out = store.run_retention(&rules, now).unwrap();
    let removed = out
        .iter()
        .find(|o| o.kind == "campaign_visits")
        .unwrap()
        .removed;
    assert_eq!(removed, 4, "two doors and two kept outcomes");
    assert_eq!((doors_of(ended), doors_of(running)), (0, 2));
    assert!(store.kept_outcome_rows(ended).unwrap().is_empty());
    assert_eq!(store.kept_outcome_rows(running).unwrap().len(), 2);
    let counts = store.turf_counts(ended).unwrap();
    assert_eq!(
        counts.values().flat_map(|m| m.values()).sum::<i64>(),
        2,
        "the counts per route stay"
    );
}

/// Retention thins the history of work closed long ago to its last status, without who set it,
/// the note or the evidence; open work and work closed recently keep their history. A tree is a
/// target whose id uses all 64 bits.
#[test]
fn the_history_of_work_closed_long_ago_is_thinned_to_its_last_status() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("w.sqlite")).unwrap();
    let day = 86_400;
    let now = 1_796_428_800;
    let tree = i64::from_ne_bytes(0xF00D_0000_0000_0007_u64.to_ne_bytes());
    let roles = [("wijkondernemer".to_owned(), "all".to_owned())];
    let a = store
        .create_user("a@work.test", "", None, &roles, now)
        .unwrap();
    let b = store
        .create_user("b@work.test", "", None, &roles, now)
        .unwrap();
    let steps = |kind: &str, target_kind: &str, id: i64, last: &str, last_at: i64| {
        store
            .record_work_status(
                kind,
                target_kind,
                id,
                "planned",
                last_at - 10 * day,
                Some(a),
                "met de buurvrouw",
                "{\"facts\":[]}",
            )
            .unwrap();
        store
            .record_work_status(
                kind,
                target_kind,
                id,
                last,
                last_at,
                Some(b),
                "klaar",
                "{\"facts\":[[\"bouwjaar\",1960]]}",
            )
            .unwrap();
    };
    steps("solar", "pand", 1, "done", now - 800 * day); // closed long ago: thinned
    steps(
        "gas_free",
        "verblijfsobject",
        2,
        "not_wanted",
        now - 800 * day,
    ); // likewise
    steps("solar", "pand", 3, "done", now - 100 * day); // closed recently: kept
    steps("solar", "pand", 4, "in_progress", now - 800 * day); // still open: kept
    steps("tree_care", "tree", tree, "done", now - 900 * day); // a tree: thinned
    let rules = store::people::RetentionRules {
        work_status: Some(730 * day),
        ..Default::default()
    };
    let removed = |out: Vec<store::people::RetentionOutcome>| {
        out.iter()
            .find(|o| o.kind == "work_status")
            .unwrap()
            .removed
    };
    // Three items: an earlier entry goes and the last one is emptied, each.
    assert_eq!(removed(store.run_retention(&rules, now).unwrap()), 6);
    for (kind, target_kind, id, status) in [
        ("solar", "pand", 1, "done"),
        ("gas_free", "verblijfsobject", 2, "not_wanted"),
        ("tree_care", "tree", tree, "done"),
    ] {
        let h = store.work_history(kind, target_kind, id).unwrap();
        assert_eq!(h.len(), 1, "{kind} {id}: {h:?}");
        assert_eq!(h[0].status, status);
        assert_eq!(
            (h[0].by_user, h[0].note.as_str(), h[0].evidence.as_str()),
            (None, "", "{}")
        );
    }
    for id in [3, 4] {
        let h = store.work_history("solar", "pand", id).unwrap();
        assert_eq!(h.len(), 2, "{id}: kept whole");
        assert_eq!(h[1].by_user, Some(b));
    }
    // Nothing more to do the next time.
    assert_eq!(removed(store.run_retention(&rules, now).unwrap()), 0);
    // The newest status of each item is what the work index loads.
    assert_eq!(store.work_statuses().unwrap().len(), 5);
}
