//! Tiles over HTTP: TileJSON, MVT, gzip negotiation, ETags, empty tiles, bad coordinates, and an
//! independent decoder (Python's mapbox-vector-tile, GDAL's MVT driver).

use std::io::Read as _;
use std::process::Command;

use tests::{Response, get, get_with, sample_server};

/// The tile of zoom `z` holding (lon, lat).
fn tile_of(z: u8, lon: f64, lat: f64) -> (u8, u32, u32) {
    let (x, y) = tests::mvt::tile_of(lon, lat, u32::from(z));
    (z, x, y)
}

/// The centre of the data, from TileJSON.
fn centre(addr: std::net::SocketAddr) -> (f64, f64) {
    let tj = get(addr, "/tiles/all.json").json();
    (
        tj["center"][0].as_f64().unwrap(),
        tj["center"][1].as_f64().unwrap(),
    )
}

/// A tile near the centre that has buildings.
fn busy_tile(addr: std::net::SocketAddr, z: u8) -> ((u8, u32, u32), Response) {
    let (lon, lat) = centre(addr);
    let (z, x, y) = tile_of(z, lon, lat);
    for (dx, dy) in [
        (0i64, 0i64),
        (1, 0),
        (0, 1),
        (-1, 0),
        (0, -1),
        (1, 1),
        (-1, -1),
        (2, 0),
        (0, 2),
    ] {
        let (tx, ty) = ((i64::from(x) + dx) as u32, (i64::from(y) + dy) as u32);
        let r = get(addr, &format!("/tiles/buildings/{z}/{tx}/{ty}.mvt"));
        if r.status == 200 {
            return ((z, tx, ty), r);
        }
    }
    panic!("no tile with buildings around the centre at z{z}");
}

#[test]
fn tilejson_describes_every_layer() {
    let s = sample_server();
    for layer in [
        "buildings",
        "trees",
        "addresses",
        "street_names",
        "areas",
        "all",
    ] {
        let tj = get(s.addr, &format!("/tiles/{layer}.json")).json();
        assert_eq!(tj["tilejson"], "3.0.0");
        let url = tj["tiles"][0].as_str().unwrap();
        assert_eq!(
            url,
            format!("http://{}/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt", s.addr)
        );
        let ids: Vec<&str> = tj["vector_layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        if layer == "all" {
            // The engine's layers, then the public report overlays (staff also get theirs).
            assert_eq!(
                ids,
                [
                    "areas",
                    "buildings",
                    "trees",
                    "addresses",
                    "street_names",
                    "observations_per_buurt",
                    "public_space"
                ]
            );
        } else {
            assert_eq!(ids, [layer]);
        }
        let b = tj["bounds"].as_array().unwrap();
        assert!(
            b[0].as_f64().unwrap() > 3.0 && b[2].as_f64().unwrap() < 7.5,
            "bounds in the Netherlands: {b:?}"
        );
    }
    let style = get(s.addr, "/style.json").json();
    assert_eq!(style["version"], 8);
    assert_eq!(
        style["sources"]["wijkwerk"]["url"],
        format!("http://{}/tiles/all.json", s.addr)
    );
}

#[test]
fn tiles_are_gzipped_once_with_etags_and_empty_tiles_are_204() {
    let s = sample_server();
    let ((z, x, y), raw) = busy_tile(s.addr, 16);
    assert_eq!(
        raw.header("content-type"),
        Some("application/vnd.mapbox-vector-tile")
    );
    assert!(raw.header("content-encoding").is_none());
    let etag = raw.header("etag").expect("etag").to_owned();
    let path = format!("/tiles/buildings/{z}/{x}/{y}.mvt");
    let gz = get_with(s.addr, &path, &[("Accept-Encoding", "gzip, deflate, br")]);
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("etag"), Some(etag.as_str()));
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, raw.body, "gzip holds the same tile");
    let again = get_with(s.addr, &path, &[("Accept-Encoding", "gzip")]);
    assert_eq!(again.body, gz.body, "cached gzip is reused byte for byte");
    let nm = get_with(s.addr, &path, &[("If-None-Match", &etag)]);
    assert_eq!(nm.status, 304);
    assert!(nm.body.is_empty());
    // The open sea west of the Netherlands.
    let (z, x, y) = tile_of(16, 2.0, 52.0);
    let empty = get(s.addr, &format!("/tiles/all/{z}/{x}/{y}.mvt"));
    assert_eq!(empty.status, 204);
    assert!(empty.body.is_empty());
}

#[test]
fn bad_tile_requests_are_4xx() {
    let s = sample_server();
    for (path, status, needle) in [
        ("/tiles/lampposts/1/0/0.mvt", 404, "lampposts"),
        ("/tiles/lampposts.json", 404, "lampposts"),
        ("/tiles/buildings/99/0/0.mvt", 400, "zoom"),
        ("/tiles/buildings/3/8/0.mvt", 400, "x and y"),
        ("/tiles/buildings/3/0/8.mvt", 400, "x and y"),
        ("/tiles/buildings/a/0/0.mvt", 400, "z"),
        ("/tiles/buildings/3/-1/0.mvt", 400, "x"),
        ("/tiles/buildings/3/0/0.png", 400, ".mvt"),
        ("/tiles/buildings/3/0/99999999999999999999.mvt", 400, "y"),
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert!(
            r.json()["description"].as_str().unwrap().contains(needle),
            "{path}: {}",
            r.text()
        );
    }
}

#[test]
fn low_zooms_show_blocks_and_the_composite_holds_every_layer() {
    let s = sample_server();
    let ((z, x, y), _) = busy_tile(s.addr, 16);
    let all = get(s.addr, &format!("/tiles/all/{z}/{x}/{y}.mvt"));
    let parts: Vec<Vec<u8>> = ["areas", "buildings", "trees", "addresses", "street_names"]
        .iter()
        .map(|l| {
            let r = get(s.addr, &format!("/tiles/{l}/{z}/{x}/{y}.mvt"));
            if r.status == 204 { Vec::new() } else { r.body }
        })
        .collect();
    assert_eq!(
        all.body,
        parts.concat(),
        "the composite is the layers' tiles concatenated"
    );
    let ((_, _, _), low) = busy_tile(s.addr, 12);
    let decoded = python_decode(&low.body);
    assert!(decoded.contains("\"kind\":\"block\""), "{decoded}");
}

pub(crate) use tests::mvt::python_decode;

#[test]
fn python_mapbox_vector_tile_reads_our_tiles() {
    let s = sample_server();
    let ((z, x, y), _) = busy_tile(s.addr, 16);
    let all = get(s.addr, &format!("/tiles/all/{z}/{x}/{y}.mvt"));
    let v: serde_json::Value = serde_json::from_str(&python_decode(&all.body)).unwrap();
    let buildings = &v["buildings"];
    assert_eq!(buildings["extent"], 4096);
    let features = buildings["features"].as_array().unwrap();
    assert!(!features.is_empty());
    let f = &features[0];
    assert!(
        f["geometry"]["type"] == "Polygon" || f["geometry"]["type"] == "MultiPolygon",
        "{f}"
    );
    let p = &f["properties"];
    assert_eq!(p["identificatie"].as_str().unwrap().len(), 16);
    assert_eq!(
        f["id"].as_u64().unwrap(),
        p["identificatie"].as_str().unwrap().parse::<u64>().unwrap()
    );
    for key in [
        "bouwjaar",
        "status",
        "aantal_verblijfsobjecten",
        "buurtcode",
    ] {
        assert!(!p[key].is_null(), "{key} missing in {p}");
    }
    assert!(
        v["addresses"]["features"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "addresses at z16"
    );
    // The sample's tree register: trees along its streets, with the register's number, species
    // and planting year.
    let trees = v["trees"]["features"].as_array().expect("trees at z16");
    assert!(!trees.is_empty());
    for t in trees {
        assert_eq!(t["geometry"]["type"], "Point", "{t}");
        assert!(t["properties"]["id"].is_string(), "{t}");
        assert!(t["properties"]["species"].is_string(), "{t}");
    }
}

#[test]
fn gdal_mvt_driver_reads_our_tiles() {
    let s = sample_server();
    let ((z, x, y), r) = busy_tile(s.addr, 16);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("tile.mvt");
    std::fs::write(&f, &r.body).unwrap();
    let out = Command::new("ogrinfo")
        .args([
            "-ro",
            "-so",
            "-al",
            "-oo",
            &format!("Z={z}"),
            "-oo",
            &format!("X={x}"),
            "-oo",
            &format!("Y={y}"),
        ])
        .arg(&f)
        .output()
        .expect("ogrinfo (Debian gdal-bin) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Layer name: buildings"), "{text}");
    assert!(text.contains("bouwjaar"), "{text}");
    let count: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(count > 0, "{text}");
}
