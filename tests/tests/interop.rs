//! Independent OGC API Features clients read the server as it is: GDAL's OAPIF driver and OWSLib.

use std::process::Command;

use tests::{get, sample_server, workspace_root};

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

    // The areas with the wijk- en buurtkaart's figures: integer fields GDAL reads as the file has
    // them (null where CBS has a sentinel).
    let out = Command::new("ogrinfo")
        .args(["-ro", "-q", &url, "areas", "-geom=NO"])
        .output()
        .expect("ogrinfo");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = crate::api::sample_area_figures();
    let mut read = std::collections::BTreeMap::new();
    for feature in listing.split("OGRFeature(areas)").skip(1) {
        // `  name (Type) = value` per field; GDAL 3.6 writes a null as `(null)`.
        let fields: std::collections::BTreeMap<&str, (&str, &str)> = feature
            .lines()
            .filter_map(|l| {
                let (name, rest) = l.trim().split_once(" (")?;
                let (kind, value) = rest.split_once(") = ")?;
                Some((name, (kind, value)))
            })
            .collect();
        let code = fields["code"].1.to_owned();
        let figures: serde_json::Map<String, serde_json::Value> = crate::api::AREA_FIGURES
            .iter()
            .map(|name| {
                let (kind, value) = fields
                    .get(name)
                    .unwrap_or_else(|| panic!("{code} has no {name}: {feature}"));
                assert_eq!(*kind, "Integer", "{code} {name}");
                let v = value
                    .parse::<u64>()
                    .map_or(serde_json::Value::Null, serde_json::Value::from);
                ((*name).to_owned(), v)
            })
            .collect();
        read.insert(code, figures);
    }
    assert_eq!(read, want, "GDAL read every area's figures");
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
areas = w.collection_items('areas', limit=1000)
figures = {a['properties']['code']: {k: a['properties'][k] for k in sys.argv[2].split(',')}
           for a in areas['features']}
print(json.dumps({'collections': cols, 'returned': items['numberReturned'], 'id': item['id'],
                  'status': item['properties']['status'], 'areas': figures,
                  'conformance': w.conformance()['conformsTo']}))
";
    let out = tests::python()
        .args([
            "-c",
            script,
            &format!("http://{}/ogc", s.addr),
            &crate::api::AREA_FIGURES.join(","),
        ])
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
        serde_json::json!([
            "buildings",
            "addresses",
            "areas",
            "urgency-buurt",
            "urgency-wijk",
            "urgency-grid100",
            "urgency-h3-9"
        ])
    );
    assert_eq!(v["returned"], 5);
    assert_eq!(v["id"].as_str().unwrap().len(), 16);
    // Every area with the wijk- en buurtkaart's figures (integers, null where CBS has none).
    let areas: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
        serde_json::from_value(v["areas"].clone()).unwrap();
    assert!(areas.len() >= 3, "{areas:?}");
    assert_eq!(areas, crate::api::sample_area_figures());
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
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        ],
        "{v}"
    );
}

/// The number of features of `path` and their ids, read with our own client (all pages).
fn matched(addr: std::net::SocketAddr, path: &str) -> (u64, std::collections::BTreeSet<String>) {
    let mut ids = std::collections::BTreeSet::new();
    let mut url = path.to_owned();
    let mut total = None;
    loop {
        let fc = get(addr, &url).json();
        total.get_or_insert(fc["numberMatched"].as_u64().unwrap());
        for f in fc["features"].as_array().unwrap() {
            ids.insert(f["id"].as_str().unwrap().to_owned());
        }
        match fc["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
        {
            Some(l) => {
                let href = l["href"].as_str().unwrap();
                href.split_once(&addr.to_string())
                    .unwrap()
                    .1
                    .clone_into(&mut url);
            }
            None => break,
        }
    }
    (total.unwrap_or(0), ids)
}

#[test]
fn gdal_oapif_driver_reads_a_filtered_collection() {
    let s = sample_server();
    let filter = crate::ogc_filter::enc("bouwjaar < 1975 AND woonfunctie");
    let (total, expected) = matched(s.addr, "/ogc/collections/buildings/items?limit=1000");
    let (n, ids) = matched(
        s.addr,
        &format!("/ogc/collections/buildings/items?limit=1000&filter={filter}"),
    );
    assert!(n > 0 && n < total && ids.len() as u64 == n);
    assert!(ids.is_subset(&expected));
    // GDAL's `-where` is OGR SQL, not CQL2: the filter goes in the query string of the dataset
    // name. GDAL (3.6) takes the collection's URL there, and asks for
    // `…/collections/buildings/items?limit=100&filter=…`, then follows our `next` links (which
    // repeat the filter).
    let url = format!(
        "OAPIF:http://{}/ogc/collections/buildings?filter={filter}",
        s.addr
    );
    let out = Command::new("ogrinfo")
        .args([
            "-ro",
            "-q",
            "-oo",
            "PAGE_SIZE=100",
            &url,
            "buildings",
            "-fields=YES",
            "-geom=NO",
        ])
        .output()
        .expect("ogrinfo (gdal-bin) must be installed");
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: std::collections::BTreeSet<String> = listing
        .lines()
        .filter_map(|l| l.trim().strip_prefix("identificatie (String) = "))
        .map(str::to_owned)
        .collect();
    assert!(n > 100, "more than one page of GDAL's: {n}");
    assert_eq!(read.len() as u64, n, "GDAL read the filtered features only");
    assert_eq!(read, ids);
}

#[test]
fn owslib_reads_queryables_and_a_filtered_collection() {
    let s = sample_server();
    let (n, ids) = matched(
        s.addr,
        &format!(
            "/ogc/collections/buildings/items?limit=1000&filter={}",
            crate::ogc_filter::enc("bouwjaar < 1975 AND woonfunctie")
        ),
    );
    let script = r"
import json, sys
from owslib.ogcapi.features import Features
w = Features(sys.argv[1])
q = w.collection_queryables('buildings')
items = w.collection_items('buildings', limit=1000, filter='bouwjaar < 1975 AND woonfunctie',
                           **{'filter-lang': 'cql2-text'})
print(json.dumps({'queryables': q, 'matched': items['numberMatched'],
                  'ids': [f['id'] for f in items['features']]}))
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
    let q = &v["queryables"];
    assert_eq!(q["type"], "object", "{q}");
    assert_eq!(q["properties"]["bouwjaar"]["type"], "number", "{q}");
    assert_eq!(q["properties"]["woonfunctie"]["type"], "boolean", "{q}");
    assert_eq!(v["matched"].as_u64(), Some(n));
    assert!(n <= 1000, "one page holds them: {n}");
    let read: std::collections::BTreeSet<String> = v["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(read, ids);
}

/// QGIS 3.22 (Debian's, through PyQGIS) as a GIS user meets the server (issue 11 §10): its OAPIF
/// provider reads the buildings with flat properties (`aantal_adressen`, `bouwjaar_klasse`) and the
/// areas with the wijk- en buurtkaart's figures as integer fields, and
/// the vector tiles drawn with the server's own style, converted by QGIS's style converter, show
/// the buildings in the legend's bouwjaar colours at a blocks zoom and a footprints zoom (before
/// `bouwjaar_klasse`, QGIS skipped the style's expressions: the buildings lost their colours).
#[test]
fn qgis_reads_the_collections_and_draws_the_tiles_in_the_legend_colours() {
    let s = sample_server();
    let dir = workspace_root().join("target").join("qgis");
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("/usr/bin/python3")
        .arg(workspace_root().join("tests/python/qgis_render.py"))
        .arg(format!("http://{}", s.addr))
        .arg(&dir)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("python3 with python3-qgis (Debian) must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "PyQGIS failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(r["ogc_valid"], true, "{r}");
    let fields: Vec<&str> = r["ogc_fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in [
        "identificatie",
        "bouwjaar",
        "bouwjaar_klasse",
        "aantal_adressen",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert!(r["ogc_with_addresses"].as_u64().unwrap() > 0, "{r}");
    // The areas with the wijk- en buurtkaart's figures, as integer fields.
    assert_eq!(r["areas_valid"], true, "{r}");
    let want = crate::api::sample_area_figures();
    let mut read = std::collections::BTreeMap::new();
    for (code, values) in r["areas"].as_object().unwrap() {
        let figures: serde_json::Map<String, serde_json::Value> = crate::api::AREA_FIGURES
            .iter()
            .map(|name| ((*name).to_owned(), values[*name].clone()))
            .collect();
        read.insert(code.clone(), figures);
    }
    assert_eq!(read, want, "QGIS read every area's figures");
    for name in crate::api::AREA_FIGURES {
        assert_eq!(
            r["areas_fields"][name], "Integer",
            "{name} in {}",
            r["areas_fields"]
        );
    }
    assert_eq!(r["tiles_valid"], true, "{r}");
    let warnings = r["style_warnings"].to_string();
    assert!(
        !warnings.contains("buildings"),
        "QGIS converts the building layers without skipping: {warnings}"
    );
    for zoom in ["14", "16"] {
        let z = &r["zooms"][zoom];
        let per_class: Vec<u64> = z["per_class"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let coloured: u64 = per_class[..6].iter().sum();
        let sampled = z["sampled"].as_u64().unwrap();
        // The sample wijk has buildings of at least three eras in view, drawn in their colours.
        assert!(
            per_class[..6].iter().filter(|n| **n > 50).count() >= 3,
            "z{zoom}: pixels per bouwjaar class {per_class:?}"
        );
        assert!(
            coloured * 20 > sampled,
            "z{zoom}: {coloured} of {sampled} pixels in a bouwjaar colour"
        );
    }
}
