//! The enrichment imports: 3DBAG CityJSONSeq on the real Delft files, the real Leeuwarden tree
//! register (shapefile, pure Rust), a 3DBAG GeoPackage written here, and EP-Online files written
//! here in RVO's layout (there is no small real one: see SOURCES.md of the real samples).
//!
//! Expected values were read off the files independently: the `b3_*` attributes as the files
//! write them, the roof parts by measuring the LoD2.2 RoofSurface polygons with Newell's method in
//! a separate script (the sloped parts of pand 0503100000005156 sum to its `b3_opp_dak_schuin`,
//! 63.5 m²), and the tree records from the `.dbf`.

#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use domain::{Building3d, EnergyClass, EnergyLabel, RoofType, Tree};
use ingest::{ImportOptions, NoProgress, SourceFormat, TreeColumns, detect, import};
use store::{SourceKind, SqliteStore, Store};
use support::*;

fn buildings_3d(store: &SqliteStore) -> Vec<Building3d> {
    let mut all = Vec::new();
    store.for_each_building_3d(&mut |b| all.push(b)).unwrap();
    all
}

fn labels(store: &SqliteStore) -> Vec<EnergyLabel> {
    let mut all = Vec::new();
    store.for_each_energy_label(&mut |l| all.push(l)).unwrap();
    all
}

fn trees(store: &SqliteStore) -> Vec<Tree> {
    let mut all = Vec::new();
    store.for_each_tree(&mut |t| all.push(t)).unwrap();
    all
}

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

// ---- 3DBAG ----

#[test]
fn the_real_delft_cityjsonseq_gives_three_panden_with_their_b3_attributes_and_roof_parts() {
    let Some(file) = real_sample("3dbag/delft_3dbag_v20240420_3features.city.jsonl") else {
        return;
    };
    assert_eq!(detect(&file).unwrap(), SourceFormat::ThreeDBagCityJson);
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(
        (
            report.buildings_3d,
            report.roof_parts,
            report.buildings_3d_unknown
        ),
        (3, 6, 3),
        "no BAG in the store: all three are panden it does not know (yet)"
    );
    let all = buildings_3d(&store);
    let ids: Vec<String> = all.iter().map(|b| b.id.to_string()).collect();
    assert_eq!(
        ids,
        ["0503100000005156", "0503100000012869", "0503100000016459"],
        "NL.IMBAG.Pand.<16 digits> is keyed on the 16 digits"
    );
    let b = &all[0];
    assert_eq!(b.roof_type, Some(RoofType::Slanted));
    assert_eq!(
        (b.roof_flat_m2, b.roof_sloped_m2),
        (Some(51.38), Some(63.5))
    );
    assert!(close(b.ground_m.unwrap(), 0.692, 1e-3));
    assert!(close(b.roof_70p_m.unwrap(), 9.24, 1e-3));
    let mut parts: Vec<(f64, f64, f64)> = b
        .parts
        .iter()
        .map(|p| {
            (
                p.area_m2,
                p.slope_deg.unwrap(),
                p.azimuth_deg.unwrap_or(f64::NAN),
            )
        })
        .collect();
    parts.sort_by(|x, y| x.0.total_cmp(&y.0));
    // (area m², slope °, azimuth °) measured independently.
    let expected = [
        (16.85, 26.0, 153.2),
        (18.88, 27.7, 336.2),
        (27.77, 26.6, 65.2),
        (42.53, 0.1, f64::NAN),
    ];
    assert_eq!(parts.len(), expected.len());
    for (got, want) in parts.iter().zip(expected) {
        assert!(close(got.0, want.0, 0.01), "{got:?} vs {want:?}");
        assert!(close(got.1, want.1, 0.1), "{got:?} vs {want:?}");
        if want.1 > 1.0 {
            assert!(close(got.2, want.2, 0.1), "{got:?} vs {want:?}");
        }
    }
    let sloped: f64 = b
        .parts
        .iter()
        .filter(|p| !p.is_flat())
        .map(|p| p.area_m2)
        .sum();
    assert!(close(sloped, 63.5, 0.01), "{sloped}");
    // The south-south-east part and the flat one.
    assert!(close(b.solar_suitable_m2(), 16.85 + 42.53, 0.02));
    let flat = &all[1];
    assert_eq!(
        (flat.roof_type, flat.roof_flat_m2, flat.parts.len()),
        (Some(RoofType::Horizontal), Some(7.22), 1)
    );
    assert_eq!(store.sources().unwrap()[0].info.kind, SourceKind::ThreeDBag);
}

#[test]
fn the_older_real_3dbag_feature_has_no_roof_areas_but_its_type_and_heights() {
    let Some(file) = real_sample("3dbag/delft_3dbag_one_feature.city.jsonl") else {
        return;
    };
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings_3d, report.roof_parts), (1, 1));
    let b = &buildings_3d(&store)[0];
    assert_eq!(b.id.to_string(), "0503100000013175");
    assert_eq!(b.roof_type, Some(RoofType::MultipleHorizontal));
    assert_eq!((b.roof_flat_m2, b.roof_sloped_m2), (None, None));
    assert!(close(b.ground_m.unwrap(), 0.571, 1e-3));
    assert!(close(b.roof_70p_m.unwrap(), 3.13, 1e-3));
    assert!(close(b.parts[0].area_m2, 6.44, 0.01));
}

#[test]
fn a_3dbag_import_of_known_panden_counts_none_unknown_and_a_reimport_replaces_it() {
    let Some(file) = real_sample("3dbag/delft_3dbag_v20240420_3features.city.jsonl") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = temp_store();
    // A bag-light holding one of the three panden.
    let g = GpkgFile::create(&dir.path().join("bag-light.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.layer("verblijfsobject", "POINT", 28992, &VBO_COLUMNS);
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(85_000.0, 447_000.0, 10.0)),
        vec![
            t("0503100000012869"),
            i(1930),
            t("Pand in gebruik"),
            t("woonfunctie"),
            i(50),
            i(90),
            i(1),
        ],
    );
    let bag = g.finish();
    import(&bag, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let first = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((first.buildings_3d, first.buildings_3d_unknown), (3, 2));
    let again = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(again.source_key, first.source_key);
    assert_eq!(buildings_3d(&store).len(), 3, "replaced, not added");
    assert_eq!(store.counts().unwrap().buildings_3d, 3);
    assert_eq!(store.sources().unwrap().len(), 2);
}

#[test]
fn a_broken_cityjson_line_names_file_and_line_and_leaves_the_store_as_it_was() {
    let Some(real) = real_sample("3dbag/delft_3dbag_v20240420_3features.city.jsonl") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = temp_store();
    import(&real, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = snapshot(&store);
    // The real header and first feature, then a cut-off feature.
    let text = std::fs::read_to_string(&real).unwrap();
    let mut lines = text.lines();
    let broken = dir.path().join("broken.city.jsonl");
    let mut f = std::fs::File::create(&broken).unwrap();
    writeln!(f, "{}", lines.next().unwrap()).unwrap();
    writeln!(f, "{}", lines.next().unwrap()).unwrap();
    let third = lines.next().unwrap();
    writeln!(f, "{}", &third[..third.len() / 2]).unwrap();
    drop(f);
    let err = import(&broken, &store, &ImportOptions::default(), &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("broken.city.jsonl") && err.contains("line 3"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
}

/// A 3DBAG GeoPackage with `pand` and its `b3_*` columns, and `lod22_2d` roof parts naming their
/// pand by `identificatie` (3DBAG's own tiles join on a `fid` column: the sample generator writes
/// those, tested in `sample-data/tests/enrichment.rs`).
fn three_d_bag_gpkg(path: &Path) -> PathBuf {
    let g = GpkgFile::create(path);
    g.layer(
        "pand",
        "MULTIPOLYGON",
        28992,
        &[
            ("identificatie", "TEXT"),
            ("b3_dak_type", "TEXT"),
            ("b3_opp_dak_plat", "REAL"),
            ("b3_opp_dak_schuin", "REAL"),
            ("b3_h_maaiveld", "REAL"),
            ("b3_h_dak_70p", "REAL"),
        ],
    );
    g.layer(
        "lod22_2d",
        "MULTIPOLYGON",
        28992,
        &[
            ("identificatie", "TEXT"),
            ("b3_azimut", "REAL"),
            ("b3_hellingshoek", "REAL"),
        ],
    );
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(85_000.0, 447_000.0, 10.0)),
        vec![
            t("NL.IMBAG.Pand.0503100000000001"),
            t("slanted"),
            rusqlite::types::Value::Real(0.0),
            rusqlite::types::Value::Real(115.47),
            rusqlite::types::Value::Real(0.5),
            rusqlite::types::Value::Real(8.25),
        ],
    );
    // Two halves of a 10 × 10 m roof, 30° steep, facing south and north: 50 m² projected each,
    // 50 / cos 30° = 57.735 m² along the slope.
    for azimuth in [180.0, 0.0] {
        g.insert(
            "lod22_2d",
            28992,
            Some(&square_wkb(85_000.0, 447_000.0, 7.071_067_811_865_476)),
            vec![
                t("NL.IMBAG.Pand.0503100000000001"),
                rusqlite::types::Value::Real(azimuth),
                rusqlite::types::Value::Real(30.0),
            ],
        );
    }
    g.finish()
}

#[test]
fn a_3dbag_geopackage_joins_roof_parts_to_their_pand() {
    let dir = tempfile::tempdir().unwrap();
    let file = three_d_bag_gpkg(&dir.path().join("3dbag_tile.gpkg"));
    assert_eq!(detect(&file).unwrap(), SourceFormat::ThreeDBagGpkg);
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!((report.buildings_3d, report.roof_parts), (1, 2));
    let b = &buildings_3d(&store)[0];
    assert_eq!(b.id.to_string(), "0503100000000001");
    assert_eq!(b.roof_type, Some(RoofType::Slanted));
    assert_eq!(b.roof_sloped_m2, Some(115.47));
    let mut azimuths: Vec<f64> = b.parts.iter().map(|p| p.azimuth_deg.unwrap()).collect();
    azimuths.sort_by(f64::total_cmp);
    assert_eq!(azimuths, [0.0, 180.0]);
    for p in &b.parts {
        assert!(close(p.area_m2, 57.735, 0.01), "{p:?}");
        assert_eq!(p.slope_deg, Some(30.0));
    }
    assert!(close(b.solar_suitable_m2(), 57.735, 0.01), "the south half");
}

// ---- Tree registers ----

#[test]
fn the_real_leeuwarden_register_gives_2088_trees_by_its_dutch_column_names() {
    let Some(file) = real_sample("trees-leeuwarden/monumentale_en_waardevolle_bomen.shp") else {
        return;
    };
    assert_eq!(detect(&file).unwrap(), SourceFormat::TreeRegister);
    let (_d, store) = temp_store();
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(report.trees, 2_088);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let all = trees(&store);
    assert_eq!(all.len(), 2_088);
    // Record 1 of the .dbf: ELEMENTNR 1080, Populus canadensis, PLANTJAAR 1925, RD (183630.428,
    // 579873.302) — in Leeuwarden.
    let first = all.iter().find(|t| t.id.get() & 0xffff_ffff == 1).unwrap();
    assert_eq!(first.number, "1080");
    assert_eq!(
        first.species.as_deref(),
        Some("Populus canadensis (euroamericana)")
    );
    assert_eq!(first.planting_year, Some(1925));
    let (lon, lat) = (first.location_wgs84.x(), first.location_wgs84.y());
    assert!(
        (5.79..5.82).contains(&lon) && (53.19..53.22).contains(&lat),
        "{lon} {lat}"
    );
    // ELEMENTNR repeats (792 distinct numbers): wijkwerk's ids do not.
    let numbers: std::collections::BTreeSet<&str> = all.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(numbers.len(), 792);
    let ids: std::collections::BTreeSet<u64> = all.iter().map(|t| t.id.get()).collect();
    assert_eq!(ids.len(), 2_088);
    let years: Vec<u16> = all.iter().filter_map(|t| t.planting_year).collect();
    assert_eq!(years.len(), 2_088);
    assert_eq!(
        (years.iter().min(), years.iter().max()),
        (Some(&1850), Some(&2013))
    );
    assert!(all.iter().all(|t| t.species.is_some()));
    // Again: replaced, not added.
    import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(store.counts().unwrap().trees, 2_088);
}

#[test]
fn a_tree_register_read_by_named_columns_and_refused_without_an_id_column() {
    let Some(file) = real_sample("trees-leeuwarden/monumentale_en_waardevolle_bomen.shp") else {
        return;
    };
    let (_d, store) = temp_store();
    // STATUS as the "species" and OPMERKINGE as the number: 485 records have a remark.
    let options = ImportOptions {
        tree_columns: TreeColumns {
            id: Some("opmerkinge".into()),
            species: Some("STATUS".into()),
            year: None,
        },
        ..ImportOptions::default()
    };
    let report = import(&file, &store, &options, &NoProgress).unwrap();
    assert_eq!(report.trees, 485);
    assert_eq!(report.skipped_total, 1_603, "records without a number");
    assert!(
        trees(&store)
            .iter()
            .all(|t| t.species.as_deref().is_some_and(|s| s.ends_with("boom")))
    );

    let before = snapshot(&store);
    let options = ImportOptions {
        tree_columns: TreeColumns {
            id: Some("BOOMCODE".into()),
            species: None,
            year: None,
        },
        ..ImportOptions::default()
    };
    let err = import(&file, &store, &options, &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("monumentale_en_waardevolle_bomen.shp")
            && err.contains("BOOMCODE")
            && err.contains("ELEMENTNR, BOOMSOORT, PLANTJAAR, STATUS, OPMERKINGE, X, Y"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
}

// ---- EP-Online ----

const HEADER: &str = "Pand_opnamedatum;Pand_opnametype;Pand_status;Pand_berekeningstype;Pand_energieindex;\
Pand_energieklasse;Pand_energielabel_is_prive;Pand_is_op_basis_van_referentie_gebouw;Pand_gebouwklasse;\
Meting_geldig_tot;Pand_registratiedatum;Pand_postcode;Pand_huisnummer;Pand_huisnummer_toev;\
Pand_detailaanduiding;Pand_bagverblijfsobjectid;Pand_bagligplaatsid;Pand_bagstandplaatsid;Pand_bagpandid;\
Pand_gebouwtype";

/// A row in [`HEADER`]'s columns.
fn row(vbo: &str, pand: &str, class: &str, registered: &str, index: &str) -> String {
    format!(
        "{registered};Basisopname;Bestaand;EP-W;{index};{class};false;false;W;20340101;{registered};\
         9999AA;1;;;{vbo};;;{pand};Rijwoning tussen"
    )
}

/// RVO's zip: one CSV entry with the two preamble lines before the header.
fn ep_online_zip(path: &Path, rows: &[String]) -> PathBuf {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    zip.start_file(
        "v20240101_v2_csv.csv",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    writeln!(zip, "PublicatieDatum;01-01-2024").unwrap();
    writeln!(zip, "LaatstVerwerkteMutatievolgnummer;18412057").unwrap();
    writeln!(zip, "{HEADER}").unwrap();
    for r in rows {
        writeln!(zip, "{r}").unwrap();
    }
    zip.finish().unwrap();
    path.to_owned()
}

/// A store with 5 panden and their 5 verblijfsobjecten (`vbo_id(0..5)`).
fn store_with_addresses(dir: &Path) -> (tempfile::TempDir, SqliteStore) {
    let (d, store) = temp_store();
    let bag = bag_light(&dir.join("bag-light.gpkg"), 5, 5, 150_000.0, 450_000.0);
    import(&bag, &store, &ImportOptions::default(), &NoProgress).unwrap();
    (d, store)
}

#[test]
fn ep_online_keeps_the_newest_label_per_address_and_counts_unknown_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = store_with_addresses(dir.path());
    let rows = [
        // Two labels of vbo 0, the newer one first in the file.
        row(&vbo_id(0), &pand_id(0), "B", "2021-06-01", ""),
        row(&vbo_id(0), &pand_id(0), "E", "20120301", "2,10"),
        // Two of vbo 1, the newer last (a date in the other order, day first).
        row(&vbo_id(1), &pand_id(1), "G", "2010-01-01", "3,01"),
        row(&vbo_id(1), &pand_id(1), "A+++", "15-03-2023", ""),
        row(&vbo_id(2), "", "C", "2019-12-31 10:00:00", "1,45"),
        // Unknown verblijfsobjecten: counted, left out.
        row("0999010000000001", &pand_id(3), "D", "2020-01-01", ""),
        row("0999010000000002", &pand_id(3), "D", "2020-01-01", ""),
        // A whole utility pand without a verblijfsobject.
        row("", &pand_id(4), "A", "2020-01-01", ""),
    ];
    let file = ep_online_zip(&dir.path().join("ep-online.zip"), &rows);
    assert_eq!(detect(&file).unwrap(), SourceFormat::EpOnline);
    let report = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(
        (
            report.label_rows,
            report.energy_labels,
            report.labels_superseded,
            report.labels_unknown_address,
            report.labels_without_address
        ),
        (8, 3, 2, 2, 1)
    );
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.contains("2 rows name a verblijfsobject that is not in the store")),
        "{:?}",
        report.skipped
    );
    let all = labels(&store);
    let got: Vec<(String, EnergyClass, String, Option<f64>)> = all
        .iter()
        .map(|l| {
            (
                l.address.to_string(),
                l.class,
                l.registered.to_string(),
                l.energy_index,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (vbo_id(0), EnergyClass::B, "2021-06-01".into(), None),
            (vbo_id(1), EnergyClass::APlus3, "2023-03-15".into(), None),
            (vbo_id(2), EnergyClass::C, "2019-12-31".into(), Some(1.45)),
        ]
    );
    assert_eq!(all[0].building.map(|b| b.to_string()), Some(pand_id(0)));
    assert_eq!(all[2].building, None);
    assert_eq!(all[0].building_class, Some('W'));
    assert_eq!(all[0].building_type.as_deref(), Some("Rijwoning tussen"));

    // Re-importing a newer month replaces the source's labels.
    let next = ep_online_zip(
        &dir.path().join("ep-online.zip"),
        &[row(&vbo_id(4), &pand_id(4), "F", "2024-01-01", "")],
    );
    import(&next, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let all = labels(&store);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].address.to_string(), vbo_id(4));
    assert_eq!(store.sources().unwrap().len(), 2, "bag-light and EP-Online");
}

#[test]
fn a_plain_ep_online_csv_with_an_older_index_column_is_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = store_with_addresses(dir.path());
    let csv = dir.path().join("labels.csv");
    std::fs::write(
        &csv,
        format!(
            "\u{feff}Pand_bagverblijfsobjectid;Pand_bagpandid;Pand_energieklasse;Pand_registratiedatum;\
             Pand_gebouwklasse;Pand_energieprestatieindex\r\n{};{};D;20150101;W;1,90\r\n",
            vbo_id(3),
            pand_id(3)
        ),
    )
    .unwrap();
    assert_eq!(detect(&csv).unwrap(), SourceFormat::EpOnline);
    let report = import(&csv, &store, &ImportOptions::default(), &NoProgress).unwrap();
    assert_eq!(report.energy_labels, 1);
    let l = &labels(&store)[0];
    assert_eq!((l.class, l.energy_index), (EnergyClass::D, Some(1.9)));
}

#[test]
fn a_bad_ep_online_row_names_file_entry_and_line_and_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = store_with_addresses(dir.path());
    let good = ep_online_zip(
        &dir.path().join("ep-online.zip"),
        &[row(&vbo_id(0), &pand_id(0), "B", "2021-06-01", "")],
    );
    import(&good, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = (snapshot(&store), labels(&store));
    for (bad, reason) in [
        (
            row(&vbo_id(1), &pand_id(1), "H", "2021-06-01", ""),
            "Pand_energieklasse \"H\"",
        ),
        (
            row(&vbo_id(1), &pand_id(1), "C", "2021-02-30", ""),
            "Pand_registratiedatum \"2021-02-30\"",
        ),
        (
            row("12345", &pand_id(1), "C", "2021-01-30", ""),
            "Pand_bagverblijfsobjectid \"12345\"",
        ),
    ] {
        let file = ep_online_zip(
            &dir.path().join("ep-online.zip"),
            &[row(&vbo_id(2), &pand_id(2), "A", "2022-01-01", ""), bad],
        );
        let err = import(&file, &store, &ImportOptions::default(), &NoProgress)
            .unwrap_err()
            .to_string();
        // Preamble (2) + header + the good row: line 5.
        assert!(
            err.contains("ep-online.zip")
                && err.contains("v20240101_v2_csv.csv")
                && err.contains("line 5")
                && err.contains(reason),
            "{err}"
        );
        assert_eq!((snapshot(&store), labels(&store)), before);
    }
}

#[test]
fn an_ep_online_file_without_the_class_column_lists_its_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (_d, store) = temp_store();
    let csv = dir.path().join("labels.csv");
    std::fs::write(
        &csv,
        "Pand_bagverblijfsobjectid;Pand_registratiedatum\n0999010000000001;20200101\n",
    )
    .unwrap();
    let err = import(&csv, &store, &ImportOptions::default(), &NoProgress)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("Pand_energieklasse")
            && err.contains("Pand_bagverblijfsobjectid, Pand_registratiedatum"),
        "{err}"
    );
}
