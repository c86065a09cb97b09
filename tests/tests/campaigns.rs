//! Door-to-door campaigns (issue 13), against the real binary: the selection's live count, a
//! campaign cut into turfs (every selected address exactly once), a turf locked to a volunteer,
//! the walk list as JSON and as a PDF read back with `pdftotext` in walking order, visits sent
//! as an operation log (a replay counts once, a second phone's visit of an answered door is a
//! conflict, a door outside the turf or a turf not held writes nothing), "do not knock again"
//! into the opt-out register, progress per turf, and the privacy of outcomes in the SQLite file:
//! sensitive answers never per address, outcomes per address only with consent.

use std::collections::HashSet;
use std::process::Command;

use serde_json::{Value, json};
use tests::Sandbox;

use crate::reports::{GEMEENTE, OTHER_WIJK, PASSWORD, WIJK, sign_in_password};

fn ok(r: &tests::Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    r.json()
}

pub(crate) fn campaign(turf_size: i64) -> Value {
    json!({
        "title": "Zon op oude daken",
        "topic": "We vragen of bewoners zonnepanelen willen.",
        "area": WIJK,
        "criteria": "bouwjaar < 2030",
        "questions": [
            { "name": "interest", "title": { "nl": "Wilt u zonnepanelen?", "en": "Do you want solar panels?" },
              "type": "choice", "options": ["yes", "maybe", "no"] },
            { "name": "care_need", "title": { "nl": "Heeft iemand hier zorg nodig?", "en": "Does anyone here need care?" },
              "type": "yes_no", "sensitive": true }
        ],
        "turf_size": turf_size,
        "starts_on": "2026-12-01",
        "ends_on": "2027-03-01"
    })
}

#[test]
fn a_campaign_is_cut_into_turfs_walked_and_counted_without_keeping_what_is_not_consented() {
    let sb = Sandbox::new();
    sb.add_user("wo@campagne.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user("vol@campagne.test", "volunteer", WIJK, Some(PASSWORD));
    sb.add_user(
        "vol2@campagne.test",
        "volunteer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user("gm@campagne.test", "gemeente", GEMEENTE, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@campagne.test");
    let mut vol = sign_in_password(&s, "vol@campagne.test");
    let mut vol2 = sign_in_password(&s, "vol2@campagne.test");
    let mut gm = sign_in_password(&s, "gm@campagne.test");

    // The live count while the criteria are edited; bad criteria name the field.
    let sel = json!({ "area": WIJK, "criteria": "bouwjaar < 2030" });
    let first = ok(&wo.post_json("/api/campaigns/preview", &sel), 200);
    let addresses = first["addresses"].as_u64().unwrap() as usize;
    assert!(addresses > 20, "{first}");
    assert!(first["buildings"].as_u64().unwrap() > 0, "{first}");
    let r = wo.post_json(
        "/api/campaigns/preview",
        &json!({ "area": WIJK, "criteria": "bouwjar < 1975" }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("bouwjar"), "{}", r.text());
    assert_eq!(
        wo.post_json("/api/campaigns/preview", &json!({ "area": OTHER_WIJK }))
            .status,
        403
    );
    assert_eq!(vol.post_json("/api/campaigns/preview", &sel).status, 403);
    assert_eq!(gm.post_json("/api/campaigns/preview", &sel).status, 403);
    // Turf sizes out of range, and a selection of nothing.
    for size in [0, addresses as i64 + 1] {
        let r = wo.post_json("/api/campaigns", &campaign(size));
        assert_eq!(r.status, 422, "{size}: {}", r.text());
    }
    let mut nothing = campaign(5);
    nothing["criteria"] = json!("bouwjaar < 1000");
    assert_eq!(wo.post_json("/api/campaigns", &nothing).status, 422);
    let mut bad_q = campaign(5);
    bad_q["questions"][0]["type"] = json!("essay");
    assert_eq!(wo.post_json("/api/campaigns", &bad_q).status, 400);

    // Created: every selected address in exactly one turf, none over the size.
    let c = ok(&wo.post_json("/api/campaigns", &campaign(8)), 201);
    let id = c["id"].as_i64().unwrap();
    let turfs = c["turfs"].as_array().unwrap().clone();
    assert!(turfs.len() >= addresses / 8, "{c}");
    assert_eq!(c["progress"]["doors"].as_u64().unwrap() as usize, addresses);
    let mut seen = HashSet::new();
    for t in &turfs {
        let doors = t["progress"]["doors"].as_u64().unwrap();
        assert!((1..=8).contains(&doors), "{t}");
        let list = ok(
            &wo.get(&format!("/api/campaigns/{id}/turfs/{}", t["id"])),
            200,
        );
        for d in list["doors"].as_array().unwrap() {
            assert!(
                seen.insert(d["address"].as_str().unwrap().to_owned()),
                "twice: {d}"
            );
            assert!(
                d["label"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(char::is_alphabetic),
                "{d}"
            );
        }
    }
    assert_eq!(seen.len(), addresses);
    assert_eq!(
        ok(&wo.get("/api/campaigns"), 200)["campaigns"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Nobody else organises it.
    assert_eq!(vol.get("/api/campaigns").status, 403);
    assert_eq!(vol.get(&format!("/api/campaigns/{id}")).status, 404);
    assert_eq!(gm.get(&format!("/api/campaigns/{id}")).status, 404);

    // Routes are split and merged while nobody walks them; the doors stay in walking order.
    let t3 = turfs[2]["id"].as_i64().unwrap();
    let t3_doors: Vec<Value> =
        ok(&wo.get(&format!("/api/campaigns/{id}/turfs/{t3}")), 200)["doors"]
            .as_array()
            .unwrap()
            .clone();
    if t3_doors.len() >= 2 {
        assert_eq!(
            wo.post_json(
                &format!("/api/campaigns/{id}/turfs/{t3}/split"),
                &json!({ "after": t3_doors.len() })
            )
            .status,
            422
        );
        let split = ok(
            &wo.post_json(
                &format!("/api/campaigns/{id}/turfs/{t3}/split"),
                &json!({ "after": 1 }),
            ),
            200,
        );
        let list = split["turfs"].as_array().unwrap();
        assert_eq!(list.len(), turfs.len() + 1);
        let new = list
            .iter()
            .max_by_key(|t| t["number"].as_i64().unwrap())
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let merged = ok(
            &wo.post_json(
                &format!("/api/campaigns/{id}/turfs/{t3}/merge"),
                &json!({ "with": new }),
            ),
            200,
        );
        assert_eq!(merged["turfs"].as_array().unwrap().len(), turfs.len());
        let again: Vec<Value> =
            ok(&wo.get(&format!("/api/campaigns/{id}/turfs/{t3}")), 200)["doors"]
                .as_array()
                .unwrap()
                .clone();
        assert_eq!(
            again, t3_doors,
            "split and merged back: the same doors in the same order"
        );
        assert_eq!(
            wo.post_json(
                &format!("/api/campaigns/{id}/turfs/{t3}/merge"),
                &json!({ "with": t3 })
            )
            .status,
            409
        );
        assert_eq!(
            vol.post_json(
                &format!("/api/campaigns/{id}/turfs/{t3}/split"),
                &json!({ "after": 1 })
            )
            .status,
            404
        );
    }

    // The first turf goes to the volunteer, locked: a second assignment that did not see it is
    // 409; a volunteer of another wijk may not walk it (422).
    let t1 = turfs[0]["id"].as_i64().unwrap();
    let t2 = turfs[1]["id"].as_i64().unwrap();
    let holder = format!("/api/campaigns/{id}/turfs/{t1}/holder");
    let walkers = c["walkers"].as_array().unwrap();
    let who = |name: &str| -> i64 {
        walkers
            .iter()
            .find(|w| w["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {walkers:?}"))["id"]
            .as_i64()
            .unwrap()
    };
    let vol_id = who("vol@campagne.test");
    assert!(
        walkers
            .iter()
            .all(|w| w["name"] != "vol2@campagne.test" && w["name"] != "gm@campagne.test")
    );
    ok(
        &wo.put(
            &holder,
            Some(&json!({ "holder": vol_id, "expected": null })),
        ),
        200,
    );
    assert_eq!(
        wo.put(
            &holder,
            Some(&json!({ "holder": vol_id, "expected": null }))
        )
        .status,
        409
    );
    let me2 = vol2.get("/api/account").json()["user"]["id"]
        .as_i64()
        .unwrap();
    let r = wo.put(
        &format!("/api/campaigns/{id}/turfs/{t2}/holder"),
        Some(&json!({ "holder": me2, "expected": null })),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        vol.put(
            &holder,
            Some(&json!({ "holder": vol_id, "expected": vol_id }))
        )
        .status,
        404
    );

    // The volunteer's turf: on their list; its walk list, but not another turf's.
    // A route someone walks is not reshaped.
    assert_eq!(
        wo.post_json(
            &format!("/api/campaigns/{id}/turfs/{t1}/split"),
            &json!({ "after": 1 })
        )
        .status,
        409
    );
    let mine = ok(&vol.get("/api/my/turfs"), 200);
    assert_eq!(mine["turfs"].as_array().unwrap().len(), 1, "{mine}");
    let walk = ok(&vol.get(&format!("/api/campaigns/{id}/turfs/{t1}")), 200);
    assert_eq!(walk["turf"]["yours"], true);
    assert_eq!(
        vol.get(&format!("/api/campaigns/{id}/turfs/{t2}")).status,
        404
    );
    assert_eq!(
        vol2.get(&format!("/api/campaigns/{id}/turfs/{t1}")).status,
        404
    );
    let doors: Vec<Value> = walk["doors"].as_array().unwrap().clone();
    assert!(doors.len() >= 5, "a turf of 8 here: {walk}");
    // Never another resident's report: only register facts and this campaign's own outcome.
    for d in &doors {
        let keys: HashSet<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "address",
                "label",
                "bouwjaar",
                "energieklasse",
                "roof_m2",
                "visited",
                "earlier",
                "lon",
                "lat"
            ]
            .into_iter()
            .collect()
        );
    }

    // On paper: a PDF whose text has the doors in walking order.
    let pdf = vol.get(&format!("/api/campaigns/{id}/turfs/{t1}?format=pdf"));
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("looplijst.pdf");
    std::fs::write(&file, &pdf.body).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut from = 0;
    for d in &doors {
        let label = d["label"].as_str().unwrap();
        let at = text[from..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} after byte {from} in:\n{text}"));
        from += at + label.len();
    }
    assert!(
        text.contains("Looplijst") && text.contains("geïnteresseerd"),
        "{text}"
    );

    // Visits, as a phone sends its operation log.
    let addr = |i: usize| doors[i]["address"].as_str().unwrap().to_owned();
    let visits = format!("/api/campaigns/{id}/turfs/{t1}/visits");
    let batch = json!({ "visits": [
        { "key": "phone-a-0001", "address": addr(0), "outcome": "interested", "consent": true,
          "answers": { "interest": "yes", "care_need": "yes" }, "note": "Graag in het voorjaar" },
        { "key": "phone-a-0002", "address": addr(1), "outcome": "not_home" },
        { "key": "phone-a-0003", "address": addr(2), "outcome": "do_not_knock" },
        { "key": "phone-a-0004", "address": addr(3), "outcome": "not_interested",
          "answers": { "interest": "no", "care_need": "no" } },
        { "key": "phone-a-0005", "address": addr(4), "outcome": "signed_up", "answers": { "interest": "yes" } }
    ]});
    let r = ok(&vol.post_json(&visits, &batch), 200);
    let statuses: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["recorded"; 5]);
    // The same batch again (the phone did not hear the answer): the first results, counted once.
    let again = ok(&vol.post_json(&visits, &batch), 200);
    assert_eq!(again["results"], r["results"]);
    // A second phone visits an answered door and a door not home before; a door of another turf
    // is refused, writing nothing.
    let other_turf_door =
        ok(&wo.get(&format!("/api/campaigns/{id}/turfs/{t2}")), 200)["doors"][0]["address"].clone();
    let r2 = ok(
        &vol.post_json(
            &visits,
            &json!({ "visits": [
                { "key": "phone-b-0001", "address": addr(0), "outcome": "not_interested" },
                { "key": "phone-b-0002", "address": addr(1), "outcome": "interested" },
                { "key": "phone-b-0003", "address": other_turf_door, "outcome": "interested" }
            ]}),
        ),
        200,
    );
    let statuses: Vec<&str> = r2["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["conflict", "recorded", "not_in_turf"]);
    // Malformed: the whole batch is refused, naming the visit.
    let r = vol.post_json(
        &visits,
        &json!({ "visits": [
            { "key": "phone-c-0001", "address": addr(5), "outcome": "interested" },
            { "key": "phone-c-0002", "address": addr(5), "outcome": "maybe_later" }
        ]}),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("visits[1]"), "{}", r.text());
    let r = vol.post_json(&visits, &json!({ "visits": [
        { "key": "phone-c-0003", "address": addr(5), "outcome": "interested", "answers": { "care_need": "perhaps" } }
    ]}));
    assert_eq!(r.status, 422, "{}", r.text());

    // Progress: each door once, by its last outcome.
    let c = ok(&wo.get(&format!("/api/campaigns/{id}")), 200);
    let t = c["turfs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == t1)
        .unwrap()
        .clone();
    let p = &t["progress"];
    assert_eq!(p["visited"], 5, "{p}");
    assert_eq!(p["talked"], 4, "{p}");
    assert_eq!(p["interested"], 2, "{p}");
    assert_eq!(p["not_home"], 0, "{p}");
    assert_eq!(p["signed_up"], 1, "{p}");
    assert_eq!(p["do_not_knock"], 1, "{p}");
    assert_eq!(t["holder"]["id"], vol_id);
    // Answers of fewer than k households are not released.
    let care = c["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "care_need")
        .unwrap();
    assert_eq!(care["suppressed"], true, "{care}");
    assert!(care["counts"].as_array().unwrap().is_empty());

    // "Do not knock again" is in the register: off the walk list and out of new selections.
    let walk = ok(&vol.get(&format!("/api/campaigns/{id}/turfs/{t1}")), 200);
    assert!(
        walk["doors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["address"] != addr(2))
    );
    let p2 = ok(&wo.post_json("/api/campaigns/preview", &sel), 200);
    assert_eq!(p2["addresses"].as_u64().unwrap() as usize, addresses - 1);
    assert_eq!(
        p2["opted_out"].as_u64().unwrap(),
        first["opted_out"].as_u64().unwrap() + 1
    );

    // The store: sensitive answers never per address; outcomes per address only with consent
    // (door 0) or a sign-up (door 4).
    let db = sb.dir().join("wijkwerk.sqlite");
    let kept = tests::sqlite(
        &db,
        "SELECT address_id || ':' || outcome || ':' || answers FROM visit_outcome ORDER BY id",
    );
    let lines: Vec<&str> = kept.lines().collect();
    assert_eq!(lines.len(), 2, "{kept}");
    assert!(
        lines[0].starts_with(&format!("{}:interested:", addr(0))),
        "{kept}"
    );
    assert!(
        lines[1].starts_with(&format!("{}:signed_up:", addr(4))),
        "{kept}"
    );
    assert!(
        !kept.contains("care_need"),
        "a sensitive answer per address: {kept}"
    );
    let log = tests::sqlite(&db, "SELECT * FROM visit_op");
    for i in 0..5 {
        assert!(
            !log.contains(&addr(i)),
            "the operation log names no address: {log}"
        );
    }
    let counts = tests::sqlite(
        &db,
        "SELECT question || '=' || answer || ':' || n FROM turf_answer_count ORDER BY 1",
    );
    assert!(
        counts.contains("care_need=yes:1") && counts.contains("care_need=no:1"),
        "{counts}"
    );

    // Exports for the wijkondernemer: per route, and per address only what was consented to.
    let csv = wo.get(&format!("/api/campaigns/{id}/export?format=csv"));
    assert_eq!(csv.status, 200, "{}", csv.text());
    let text = csv.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("route,buurt,buurt_naam,deuren,bezocht"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 1 + turfs.len());
    let per_address = wo.get(&format!(
        "/api/campaigns/{id}/export?format=csv&level=address"
    ));
    let text = per_address.text();
    let rows: Vec<&str> = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        !text.contains("care_need") && text.contains("interest=yes"),
        "{text}"
    );
    let gpkg = wo.get(&format!("/api/campaigns/{id}/export?format=gpkg"));
    assert_eq!(gpkg.status, 200);
    let file = dir.path().join("routes.gpkg");
    std::fs::write(&file, &gpkg.body).unwrap();
    let info = Command::new("ogrinfo")
        .args(["-so", "-al"])
        .arg(&file)
        .output()
        .expect("ogrinfo (gdal-bin)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains(&format!("Feature Count: {}", turfs.len())),
        "{info}"
    );
    assert_eq!(
        wo.get(&format!("/api/campaigns/{id}/export?format=xls"))
            .status,
        400
    );
    assert_eq!(vol.get(&format!("/api/campaigns/{id}/export")).status, 404);

    // The organiser gives the turf to someone else: the volunteer's phone is refused with a clear
    // message and nothing is written.
    let wo_id = who("wo@campagne.test");
    ok(
        &wo.put(
            &holder,
            Some(&json!({ "holder": wo_id, "expected": vol_id })),
        ),
        200,
    );
    let r = vol.post_json(
        &visits,
        &json!({ "visits": [
            { "key": "phone-a-0099", "address": addr(5), "outcome": "interested" }
        ]}),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(r.text().contains("not yours"), "{}", r.text());
    assert_eq!(
        tests::sqlite(
            &db,
            "SELECT count(*) FROM visit_op WHERE key = 'phone-a-0099'"
        )
        .trim(),
        "0"
    );
}

/// A campaign linked to an accepted assignment: a household that signs up at the door becomes a
/// delivered unit of the assignment, without anyone reporting it twice.
#[test]
fn a_sign_up_at_the_door_delivers_a_unit_of_the_linked_assignment() {
    let sb = Sandbox::new();
    sb.add_partner(
        "coop@campagne.test",
        GEMEENTE,
        "Energiecoöperatie Wijkdorp",
        PASSWORD,
    );
    sb.add_user("wo@campagne.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut coop = sign_in_password(&s, "coop@campagne.test");
    let mut wo = sign_in_password(&s, "wo@campagne.test");
    let a = ok(
        &coop.post_json("/api/assignments", &crate::assignments::terms(3)),
        201,
    );
    let aid = a["id"].as_i64().unwrap();
    ok(
        &wo.post_json(
            &format!("/api/assignments/{aid}/answer"),
            &json!({ "answer": "accept" }),
        ),
        200,
    );
    let detail = ok(&wo.get(&format!("/api/assignments/{aid}")), 200);
    let planned: Vec<String> = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["about"]["address"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(planned.len(), 3, "{detail}");

    // Only addresses with solar work; one route holding them all.
    let mut body = campaign(1);
    body["work_kind"] = json!("solar");
    body["assignment"] = json!(aid);
    let p = ok(
        &wo.post_json(
            "/api/campaigns/preview",
            &json!({ "area": WIJK, "work_kind": "solar" }),
        ),
        200,
    );
    body["turf_size"] = p["addresses"].clone();
    let c = ok(&wo.post_json("/api/campaigns", &body), 201);
    let id = c["id"].as_i64().unwrap();
    let turf = c["turfs"][0]["id"].as_i64().unwrap();
    assert_eq!(c["turfs"].as_array().unwrap().len(), 1, "{c}");
    let me = c["walkers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "wo@campagne.test")
        .unwrap()["id"]
        .clone();
    ok(
        &wo.put(
            &format!("/api/campaigns/{id}/turfs/{turf}/holder"),
            Some(&json!({ "holder": me, "expected": null })),
        ),
        200,
    );
    let walk = ok(&wo.get(&format!("/api/campaigns/{id}/turfs/{turf}")), 200);
    // The first door whose building carries one of the planned roofs (a pand is named by its
    // first address).
    let door = walk["doors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| planned.iter().any(|p| p == d["label"].as_str().unwrap()))
        .unwrap_or_else(|| panic!("a planned roof among {walk}"))["address"]
        .clone();
    let r = ok(
        &wo.post_json(
            &format!("/api/campaigns/{id}/turfs/{turf}/visits"),
            &json!({ "visits": [{ "key": "signup-0001", "address": door, "outcome": "signed_up" }] }),
        ),
        200,
    );
    assert_eq!(r["results"][0]["status"], "recorded");
    let after = ok(&wo.get(&format!("/api/assignments/{aid}")), 200);
    assert_eq!(after["delivered"], 1, "{after}");
    assert_eq!(after["deliveries"][0]["evidence"], "visit", "{after}");
    // The campaign's own count, and the partner sees a unit per buurt, no address.
    let seen = ok(&coop.get(&format!("/api/assignments/{aid}")), 200);
    assert_eq!(seen["delivered"], 1);
    assert!(!seen.to_string().contains(door.as_str().unwrap()), "{seen}");
    // The partner also sees the campaign run for the assignment: counts per buurt, rounded, or
    // withheld where a buurt has fewer than k doors — never an address.
    let campaigns = seen["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 1, "{seen}");
    let buurten = campaigns[0]["buurten"].as_array().unwrap();
    assert!(!buurten.is_empty(), "{seen}");
    for b in buurten {
        assert!(b["name"].is_string(), "{b}");
        if b["suppressed"] == false {
            for k in ["doors", "visited", "talked", "signed_up"] {
                assert_eq!(b[k].as_u64().unwrap() % 5, 0, "rounded: {b}");
            }
        } else {
            assert!(b["doors"].is_null(), "{b}");
        }
    }
}
