//! Tests of `write.rs`.

use super::*;
use crate::gpkg::{ColumnType, GeoPackage, GeometryKind};
use geo::Point;

fn point_layer(name: &str) -> LayerSpec<'_> {
    LayerSpec {
        name,
        geometry: GeometryKind::Point,
        srs_id: 28992,
        columns: &[("n", ColumnType::Integer)],
        description: "",
    }
}

#[test]
fn file_is_a_geopackage_1_3_with_rd_new() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.gpkg");
    let mut w = GeoPackageWriter::create(&path).unwrap();
    w.set_last_change("2024-01-01T00:00:00.000Z");
    let l = w.create_layer(&point_layer("punt")).unwrap();
    for i in 0..3 {
        let wkb = domain::wkb::write_point(&Point::new(155_000.0 + f64::from(i), 463_000.0));
        assert_eq!(
            w.insert(l, Some(&wkb), &[i64::from(i).into()]).unwrap(),
            i64::from(i) + 1
        );
    }
    w.finish().unwrap();

    let conn = Connection::open(&path).unwrap();
    let pragma = |p: &str| {
        conn.query_row(&format!("PRAGMA {p}"), [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    assert_eq!(pragma("application_id"), 0x4750_4B47);
    assert_eq!(pragma("user_version"), 10_300);
    assert_eq!(
        conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    let srs: Vec<i64> = conn
        .prepare("SELECT srs_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(srs, [-1, 0, 4326, 28992]);
    let (ts, min_x, max_x): (String, f64, f64) = conn
        .query_row(
            "SELECT last_change, min_x, max_x FROM gpkg_contents WHERE table_name = 'punt'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (ts.as_str(), min_x, max_x),
        ("2024-01-01T00:00:00.000Z", 155_000.0, 155_002.0)
    );
    let ext: String = conn
        .query_row("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'punt' AND column_name = 'geom'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(ext, "gpkg_rtree_index");
    let hits: i64 = conn
        .query_row(
            "SELECT count(*) FROM rtree_punt_geom WHERE minx <= 155001.5 AND maxx >= 155000.5",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 1);
    let triggers: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_punt_geom_%'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(triggers, 6);
    // Points are stored without an envelope in the blob.
    let blob: Vec<u8> = conn
        .query_row("SELECT geom FROM punt WHERE fid = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blob.len(), 8 + 21);
}

#[test]
fn same_rows_give_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str| {
        let path = dir.path().join(name);
        let mut w = GeoPackageWriter::create(&path).unwrap();
        w.set_last_change("2024-01-01T00:00:00.000Z");
        let l = w.create_layer(&point_layer("punt")).unwrap();
        let wkb = domain::wkb::write_point(&Point::new(1.0, 2.0));
        w.insert(l, Some(&wkb), &[7i64.into()]).unwrap();
        w.finish().unwrap();
        std::fs::read(path).unwrap()
    };
    assert_eq!(write("a.gpkg"), write("b.gpkg"));
}

#[test]
fn bad_input_is_refused_with_context() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.gpkg");
    let mut w = GeoPackageWriter::create(&path).unwrap();
    let l = w.create_layer(&point_layer("punt")).unwrap();
    assert!(matches!(
        w.create_layer(&point_layer("PUNT")),
        Err(GpkgError::LayerExists { .. })
    ));
    let mut other = point_layer("mercator");
    other.srs_id = 3857;
    assert!(matches!(
        w.create_layer(&other),
        Err(GpkgError::UnknownSrs { srs_id: 3857, .. })
    ));
    let wkb = domain::wkb::write_point(&Point::new(1.0, 2.0));
    let e = w.insert(l, Some(&wkb), &[]).unwrap_err();
    assert!(
        matches!(
            e,
            GpkgError::FieldCount {
                expected: 1,
                found: 0,
                ..
            }
        ),
        "{e}"
    );
    let e = w
        .insert(l, Some(&[1, 2, 3]), &[FieldValue::Null])
        .unwrap_err();
    assert!(
        matches!(&e, GpkgError::BadGeometry { fid: 1, layer, .. } if layer == "punt"),
        "{e}"
    );
    // A line string: no envelope computed here, but the caller may pass one.
    let mut line = vec![1u8];
    line.extend_from_slice(&2u32.to_le_bytes());
    line.extend_from_slice(&2u32.to_le_bytes());
    for v in [0.0f64, 0.0, 3.0, 4.0] {
        line.extend_from_slice(&v.to_le_bytes());
    }
    assert!(matches!(
        w.insert(l, Some(&line), &[FieldValue::Null]),
        Err(GpkgError::BadGeometry { .. })
    ));
    assert_eq!(
        w.insert_with_envelope(
            l,
            Some(&line),
            Some([0.0, 0.0, 3.0, 4.0]),
            &[FieldValue::Null]
        )
        .unwrap(),
        1
    );
    drop(w);
    // Abandoned: neither the file nor its .part remain.
    assert!(!path.exists());
    assert!(!dir.path().join("bad.gpkg.part").exists());
    assert!(GeoPackage::open(&path).is_err());
}
