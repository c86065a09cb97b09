//! GDAL reads the generated files as the GeoPackages they claim to be: `ogrinfo -so -al` (Debian
//! package gdal-bin) must list the layers, RD New, the feature counts and the columns.
//!
//! This test fails when ogrinfo is missing: the files are meant for GDAL, QGIS and PDOK tooling, and
//! CI installs gdal-bin so that this is checked.

use std::path::Path;
use std::process::Command;

use sample_data::{SampleOptions, generate};

/// `ogrinfo -ro -so -al FILE`; stdout. Fails on a non-zero exit or a warning or error on stderr.
fn ogrinfo(path: &Path) -> String {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run ogrinfo ({e}): install GDAL's command line tools (Debian: gdal-bin)")
        });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ogrinfo {} failed: {stderr}",
        path.display()
    );
    assert!(
        !stderr.contains("ERROR") && !stderr.contains("Warning"),
        "ogrinfo {}: {stderr}",
        path.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The part of the report about one layer.
fn layer<'a>(report: &'a str, name: &str) -> &'a str {
    let start = report
        .find(&format!("Layer name: {name}\n"))
        .unwrap_or_else(|| panic!("no layer {name} in:\n{report}"));
    let rest = &report[start + 1..];
    let end = rest
        .find("\nLayer name: ")
        .map_or(report.len(), |e| start + 1 + e);
    &report[start..end]
}

fn assert_layer(report: &str, name: &str, geometry: &str, count: u64, columns: &[&str]) {
    let l = layer(report, name);
    assert!(
        l.contains(&format!("Geometry: {geometry}\n")),
        "{name}: not {geometry}:\n{l}"
    );
    assert!(
        l.contains(&format!("Feature Count: {count}\n")),
        "{name}: not {count} features:\n{l}"
    );
    assert!(
        l.contains("Amersfoort / RD New") && l.contains(r#"ID["EPSG",28992]"#),
        "{name}: not RD New:\n{l}"
    );
    assert!(
        l.contains("FID Column = fid") && l.contains("Geometry Column = geom"),
        "{name}:\n{l}"
    );
    for column in columns {
        assert!(
            l.contains(&format!("\n{column}\n")),
            "{name}: no column `{column}`:\n{l}"
        );
    }
}

#[test]
fn ogrinfo_reads_both_geopackages() {
    let dir = tempfile::tempdir().unwrap();
    let s = generate(&SampleOptions::new(1_200, 11, dir.path()), &mut |_| {}).unwrap();

    let bag = ogrinfo(&s.bag_light);
    assert!(bag.contains("using driver `GPKG' successful"), "{bag}");
    assert_layer(
        &bag,
        "pand",
        "Polygon",
        s.panden,
        &[
            "identificatie: String (0.0)",
            "bouwjaar: Integer64 (0.0)",
            "status: String (0.0)",
            "gebruiksdoel: String (0.0)",
            "oppervlakte_min: Integer64 (0.0)",
            "oppervlakte_max: Integer64 (0.0)",
            "aantal_verblijfsobjecten: Integer64 (0.0)",
        ],
    );
    assert_layer(
        &bag,
        "verblijfsobject",
        "Point",
        s.verblijfsobjecten,
        &[
            "identificatie: String (0.0)",
            "oppervlakte: Integer64 (0.0)",
            "status: String (0.0)",
            "gebruiksdoel: String (0.0)",
            "openbare_ruimte_naam: String (0.0)",
            "huisnummer: Integer64 (0.0)",
            "huisletter: String (0.0)",
            "toevoeging: String (0.0)",
            "postcode: String (0.0)",
            "woonplaats_naam: String (0.0)",
            "bouwjaar: Integer64 (0.0)",
            "pand_identificatie: String (0.0)",
            "pand_status: String (0.0)",
        ],
    );

    let cbs = ogrinfo(&s.wijkenbuurten);
    let shared = [
        "aantal_inwoners: Integer (0.0)",
        "aantal_huishoudens: Integer (0.0)",
        "jaarstatcode: String (0.0)",
    ];
    let with = |own: &[&'static str]| own.iter().chain(&shared).copied().collect::<Vec<_>>();
    assert_layer(
        &cbs,
        "buurten",
        "Multi Polygon",
        s.buurten,
        &with(&[
            "buurtcode: String (0.0)",
            "buurtnaam: String (0.0)",
            "wijkcode: String (0.0)",
            "gemeentecode: String (0.0)",
            "gemeentenaam: String (0.0)",
            "water: String (0.0)",
            "omgevingsadressendichtheid: Integer (0.0)",
        ]),
    );
    assert_layer(
        &cbs,
        "wijken",
        "Multi Polygon",
        s.wijken,
        &with(&[
            "wijkcode: String (0.0)",
            "wijknaam: String (0.0)",
            "gemeentecode: String (0.0)",
            "gemeentenaam: String (0.0)",
        ]),
    );
    assert_layer(
        &cbs,
        "gemeenten",
        "Multi Polygon",
        1,
        &with(&["gemeentecode: String (0.0)", "gemeentenaam: String (0.0)"]),
    );
}
