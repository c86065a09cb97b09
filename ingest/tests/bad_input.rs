//! Bad input is refused with a message naming the file (and the record), and leaves the store
//! exactly as it was.

#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use ingest::{Error, ImportOptions, NoProgress, Progress, SourceFormat, detect, import};
use store::SqliteStore;
use support::*;

/// A store that already holds one good import (generated panden and the real Ermelo buurten), and
/// its snapshot; `None` (the test is skipped) without the real samples.
fn store_with_data() -> Option<(tempfile::TempDir, SqliteStore, Snapshot)> {
    let ermelo = ermelo()?;
    let (dir, store) = temp_store();
    let good = bag_light(
        &dir.path().join("good.gpkg"),
        500,
        200,
        170_000.0,
        476_000.0,
    );
    import(&good, &store, &ImportOptions::default(), &NoProgress).unwrap();
    import(&ermelo, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let before = snapshot(&store);
    assert_eq!(
        (before.0.buildings, before.0.addresses, before.0.areas),
        (500, 200, 17)
    );
    Some((dir, store, before))
}

type Snapshot = (store::Counts, Vec<(String, u64)>, Vec<String>);

fn refuse(path: &Path, store: &SqliteStore, before: &Snapshot) -> String {
    let err =
        import(path, store, &ImportOptions::default(), &NoProgress).expect_err("import must fail");
    assert_eq!(
        &snapshot(store),
        before,
        "the store changed after a failed import: {err}"
    );
    err.to_string()
}

#[test]
fn a_truncated_geopackage_is_refused() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let full = bag_light(
        &dir.path().join("full.gpkg"),
        3_000,
        0,
        170_000.0,
        478_000.0,
    );
    let bytes = std::fs::read(&full).unwrap();
    let cut = dir.path().join("cut.gpkg");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let msg = refuse(&cut, &store, &before);
    assert!(
        msg.contains("cut.gpkg") && msg.contains("truncated"),
        "{msg}"
    );
}

#[test]
fn a_geopackage_corrupted_halfway_is_refused_after_part_was_written() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let file = bag_light(
        &dir.path().join("corrupt.gpkg"),
        30_000,
        0,
        170_000.0,
        478_000.0,
    );
    let mut bytes = std::fs::read(&file).unwrap();
    // Overwrite the cell contents (the second half) of a few pages near the end of the pand table,
    // keeping page headers and cell pointers: opening and counting still work, reading those
    // rows fails only after earlier batches went into the transaction.
    let page = 4096;
    let first = bytes.len() * 3 / 4 / page * page;
    for p in 0..4 {
        let at = first + p * page;
        bytes[at + page / 2..at + page].fill(0xA5);
    }
    std::fs::write(&file, &bytes).unwrap();
    let written = Counting::default();
    let err = import(&file, &store, &ImportOptions::default(), &written).unwrap_err();
    assert!(
        err.to_string()
            .contains("corrupt.gpkg: SQLite: database disk image is malformed"),
        "{err}"
    );
    assert!(
        written.0.load(Ordering::Relaxed) >= 10_000,
        "the failure came before any batch was written"
    );
    assert_eq!(snapshot(&store), before);
}

#[test]
fn a_text_file_named_gpkg_is_not_a_geopackage() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let file = dir.path().join("panden.gpkg");
    std::fs::write(&file, "identificatie;bouwjaar\n0221100000000001;1931\n").unwrap();
    let msg = refuse(&file, &store, &before);
    assert!(msg.contains("panden.gpkg is not a GeoPackage"), "{msg}");
    assert!(
        msg.contains("a text file starting with \"identificatie;bouwjaar\""),
        "{msg}"
    );
}

#[test]
fn a_geopackage_with_other_layers_is_refused_naming_its_layers() {
    let Some((_dir, store, before)) = store_with_data() else {
        return;
    };
    // PDOK's older flat address layout: not bag-light, no CBS areas.
    let Some(gokoala) = real_sample("bag-gpkg-gokoala/bag.gpkg") else {
        return;
    };
    let msg = refuse(&gokoala, &store, &before);
    assert!(
        msg.contains("bag.gpkg") && msg.contains("verblijfsobjecten"),
        "{msg}"
    );
}

#[test]
fn an_unknown_status_halfway_names_file_layer_and_fid() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    // Same file name as the good import: the failed re-import must not have removed the old rows.
    let file = bag_light_with(
        &dir.path().join("sub").join("good.gpkg").tap_dir(),
        25_000,
        0,
        170_000.0,
        478_000.0,
        |n| {
            if n == 15_000 {
                "Pand op de maan".into()
            } else {
                "Pand in gebruik".into()
            }
        },
    );
    let err = import(&file, &store, &ImportOptions::default(), &NoProgress).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRecord { layer, fid: 15_001, .. } if layer == "pand"),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("good.gpkg, layer pand, fid 15001") && msg.contains("Pand op de maan"),
        "{msg}"
    );
    assert_eq!(snapshot(&store), before);
}

#[test]
fn unsupported_crs_missing_columns_and_bad_geometry_are_refused() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };

    let g = GpkgFile::create(&dir.path().join("mercator.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 3857, &PAND_COLUMNS);
    let msg = refuse(&g.finish(), &store, &before);
    assert!(
        msg.contains(
            "mercator.gpkg, layer pand: unsupported coordinate reference system EPSG:3857"
        ),
        "{msg}"
    );

    let g = GpkgFile::create(&dir.path().join("no-status.gpkg"));
    g.layer(
        "pand",
        "MULTIPOLYGON",
        28992,
        &[("identificatie", "TEXT"), ("bouwjaar", "INTEGER")],
    );
    let msg = refuse(&g.finish(), &store, &before);
    assert!(
        msg.contains("no-status.gpkg, layer pand: missing required column status"),
        "{msg}"
    );

    let g = GpkgFile::create(&dir.path().join("bad-geometry.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    let row = || {
        vec![
            t(&pand_id(1)),
            i(1990),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            i(1),
        ]
    };
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(170_000.0, 478_000.0, 5.0)),
        row(),
    );
    g.insert_blob("pand", Some(b"GP\0\x01garbage".to_vec()), row());
    let msg = refuse(&g.finish(), &store, &before);
    assert!(
        msg.contains("bad-geometry.gpkg, layer pand, fid 2"),
        "{msg}"
    );

    let g = GpkgFile::create(&dir.path().join("bad-id.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(170_000.0, 478_000.0, 5.0)),
        vec![
            t("12345"),
            null(),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            null(),
        ],
    );
    let msg = refuse(&g.finish(), &store, &before);
    assert!(
        msg.contains("bad-id.gpkg, layer pand, fid 1") && msg.contains("12345"),
        "{msg}"
    );
}

#[test]
fn a_forced_format_that_does_not_fit_is_refused() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let file = bag_light(
        &dir.path().join("bag-light.gpkg"),
        10,
        0,
        170_000.0,
        478_000.0,
    );
    let options = ImportOptions {
        format: Some(SourceFormat::CbsGpkg),
        ..ImportOptions::default()
    };
    let err = import(&file, &store, &options, &NoProgress).unwrap_err();
    assert!(
        err.to_string()
            .contains("bag-light.gpkg is not a CBS wijk- en buurtkaart GeoPackage"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);
}

#[test]
fn missing_files_and_empty_folders_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.gpkg");
    assert!(matches!(detect(&missing), Err(Error::Io { path, .. }) if path == missing));
    let empty = dir.path().join("extract");
    std::fs::create_dir(&empty).unwrap();
    let msg = detect(&empty).unwrap_err().to_string();
    assert!(
        msg.contains("extract is not") && msg.contains("a folder without BAG XML files"),
        "{msg}"
    );
}

/// The start of a BAG extract part of panden, up to the text of the first pand's identificatie.
const PAND_PART_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sl-bag-extract:bagStand xmlns:Objecten="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20200601"
    xmlns:sl-bag-extract="http://www.kadaster.nl/schemas/lvbag/extract-deelbestand-lvc/v20200601"
    xmlns:sl="http://www.kadaster.nl/schemas/standlevering-generiek/1.0">
<sl:standBestand><sl:stand><sl-bag-extract:bagObject><Objecten:Pand>
<Objecten:identificatie domein="NL.IMBAG.Pand">"#;
const PAND_PART_TAIL: &str = "</Objecten:identificatie></Objecten:Pand></sl-bag-extract:bagObject>\
    </sl:stand></sl:standBestand></sl-bag-extract:bagStand>\n";

/// A zip of one BAG part whose first identificatie is `mib` MiB of `A`: ~1 KB per MiB.
fn zip_with_huge_identificatie(path: &Path, mib: usize) -> std::path::PathBuf {
    use std::io::Write as _;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("9999PND08092024-000001.xml", options).unwrap();
    z.write_all(PAND_PART_HEAD.as_bytes()).unwrap();
    let a = vec![b'A'; 1 << 20];
    for _ in 0..mib {
        z.write_all(&a).unwrap();
    }
    z.write_all(PAND_PART_TAIL.as_bytes()).unwrap();
    z.finish().unwrap();
    path.to_owned()
}

/// The security review's zip: 100 KB that inflate to an identificatie of 100 MB. The import used
/// to buffer all of it, then build a 200 MB message (626 MB of memory); now the field is refused
/// as soon as it is longer than an identificatie can be, with a short message.
#[test]
fn a_zip_with_a_100_mb_identificatie_fails_fast_with_a_short_message() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let zip = zip_with_huge_identificatie(&dir.path().join("hostile.zip"), 100);
    assert!(std::fs::metadata(&zip).unwrap().len() < 200_000);
    let read = Counting::default();
    let err = import(&zip, &store, &ImportOptions::default(), &read).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.len() < 300,
        "{} bytes: {}",
        msg.len(),
        msg.chars().take(300).collect::<String>()
    );
    assert!(
        msg.contains("hostile.zip!9999PND08092024-000001.xml") && msg.contains("identificatie"),
        "{msg}"
    );
    assert!(msg.contains("AAAAAAAAAA…"), "the value's start, cut: {msg}");
    // What was read of the 100 MB part: up to the limit, not to the end of the field.
    let consumed = read.0.load(Ordering::Relaxed);
    assert!(
        (1..1 << 20).contains(&consumed),
        "{consumed} bytes of the part read before the refusal"
    );
    assert_eq!(snapshot(&store), before);
}

#[test]
fn a_truncated_zip_is_reported_as_damaged() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let whole = zip_with_huge_identificatie(&dir.path().join("whole.zip"), 1);
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.path().join("lvbag-extract.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let msg = refuse(&cut, &store, &before);
    assert!(
        msg.contains("lvbag-extract.zip") && msg.contains("the zip file is damaged or truncated"),
        "{msg}"
    );
    assert!(!msg.contains("without BAG XML"), "{msg}");
}

/// Values quoted in errors are cut to their start, whatever the source holds.
#[test]
fn long_values_in_a_geopackage_are_quoted_short() {
    let Some((dir, store, before)) = store_with_data() else {
        return;
    };
    let long = "Pand op de maan ".repeat(64 * 1024);
    let file = bag_light_with(
        &dir.path().join("long-status.gpkg"),
        3,
        0,
        170_000.0,
        478_000.0,
        |n| {
            if n == 1 {
                long.clone()
            } else {
                "Pand in gebruik".into()
            }
        },
    );
    let msg = refuse(&file, &store, &before);
    assert!(msg.len() < 300, "{} bytes", msg.len());
    assert!(
        msg.contains("long-status.gpkg, layer pand, fid 2") && msg.contains("Pand op de maan"),
        "{msg}"
    );

    let g = GpkgFile::create(&dir.path().join("long-bouwjaar.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(170_000.0, 478_000.0, 5.0)),
        vec![
            t(&pand_id(1)),
            t(&"19x1".repeat(256 * 1024)),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            null(),
        ],
    );
    let msg = refuse(&g.finish(), &store, &before);
    assert!(msg.len() < 300, "{} bytes", msg.len());
    assert!(
        msg.contains("long-bouwjaar.gpkg, layer pand, fid 1"),
        "{msg}"
    );
    let g = GpkgFile::create(&dir.path().join("long-id.gpkg"));
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.insert(
        "pand",
        28992,
        Some(&square_wkb(170_000.0, 478_000.0, 5.0)),
        vec![
            t(&"1".repeat(1 << 20)),
            null(),
            t("Pand in gebruik"),
            null(),
            null(),
            null(),
            null(),
        ],
    );
    let msg = refuse(&g.finish(), &store, &before);
    assert!(msg.len() < 300, "{} bytes", msg.len());
    assert!(msg.contains("long-id.gpkg, layer pand, fid 1"), "{msg}");
}

/// Counts the records the import reports as done.
#[derive(Default)]
struct Counting(AtomicU64);

impl Progress for Counting {
    fn phase(&self, _name: &str, _len: Option<u64>) {}
    fn advance(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

/// Creates the parent folder of a path, for fixtures written into sub-folders.
trait TapDir {
    fn tap_dir(self) -> Self;
}

impl TapDir for std::path::PathBuf {
    fn tap_dir(self) -> Self {
        std::fs::create_dir_all(self.parent().unwrap()).unwrap();
        self
    }
}
