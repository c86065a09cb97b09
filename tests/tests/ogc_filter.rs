//! OGC API Features Part 3 against the real binary: `filter=` in CQL2 text on the register
//! collections, checked against counts computed here from the unfiltered items; refused filters
//! name their field; paging links repeat the filter; the queryables; and the `work` collection,
//! which only those who may see work items get, without opted-out households.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tests::{Client, Sandbox, get, sample_server};

use crate::reports::{BUURT, PASSWORD, WIJK, device, report_ok, sign_in_password, single_homes};

/// `s` as a query-string value.
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every feature of `first` (a path), following `next` links; asserts each page's
/// `numberMatched` is the same and every `next` link repeats `must_repeat`.
fn all_pages(
    fetch: &mut dyn FnMut(&str) -> tests::Response,
    addr: &str,
    first: &str,
    must_repeat: &str,
) -> (Vec<Value>, u64) {
    let mut url = first.to_owned();
    let mut out = Vec::new();
    let mut matched = None;
    loop {
        let r = fetch(&url);
        assert_eq!(r.status, 200, "{url}: {}", r.text());
        let fc = r.json();
        let m = fc["numberMatched"].as_u64().unwrap();
        assert_eq!(
            *matched.get_or_insert(m),
            m,
            "numberMatched changes between pages"
        );
        out.extend(fc["features"].as_array().unwrap().iter().cloned());
        let next = fc["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
            .map(|l| l["href"].as_str().unwrap().to_owned());
        match next {
            Some(href) => {
                assert!(
                    href.contains(must_repeat),
                    "next link {href} lost the filter"
                );
                href.split_once(addr).unwrap().1.clone_into(&mut url);
            }
            None => break,
        }
    }
    (out, matched.unwrap_or(0))
}

fn ids(features: &[Value]) -> BTreeSet<String> {
    features
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect()
}

fn has_usage(p: &Value, usage: &str) -> bool {
    p["gebruiksdoel"]
        .as_str()
        .is_some_and(|g| g.split(',').any(|u| u == usage))
}

#[test]
fn a_filter_on_buildings_and_addresses_matches_what_the_unfiltered_items_say() {
    let s = sample_server();
    let addr = s.addr.to_string();
    let mut fetch = |p: &str| get(s.addr, p);

    // Independently: every building, then the old homes among them by their properties.
    let (all, total) = all_pages(
        &mut fetch,
        &addr,
        "/ogc/collections/buildings/items?limit=1000",
        "limit=",
    );
    assert_eq!(all.len() as u64, total);
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|f| {
            let p = &f["properties"];
            let year = p["bouwjaar"].as_u64().unwrap();
            // 9999 is BAG's "unknown": a missing value, and a comparison with it is not true.
            year != 9999 && year < 1975 && has_usage(p, "woonfunctie")
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !expected.is_empty() && (expected.len() as u64) < total,
        "the sample has old homes and others: {} of {total}",
        expected.len()
    );
    let filter = enc("bouwjaar < 1975 AND woonfunctie");
    let (got, matched) = all_pages(
        &mut fetch,
        &addr,
        &format!("/ogc/collections/buildings/items?limit=50&filter={filter}&filter-lang=cql2-text"),
        &format!("filter={filter}"),
    );
    assert_eq!(matched, expected.len() as u64);
    assert_eq!(ids(&got), expected);
    assert_eq!(got.len(), expected.len(), "no feature twice");

    // NOT over a missing value is not true either (three-valued logic).
    let unknown = all
        .iter()
        .filter(|f| f["properties"]["bouwjaar"] == 9999)
        .count() as u64;
    let r = get(
        s.addr,
        &format!(
            "/ogc/collections/buildings/items?limit=1&filter={}",
            enc("NOT (bouwjaar < 1975)")
        ),
    );
    let older = all
        .iter()
        .filter(|f| f["properties"]["bouwjaar"].as_u64().unwrap() < 1975)
        .count() as u64;
    assert_eq!(
        r.json()["numberMatched"].as_u64().unwrap(),
        total - older - unknown
    );

    // With a bbox: the filter runs over the features in the box only.
    let col = get(s.addr, "/ogc/collections/buildings").json();
    let b: Vec<f64> = col["extent"]["spatial"]["bbox"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let bbox = format!(
        "{},{},{},{}",
        b[0],
        b[1],
        f64::midpoint(b[0], b[2]),
        f64::midpoint(b[1], b[3])
    );
    let (in_box, _) = all_pages(
        &mut fetch,
        &addr,
        &format!("/ogc/collections/buildings/items?limit=1000&bbox={bbox}"),
        "bbox=",
    );
    let (both, _) = all_pages(
        &mut fetch,
        &addr,
        &format!("/ogc/collections/buildings/items?limit=100&bbox={bbox}&filter={filter}"),
        "bbox=",
    );
    let in_box = ids(&in_box);
    let both = ids(&both);
    assert!(!both.is_empty() && both.len() < in_box.len());
    assert_eq!(both, in_box.intersection(&expected).cloned().collect());

    // Addresses: energy labels E–G among homes, as the unfiltered addresses say.
    let (addresses, _) = all_pages(
        &mut fetch,
        &addr,
        "/ogc/collections/addresses/items?limit=1000",
        "limit=",
    );
    let expected: BTreeSet<String> = addresses
        .iter()
        .filter(|f| {
            let p = &f["properties"];
            has_usage(p, "woonfunctie")
                && p["energieklasse"]
                    .as_str()
                    .is_some_and(|c| ["E", "F", "G"].contains(&c))
        })
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty(), "the sample has homes labelled E–G");
    let (got, _) = all_pages(
        &mut fetch,
        &addr,
        &format!(
            "/ogc/collections/addresses/items?limit=1000&filter={}",
            enc("woonfunctie AND energieklasse IN ('E', 'F', 'G')")
        ),
        "filter=",
    );
    assert_eq!(ids(&got), expected);
}

#[test]
fn a_bad_filter_is_400_naming_the_field_and_the_reason() {
    let s = sample_server();
    let bad = |path: &str| {
        let r = get(s.addr, path);
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        r.json()
    };
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc("bouwjar < 1975")
    ));
    assert_eq!(b["code"], "InvalidParameterValue");
    assert_eq!(b["parameter"], "filter");
    assert_eq!(b["field"], "bouwjar", "{b}");
    assert!(
        b["description"].as_str().unwrap().contains("bouwjaar"),
        "did you mean: {b}"
    );
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc("bouwjaar = 'oud'")
    ));
    assert_eq!(b["field"], "bouwjaar", "{b}");
    // Observation fields are household data: not filterable on the open registers.
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc("solar_panels.status_class = 'none'")
    ));
    assert_eq!(b["field"], "solar_panels.status_class", "{b}");
    // An address field on buildings.
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc("postcode = '1999AA'")
    ));
    assert_eq!(b["field"], "postcode", "{b}");
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc("bouwjaar <")
    ));
    assert!(b["description"].as_str().unwrap().contains("CQL2"), "{b}");
    let b = bad("/ogc/collections/buildings/items?filter=woonfunctie&filter-lang=cql2-json");
    assert!(
        b["description"].as_str().unwrap().contains("filter-lang"),
        "{b}"
    );
    let b = bad("/ogc/collections/areas/items?filter=woonfunctie");
    assert!(b["description"].as_str().unwrap().contains("filter"), "{b}");
    let long = format!("bouwjaar > 0{}", " OR bouwjaar > 0".repeat(300));
    let b = bad(&format!(
        "/ogc/collections/buildings/items?filter={}",
        enc(&long)
    ));
    assert!(b["description"].as_str().unwrap().contains("4096"), "{b}");
}

#[test]
fn queryables_are_a_json_schema_linked_from_the_collection() {
    let s = sample_server();
    let conf = get(s.addr, "/ogc/conformance").json();
    for class in [
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    ] {
        assert!(
            conf["conformsTo"]
                .as_array()
                .unwrap()
                .contains(&json!(class)),
            "{class}"
        );
    }
    let col = get(s.addr, "/ogc/collections/buildings").json();
    let link = col["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables")
        .expect("a queryables link")
        .clone();
    let href = link["href"].as_str().unwrap();
    let r = get(s.addr, href.split_once(&s.addr.to_string()).unwrap().1);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/schema+json"));
    let q = r.json();
    assert_eq!(q["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(q["type"], "object");
    let p = &q["properties"];
    assert_eq!(p["bouwjaar"]["type"], "number");
    assert_eq!(p["woonfunctie"]["type"], "boolean");
    assert_eq!(p["buurtcode"]["type"], "string");
    assert!(
        p["pand_status"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("Pand in gebruik"))
    );
    assert!(
        p["bouwjaar"]["description"]
            .as_str()
            .unwrap()
            .contains("BAG")
    );
    assert!(p.get("postcode").is_none() && p.get("solar_panels.status_class").is_none());
    let a = get(s.addr, "/ogc/collections/addresses/queryables").json();
    assert!(
        a["properties"]["energieklasse"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("G"))
    );
    assert_eq!(a["properties"]["postcode"]["type"], "string");
    assert_eq!(get(s.addr, "/ogc/collections/areas/queryables").status, 404);
    // The work collection's queryables are as private as its items.
    assert_eq!(get(s.addr, "/ogc/collections/work/queryables").status, 401);
}

fn suitable_roof(building: &str) -> Value {
    json!({
        "type": "roof_suitability",
        "target": { "building": building },
        "answers": { "shape": "sloped", "orientation": "south", "shade": "none" }
    })
}

#[test]
fn the_work_collection_is_for_staff_in_scope_without_opted_out_homes() {
    let sb = Sandbox::new();
    sb.add_user("wo@ogc.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user("gm@ogc.test", "gemeente", "all", Some(PASSWORD));
    let singles = single_homes(&sb, BUURT);
    let (kept, out) = (&singles[5], &singles[6]);
    store::SqliteStore::open(&sb.db)
        .unwrap()
        .set_opt_out(
            out.address.parse().unwrap(),
            "canvassing",
            crate::reports::now(),
        )
        .unwrap();
    let s = sb.serve(&[]);
    for h in [kept, out] {
        report_ok(&mut device(&s), &suitable_roof(&h.building));
    }
    let addr = s.addr.to_string();

    // Nobody without the right sees it, or a count of it.
    let anon = Client::new(s.addr).get("/ogc/collections").json();
    assert!(!anon.to_string().contains("\"work\""), "{anon}");
    assert_eq!(
        Client::new(s.addr)
            .get("/ogc/collections/work/items")
            .status,
        401
    );
    assert_eq!(device(&s).get("/ogc/collections/work/items").status, 403);
    let mut gm = sign_in_password(&s, "gm@ogc.test");
    assert_eq!(gm.get("/ogc/collections/work/items").status, 403);
    assert_eq!(
        gm.get(&format!(
            "/ogc/collections/work/items?filter={}",
            enc("kind = 'solar'")
        ))
        .status,
        403
    );

    let mut wo = sign_in_password(&s, "wo@ogc.test");
    let cols = wo.get("/ogc/collections").json();
    assert!(
        cols["collections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "work")
    );
    // The same items as the work API lists for them.
    let api = wo.get("/api/work/items?limit=1000").json();
    let api_total = api["total"].as_u64().unwrap();
    let (all, matched) = all_pages(
        &mut |p: &str| wo.get(p),
        &addr,
        "/ogc/collections/work/items?limit=1000",
        "limit=",
    );
    assert_eq!(matched, api_total);
    assert_eq!(all.len() as u64, api_total);
    let solar_of = |h: &crate::reports::Home| format!("solar:pand:{}", h.building);
    assert!(
        ids(&all).contains(&solar_of(kept)),
        "the reported roof has work"
    );
    assert!(
        !ids(&all).contains(&solar_of(out)),
        "the opted-out home is left out"
    );
    assert!(
        !wo.get("/ogc/collections/work/items?limit=1000")
            .text()
            .contains(&out.building)
    );
    assert_eq!(
        wo.get(&format!("/ogc/collections/work/items/{}", solar_of(out)))
            .status,
        404
    );
    let one = wo.get(&format!("/ogc/collections/work/items/{}", solar_of(kept)));
    assert_eq!(one.status, 200, "{}", one.text());
    assert_eq!(one.header("cache-control"), Some("private, no-store"));
    let f = one.json();
    assert_eq!(f["geometry"]["type"], "Point");
    let p = &f["properties"];
    assert_eq!(
        (p["kind"].as_str(), p["status"].as_str()),
        (Some("solar"), Some("open"))
    );
    assert_eq!(p["kind_title"], "Zonnepanelen op een geschikt dak");
    assert_eq!(p["target"], format!("pand/{}", kept.building));
    assert_eq!(p["buurtcode"], BUURT);
    let address = p["address"].as_str().unwrap();
    assert!(
        address.chars().any(char::is_alphabetic) && !address.contains(&kept.building),
        "{address}"
    );

    // Filters: kind and status, and the target's register fields, counted over visible items.
    let by_kind = |kind: &str| {
        all.iter()
            .filter(|f| f["properties"]["kind"] == kind)
            .count() as u64
    };
    let (solar, n) = all_pages(
        &mut |p: &str| wo.get(p),
        &addr,
        &format!(
            "/ogc/collections/work/items?limit=7&filter={}",
            enc("kind = 'solar'")
        ),
        "filter=",
    );
    assert_eq!(
        (n, solar.len() as u64),
        (by_kind("solar"), by_kind("solar"))
    );
    assert!(n > 7, "more than a page: {n}");
    assert!(!ids(&solar).contains(&solar_of(out)));
    // With a bbox around the reported home: its item, and only items inside the box.
    let (lo, la, d) = (kept.lon, kept.lat, 0.002);
    let boxed = wo
        .get(&format!(
            "/ogc/collections/work/items?limit=1000&bbox={},{},{},{}&filter={}",
            lo - d,
            la - d,
            lo + d,
            la + d,
            enc("kind = 'solar'")
        ))
        .json();
    let boxed_ids = ids(boxed["features"].as_array().unwrap());
    assert!(boxed_ids.contains(&solar_of(kept)), "{boxed}");
    assert!(
        (boxed_ids.len() as u64) < n,
        "the box holds fewer than all: {boxed}"
    );
    for f in boxed["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let (x, y) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (x - lo).abs() <= d + 1e-6 && (y - la).abs() <= d + 1e-6,
            "{f}"
        );
        assert_eq!(f["properties"]["kind"], "solar");
    }
    let r = wo.get(&format!(
        "/ogc/collections/work/items?filter={}",
        enc("status = 'planned'")
    ));
    assert_eq!(r.json()["numberMatched"], 0);
    let path = format!("/api/work/items/solar/pand/{}", kept.building);
    assert_eq!(
        wo.post_json(&format!("{path}/status"), &json!({ "status": "planned" }))
            .status,
        200
    );
    let r = wo
        .get(&format!(
            "/ogc/collections/work/items?filter={}",
            enc("status = 'planned'")
        ))
        .json();
    assert_eq!(r["numberMatched"], 1);
    assert_eq!(r["features"][0]["id"], solar_of(kept));
    // A filter on the opted-out home's own building finds nothing, not even a count.
    let r = wo
        .get(&format!(
            "/ogc/collections/work/items?filter={}",
            enc(&format!(
                "kind = 'solar' AND buurtcode = '{BUURT}' AND aantal_verblijfsobjecten = 1"
            ))
        ))
        .json();
    assert!(!r.to_string().contains(&out.building));
    // Register fields of the target: gas_free items (homes) before 1975, checked per item
    // against the buildings collection.
    let (gas, _) = all_pages(
        &mut |p: &str| wo.get(p),
        &addr,
        &format!(
            "/ogc/collections/work/items?limit=1000&filter={}",
            enc("kind = 'gas_free' AND bouwjaar < 1975")
        ),
        "filter=",
    );
    for f in gas.iter().take(20) {
        let target = f["properties"]["target"].as_str().unwrap();
        let vo = target.strip_prefix("verblijfsobject/").unwrap();
        let a = wo
            .get(&format!("/ogc/collections/addresses/items/{vo}"))
            .json();
        let pand = a["properties"]["pand_identificatie"]
            .as_str()
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .to_owned();
        let b = wo
            .get(&format!("/ogc/collections/buildings/items/{pand}"))
            .json();
        assert!(
            b["properties"]["bouwjaar"].as_u64().unwrap() < 1975,
            "{target}"
        );
    }
    let b = wo.get(&format!(
        "/ogc/collections/work/items?filter={}",
        enc("kind = 'zonnepanelen'")
    ));
    assert_eq!(b.status, 400, "{}", b.text());
    assert_eq!(b.json()["field"], "kind");
    // What observations say about the target: staff who see the items see those too. The only
    // roofs residents found suitable are the two reported above, one of them opted out.
    let r = wo
        .get(&format!(
            "/ogc/collections/work/items?filter={}",
            enc("kind = 'solar' AND roof_suitability.status_class = 'suitable'")
        ))
        .json();
    assert_eq!(r["numberMatched"], 1, "{r}");
    assert_eq!(r["features"][0]["id"], solar_of(kept));
    let q = wo.get("/ogc/collections/work/queryables").json();
    assert!(
        q["properties"]["kind"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("solar"))
    );
    assert!(
        q["properties"]["status"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("planned"))
    );
    assert_eq!(q["properties"]["bouwjaar"]["type"], "number");
    assert!(
        q["properties"]["roof_suitability.status_class"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("suitable")),
        "{q}"
    );
}
