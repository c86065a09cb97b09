//! Urgency indicators (issue 14), against the real binary: every level and indicator answers;
//! released cells are rounded and suppressed ones carry no numbers; the total is the sum of
//! released cells; the same cells are listed for every indicator (they follow from the
//! registers); CBS squares and H3 cells are named as their systems name them; GeoJSON and CSV
//! carry the same cells; the series of a buurt holds
//! today's snapshot; an unknown level or indicator is 404 naming the valid ones.

use std::process::Command;

use serde_json::Value;
use tests::{get, sample_server};

#[test]
fn indicators_per_level_are_k_anonymous_sums_of_released_cells() {
    let s = sample_server();
    let meta: Value = get(s.addr, "/api/urgency/indicators").json();
    let names: Vec<String> = meta["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    for n in [
        "solar_gap",
        "greenery_distress",
        "gas_free",
        "campaign_reach",
        "work_done",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
    }
    for i in meta["indicators"].as_array().unwrap() {
        assert!(!i["title"]["nl"].as_str().unwrap().is_empty());
        assert!(!i["description"]["en"].as_str().unwrap().is_empty());
    }
    let levels: Vec<&str> = meta["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(
        levels,
        [
            "gemeente", "wijk", "buurt", "grid100", "h3-8", "h3-9", "h3-10"
        ]
    );
    for level in &levels {
        let mut listed: Option<Vec<String>> = None;
        for indicator in &names {
            let r = get(
                s.addr,
                &format!("/api/urgency?level={level}&indicator={indicator}"),
            );
            assert_eq!(r.status, 200, "{level} {indicator}: {}", r.text());
            let v: Value = r.json();
            let round = v["round_to"].as_u64().unwrap();
            let cells = v["cells"].as_array().unwrap();
            let (mut n, mut d, mut released) = (0, 0, 0);
            for c in cells {
                if c["suppressed"].as_bool().unwrap() {
                    assert!(c["numerator"].is_null() && c["value"].is_null(), "{c}");
                    continue;
                }
                released += 1;
                let num = c["numerator"].as_u64().unwrap();
                assert_eq!(num % round, 0, "{c}");
                n += num;
                if let Some(den) = c["denominator"].as_u64() {
                    assert_eq!(den % round, 0, "{c}");
                    assert!(num <= den, "{c}");
                    d += den;
                }
                let code = c["code"].as_str().unwrap();
                match *level {
                    "grid100" => assert!(
                        code.len() == 10 && code.starts_with('E') && code[5..].starts_with('N'),
                        "{code}"
                    ),
                    "h3-9" => assert!(code.len() == 15 && code.starts_with("89"), "{code}"),
                    "buurt" => assert!(code.starts_with("BU") && c["name"].is_string(), "{c}"),
                    _ => {}
                }
            }
            assert_eq!(
                v["total"]["numerator"].as_u64().unwrap(),
                n,
                "{level} {indicator}"
            );
            assert_eq!(v["total"]["denominator"].as_u64().unwrap(), d);
            assert_eq!(v["total"]["released"].as_u64().unwrap(), released);
            // The cells listed follow from the registers: the same for every indicator (except
            // public-space reports, which stand behind no home and are listed where they are).
            if indicator != "greenery_distress" {
                let codes: Vec<String> = cells
                    .iter()
                    .map(|c| c["code"].as_str().unwrap().to_owned())
                    .collect();
                match &listed {
                    None => listed = Some(codes),
                    Some(l) => assert_eq!(l, &codes, "{level} {indicator}"),
                }
            }
            if *indicator == "gas_free" {
                assert!(released > 0, "{level}: homes in the sample wijk");
            }
        }
    }
    // GeoJSON and CSV carry the same cells.
    let json: Value = get(s.addr, "/api/urgency?level=buurt&indicator=gas_free").json();
    let geo = get(
        s.addr,
        "/api/urgency?level=buurt&indicator=gas_free&format=geojson",
    );
    assert_eq!(geo.status, 200);
    assert!(
        geo.header("content-type")
            .unwrap()
            .starts_with("application/geo+json")
    );
    let geo: Value = geo.json();
    let features = geo["features"].as_array().unwrap();
    assert_eq!(features.len(), json["cells"].as_array().unwrap().len());
    for f in features {
        let ring = &f["geometry"]["coordinates"][0][0];
        assert!(ring.as_array().unwrap().len() >= 4, "{f}");
        let lon = ring[0][0].as_f64().unwrap();
        assert!((3.0..8.0).contains(&lon), "{lon}");
    }
    let csv = get(
        s.addr,
        "/api/urgency?level=buurt&indicator=gas_free&format=csv",
    );
    assert_eq!(csv.status, 200);
    let text = csv.text();
    assert!(
        text.starts_with("\u{feff}code,naam,onderdrukt,teller,noemer"),
        "{text}"
    );
    assert_eq!(text.lines().count(), features.len() + 1);
    // The series of a buurt holds today's snapshot (kept at start).
    let buurt = json["cells"][0]["code"].as_str().unwrap();
    let mut points = Vec::new();
    for _ in 0..50 {
        let series: Value = get(
            s.addr,
            &format!("/api/urgency/series?level=buurt&indicator=gas_free&cell={buurt}"),
        )
        .json();
        points = series["points"].as_array().unwrap().clone();
        if !points.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(points.len(), 1, "{points:?}");
    assert_eq!(points[0]["value"], json["cells"][0]["value"]);
    for (q, what) in [
        ("level=h3-20", "buurt, grid100, h3-8"),
        ("indicator=fun", "campaign_reach"),
    ] {
        let r = get(s.addr, &format!("/api/urgency?{q}"));
        assert_eq!(r.status, 404, "{}", r.text());
        assert!(r.text().contains(what), "{}", r.text());
    }
}

/// The urgency collections of the OGC API: the same released values as `/api/urgency`, filtered
/// with CQL2 over them, one by code, their queryables, and read by GDAL's OGC API driver.
#[test]
fn urgency_collections_serve_gis_clients() {
    let s = sample_server();
    let api: Value = get(s.addr, "/api/urgency?level=buurt&indicator=gas_free").json();
    let items: Value = get(s.addr, "/ogc/collections/urgency-buurt/items?limit=1000").json();
    let features = items["features"].as_array().unwrap();
    assert_eq!(features.len(), api["cells"].as_array().unwrap().len());
    for (f, c) in features.iter().zip(api["cells"].as_array().unwrap()) {
        let p = &f["properties"];
        assert_eq!(p["code"], c["code"]);
        assert_eq!(p["gas_free"], c["value"], "{p}");
        assert_eq!(p["gas_free_teller"], c["numerator"]);
        assert_eq!(p["gas_free_onderdrukt"], c["suppressed"]);
        assert_eq!(f["geometry"]["type"], "MultiPolygon");
    }
    // CQL2 over the values: the buurten with at least 20 % old homes, as the API says.
    let wanted: Vec<&str> = api["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["value"].as_f64().is_some_and(|v| v >= 0.2))
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    let filtered: Value = get(
        s.addr,
        "/ogc/collections/urgency-buurt/items?filter=gas_free%20%3E%3D%200.2%20AND%20NOT%20gas_free_onderdrukt",
    )
    .json();
    let got: Vec<&str> = filtered["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(got, wanted);
    assert_eq!(
        get(
            s.addr,
            "/ogc/collections/urgency-buurt/items?filter=nonsense%20%3E%201"
        )
        .status,
        400
    );
    let code = wanted
        .first()
        .copied()
        .unwrap_or_else(|| features[0]["id"].as_str().unwrap());
    let one = get(
        s.addr,
        &format!("/ogc/collections/urgency-buurt/items/{code}"),
    );
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["id"], code);
    assert_eq!(
        get(s.addr, "/ogc/collections/urgency-buurt/items/E1550N4630").status,
        404
    );
    let q: Value = get(s.addr, "/ogc/collections/urgency-grid100/queryables").json();
    assert_eq!(q["properties"]["solar_gap"]["type"], "number");
    assert_eq!(q["properties"]["solar_gap_onderdrukt"]["type"], "boolean");
    // The GeoPackage of a level: one layer with every indicator, read by GDAL.
    let gpkg = get(s.addr, "/api/urgency?level=buurt&format=gpkg");
    assert_eq!(gpkg.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("urgentie.gpkg");
    std::fs::write(&file, &gpkg.body).unwrap();
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(&file)
        .output()
        .expect("ogrinfo (gdal-bin)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("urgentie_buurt"), "{text}");
    assert!(
        text.contains(&format!("Feature Count: {}", features.len())),
        "{text}"
    );
    assert!(text.contains("gas_free_onderdrukt"), "{text}");
    // GDAL's OGC API – Features driver reads the hexagons.
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", "-nomd"])
        .arg(format!("OAPIF:http://{}/ogc", s.addr))
        .arg("urgency-h3-9")
        .output()
        .expect("ogrinfo (gdal-bin)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Multi Polygon"), "{text}");
    assert!(text.contains("gas_free_teller"), "{text}");
}
