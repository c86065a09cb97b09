//! Urgency indicators (issue 14), against the real binary: every level and indicator answers;
//! released cells are rounded and suppressed ones carry no numbers; the total is the sum of
//! released cells; the same cells are listed for every indicator (they follow from the
//! registers); CBS squares and H3 cells are named as their systems name them; GeoJSON and CSV
//! carry the same cells; the series of a buurt holds
//! today's snapshot; an unknown level or indicator is 404 naming the valid ones; the tile layer of
//! each level carries what the API releases and follows a change.

use std::process::Command;

use serde_json::{Value, json};
use tests::mvt::{python_decode_all, tile_of};
use tests::{Client, Sandbox, get, sample_server};

/// The password of the staff accounts made here.
const PASSWORD: &str = "correct horse battery staple";

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

/// The CBS context beside a CBS area's indicator is what the sample's wijk- en buurtkaart says
/// (residents, households, share of 65+, density), CBS's sentinels read as null; squares and
/// hexagons have none.
#[test]
fn the_context_of_a_cbs_area_is_what_the_wijk_en_buurtkaart_says() {
    let s = sample_server();
    let gpkg = tests::sample_db().with_file_name("wijkenbuurten.gpkg");
    // A figure as the API gives it: null for NULL, for a sentinel and for a share above 100.
    let figure = |text: &str, max: i64| {
        text.parse::<i64>()
            .ok()
            .filter(|v| (0..=max).contains(v))
            .map_or(Value::Null, Value::from)
    };
    let mut filled = 0;
    for (level, layer, code) in [
        ("gemeente", "gemeenten", "gemeentecode"),
        ("wijk", "wijken", "wijkcode"),
        ("buurt", "buurten", "buurtcode"),
    ] {
        let rows = tests::sqlite(
            &gpkg,
            &format!(
                "SELECT {code}, aantal_inwoners, aantal_huishoudens, \
                 percentage_personen_65_jaar_en_ouder, bevolkingsdichtheid_inwoners_per_km2 \
                 FROM {layer}"
            ),
        );
        let want: std::collections::BTreeMap<&str, Value> = rows
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split('|').collect();
                let context = json!({
                    "inwoners": figure(f[1], i64::MAX),
                    "huishoudens": figure(f[2], i64::MAX),
                    "percentage_65_plus": figure(f[3], 100),
                    "bevolkingsdichtheid": figure(f[4], i64::MAX),
                });
                (f[0], context)
            })
            .collect();
        let v: Value = get(
            s.addr,
            &format!("/api/urgency?level={level}&indicator=gas_free"),
        )
        .json();
        let cells = v["cells"].as_array().unwrap();
        assert!(!cells.is_empty(), "{level}");
        for c in cells {
            let code = c["code"].as_str().unwrap();
            assert_eq!(c["context"], want[code], "{level} {code}");
            let context = &c["context"];
            if context["percentage_65_plus"].is_u64() && context["bevolkingsdichtheid"].is_u64() {
                filled += 1;
            }
        }
    }
    assert!(filled > 0, "the sample writes both figures");
    for level in ["grid100", "h3-9"] {
        let v: Value = get(
            s.addr,
            &format!("/api/urgency?level={level}&indicator=gas_free"),
        )
        .json();
        let cells = v["cells"].as_array().unwrap();
        assert!(
            !cells.is_empty() && cells.iter().all(|c| c["context"].is_null()),
            "{level}"
        );
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

/// The tiles of every level in `bounds` (west, south, east, north) at zoom `z`, decoded by
/// Python's mapbox-vector-tile: per cell code, its properties (a cell cut by tile edges is in
/// several tiles with the same properties).
fn urgency_cells_in_tiles(
    addr: std::net::SocketAddr,
    layer: &str,
    bounds: [f64; 4],
    z: u32,
) -> std::collections::BTreeMap<String, Value> {
    let (x0, y0) = tile_of(bounds[0], bounds[3], z);
    let (x1, y1) = tile_of(bounds[2], bounds[1], z);
    assert!(
        (x1 - x0 + 1) * (y1 - y0 + 1) <= 64,
        "too many tiles at z{z}"
    );
    let mut bodies = Vec::new();
    for x in x0..=x1 {
        for y in y0..=y1 {
            let r = get(addr, &format!("/tiles/{layer}/{z}/{x}/{y}.mvt"));
            assert!(
                r.status == 200 || r.status == 204,
                "{layer} {z}/{x}/{y}: {}",
                r.status
            );
            if r.status == 200 {
                bodies.push(r.body);
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for tile in python_decode_all(&bodies) {
        let names: Vec<&String> = tile.as_object().unwrap().keys().collect();
        assert_eq!(names, [layer], "one layer per urgency tile");
        for f in tile[layer]["features"].as_array().unwrap() {
            assert!(
                f["geometry"]["type"] == "Polygon" || f["geometry"]["type"] == "MultiPolygon",
                "{f}"
            );
            let p = f["properties"].clone();
            let code = p["code"].as_str().unwrap().to_owned();
            if let Some(before) = out.get(&code) {
                assert_eq!(before, &p, "{code} differs between tiles");
            }
            out.insert(code, p);
        }
    }
    out
}

/// The urgency tile layers (issue 14 §3): one tileset per level, not in the composite, whose
/// cells carry exactly what the API releases — every indicator's value, its quantile class and
/// the withheld flag, and nothing of a withheld cell; TileJSON lists the fields; nothing past the
/// level's zooms; the MapLibre style colours one indicator and carries its legend.
#[test]
fn urgency_tiles_carry_what_the_api_releases() {
    let s = sample_server();
    let meta: Value = get(s.addr, "/api/urgency/indicators").json();
    let names: Vec<String> = meta["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    let all: Value = get(s.addr, "/tiles/all.json").json();
    assert!(
        all["vector_layers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| !l["id"].as_str().unwrap().starts_with("urgency")),
        "the composite holds no urgency level"
    );
    for (level, layer, z) in [
        ("buurt", "urgency_buurt", 13),
        ("wijk", "urgency_wijk", 12),
        ("h3-9", "urgency_h3_9", 14),
        ("grid100", "urgency_grid100", 15),
    ] {
        let tj = get(s.addr, &format!("/tiles/{layer}.json"));
        assert_eq!(tj.status, 200, "{}", tj.text());
        let tj = tj.json();
        let vl = &tj["vector_layers"][0];
        assert_eq!(vl["id"], layer);
        for n in &names {
            for field in [n.clone(), format!("{n}_klasse"), format!("{n}_onderdrukt")] {
                assert!(vl["fields"][&field].is_string(), "{layer}: {field} in {vl}");
            }
        }
        let bounds: Vec<f64> = tj["bounds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let bounds = [bounds[0], bounds[1], bounds[2], bounds[3]];
        let tiles = urgency_cells_in_tiles(s.addr, layer, bounds, z);
        for n in &names {
            let api: Value =
                get(s.addr, &format!("/api/urgency?level={level}&indicator={n}")).json();
            let cells = api["cells"].as_array().unwrap();
            assert!(!cells.is_empty(), "{level} {n}");
            let mut released = Vec::new();
            for c in cells {
                let code = c["code"].as_str().unwrap();
                let p = tiles
                    .get(code)
                    .unwrap_or_else(|| panic!("{level} {n}: {code} is in no tile"));
                let withheld = c["suppressed"].as_bool().unwrap();
                assert_eq!(
                    p[format!("{n}_onderdrukt")].as_bool().unwrap_or(false),
                    withheld,
                    "{level} {n} {code}: {p}"
                );
                if withheld || c["value"].is_null() {
                    assert!(
                        p[n].is_null() && p[format!("{n}_klasse")].is_null(),
                        "{level} {n} {code}: {p}"
                    );
                    continue;
                }
                assert_eq!(
                    p[n].as_f64(),
                    c["value"].as_f64(),
                    "{level} {n} {code}: {p}"
                );
                released.push((
                    c["value"].as_f64().unwrap(),
                    p[format!("{n}_klasse")].as_u64().unwrap(),
                ));
            }
            // Quantile classes: a higher value never has a class further from the urgent end.
            let higher = meta["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["name"] == n.as_str())
                .unwrap()["higher_is_more_urgent"]
                .as_bool()
                .unwrap();
            released.sort_by(|a, b| a.0.total_cmp(&b.0));
            for w in released.windows(2) {
                assert!(w[0].1 <= 4 && w[1].1 <= 4);
                if higher {
                    assert!(w[0].1 <= w[1].1, "{level} {n}: {released:?}");
                } else {
                    assert!(w[0].1 >= w[1].1, "{level} {n}: {released:?}");
                }
            }
        }
        // No tile past the level's last zoom, where clients over-zoom.
        let maxzoom = tj["maxzoom"].as_u64().unwrap() as u32;
        let (x, y) = tile_of(
            f64::midpoint(bounds[0], bounds[2]),
            f64::midpoint(bounds[1], bounds[3]),
            maxzoom + 1,
        );
        let past = get(
            s.addr,
            &format!("/tiles/{layer}/{}/{x}/{y}.mvt", maxzoom + 1),
        );
        assert_eq!(past.status, 204, "{layer} past z{maxzoom}");
    }
    // The style of one indicator: the level's tiles, coloured by its class, with its legend.
    let style = get(s.addr, "/api/urgency/style?level=buurt&indicator=gas_free");
    assert_eq!(style.status, 200, "{}", style.text());
    let style = style.json();
    assert_eq!(style["version"], 8);
    assert!(
        style["sources"]["urgency"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/tiles/urgency_buurt.json")
    );
    let fill = style["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == "urgency-fill")
        .unwrap();
    assert_eq!(fill["source-layer"], "urgency_buurt");
    assert!(
        fill["paint"]["fill-color"]
            .to_string()
            .contains("gas_free_klasse")
    );
    let legend = &style["metadata"]["wijkwerk:legend"];
    let breaks = legend["breaks"].as_array().unwrap();
    assert!(breaks.len() <= 4);
    assert_eq!(
        legend["classes"].as_array().unwrap().len(),
        breaks.len() + 1
    );
    for q in ["level=nowhere", "indicator=fun"] {
        let r = get(s.addr, &format!("/api/urgency/style?{q}"));
        assert_eq!(r.status, 404, "{}", r.text());
    }
}

/// A change lands in the tiles: after work items in one buurt are done, the buurt's tile shows
/// the API's new share (the cached tile was dropped), and the value moved.
#[test]
fn urgency_tiles_follow_a_work_change() {
    let sb = Sandbox::new();
    sb.add_user("wo@urgency.test", "wijkondernemer", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let tj: Value = get(s.addr, "/tiles/urgency_buurt.json").json();
    let b: Vec<f64> = tj["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let bounds = [b[0], b[1], b[2], b[3]];
    let api = |s: &tests::Server| -> Value {
        get(s.addr, "/api/urgency?level=buurt&indicator=work_done").json()
    };
    let before = api(&s);
    let geojson = |s: &tests::Server| -> Value {
        get(
            s.addr,
            "/api/urgency?level=buurt&indicator=work_done&format=geojson",
        )
        .json()
    };
    // Twice: the second is the kept download, the same.
    let geo_before = geojson(&s);
    assert_eq!(geo_before, geojson(&s));
    // Twice: the second read is the cached tiles.
    let tiles_before = urgency_cells_in_tiles(s.addr, "urgency_buurt", bounds, 13);
    assert_eq!(
        tiles_before,
        urgency_cells_in_tiles(s.addr, "urgency_buurt", bounds, 13)
    );
    // The released buurt with the most homes: ten of its open items done, one per home.
    let cell = before["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["suppressed"].as_bool().unwrap())
        .max_by_key(|c| c["denominator"].as_u64().unwrap())
        .expect("a released buurt")
        .clone();
    let code = cell["code"].as_str().unwrap();
    let mut wo = Client::new(s.addr);
    let r = wo.post_json(
        "/api/auth/password",
        &json!({ "email": "wo@urgency.test", "password": PASSWORD }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let items = wo.get(&format!(
        "/api/work/items?area={code}&status=open&limit=1000"
    ));
    assert_eq!(items.status, 200, "{}", items.text());
    let mut homes = std::collections::HashSet::new();
    let mut done = 0;
    for it in items.json()["items"].as_array().unwrap() {
        let target = it["target"].as_str().unwrap();
        if !homes.insert(target.to_owned()) {
            continue;
        }
        let kind = it["kind"].as_str().unwrap();
        let r = wo.post_json(
            &format!("/api/work/items/{kind}/{target}/status"),
            &json!({ "status": "done" }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        done += 1;
        if done == 10 {
            break;
        }
    }
    assert_eq!(done, 10, "ten open items in {code}");
    let after = api(&s);
    let now = after["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .unwrap()
        .clone();
    assert_ne!(now, cell, "ten items done moved {code}");
    // The kept GeoJSON was made again from the new release.
    let geo_after = geojson(&s);
    let f = geo_after["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == code)
        .unwrap();
    assert_eq!(f["properties"]["value"], now["value"], "{f}");
    assert_ne!(geo_after, geo_before);
    let tiles_after = urgency_cells_in_tiles(s.addr, "urgency_buurt", bounds, 13);
    let p = &tiles_after[code];
    assert_eq!(
        p["work_done_onderdrukt"].as_bool().unwrap_or(false),
        now["suppressed"].as_bool().unwrap(),
        "{p} {now}"
    );
    assert_eq!(p["work_done"].as_f64(), now["value"].as_f64(), "{p} {now}");
    assert_ne!(p, &tiles_before[code], "the tile of {code} was drawn again");
}

/// The sample's indicator file adds one over its heat map (a GeoTIFF): each CBS square's value is
/// the mean GDAL finds in that square of the file (`gdal_translate -projwin`, `gdalinfo -stats`),
/// the OGC collection carries it, and the squares listed are those of every other indicator.
#[test]
fn a_raster_indicator_is_the_mean_gdal_reads_in_each_square() {
    let sample = tests::sample_db().parent().unwrap().to_owned();
    let indicators = sample.join("indicators.toml");
    let s = tests::Server::start(
        tests::sample_db(),
        &["--indicators", indicators.to_str().unwrap()],
    );
    let heat: Value = get(s.addr, "/api/urgency?level=grid100&indicator=heat_island").json();
    let other: Value = get(s.addr, "/api/urgency?level=grid100&indicator=gas_free").json();
    let codes = |v: &Value| -> Vec<String> {
        v["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&heat), codes(&other));
    let cells = heat["cells"].as_array().unwrap();
    assert!(cells.len() >= 5, "{heat}");
    // The total of a mean: the released cells' means weighted by their pixels.
    let (sum, n) = cells.iter().fold((0.0, 0.0), |(s, n), c| {
        let w = c["numerator"].as_f64().unwrap();
        (s + c["value"].as_f64().unwrap() * w, n + w)
    });
    let total = heat["total"]["value"].as_f64().unwrap();
    assert!((total - sum / n).abs() < 1e-3, "{total} vs {}", sum / n);
    let tmp = tempfile::tempdir().unwrap();
    let tif = sample.join("hitte-eiland.tif");
    for c in cells.iter().step_by(cells.len() / 5) {
        let code = c["code"].as_str().unwrap();
        let (e, n) = code[1..].split_once('N').unwrap();
        let (x, y) = (
            e.parse::<f64>().unwrap() * 100.0,
            n.parse::<f64>().unwrap() * 100.0,
        );
        let cut = tmp.path().join(format!("{code}.tif"));
        let run = |cmd: &mut Command| {
            let out = cmd.output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        run(Command::new("gdal_translate")
            .args(["-q", "-projwin"])
            .args([x, y + 100.0, x + 100.0, y].map(|v| v.to_string()))
            .arg(&tif)
            .arg(&cut));
        let stats = run(Command::new("gdalinfo").args(["-json", "-stats"]).arg(&cut));
        let info: Value = serde_json::from_slice(&stats).unwrap();
        let band = &info["bands"][0];
        assert_eq!(info["size"], json!([4, 4]), "25 m pixels: {info}");
        let mean = band["mean"].as_f64().unwrap();
        let ours = c["value"].as_f64().unwrap();
        assert!(
            (mean - ours).abs() < 1e-4,
            "{code}: GDAL {mean}, wijkwerk {ours}"
        );
        assert_eq!(c["numerator"], 16, "{c}");
    }
    let first = cells[0]["code"].as_str().unwrap();
    let items: Value = get(
        s.addr,
        &format!("/ogc/collections/urgency-grid100/items/{first}"),
    )
    .json();
    assert_eq!(
        items["properties"]["heat_island"], cells[0]["value"],
        "{items}"
    );
}
