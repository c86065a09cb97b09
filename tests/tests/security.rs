//! The holes a security review found (issue #9), each tried again as the attacker tried it: the
//! real binary on a private copy of the sample store, real HTTP on loopback.
//!
//! Every test here failed against the code before its fix (the closing note of issue #9 lists the
//! commits); the review's own words head each test.

use serde_json::{Value, json};
use tests::{Client, Response, Sandbox};

mod aggregates;

use crate::reports::{
    BUURT, OTHER_WIJK, PASSWORD, WIJK, device, greenery, homes, post_report, report_ok,
    sign_in_email, sign_in_password, solar,
};

/// Now, Unix seconds.
fn now() -> i64 {
    crate::reports::now()
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
