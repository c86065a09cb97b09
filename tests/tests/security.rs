//! The holes a security review found (issue #9), each tried again as the attacker tried it: the
//! real binary on a private copy of the sample store, real HTTP on loopback.
//!
//! Every test here failed against the code before its fix (the closing note of issue #9 lists the
//! commits); the review's own words head each test.

use std::io::Write as _;

use serde_json::{Value, json};
use store::people::NewObservation;
use tests::{Client, Response, Sandbox};

use crate::reports::{
    BUURT, OTHER_BUURT, OTHER_WIJK, PASSWORD, WIJK, device, greenery, homes, post_report,
    report_ok, sign_in_email, sign_in_password, single_homes, solar,
};

/// Now, Unix seconds.
fn now() -> i64 {
    crate::reports::now()
}

/// A config file in the sandbox with k and rounding of aggregates, so counts can be checked
/// exactly (`round_to = 1`).
fn privacy_config(sb: &Sandbox, k: u32) -> String {
    let path = sb.dir().join("privacy.toml");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "[serve.privacy]\nk = {k}\nround_to = 1").unwrap();
    path.to_string_lossy().into_owned()
}

/// `n` resident accounts made in the store (before the server starts), each with its reporter.
fn account_reporters(sb: &Sandbox, prefix: &str, n: usize) -> Vec<i64> {
    let s = store::SqliteStore::open(&sb.db).unwrap();
    (0..n)
        .map(|i| {
            let roles = [("resident".to_owned(), "all".to_owned())];
            let id = s
                .create_user(
                    &format!("{prefix}-{i}@security.test"),
                    "",
                    None,
                    &roles,
                    now(),
                )
                .unwrap();
            s.reporter_for_user(id, now()).unwrap()
        })
        .collect()
}

/// A `solar_panels` observation ("panels seen") about pand `building` (no address), or about
/// `address` in it, written in the store.
fn solar_in_store(
    sb: &Sandbox,
    home: &crate::reports::Home,
    about_address: bool,
    reporter: i64,
) -> i64 {
    let s = store::SqliteStore::open(&sb.db).unwrap();
    s.insert_observation(
        &NewObservation {
            kind: "solar_panels".into(),
            building_id: Some(home.building.parse().unwrap()),
            address_id: about_address.then(|| home.address.parse().unwrap()),
            lonlat: [home.lon, home.lat],
            buurtcode: Some(BUURT.into()),
            observed_at: now() - 3600,
            source: "resident".into(),
            reporter_id: reporter,
            answers: json!({ "panels": "yes" }).to_string(),
        },
        now(),
    )
    .unwrap()
}

/// `GET /api/aggregates/observations?…` (200).
fn aggregates(c: &mut Client, query: &str) -> Value {
    let r = c.get(&format!("/api/aggregates/observations?{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

/// The cell of `buurt` in a buurt-level aggregates answer (suppressed when absent).
fn buurt_cell(v: &Value, buurt: &str) -> Value {
    v["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["buurt"] == buurt)
        .cloned()
        .unwrap_or_else(|| json!({ "state": "suppressed" }))
}

// ----- 1 (high): sign-in links follow the Host header ---------------------------------------

/// "Without `--public-url`, `POST /api/auth/email` with `Host: evil.example` mails
/// `http://evil.example/aanmelden.html#token=…`. `X-Forwarded-Proto` is trusted with no proxy
/// configured."
#[test]
fn sign_in_links_come_from_configuration_never_from_the_request() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let evil = [
        ("Host", "evil.example"),
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
        ("Content-Type", "application/json"),
    ];
    let body = json!({ "email": "slachtoffer@security.test" }).to_string();
    let r = tests::http::request(
        s.addr,
        "POST",
        "/api/auth/email",
        &evil,
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let mail = sb.last_mail("slachtoffer@security.test").unwrap();
    let link = mail["link"].as_str().unwrap_or_default();
    assert!(
        link.starts_with(&format!("http://{}/aanmelden.html#token=", s.addr)),
        "on loopback the link names the listen address: {link}"
    );
    assert!(!mail["body"].as_str().unwrap().contains("evil"), "{mail}");
    // Self links in API answers follow the Host, but forwarded headers only from a trusted proxy.
    let r = tests::http::get_with(
        s.addr,
        "/tiles/buildings.json",
        &[
            ("X-Forwarded-Host", "evil.example"),
            ("X-Forwarded-Proto", "https"),
        ],
    );
    assert_eq!(r.status, 200);
    let tiles = r.json()["tiles"][0].as_str().unwrap().to_owned();
    assert!(tiles.starts_with(&format!("http://{}/", s.addr)), "{tiles}");
    drop(s);

    // Configured: the public URL, whatever the request says.
    let s = sb.serve(&["--public-url", "https://wijk.example.nl"]);
    let r = tests::http::request(
        s.addr,
        "POST",
        "/api/auth/email",
        &evil,
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let mail = sb.last_mail("slachtoffer@security.test").unwrap();
    assert!(
        mail["link"]
            .as_str()
            .unwrap()
            .starts_with("https://wijk.example.nl/aanmelden.html#token="),
        "{mail}"
    );
    drop(s);

    // Behind a configured proxy its headers count.
    let s = sb.serve(&["--trusted-proxy", "127.0.0.0/8"]);
    let r = tests::http::get_with(
        s.addr,
        "/tiles/buildings.json",
        &[
            ("X-Forwarded-Host", "kaart.example.nl"),
            ("X-Forwarded-Proto", "https"),
        ],
    );
    let tiles = r.json()["tiles"][0].as_str().unwrap().to_owned();
    assert!(tiles.starts_with("https://kaart.example.nl/"), "{tiles}");
}

/// Off loopback without `--public-url` no link is sent at all: the code alone, and no letters.
#[test]
fn without_a_public_url_off_loopback_no_link_is_sent() {
    let sb = Sandbox::new();
    sb.add_user("wo@security.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&["--listen", "0.0.0.0:0"]);
    assert!(
        s.warnings().iter().any(|l| l.contains("no --public-url")),
        "a warning says what is missing: {:?}",
        s.warnings()
    );
    let mut c = Client::new(s.addr);
    let r = c.send(
        "POST",
        "/api/auth/email",
        &[
            ("Host", "evil.example"),
            ("Content-Type", "application/json"),
        ],
        Some(
            json!({ "email": "bewoner@security.test" })
                .to_string()
                .as_bytes(),
        ),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let mail = sb.last_mail("bewoner@security.test").unwrap();
    assert!(mail["link"].is_null(), "no link: {mail}");
    assert!(mail["code"].as_str().is_some_and(|c| c.len() == 6));
    assert!(!mail["body"].as_str().unwrap().contains("http"), "{mail}");
    let mut wo = sign_in_password(&s, "wo@security.test");
    let r = wo.post_json("/api/letters", &json!({ "area": BUURT, "format": "pdf" }));
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["code"], "PublicUrlRequired");
}

// ----- 2: free text that looks like personal data is published ------------------------------

/// "A public-space report with the note `mail me: piet@example.nl 0612345678` is flagged for
/// moderation, yet signed-out `GET /api/observations/{id}` returns the note, and so does a
/// signed-out export."
#[test]
fn flagged_free_text_is_withheld_until_a_moderator_releases_it() {
    let sb = Sandbox::new();
    sb.add_user("wo@security.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[3];
    let note = "mail me: piet@example.nl 0612345678";
    let mut body = greenery(home.lon + 0.0002, home.lat);
    body["answers"]["note"] = json!(note);
    let mut reporter = device(&s);
    let report = report_ok(&mut reporter, &body);
    let id = report["id"].as_i64().unwrap();
    assert_eq!(
        report["answers"]["note"], note,
        "the reporter sees their own"
    );
    assert_eq!(report["free_text_in_review"], true);

    let path = format!("/api/observations/{id}");
    let mut others = [Client::new(s.addr), device(&s)];
    for c in &mut others {
        let r = c.get(&path);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert!(v["answers"].get("note").is_none(), "{v}");
        assert_eq!(v["withheld"], json!(["note"]), "{v}");
        assert!(!r.text().contains("piet@example.nl"));
    }
    for path in [
        format!("/open311/v2/requests/{id}.json"),
        "/open311/v2/requests.json".to_owned(),
    ] {
        let r = tests::http::get(s.addr, &path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert!(
            !r.text().contains("piet@example.nl"),
            "{path}: {}",
            r.text()
        );
    }
    // Exports are for the wijkondernemer in scope and admins, public-space reports too.
    let export = format!("/api/exports/observations.csv?area={BUURT}&type=greenery_distress");
    assert_eq!(Client::new(s.addr).get(&export).status, 401);
    assert_eq!(reporter.get(&export).status, 403);
    let mut wo = sign_in_password(&s, "wo@security.test");
    let r = wo.get(&export);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("piet@example.nl"),
        "the moderator sees it"
    );
    // Released by the moderator, everyone sees it.
    let r = wo.post_json(
        &format!("/api/observations/{id}/moderation"),
        &json!({ "action": "release" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = Client::new(s.addr).get(&path).json();
    assert_eq!(v["answers"]["note"], note, "{v}");
    assert_eq!(v["withheld"], json!([]));
    let r = wo.post_json(
        &format!("/api/observations/{id}/moderation"),
        &json!({ "action": "release" }),
    );
    assert_eq!(r.status, 409, "nothing left to release: {}", r.text());
}

// ----- 3: identities that cost nothing ------------------------------------------------------

/// "Three device sessions flagging a report auto-hide it — even a household report those
/// devices cannot read (GET 404)."
#[test]
fn flags_from_device_sessions_do_not_hide_and_unreadable_reports_cannot_be_flagged() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let home = &homes(&sb, BUURT)[5];
    let mut reporter = device(&s);
    let household = report_ok(&mut reporter, &solar(&home.building));
    let hid = household["id"].as_i64().unwrap();
    let public = report_ok(&mut reporter, &greenery(home.lon + 0.0003, home.lat));
    let pid = public["id"].as_i64().unwrap();
    // Three device sessions flag a public report: it stays on the map.
    for _ in 0..3 {
        let r = device(&s).post_json(
            &format!("/api/observations/{pid}/flags"),
            &json!({ "reason": "weg ermee" }),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(
            r.json()["hidden"],
            false,
            "a device's flag hides: {}",
            r.text()
        );
    }
    // A report about a home they cannot read does not exist for them: no flag, no confirmation.
    for _ in 0..3 {
        let mut d = device(&s);
        assert_eq!(d.get(&format!("/api/observations/{hid}")).status, 404);
        let r = d.post_json(
            &format!("/api/observations/{hid}/flags"),
            &json!({ "reason": "weg ermee" }),
        );
        assert_eq!(
            r.status,
            404,
            "a report one cannot read does not exist: {}",
            r.text()
        );
        let r = d.post_json(
            &format!("/api/observations/{hid}/confirmations"),
            &json!({}),
        );
        assert_eq!(r.status, 404, "{}", r.text());
    }
    assert_eq!(
        reporter.get(&format!("/api/observations/{hid}")).json()["status"],
        "new"
    );
    // Three residents with an account do hide it.
    for i in 0..3 {
        let mut c = sign_in_email(&sb, &s, &format!("buur-{i}@security.test"));
        let r = c.post_json(
            &format!("/api/observations/{pid}/flags"),
            &json!({ "reason": "klopt niet" }),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["hidden"], i == 2, "{}", r.text());
    }
}

/// "Four device sessions each reporting `roof_suitability` on other buildings in a buurt lift a
/// cell with one real report over the k threshold, revealing that report."
#[test]
fn device_sessions_cannot_pad_a_cell_over_k() {
    let sb = Sandbox::new();
    let real = account_reporters(&sb, "echt", 1)[0];
    let singles = single_homes(&sb, BUURT);
    solar_in_store(&sb, &singles[0], false, real);
    let s = sb.serve(&[]);
    for home in &singles[1..5] {
        report_ok(&mut device(&s), &solar(&home.building));
    }
    let mut anyone = Client::new(s.addr);
    let v = aggregates(&mut anyone, &format!("type=solar_panels&area={WIJK}"));
    assert_eq!(buurt_cell(&v, BUURT)["state"], "suppressed", "{v}");
    assert_eq!(v["total"]["records"], 0, "{v}");
    // Nor on the public map.
    let (x, y) = tests::mvt::tile_of(singles[0].lon, singles[0].lat, 12);
    let r = anyone.get(&format!("/tiles/all/12/{x}/{y}.mvt"));
    assert!(
        !tests::mvt::layer_names(&r.body).contains(&"observations_per_buurt".to_owned()),
        "the padded cell is drawn"
    );
}

// ----- 4: `similar` is a per-building oracle ------------------------------------------------

/// "With a fresh device session, `?type=solar_panels&building=…` returns
/// `{id, status_class: "panels_seen", observed_at}` for any building, and
/// `POST /api/observations/{id}/confirmations` works on a report the caller gets 404 for."
#[test]
fn similar_is_for_those_who_may_see_and_a_repeat_report_becomes_a_confirmation() {
    let sb = Sandbox::new();
    sb.add_user("wo@security.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[9];
    let mut first = device(&s);
    let report = report_ok(&mut first, &solar(&home.building));
    let id = report["id"].as_i64().unwrap();
    let similar = format!(
        "/api/observations/similar?type=solar_panels&building={}",
        home.building
    );
    let mut second = device(&s);
    let r = second.get(&similar);
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(!r.text().contains(&id.to_string()));
    // A building without reports answers the same.
    let empty = &homes(&sb, BUURT)[40];
    let r = second.get(&format!(
        "/api/observations/similar?type=solar_panels&building={}",
        empty.building
    ));
    assert_eq!(r.status, 403, "{}", r.text());
    let r = second.post_json(&format!("/api/observations/{id}/confirmations"), &json!({}));
    assert_eq!(r.status, 404, "{}", r.text());
    // Reporting the same makes a confirmation, and the answer says so after the write.
    let r = post_report(&mut second, &solar(&home.building), None);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["outcome"], "confirmed", "{v}");
    assert_eq!(v["confirmations"], 1, "{v}");
    assert!(
        v.get("answers").is_none(),
        "nothing of the other report: {v}"
    );
    // Saying something else is a report of its own.
    let mut other = solar(&home.building);
    other["answers"] = json!({ "panels": "no" });
    let r = post_report(&mut second, &other, None);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["outcome"], "created");
    // Staff in scope may ask.
    let mut wo = sign_in_password(&s, "wo@security.test");
    let r = wo.get(&similar);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["existing"]["id"], id);
    assert_eq!(
        wo.get(&format!("/api/observations/{id}")).json()["confirmations"],
        1
    );
}

// ----- 6: an admin with a limited scope is a full admin --------------------------------------

/// "`admin@BU19990100` reads every user and the whole audit log, and creates
/// `{"role": "admin", "scope": "all"}` (201)." Decided: an admin holds scope `all`; a scoped
/// admin cannot be made, and one stored before grants nothing.
#[test]
fn a_scoped_admin_cannot_exist() {
    let sb = Sandbox::new();
    let out = sb.try_add_user("klein@security.test", "admin", BUURT, Some(PASSWORD));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("an admin holds scope all"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    sb.add_user("admin@security.test", "admin", "all", Some(PASSWORD));
    // One made before the rule, straight in the store.
    sb.add_user("oud@security.test", "wijkondernemer", BUURT, Some(PASSWORD));
    {
        let st = store::SqliteStore::open(&sb.db).unwrap();
        let u = st.user_by_email("oud@security.test").unwrap().unwrap();
        st.set_roles(u.id, &[("admin".to_owned(), BUURT.to_owned())])
            .unwrap();
    }
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@security.test");
    let r = admin.post_json(
        "/api/admin/users",
        &json!({ "email": "klein@security.test", "role": "admin", "scope": BUURT, "password": PASSWORD }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains("an admin holds scope all"),
        "{}",
        r.text()
    );
    let mut old = sign_in_password(&s, "oud@security.test");
    for path in [
        "/api/admin/users",
        "/api/admin/audit",
        "/api/admin/retention",
    ] {
        assert_eq!(old.get(path).status, 403, "{path}");
    }
    let r = old.post_json(
        "/api/admin/users",
        &json!({ "email": "baas@security.test", "role": "admin", "scope": "all", "password": PASSWORD }),
    );
    assert_eq!(r.status, 403, "{}", r.text());
}

// ----- 7, 8: aggregates miss opt-outs of a pand and count withdrawn reports ----------------

/// "A `research` opt-out is ignored in `/api/aggregates/observations` for reports about a pand
/// whose only address opted out" and "withdrawn reports still count (the map's aggregate layer
/// drops them: the two must agree, from one function)".
#[test]
fn aggregates_leave_out_opted_out_panden_and_withdrawn_reports_as_the_map_does() {
    let sb = Sandbox::new();
    let config = privacy_config(&sb, 3);
    let reporters = account_reporters(&sb, "buur", 6);
    let singles = single_homes(&sb, BUURT);
    for (i, r) in reporters.iter().enumerate() {
        solar_in_store(&sb, &singles[i], false, *r);
    }
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    let query = format!("type=solar_panels&area={WIJK}");
    let count = |c: &mut Client| buurt_cell(&aggregates(c, &query), BUURT)["records"].clone();
    assert_eq!(count(&mut anyone), 6);
    // A withdrawn report no longer counts, in the API as on the map.
    let mut reporter = device(&s);
    let extra = report_ok(&mut reporter, &solar(&singles[7].building));
    let mut acct = sign_in_email(&sb, &s, "nog-een@security.test");
    let extra2 = report_ok(&mut acct, &solar(&singles[8].building));
    assert_eq!(count(&mut anyone), 8, "{extra}");
    let r = acct.delete(&format!("/api/observations/{}", extra2["id"]));
    assert_eq!(r.status, 204);
    assert_eq!(count(&mut anyone), 7, "withdrawn");
    drop(s);
    // The only household of the first pand opts out of research (the register is read at start).
    store::SqliteStore::open(&sb.db)
        .unwrap()
        .set_opt_out(singles[0].address.parse().unwrap(), "research", now())
        .unwrap();
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    assert_eq!(count(&mut anyone), 6, "the opted-out pand is left out");
}

// ----- 9: hidden reports stay readable by id -----------------------------------------------

/// "Hidden reports stay readable by id (signed out, and by a volunteer), while Open311 and the
/// timeline leave them out."
#[test]
fn hidden_reports_are_read_only_by_their_reporter_and_moderators() {
    let sb = Sandbox::new();
    sb.add_user("wo@security.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "vrijwilliger@security.test",
        "volunteer",
        WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[2];
    let mut reporter = device(&s);
    let public = report_ok(&mut reporter, &greenery(home.lon, home.lat + 0.0002));
    let household = report_ok(&mut reporter, &solar(&home.building));
    let mut wo = sign_in_password(&s, "wo@security.test");
    let mut volunteer = sign_in_password(&s, "vrijwilliger@security.test");
    for r in [&public, &household] {
        let id = &r["id"];
        let path = format!("/api/observations/{id}");
        assert_eq!(volunteer.get(&path).status, 200);
        let h = wo.post_json(
            &format!("/api/observations/{id}/moderation"),
            &json!({ "action": "hide" }),
        );
        assert_eq!(h.status, 200, "{}", h.text());
        assert_eq!(Client::new(s.addr).get(&path).status, 404, "{path}");
        assert_eq!(volunteer.get(&path).status, 404, "{path}");
        assert_eq!(reporter.get(&path).json()["status"], "hidden");
        assert_eq!(wo.get(&path).json()["status"], "hidden");
    }
}

// ----- 11: a moderator out of scope tells existing ids from missing ones --------------------

#[test]
fn a_moderator_elsewhere_gets_the_same_answer_for_existing_and_missing_reports() {
    let sb = Sandbox::new();
    sb.add_user("wo@security.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "elders@security.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let home = &homes(&sb, BUURT)[4];
    let mut reporter = device(&s);
    let a = report_ok(&mut reporter, &solar(&home.building))["id"].clone();
    let mut elsewhere = sign_in_password(&s, "elders@security.test");
    let answer = |c: &mut Client, id: &Value| -> Vec<(u16, String)> {
        let m = c.post_json(
            &format!("/api/observations/{id}/moderation"),
            &json!({ "action": "hide" }),
        );
        let g = c.post_json(
            &format!("/api/observations/{id}/merge"),
            &json!({ "into": 1 }),
        );
        let sp = c.post_json(
            &format!("/api/observations/{id}/split"),
            &json!({ "answers": { "panels": "no" } }),
        );
        [m, g, sp]
            .iter()
            .map(|r: &Response| {
                (
                    r.status,
                    r.json()["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let existing = answer(&mut elsewhere, &a);
    let missing = answer(&mut elsewhere, &json!(987_654));
    assert_eq!(existing, missing);
    assert!(existing.iter().all(|(s, _)| *s == 404), "{existing:?}");
    let mut wo = sign_in_password(&s, "wo@security.test");
    let r = wo.post_json(
        &format!("/api/observations/{a}/moderation"),
        &json!({ "action": "hide" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

// ----- 14: nested grid levels can be differenced --------------------------------------------

/// "The grid levels nest (powers of two), so a coarser released cell minus its released children
/// can give a suppressed child. A released total is the sum of released cells only, at every
/// level."
#[test]
fn a_coarse_grid_cell_is_the_sum_of_its_released_children() {
    let sb = Sandbox::new();
    let config = privacy_config(&sb, 3);
    let all = homes(&sb, BUURT);
    let reporters = account_reporters(&sb, "rooster", all.len());
    for (home, r) in all.iter().zip(&reporters) {
        solar_in_store(&sb, home, true, *r);
    }
    let s = sb.serve(&["--config", &config]);
    let mut anyone = Client::new(s.addr);
    let cells = |c: &mut Client, m: u32| -> Vec<Value> {
        aggregates(c, &format!("type=solar_panels&level=grid&cell_m={m}"))["cells"]
            .as_array()
            .unwrap()
            .clone()
    };
    let key = |cell: &Value| -> (u32, i64, i64) {
        let k: Vec<i64> = cell["cell"]
            .as_str()
            .unwrap()
            .split('_')
            .map(|p| p.parse().unwrap())
            .collect();
        (k[0] as u32, k[1], k[2])
    };
    let mut suppressed_child_of_shown_parent = false;
    let sizes: Vec<u32> = [100, 200, 400, 800, 1600]
        .into_iter()
        .map(|m| key(&cells(&mut anyone, m)[0]).0)
        .collect();
    for pair in [100, 200, 400, 800, 1600].windows(2) {
        let (fine, coarse) = (cells(&mut anyone, pair[0]), cells(&mut anyone, pair[1]));
        let ratio = (f64::from(key(&coarse[0]).0) / f64::from(key(&fine[0]).0)).round() as i64;
        if ratio < 2 {
            continue;
        }
        assert!(ratio.count_ones() == 1, "grid sizes nest: {ratio}");
        for parent in &coarse {
            let (_, px, py) = key(parent);
            let kids: Vec<&Value> = fine
                .iter()
                .filter(|c| {
                    let (_, x, y) = key(c);
                    x.div_euclid(ratio) == px && y.div_euclid(ratio) == py
                })
                .collect();
            let shown: u64 = kids
                .iter()
                .filter(|c| c["state"] == "shown")
                .map(|c| c["records"].as_u64().unwrap())
                .sum();
            let parent_records = parent["records"].as_u64().unwrap_or(0);
            assert_eq!(
                parent_records, shown,
                "parent {parent} vs its children {kids:?}"
            );
            if parent["state"] == "shown" && kids.iter().any(|c| c["state"] == "suppressed") {
                suppressed_child_of_shown_parent = true;
            }
        }
    }
    assert!(
        suppressed_child_of_shown_parent,
        "the data holds the case the review found (grid sizes {sizes:?})"
    );
    // And the same per buurt and area totals: only released cells.
    let v = aggregates(&mut anyone, "type=solar_panels&level=buurt");
    assert_eq!(buurt_cell(&v, OTHER_BUURT)["state"], "suppressed");
}
