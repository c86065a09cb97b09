//! OGC API Features and the JSON API over HTTP.

use std::collections::BTreeMap;

use serde_json::Value;
use tests::{get, sample_server};

#[test]
fn landing_conformance_and_collections() {
    let s = sample_server();
    let landing = get(s.addr, "/ogc").json();
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "landing page lacks {rel}: {rels:?}");
    }
    let conf = get(s.addr, "/ogc/conformance").json();
    let classes = conf["conformsTo"].as_array().unwrap();
    assert!(
        classes
            .iter()
            .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core")
    );
    assert!(
        classes
            .iter()
            .any(|c| c == "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson")
    );
    let cols = get(s.addr, "/ogc/collections").json();
    let ids: Vec<&str> = cols["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "buildings",
            "addresses",
            "areas",
            "urgency-buurt",
            "urgency-wijk",
            "urgency-grid100",
            "urgency-h3-9"
        ]
    );
    let b = get(s.addr, "/ogc/collections/buildings").json();
    assert_eq!(
        b["extent"]["spatial"]["bbox"][0].as_array().unwrap().len(),
        4
    );
    assert!(s.warnings().is_empty(), "{:?}", s.warnings());
}

#[test]
fn paging_through_next_links_visits_every_building_once() {
    let s = sample_server();
    let health = get(s.addr, "/health").json();
    let total = health["buildings"].as_u64().unwrap();
    assert!(total > 1000, "sample has {total} buildings");
    let mut url = "/ogc/collections/buildings/items?limit=400".to_owned();
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let r = get(s.addr, &url);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type"), Some("application/geo+json"));
        let fc = r.json();
        assert_eq!(fc["type"], "FeatureCollection");
        assert_eq!(fc["numberMatched"].as_u64(), Some(total));
        for f in fc["features"].as_array().unwrap() {
            assert!(
                seen.insert(f["id"].as_str().unwrap().to_owned()),
                "duplicate {}",
                f["id"]
            );
        }
        pages += 1;
        let next = fc["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_owned());
        match next {
            Some(href) => url = href.split_once(&s.addr.to_string()).unwrap().1.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len() as u64, total);
    assert_eq!(pages, total.div_ceil(400));
}

#[test]
fn a_building_item_has_bag_facts_addresses_and_areas() {
    let s = sample_server();
    // Find a building with addresses through the bbox query of the data's centre.
    let col = get(s.addr, "/ogc/collections/buildings").json();
    let b = col["extent"]["spatial"]["bbox"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect::<Vec<_>>();
    let (cx, cy) = (f64::midpoint(b[0], b[2]), f64::midpoint(b[1], b[3]));
    let fc = get(
        s.addr,
        &format!(
            "/ogc/collections/buildings/items?bbox={},{},{},{}&limit=50",
            cx - 0.01,
            cy - 0.01,
            cx + 0.01,
            cy + 0.01
        ),
    )
    .json();
    let features = fc["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        let bb = f["geometry"]["coordinates"][0][0].as_array().unwrap();
        assert!(!bb.is_empty());
    }
    // The enrichment the sample wijk brings: 3DBAG per pand, EP-Online per address.
    let roofed = features
        .iter()
        .find(|f| f["properties"]["b3_dak_type"].is_string())
        .expect("a building with 3DBAG facts");
    let rp = &roofed["properties"];
    assert!(
        rp["b3_h_dak_70p"].as_f64().unwrap() > rp["b3_h_maaiveld"].as_f64().unwrap(),
        "{rp}"
    );
    let roof_m2 =
        rp["b3_opp_dak_plat"].as_f64().unwrap() + rp["b3_opp_dak_schuin"].as_f64().unwrap();
    let solar_m2 = rp["opp_dak_geschikt_zon"].as_f64().unwrap();
    assert!((0.0..=roof_m2 + 0.1).contains(&solar_m2), "{rp}");
    let classes = [
        "A+++++", "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
    ];
    let labelled = features
        .iter()
        .flat_map(|f| f["properties"]["adressen"].as_array().unwrap())
        .find(|a| a["energieklasse"].is_string())
        .expect("an address with an energy label");
    assert!(classes.contains(&labelled["energieklasse"].as_str().unwrap()));
    assert_eq!(
        labelled["energielabel_registratiedatum"]
            .as_str()
            .unwrap()
            .len(),
        10
    );
    let with_addr = features
        .iter()
        .find(|f| !f["properties"]["adressen"].as_array().unwrap().is_empty())
        .expect("a building with addresses");
    let id = with_addr["id"].as_str().unwrap();
    assert_eq!(id.len(), 16);
    let item = get(s.addr, &format!("/ogc/collections/buildings/items/{id}")).json();
    let p = &item["properties"];
    assert_eq!(p["identificatie"], id);
    assert!(p["bouwjaar"].as_u64().is_some());
    assert!(
        p["status"].as_str().unwrap().starts_with("Pand")
            || p["status"].as_str().unwrap().starts_with("Bouw")
            || p["status"] == "Verbouwing pand"
            || p["status"] == "Sloopvergunning verleend"
    );
    assert!(p["buurtcode"].as_str().unwrap().starts_with("BU"), "{p}");
    assert!(p["buurtnaam"].is_string());
    assert!(p["wijkcode"].as_str().unwrap().starts_with("WK"));
    assert!(p["gemeentecode"].as_str().unwrap().starts_with("GM"));
    let a = &p["adressen"][0];
    assert!(
        a["openbare_ruimte_naam"].is_string()
            && a["huisnummer"].is_u64()
            && a["postcode"].is_string()
    );
    assert_eq!(item["geometry"]["type"], "MultiPolygon");
    let ring = item["geometry"]["coordinates"][0][0].as_array().unwrap();
    assert_eq!(ring.first(), ring.last(), "rings are closed");
    // The same address as its own item.
    let aid = a["identificatie"].as_str().unwrap();
    let addr = get(s.addr, &format!("/ogc/collections/addresses/items/{aid}")).json();
    assert_eq!(
        addr["properties"]["openbare_ruimte_naam"],
        a["openbare_ruimte_naam"]
    );
    assert!(
        addr["properties"]["pand_identificatie"]
            .as_str()
            .unwrap()
            .contains(id)
    );
}

#[test]
fn street_names_come_back_byte_for_byte_and_search_finds_them() {
    let s = sample_server();
    let fc = get(s.addr, "/ogc/collections/addresses/items?limit=1000").json();
    let names: std::collections::BTreeSet<String> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["properties"]["openbare_ruimte_naam"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let special = names
        .iter()
        .find(|n| n.contains('\'') || !n.is_ascii())
        .expect("a street with an apostrophe or diacritic");
    let q: String = special
        .chars()
        .map(|c| if c == ' ' { '+' } else { c })
        .collect();
    let encoded: String = q
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'+' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let r = get(s.addr, &format!("/api/search?q={encoded}&limit=5")).json();
    let results = r["results"].as_array().unwrap();
    assert!(!results.is_empty(), "no results for {special}");
    assert!(
        results[0]["label"]
            .as_str()
            .unwrap()
            .starts_with(special.as_str()),
        "{results:?}"
    );
}

/// The CBS figures of the `areas` collection, in the order it gives them.
pub(crate) const AREA_FIGURES: [&str; 4] = [
    "aantal_inwoners",
    "aantal_huishoudens",
    "percentage_personen_65_jaar_en_ouder",
    "bevolkingsdichtheid_inwoners_per_km2",
];

/// The figures of every area of the sample's wijk- en buurtkaart by CBS code, as the `areas`
/// collection should give them: null for NULL, for CBS's negative sentinels and for a share above
/// 100.
pub(crate) fn sample_area_figures() -> BTreeMap<String, serde_json::Map<String, Value>> {
    let gpkg = tests::sample_db().with_file_name("wijkenbuurten.gpkg");
    let mut want = BTreeMap::new();
    for (layer, code) in [
        ("gemeenten", "gemeentecode"),
        ("wijken", "wijkcode"),
        ("buurten", "buurtcode"),
    ] {
        let rows = tests::sqlite(
            &gpkg,
            &format!("SELECT {code}, {} FROM {layer}", AREA_FIGURES.join(", ")),
        );
        for line in rows.lines() {
            let f: Vec<&str> = line.split('|').collect();
            let figures = AREA_FIGURES
                .iter()
                .zip(&f[1..])
                .map(|(name, text)| {
                    let max = if name.starts_with("percentage") {
                        100
                    } else {
                        i64::MAX
                    };
                    let v = text
                        .parse::<i64>()
                        .ok()
                        .filter(|v| (0..=max).contains(v))
                        .map_or(Value::Null, Value::from);
                    ((*name).to_owned(), v)
                })
                .collect();
            want.insert(f[0].to_owned(), figures);
        }
    }
    want
}

/// Every area of the sample is served with its CBS code, its names and the wijk- en buurtkaart's
/// figures under their CBS names (nullable integers, as the file says).
#[test]
fn areas_are_served_with_cbs_codes() {
    let s = sample_server();
    let fc = get(s.addr, "/ogc/collections/areas/items?limit=1000").json();
    let kinds: std::collections::BTreeSet<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains("buurt") && kinds.contains("wijk") && kinds.contains("gemeente"),
        "{kinds:?}"
    );
    let buurt = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["kind"] == "buurt")
        .unwrap();
    let code = buurt["id"].as_str().unwrap();
    let one = get(s.addr, &format!("/ogc/collections/areas/items/{code}")).json();
    assert_eq!(one["properties"]["code"], code);
    assert_eq!(one["properties"], buurt["properties"]);

    let want = sample_area_figures();
    let features = fc["features"].as_array().unwrap();
    assert_eq!(fc["numberMatched"].as_u64(), Some(features.len() as u64));
    assert_eq!(features.len(), want.len(), "every area of the file");
    let mut both = 0;
    for f in features {
        let p = f["properties"].as_object().unwrap();
        let mut names: Vec<&str> = p.keys().map(String::as_str).collect();
        names.sort_unstable();
        let mut expected = vec![
            "code",
            "kind",
            "naam",
            "wijkcode",
            "gemeentecode",
            "gemeentenaam",
            "label_point",
        ];
        expected.extend(AREA_FIGURES);
        expected.sort_unstable();
        assert_eq!(names, expected, "{f}");
        let code = p["code"].as_str().unwrap();
        for (name, v) in &want[code] {
            assert_eq!(&p[name], v, "{code} {name}");
        }
        if p["percentage_personen_65_jaar_en_ouder"].is_u64()
            && p["bevolkingsdichtheid_inwoners_per_km2"].is_u64()
        {
            both += 1;
        }
    }
    assert!(both > 0, "the sample writes both new figures");
}

#[test]
fn bad_requests_are_4xx_that_name_the_problem() {
    let s = sample_server();
    for (path, status, needle) in [
        ("/ogc/collections/trees/items", 404, "trees"),
        ("/ogc/collections/buildings/items?limit=abc", 400, "limit"),
        ("/ogc/collections/buildings/items?limit=0", 400, "limit"),
        ("/ogc/collections/buildings/items?bbox=1,2,3", 400, "bbox"),
        (
            "/ogc/collections/buildings/items?bbox=6,53,5,52",
            400,
            "bbox",
        ),
        (
            "/ogc/collections/buildings/items?bbox=nan,1,2,3",
            400,
            "bbox",
        ),
        ("/ogc/collections/buildings/items?sort=x", 400, "sort"),
        ("/ogc/collections/buildings/items/123", 404, "123"),
        (
            "/ogc/collections/buildings/items/9999999999999999",
            404,
            "9999999999999999",
        ),
        ("/ogc/collections/areas/items/BU00000000", 404, "BU00000000"),
        ("/api/search", 400, "q"),
        ("/api/search?q=x&limit=1000", 400, "limit"),
        ("/nope", 404, "nope"),
    ] {
        let r = get(s.addr, path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        let body = r.json();
        assert!(
            body["description"].as_str().unwrap().contains(needle),
            "{path}: {body}"
        );
        assert!(body["code"].is_string());
    }
    assert!(
        s.warnings().iter().all(|w| !w.contains("ERROR")),
        "{:?}",
        s.warnings()
    );
}

/// Places are found by name (issue 11 item 7): a buurt's name gives the buurt first, with its
/// extent, then addresses; the answer still validates as an address search does.
#[test]
fn a_buurt_is_found_by_its_name_with_its_extent() {
    let s = sample_server();
    let areas = get(s.addr, "/api/areas").json();
    let buurt = areas
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "buurt")
        .expect("a buurt in the sample");
    let name = buurt["name"].as_str().unwrap();
    let q: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let r = get(s.addr, &format!("/api/search?q={q}&limit=5"));
    assert_eq!(r.status, 200);
    let v = r.json();
    let first = &v["results"][0];
    assert_eq!(first["kind"], "buurt", "{v}");
    assert_eq!(first["identificatie"], buurt["code"], "{v}");
    assert_eq!(first["label"], name);
    assert!(first["pand_identificatie"].is_null());
    let bbox: Vec<f64> = first["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let (lon, lat) = (
        first["lon"].as_f64().unwrap(),
        first["lat"].as_f64().unwrap(),
    );
    assert!(
        bbox[0] < bbox[2] && bbox[1] < bbox[3],
        "west < east and south < north: {bbox:?}"
    );
    assert!(
        (bbox[0]..=bbox[2]).contains(&lon) && (bbox[1]..=bbox[3]).contains(&lat),
        "the label point lies in the extent: {first}"
    );
    // A typo in a longer name still finds the place, and an address on a street with a typo.
    let long = areas
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["name"].as_str())
        .flat_map(str::split_whitespace)
        .find(|w| w.len() >= 7 && w.is_ascii() && w.chars().all(char::is_alphabetic))
        .expect("a name with a word of 7 letters");
    let typo: String = long
        .chars()
        .take(long.len() - 2)
        .chain(long.chars().skip(long.len() - 1))
        .collect();
    let v = get(s.addr, &format!("/api/search?q={typo}&limit=5")).json();
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["label"].as_str().unwrap().contains(long)),
        "{typo} finds {long}: {v}"
    );
    let street =
        get(s.addr, "/ogc/collections/addresses/items?limit=1").json()["features"][0]["properties"]
            ["openbare_ruimte_naam"]
            .as_str()
            .unwrap()
            .to_owned();
    if street.len() >= 7 && street.is_ascii() && !street.contains(' ') {
        let typo: String = street
            .chars()
            .take(street.len() - 2)
            .chain(street.chars().skip(street.len() - 1))
            .collect();
        let v = get(s.addr, &format!("/api/search?q={typo}&limit=3")).json();
        assert!(
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["label"].as_str().unwrap().starts_with(&street)),
            "{typo} finds {street}: {v}"
        );
    }
    // Addresses keep coming, marked as such, after the places.
    let v = get(s.addr, "/api/search?q=1&limit=3").json();
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{v}");
    assert!(
        results
            .iter()
            .all(|r| r["kind"] == "address" && r["bbox"].is_null()),
        "{v}"
    );
}

/// A street and a postcode are results of their own, with how many addresses they hold and their
/// extent; a typo in a street's name still finds it.
#[test]
fn a_street_and_a_postcode_are_found_with_their_addresses_and_extent() {
    let s = sample_server();
    // An address of the sample names a street and a postcode.
    let hit = get(s.addr, "/api/search?q=1&limit=1").json()["results"][0].clone();
    let label = hit["label"].as_str().expect("an address").to_owned();
    // `Street 1, 1234AB Place`
    let (street_part, rest) = label.split_once(", ").unwrap();
    let street: String = street_part
        .split_whitespace()
        .take_while(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join(" ");
    let postcode = &rest[..6];
    let enc = |q: &str| q.replace(' ', "%20").replace('\'', "%27");
    let v = get(s.addr, &format!("/api/search?q={}&limit=10", enc(&street))).json();
    let results = v["results"].as_array().unwrap();
    let found = results
        .iter()
        .find(|r| r["kind"] == "street")
        .unwrap_or_else(|| panic!("no street for {street}: {v}"));
    assert!(
        found["label"].as_str().unwrap().starts_with(&street),
        "{found}"
    );
    assert!(found["addresses"].as_u64().unwrap() >= 1, "{found}");
    assert!(found["pand_identificatie"].is_null());
    let bbox: Vec<f64> = found["bbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(bbox[0] <= bbox[2] && bbox[1] <= bbox[3], "{bbox:?}");
    // Streets come before the addresses on them.
    let first_address = results.iter().position(|r| r["kind"] == "address");
    let street_at = results.iter().position(|r| r["kind"] == "street");
    assert!(first_address.is_none_or(|a| street_at < Some(a)), "{v}");
    // A typo in a long street name (one letter left out).
    if street.len() >= 8 && street.is_ascii() {
        let typo: String = street
            .chars()
            .take(street.len() - 3)
            .chain(street.chars().skip(street.len() - 2))
            .collect();
        let v = get(s.addr, &format!("/api/search?q={}&limit=10", enc(&typo))).json();
        assert!(
            v["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["kind"] == "street" && r["label"].as_str().unwrap().starts_with(&street)),
            "{typo}: {v}"
        );
    }
    // The postcode, written with a space.
    let spaced = format!("{}%20{}", &postcode[..4], &postcode[4..]);
    let v = get(s.addr, &format!("/api/search?q={spaced}&limit=10")).json();
    let pc = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "postcode")
        .unwrap_or_else(|| panic!("no postcode {postcode}: {v}"));
    assert_eq!(pc["identificatie"], postcode, "{pc}");
    assert!(
        pc["label"].as_str().unwrap().starts_with(&format!(
            "{} {}",
            &postcode[..4],
            &postcode[4..]
        )),
        "{pc}"
    );
    assert!(pc["addresses"].as_u64().unwrap() >= 1, "{pc}");
    // With a house number, addresses only.
    let v = get(
        s.addr,
        &format!("/api/search?q={}%201&limit=10", enc(&street)),
    )
    .json();
    assert!(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] != "street"),
        "{v}"
    );
}
