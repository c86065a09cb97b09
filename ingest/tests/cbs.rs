//! Importing CBS wijk- en buurtkaart GeoPackages: the real Ermelo file (read in place) and
//! generated ones, and the spatial join of buildings and addresses to the areas.

#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::collections::BTreeMap;

use domain::{AreaRefs, Building};
use geo::{InteriorPoint, Point};
use ingest::GeoPackage;
use ingest::{ImportOptions, NoProgress, SourceFormat, detect, import};
use store::{SourceKind, Store};
use support::*;

#[test]
fn the_real_ermelo_file_gives_its_17_buurten() {
    let Some(file) = ermelo() else { return };
    assert_eq!(detect(&file).unwrap(), SourceFormat::CbsGpkg);
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();

    assert_eq!(
        (
            report.areas,
            report.buildings,
            report.addresses,
            report.rejoined
        ),
        (17, 0, 0, 0)
    );
    assert_eq!(report.source_key, "cbs:ermelo_buurten_2021.gpkg");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let sources = store.sources().unwrap();
    assert_eq!(
        (sources.len(), sources[0].info.kind, sources[0].counts.areas),
        (1, SourceKind::Cbs, 17)
    );

    let areas = store.areas().unwrap();
    assert_eq!(
        areas.len(),
        17,
        "only buurten: no wijken or gemeenten are derived"
    );
    assert!(
        areas
            .iter()
            .all(|a| a.code.kind() == domain::AreaKind::Buurt
                && a.code.gemeente().to_string() == "GM0233")
    );
    let by_code: BTreeMap<String, &domain::Area> =
        areas.iter().map(|a| (a.code.to_string(), a)).collect();
    assert_eq!(by_code["BU02330003"].name, "Veldwijk-'s Heerenloo");
    assert_eq!(by_code["BU02330100"].name, "Speuld");
    // The water buurt has no name; this early-2021 release has no population figures (NULL).
    assert_eq!(by_code["BU02339997"].name, "");
    assert!(
        areas
            .iter()
            .all(|a| a.residents.is_none() && a.households.is_none())
    );
    // Nor the share of 65+ and the density: `select buurtcode,
    // percentage_personen_65_jaar_en_ouder, bevolkingsdichtheid_inwoners_per_km2,
    // omgevingsadressendichtheid from CBS_Buurten` gives NULL and NULL in all 17 rows, e.g.
    // BU02330000 (Ermelo-Centrum: NULL, NULL, 1349), BU02330100 (Speuld: NULL, NULL, 81) and
    // the water buurt BU02339997 (NULL, NULL, -99999999). The address density beside them is
    // another figure, never read as the population density.
    for code in ["BU02330000", "BU02330100", "BU02339997"] {
        let a = by_code[code];
        assert_eq!((a.share_65_plus, a.density), (None, None), "{code}");
    }
    assert!(
        areas
            .iter()
            .all(|a| a.share_65_plus.is_none() && a.density.is_none())
    );
    // Reprojected into Ermelo's lon/lat box (5.55–5.78 E, 52.23–52.33 N).
    for a in &areas {
        let p = a.boundary_wgs84.interior_point().unwrap();
        assert!(
            (5.5..5.8).contains(&p.x()) && (52.2..52.35).contains(&p.y()),
            "{}: {p:?}",
            a.code
        );
    }
}

/// Interior points of the Ermelo buurten in RD, straight from the file.
fn ermelo_interior_points_rd(ermelo: &std::path::Path) -> Vec<(String, Point<f64>)> {
    let gpkg = GeoPackage::open(ermelo).unwrap();
    let mut points = Vec::new();
    gpkg.for_each_feature("CBS_Buurten", &["buurtcode"], &mut |f| {
        let mp = domain::wkb::read_multi_polygon(f.wkb()?.unwrap()).unwrap();
        points.push((f.text(0)?.unwrap(), mp.interior_point().unwrap()));
        Ok(())
    })
    .unwrap();
    points
}

/// A bag-light file with one 4 m pand and one address at each point.
fn buildings_at(path: &std::path::Path, points: &[(String, Point<f64>)]) -> std::path::PathBuf {
    let g = GpkgFile::create(path);
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.layer("verblijfsobject", "POINT", 28992, &VBO_COLUMNS);
    for (n, (_, p)) in points.iter().enumerate() {
        let id = pand_id(n as u64);
        g.insert(
            "pand",
            28992,
            Some(&square_wkb(p.x(), p.y(), 4.0)),
            vec![
                t(&id),
                i(1970),
                t("Pand in gebruik"),
                null(),
                null(),
                null(),
                i(1),
            ],
        );
        let vbo = vec![
            t(&vbo_id(n as u64)),
            null(),
            t("Verblijfsobject in gebruik"),
            null(),
            t("Stationsstraat"),
            i(n as i64 + 1),
            null(),
            null(),
            null(),
            t("Ermelo"),
            null(),
            t(&id),
        ];
        g.insert(
            "verblijfsobject",
            28992,
            Some(&point_wkb(p.x() + 0.5, p.y() + 0.5)),
            vbo,
        );
    }
    g.finish()
}

fn buurt_of_each_building(store: &impl Store) -> Vec<(String, AreaRefs)> {
    let mut out = Vec::new();
    store
        .for_each_building(&mut |b: Building| out.push((b.id.to_string(), b.areas)))
        .unwrap();
    out
}

#[test]
fn buildings_imported_after_the_areas_get_their_buurt() {
    let Some(ermelo) = ermelo() else { return };
    let points = ermelo_interior_points_rd(&ermelo);
    assert_eq!(points.len(), 17);
    let dir = tempfile::tempdir().unwrap();
    let file = buildings_at(&dir.path().join("ermelo-panden.gpkg"), &points);
    let (_d, store) = temp_store();
    import(&ermelo, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings, report.addresses), (17, 17));

    let joined = buurt_of_each_building(&store);
    for (n, (code, _)) in points.iter().enumerate() {
        let refs = joined
            .iter()
            .find(|(id, _)| *id == pand_id(n as u64))
            .unwrap()
            .1;
        assert_eq!(
            refs.buurt.map(|c| c.to_string()).as_deref(),
            Some(code.as_str())
        );
        assert_eq!(refs.wijk.unwrap().to_string(), format!("WK{}", &code[2..8]));
        assert_eq!(refs.gemeente.unwrap().to_string(), "GM0233");
    }
    let mut addresses = Vec::new();
    store.for_each_address(&mut |a| addresses.push(a)).unwrap();
    assert!(addresses.iter().all(|a| a.areas.buurt.is_some()));
}

#[test]
fn importing_areas_after_the_buildings_joins_them_again() {
    let Some(ermelo) = ermelo() else { return };
    let points = ermelo_interior_points_rd(&ermelo);
    let dir = tempfile::tempdir().unwrap();
    let file = buildings_at(&dir.path().join("ermelo-panden.gpkg"), &points);
    let (_d, store) = temp_store();
    import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert!(
        buurt_of_each_building(&store)
            .iter()
            .all(|(_, r)| *r == AreaRefs::default())
    );

    let report = import(&ermelo, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(report.rejoined, 34, "17 buildings and 17 addresses");
    let joined = buurt_of_each_building(&store);
    assert_eq!(joined.iter().filter(|(_, r)| r.buurt.is_some()).count(), 17);
}

/// A CBS file with gemeenten, wijken and buurten layers, where one wijk has no buurt.
fn three_levels(path: &std::path::Path) -> std::path::PathBuf {
    let g = GpkgFile::create(path);
    let stats = [
        ("aantal_inwoners", "INTEGER"),
        ("aantal_huishoudens", "INTEGER"),
        ("percentage_personen_65_jaar_en_ouder", "MEDIUMINT"),
        ("bevolkingsdichtheid_inwoners_per_km2", "MEDIUMINT"),
    ];
    g.layer(
        "gemeenten",
        "MULTIPOLYGON",
        28992,
        &[
            [("gemeentecode", "TEXT"), ("gemeentenaam", "TEXT")].as_slice(),
            &stats,
        ]
        .concat(),
    );
    g.layer(
        "wijken",
        "MULTIPOLYGON",
        28992,
        &[
            [
                ("wijkcode", "TEXT"),
                ("wijknaam", "TEXT"),
                ("gemeentecode", "TEXT"),
            ]
            .as_slice(),
            &stats,
        ]
        .concat(),
    );
    g.layer(
        "buurten",
        "MULTIPOLYGON",
        28992,
        &[
            [
                ("buurtcode", "TEXT"),
                ("buurtnaam", "TEXT"),
                ("wijkcode", "TEXT"),
            ]
            .as_slice(),
            &stats,
        ]
        .concat(),
    );
    g.insert(
        "gemeenten",
        28992,
        Some(&square_wkb(171_000.0, 477_000.0, 2_000.0)),
        vec![
            t("GM9999"),
            t("Proefdorp"),
            i(5_000),
            i(-99_997),
            i(19),
            i(1_250),
        ],
    );
    g.insert(
        "wijken",
        28992,
        Some(&square_wkb(170_500.0, 477_000.0, 1_000.0)),
        vec![
            t("WK999901"),
            t("Noord"),
            t("GM9999"),
            i(2_000),
            i(900),
            i(23),
            i(2_000),
        ],
    );
    g.insert(
        "wijken",
        28992,
        Some(&square_wkb(171_500.0, 477_000.0, 1_000.0)),
        vec![
            t("WK999902"),
            t("Zuid"),
            t("GM9999"),
            i(-99_995),
            i(-99_995),
            i(-99_995),
            i(-99_997),
        ],
    );
    g.insert(
        "buurten",
        28992,
        Some(&square_wkb(170_500.0, 477_000.0, 1_000.0)),
        vec![
            t("BU99990101"),
            t("Kern"),
            t("WK999901"),
            i(2_000),
            i(900),
            i(23),
            i(2_000),
        ],
    );
    g.finish()
}

#[test]
fn every_level_is_imported_sentinels_become_missing_and_the_finest_area_wins() {
    let dir = tempfile::tempdir().unwrap();
    let cbs = three_levels(&dir.path().join("wijkenbuurten_epsg28992.gpkg"));
    let (_d, store) = temp_store();
    let report = import(&cbs, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(report.areas, 4);
    let areas = store.areas().unwrap();
    let get = |code: &str| areas.iter().find(|a| a.code.to_string() == code).unwrap();
    assert_eq!(
        (get("GM9999").residents, get("GM9999").households),
        (Some(5_000), None)
    );
    assert_eq!(
        (get("WK999902").residents, get("WK999902").households),
        (None, None)
    );
    assert_eq!(get("BU99990101").households, Some(900));
    let context = |code: &str| (get(code).share_65_plus, get(code).density);
    assert_eq!(context("GM9999"), (Some(19), Some(1_250)));
    assert_eq!(context("BU99990101"), (Some(23), Some(2_000)));
    assert_eq!(context("WK999902"), (None, None), "-99995 and -99997");

    // One pand in the buurt, one in the wijk without buurten, one only in the gemeente... none
    // outside: (170500, 477000) → buurt; (171500, 477000) → wijk Zuid.
    let panden = buildings_at(
        &dir.path().join("p.gpkg"),
        &[
            (String::new(), Point::new(170_500.0, 477_000.0)),
            (String::new(), Point::new(171_500.0, 477_000.0)),
            (String::new(), Point::new(175_000.0, 477_000.0)),
        ],
    );
    import(&panden, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let joined = buurt_of_each_building(&store);
    let show = |r: &AreaRefs| {
        format!(
            "{:?}/{:?}/{:?}",
            r.buurt.map(|c| c.to_string()),
            r.wijk.map(|c| c.to_string()),
            r.gemeente.map(|c| c.to_string())
        )
    };
    assert_eq!(
        show(&joined[0].1),
        "Some(\"BU99990101\")/Some(\"WK999901\")/Some(\"GM9999\")"
    );
    assert_eq!(
        show(&joined[1].1),
        "None/Some(\"WK999902\")/Some(\"GM9999\")"
    );
    assert_eq!(show(&joined[2].1), "None/None/None");
}

/// The share of 65+ and the density under the short names of CBS's older files, in capitals and
/// as REAL: read the same; CBS's sentinels, a share outside 0–100 and NULL are missing.
#[test]
fn share_65_plus_and_density_under_their_short_names_with_sentinels_and_nonsense() {
    use rusqlite::types::Value;
    let dir = tempfile::tempdir().unwrap();
    let g = GpkgFile::create(&dir.path().join("buurten_oud.gpkg"));
    g.layer(
        "buurten",
        "MULTIPOLYGON",
        28992,
        &[
            ("buurtcode", "TEXT"),
            ("buurtnaam", "TEXT"),
            ("P_65_EO_JR", "REAL"),
            ("BEV_DICHTH", "MEDIUMINT"),
        ],
    );
    let rows: [(&str, Value, Value); 5] = [
        ("BU99990101", Value::Real(23.4), i(1_349)),
        ("BU99990102", i(-99_995), i(-99_997)),
        ("BU99990103", Value::Real(250.0), null()),
        ("BU99990104", null(), i(-99_999_999)),
        ("BU99990105", i(0), i(0)),
    ];
    for (n, (code, share, density)) in rows.into_iter().enumerate() {
        g.insert(
            "buurten",
            28992,
            Some(&square_wkb(
                170_500.0 + 1_000.0 * n as f64,
                477_000.0,
                1_000.0,
            )),
            vec![t(code), t("Buurt"), share, density],
        );
    }
    let file = g.finish();
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(report.areas, 5);
    let got: Vec<(String, Option<u8>, Option<u32>)> = store
        .areas()
        .unwrap()
        .into_iter()
        .map(|a| (a.code.to_string(), a.share_65_plus, a.density))
        .collect();
    assert_eq!(
        got,
        [
            ("BU99990101".to_owned(), Some(23), Some(1_349)),
            ("BU99990102".to_owned(), None, None),
            ("BU99990103".to_owned(), None, None),
            ("BU99990104".to_owned(), None, None),
            ("BU99990105".to_owned(), Some(0), Some(0)),
        ]
    );
}
