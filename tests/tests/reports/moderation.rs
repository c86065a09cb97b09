//! Moderation: three abuse flags hide a report; the communitybuilder, wijkondernemer (in scope) or
//! admin unhides, merges and splits, and the provenance of merges and splits is kept.

use serde_json::{Value, json};
use tests::{Client, Sandbox};

use super::{
    BUURT, OTHER_BUURT, OTHER_WIJK, PASSWORD, WIJK, assert_no_warnings, device, greenery, homes,
    report_ok, sign_in_password, solar,
};

fn flag(c: &mut Client, id: &Value, reason: &str) -> Value {
    let r = c.post_json(
        &format!("/api/observations/{id}/flags"),
        &json!({ "reason": reason }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()
}

fn moderate(c: &mut Client, id: &Value, action: &str) -> tests::Response {
    c.post_json(
        &format!("/api/observations/{id}/moderation"),
        &json!({ "action": action }),
    )
}

fn queue_ids(c: &mut Client, query: &str) -> Vec<i64> {
    let r = c.get(&format!("/api/moderation{query}"));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn three_flags_hide_a_report_and_a_moderator_in_scope_unhides_it() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@reports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user("admin@reports.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let home = &homes(&sb, BUURT)[8];
    let mut reporter = device(&s);
    // A dying tree: public, so anyone with a session may confirm and flag it.
    let report = report_ok(&mut reporter, &greenery(home.lon, home.lat));
    let id = report["id"].clone();
    let r = device(&s).send(
        "POST",
        &format!("/api/observations/{id}/confirmations"),
        &[],
        None,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let similar = format!(
        "/api/observations/similar?type=greenery_distress&lon={}&lat={}",
        home.lon, home.lat
    );
    assert_eq!(reporter.get(&similar).json()["existing"]["id"], id);

    let r = Client::new(s.addr).post_json(
        &format!("/api/observations/{id}/flags"),
        &json!({ "reason": "spam" }),
    );
    assert_eq!(r.status, 401, "flagging needs a session: {}", r.text());
    // Flags hide a report only from reporters with an account (a device session costs nothing).
    let mut flaggers: Vec<Client> = (0..3)
        .map(|i| super::sign_in_email(&sb, &s, &format!("flagger-{i}@reports.test")))
        .collect();
    let f = flag(&mut flaggers[0], &id, "nonsense");
    assert_eq!(
        (f["flags"].as_u64(), f["hidden"].as_bool()),
        (Some(1), Some(false))
    );
    let f = flag(&mut flaggers[0], &id, "nonsense again");
    assert_eq!(f["flags"], 1, "one flag per reporter");
    assert_eq!(flag(&mut flaggers[1], &id, "rude")["hidden"], false);
    let f = flag(&mut flaggers[2], &id, "fake");
    assert_eq!(
        (f["flags"].as_u64(), f["hidden"].as_bool()),
        (Some(3), Some(true))
    );
    assert_eq!(
        reporter.get(&similar).json()["existing"],
        Value::Null,
        "hidden: not offered"
    );
    assert_eq!(
        reporter.get(&format!("/api/observations/{id}")).json()["status"],
        "hidden"
    );

    // The queue and the actions are for moderators of the place.
    let mut wo = sign_in_password(&s, "wo@reports.test");
    let mut wo_out = sign_in_password(&s, "wo-out@reports.test");
    assert!(queue_ids(&mut wo, "").contains(&id.as_i64().unwrap()));
    assert!(
        !queue_ids(&mut wo_out, "").contains(&id.as_i64().unwrap()),
        "out of scope"
    );
    assert_eq!(reporter.get("/api/moderation").status, 403);
    assert_eq!(Client::new(s.addr).get("/api/moderation").status, 401);
    let r = moderate(&mut wo_out, &id, "unhide");
    assert_eq!(r.status, 404, "not theirs to know of: {}", r.text());
    let r = moderate(&mut reporter, &id, "unhide");
    assert_eq!(r.status, 403, "{}", r.text());
    // Who moderates nowhere cannot tell an existing report from a missing one.
    let missing = json!(999_999);
    for (caller, status) in [(&mut reporter, 403), (&mut Client::new(s.addr), 401)] {
        for target in [&id, &missing] {
            let r = moderate(caller, target, "hide");
            assert_eq!(r.status, status, "moderate {target}: {}", r.text());
            let r = caller.post_json(
                &format!("/api/observations/{target}/merge"),
                &json!({ "into": 1 }),
            );
            assert_eq!(r.status, status, "merge {target}: {}", r.text());
        }
    }
    assert_eq!(moderate(&mut wo, &missing, "hide").status, 404);
    let r = moderate(&mut wo, &id, "launch");
    assert_eq!(r.status, 422, "{}", r.text());

    let r = moderate(&mut wo, &id, "unhide");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["confirmations"], 1);
    assert_eq!(
        reporter.get(&similar).json()["existing"]["id"],
        id,
        "back on offer"
    );
    // It had a confirmation before it was hidden: unhiding gives back "confirmed", not "new".
    assert_eq!(
        v["status"], "confirmed",
        "unhide restores the status it had: {v}"
    );
    // Putting back is for hidden reports: an open one is 409, and a report its reporter withdrew
    // stays withdrawn whatever a moderator tries.
    assert_eq!(moderate(&mut wo, &id, "unhide").status, 409);
    let r = reporter.delete(&format!("/api/observations/{id}"));
    assert_eq!(r.status, 204, "{}", r.text());
    for action in ["unhide", "hide", "resolve"] {
        let r = moderate(&mut wo, &id, action);
        assert_eq!(r.status, 409, "{action} a withdrawn report: {}", r.text());
        assert!(r.text().contains("withdrawn"), "{}", r.text());
    }
    let other = report_ok(&mut device(&s), &greenery(home.lon, home.lat));
    let r = wo.post_json(
        &format!("/api/observations/{id}/merge"),
        &json!({ "into": other["id"] }),
    );
    assert_eq!(r.status, 409, "merge a withdrawn report: {}", r.text());
    let store = store::SqliteStore::open(&sb.db).unwrap();
    assert_eq!(
        store
            .observation(id.as_i64().unwrap())
            .unwrap()
            .unwrap()
            .status,
        domain::observations::ObservationStatus::Withdrawn
    );
    assert_no_warnings(&s);
}

#[test]
fn merge_and_split_keep_their_provenance() {
    let sb = Sandbox::new();
    sb.add_user("cb@reports.test", "communitybuilder", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@reports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[9];
    let (mut a, mut b) = (device(&s), device(&s));
    let first = report_ok(&mut a, &solar(&home.building));
    // A duplicate with a note of its own (the same without one would be a confirmation).
    let mut noted = solar(&home.building);
    noted["answers"]["note"] = json!("drie panelen aan de voorkant");
    let dup = report_ok(&mut b, &noted);
    let (first_id, dup_id) = (first["id"].clone(), dup["id"].clone());
    let mut cb = sign_in_password(&s, "cb@reports.test");
    let mut wo_out = sign_in_password(&s, "wo-out@reports.test");

    let merge = format!("/api/observations/{dup_id}/merge");
    assert_eq!(
        wo_out
            .post_json(&merge, &json!({ "into": first_id }))
            .status,
        404,
        "a moderator elsewhere is told it does not exist"
    );
    assert_eq!(
        b.post_json(&merge, &json!({ "into": first_id })).status,
        403
    );
    assert_eq!(
        cb.post_json(&merge, &json!({ "into": dup_id })).status,
        422,
        "not into itself"
    );
    let other_type = report_ok(
        &mut b,
        &json!({ "type": "roof_suitability", "target": { "building": home.building }, "answers": { "shape": "flat" } }),
    );
    assert_eq!(
        cb.post_json(&merge, &json!({ "into": other_type["id"] }))
            .status,
        422,
        "same type only"
    );

    let r = cb.post_json(&merge, &json!({ "into": first_id }));
    assert_eq!(r.status, 200, "{}", r.text());
    let merged_into = r.json();
    assert_eq!(merged_into["id"], first_id);
    assert_eq!(
        merged_into["confirmations"], 1,
        "the duplicate's reporter confirms the first"
    );
    assert_eq!(merged_into["status"], "confirmed");
    let gone = b.get(&format!("/api/observations/{dup_id}")).json();
    assert_eq!(gone["status"], "merged", "{gone}");
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let dup_row = store
        .observation(dup_id.as_i64().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        dup_row.merged_into,
        first_id.as_i64(),
        "provenance of the merge"
    );
    assert!(dup_row.closed_at.is_some());

    // Split: the first report held two things; a new report is split off it.
    let split = format!("/api/observations/{first_id}/split");
    let r = cb.post_json(&split, &json!({ "answers": { "panels": "maybe" } }));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(
        wo_out
            .post_json(&split, &json!({ "answers": { "panels": "no" } }))
            .status,
        404
    );
    let r = cb.post_json(&split, &json!({ "answers": { "panels": "no" } }));
    assert_eq!(r.status, 201, "{}", r.text());
    let new = r.json();
    assert_ne!(new["id"], first_id);
    assert_eq!(new["status_class"], "no_panels");
    assert_eq!(new["target"]["building"], home.building.as_str());
    let new_row = store
        .observation(new["id"].as_i64().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        new_row.split_from,
        first_id.as_i64(),
        "provenance of the split"
    );
    assert_eq!(
        new_row.observation.reporter_id,
        store
            .observation(first_id.as_i64().unwrap())
            .unwrap()
            .unwrap()
            .observation
            .reporter_id
    );
    // The original reporter sees both as theirs.
    let mine: Vec<Value> = a
        .get("/api/my/observations")
        .json()
        .as_array()
        .unwrap()
        .clone();
    assert!(mine.iter().any(|m| m["id"] == new["id"]), "{mine:?}");
    assert_no_warnings(&s);
}

#[test]
fn the_moderation_queue_holds_personal_data_and_filters_by_area() {
    let sb = Sandbox::new();
    sb.add_user("admin@reports.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut c = device(&s);
    let here = &homes(&sb, BUURT)[10];
    let there = &homes(&sb, OTHER_BUURT)[0];
    let mut with_phone = solar(&here.building);
    with_phone["answers"]["note"] = json!("bel mij op 06-12345678");
    let near = report_ok(&mut c, &with_phone);
    let mut far = solar(&there.building);
    far["answers"]["note"] = json!("mail naar jan@example.nl");
    let far = report_ok(&mut c, &far);
    let mut admin = sign_in_password(&s, "admin@reports.test");
    let all = queue_ids(&mut admin, "");
    assert!(
        all.contains(&near["id"].as_i64().unwrap()) && all.contains(&far["id"].as_i64().unwrap()),
        "{all:?}"
    );
    let r = admin.get("/api/moderation");
    let entry = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == near["id"])
        .cloned()
        .unwrap();
    assert_eq!(entry["pii_suspected"], true, "{entry}");
    // The contract's `?area=` narrows the queue to one area.
    let here_only = queue_ids(&mut admin, &format!("?area={BUURT}"));
    assert!(
        here_only.contains(&near["id"].as_i64().unwrap()),
        "{here_only:?}"
    );
    assert!(
        !here_only.contains(&far["id"].as_i64().unwrap()),
        "GET /api/moderation?area={BUURT} lists report {} of {OTHER_BUURT}: {here_only:?}",
        far["id"]
    );
    let wijk = queue_ids(&mut admin, &format!("?area={WIJK}"));
    assert!(wijk.contains(&near["id"].as_i64().unwrap()), "{wijk:?}");
    for (query, status) in [
        ("?area=nowhere", 400),
        ("?area=BU99999999", 422),
        ("?colour=red", 400),
    ] {
        let r = admin.get(&format!("/api/moderation{query}"));
        assert_eq!(r.status, status, "{query}: {}", r.text());
        assert!(
            r.text().contains("area") || r.text().contains("colour"),
            "{}",
            r.text()
        );
    }
    assert_no_warnings(&s);
}
