//! Importing bag-light GeoPackages (generated in code) into an SQLite store on a temp file.

mod support;

use domain::{BagId, BuildingStatus};
use ingest::{ImportOptions, NoProgress, SourceFormat, detect, import};
use store::Store;
use support::*;

/// RD coordinates inside Ermelo, where no test area lies unless a test imports one.
const X0: f64 = 170_000.0;
const Y0: f64 = 476_000.0;

#[test]
fn imports_every_pand_with_its_status_and_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = bag_light(&dir.path().join("bag-light.gpkg"), 250, 120, X0, Y0);
    let (_d, store) = temp_store();

    assert_eq!(detect(&file).unwrap(), SourceFormat::BagLightGpkg);
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();

    assert_eq!(
        (report.buildings, report.addresses, report.areas),
        (250, 120, 0)
    );
    assert_eq!(report.source_key, "bag-light:bag-light.gpkg");
    assert_eq!(report.stored.buildings, 250);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    // 250 panden over 10 statuses: 25 each, the gone ones (demolished, not realised, wrongly
    // registered) included — the model leaves those out when drawing, the store keeps them.
    assert_eq!(
        report.building_status_counts.len(),
        BuildingStatus::ALL.len()
    );
    assert!(report.building_status_counts.values().all(|n| *n == 25));
    assert_eq!(
        report.building_status_counts[&BuildingStatus::Demolished],
        25
    );
    let stored: u64 = store
        .building_status_counts()
        .unwrap()
        .iter()
        .map(|(_, n)| n)
        .sum();
    assert_eq!(stored, 250);
    assert!(
        store
            .building_status_counts()
            .unwrap()
            .contains(&("Pand ten onrechte opgevoerd".to_owned(), 25))
    );
}

#[test]
fn buildings_are_reprojected_from_rd_to_wgs84() {
    let dir = tempfile::tempdir().unwrap();
    let file = bag_light(&dir.path().join("origin.gpkg"), 1, 1, 155_000.0, 463_000.0);
    let (_d, store) = temp_store();
    import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();

    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    let ring = &buildings[0].footprint_wgs84.0[0].exterior().0;
    let lon = ring[..4].iter().map(|c| c.x).sum::<f64>() / 4.0;
    // The square is centred on the Amersfoort origin: 52.155172 N, 5.387204 E; 10 m ≈ 1.5e-4° of lon.
    assert!((lon - 5.387_204).abs() < 2e-4, "{ring:?}");
    assert!(
        ring.iter().all(|c| (c.y - 52.155_172).abs() < 1e-4),
        "{ring:?}"
    );
    assert_eq!(buildings[0].bouwjaar, 1900);

    let mut addresses = Vec::new();
    store.for_each_address(&mut |a| addresses.push(a)).unwrap();
    let a = &addresses[0];
    assert_eq!(a.building_ids, vec![pand_id(0).parse::<BagId>().unwrap()]);
    assert_eq!(
        (a.street.as_str(), a.house_number, a.postcode.as_deref()),
        ("Proefstraat", 1, Some("9999AA"))
    );
    assert_eq!(a.label(), "Proefstraat 1, 9999AA Wijkdorp");
    assert!(
        (a.location_wgs84.x() - 5.387_218).abs() < 1e-5
            && (a.location_wgs84.y() - 52.155_181).abs() < 1e-5,
        "{a:?}"
    );
}

#[test]
fn importing_the_same_file_again_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = bag_light(&dir.path().join("bag-light.gpkg"), 300, 300, X0, Y0);
    let (_d, store) = temp_store();
    let first = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = snapshot(&store);
    let second = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(first.source_key, second.source_key);
    assert_eq!(snapshot(&store), before);
    assert_eq!(store.counts().unwrap().buildings, 300);
    assert_eq!(store.sources().unwrap().len(), 1);
}

#[test]
fn a_verblijfsobject_may_lie_in_several_panden_and_optional_columns_may_be_missing() {
    let dir = tempfile::tempdir().unwrap();
    let g = GpkgFile::create(&dir.path().join("minimal.gpkg"));
    // Only the required columns, and an integer identificatie that lost its leading zero.
    g.layer(
        "pand",
        "POLYGON",
        28992,
        &[("identificatie", "INTEGER"), ("status", "TEXT")],
    );
    g.layer(
        "verblijfsobject",
        "POINT",
        28992,
        &[
            ("identificatie", "TEXT"),
            ("status", "TEXT"),
            ("huisnummer", "INTEGER"),
            ("pand_identificatie", "TEXT"),
        ],
    );
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(X0, Y0, 8.0)),
        vec![i(221_100_000_000_001), t("Pand in gebruik")],
    );
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(X0 + 8.0, Y0, 8.0)),
        vec![i(221_100_000_000_002), t("Bouw gestart")],
    );
    let both = "0221100000000001,0221100000000002";
    g.insert(
        "verblijfsobject",
        28992,
        Some(&point_wkb(X0 + 4.0, Y0)),
        vec![
            t("0221010000000001"),
            t("Verblijfsobject gevormd"),
            i(7),
            t(both),
        ],
    );
    let file = g.finish();

    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings, report.addresses), (2, 1));

    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    assert_eq!(buildings[0].id.to_string(), "0221100000000001");
    assert_eq!(
        (
            buildings[0].bouwjaar,
            buildings[0].units,
            buildings[0].usage.is_empty()
        ),
        (9999, 0, true)
    );
    let mut addresses = Vec::new();
    store.for_each_address(&mut |a| addresses.push(a)).unwrap();
    let ids: Vec<String> = addresses[0]
        .building_ids
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ids.join(","), both);
    assert_eq!(
        (addresses[0].street.as_str(), addresses[0].place.as_str()),
        ("", "")
    );
}

#[test]
fn wgs84_layers_are_taken_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let g = GpkgFile::create(&dir.path().join("bag-light-crs84.gpkg"));
    g.layer("pand", "MULTIPOLYGON", CRS84_SRS_ID, &PAND_COLUMNS);
    let wkb = square_wkb(5.9, 52.2, 0.0002);
    g.insert(
        "pand",
        CRS84_SRS_ID,
        Some(&wkb),
        vec![
            t(&pand_id(1)),
            i(2001),
            t("Pand in gebruik"),
            t("woonfunctie,winkelfunctie"),
            null(),
            null(),
            i(2),
        ],
    );
    let file = g.finish();

    let (_d, store) = temp_store();
    import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    assert_eq!(
        buildings[0].footprint_wgs84,
        domain::wkb::read_multi_polygon(&wkb).unwrap()
    );
    assert_eq!(buildings[0].usage.to_string(), "woonfunctie,winkelfunctie");
    assert_eq!(buildings[0].units, 2);
}

#[test]
fn panden_without_geometry_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let g = GpkgFile::create(&dir.path().join("holes.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(X0, Y0, 8.0)),
        vec![
            t(&pand_id(1)),
            i(1990),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            i(1),
        ],
    );
    g.insert(
        "pand",
        28992,
        None,
        vec![
            t(&pand_id(2)),
            i(1990),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            i(1),
        ],
    );
    let file = g.finish();

    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings, report.skipped_total), (1, 1));
    assert!(
        report.skipped[0].contains("holes.gpkg, layer pand, fid 2"),
        "{}",
        report.skipped[0]
    );
}
