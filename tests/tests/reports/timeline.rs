//! The per-building timeline: every open report about a pand and its addresses, weighted by
//! freshness (halving every 180 days) times one plus its confirmations; for staff in scope,
//! admins and the verified residents of an address in it, for nobody else.

use serde_json::{Value, json};
use tests::{Client, Sandbox};

use super::{
    BUURT, OTHER_WIJK, PASSWORD, WIJK, assert_no_warnings, device, homes, letter_codes, now,
    redeem, report_ok, sign_in_email, sign_in_password, solar,
};

fn entry(timeline: &Value, id: &Value) -> Value {
    timeline["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == *id)
        .cloned()
        .unwrap_or_else(|| panic!("report {id} not in {timeline}"))
}

#[test]
fn older_observations_weigh_less_and_only_those_who_may_see_the_home_see_its_timeline() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@reports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let mut wo = sign_in_password(&s, "wo@reports.test");
    let mut wo_out = sign_in_password(&s, "wo-out@reports.test");
    // A resident verifies their address by letter code; the timeline is of its building.
    let codes = letter_codes(&mut wo, BUURT);
    let mut resident = sign_in_email(&sb, &s, "bewoner@reports.test");
    let address = redeem(&mut resident, &codes[7].1);
    let home = homes(&sb, BUURT)
        .into_iter()
        .find(|h| h.address == address)
        .unwrap();
    let path = format!("/api/buildings/{}/timeline", home.building);

    let mut reporter = device(&s);
    let fresh = report_ok(&mut reporter, &solar(&home.building));
    let a_year_ago = now() - 360 * 86_400;
    let old = report_ok(
        &mut device(&s),
        &json!({ "type": "roof_suitability", "target": { "building": home.building },
                 "observed_at": domain::rfc3339_utc(a_year_ago as u64),
                 "answers": { "shape": "sloped", "orientation": "south", "shade": "none" } }),
    );

    let r = wo.get(&path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let t = r.json();
    assert_eq!(t["building"], home.building.as_str());
    assert_eq!(t["entries"].as_array().unwrap().len(), 2, "{t}");
    let w = |e: &Value| e["weight"].as_f64().unwrap();
    let (fresh_w, old_w) = (w(&entry(&t, &fresh["id"])), w(&entry(&t, &old["id"])));
    assert!((0.99..=1.0).contains(&fresh_w), "today: {fresh_w}");
    // 360 days = two half-lives.
    assert!((0.24..=0.26).contains(&old_w), "a year ago: {old_w}");
    assert!(
        t.to_string().find("reporter").is_none(),
        "no reporter identity: {t}"
    );

    // A confirmation doubles the old report's weight.
    let r = device(&s).send(
        "POST",
        &format!("/api/observations/{}/confirmations", old["id"]),
        &[],
        None,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let old_w2 = w(&entry(&wo.get(&path).json(), &old["id"]));
    assert!((old_w2 / old_w - 2.0).abs() < 0.01, "{old_w} → {old_w2}");

    // A withdrawn report leaves the timeline.
    let r = reporter.delete(&format!("/api/observations/{}", fresh["id"]));
    assert_eq!(r.status, 204, "{}", r.text());
    let t = resident.get(&path);
    assert_eq!(t.status, 200, "the verified resident: {}", t.text());
    let ids: Vec<Value> = t.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(ids, [old["id"].clone()]);

    // Nobody else: signed out 401; a device, another resident, staff elsewhere 403.
    assert_eq!(Client::new(s.addr).get(&path).status, 401);
    let mut other = sign_in_email(&sb, &s, "andere@reports.test");
    for (who, c) in [
        ("a device", &mut reporter),
        ("another resident", &mut other),
        ("the wijkondernemer of another wijk", &mut wo_out),
    ] {
        let r = c.get(&path);
        assert_eq!(r.status, 403, "{who}: {}", r.text());
    }
    // No such pand: 404.
    for missing in ["1999100099999999", "nope"] {
        let r = wo.get(&format!("/api/buildings/{missing}/timeline"));
        assert_eq!(r.status, 404, "{missing}: {}", r.text());
    }
    assert_no_warnings(&s);
}
