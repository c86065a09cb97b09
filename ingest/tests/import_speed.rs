//! Import speed on a generated national-scale file (ignored by default; run in release):
//!
//! ```text
//! cargo test --release -p ingest --test import_speed -- --ignored --nocapture
//! WIJKWERK_SPEED_BUILDINGS=200000 cargo test --release -p ingest --test import_speed -- --ignored --nocapture
//! ```
//!
//! The bag-light file has N L-shaped panden (7 vertices, statuses cycling) on a grid in RD New and
//! one verblijfsobject per pand; a CBS file has 400 buurten of 200 vertices each over the same
//! extent. Both are cached in Cargo's tmp dir. Reports import times: areas first and then the
//! panden (joined while written), and panden first with the areas joined afterwards (rejoin).

#![expect(clippy::unwrap_used, reason = "fixture helpers fail the test loudly")]

mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use geo::{LineString, MultiPolygon, Polygon};
use ingest::{ImportOptions, NoProgress, import};
use rusqlite::params;
use store::Store;
use support::*;

const X0: f64 = 120_000.0;
const Y0: f64 = 450_000.0;
/// Panden per grid row (15 m apart).
const ROW: u64 = 1_000;

fn size() -> u64 {
    std::env::var("WIJKWERK_SPEED_BUILDINGS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

fn l_shape(x: f64, y: f64) -> Vec<u8> {
    let ring = LineString::from(vec![
        (x, y),
        (x + 10.0, y),
        (x + 10.0, y + 4.0),
        (x + 4.0, y + 4.0),
        (x + 4.0, y + 9.0),
        (x, y + 9.0),
        (x, y),
    ]);
    domain::wkb::write_multi_polygon(&MultiPolygon(vec![Polygon::new(ring, vec![])]))
}

fn bag_light_file(n: u64) -> PathBuf {
    let path =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("speed-bag-light-{n}_epsg28992.gpkg"));
    if path.exists() {
        return path;
    }
    let partial = path.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let g = GpkgFile::create(&partial);
    g.layer("pand", "MULTIPOLYGON", 28992, &PAND_COLUMNS);
    g.layer("verblijfsobject", "POINT", 28992, &VBO_COLUMNS);
    drop(g.finish());
    let conn = rusqlite::Connection::open(&partial).unwrap();
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
        .unwrap();
    {
        let mut pand = conn.prepare("INSERT INTO pand (geom, identificatie, bouwjaar, status, gebruiksdoel, oppervlakte_min, oppervlakte_max, aantal_verblijfsobjecten) VALUES (?1, ?2, ?3, ?4, 'woonfunctie', 60, 90, 1)").unwrap();
        let mut vbo = conn.prepare("INSERT INTO verblijfsobject (geom, identificatie, oppervlakte, status, gebruiksdoel, openbare_ruimte_naam, huisnummer, huisletter, toevoeging, postcode, woonplaats_naam, bouwjaar, pand_identificatie) VALUES (?1, ?2, 84, 'Verblijfsobject in gebruik', 'woonfunctie', 'Lange Proefstraat', ?3, NULL, NULL, '9999AB', 'Wijkdorp', ?4, ?5)").unwrap();
        let statuses = domain::BuildingStatus::ALL;
        for k in 0..n {
            let (x, y) = (X0 + (k % ROW) as f64 * 15.0, Y0 + (k / ROW) as f64 * 15.0);
            let id = format!("9999100{k:09}");
            let year = 1900 + (k % 120) as i64;
            let geom = ingest::encode_blob(28992, &l_shape(x, y), None);
            pand.execute(params![
                geom,
                id,
                year,
                statuses[k as usize % statuses.len()].as_str()
            ])
            .unwrap();
            let point = ingest::encode_blob(28992, &point_wkb(x + 2.0, y + 2.0), None);
            vbo.execute(params![
                point,
                format!("9999010{k:09}"),
                (k % 200 + 1) as i64,
                year,
                id
            ])
            .unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
    drop(conn);
    std::fs::rename(&partial, &path).unwrap();
    path
}

/// 20 × 20 square buurten with 50 vertices per side over the panden's extent.
fn cbs_file(n: u64) -> PathBuf {
    let path =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("speed-buurten-{n}_epsg28992.gpkg"));
    if path.exists() {
        return path;
    }
    let _ = std::fs::remove_file(&path);
    let (w, h) = (ROW as f64 * 15.0, (n / ROW + 1) as f64 * 15.0);
    let g = GpkgFile::create(&path);
    g.layer(
        "buurten",
        "MULTIPOLYGON",
        28992,
        &[
            ("buurtcode", "TEXT"),
            ("buurtnaam", "TEXT"),
            ("aantal_inwoners", "INTEGER"),
        ],
    );
    for (bx, by) in (0..20).flat_map(|i| (0..20).map(move |j| (i, j))) {
        let (x0, y0, dx, dy) = (
            X0 - 1.0 + bx as f64 * w / 20.0,
            Y0 - 1.0 + by as f64 * h / 20.0,
            w / 20.0,
            h / 20.0,
        );
        let mut ring = Vec::new();
        for s in 0..50 {
            ring.push((x0 + dx * f64::from(s) / 50.0, y0));
        }
        for s in 0..50 {
            ring.push((x0 + dx, y0 + dy * f64::from(s) / 50.0));
        }
        for s in 0..50 {
            ring.push((x0 + dx - dx * f64::from(s) / 50.0, y0 + dy));
        }
        for s in 0..50 {
            ring.push((x0, y0 + dy - dy * f64::from(s) / 50.0));
        }
        ring.push((x0, y0));
        let wkb = domain::wkb::write_multi_polygon(&MultiPolygon(vec![Polygon::new(
            LineString::from(ring),
            vec![],
        )]));
        let code = format!("BU9999{bx:02}{by:02}");
        g.insert(
            "buurten",
            28992,
            Some(&wkb),
            vec![t(&code), t("Proefbuurt"), i(-99_997)],
        );
    }
    g.finish()
}

#[test]
#[ignore = "generates a large file; run in release with --ignored"]
fn import_speed() {
    let n = size();
    let started = Instant::now();
    let (bag, cbs) = (bag_light_file(n), cbs_file(n));
    println!(
        "fixtures ready in {:.1} s ({} MB)",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&bag).unwrap().len() >> 20
    );

    // Areas first, then the panden, joined while written.
    let (_d, store) = temp_store();
    let t = Instant::now();
    import(&cbs, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let areas_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = import(&bag, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let bag_s = t.elapsed().as_secs_f64();
    assert_eq!((report.buildings, report.addresses), (n, n));
    let mut joined = 0u64;
    store
        .for_each_building(&mut |b| joined += u64::from(b.areas.buurt.is_some()))
        .unwrap();
    assert_eq!(joined, n, "every pand lies in a buurt");
    println!(
        "{n} panden + {n} addresses, areas loaded: areas {areas_s:.2} s, bag-light {bag_s:.2} s (joined while written)"
    );

    // Panden first, then the areas: everything is joined again.
    let (_d2, store) = temp_store();
    let t = Instant::now();
    import(&bag, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let bag_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = import(&cbs, &store, &ImportOptions::default(), &NoProgress).unwrap();
    let rejoin_s = t.elapsed().as_secs_f64();
    assert_eq!(report.rejoined, 2 * n);
    println!(
        "{n} panden + {n} addresses, no areas: bag-light {bag_s:.2} s; then areas + rejoin of {} rows {rejoin_s:.2} s",
        report.rejoined
    );
}
