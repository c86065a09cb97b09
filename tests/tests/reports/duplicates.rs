//! One report per thing: a second report of the same becomes a confirmation, and a client's
//! retry with the same `Idempotency-Key` gets the report it already made; a dying tree reported
//! next to an open report of it is offered that one.

use serde_json::{Value, json};
use tests::{Client, Sandbox};

use super::{BUURT, assert_no_warnings, device, greenery, homes, post_report, report_ok, solar};

/// Staff in scope are offered the open report about a building to confirm; anyone else just
/// reports, and a report that says what the open one says becomes a confirmation of it (issue 9:
/// `similar` must not tell anyone whether a home has reports).
#[test]
fn a_second_report_of_the_same_becomes_a_confirmation() {
    let sb = Sandbox::new();
    sb.add_user(
        "cb@reports.test",
        "communitybuilder",
        super::WIJK,
        Some(super::PASSWORD),
    );
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[3];
    let mut first = device(&s);
    let mut second = device(&s);
    let mut cb = super::sign_in_password(&s, "cb@reports.test");
    let similar = format!(
        "/api/observations/similar?type=solar_panels&building={}",
        home.building
    );

    let r = cb.get(&similar);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["existing"], serde_json::Value::Null, "nothing yet");
    let v = report_ok(&mut first, &solar(&home.building));
    let id = v["id"].as_i64().unwrap();
    assert_eq!(
        (
            v["confirmations"].as_u64(),
            v["status"].as_str(),
            v["outcome"].as_str()
        ),
        (Some(0), Some("new"), Some("created"))
    );

    let r = cb.get(&similar);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let offered = r.json()["existing"].clone();
    assert_eq!(offered["id"], id, "{offered}");
    assert_eq!(offered["status_class"], "panels_seen");
    assert_eq!(offered["confirmations"], 0);
    assert!(offered.get("reporter").is_none());
    // Others are not told; without a session nobody is; a type not visible from the street is
    // refused.
    assert_eq!(second.get(&similar).status, 403);
    assert_eq!(Client::new(s.addr).get(&similar).status, 401);
    let r = cb.get(&format!(
        "/api/observations/similar?type=gas_readiness&address={}",
        home.address
    ));
    assert_eq!(r.status, 400, "{}", r.text());
    // A query the handler cannot read is a JSON 400 that names the parameter.
    for (query, param) in [
        ("type=solar_panels&building=1&building=2", "building"),
        ("type=solar_panels&lon=east&lat=52", "lon"),
        ("type=solar_panels&colour=red", "colour"),
    ] {
        let r = second.get(&format!("/api/observations/similar?{query}"));
        assert_eq!(r.status, 400, "{query}: {}", r.text());
        assert_eq!(r.json()["code"], "InvalidParameterValue", "{query}");
        assert!(r.text().contains(param), "{query}: {}", r.text());
    }

    // The second reporter reports the same: a confirmation, said after the write.
    for expected in [1, 1] {
        let r = post_report(&mut second, &solar(&home.building), None);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert_eq!(v["outcome"], "confirmed", "{v}");
        assert_eq!(v["id"], id);
        assert_eq!(v["confirmations"], expected, "once per reporter: {v}");
    }
    // Staff in scope confirm what they are offered; one's own report cannot be confirmed.
    let confirm = format!("/api/observations/{id}/confirmations");
    let r = cb.send("POST", &confirm, &[], None);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["confirmations"], 2);
    let r = cb.send("POST", &confirm, &[], None);
    assert_eq!(
        r.status,
        200,
        "a second confirmation adds nothing: {}",
        r.text()
    );
    let r = first.send("POST", &confirm, &[], None);
    assert_eq!(r.status, 409, "one's own report: {}", r.text());
    assert_eq!(
        Client::new(s.addr).send("POST", &confirm, &[], None).status,
        401
    );
    let r = cb.send("POST", "/api/observations/999999/confirmations", &[], None);
    assert_eq!(r.status, 404, "{}", r.text());

    let mine = first.get(&format!("/api/observations/{id}")).json();
    assert_eq!(mine["confirmations"], 2);
    assert_eq!(mine["status"], "confirmed");
    assert_eq!(cb.get(&similar).json()["existing"]["confirmations"], 2);
    // The confirmer's own list holds no copy of it.
    assert_eq!(second.get("/api/my/observations").json(), json!([]));
    assert_no_warnings(&s);
}

#[test]
fn a_retry_with_the_same_idempotency_key_returns_the_same_report() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[4];
    let mut c = device(&s);
    let key = "3f0c2a8e-5b7d-4c11-9a3e-1d2b3c4d5e6f";
    let r = post_report(&mut c, &solar(&home.building), Some(key));
    assert_eq!(r.status, 201, "{}", r.text());
    let first = r.json();
    for _ in 0..3 {
        let r = post_report(&mut c, &solar(&home.building), Some(key));
        assert_eq!(r.status, 200, "a retry: {}", r.text());
        assert_eq!(r.json()["id"], first["id"]);
        assert_eq!(r.json()["created_at"], first["created_at"]);
        assert_eq!(
            r.header("location"),
            Some(format!("/api/observations/{}", first["id"]).as_str())
        );
    }
    // The same key from another reporter is theirs: a new report (saying something else; the
    // same would be a confirmation).
    let mut other = device(&s);
    let mut no_panels = solar(&home.building);
    no_panels["answers"] = json!({ "panels": "no" });
    let r = post_report(&mut other, &no_panels, Some(key));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_ne!(r.json()["id"], first["id"]);
    // A new key is a new report; a bad key is a 400 naming the header.
    let r = post_report(&mut c, &solar(&home.building), Some("another-key"));
    assert_eq!(r.status, 201, "{}", r.text());
    let r = post_report(&mut c, &solar(&home.building), Some(&"k".repeat(129)));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("Idempotency-Key"), "{}", r.text());

    let mine = c.get("/api/my/observations").json();
    let ids: Vec<_> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].clone())
        .collect();
    assert_eq!(
        ids.len(),
        2,
        "one row for the key, one for the other key: {mine}"
    );
    assert_eq!(ids.iter().filter(|i| **i == first["id"]).count(), 1);
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let id = first["id"].as_i64().unwrap();
    assert_eq!(store.observation(id).unwrap().unwrap().id, id);
    let reporter = store
        .observation(id)
        .unwrap()
        .unwrap()
        .observation
        .reporter_id;
    assert_eq!(
        store.observations_of_reporter(reporter).unwrap().len(),
        2,
        "no duplicate row"
    );
    assert_no_warnings(&s);
}

/// A dying tree reported a few metres from an open report of it is offered for confirming; one
/// 30 m away, or of another type, is not.
#[test]
fn a_tree_reported_near_an_open_report_of_it_is_offered_for_confirming() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[3];
    let mut first = device(&s);
    let mut second = device(&s);
    let tree = report_ok(&mut first, &greenery(home.lon, home.lat));
    let near = |dlon: f64, kind: &str| {
        format!(
            "/api/observations/similar?type={kind}&lon={}&lat={}",
            home.lon + dlon,
            home.lat
        )
    };
    // 0.00005° of longitude at 52° N is about 3.4 m; 0.00045° about 31 m.
    let r = second.get(&near(0.000_05, "greenery_distress"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["existing"]["id"], tree["id"], "{}", r.text());
    let r = second.get(&near(0.000_45, "greenery_distress"));
    assert_eq!(r.json()["existing"], Value::Null, "30 m away: {}", r.text());
    // A building's report is not offered for a point, nor a point's for a building type.
    let r = second.get(&near(0.0, "solar_panels"));
    assert_eq!(r.json()["existing"], Value::Null, "{}", r.text());
    // Out of range, or half a point: 400 naming it.
    let r = second.get("/api/observations/similar?type=greenery_distress&lon=5.9&lat=91");
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("lat"), "{}", r.text());
    let r = second.get("/api/observations/similar?type=greenery_distress&lon=5.9");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_no_warnings(&s);
}

/// A street-visible type about an address (one an admin added: a front garden paved over) is
/// offered per address: the report about the house next door in the same pand is not.
#[test]
fn a_report_about_an_address_is_offered_for_that_address_only() {
    let sb = Sandbox::new();
    sb.add_user("admin@reports.test", "admin", "all", Some(super::PASSWORD));
    sb.add_user(
        "cb@reports.test",
        "communitybuilder",
        super::WIJK,
        Some(super::PASSWORD),
    );
    let s = sb.serve(&[]);
    let mut admin = super::sign_in_password(&s, "admin@reports.test");
    let def = json!({
        "name": "paved_front_garden", "version": 1,
        "title": { "nl": "Betegelde voortuin", "en": "Paved front garden" },
        "question": { "nl": "Is de voortuin betegeld?", "en": "Is the front garden paved?" },
        "targets": ["address"], "public_space": false, "own_home_only": false,
        "visible_from_street": true, "status_field": "paved",
        "status_classes": { "yes": "paved", "partly": "partly_paved", "no": "green", "cant_tell": "unknown" },
        "schema": { "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
            "additionalProperties": false, "required": ["paved"],
            "properties": { "paved": { "enum": ["yes", "partly", "no", "cant_tell"] } } }
    });
    let r = admin.post_json("/api/admin/observation-types", &def);
    assert_eq!(r.status, 201, "{}", r.text());
    // Two homes of one pand.
    let homes = homes(&sb, BUURT);
    let (a, b) = homes
        .iter()
        .find_map(|h| {
            homes
                .iter()
                .find(|o| o.building == h.building && o.address != h.address)
                .map(|o| (h.clone(), o.clone()))
        })
        .expect("a pand with two homes");
    let report = |address: &str| json!({ "type": "paved_front_garden", "target": { "address": address }, "answers": { "paved": "yes" } });
    let first = report_ok(&mut device(&s), &report(&a.address));
    let mut second = super::sign_in_password(&s, "cb@reports.test");
    let similar = |c: &mut Client, address: &str| {
        let r = c.get(&format!(
            "/api/observations/similar?type=paved_front_garden&address={address}"
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["existing"].clone()
    };
    assert_eq!(similar(&mut second, &a.address)["id"], first["id"]);
    assert_eq!(
        similar(&mut second, &b.address),
        Value::Null,
        "the neighbour's garden"
    );
    // Asked by pand, a report about one of its addresses is not the pand's.
    let by_pand = second.get(&format!(
        "/api/observations/similar?type=paved_front_garden&building={}",
        a.building
    ));
    assert_eq!(
        by_pand.json()["existing"],
        Value::Null,
        "{}",
        by_pand.text()
    );
    // Reported by another: the same address confirms, the neighbour's is a report of its own.
    let mut neighbour = device(&s);
    let r = post_report(&mut neighbour, &report(&a.address), None);
    assert_eq!(
        (r.status, r.json()["outcome"].clone()),
        (200, json!("confirmed"))
    );
    let r = post_report(&mut neighbour, &report(&b.address), None);
    assert_eq!(
        (r.status, r.json()["outcome"].clone()),
        (201, json!("created"))
    );
    assert_no_warnings(&s);
}
