//! The per-building timeline: every open report about a pand and its addresses, weighted by
//! freshness (halving every 180 days) times one plus its confirmations; for staff in scope,
//! admins and the verified residents of an address in it, for nobody else.

use serde_json::{Value, json};
use store::Store as _;
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

    // A confirmation (by someone who may see the report) doubles the old report's weight.
    let r = wo.send(
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

/// In a pand with several homes, a report about one flat is that household's: the neighbour who
/// verified the flat next door sees the pand's own reports, not it (GET, photos, timeline).
#[test]
fn a_report_about_one_flat_is_not_shown_to_the_neighbours() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let mut wo = sign_in_password(&s, "wo@reports.test");
    let codes = letter_codes(&mut wo, BUURT);
    // Two homes of one standing pand with several, by the street line their letters carry.
    let homes = homes(&sb, BUURT);
    let building = homes
        .iter()
        .map(|h| &h.building)
        .find(|b| homes.iter().filter(|h| h.building == **b).count() > 1)
        .expect("a pand with several homes")
        .clone();
    let mut lines = std::collections::HashMap::new();
    store::SqliteStore::open(&sb.db)
        .unwrap()
        .for_each_address(&mut |a| {
            let mut line = format!("{} {}", a.street, a.house_number);
            line.push_str(a.house_letter.as_deref().unwrap_or(""));
            if let Some(x) = &a.addition {
                line.push('-');
                line.push_str(x);
            }
            lines.insert(format!("{:016}", a.id.get()), line);
        })
        .unwrap();
    let mut flats = homes
        .iter()
        .filter(|h| h.building == building)
        .take(2)
        .enumerate()
        .map(|(i, h)| {
            let code = &codes
                .iter()
                .find(|(line, _)| *line == lines[&h.address])
                .unwrap_or_else(|| panic!("a letter for {}", lines[&h.address]))
                .1;
            let mut c = sign_in_email(&sb, &s, &format!("flat{i}@reports.test"));
            assert_eq!(redeem(&mut c, code), h.address);
            (c, h.address.clone())
        });
    let (mut flat1, address1) = flats.next().unwrap();
    let (mut flat2, _) = flats.next().unwrap();
    let gas = json!({ "type": "gas_readiness", "target": { "address": address1 },
        "answers": { "heating": "gas_boiler", "cooking": "gas", "interest": "maybe", "note": "wij koken nog op gas" } });
    let own = report_ok(&mut flat1, &gas);
    let roof = report_ok(&mut device(&s), &solar(&building));
    let path = format!("/api/observations/{}", own["id"]);
    assert_eq!(flat1.get(&path).status, 200);
    assert_eq!(wo.get(&path).status, 200, "staff in scope");
    assert_eq!(flat2.get(&path).status, 404, "the neighbour: not theirs");
    // The pand's own report is for both.
    assert_eq!(
        flat2
            .get(&format!("/api/observations/{}", roof["id"]))
            .status,
        200
    );
    let timeline = format!("/api/buildings/{building}/timeline");
    let ids = |c: &mut Client| -> Vec<Value> {
        let r = c.get(&timeline);
        assert_eq!(r.status, 200, "{}", r.text());
        let mut v: Vec<Value> = r.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].clone())
            .collect();
        v.sort_by_key(Value::as_i64);
        v
    };
    assert_eq!(ids(&mut flat1), [own["id"].clone(), roof["id"].clone()]);
    assert_eq!(ids(&mut flat2), [roof["id"].clone()], "the neighbour");
    assert_eq!(ids(&mut wo), [own["id"].clone(), roof["id"].clone()]);
    assert_no_warnings(&s);
}
