//! Accounts, roles × areas and the privacy rules (issue #3), end to end: the real binary on a
//! private copy of the sample store, real SQLite, real HTTP on loopback.
//!
//! Each test starts its own server on its own [`Sandbox`], so no test sees another's accounts.
//! Staff accounts are made with `wijkwerk users add --password-stdin` before the server starts;
//! residents sign in with the code from the mail outbox. Observations (whose HTTP API comes in a
//! later issue) are written with the real store, beside the running server.
//!
//! The sample gemeente is GM1999 "Wijkdorp"; each wijk holds one buurt (`WK199901` holds
//! `BU19990100`, `WK199902` holds `BU19990200`).

mod aggregates;
mod bad_input;
mod csrf;
mod letters;
mod logs;
mod matrix;
mod rate_limits;
mod reporter;
mod retention;
mod scopes;
mod sessions;
mod sign_in;

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use store::people::{NewObservation, ReporterContact};
use tests::mvt::{layer_names, tile_of};
use tests::{Client, Response, Sandbox, Server};

/// The password of every staff account the tests make.
const PASSWORD: &str = "correct horse battery staple";
/// The sample gemeente.
const GEMEENTE: &str = "GM1999";
/// The wijk staff are scoped to, and its one buurt.
const WIJK: &str = "WK199901";
const BUURT: &str = "BU19990100";
/// Another wijk (out of scope), and its buurt.
const OTHER_WIJK: &str = "WK199902";
const OTHER_BUURT: &str = "BU19990200";
/// The message of a wrong, expired or used sign-in code or link.
const INVALID_TOKEN_MESSAGE: &str =
    "this sign-in link or code is wrong, has expired or was already used; ask for a new one";

/// Now, Unix seconds.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Secrets seen during a test; none may appear in the server's log.
#[derive(Debug, Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    /// Remembers `value` (what it is, for the failure message).
    fn add(&mut self, what: &str, value: &str) {
        if !value.is_empty() {
            self.0.push((what.to_owned(), value.to_owned()));
        }
    }

    /// Remembers the session cookie and CSRF token of `c`.
    fn client(&mut self, c: &Client) {
        if let Some(v) = &c.cookie {
            self.add("session token", v);
        }
        if let Some(v) = &c.csrf {
            self.add("csrf token", v);
        }
    }

    /// Panics when a log line of `server` holds a remembered secret (or its letter-code form
    /// without dashes).
    fn assert_not_logged(&self, server: &Server) {
        let log = server.log.lock().unwrap().clone();
        assert!(!log.is_empty(), "the server logged nothing");
        let mut found = Vec::new();
        for (what, value) in &self.0 {
            let bare = value.replace('-', "");
            for line in &log {
                let hit = if value.len() <= 8 {
                    short_secret_in(line, value)
                } else {
                    line.contains(value.as_str()) || (bare.len() >= 12 && line.contains(&bare))
                };
                if hit {
                    found.push(format!("{what} {value:?} in: {line}"));
                }
            }
        }
        assert!(
            found.is_empty(),
            "secrets in the log:\n{}",
            found.join("\n")
        );
    }
}

/// Does a short secret (a six-digit code) stand alone in `line`? Digits inside longer numbers,
/// fractions of timestamps and latency fields do not count.
fn short_secret_in(line: &str, secret: &str) -> bool {
    line.match_indices(secret).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + secret.len()..].chars().next();
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
        !glued(before)
            && !glued(after)
            && !["micros=", "millis=", "ms=", "seconds="]
                .iter()
                .any(|f| line[..i].ends_with(f))
    })
}

/// Panics on WARN/ERROR log lines other than the expected "no SMTP configured" notice.
fn assert_no_warnings(server: &Server) {
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

/// Asks for a sign-in mail for `email`; returns the mail (`code`, `link`, …).
fn request_mail(sb: &Sandbox, c: &mut Client, email: &str) -> Value {
    let before = sb.mails().len();
    let r = c.post_json("/api/auth/email", &json!({ "email": email }));
    assert_eq!(r.status, 202, "mail for {email}: {}", r.text());
    assert_eq!(sb.mails().len(), before + 1, "one mail was written");
    sb.last_mail(email).expect("the mail is in the outbox")
}

/// Signs `c` in as `email` with the code of a new sign-in mail (creates a resident account on
/// first use); returns the session answer.
fn sign_in_email_with(sb: &Sandbox, c: &mut Client, email: &str) -> Value {
    let mail = request_mail(sb, c, email);
    let code = mail["code"].as_str().expect("mail has a code").to_owned();
    let r = c.post_json(
        "/api/auth/email/verify",
        &json!({ "email": email, "code": code }),
    );
    assert_eq!(r.status, 200, "sign-in of {email}: {}", r.text());
    assert!(
        c.cookie.is_some() && c.csrf.is_some(),
        "{email} got a session"
    );
    r.json()
}

/// A new client signed in as `email` by e-mail code.
fn sign_in_email(sb: &Sandbox, server: &Server, email: &str) -> Client {
    let mut c = Client::new(server.addr);
    sign_in_email_with(sb, &mut c, email);
    c
}

/// A new client signed in as staff `email` with [`PASSWORD`].
fn sign_in_password(server: &Server, email: &str) -> Client {
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

/// A new client in a device session.
fn device(server: &Server) -> Client {
    let mut c = Client::new(server.addr);
    let r = c.send("POST", "/api/auth/device", &[], None);
    assert_eq!(r.status, 200, "device session: {}", r.text());
    assert!(c.cookie.is_some(), "a device session has a cookie");
    c
}

/// The account id of a signed-in client.
fn user_id(c: &mut Client) -> i64 {
    c.session()["user"]["id"]
        .as_i64()
        .expect("signed in: user.id")
}

/// The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of a base32 `secret` at time step `step`.
fn totp(secret: &str, step: i64) -> String {
    use hmac::{Hmac, Mac as _};
    let key = data_encoding::BASE32_NOPAD
        .decode(secret.trim_end_matches('=').as_bytes())
        .expect("base32 secret");
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&step.to_be_bytes());
    let d = mac.finalize().into_bytes();
    let o = (d[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([d[o] & 0x7f, d[o + 1], d[o + 2], d[o + 3]]) % 1_000_000;
    format!("{n:06}")
}

/// The RFC 6238 SHA-1 test vectors hold for [`totp`] (so a failure elsewhere is the server's).
#[test]
fn totp_helper_matches_rfc6238() {
    let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
    assert_eq!(totp(&secret, 59 / 30), "287082");
    assert_eq!(totp(&secret, 1_111_111_109 / 30), "081804");
    assert_eq!(totp(&secret, 2_000_000_000 / 30), "279037");
}

/// Letters of `area` as CSV through `POST /api/letters`: (street line, code) per address.
fn letters_csv(c: &mut Client, area: &str) -> Vec<(String, String)> {
    let r = c.post_json("/api/letters", &json!({ "area": area, "format": "csv" }));
    assert_eq!(r.status, 200, "letters of {area}: {}", r.text());
    parse_letters(&r)
}

/// The (street line, code) rows of a letters CSV answer.
fn parse_letters(r: &Response) -> Vec<(String, String)> {
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "{:?}",
        r.headers
    );
    let text = r.text();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("adres,postcode_plaats,code,geldig_tot"));
    lines
        .map(|l| {
            // The street line has no comma in the sample; the code is the third field.
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[2].to_owned())
        })
        .collect()
}

/// The audit log as an admin reads it, newest first.
fn audit(admin: &mut Client) -> Vec<Value> {
    let r = admin.get("/api/admin/audit?limit=1000");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json().as_array().unwrap().clone()
}

/// An address of the store: (id, lon, lat, buurt code, building ids).
#[derive(Debug, Clone)]
struct AddressInfo {
    id: u64,
    lon: f64,
    lat: f64,
    buurt: String,
    buildings: Vec<u64>,
}

/// Every address of the sandbox's store in `buurt`, in id order.
fn addresses_in(sb: &Sandbox, buurt: &str) -> Vec<AddressInfo> {
    use store::Store as _;
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let mut out = Vec::new();
    s.for_each_address(&mut |a| {
        let b = a.areas.buurt.map(|c| c.to_string()).unwrap_or_default();
        if b == buurt {
            out.push(AddressInfo {
                id: a.id.get(),
                lon: a.location_wgs84.x(),
                lat: a.location_wgs84.y(),
                buurt: b,
                buildings: a.building_ids.iter().map(|b| b.get()).collect(),
            });
        }
    })
    .unwrap();
    out
}

/// The address `id` of the sandbox's store.
fn address(sb: &Sandbox, id: u64) -> AddressInfo {
    use store::Store as _;
    let s = store::SqliteStore::open(&sb.db).unwrap();
    let mut found = None;
    s.for_each_address(&mut |a| {
        if a.id.get() == id {
            found = Some(AddressInfo {
                id,
                lon: a.location_wgs84.x(),
                lat: a.location_wgs84.y(),
                buurt: a.areas.buurt.map(|c| c.to_string()).unwrap_or_default(),
                buildings: a.building_ids.iter().map(|b| b.get()).collect(),
            });
        }
    })
    .unwrap();
    found.unwrap_or_else(|| panic!("no address {id}"))
}

/// An observation of `kind` about address `a` by `reporter`.
fn observation_about(a: &AddressInfo, kind: &str, reporter: i64) -> NewObservation {
    NewObservation {
        kind: kind.to_owned(),
        building_id: a.buildings.first().copied(),
        address_id: Some(a.id),
        lonlat: [a.lon, a.lat],
        buurtcode: Some(a.buurt.clone()),
        observed_at: now() - 3600,
        source: "resident".into(),
        reporter_id: reporter,
        answers: "{}".into(),
    }
}

/// A device reporter with contact details, through the store.
fn reporter_with_contact(s: &store::SqliteStore, name: &str, email: &str) -> i64 {
    let r = s.new_device_reporter(now()).unwrap();
    s.set_reporter_contact(
        r,
        &ReporterContact {
            name: Some(name.into()),
            email: Some(email.into()),
            phone: Some("0612345678".into()),
        },
        now(),
    )
    .unwrap();
    r
}

/// The error code of a JSON error answer.
fn error_code(r: &Response) -> String {
    r.json()["code"].as_str().unwrap_or_default().to_owned()
}
