//! The work to be done (issue 12 §2), against the real binary: items derived from a resident's
//! report, their evidence and status history, who may see them, the k-anonymous totals, the work
//! tile layer, opt-outs, and rule files refused with their line.

use serde_json::{Value, json};
use tests::mvt::{layer_names, tile_of};
use tests::{Client, Sandbox};

use crate::reports::{
    BUURT, PASSWORD, WIJK, device, report_ok, sign_in_password, single_homes, solar,
};

fn suitable_roof(building: &str) -> Value {
    json!({
        "type": "roof_suitability",
        "target": { "building": building },
        "answers": { "shape": "sloped", "orientation": "south", "shade": "none" }
    })
}

fn solar_items(c: &mut Client) -> Vec<Value> {
    let r = c.get(&format!(
        "/api/work/items?kind=solar&area={WIJK}&limit=1000"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["items"].as_array().unwrap().clone()
}

#[test]
fn a_reported_suitable_roof_becomes_solar_work_with_evidence_history_and_privacy() {
    let sb = Sandbox::new();
    sb.add_user("wo@work.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "cb@work.test",
        "communitybuilder",
        "WK199902",
        Some(PASSWORD),
    );
    sb.add_user("gm@work.test", "gemeente", "all", Some(PASSWORD));
    // With the shipped rules, 3DBAG's roofs alone make solar work, sized in kWp from the
    // suitable roof area.
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@work.test");
    let from_3dbag = solar_items(&mut wo);
    let first = from_3dbag.first().expect("solar work from 3DBAG's roofs");
    assert!(first["size"].as_f64().unwrap() > 0.0, "{first}");
    let detail = wo.get(&format!(
        "/api/work/items/solar/{}",
        first["target"].as_str().unwrap()
    ));
    assert_eq!(detail.status, 200, "{}", detail.text());
    let facts = detail.json()["evidence"]["facts"].clone();
    let m2 = facts
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[0] == "opp_dak_geschikt_zon")
        .and_then(|f| f[1].as_f64())
        .unwrap_or_else(|| panic!("the suitable roof area is evidence: {facts}"));
    assert!(m2 >= 15.0, "{facts}");
    assert!(
        (first["size"].as_f64().unwrap() - m2 * 0.15).abs() <= 0.05 + 1e-9,
        "{first} vs {m2} m²"
    );
    drop(s);

    // A wijkondernemer who counts only the roofs residents looked at loads their own rule.
    let rules = sb.dir().join("resident-roofs.toml");
    std::fs::write(
        &rules,
        r#"[[rule]]
kind = "solar"
title = { nl = "Zonnepanelen op een geschikt dak", en = "Solar panels on a suitable roof" }
target = "pand"
when = """
roof_suitability.status_class = 'suitable'
AND solar_panels.status_class IN ('none', 'no_panels', 'unknown')
"""
unit = { nl = "daken", en = "roofs" }
"#,
    )
    .unwrap();
    let s = sb.serve(&["--rules", rules.to_str().unwrap()]);
    let mut wo = sign_in_password(&s, "wo@work.test");
    assert!(
        solar_items(&mut wo).is_empty(),
        "no solar work before anyone looked at a roof"
    );
    let home = &single_homes(&sb, BUURT)[3];
    let target = format!("pand/{}", home.building);
    // A resident (device session) reports the roof as suitable: the work appears at once.
    let mut resident = device(&s);
    let report = report_ok(&mut resident, &suitable_roof(&home.building));
    let report_id = report["id"].as_i64().unwrap();
    let items = solar_items(&mut wo);
    let item = items
        .iter()
        .find(|i| i["target"] == target.as_str())
        .expect("solar work for the reported roof");
    assert_eq!(item["status"], "open");
    assert_eq!(item["rule_holds"], true);
    assert_eq!(item["about"]["kind"], "pand");
    let address = item["about"]["address"].as_str().unwrap();
    assert!(
        !address.contains(&home.building) && address.chars().any(char::is_alphabetic),
        "named by its address: {address}"
    );

    // Its evidence names the facts the rule read and the report behind them.
    let path = format!("/api/work/items/solar/{target}");
    let detail = wo.get(&path);
    assert_eq!(detail.status, 200, "{}", detail.text());
    let d = detail.json();
    assert_eq!(d["evidence"]["observations"], json!([report_id]), "{d}");
    let facts = d["evidence"]["facts"].as_array().unwrap();
    assert!(
        facts.contains(&json!(["roof_suitability.status_class", "suitable"])),
        "{d}"
    );
    assert!(
        facts.contains(&json!(["solar_panels.status_class", "none"])),
        "{d}"
    );
    assert_eq!(d["history"], json!([]));

    // Who may not see it gets what they would get for an item that does not exist.
    let mut cb = sign_in_password(&s, "cb@work.test");
    let hidden = cb.get(&path);
    let missing = cb.get(&format!("/api/work/items/solar/pand/{:016}", 1u64));
    assert_eq!((hidden.status, missing.status), (404, 404));
    assert_eq!(cb.get(&format!("/api/work/items?area={WIJK}")).status, 403);
    let theirs = cb.get("/api/work/items?area=WK199902");
    assert_eq!(theirs.status, 200, "{}", theirs.text());
    assert!(!theirs.text().contains(&home.building));
    let mut gm = sign_in_password(&s, "gm@work.test");
    assert_eq!(gm.get(&format!("/api/work/items?area={WIJK}")).status, 403);
    assert_eq!(device(&s).get(&path).status, 401);
    assert_eq!(Client::new(s.addr).get("/api/work/items").status, 401);

    // Planned, with who and when; the same status twice is a conflict.
    let r = wo.post_json(
        &format!("{path}/status"),
        &json!({ "status": "planned", "note": "campagne mei" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["previous"], "open");
    assert_eq!(
        wo.post_json(&format!("{path}/status"), &json!({ "status": "planned" }))
            .status,
        409
    );
    let bad = wo.post_json(&format!("{path}/status"), &json!({ "status": "finished" }));
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.text().contains("status"), "{}", bad.text());
    assert_eq!(
        cb.post_json(&format!("{path}/status"), &json!({ "status": "done" }))
            .status,
        404
    );
    let d = wo.get(&path).json();
    assert_eq!(d["status"], "planned");
    assert_eq!(d["history"][0]["status"], "planned");
    assert_eq!(d["history"][0]["by_you"], true);
    assert_eq!(d["history"][0]["note"], "campagne mei");

    // Panels are seen: the rule no longer holds, the planned work stays listed.
    let mut panels = solar(&home.building);
    panels["answers"]["panels"] = json!("yes");
    report_ok(&mut device(&s), &panels);
    let d = wo.get(&path).json();
    assert_eq!(
        (d["status"].as_str(), d["rule_holds"].as_bool()),
        (Some("planned"), Some(false)),
        "{d}"
    );

    // The work layer: in the wijkondernemer's tiles, never in the public ones.
    let (x, y) = tile_of(home.lon, home.lat, 16);
    let tile = format!("/tiles/all/16/{x}/{y}.mvt");
    let mine = wo.get(&tile);
    assert_eq!(mine.status, 200);
    assert!(
        layer_names(&mine.body).contains(&"work".to_owned()),
        "{:?}",
        layer_names(&mine.body)
    );
    let public = Client::new(s.addr).get(&tile);
    assert!(!layer_names(&public.body).contains(&"work".to_owned()));

    // Totals: exact for the wijkondernemer, k-anonymous for the gemeente and the public.
    let exact = wo
        .get(&format!("/api/work/summary?level=buurt&area={WIJK}"))
        .json();
    let row = exact["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["area"] == BUURT && a["kind"] == "solar")
        .cloned()
        .unwrap();
    assert_eq!(row["exact"], true);
    assert_eq!(row["by_status"]["planned"], 1, "{row}");
    let public = Client::new(s.addr)
        .get("/api/work/summary?level=buurt")
        .json();
    for a in public["areas"].as_array().unwrap() {
        assert_eq!(a["exact"], false, "{a}");
        assert!(a.get("by_status").is_none(), "{a}");
        let few = a["suppressed"] == true || a["households"].as_u64().unwrap() >= 5;
        assert!(few, "released only with k households: {a}");
    }
    assert_eq!(
        Client::new(s.addr)
            .get("/api/work/summary?level=straat")
            .status,
        400
    );
}

#[test]
fn an_opted_out_home_has_no_work_anywhere() {
    let sb = Sandbox::new();
    sb.add_user("wo@work.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let singles = single_homes(&sb, BUURT);
    let (kept, out) = (&singles[5], &singles[6]);
    // The household of `out` said no to canvassing.
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
    let mut wo = sign_in_password(&s, "wo@work.test");
    let items = solar_items(&mut wo);
    let has = |h: &crate::reports::Home| {
        items
            .iter()
            .any(|i| i["target"] == format!("pand/{}", h.building).as_str())
    };
    assert!(has(kept), "the other home has its work");
    assert!(!has(out), "left out of the list");
    assert_eq!(
        wo.get(&format!("/api/work/items/solar/pand/{}", out.building))
            .status,
        404
    );
}

#[test]
fn a_rule_file_with_an_error_is_refused_with_its_line_and_the_rules_stay() {
    let sb = Sandbox::new();
    sb.add_user("admin@work.test", "admin", "all", Some(PASSWORD));
    sb.add_user("wo@work.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@work.test");
    let before = admin.get("/api/work/rules");
    assert_eq!(before.status, 200);
    let text = before.text();
    let bad = text.replace("bouwjaar < 1975", "bouwjaar < 'oud'");
    let line = text
        .lines()
        .position(|l| l.contains("bouwjaar < 1975"))
        .unwrap()
        + 1;
    let r = admin.send(
        "PUT",
        "/api/work/rules",
        &[("Content-Type", "application/toml")],
        Some(bad.as_bytes()),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains(&format!("line {line}")), "{}", r.text());
    assert!(r.text().contains("bouwjaar"), "{}", r.text());
    assert_eq!(
        admin.get("/api/work/rules").text(),
        text,
        "the rules in use stay"
    );
    // A scoped wijkondernemer may not change the rules of the whole server.
    let mut wo = sign_in_password(&s, "wo@work.test");
    let r = wo.send(
        "PUT",
        "/api/work/rules",
        &[("Content-Type", "application/toml")],
        Some(text.as_bytes()),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // A good file is taken, and kept over a restart.
    // The header comment names `[[rule]]` too: split at the tables only.
    let fewer = text
        .split("\n[[rule]]")
        .take(2)
        .collect::<Vec<_>>()
        .join("\n[[rule]]");
    let r = admin.send(
        "PUT",
        "/api/work/rules",
        &[("Content-Type", "application/toml")],
        Some(fewer.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["rules"], 1);
    let kinds = Client::new(s.addr).get("/api/work/kinds").json();
    assert_eq!(kinds["kinds"].as_array().unwrap().len(), 1);
    drop(s);
    let s = sb.serve(&[]);
    assert_eq!(
        Client::new(s.addr).get("/api/work/kinds").json()["kinds"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// A tree of the sample's register near the data's centre: its register number and WGS84 point
/// (read from the trees tile with Python's mapbox-vector-tile).
fn a_register_tree(addr: std::net::SocketAddr) -> (String, [f64; 2]) {
    let tj = tests::get(addr, "/tiles/all.json").json();
    let (lon, lat) = (
        tj["center"][0].as_f64().unwrap(),
        tj["center"][1].as_f64().unwrap(),
    );
    let z = 16;
    let (x, y) = tile_of(lon, lat, z);
    for (dx, dy) in [
        (0i64, 0i64),
        (1, 0),
        (0, 1),
        (-1, 0),
        (0, -1),
        (1, 1),
        (-1, -1),
    ] {
        let (tx, ty) = ((i64::from(x) + dx) as u32, (i64::from(y) + dy) as u32);
        let r = tests::get(addr, &format!("/tiles/trees/{z}/{tx}/{ty}.mvt"));
        if r.status != 200 {
            continue;
        }
        let v: Value = serde_json::from_str(&tests::mvt::python_decode(&r.body)).unwrap();
        let Some(f) = v["trees"]["features"]
            .as_array()
            .and_then(|a| a.first())
            .cloned()
        else {
            continue;
        };
        let extent = v["trees"]["extent"].as_f64().unwrap();
        let c = &f["geometry"]["coordinates"];
        // mapbox-vector-tile turns y up by default.
        let (px, py) = (c[0].as_f64().unwrap(), extent - c[1].as_f64().unwrap());
        let n = f64::from(1u32 << z);
        let lon = (f64::from(tx) + px / extent) / n * 360.0 - 180.0;
        let merc = std::f64::consts::PI * (1.0 - 2.0 * (f64::from(ty) + py / extent) / n);
        let lat = merc.sinh().atan().to_degrees();
        return (
            f["properties"]["id"].as_str().unwrap().to_owned(),
            [lon, lat],
        );
    }
    panic!("no register tree near the centre");
}

#[test]
fn reports_that_name_a_register_tree_become_tree_care_named_by_the_tree() {
    let sb = Sandbox::new();
    sb.add_user("wo@work.test", "wijkondernemer", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let (number, [lon, lat]) = a_register_tree(s.addr);
    let report = |tree: &str, at: [f64; 2]| {
        json!({
            "type": "greenery_distress",
            "target": { "point": { "type": "Point", "coordinates": at }, "tree": tree },
            "answers": { "object": "tree", "severity": "serious", "cause": "drought", "tree_id": tree }
        })
    };
    // Two neighbours report the tree a few metres from where the register has it.
    let mut ids = Vec::new();
    for d in [0.0, 0.00003] {
        let mut neighbour = device(&s);
        ids.push(
            report_ok(&mut neighbour, &report(&number, [lon + d, lat]))["id"]
                .as_i64()
                .unwrap(),
        );
    }
    // The same number 5 km away names no tree: a spot, not tree care.
    let mut far = device(&s);
    report_ok(&mut far, &report(&number, [lon + 0.07, lat]));
    let mut wo = sign_in_password(&s, "wo@work.test");
    let items = |wo: &mut Client, kind: &str| {
        let r = wo.get(&format!(
            "/api/work/items?kind={kind}&area=GM1999&limit=1000"
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["items"].as_array().unwrap().clone()
    };
    let care = items(&mut wo, "tree_care");
    assert_eq!(care.len(), 1, "one tree, reported twice: {care:?}");
    let about = &care[0]["about"];
    assert_eq!(about["kind"], "tree", "{about}");
    assert_eq!(about["tree"], number.as_str(), "{about}");
    assert!(
        about["near"].is_string(),
        "named by the address it stands by: {about}"
    );
    let target = care[0]["target"].as_str().unwrap();
    assert!(target.starts_with("tree/"), "{target}");
    let detail = wo.get(&format!("/api/work/items/tree_care/{target}"));
    assert_eq!(detail.status, 200, "{}", detail.text());
    let evidence = &detail.json()["evidence"];
    let mut seen: Vec<i64> = evidence["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, ids, "{evidence}");
    // The team plans the tree's care: its status is kept (a tree's id uses all 64 bits).
    let r = wo.post_json(
        &format!("/api/work/items/tree_care/{target}/status"),
        &json!({ "status": "planned", "note": "water geven" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let again = wo.get(&format!("/api/work/items/tree_care/{target}"));
    assert_eq!(again.json()["status"], "planned", "{}", again.text());
    // The two reports about the tree made no public-space spot of their own.
    let spots = items(&mut wo, "greenery");
    assert!(
        spots.iter().all(|i| {
            let t = i["target"].as_str().unwrap();
            !ids.iter().any(|id| t == format!("public_space/{id}"))
        }),
        "{spots:?}"
    );
}
