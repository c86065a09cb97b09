//! Tests of `read.rs`.

use super::*;
use crate::gpkg::{ColumnType, FieldValue, GeoPackageWriter, GeometryKind, LayerSpec};
use crate::real_samples::real_sample;
use geo::{MultiPolygon, Point, polygon};

/// A small layer of polygons with every kind of value and geometry the reader must handle.
fn write_sample(path: &Path) {
    let mut w = GeoPackageWriter::create(path).unwrap();
    let layer = w
        .create_layer(&LayerSpec {
            name: "pand",
            geometry: GeometryKind::MultiPolygon,
            srs_id: 28992,
            columns: &[
                ("identificatie", ColumnType::Text),
                ("bouwjaar", ColumnType::Integer),
                ("hoogte", ColumnType::Real),
                ("jaar_als_tekst", ColumnType::Text),
            ],
            description: "test",
        })
        .unwrap();
    let square = |x: f64| {
        let p = polygon![(x: x, y: 0.0), (x: x + 5.0, y: 0.0), (x: x + 5.0, y: 10.0), (x: x, y: 10.0), (x: x, y: 0.0)];
        domain::wkb::write_multi_polygon(&MultiPolygon(vec![p]))
    };
    let id = "0221100000000001";
    w.insert(
        layer,
        Some(&square(0.0)),
        &[id.into(), 1931i64.into(), 7.5.into(), " 1931 ".into()],
    )
    .unwrap();
    w.insert(
        layer,
        None,
        &[FieldValue::Null, FieldValue::Null, 12.0.into(), "".into()],
    )
    .unwrap();
    let empty = domain::wkb::write_multi_polygon(&MultiPolygon(vec![]));
    w.insert(
        layer,
        Some(&empty),
        &[
            "x".into(),
            9999i64.into(),
            FieldValue::Null,
            "1931.0".into(),
        ],
    )
    .unwrap();
    w.insert(
        layer,
        Some(&square(100.0)),
        &["y".into(), 2024i64.into(), 3.25.into(), "12a".into()],
    )
    .unwrap();
    w.finish().unwrap();
}

#[test]
fn written_file_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pand_epsg28992.gpkg");
    write_sample(&path);
    assert!(!dir.path().join("pand_epsg28992.gpkg.part").exists());
    let g = GeoPackage::open(&path).unwrap();
    assert_eq!(g.path(), path);
    let layers = g.layers().unwrap();
    assert_eq!(layers.len(), 1);
    let l = &layers[0];
    assert_eq!(
        (
            l.name.as_str(),
            l.geometry_column.as_str(),
            l.geometry_type.as_str(),
            l.srs_id
        ),
        ("pand", "geom", "MULTIPOLYGON", 28992)
    );
    assert_eq!(l.fid_column.as_deref(), Some("fid"));
    let names: Vec<_> = l.columns.iter().map(|(n, t)| format!("{n} {t}")).collect();
    assert_eq!(
        names,
        [
            "identificatie TEXT",
            "bouwjaar INTEGER",
            "hoogte REAL",
            "jaar_als_tekst TEXT"
        ]
    );
    assert_eq!(l.bounds, Some([0.0, 0.0, 105.0, 10.0]));
    assert_eq!(g.layer("PAND").unwrap().unwrap().name, "pand");
    assert_eq!(g.layer("wegdeel").unwrap(), None);
    assert_eq!(g.count("pand").unwrap(), 4);

    let mut seen = Vec::new();
    g.for_each_feature(
        "pand",
        &["BOUWJAAR", "identificatie", "hoogte", "jaar_als_tekst"],
        &mut |f| {
            let geometry = f
                .wkb()?
                .map(|w| domain::wkb::read_multi_polygon(w).unwrap());
            seen.push((
                f.fid(),
                f.int(0)?,
                f.text(1)?,
                f.real(2)?,
                geometry.map(|g| g.0.len()),
            ));
            if f.fid() == 1 {
                assert_eq!(f.int(3)?, Some(1931));
                assert!(
                    f.int(2)
                        .unwrap_err()
                        .to_string()
                        .contains("7.5 is not an integer")
                );
                assert!(matches!(f.text(0), Err(GpkgError::BadValue { fid: 1, .. })));
            }
            if f.fid() == 2 {
                assert_eq!((f.int(2)?, f.int(3)?, f.real(3)?), (Some(12), None, None));
            }
            if f.fid() == 3 {
                assert_eq!(f.int(3)?, Some(1931));
            }
            if f.fid() == 4 {
                let e = f.int(3).unwrap_err().to_string();
                assert!(
                    e.contains("pand_epsg28992.gpkg, layer pand, fid 4, column jaar_als_tekst"),
                    "{e}"
                );
            }
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(
        seen,
        [
            (
                1,
                Some(1931),
                Some("0221100000000001".to_owned()),
                Some(7.5),
                Some(1)
            ),
            (2, None, None, Some(12.0), None),
            (3, Some(9999), Some("x".to_owned()), None, None),
            (4, Some(2024), Some("y".to_owned()), Some(3.25), Some(1)),
        ]
    );
}

#[test]
fn missing_layers_and_columns_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.gpkg");
    write_sample(&path);
    let g = GeoPackage::open(&path).unwrap();
    let e = g.count("verblijfsobject").unwrap_err();
    assert!(
        matches!(&e, GpkgError::MissingLayer { layer, .. } if layer == "verblijfsobject"),
        "{e}"
    );
    let e = g
        .for_each_feature("pand", &["status"], &mut |_| Ok(()))
        .unwrap_err();
    assert!(
        matches!(&e, GpkgError::MissingColumn { column, .. } if column == "status"),
        "{e}"
    );
    let mut n = 0;
    let e = g
        .for_each_feature("pand", &[], &mut |_| {
            n += 1;
            Err(GpkgError::Stopped)
        })
        .unwrap_err();
    assert!(matches!(e, GpkgError::Stopped));
    assert_eq!(n, 1);
}

#[test]
fn text_file_is_not_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.gpkg");
    std::fs::write(&path, "buurtcode;buurtnaam\nBU02210101;Binnenstad\n").unwrap();
    let e = GeoPackage::open(&path).unwrap_err();
    assert!(
        matches!(&e, GpkgError::NotAGeoPackage { path: p } if p == &path),
        "{e}"
    );
    assert!(e.to_string().contains("notes.gpkg is not a GeoPackage"));
    // An empty file, too.
    std::fs::write(&path, "").unwrap();
    assert!(matches!(
        GeoPackage::open(&path),
        Err(GpkgError::NotAGeoPackage { .. })
    ));
}

#[test]
fn sqlite_without_gpkg_contents_is_not_a_geopackage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    assert!(matches!(
        GeoPackage::open(&path),
        Err(GpkgError::NotAGeoPackage { .. })
    ));
}

#[test]
fn truncated_file_is_reported_with_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.gpkg");
    write_sample(&path);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let e = GeoPackage::open(&path).unwrap_err();
    assert!(
        matches!(e, GpkgError::Truncated { expected_bytes, actual_bytes, .. }
            if expected_bytes == bytes.len() as u64 && actual_bytes == bytes.len() as u64 / 2),
        "{e}"
    );
    // Cut inside the SQLite header: not recognisable at all.
    std::fs::write(&path, &bytes[..50]).unwrap();
    assert!(matches!(
        GeoPackage::open(&path),
        Err(GpkgError::NotAGeoPackage { .. })
    ));
}

#[test]
fn missing_file_is_an_io_error() {
    let e = GeoPackage::open(Path::new("/nonexistent/bag-light.gpkg")).unwrap_err();
    assert!(matches!(e, GpkgError::Io { .. }), "{e}");
}

#[test]
fn reads_the_real_cbs_file_in_place() {
    let Some(path) = real_sample("cbs-wijkenbuurten/ermelo_buurten_2021.gpkg") else {
        return;
    };
    let g = GeoPackage::open(&path).unwrap();
    let l = g.layer("cbs_buurten").unwrap().unwrap();
    assert_eq!(
        (l.name.as_str(), l.geometry_type.as_str(), l.srs_id),
        ("CBS_Buurten", "MULTIPOLYGON", 28992)
    );
    assert!(
        l.columns
            .iter()
            .any(|(n, t)| n == "aantal_inwoners" && t == "MEDIUMINT")
    );
    assert_eq!(g.count(&l.name).unwrap(), 17);
    let mut codes = Vec::new();
    g.for_each_feature(
        &l.name,
        &["buurtcode", "gemeentecode", "aantal_inwoners"],
        &mut |f| {
            let mp = domain::wkb::read_multi_polygon(f.wkb()?.unwrap()).unwrap();
            assert!(!mp.0.is_empty());
            assert_eq!(f.text(1)?.as_deref(), Some("GM0233"));
            f.int(2)?;
            codes.push(f.text(0)?.unwrap());
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(codes.len(), 17);
    assert!(codes.iter().all(|c| c.starts_with("BU0233")));
}

#[test]
fn reads_real_points_without_envelopes() {
    let Some(path) = real_sample("bag-gpkg-gokoala/bag.gpkg") else {
        return;
    };
    let g = GeoPackage::open(&path).unwrap();
    let l = g.layer("verblijfsobjecten").unwrap().unwrap();
    assert_eq!(l.srs_id, 28992);
    let mut n = 0;
    g.for_each_feature(&l.name, &["huisnummer", "postcode"], &mut |f| {
        let p: Point = domain::wkb::read_point(f.wkb()?.unwrap()).unwrap();
        assert!((100_000.0..140_000.0).contains(&p.x()) && (470_000.0..500_000.0).contains(&p.y()));
        f.int(0)?;
        n += 1;
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 1836);
}
