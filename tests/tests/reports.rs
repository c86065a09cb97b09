//! Resident reports (issue #4), end to end: the real binary on a private copy of the sample store,
//! real HTTP on loopback, real SQLite, and independent tools (exiftool) where the claim is about
//! bytes.
//!
//! Each test starts its own server on its own [`Sandbox`]. Staff accounts are made with
//! `wijkwerk users add --password-stdin` before the server starts; residents sign in with the code
//! from the mail outbox; reporters without an account use device sessions. Observations are limited
//! per client IP (a burst of 60), so no test here makes more than that from loopback.
//!
//! The sample gemeente is GM1999; `WK199901` holds buurt `BU19990100`, `WK199902` holds
//! `BU19990200`.

mod duplicates;
mod durability;
mod live_map;
mod moderation;
mod photos;
mod timeline;
mod types;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tests::{Client, Response, Sandbox, Server};

/// The password of every staff account the tests make.
pub(crate) const PASSWORD: &str = "correct horse battery staple";
/// The sample gemeente.
pub(crate) const GEMEENTE: &str = "GM1999";
/// The wijk staff are scoped to, and its one buurt.
pub(crate) const WIJK: &str = "WK199901";
pub(crate) const BUURT: &str = "BU19990100";
/// Another wijk (out of scope), and its buurt.
pub(crate) const OTHER_WIJK: &str = "WK199902";
pub(crate) const OTHER_BUURT: &str = "BU19990200";

/// Now, Unix seconds.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A new client signed in as staff `email` with [`PASSWORD`].
pub(crate) fn sign_in_password(server: &Server, email: &str) -> Client {
    let mut c = Client::new(server.addr);
    let r = c.post_json(
        "/api/auth/password",
        &json!({ "email": email, "password": PASSWORD }),
    );
    assert_eq!(r.status, 200, "sign-in of {email}: {}", r.text());
    assert!(
        c.cookie.is_some() && c.csrf.is_some(),
        "{email} got a session"
    );
    c
}

/// A new client signed in as resident `email` with the code of a sign-in mail.
pub(crate) fn sign_in_email(sb: &Sandbox, server: &Server, email: &str) -> Client {
    let mut c = Client::new(server.addr);
    let r = c.post_json("/api/auth/email", &json!({ "email": email }));
    assert_eq!(r.status, 202, "mail for {email}: {}", r.text());
    let mail = sb.last_mail(email).expect("the mail is in the outbox");
    let code = mail["code"].as_str().expect("mail has a code").to_owned();
    let r = c.post_json(
        "/api/auth/email/verify",
        &json!({ "email": email, "code": code }),
    );
    assert_eq!(r.status, 200, "sign-in of {email}: {}", r.text());
    c
}

/// A new client in a device session (a pseudonymous reporter).
pub(crate) fn device(server: &Server) -> Client {
    let mut c = Client::new(server.addr);
    let r = c.send("POST", "/api/auth/device", &[], None);
    assert_eq!(r.status, 200, "device session: {}", r.text());
    assert!(c.cookie.is_some() && c.csrf.is_some(), "a device session");
    c
}

/// Letter codes of every address in `area` (a wijkondernemer's CSV): (street line, code).
pub(crate) fn letter_codes(wo: &mut Client, area: &str) -> Vec<(String, String)> {
    let r = wo.post_json("/api/letters", &json!({ "area": area, "format": "csv" }));
    assert_eq!(r.status, 200, "letters of {area}: {}", r.text());
    r.text()
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[2].to_owned())
        })
        .collect()
}

/// Redeems a letter code for the signed-in resident `c`; returns the verified address id.
pub(crate) fn redeem(c: &mut Client, code: &str) -> String {
    let r = c.post_json("/api/my/addresses", &json!({ "code": code }));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["address_id"].as_str().unwrap().to_owned()
}

/// A home of the sample: an address with the building it lies in.
#[derive(Debug, Clone)]
pub(crate) struct Home {
    pub address: String,
    pub building: String,
    pub lon: f64,
    pub lat: f64,
}

/// Every address in `buurt` that lies in a standing building (the map leaves out demolished
/// panden and withdrawn addresses), in id order.
pub(crate) fn homes(sb: &Sandbox, buurt: &str) -> Vec<Home> {
    use store::Store as _;
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let mut standing = std::collections::HashSet::new();
    s.for_each_building(&mut |b| {
        if b.status.as_str() == "Pand in gebruik" {
            standing.insert(b.id.get());
        }
    })
    .unwrap();
    let mut out = Vec::new();
    s.for_each_address(&mut |a| {
        let in_buurt = a.areas.buurt.is_some_and(|c| c.to_string() == buurt);
        let building = a.building_ids.first().map(|b| b.get());
        if let (true, true, Some(b)) = (in_buurt, a.status.is_shown(), building)
            && standing.contains(&b)
        {
            out.push(Home {
                address: format!("{:016}", a.id.get()),
                building: format!("{b:016}"),
                lon: a.location_wgs84.x(),
                lat: a.location_wgs84.y(),
            });
        }
    })
    .unwrap();
    out.sort_by(|a, b| a.address.cmp(&b.address));
    out
}

/// Homes alone in their building (one address, in one building only).
pub(crate) fn single_homes(sb: &Sandbox, buurt: &str) -> Vec<Home> {
    let all = homes(sb, buurt);
    all.iter()
        .filter(|h| all.iter().filter(|o| o.building == h.building).count() == 1)
        .cloned()
        .collect()
}

/// POST /api/observations with an optional `Idempotency-Key`.
pub(crate) fn post_report(c: &mut Client, body: &Value, key: Option<&str>) -> Response {
    let b = body.to_string();
    let mut h = vec![("Content-Type", "application/json")];
    if let Some(k) = key {
        h.push(("Idempotency-Key", k));
    }
    c.send("POST", "/api/observations", &h, Some(b.as_bytes()))
}

/// Posts a report that must be accepted; returns the report.
pub(crate) fn report_ok(c: &mut Client, body: &Value) -> Value {
    let r = post_report(c, body, None);
    assert_eq!(r.status, 201, "{body}: {}", r.text());
    r.json()
}

/// A valid `solar_panels` report about `building`.
pub(crate) fn solar(building: &str) -> Value {
    json!({
        "type": "solar_panels",
        "target": { "building": building },
        "answers": { "panels": "yes", "count": "5-10", "roof_part": "front" },
    })
}

/// A valid `greenery_distress` report at a point.
pub(crate) fn greenery(lon: f64, lat: f64) -> Value {
    json!({
        "type": "greenery_distress",
        "target": { "point": { "type": "Point", "coordinates": [lon, lat] } },
        "answers": { "object": "tree", "severity": "dying", "cause": "drought" },
    })
}

/// The `field`s of a 422's `errors[]`.
pub(crate) fn error_fields(r: &Response) -> Vec<String> {
    assert_eq!(r.status, 422, "{}", r.text());
    r.json()["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("422 without errors[]: {}", r.text()))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// The audit log as an admin reads it, newest first.
pub(crate) fn audit(admin: &mut Client) -> Vec<Value> {
    let r = admin.get("/api/admin/audit?limit=1000");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json().as_array().unwrap().clone()
}

/// Panics on WARN/ERROR log lines other than the expected "no SMTP configured" notice.
pub(crate) fn assert_no_warnings(server: &Server) {
    let unexpected: Vec<String> = server
        .warnings()
        .into_iter()
        .filter(|l| !l.contains("no SMTP configured"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected warnings:\n{}",
        unexpected.join("\n")
    );
}

// ----- MVT ---------------------------------------------------------------------------------------

pub(crate) use tests::mvt::tile_of;

/// The feature ids of `layer` in a tile answer (200 or 204).
pub(crate) fn ids_in(r: &Response, layer: &str) -> Vec<u64> {
    assert!(
        r.status == 200 || r.status == 204,
        "tile: {} {}",
        r.status,
        r.text()
    );
    assert!(
        r.header("content-encoding").is_none(),
        "asked without Accept-Encoding"
    );
    tests::mvt::layers(&r.body)
        .into_iter()
        .filter(|(n, _)| n == layer)
        .flat_map(|(_, ids)| ids)
        .collect()
}

/// `/tiles/all/16/x/y.mvt` of the tile holding a report's point.
pub(crate) fn tile_path_of(report: &Value) -> String {
    let c = &report["target"]["point"]["coordinates"];
    let (x, y) = tile_of(c[0].as_f64().unwrap(), c[1].as_f64().unwrap(), 16);
    format!("/tiles/all/16/{x}/{y}.mvt")
}
