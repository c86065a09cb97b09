//! Any OGR source, through GDAL (feature `gdal`): GeoJSON written here, the real Ermelo
//! GeoPackage and the real Doesburg BAG XML through GDAL's drivers.

#![cfg(feature = "gdal")]
#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::path::{Path, PathBuf};

use domain::BuildingStatus;
use ingest::{Error, ImportOptions, NoProgress, SourceFormat, detect, import};
use store::{SourceKind, Store};
use support::*;

const OGR: ImportOptions = ImportOptions {
    format: Some(SourceFormat::Ogr),
    tree_columns: ingest::TreeColumns {
        id: None,
        species: None,
        year: None,
    },
};

fn pand_feature(id: &str, status: &str, bouwjaar: i64, ring: &[(f64, f64)]) -> String {
    let coords: Vec<String> = ring.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    format!(
        r#"{{"type":"Feature","properties":{{"identificatie":{id},"bouwjaar":{bouwjaar},"status":"{status}","gebruiksdoel":"woonfunctie","aantal_verblijfsobjecten":1}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
        coords.join(",")
    )
}

fn square(x: f64, y: f64, h: f64) -> Vec<(f64, f64)> {
    vec![
        (x - h, y - h),
        (x + h, y - h),
        (x + h, y + h),
        (x - h, y + h),
        (x - h, y - h),
    ]
}

fn geojson(path: &Path, crs: Option<&str>, features: &[String]) -> PathBuf {
    let crs = crs.map_or(String::new(), |c| {
        format!(r#""crs":{{"type":"name","properties":{{"name":"{c}"}}}},"#)
    });
    std::fs::write(
        path,
        format!(
            r#"{{"type":"FeatureCollection",{crs}"features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    path.to_owned()
}

#[test]
fn a_geojson_of_panden_in_wgs84_is_imported_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let file = geojson(
        &dir.path().join("panden.geojson"),
        None,
        &[
            // A numeric identificatie loses its leading zero; it is restored.
            pand_feature(
                "221100000000001",
                "Pand in gebruik",
                1931,
                &square(6.14, 52.02, 0.0001),
            ),
            pand_feature(
                "\"0221100000000002\"",
                "Pand gesloopt",
                1890,
                &square(6.141, 52.02, 0.0001),
            ),
            pand_feature(
                "\"0221100000000003\"",
                "Bouwvergunning verleend",
                9999,
                &square(6.142, 52.02, 0.0001),
            ),
        ],
    );
    assert_eq!(detect(&file).unwrap(), SourceFormat::Ogr);
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(
        (report.buildings, report.addresses, report.areas),
        (3, 0, 0)
    );
    assert_eq!(
        report.building_status_counts[&BuildingStatus::Demolished],
        1
    );
    assert_eq!(report.source_key, "ogr:panden.geojson");

    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    assert_eq!(buildings[0].id.to_string(), "0221100000000001");
    assert_eq!(
        buildings[0].footprint_wgs84.0[0].exterior().0[0],
        geo::Coord {
            x: 6.1399,
            y: 52.0199
        }
    );
    assert_eq!(
        (buildings[2].bouwjaar, buildings[2].status),
        (9999, BuildingStatus::PermitGranted)
    );
}

#[test]
fn a_geojson_in_rd_new_is_reprojected() {
    let dir = tempfile::tempdir().unwrap();
    let file = geojson(
        &dir.path().join("panden-rd_epsg28992.geojson"),
        Some("urn:ogc:def:crs:EPSG::28992"),
        &[pand_feature(
            "\"0221100000000001\"",
            "Pand in gebruik",
            1931,
            &square(155_000.0, 463_000.0, 5.0),
        )],
    );
    let (_d, store) = temp_store();
    import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    let ring = &buildings[0].footprint_wgs84.0[0].exterior().0;
    let (lon, lat) = (
        ring[..4].iter().map(|c| c.x).sum::<f64>() / 4.0,
        ring[..4].iter().map(|c| c.y).sum::<f64>() / 4.0,
    );
    assert!(
        (lon - 5.387_204).abs() < 1e-6 && (lat - 52.155_172).abs() < 1e-6,
        "{lon} {lat}"
    );
}

#[test]
fn an_unknown_status_in_an_ogr_source_names_the_record_and_changes_nothing() {
    let Some(ermelo) = ermelo() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = temp_store();
    import(&ermelo, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = snapshot(&store);
    let file = geojson(
        &dir.path().join("maan.geojson"),
        None,
        &[
            pand_feature(
                "\"0221100000000001\"",
                "Pand in gebruik",
                1931,
                &square(6.14, 52.02, 0.0001),
            ),
            pand_feature(
                "\"0221100000000002\"",
                "Pand op de maan",
                1931,
                &square(6.15, 52.02, 0.0001),
            ),
        ],
    );
    let err = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRecord { fid: 1, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("maan.geojson") && err.to_string().contains("Pand op de maan"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
}

/// The CBS context through GDAL: the short column names in capitals, a real-valued share
/// rounded, CBS's sentinels and a share above 100 missing — as the GeoPackage path reads them.
#[test]
fn buurten_through_gdal_keep_their_share_of_65_plus_and_density() {
    let dir = tempfile::tempdir().unwrap();
    let buurt = |code: &str, share: &str, density: &str, x: f64| {
        let coords: Vec<String> = square(x, 52.02, 0.001)
            .iter()
            .map(|(x, y)| format!("[{x},{y}]"))
            .collect();
        format!(
            r#"{{"type":"Feature","properties":{{"buurtcode":"{code}","buurtnaam":"Buurt","P_65_EO_JR":{share},"BEV_DICHTH":{density}}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
            coords.join(",")
        )
    };
    let file = geojson(
        &dir.path().join("buurten.geojson"),
        None,
        &[
            buurt("BU99990101", "23.4", "1349", 6.14),
            buurt("BU99990102", "-99995", "-99997", 6.15),
            buurt("BU99990103", "250", "null", 6.16),
        ],
    );
    let (_d, store) = temp_store();
    let report = import(&file, &store, &OGR, &NoProgress).unwrap();
    assert_eq!(report.areas, 3);
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
        ]
    );
}

#[test]
fn the_real_ermelo_file_through_gdal_gives_the_same_17_buurten() {
    let Some(ermelo) = ermelo() else { return };
    let (_d, store) = temp_store();
    let report = import(&ermelo, &store, &OGR, &NoProgress).unwrap();
    assert_eq!(
        (report.areas, report.buildings, report.format),
        (17, 0, SourceFormat::Ogr)
    );
    assert_eq!(store.sources().unwrap()[0].info.kind, SourceKind::Cbs);

    let (_d2, native) = temp_store();
    import(&ermelo, &native, &ImportOptions::default(), &NoProgress).unwrap();
    let codes = |s: &store::SqliteStore| {
        s.areas()
            .unwrap()
            .into_iter()
            .map(|a| (a.code, a.name, a.share_65_plus, a.density))
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&store), codes(&native));
    // Both read the same vertices and reproject them the same way.
    assert_eq!(
        store.areas().unwrap()[3].boundary_wgs84,
        native.areas().unwrap()[3].boundary_wgs84
    );
}

#[test]
fn the_real_doesburg_bag_xml_through_gdal_keeps_only_current_panden() {
    let Some(file) =
        real_sample("bag-lv-extract-xml/doesburg-0221-small/0221PND15092020-000001.xml")
    else {
        return;
    };
    let (_d, store) = temp_store();
    let report = import(&file, &store, &OGR, &NoProgress).unwrap();
    // 6 pand versions of 2 panden; 4 versions ended.
    assert_eq!(report.buildings, 2);
    let mut buildings = Vec::new();
    store.for_each_building(&mut |b| buildings.push(b)).unwrap();
    let got: Vec<(String, u16)> = buildings
        .iter()
        .map(|b| (b.id.to_string(), b.bouwjaar))
        .collect();
    assert_eq!(
        got,
        [
            ("0221100000311191".to_owned(), 1992),
            ("0221100000312938".to_owned(), 1585)
        ]
    );
    let p = geo::InteriorPoint::interior_point(&buildings[0].footprint_wgs84).unwrap();
    assert!(
        (6.0..6.2).contains(&p.x()) && (52.0..52.1).contains(&p.y()),
        "Doesburg: {p:?}"
    );
}
