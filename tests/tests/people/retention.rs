//! Retention with a controlled clock: `wijkwerk retention --now <later>` removes expired sessions,
//! sign-in codes, letter codes and the contact data of reporters whose reports were closed long
//! enough ago, and reports only counts.

use std::process::Command;

use serde_json::json;
use tests::{Client, Sandbox, request, wijkwerk_binary};

use super::{
    BUURT, PASSWORD, Secrets, letters_csv, now, observation_about, reporter_with_contact,
    request_mail, sign_in_email, sign_in_password,
};

/// Unix seconds as RFC 3339 UTC (civil date from days, H. Hinnant's algorithm).
fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn rfc3339_helper() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(rfc3339(1_798_761_599), "2026-12-31T23:59:59Z");
}

fn session_of(addr: std::net::SocketAddr, token: &str) -> serde_json::Value {
    let cookie = format!("wijkwerk_session={token}");
    request(addr, "GET", "/api/session", &[("Cookie", &cookie)], None).json()
}

#[test]
fn retention_at_a_later_time_removes_sessions_codes_and_contacts_and_logs_counts_only() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    let mut secrets = Secrets::default();
    let (resident_token, device_token, pending_code, letter_code, closed_rid, open_rid, closed_oid);
    {
        let s = sb.serve(&[]);
        let mut admin = sign_in_password(&s, "admin@people.test");
        let mut resident = sign_in_email(&sb, &s, "bewaard@people.test");
        secrets.client(&resident);
        resident_token = resident.cookie.clone().unwrap();
        let mut device = Client::new(s.addr);
        assert_eq!(
            device.send("POST", "/api/auth/device", &[], None).status,
            200
        );
        device_token = device.cookie.clone().unwrap();
        // A sign-in mail never used.
        let mut c = Client::new(s.addr);
        let mail = request_mail(&sb, &mut c, "pending@people.test");
        pending_code = mail["code"].as_str().unwrap().to_owned();
        secrets.add("sign-in code", &pending_code);
        // Letters: one redeemed, the others not.
        let letters = letters_csv(&mut admin, BUURT);
        letter_code = letters[1].1.clone();
        let r = resident.post_json("/api/my/addresses", &json!({ "code": letters[0].1 }));
        assert_eq!(r.status, 201, "{}", r.text());
        let home: u64 = r.json()["address_id"].as_str().unwrap().parse().unwrap();
        // Two reporters with contact data: one whose only report is closed, one with an open one.
        let store = store::SqliteStore::open(&sb.db).unwrap();
        let a = super::address(&sb, home);
        closed_rid = reporter_with_contact(&store, "Klaas Gesloten", "gesloten@people.test");
        open_rid = reporter_with_contact(&store, "Olga Open", "open@people.test");
        closed_oid = store
            .insert_observation(&observation_about(&a, "solar_panels", closed_rid), now())
            .unwrap();
        assert!(
            store
                .close_observation(
                    closed_oid,
                    domain::observations::ObservationStatus::Resolved,
                    now(),
                )
                .unwrap()
        );
        store
            .insert_observation(&observation_about(&a, "solar_panels", open_rid), now())
            .unwrap();
        // Retention now (the real clock) removes nothing that is still live.
        let r = admin.send("POST", "/api/admin/retention/run", &[], None);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(resident.session()["signed_in"], true);
        assert!(store.reporter_contact(closed_rid).unwrap().is_some());
        secrets.client(&admin);
        secrets.add("letter code", &letter_code);
        secrets.assert_not_logged(&s);
        super::assert_no_warnings(&s);
        // The server stops here.
    }

    // 400 days later: past every session's end, the codes' expiry, and a year after the report
    // was closed.
    let later = rfc3339(now() + 400 * 86_400);
    let out = Command::new(wijkwerk_binary())
        .args(["retention", "--db"])
        .arg(&sb.db)
        .args(["--now", &later])
        .env("NO_COLOR", "1")
        .env("RUST_LOG", "debug")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let removed = |kind: &str| -> u64 {
        stdout
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[0] == kind).then(|| f[1].parse().unwrap())
            })
            .unwrap_or_else(|| panic!("no line for {kind}: {stdout}"))
    };
    assert!(removed("sessions") >= 3, "{stdout}");
    assert!(removed("login_tokens") >= 1, "{stdout}");
    assert!(removed("address_codes") >= 100, "{stdout}");
    assert_eq!(removed("reporter_contacts"), 1, "{stdout}");
    assert!(removed("device_reporters") >= 1, "{stdout}");
    // Counts and cutoffs only: no contact data, no codes.
    for leak in [
        "gesloten@",
        "Klaas",
        "open@",
        "bewaard@",
        "0612345678",
        pending_code.as_str(),
        letter_code.as_str(),
    ] {
        assert!(
            !stdout.contains(leak) && !stderr.contains(leak),
            "{leak} in the retention output:\n{stdout}\n{stderr}"
        );
    }

    // Started again: the old sessions, the unused sign-in code and the letter code are gone.
    let s = sb.serve(&[]);
    let old = session_of(s.addr, &resident_token);
    assert_eq!(old["signed_in"], false, "{old}");
    let old = session_of(s.addr, &device_token);
    assert_eq!(old["device"], false, "{old}");
    let r = Client::new(s.addr).post_json(
        "/api/auth/email/verify",
        &json!({ "email": "pending@people.test", "code": pending_code }),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let mut resident = sign_in_email(&sb, &s, "bewaard@people.test");
    secrets.client(&resident);
    let r = resident.post_json("/api/my/addresses", &json!({ "code": letter_code }));
    assert_eq!(r.status, 400, "{}", r.text());
    // The verification itself is the household's, not a code: it stays.
    assert_eq!(
        resident
            .get("/api/my/addresses")
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The closed report's reporter is anonymous now; the open one keeps its contact.
    let store = store::SqliteStore::open(&sb.db).unwrap();
    assert!(store.reporter_contact(closed_rid).unwrap().is_none());
    assert!(store.reporter_contact(open_rid).unwrap().is_some());
    assert!(
        store.observation_record(closed_oid).unwrap().is_some(),
        "the report itself stays"
    );
    let mut admin = sign_in_password(&s, "admin@people.test");
    secrets.client(&admin);
    let r = admin.get(&format!("/api/observations/{closed_oid}/reporter"));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert!(
        v["email"].is_null() && v["name"].is_null() && v["phone"].is_null(),
        "{v}"
    );
    // What the server keeps about the run is metadata: kind, time, cutoff, count.
    let r = admin.get("/api/admin/retention").json();
    let runs = r["last_runs"].as_array().unwrap();
    assert!(!runs.is_empty(), "{r}");
    for run in runs {
        let mut keys: Vec<&str> = run
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["at", "cutoff", "kind", "removed"], "{run}");
    }
    secrets.assert_not_logged(&s);
    super::assert_no_warnings(&s);
}
