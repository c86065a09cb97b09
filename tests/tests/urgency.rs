//! Urgency indicators (issue 14), against the real binary: every level and indicator answers;
//! released cells are rounded and suppressed ones carry no numbers; the total is the sum of
//! released cells; the same cells are listed for every indicator (they follow from the
//! registers); CBS squares and H3 cells are named as their systems name them; GeoJSON and CSV
//! carry the same cells; the series of a buurt holds
//! today's snapshot; an unknown level or indicator is 404 naming the valid ones.

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
