//! The GDAL import path end to end (`cargo test -p tests --features gdal --test gdal`): the real
//! `wijkwerk` binary built with the `gdal` feature imports real samples in a format only GDAL reads
//! (the Ermelo CBS buurten and Kadaster's Doesburg BAG panden, converted to FlatGeobuf by
//! `ogr2ogr`), and the store then holds what the native importers make of the originals.
//!
//! The samples are `../shared/sample-data-real/` (see `ingest/tests/support/real_samples.rs`):
//! without them the test is skipped, saying so.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

#[path = "../../ingest/tests/support/real_samples.rs"]
mod real_samples;

use std::path::Path;
use std::process::Command;

use store::{SqliteStore, Store as _};
use tests::wijkwerk_gdal_binary;

/// Converts `source` (a path or GDAL virtual path) to the FlatGeobuf file `out`.
fn ogr2ogr(out: &Path, source: &str) {
    let o = Command::new("ogr2ogr")
        .args(["-f", "FlatGeobuf"])
        .arg(out)
        .arg(source)
        .output()
        .expect("ogr2ogr (Debian gdal-bin) must be installed");
    assert!(
        o.status.success(),
        "ogr2ogr {source}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `wijkwerk import --db DB FILES…` with the GDAL build; panics with its log when it fails.
fn import(db: &Path, files: &[&Path]) {
    let o = Command::new(wijkwerk_gdal_binary())
        .arg("import")
        .arg("--db")
        .arg(db)
        .args(files)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "wijkwerk import {files:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The sources of a store as (key, format, buildings, addresses, areas).
fn sources(s: &SqliteStore) -> Vec<(String, String, u64, u64, u64)> {
    s.sources()
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.info.key,
                r.info.format,
                r.counts.buildings,
                r.counts.addresses,
                r.counts.areas,
            )
        })
        .collect()
}

#[test]
fn real_samples_that_only_gdal_reads_import_like_their_originals() {
    let Some(ermelo) = real_samples::real_sample("cbs-wijkenbuurten/ermelo_buurten_2021.gpkg")
    else {
        return;
    };
    let Some(zip) = real_samples::real_sample("bag-lv-extract-xml/0221PND15092020.zip") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let areas_fgb = dir.path().join("ermelo.fgb");
    let panden_fgb = dir.path().join("doesburg-panden.fgb");
    ogr2ogr(&areas_fgb, ermelo.to_str().unwrap());
    // GDAL's LVBAG driver reads the extract in the zip: all 13,098 pand versions.
    ogr2ogr(&panden_fgb, &format!("/vsizip/{}", zip.display()));

    let through_gdal = dir.path().join("gdal.sqlite");
    import(&through_gdal, &[&areas_fgb, &panden_fgb]);
    let native = dir.path().join("native.sqlite");
    import(&native, &[&ermelo, &zip]);
    let (g, n) = (
        SqliteStore::open(&through_gdal).unwrap(),
        SqliteStore::open(&native).unwrap(),
    );

    // Detected by content: the FlatGeobuf files went through the OGR source, the originals
    // through the native importers; each brought the same counts.
    assert_eq!(
        sources(&g),
        [
            ("ogr:ermelo.fgb".into(), "OGR source".into(), 0, 0, 17),
            (
                "ogr:doesburg-panden.fgb".into(),
                "OGR source".into(),
                7_797,
                0,
                0
            ),
        ]
    );
    assert_eq!(
        sources(&n),
        [
            (
                "cbs:ermelo_buurten_2021.gpkg".into(),
                "CBS wijk- en buurtkaart GeoPackage".into(),
                0,
                0,
                17
            ),
            (
                "bag-xml:0221PND15092020.zip".into(),
                "BAG 2.0 XML extract".into(),
                7_797,
                0,
                0
            ),
        ]
    );
    assert_eq!(g.counts().unwrap(), n.counts().unwrap());
    assert_eq!(
        g.building_status_counts().unwrap(),
        n.building_status_counts().unwrap()
    );

    // The same buurten (codes, names, boundaries) ...
    let areas = |s: &SqliteStore| {
        s.areas()
            .unwrap()
            .into_iter()
            .map(|a| (a.code.to_string(), a.name, a.boundary_wgs84))
            .collect::<Vec<_>>()
    };
    assert_eq!(areas(&g), areas(&n));
    // ... and the same current panden: identificatie, status, bouwjaar and footprint.
    let buildings = |s: &SqliteStore| {
        let mut v = Vec::new();
        s.for_each_building(&mut |b| {
            v.push((b.id.to_string(), b.status, b.bouwjaar, b.footprint_wgs84));
        })
        .unwrap();
        v
    };
    let (from_gdal, from_native) = (buildings(&g), buildings(&n));
    assert_eq!(from_gdal.len(), 7_797);
    let differ: Vec<&String> = from_gdal
        .iter()
        .zip(&from_native)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .take(5)
        .collect();
    assert!(
        differ.is_empty(),
        "panden that differ between the GDAL and the native import, e.g. {differ:?}"
    );
}
