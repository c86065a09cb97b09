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
    };
    tx.put_area(&area).unwrap();
    tx.commit().unwrap();

    let mut got = Vec::new();
    store.for_each_building(&mut |b| got.push(b)).unwrap();
    assert_eq!(got, vec![b]);
    let mut addrs = Vec::new();
    store.for_each_address(&mut |a| addrs.push(a)).unwrap();
    assert_eq!(addrs, vec![a]);
    assert_eq!(store.areas().unwrap(), vec![area]);
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
