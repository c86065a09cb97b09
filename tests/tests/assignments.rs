//! Assignments from system partners (issue 12 §3), against the real binary: a partner offers,
//! the wijkondernemer proposes changes, the partner revises, the wijkondernemer accepts and the
//! work items become planned; deliveries with evidence; the partner accepts and rejects units;
//! the statement as JSON, CSV and PDF; the wijkbedrijf's income. A partner never sees an address
//! or another organisation's assignment, and its criteria read open data only.

use serde_json::{Value, json};
use tests::Sandbox;

use crate::reports::{GEMEENTE, PASSWORD, WIJK, sign_in_password};

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
