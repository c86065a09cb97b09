//! What a report may say: every shipped type's schema, the target, and who may give
//! `gas_readiness` (only a resident who verified that address by letter code).

use serde_json::{Value, json};
use tests::{Client, Sandbox};

use super::{
    BUURT, PASSWORD, WIJK, assert_no_warnings, device, error_fields, greenery, homes, letter_codes,
    post_report, redeem, sign_in_email, sign_in_password, solar,
};

/// (type, a valid report, an invalid one, the fields its 422 must list) for every shipped type
/// but `gas_readiness` (whose valid report needs a verified resident; see below).
fn cases(
    building: &str,
    lon: f64,
    lat: f64,
) -> Vec<(&'static str, Value, Value, Vec<&'static str>)> {
    let long_note = "x".repeat(501);
    vec![
        (
            "solar_panels",
            solar(building),
            json!({ "type": "solar_panels", "target": { "building": building },
                    "answers": { "panels": "maybe", "count": 7, "roof_part": "side" } }),
            vec!["/answers/panels", "/answers/count", "/answers/roof_part"],
        ),
        (
            "roof_suitability",
            json!({ "type": "roof_suitability", "target": { "building": building },
                    "answers": { "shape": "sloped", "orientation": "south", "shade": "none" } }),
            json!({ "type": "roof_suitability", "target": { "building": building },
                    "answers": { "shape": "round", "orientation": "up", "shade": 3, "note": long_note } }),
            vec![
                "/answers/shape",
                "/answers/orientation",
                "/answers/shade",
                "/answers/note",
            ],
        ),
        (
            "greenery_distress",
            greenery(lon, lat),
            json!({ "type": "greenery_distress",
                    "target": { "point": { "type": "Point", "coordinates": [lon, lat] } },
                    "answers": { "object": "car", "severity": "bad", "cause": "aliens" } }),
            vec!["/answers/object", "/answers/severity", "/answers/cause"],
        ),
    ]
}

#[test]
fn every_shipped_type_takes_a_valid_report_and_lists_each_failing_field() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let listed = Client::new(s.addr).get("/api/observation-types").json();
    let mut names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "gas_readiness",
            "greenery_distress",
            "roof_suitability",
            "solar_panels"
        ]
    );
    let home = &homes(&sb, BUURT)[0];
    let mut c = device(&s);
    for (name, valid, invalid, fields) in cases(&home.building, home.lon, home.lat) {
        let r = post_report(&mut c, &valid, None);
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let v = r.json();
        assert_eq!(v["type"], name);
        assert_eq!(v["type_version"], 1);
        assert_eq!(v["mine"], true);
        assert_eq!(v["buurt"], BUURT, "{v}");
        assert!(
            v.get("reporter").is_none() && v.get("reporter_id").is_none(),
            "{v}"
        );
        assert_eq!(
            r.header("location"),
            Some(format!("/api/observations/{}", v["id"]).as_str())
        );
        let r = post_report(&mut c, &invalid, None);
        let got = error_fields(&r);
        for f in &fields {
            assert!(
                got.iter().any(|g| g == f),
                "{name}: {f} not listed in {got:?}"
            );
        }
        assert_eq!(r.json()["code"].as_str().map(str::is_empty), Some(false));
    }
    // gas_readiness: the schema is checked before who may give it, so anyone learns what is wrong.
    let r = post_report(
        &mut c,
        &json!({ "type": "gas_readiness", "target": { "address": home.address },
                 "answers": { "heating": "coal", "cooking": "fire", "insulation": ["roof", "roof"], "interest": "perhaps" } }),
        None,
    );
    let got = error_fields(&r);
    for f in [
        "/answers/heating",
        "/answers/cooking",
        "/answers/insulation",
        "/answers/interest",
    ] {
        assert!(
            got.iter().any(|g| g == f),
            "gas_readiness: {f} not listed in {got:?}"
        );
    }
    // A missing required answer and an unknown one are errors of the answers object itself.
    let r = post_report(
        &mut c,
        &json!({ "type": "solar_panels", "target": { "building": home.building }, "answers": { "count": "1-4", "colour": "red" } }),
        None,
    );
    let fields = error_fields(&r);
    assert!(
        fields.iter().filter(|f| *f == "/answers").count() >= 2,
        "required + unknown: {fields:?}"
    );
    // Errors of the envelope and of the answers come in one list.
    let r = post_report(
        &mut c,
        &json!({ "type": "solar_panels", "target": { "building": home.building },
                 "observed_at": "2999-01-01T00:00:00Z", "source": "import", "answers": { "panels": "maybe" } }),
        None,
    );
    let fields = error_fields(&r);
    for f in ["/observed_at", "/source", "/answers/panels"] {
        assert!(
            fields.iter().any(|g| g == f),
            "{f} not listed in {fields:?}"
        );
    }
    let r = post_report(
        &mut c,
        &json!({ "type": "solar_panels", "target": { "point": { "type": "Point", "coordinates": [home.lon, home.lat] } }, "answers": { "panels": "yes" } }),
        None,
    );
    assert_eq!(
        error_fields(&r),
        ["/target"],
        "a solar report is about a building"
    );
    let r = post_report(
        &mut c,
        &json!({ "type": "potholes", "target": { "building": home.building }, "answers": {} }),
        None,
    );
    assert_eq!(error_fields(&r), ["/type"]);
    assert_no_warnings(&s);
}

#[test]
fn unknown_places_are_422_and_malformed_geojson_is_400() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let mut c = device(&s);
    let r = post_report(&mut c, &solar("1999100009999999"), None);
    assert_eq!(
        error_fields(&r),
        ["/target/building"],
        "a pand that does not exist"
    );
    let r = post_report(&mut c, &solar("not-a-bag-id"), None);
    assert_eq!(error_fields(&r), ["/target/building"]);
    let gas = json!({ "type": "gas_readiness", "target": { "address": "1999010009999999" },
                      "answers": { "heating": "gas_boiler", "cooking": "gas", "interest": "yes" } });
    assert_eq!(
        error_fields(&post_report(&mut c, &gas, None)),
        ["/target/address"]
    );
    for point in [
        json!({ "type": "Point", "coordinates": "5.1,52.1" }),
        json!({ "type": "Pointy", "coordinates": [5.1, 52.1] }),
        json!({ "type": "LineString", "coordinates": [[5.1, 52.1], [5.2, 52.2]] }),
        json!({ "type": "Point", "coordinates": [5.1] }),
        json!({ "type": "Point", "coordinates": [520.0, 95.0] }),
        json!([5.1, 52.1]),
    ] {
        let body = json!({ "type": "greenery_distress", "target": { "point": point },
                           "answers": { "object": "tree", "severity": "light" } });
        let r = post_report(&mut c, &body, None);
        assert_eq!(r.status, 400, "{point}: {}", r.text());
    }
    // Not JSON at all is 400 too; a body of the wrong shape is 422.
    let r = c.send(
        "POST",
        "/api/observations",
        &[("Content-Type", "application/json")],
        Some(b"{"),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    // Reporting needs a session.
    let r = post_report(
        &mut Client::new(s.addr),
        &solar(&homes(&sb, BUURT)[0].building),
        None,
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_no_warnings(&s);
}

#[test]
fn gas_readiness_is_given_only_by_a_verified_resident_of_that_address() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@reports.test");
    let codes = letter_codes(&mut wo, BUURT);
    let mut resident = sign_in_email(&sb, &s, "bewoner@reports.test");
    let home = redeem(&mut resident, &codes[5].1);
    let neighbour_home = homes(&sb, BUURT)
        .into_iter()
        .map(|h| h.address)
        .find(|a| *a != home)
        .unwrap();
    let gas = |address: &str| {
        json!({ "type": "gas_readiness", "target": { "address": address },
                "answers": { "heating": "hybrid_heat_pump", "cooking": "induction",
                             "insulation": ["roof", "glass"], "interest": "yes" } })
    };
    let r = post_report(&mut resident, &gas(&home), None);
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(v["target"]["address"], home.as_str());
    assert_eq!(v["status_class"], "interested");
    // Someone else's home, an unverified resident, a device, staff: 403.
    let r = post_report(&mut resident, &gas(&neighbour_home), None);
    assert_eq!(r.status, 403, "{}", r.text());
    let mut other = sign_in_email(&sb, &s, "andere@reports.test");
    let mut dev = device(&s);
    for (who, c) in [
        ("another resident", &mut other),
        ("a device", &mut dev),
        ("the wijkondernemer", &mut wo),
    ] {
        let r = post_report(c, &gas(&home), None);
        assert_eq!(r.status, 403, "{who}: {}", r.text());
    }
    // A gas report is about an address, never a building or a point.
    let r = post_report(
        &mut resident,
        &json!({ "type": "gas_readiness", "target": { "building": homes(&sb, BUURT)[0].building },
                 "answers": { "heating": "gas_boiler", "cooking": "gas", "interest": "no" } }),
        None,
    );
    assert_eq!(error_fields(&r), ["/target"]);
    // The resident sees their own report; the wijkondernemer in scope may read it; nobody else.
    let id = v["id"].as_i64().unwrap();
    let path = format!("/api/observations/{id}");
    assert_eq!(resident.get(&path).status, 200);
    assert_eq!(wo.get(&path).status, 200);
    for c in [&mut other, &mut dev, &mut Client::new(s.addr)] {
        assert_eq!(c.get(&path).status, 404, "a report about a home is private");
    }
    assert_no_warnings(&s);
}
