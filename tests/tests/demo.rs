//! `wijkwerk demo`: a fresh demo shows every capability with sample data — resident reports on
//! the map and in the aggregates, work of every kind, and a partner whose assignments tell a
//! story — and a second run on the same folder adds none of it again.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use tests::{Client, Server, get};

/// The accounts of `demo-accounts.txt`: role → (e-mail, password).
fn accounts(dir: &Path) -> BTreeMap<String, (String, String)> {
    let text = std::fs::read_to_string(dir.join("demo-accounts.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "e-mail, password, role@scope: {l:?}");
            let role = f[2].split('@').next().unwrap().to_owned();
            (role, (f[0].to_owned(), f[1].to_owned()))
        })
        .collect()
}

/// A client signed in with the password of the demo account with `role`.
fn sign_in(server: &Server, role: &str) -> Client {
    let accounts = accounts(&server.dir);
    let (email, password) = accounts
        .get(role)
        .unwrap_or_else(|| panic!("no {role} in demo-accounts.txt: {accounts:?}"));
    let mut c = Client::new(server.addr);
    let r = c.post_json(
        "/api/auth/password",
        &json!({ "email": email, "password": password }),
    );
    assert_eq!(r.status, 200, "sign-in of {email}: {}", r.text());
    c
}

/// The gemeente-level summary row of work `kind`.
fn work_of(summary: &Value, kind: &str) -> Value {
    summary["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} work in {summary}"))
}

/// What the store holds after a run: live reports by type, and the assignments.
fn stored(db: &Path) -> (BTreeMap<String, usize>, usize) {
    let s = store::SqliteStore::open(db).unwrap();
    let mut by_kind = BTreeMap::new();
    for o in s.live_observations().unwrap() {
        *by_kind.entry(o.observation.kind.clone()).or_insert(0) += 1;
        // Pseudonymous reporters: nobody's contact details come with the sample reports.
        assert_eq!(
            s.reporter_contact(o.observation.reporter_id).unwrap(),
            None,
            "report {} has a reporter with contact details",
            o.id
        );
    }
    (by_kind, s.assignments().unwrap().len())
}

/// Checks what a running demo shows; returns nothing, panics on the first gap.
fn shows_sample_activity(server: &Server) {
    // Urgency: beside the shipped indicators one over the sample's heat map (a GeoTIFF), its
    // zonal mean per buurt in °C, between 0 and 3 as the generator makes it.
    let meta = get(server.addr, "/api/urgency/indicators").json();
    let heat = meta["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "heat_island")
        .unwrap_or_else(|| panic!("the demo's heat indicator: {meta}"));
    assert_eq!(
        (&heat["over"], &heat["measure"]),
        (&json!("raster"), &json!("mean"))
    );
    assert_eq!(heat["value_unit"]["nl"], "°C");
    let r = get(
        server.addr,
        "/api/urgency?level=buurt&indicator=heat_island",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let cells = r.json()["cells"].as_array().unwrap().clone();
    assert!(!cells.is_empty());
    for c in &cells {
        let v = c["value"].as_f64().unwrap_or_else(|| panic!("{c}"));
        assert!(
            (0.0..=3.0).contains(&v) && c["numerator"].as_u64().unwrap() > 0,
            "{c}"
        );
    }
    // Work: solar with items planned under the assignment and some done, greenery and tree
    // care from the reports, gas_free from the data.
    let mut wo = sign_in(server, "wijkondernemer");
    let r = wo.get("/api/work/summary?level=gemeente");
    assert_eq!(r.status, 200, "{}", r.text());
    let summary = r.json();
    let solar = work_of(&summary, "solar");
    assert!(solar["items"].as_u64().unwrap() > 0, "{solar}");
    assert_eq!(
        solar["by_status"]["planned"], 8,
        "12 planned, 4 of them done: {solar}"
    );
    assert_eq!(solar["by_status"]["done"], 4, "{solar}");
    // Reports about trees name the register tree: tree care; the rest are spots.
    let greenery = work_of(&summary, "greenery");
    assert!(
        greenery["items"].as_u64().unwrap() >= 3,
        "greenery work from confirmed or repeated reports: {greenery}"
    );
    let trees = work_of(&summary, "tree_care");
    assert!(
        trees["items"].as_u64().unwrap() >= 2,
        "tree care from reports that name a register tree: {trees}"
    );
    assert!(work_of(&summary, "gas_free")["items"].as_u64().unwrap() > 0);
    // The public sees the same kinds, k-anonymous.
    let public = get(server.addr, "/api/work/summary?level=gemeente").json();
    assert!(work_of(&public, "solar")["items"].as_u64().unwrap() > 0);
    assert!(
        work_of(&public, "greenery")["items"].as_u64().unwrap() > 0,
        "{public}"
    );

    // The partner of demo-accounts.txt sees its accepted assignment with delivered and accepted
    // units, and its offer still open.
    let mut partner = sign_in(server, "partner");
    let me = partner.get("/api/account").json();
    assert_eq!(
        me["user"]["organisation"], "Energiecoöperatie Wijkdorp",
        "{me}"
    );
    let r = partner.get("/api/assignments");
    assert_eq!(r.status, 200, "{}", r.text());
    let list = r.json()["assignments"].as_array().unwrap().clone();
    assert_eq!(list.len(), 2, "{list:?}");
    let accepted = list
        .iter()
        .find(|a| a["status"] == "accepted")
        .unwrap_or_else(|| panic!("no accepted assignment: {list:?}"));
    assert_eq!(accepted["kind"], "solar");
    assert_eq!(accepted["criteria"], "bouwjaar BETWEEN 1960 AND 1990");
    assert_eq!(accepted["planned"], 12, "{accepted}");
    assert_eq!(accepted["delivered"], 4, "{accepted}");
    assert_eq!(accepted["accepted"], 3, "{accepted}");
    let offered = list
        .iter()
        .find(|a| a["status"] == "offered")
        .unwrap_or_else(|| panic!("no offered assignment: {list:?}"));
    assert_eq!(offered["kind"], "gas_free");
    assert_eq!(accepted["helpers_paid"], true, "{accepted}");

    // Residents who offered help, matched to the open work of the wijk; one invitation
    // accepted with paid hours, one waiting for an answer.
    let r = wo.get("/api/talent/offers");
    assert_eq!(r.status, 200, "{}", r.text());
    let offers = r.json()["offers"].as_array().unwrap().clone();
    assert_eq!(offers.len(), 3, "{offers:?}");
    assert!(
        offers.iter().any(|o| o["open_items"].as_u64().unwrap() > 0),
        "{offers:?}"
    );
    let invitations = wo.get("/api/talent/invitations").json()["invitations"]
        .as_array()
        .unwrap()
        .clone();
    let mut statuses: Vec<&str> = invitations
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["accepted", "invited"], "{invitations:?}");
    let accepted_one = invitations
        .iter()
        .find(|i| i["status"] == "accepted")
        .unwrap();
    assert_eq!(accepted_one["hours_paid"], 4.0, "{accepted_one}");
    assert!(
        accepted_one["about"]["address"].is_string(),
        "{accepted_one}"
    );

    // Reports on the public map's aggregates (k-anonymous: only where enough residents
    // reported).
    for kind in ["solar_panels", "roof_suitability", "gas_readiness"] {
        let a = get(
            server.addr,
            &format!("/api/aggregates/observations?type={kind}"),
        )
        .json();
        assert!(
            a["total"]["records"].as_u64().unwrap() >= 5,
            "{kind} reports in the public aggregates: {a}"
        );
    }
}

#[test]
fn a_fresh_demo_is_alive_and_a_second_run_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let db = dir.join("wijkwerk.sqlite");
    {
        let server = Server::start_demo(&dir, &[]);
        shows_sample_activity(&server);
    }
    let (first, assignments) = stored(&db);
    assert_eq!(assignments, 2);
    for kind in [
        "solar_panels",
        "roof_suitability",
        "gas_readiness",
        "greenery_distress",
    ] {
        assert!(first.get(kind).copied().unwrap_or(0) >= 5, "{first:?}");
    }
    let total: usize = first.values().sum();
    assert!((35..=50).contains(&total), "about 40 reports: {first:?}");

    // Again on the same folder: new passwords, the same activity.
    {
        let server = Server::start_demo(&dir, &[]);
        shows_sample_activity(&server);
    }
    assert_eq!(stored(&db), (first, 2));
}
