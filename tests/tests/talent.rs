//! Capacity and talent (issue 12 §4), against the real binary: a resident offers help (with
//! consent), the communitybuilder sees the offer matched to open work nearby and invites; the
//! resident accepts, sees the work under "Mijn werk" by its address (not what others reported)
//! and logs hours, paid because the wijkondernemer decided so for the assignment; withdrawing the
//! offer (or the consent) ends it all. Nobody outside the area, no partner and no gemeente sees
//! an offer.

use serde_json::{Value, json};
use tests::Sandbox;

use crate::reports::{
    BUURT, GEMEENTE, OTHER_WIJK, PASSWORD, WIJK, sign_in_email, sign_in_password,
};

fn ok(r: &tests::Response, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    r.json()
}

fn offer(skills: &[&str], area: &str) -> Value {
    json!({
        "skills": skills,
        "other": "Ik spreek ook Pools",
        "hours_per_week": 4,
        "day_parts": ["weekday_evening", "weekend"],
        "area": area,
        "consent": true,
    })
}

fn today() -> String {
    let days = crate::reports::now() / 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[test]
fn a_resident_offers_help_is_invited_accepts_and_logs_paid_hours() {
    let sb = Sandbox::new();
    sb.add_partner(
        "coop@partner.test",
        GEMEENTE,
        "Energiecoöperatie Wijkdorp",
        PASSWORD,
    );
    sb.add_user("wo@talent.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user("cb@talent.test", "communitybuilder", WIJK, Some(PASSWORD));
    sb.add_user(
        "cb2@talent.test",
        "communitybuilder",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user("vol@talent.test", "volunteer", WIJK, Some(PASSWORD));
    sb.add_user("gm@talent.test", "gemeente", GEMEENTE, Some(PASSWORD));
    sb.add_user("admin@talent.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut coop = sign_in_password(&s, "coop@partner.test");
    let mut wo = sign_in_password(&s, "wo@talent.test");
    let mut cb = sign_in_password(&s, "cb@talent.test");
    let mut cb2 = sign_in_password(&s, "cb2@talent.test");
    let mut vol = sign_in_password(&s, "vol@talent.test");
    let mut gm = sign_in_password(&s, "gm@talent.test");
    let mut ans = sign_in_email(&sb, &s, "ans@bewoner.test");
    let mut piet = sign_in_email(&sb, &s, "piet@bewoner.test");

    // Nothing offered yet; the lists to choose from come with it.
    let mine = ok(&ans.get("/api/account/offer"), 200);
    assert!(mine["offer"].is_null(), "{mine}");
    assert!(
        mine["skills"]
            .as_array()
            .unwrap()
            .contains(&json!("knocking_doors"))
    );

    // Bad offers are refused, each naming what is wrong; nothing is stored.
    let mut no_consent = offer(&["knocking_doors"], BUURT);
    no_consent["consent"] = json!(false);
    let r = ans.put("/api/account/offer", Some(&no_consent));
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("consent"), "{}", r.text());
    let r = ans.put("/api/account/offer", Some(&offer(&["juggling"], BUURT)));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("juggling"), "{}", r.text());
    let r = ans.put(
        "/api/account/offer",
        Some(&offer(&["watering"], "BU19980000")),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let mut zero = offer(&["watering"], BUURT);
    zero["hours_per_week"] = json!(0);
    assert_eq!(ans.put("/api/account/offer", Some(&zero)).status, 400);
    let mut past = offer(&["watering"], BUURT);
    past["available_until"] = json!("2020-01-01");
    assert_eq!(ans.put("/api/account/offer", Some(&past)).status, 400);
    assert!(ok(&ans.get("/api/account/offer"), 200)["offer"].is_null());

    // Ans offers to knock on doors and explain energy saving in her buurt; the consent is
    // recorded with it.
    let given = ok(
        &ans.put(
            "/api/account/offer",
            Some(&offer(&["energy_advice", "knocking_doors"], BUURT)),
        ),
        200,
    );
    assert_eq!(
        given["offer"]["skills"],
        json!(["knocking_doors", "energy_advice"])
    );
    assert_eq!(given["offer"]["area"], BUURT);
    assert!(given["offer"]["area_name"].is_string(), "{given}");
    let account = ok(&ans.get("/api/account"), 200);
    let talent = account["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["purpose"] == "talent")
        .expect("talent is a consent")
        .clone();
    assert_eq!(talent["given"], true, "{account}");
    // Piet only waters plants.
    ok(
        &piet.put("/api/account/offer", Some(&offer(&["watering"], BUURT))),
        200,
    );

    // The communitybuilder in the wijk sees Ans matched to open solar and gas-free work in her
    // buurt, named by address; Piet matches nothing (no greenery in distress) but is listed.
    let m = ok(&cb.get("/api/talent/offers"), 200);
    let offers = m["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 2, "{m}");
    let ans_offer = &offers[0];
    assert_eq!(ans_offer["other"], "Ik spreek ook Pools");
    let kinds: Vec<&str> = ans_offer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"solar"), "{ans_offer}");
    let solar = ans_offer["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "solar")
        .unwrap();
    assert!(solar["items"].as_u64().unwrap() >= 1, "{solar}");
    assert_eq!(solar["skills"], json!(["knocking_doors", "energy_advice"]));
    for it in solar["largest"].as_array().unwrap() {
        assert!(it["about"]["address"].is_string(), "{it}");
        assert_eq!(it["buurt"], BUURT);
    }
    assert_eq!(offers[1]["open_items"], 0, "{m}");
    let ans_id = ans_offer["id"].as_i64().unwrap();
    let piet_id = offers[1]["id"].as_i64().unwrap();
    // Filters.
    let f = ok(&cb.get("/api/talent/offers?kind=gas_free"), 200);
    assert!(
        f["offers"].as_array().unwrap().iter().all(|o| o["matches"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k["kind"] == "gas_free")),
        "{f}"
    );
    assert_eq!(cb.get("/api/talent/offers?kind=juggling").status, 400);
    // Nobody outside the area, no volunteer, partner, gemeente or resident sees an offer.
    assert!(
        ok(&cb2.get("/api/talent/offers"), 200)["offers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for c in [&mut vol, &mut coop, &mut gm, &mut ans] {
        assert_eq!(c.get("/api/talent/offers").status, 403);
        assert_eq!(c.get("/api/talent/invitations").status, 403);
    }

    // A partner's solar assignment in the wijk, accepted: its roofs are planned. The
    // wijkondernemer decides that helpers on it are paid; the partner and the communitybuilder
    // may not.
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
    let item = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["buurt"] == BUURT)
        .expect("a planned roof in the buurt")
        .clone();
    let target = item["target"].as_str().unwrap().to_owned();
    let helpers = format!("/api/assignments/{aid}/helpers");
    assert_eq!(
        coop.put(&helpers, Some(&json!({ "paid": true }))).status,
        403
    );
    assert_eq!(cb.put(&helpers, Some(&json!({ "paid": true }))).status, 403);
    assert_eq!(
        ok(&wo.put(&helpers, Some(&json!({ "paid": true }))), 200)["paid"],
        true
    );
    assert_eq!(
        ok(&wo.get(&format!("/api/assignments/{aid}")), 200)["helpers_paid"],
        true
    );

    // Invitations: Piet has none of the skills solar asks for; the communitybuilder elsewhere
    // is told the offer does not exist; Ans is invited once, and the assignment is found from
    // the item.
    let invite = |offer: i64| json!({ "offer": offer, "kind": "solar", "target": target, "note": "Zaterdagochtend met Kees" });
    let r = cb.post_json("/api/talent/invitations", &invite(piet_id));
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("skills"), "{}", r.text());
    assert_eq!(
        cb2.post_json("/api/talent/invitations", &invite(ans_id))
            .status,
        404
    );
    let inv = ok(
        &cb.post_json("/api/talent/invitations", &invite(ans_id)),
        201,
    );
    assert_eq!(inv["status"], "invited");
    assert_eq!(
        inv["assignment"]["title"], "Zonnepanelen op 25 daken",
        "{inv}"
    );
    assert_eq!(inv["resident"]["offer"], ans_id);
    let inv_id = inv["id"].as_i64().unwrap();
    assert_eq!(
        cb.post_json("/api/talent/invitations", &invite(ans_id))
            .status,
        409
    );

    // Mijn werk: what to do and where, by address; not what other residents reported.
    let work = ok(&ans.get("/api/account/work"), 200);
    let mine = &work["invitations"][0];
    assert_eq!(mine["status"], "invited");
    assert_eq!(mine["kind"], "solar");
    assert!(mine["about"]["address"].is_string(), "{mine}");
    assert_eq!(mine["assignment"]["helpers_paid"], true);
    assert_eq!(
        mine["assignment"]["delivered_when"],
        "Een dak waar panelen op liggen"
    );
    assert_eq!(mine["note"], "Zaterdagochtend met Kees");
    for hidden in ["evidence", "resident", "observations", "reporter"] {
        assert!(mine.get(hidden).is_none(), "{hidden}: {mine}");
    }
    // Another resident cannot answer or log on it.
    let answer = format!("/api/account/work/{inv_id}/answer");
    let hours = format!("/api/account/work/{inv_id}/hours");
    assert_eq!(
        piet.post_json(&answer, &json!({ "answer": "accept" }))
            .status,
        404
    );
    // Hours only on accepted work; then accepted, logged (paid), bad hours refused.
    let day = today();
    assert_eq!(
        ans.post_json(&hours, &json!({ "day": day, "hours": 2 }))
            .status,
        409
    );
    assert_eq!(
        ok(&ans.post_json(&answer, &json!({ "answer": "accept" })), 200)["status"],
        "accepted"
    );
    assert_eq!(
        ans.post_json(&answer, &json!({ "answer": "accept" }))
            .status,
        409
    );
    let logged = ok(
        &ans.post_json(&hours, &json!({ "day": day, "hours": 1.5 })),
        201,
    );
    assert_eq!(logged["paid"], true);
    assert_eq!(logged["hours"], 1.5);
    assert_eq!(
        piet.post_json(&hours, &json!({ "day": day, "hours": 1 }))
            .status,
        404
    );
    for bad in [
        json!({ "day": day, "hours": 0.1 }),
        json!({ "day": "2999-01-01", "hours": 1 }),
        json!({ "day": "gisteren", "hours": 1 }),
    ] {
        assert_eq!(ans.post_json(&hours, &bad).status, 400, "{bad}");
    }
    // The team sees it with the hours and the resident's name as they gave it.
    let list = ok(&cb.get("/api/talent/invitations"), 200);
    let seen = &list["invitations"][0];
    assert_eq!(seen["id"], inv_id);
    assert_eq!(seen["status"], "accepted");
    assert_eq!(seen["hours_paid"], 1.5);
    assert!(
        ok(&cb2.get("/api/talent/invitations"), 200)["invitations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Done.
    assert_eq!(
        ok(&ans.post_json(&answer, &json!({ "answer": "done" })), 200)["status"],
        "done"
    );

    // Withdrawing the offer: gone from matching, no new invitation, the consent withdrawn.
    let again = ok(
        &cb.post_json(
            "/api/talent/invitations",
            &json!({ "offer": ans_id, "assignment": aid }),
        ),
        201,
    );
    assert_eq!(ans.delete("/api/account/offer").status, 204);
    assert!(ok(&ans.get("/api/account/offer"), 200)["offer"].is_null());
    let m = ok(&cb.get("/api/talent/offers"), 200);
    assert!(
        m["offers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["id"] != ans_id),
        "{m}"
    );
    assert_eq!(
        cb.post_json("/api/talent/invitations", &invite(ans_id))
            .status,
        404
    );
    let work = ok(&ans.get("/api/account/work"), 200);
    let by_id = |id: &Value| {
        work["invitations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == *id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(by_id(&again["id"]), "withdrawn");
    assert_eq!(by_id(&json!(inv_id)), "done");
    let account = ok(&ans.get("/api/account"), 200);
    assert!(
        account["consents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["purpose"] == "talent" && c["given"] == false)
    );

    // Withdrawing the consent on the account page takes the offer with it.
    ok(
        &piet.post_json(
            "/api/account/consents",
            &json!({ "purpose": "talent", "given": false }),
        ),
        201,
    );
    assert!(ok(&piet.get("/api/account/offer"), 200)["offer"].is_null());
    assert!(
        ok(&cb.get("/api/talent/offers"), 200)["offers"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Every step is in the audit log.
    let mut admin = sign_in_password(&s, "admin@talent.test");
    let log = ok(&admin.get("/api/admin/audit?limit=200"), 200);
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "talent_offered",
        "resident_invited",
        "invitation_answered",
        "assignment_helpers",
        "talent_withdrawn",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}
