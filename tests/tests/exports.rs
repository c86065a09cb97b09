//! Exports of reports (issue #4 item 8), end to end: who may export what, the opt-out register,
//! reporter contact only where the policy allows it, the audit log, and independent readers of
//! the files (GDAL's `ogrinfo` for the GeoPackage and the GeoJSON, Python for the GeoJSON).

use std::process::Command;

use serde_json::{Value, json};
use tests::{Client, Response, Sandbox};

use crate::reports::{
    BUURT, GEMEENTE, OTHER_BUURT, OTHER_WIJK, PASSWORD, WIJK, assert_no_warnings, audit, device,
    greenery, letter_codes, now, redeem, report_ok, sign_in_email, sign_in_password, single_homes,
    solar,
};

/// The CSV header without contact columns.
const HEADER: &str = "id,type,type_version,status,status_class,observed_at,created_at,source,pand,\
                      verblijfsobject,straat,huisnummer,postcode,woonplaats,buurt,lon,lat,\
                      confirmations,answers";

fn export(c: &mut Client, ext: &str, query: &str) -> Response {
    c.get(&format!("/api/exports/observations.{ext}?{query}"))
}

/// The data rows of a CSV export, as (id, fields); asserts the envelope.
fn csv_rows(r: &Response, header: &str) -> Vec<(i64, Vec<String>)> {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let cd = r.header("content-disposition").unwrap_or_default();
    assert!(
        cd.starts_with("attachment; filename=\"meldingen-") && cd.ends_with(".csv\""),
        "{cd}"
    );
    let text = r.text();
    let mut lines = text.trim_start_matches('\u{feff}').split("\r\n");
    assert_eq!(lines.next(), Some(header));
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            // Split on commas outside quotes (the answers JSON is quoted).
            let (mut fields, mut cur, mut quoted) = (Vec::new(), String::new(), false);
            for ch in l.chars() {
                match ch {
                    '"' => quoted = !quoted,
                    ',' if !quoted => fields.push(std::mem::take(&mut cur)),
                    _ => cur.push(ch),
                }
            }
            fields.push(cur);
            (fields[0].parse().unwrap(), fields)
        })
        .collect()
}

fn ids(rows: &[(i64, Vec<String>)]) -> Vec<i64> {
    let mut v: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    v.sort_unstable();
    v
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (gdal-bin must be installed)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn exports_follow_the_policy_the_opt_outs_and_consent_and_are_audited() {
    let sb = Sandbox::new();
    sb.add_user("admin@exports.test", "admin", "all", Some(PASSWORD));
    sb.add_user("wo@exports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@exports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    sb.add_user("cb@exports.test", "communitybuilder", WIJK, Some(PASSWORD));
    sb.add_user(
        "gemeente@exports.test",
        "gemeente",
        GEMEENTE,
        Some(PASSWORD),
    );
    // The opt-out register as the server finds it at start: the one household of building C, and
    // one of the households of building M, said no to canvassing.
    let homes = single_homes(&sb, BUURT);
    let (a, b, c, d) = (&homes[0], &homes[1], &homes[2], &homes[3]);
    let all = crate::reports::homes(&sb, BUURT);
    let m = all
        .iter()
        .find(|h| all.iter().filter(|o| o.building == h.building).count() >= 2)
        .expect("a building with several addresses")
        .clone();
    let store = store::SqliteStore::open(&sb.db).unwrap();
    for address in [&c.address, &m.address] {
        store
            .set_opt_out(address.parse().unwrap(), "canvassing", now())
            .unwrap();
    }
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let mut admin = sign_in_password(&s, "admin@exports.test");
    let mut wo = sign_in_password(&s, "wo@exports.test");

    // A resident with an account, contact details and consent to be contacted, reports A.
    let mut melder = sign_in_email(&sb, &s, "melder@exports.test");
    let r = melder.post_json(
        "/api/account/consents",
        &json!({ "purpose": "contact", "given": true }),
    );
    assert!(r.status == 200 || r.status == 201, "{}", r.text());
    let with_consent = report_ok(&mut melder, &solar(&a.building));
    // A device reporter without consent reports B; its contact details are kept all the same.
    let mut dev = device(&s);
    let without_consent = report_ok(&mut dev, &solar(&b.building));
    for (report, name, email) in [
        (&with_consent, "Meta Melder", "melder@exports.test"),
        (
            &without_consent,
            "=HYPERLINK(\"http://evil\")",
            "device@exports.test",
        ),
    ] {
        let rid = store
            .observation(report["id"].as_i64().unwrap())
            .unwrap()
            .unwrap()
            .observation
            .reporter_id;
        let contact = store::people::ReporterContact {
            name: Some(name.into()),
            email: Some(email.into()),
            phone: Some("0611223344".into()),
        };
        store.set_reporter_contact(rid, &contact, now()).unwrap();
    }
    // C's only household said no: its building is left out. M has households that did not.
    let of_opted_out = report_ok(&mut dev, &solar(&c.building));
    let shared = report_ok(&mut dev, &solar(&m.building));
    // A resident verifies their address by letter, reports about their own home, then opts out
    // through the API: that report leaves the export at once.
    let codes = letter_codes(&mut wo, BUURT);
    let mut household = sign_in_email(&sb, &s, "huishouden@exports.test");
    // The last letter: an address other than A, B, C, D and M (those have the lowest ids).
    let own = redeem(&mut household, &codes.last().unwrap().1);
    assert!(
        ![a, b, c, d, &m].iter().any(|h| h.address == own),
        "{own} is one of the homes above"
    );
    let gas = json!({ "type": "gas_readiness", "target": { "address": own },
                      "answers": { "heating": "gas_boiler", "cooking": "gas", "interest": "maybe" } });
    let gas = report_ok(&mut household, &gas);
    let gas_query = format!("area={BUURT}&type=gas_readiness");
    assert_eq!(
        ids(&csv_rows(&export(&mut admin, "csv", &gas_query), HEADER)),
        [gas["id"].as_i64().unwrap()]
    );
    let r = household.put(
        &format!("/api/my/addresses/{own}/opt-outs/canvassing"),
        None,
    );
    assert!(
        r.status == 200 || r.status == 201 || r.status == 204,
        "{}",
        r.text()
    );
    assert_eq!(
        ids(&csv_rows(&export(&mut admin, "csv", &gas_query), HEADER)),
        Vec::<i64>::new()
    );
    // Hidden, withdrawn, elsewhere, or another type: not in the export.
    let hidden = report_ok(&mut dev, &solar(&d.building));
    let r = admin.post_json(
        &format!("/api/observations/{}/moderation", hidden["id"]),
        &json!({ "action": "hide" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let withdrawn = report_ok(&mut dev, &solar(&d.building));
    assert_eq!(
        dev.delete(&format!("/api/observations/{}", withdrawn["id"]))
            .status,
        204
    );
    let elsewhere = report_ok(
        &mut dev,
        &solar(&single_homes(&sb, OTHER_BUURT)[0].building),
    );
    let tree = report_ok(&mut dev, &greenery(a.lon, a.lat));
    let expected = {
        let mut v = vec![
            with_consent["id"].as_i64().unwrap(),
            without_consent["id"].as_i64().unwrap(),
            shared["id"].as_i64().unwrap(),
        ];
        v.sort_unstable();
        v
    };
    let query = format!("area={BUURT}&type=solar_panels");

    // Admin, without contact: the two reports, no reporter ids, no contact columns.
    let r = export(&mut admin, "csv", &query);
    let rows = csv_rows(&r, HEADER);
    assert_eq!(
        ids(&rows),
        expected,
        "not {} (opt-out), {} (hidden), {} (withdrawn), {} (elsewhere), {} (another type)",
        of_opted_out["id"],
        hidden["id"],
        withdrawn["id"],
        elsewhere["id"],
        tree["id"]
    );
    let a_id = with_consent["id"].as_i64().unwrap();
    let row = &rows.iter().find(|(id, _)| *id == a_id).unwrap().1;
    assert_eq!(row[1], "solar_panels");
    assert_eq!(row[4], "panels_seen");
    assert_eq!(row[14], BUURT);
    assert_eq!(row[8], a.building, "pand id: {row:?}");
    // Beside the ids, the address the report is about: the building's one address, as the
    // registers write it (issue 11 item 2).
    let home = admin
        .get(&format!("/ogc/collections/addresses/items/{}", a.address))
        .json();
    let p = &home["properties"];
    let number = format!(
        "{}{}{}",
        p["huisnummer"],
        p["huisletter"].as_str().unwrap_or_default(),
        p["toevoeging"]
            .as_str()
            .map(|t| format!("-{t}"))
            .unwrap_or_default()
    );
    assert_eq!(
        (&row[10], &row[11], &row[12], &row[13]),
        (
            &p["openbare_ruimte_naam"].as_str().unwrap().to_owned(),
            &number,
            &p["postcode"].as_str().unwrap().to_owned(),
            &p["woonplaats_naam"].as_str().unwrap().to_owned()
        ),
        "{row:?}"
    );
    assert!(
        row[15].parse::<f64>().is_ok() && row[16].parse::<f64>().is_ok(),
        "{row:?}"
    );
    assert!(row[18].contains("panels"), "answers: {row:?}");
    assert!(!r.text().contains("Meta Melder") && !r.text().contains("@exports.test"));

    // Admin with contact: every reporter's details, formulas defused.
    let contact_header = format!("{HEADER},name,email,phone");
    let r = export(&mut admin, "csv", &format!("{query}&contact=true"));
    let rows = csv_rows(&r, &contact_header);
    assert_eq!(ids(&rows), expected);
    let text = r.text();
    assert!(
        text.contains("Meta Melder") && text.contains("device@exports.test"),
        "{text}"
    );
    assert!(
        text.contains("'=HYPERLINK"),
        "a formula in a name is defused: {text}"
    );
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );

    // The wijkondernemer in scope: contact only of the reporter who consented.
    let r = export(&mut wo, "csv", &format!("{query}&contact=true"));
    let rows = csv_rows(&r, &contact_header);
    assert_eq!(ids(&rows), expected);
    for (id, f) in &rows {
        if *id == with_consent["id"].as_i64().unwrap() {
            assert_eq!(
                &f[19..],
                ["Meta Melder", "melder@exports.test", "0611223344"],
                "{f:?}"
            );
        } else {
            assert_eq!(&f[19..], ["", "", ""], "no consent, no contact: {f:?}");
        }
    }
    // A whole wijk in scope holds the buurt.
    assert_eq!(
        ids(&csv_rows(
            &export(&mut wo, "csv", &format!("area={WIJK}&type=solar_panels")),
            HEADER
        )),
        expected
    );

    // Out of scope, aggregates-only roles, and the public: no.
    let r = export(
        &mut wo,
        "csv",
        &format!("area={OTHER_BUURT}&type=solar_panels"),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = export(
        &mut wo,
        "csv",
        &format!("area={GEMEENTE}&type=solar_panels"),
    );
    assert_eq!(
        r.status,
        403,
        "the gemeente is more than the scope: {}",
        r.text()
    );
    let r = export(
        &mut sign_in_password(&s, "wo-out@exports.test"),
        "csv",
        &query,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    for who in ["gemeente@exports.test", "cb@exports.test"] {
        let r = export(
            &mut sign_in_password(&s, who),
            "csv",
            &format!("area={BUURT}&type=solar_panels"),
        );
        assert_eq!(r.status, 403, "{who}: {}", r.text());
        assert!(
            r.text().contains("/api/aggregates/observations"),
            "{who} is pointed to aggregates: {}",
            r.text()
        );
    }
    let r = export(&mut Client::new(s.addr), "csv", &query);
    assert_eq!(r.status, 401, "{}", r.text());
    let r = export(&mut dev, "csv", &query);
    assert_eq!(r.status, 403, "{}", r.text());
    // Public-space reports are public on the map and in Open311, but a bulk export of reports is
    // a staff tool (issue 9): the wijkondernemer in scope and admins.
    let greenery_query = format!("area={BUURT}&type=greenery_distress");
    let r = export(&mut Client::new(s.addr), "csv", &greenery_query);
    assert_eq!(r.status, 401, "{}", r.text());
    let r = export(&mut dev, "csv", &greenery_query);
    assert_eq!(r.status, 403, "{}", r.text());
    let r = export(&mut admin, "csv", &greenery_query);
    assert_eq!(ids(&csv_rows(&r, HEADER)), [tree["id"].as_i64().unwrap()]);

    // Bad requests name what is wrong.
    for (q, param) in [
        ("type=solar_panels".to_owned(), "area"),
        (format!("area={BUURT}"), "type"),
        (format!("area={BUURT}&type=potholes"), "type"),
        ("area=XX1&type=solar_panels".to_owned(), "area"),
        (format!("{query}&contact=yes"), "contact"),
        (format!("{query}&colour=red"), "colour"),
    ] {
        let r = export(&mut admin, "csv", &q);
        assert_eq!(r.status, 400, "{q}: {}", r.text());
        assert!(r.text().contains(param), "{q}: {}", r.text());
    }
    assert_eq!(
        export(&mut admin, "csv", "area=BU19999999&type=solar_panels").status,
        422
    );
    assert_eq!(export(&mut admin, "xlsx", &query).status, 404);

    // Every export is audited with its counts; the contact exports say how many rows had contact.
    let events: Vec<Value> = audit(&mut admin)
        .into_iter()
        .filter(|e| e["action"] == "export")
        .collect();
    let ours: Vec<&Value> = events
        .iter()
        .filter(|e| e["target"] == format!("observations:{BUURT}"))
        .filter(|e| {
            e["detail"]
                .as_str()
                .unwrap()
                .starts_with("csv of solar_panels")
        })
        .collect();
    assert_eq!(ours.len(), 3, "{events:?}");
    assert!(
        ours.iter().any(|e| e["detail"]
            .as_str()
            .unwrap()
            .contains("contact details in 1 rows")),
        "the wijkondernemer's contact export: {ours:?}"
    );
    assert!(
        ours.iter().any(|e| e["detail"]
            .as_str()
            .unwrap()
            .contains("contact details in 3 rows")),
        "the admin's contact export: {ours:?}"
    );
    assert!(
        ours.iter().all(|e| e["detail"]
            .as_str()
            .unwrap()
            .contains("1 left out by opt-outs")),
        "{ours:?}"
    );
    assert!(
        !events.iter().any(|e| e.to_string().contains("Meta Melder")),
        "no contact data in the log"
    );

    // Exports are limited per account.
    let mut limited = None;
    for i in 0..12 {
        let r = export(&mut wo, "csv", &query);
        if r.status == 429 {
            limited = Some(i);
            break;
        }
        assert_eq!(r.status, 200, "{}", r.text());
    }
    assert!(
        limited.is_some(),
        "the export limit of an account is reached within 12 more"
    );
    let r = export(&mut admin, "csv", &query);
    assert_eq!(
        r.status,
        200,
        "another account is not limited by it: {}",
        r.text()
    );
    assert_no_warnings(&s);
}

#[test]
fn geojson_and_geopackage_exports_are_read_by_gdal_and_python() {
    let sb = Sandbox::new();
    sb.add_user("admin@exports.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@exports.test");
    let mut dev = device(&s);
    let homes = single_homes(&sb, BUURT);
    let mut expected: Vec<i64> = homes[..3]
        .iter()
        .map(|h| {
            report_ok(&mut dev, &solar(&h.building))["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    expected.sort_unstable();
    let query = format!("area={BUURT}&type=solar_panels&contact=true");

    let r = export(&mut admin, "geojson", &query);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/geo+json"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .ends_with(".geojson\"")
    );
    let v = r.json();
    assert_eq!(v["type"], "FeatureCollection");
    for f in v["features"].as_array().unwrap() {
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(
            (3.0..8.0).contains(&c[0].as_f64().unwrap())
                && (50.0..54.0).contains(&c[1].as_f64().unwrap()),
            "lon, lat: {c:?}"
        );
        assert_eq!(f["properties"]["answers"]["panels"], "yes");
        assert!(f["properties"].get("reporter_id").is_none());
    }
    let geojson = sb.dir().join("meldingen.geojson");
    std::fs::write(&geojson, &r.body).unwrap();
    let py = run(tests::python().args([
        "-c",
        "import json,sys; d=json.load(open(sys.argv[1])); print(sorted(f['id'] for f in d['features']))",
    ]).arg(&geojson));
    assert_eq!(py.trim(), format!("{expected:?}"));
    let info = run(Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(&geojson));
    assert!(info.contains("Feature Count: 3"), "{info}");
    assert!(info.contains("Geometry: Point"), "{info}");
    let csv = run(Command::new("ogr2ogr")
        .args(["-f", "CSV", "/vsistdout/"])
        .arg(&geojson));
    assert!(
        csv.lines().count() == 4 && csv.contains("panels_seen"),
        "{csv}"
    );

    let r = export(&mut admin, "gpkg", &query);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/geopackage+sqlite3")
    );
    assert!(r.body.starts_with(b"SQLite format 3\0"));
    let gpkg = sb.dir().join("meldingen.gpkg");
    std::fs::write(&gpkg, &r.body).unwrap();
    let info = run(Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(&gpkg));
    assert!(info.contains("Layer name: meldingen"), "{info}");
    assert!(info.contains("Feature Count: 3"), "{info}");
    assert!(info.contains("Geometry: Point"), "{info}");
    assert!(
        info.contains("ID[\"EPSG\",4326]") || info.contains("AUTHORITY[\"EPSG\",\"4326\"]"),
        "{info}"
    );
    for field in [
        "status_class:",
        "pand:",
        "confirmations:",
        "answers:",
        "email:",
    ] {
        assert!(info.contains(field), "{field} in {info}");
    }
    assert!(!info.contains("reporter"), "{info}");
    let listed = run(Command::new("ogrinfo")
        .args(["-ro", "-q", "-al"])
        .arg(&gpkg));
    for id in &expected {
        assert!(
            listed.contains(&format!("id (Integer64) = {id}")),
            "{id} in {listed}"
        );
    }
    let valid = run(Command::new("ogrinfo")
        .args([
            "-ro",
            "-q",
            "-sql",
            "SELECT count(*) AS n FROM meldingen WHERE ST_X(geom) BETWEEN 3 AND 8",
        ])
        .arg(&gpkg));
    assert!(valid.contains("n (Integer) = 3"), "{valid}");
    assert_no_warnings(&s);
}
