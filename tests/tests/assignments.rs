//! Assignments from system partners (issue 12 §3), against the real binary: a partner offers,
//! the wijkondernemer proposes changes, the partner revises, the wijkondernemer accepts and the
//! work items become planned; deliveries with evidence; the partner accepts and rejects units;
//! the statement as JSON, CSV and PDF; the wijkbedrijf's income. A partner never sees an address
//! or another organisation's assignment, and its criteria read open data only.

use serde_json::{Value, json};
use tests::Sandbox;

use crate::reports::{BUURT, GEMEENTE, PASSWORD, WIJK, sign_in_password};

const COOP: &str = "Energiecoöperatie Wijkdorp";

/// Terms of a solar assignment in WK01, for `units` roofs.
pub(crate) fn terms(units: i64) -> Value {
    json!({
        "title": "Zonnepanelen op 25 daken",
        "kind": "solar",
        "area": WIJK,
        "criteria": "bouwjaar < 2010",
        "units": units,
        "fee_per_unit": 125.5,
        "budget": 3000,
        "deadline": "2027-06-30",
        "delivered_when": "Een dak waar panelen op liggen"
    })
}

fn ok(r: &tests::Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    r.json()
}

#[test]
fn a_partner_offers_the_wijkbedrijf_accepts_delivers_and_the_statement_pays() {
    let sb = Sandbox::new();
    sb.add_partner("coop@partner.test", GEMEENTE, COOP, PASSWORD);
    sb.add_partner(
        "corp@partner.test",
        GEMEENTE,
        "Woonstichting Wijkdorp",
        PASSWORD,
    );
    sb.add_user("wo@work.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo2@work.test",
        "wijkondernemer",
        "WK199902",
        Some(PASSWORD),
    );
    sb.add_user("cb@work.test", "communitybuilder", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut coop = sign_in_password(&s, "coop@partner.test");
    let mut corp = sign_in_password(&s, "corp@partner.test");
    let mut wo = sign_in_password(&s, "wo@work.test");
    let mut wo2 = sign_in_password(&s, "wo2@work.test");
    let mut cb = sign_in_password(&s, "cb@work.test");

    // While editing: the partner sees the open-data count of its selection and the work of the
    // kind in the area only as the k-anonymous total; the wijkondernemer sees the items.
    let preview = json!({ "kind": "solar", "area": WIJK, "criteria": "bouwjaar < 2010" });
    let p = ok(&coop.post_json("/api/assignments/preview", &preview), 200);
    assert_eq!(p["exact"], false, "{p}");
    assert!(p["targets"].as_u64().unwrap() > 0, "{p}");
    assert!(
        p.get("items").is_none() && p.get("opted_out").is_none(),
        "{p}"
    );
    let exact = ok(&wo.post_json("/api/assignments/preview", &preview), 200);
    assert_eq!(exact["exact"], true, "{exact}");
    let open = exact["open"].as_u64().unwrap();
    assert!(open >= 4, "{exact}");
    assert_eq!(exact["targets"], p["targets"]);
    // Criteria that read what residents reported are refused; so are a selection of nothing,
    // an unknown field (named), and a bad amount.
    let mut bad = preview.clone();
    bad["criteria"] = json!("solar_panels.status_class = 'no_panels'");
    let r = coop.post_json("/api/assignments/preview", &bad);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("solar_panels.status_class"),
        "{}",
        r.text()
    );
    let mut nothing = terms(4);
    nothing["criteria"] = json!("bouwjaar < 1000");
    let r = coop.post_json("/api/assignments", &nothing);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("no buildings"), "{}", r.text());
    let mut unknown = terms(4);
    unknown["criteria"] = json!("bouwjar < 1975");
    let r = coop.post_json("/api/assignments", &unknown);
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("bouwjar"), "{}", r.text());
    let mut cents = terms(4);
    cents["fee_per_unit"] = json!(1.005);
    assert_eq!(coop.post_json("/api/assignments", &cents).status, 400);
    // The wijkondernemer does not offer (no organisation); a partner offers only in its scope.
    assert_eq!(wo.post_json("/api/assignments", &terms(4)).status, 403);
    let mut far = terms(4);
    far["area"] = json!("GM1998");
    assert!([403, 422].contains(&coop.post_json("/api/assignments", &far).status));

    // Offer, changes proposed, revision, acceptance.
    let a = ok(&coop.post_json("/api/assignments", &terms(4)), 201);
    let id = a["id"].as_i64().unwrap();
    assert_eq!(a["status"], "offered");
    assert_eq!(a["organisation"], COOP);
    let path = format!("/api/assignments/{id}");
    // Another partner and a wijkondernemer elsewhere are told it does not exist.
    assert_eq!(corp.get(&path).status, 404);
    assert_eq!(wo2.get(&path).status, 404);
    assert!(
        ok(&corp.get("/api/assignments"), 200)["assignments"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Only the wijkbedrijf answers; a change needs a note.
    assert_eq!(
        coop.post_json(&format!("{path}/answer"), &json!({ "answer": "accept" }))
            .status,
        403
    );
    assert_eq!(
        wo.post_json(
            &format!("{path}/answer"),
            &json!({ "answer": "propose_changes" })
        )
        .status,
        400
    );
    let changed = ok(
        &wo.post_json(
            &format!("{path}/answer"),
            &json!({ "answer": "propose_changes", "note": "Graag € 140 per dak" }),
        ),
        200,
    );
    assert_eq!(changed["status"], "changes_proposed");
    let mut revised = terms(4);
    revised["fee_per_unit"] = json!(140);
    revised["note"] = json!("Akkoord met € 140");
    let r = ok(&coop.put(&path, Some(&revised)), 200);
    assert_eq!(r["status"], "offered");
    assert_eq!(r["fee_per_unit"], 140.0);
    let accepted = ok(
        &wo.post_json(&format!("{path}/answer"), &json!({ "answer": "accept" })),
        200,
    );
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["planned"], 4);
    // A second answer is a conflict; so is a withdrawal now.
    assert_eq!(
        wo.post_json(&format!("{path}/answer"), &json!({ "answer": "decline" }))
            .status,
        409
    );
    assert_eq!(
        coop.post_json(&format!("{path}/withdraw"), &json!({}))
            .status,
        409
    );

    // The wijkbedrijf sees the planned items by address, and they are planned on the Werk list.
    let detail = ok(&wo.get(&path), 200);
    let items = detail["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 4);
    for it in &items {
        assert_eq!(it["status"], "planned", "{it}");
        assert!(it["about"]["address"].as_str().is_some(), "{it}");
    }
    let events: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        ["offered", "changes_proposed", "revised", "accepted"]
    );
    let target = |i: usize| items[i]["target"].as_str().unwrap().to_owned();
    let planned = ok(
        &wo.get(&format!(
            "/api/work/items?kind=solar&status=planned&area={WIJK}&limit=100"
        )),
        200,
    );
    assert_eq!(planned["total"], 4, "{planned}");

    // Deliveries: by the communitybuilder and the wijkondernemer; a work item outside the
    // assignment is 422, a second delivery of one item 409; evidence must fit.
    let deliveries = format!("{path}/deliveries");
    for i in 0..3 {
        let who = if i == 0 { &mut cb } else { &mut wo };
        let d = ok(
            &who.post_json(
                &deliveries,
                &json!({ "target": target(i), "evidence": "visit", "note": "Panelen liggen erop" }),
            ),
            201,
        );
        assert_eq!(d["status"], "delivered");
    }
    let r = wo.post_json(
        &deliveries,
        &json!({ "target": target(0), "evidence": "visit" }),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    let r = wo.post_json(
        &deliveries,
        &json!({ "target": "pand/1999100000000001", "evidence": "visit" }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let r = wo.post_json(
        &deliveries,
        &json!({ "target": target(3), "evidence": "report" }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        coop.post_json(
            &deliveries,
            &json!({ "target": target(3), "evidence": "visit" })
        )
        .status,
        403
    );
    let done = ok(
        &wo.get(&format!("/api/work/items/solar/{}", target(0))),
        200,
    );
    assert_eq!(done["status"], "done");

    // The partner sees the deliveries per buurt, never an address or a target.
    let theirs = coop.get(&path);
    let v = ok(&theirs, 200);
    assert!(v["items"].is_null(), "{v}");
    let text = theirs.text();
    for (i, it) in items.iter().enumerate() {
        let t = target(i);
        let digits = t.split('/').nth(1).unwrap();
        assert!(!text.contains(digits), "the partner sees no target: {text}");
        let address = it["about"]["address"].as_str().unwrap();
        assert!(
            !text.contains(address),
            "the partner sees no address: {text}"
        );
    }
    let ds = v["deliveries"].as_array().unwrap();
    assert_eq!(ds.len(), 3);
    assert!(ds.iter().all(|d| d["buurt_name"].as_str().is_some()));
    // It accepts two and rejects one; a decision is made once.
    let ids: Vec<i64> = ds.iter().map(|d| d["id"].as_i64().unwrap()).collect();
    for (d, decision) in [(ids[0], "accept"), (ids[1], "accept"), (ids[2], "reject")] {
        let r = ok(
            &coop.post_json(
                &format!("{deliveries}/{d}/decision"),
                &json!({ "decision": decision }),
            ),
            200,
        );
        assert!(r.get("target").is_none(), "{r}");
    }
    assert_eq!(
        coop.post_json(
            &format!("{deliveries}/{}/decision", ids[0]),
            &json!({ "decision": "reject" })
        )
        .status,
        409
    );
    assert_eq!(
        wo.post_json(
            &format!("{deliveries}/{}/decision", ids[0]),
            &json!({ "decision": "accept" })
        )
        .status,
        403
    );

    // The statement: 2 accepted × € 140 = € 280, per buurt, as JSON, CSV and PDF.
    let st = ok(&coop.get(&format!("{path}/statement")), 200);
    assert_eq!(st["total"]["accepted"], 2, "{st}");
    assert_eq!(st["total"]["rejected"], 1, "{st}");
    assert_eq!(st["total"]["planned"], 4, "{st}");
    assert_eq!(st["total"]["earned"], 280.0, "{st}");
    let per_buurt: u64 = st["per_buurt"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["accepted"].as_u64().unwrap())
        .sum();
    assert_eq!(per_buurt, 2);
    let csv = coop.get(&format!("{path}/statement?format=csv"));
    assert_eq!(csv.status, 200);
    let body = csv.text();
    assert!(body.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(body.contains("totaal,4,3,2,1,280.00"), "{body}");
    let pdf = coop.get(&format!("{path}/statement?format=pdf"));
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert_eq!(
        coop.get(&format!("{path}/statement?format=xls")).status,
        400
    );
    assert_eq!(cb.get(&format!("{path}/statement")).status, 403);

    // The wijkbedrijf's income; a partner does not see it.
    let income = ok(&wo.get("/api/assignments/income"), 200);
    assert_eq!(income["earned"], 280.0, "{income}");
    assert_eq!(income["per_organisation"][0]["organisation"], COOP);
    assert_eq!(coop.get("/api/assignments/income").status, 403);

    // A withdrawn offer: only its partner withdraws it.
    let b = ok(&coop.post_json("/api/assignments", &terms(2)), 201);
    let bpath = format!("/api/assignments/{}", b["id"]);
    assert_eq!(
        wo.post_json(&format!("{bpath}/withdraw"), &json!({}))
            .status,
        403
    );
    let w = ok(
        &coop.post_json(&format!("{bpath}/withdraw"), &json!({})),
        200,
    );
    assert_eq!(w["status"], "withdrawn");

    // Everything above survives a restart.
    drop(s);
    let s = sb.serve(&[]);
    let mut coop = sign_in_password(&s, "coop@partner.test");
    let again = ok(&coop.get(&path), 200);
    assert_eq!(again["accepted"], 2);
    assert_eq!(again["status"], "accepted");
    let mut wo = sign_in_password(&s, "wo@work.test");
    let done = ok(
        &wo.get(&format!("/api/work/items/solar/{}", target(1))),
        200,
    );
    assert_eq!(done["status"], "done");
}

/// The squares (CBS 100 m, by their lower-left corner in hm) of `points`, counted.
fn squares_of(points: &[[f64; 2]]) -> std::collections::BTreeMap<(i64, i64), u32> {
    let mut out = std::collections::BTreeMap::new();
    for p in points {
        let (x, y) = domain::rd::wgs84_to_rd(p[0], p[1]);
        *out.entry(((x / 100.0).floor() as i64, (y / 100.0).floor() as i64))
            .or_insert(0) += 1;
    }
    out
}

#[test]
fn the_offer_map_shows_a_partner_cells_of_k_households_and_the_wijkbedrijf_points() {
    let sb = Sandbox::new();
    sb.add_partner("coop@partner.test", GEMEENTE, COOP, PASSWORD);
    sb.add_user("wo@work.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut coop = sign_in_password(&s, "coop@partner.test");
    let mut wo = sign_in_password(&s, "wo@work.test");
    let preview = |c: &mut tests::Client, kind: &str, area: &str, criteria: &str| {
        let body = json!({ "kind": kind, "area": area, "criteria": criteria });
        let r = c.post_json("/api/assignments/preview", &body);
        (ok(&r, 200), r.text())
    };

    // Every address of the buurt, as the open registers give them.
    let page = ok(
        &coop.get(&format!(
            "/ogc/collections/addresses/items?filter=buurtcode%3D%27{BUURT}%27&limit=1000"
        )),
        200,
    );
    let features = page["features"].as_array().unwrap();
    assert!(
        !features.is_empty() && features.len() < 1000,
        "{}",
        features.len()
    );
    let points: Vec<[f64; 2]> = features
        .iter()
        .map(|f| {
            let c = &f["geometry"]["coordinates"];
            [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()]
        })
        .collect();

    // A partner's selection of every address in the buurt: CBS squares, only those with at
    // least k households (an address is one), each count rounded — exactly the squares one
    // computes from the registers — and nothing that points at a home.
    let (p, text) = preview(&mut coop, "gas_free", BUURT, "");
    assert_eq!(p["exact"], false, "{p}");
    assert_eq!(p["targets"].as_u64().unwrap() as usize, points.len(), "{p}");
    let map = &p["map"];
    assert_eq!(map["kind"], "cells", "{map}");
    assert_eq!(map["level"], "grid100", "{map}");
    assert!(map.get("points").is_none(), "{map}");
    let k = map["k"].as_u64().unwrap() as u32;
    let round_to = map["round_to"].as_u64().unwrap() as u32;
    assert!(k >= 2, "{map}");
    let round = |n: u32| ((n + round_to / 2) / round_to * round_to).max(round_to);
    let by_square = squares_of(&points);
    let expected: std::collections::BTreeMap<(i64, i64), u32> = by_square
        .iter()
        .filter(|(_, n)| **n >= k)
        .map(|(c, n)| (*c, round(*n)))
        .collect();
    assert!(
        !expected.is_empty() && expected.len() < by_square.len(),
        "the buurt has squares over and under k: {by_square:?}"
    );
    let mut got = std::collections::BTreeMap::new();
    for cell in map["cells"].as_array().unwrap() {
        let ring: Vec<[f64; 2]> = cell["outline"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| [c[0].as_f64().unwrap(), c[1].as_f64().unwrap()])
            .collect();
        assert_eq!(ring.len(), 5, "a closed square: {cell}");
        assert_eq!(cell["outline"][0], cell["outline"][4], "{cell}");
        // The square the outline's middle lies in is the cell.
        let mid = [
            ring[..4].iter().map(|c| c[0]).sum::<f64>() / 4.0,
            ring[..4].iter().map(|c| c[1]).sum::<f64>() / 4.0,
        ];
        let square = *squares_of(&[mid]).keys().next().unwrap();
        let (lo, hi) = (
            domain::rd::wgs84_to_rd(ring[0][0], ring[0][1]),
            domain::rd::wgs84_to_rd(ring[2][0], ring[2][1]),
        );
        assert!(
            ((hi.0 - lo.0) - 100.0).abs() < 1.0 && ((hi.1 - lo.1) - 100.0).abs() < 1.0,
            "100 m: {cell}"
        );
        let count = cell["count"].as_u64().unwrap() as u32;
        assert!(
            count >= round_to && count.is_multiple_of(round_to),
            "{cell}"
        );
        assert!(got.insert(square, count).is_none(), "one cell per square");
    }
    assert_eq!(got, expected, "released squares and counts");
    // No address, BAG id, postcode or street name anywhere in the answer.
    assert!(
        !text.contains("\"points\"") && !text.contains("address"),
        "{text}"
    );
    for f in features {
        let prop = &f["properties"];
        for what in ["identificatie", "postcode", "openbare_ruimte_naam"] {
            if let Some(v) = prop[what].as_str() {
                assert!(!text.contains(v), "{what} {v} in {text}");
            }
        }
    }

    // A selection of fewer than k households in the buurt shows no cell at all.
    let one = &features[0]["properties"];
    let criteria = format!(
        "postcode = '{}' AND oppervlakte = {}",
        one["postcode"].as_str().unwrap(),
        one["oppervlakte"].as_u64().unwrap()
    );
    let (few, _) = preview(&mut coop, "gas_free", BUURT, &criteria);
    let n = few["targets"].as_u64().unwrap();
    assert!((1..u64::from(k)).contains(&n), "{criteria}: {few}");
    assert_eq!(few["map"]["kind"], "cells", "{few}");
    assert_eq!(few["map"]["cells"], json!([]), "{few}");

    // In a wijk, solar roofs: H3 hexagons, each listed cell over k, counts rounded; the
    // wijkbedrijf's answer to the same selection is a point per open work item instead.
    let (p, _) = preview(&mut coop, "solar", WIJK, "bouwjaar < 2010");
    let map = &p["map"];
    assert_eq!(map["level"], "h3-9", "{map}");
    let cells = map["cells"].as_array().unwrap();
    assert!(!cells.is_empty(), "{map}");
    for cell in cells {
        assert_eq!(
            cell["outline"].as_array().unwrap().len(),
            7,
            "a hexagon: {cell}"
        );
        let count = cell["count"].as_u64().unwrap() as u32;
        assert!(
            count >= round_to && count.is_multiple_of(round_to),
            "{cell}"
        );
    }
    let (exact, _) = preview(&mut wo, "solar", WIJK, "bouwjaar < 2010");
    assert_eq!(exact["exact"], true, "{exact}");
    assert_eq!(exact["targets"], p["targets"]);
    assert_eq!(exact["map"]["kind"], "points", "{exact}");
    assert!(exact["map"].get("cells").is_none(), "{exact}");
    let drawn = exact["map"]["points"].as_array().unwrap();
    assert_eq!(
        drawn.len() as u64,
        exact["open"].as_u64().unwrap(),
        "{exact}"
    );
    assert!(!drawn.is_empty());
    // Without criteria, the points are the open items' places, as the Werk list has them.
    let (all, _) = preview(&mut wo, "solar", WIJK, "");
    let drawn = all["map"]["points"].as_array().unwrap();
    let items = ok(
        &wo.get(&format!(
            "/api/work/items?kind=solar&status=open&area={WIJK}&limit=1000"
        )),
        200,
    );
    let listed: Vec<[f64; 2]> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| [i["lon"].as_f64().unwrap(), i["lat"].as_f64().unwrap()])
        .collect();
    assert_eq!(listed.len(), drawn.len(), "{items}");
    for d in drawn {
        let d = [d[0].as_f64().unwrap(), d[1].as_f64().unwrap()];
        assert!(
            listed
                .iter()
                .any(|l| (l[0] - d[0]).abs() < 2e-5 && (l[1] - d[1]).abs() < 2e-5),
            "{d:?} is an open item"
        );
    }
}
