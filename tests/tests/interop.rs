//! Independent OGC API Features clients read the server as it is: GDAL's OAPIF driver and OWSLib.

use std::process::Command;

use tests::{get, sample_server};

#[test]
fn gdal_oapif_driver_reads_every_collection() {
    let s = sample_server();
    let total = get(s.addr, "/health").json()["buildings"].as_u64().unwrap();
    let url = format!("OAPIF:http://{}/ogc", s.addr);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", &url])
        .output()
        .expect("ogrinfo (gdal-bin) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for layer in ["buildings", "addresses", "areas"] {
        assert!(text.contains(layer), "{text}");
    }
    // Read all buildings through GDAL (it pages by following `next` links) and count them.
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-oo", "PAGE_SIZE=500", &url, "buildings"])
        .output()
        .expect("ogrinfo");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("identificatie"), "{text}");
    assert!(text.contains("bouwjaar"), "{text}");
    let listed = Command::new("ogrinfo")
        .args([
            "-ro",
            "-q",
            "-oo",
            "PAGE_SIZE=500",
            &url,
            "buildings",
            "-fields=NO",
            "-geom=NO",
        ])
        .output()
        .expect("ogrinfo");
    let listing = String::from_utf8_lossy(&listed.stdout);
    let features = listing
        .lines()
        .filter(|l| l.starts_with("OGRFeature(buildings)"))
        .count() as u64;
    assert_eq!(features, total, "GDAL paged through every building");
}

#[test]
fn owslib_reads_collections_and_items() {
    let s = sample_server();
    let script = r"
import json, sys
from owslib.ogcapi.features import Features
w = Features(sys.argv[1])
cols = [c['id'] for c in w.collections()['collections']]
items = w.collection_items('buildings', limit=5)
one = items['features'][0]
item = w.collection_item('buildings', one['id'])
areas = w.collection_items('areas', limit=100)
print(json.dumps({'collections': cols, 'returned': items['numberReturned'], 'id': item['id'],
                  'status': item['properties']['status'], 'areas': len(areas['features']),
                  'conformance': w.conformance()['conformsTo']}))
";
    let out = tests::python()
        .args(["-c", script, &format!("http://{}/ogc", s.addr)])
        .output()
        .expect("run Python with OWSLib (WIJKWERK_PYTHON, .venv or python3)");
    assert!(
        out.status.success(),
        "OWSLib failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["collections"],
        serde_json::json!(["buildings", "addresses", "areas"])
    );
    assert_eq!(v["returned"], 5);
    assert_eq!(v["id"].as_str().unwrap().len(), 16);
    assert!(v["areas"].as_u64().unwrap() >= 3);
    // What OWSLib read from /ogc/conformance: OGC API - Features Part 1 Core with GeoJSON.
    let mut classes: Vec<&str> = v["conformance"]
        .as_array()
        .expect("OWSLib returned conformsTo")
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    classes.sort_unstable();
    assert_eq!(
        classes,
        [
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        ],
        "{v}"
    );
}
