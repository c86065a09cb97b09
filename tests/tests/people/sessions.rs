//! Sessions: a token chosen before sign-in never becomes the session (no fixation), signing in
//! ends the device session, "sign out everywhere" ends every session of the account, and a
//! disabled account's sessions stop working.

use serde_json::json;
use tests::{Client, Sandbox, request};

use super::{
    PASSWORD, WIJK, error_code, request_mail, sign_in_email, sign_in_email_with, sign_in_password,
};

/// `GET /api/session` with a raw cookie value.
fn session_of(addr: std::net::SocketAddr, token: &str) -> serde_json::Value {
    let cookie = format!("wijkwerk_session={token}");
    let r = request(addr, "GET", "/api/session", &[("Cookie", &cookie)], None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[test]
fn signing_in_always_issues_a_new_token() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "500"]);

    // A cookie planted before sign-in (e.g. by a subdomain) is not taken over.
    let planted = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let mut c = Client::new(s.addr);
    c.cookie = Some(planted.into());
    sign_in_email_with(&sb, &mut c, "fixation@people.test");
    let issued = c.cookie.clone().unwrap();
    assert_ne!(issued, planted, "the server issued its own token");
    assert_eq!(session_of(s.addr, planted)["signed_in"], false);
    assert_eq!(session_of(s.addr, &issued)["signed_in"], true);
    assert_eq!(
        session_of(s.addr, &issued)["user"]["email"],
        "fixation@people.test"
    );

    // A device session that signs in gets a new token; the old one stops working.
    let mut d = Client::new(s.addr);
    let r = d.send("POST", "/api/auth/device", &[], None);
    assert_eq!(r.status, 200, "{}", r.text());
    let device_token = d.cookie.clone().unwrap();
    let device_csrf = d.csrf.clone().unwrap();
    assert_eq!(session_of(s.addr, &device_token)["device"], true);
    sign_in_email_with(&sb, &mut d, "was-a-device@people.test");
    let signed_in = d.cookie.clone().unwrap();
    assert_ne!(signed_in, device_token);
    assert_ne!(d.csrf.clone().unwrap(), device_csrf, "a new CSRF token too");
    let old = session_of(s.addr, &device_token);
    assert_eq!(old["device"], false, "{old}");
    assert_eq!(old["signed_in"], false, "{old}");
    assert_eq!(session_of(s.addr, &signed_in)["signed_in"], true);
    // The stale cookie is cleared by the server.
    let r = request(
        s.addr,
        "GET",
        "/api/session",
        &[("Cookie", &format!("wijkwerk_session={device_token}"))],
        None,
    );
    let set_cookie = r.header("set-cookie").unwrap_or_default();
    assert!(
        set_cookie.starts_with("wijkwerk_session=;") && set_cookie.contains("Max-Age=0"),
        "{set_cookie:?}"
    );

    // Password sign-in from an existing session also replaces it.
    sb.add_user(
        "staff-fixation@people.test",
        "volunteer",
        WIJK,
        Some(PASSWORD),
    );
    let mut staff = sign_in_password(&s, "staff-fixation@people.test");
    let first = staff.cookie.clone().unwrap();
    let r = staff.post_json(
        "/api/auth/password",
        &json!({ "email": "staff-fixation@people.test", "password": PASSWORD }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_ne!(staff.cookie.clone().unwrap(), first);
    assert_eq!(session_of(s.addr, &first)["signed_in"], false);

    // Session cookies are HttpOnly, SameSite=Strict and not readable by scripts.
    let mut fresh = Client::new(s.addr);
    let mail = request_mail(&sb, &mut fresh, "cookie@people.test");
    let r = fresh.post_json(
        "/api/auth/email/verify",
        &json!({ "email": "cookie@people.test", "code": mail["code"] }),
    );
    let set_cookie = r.header("set-cookie").unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(attr), "{set_cookie}");
    }
    assert_eq!(r.header("cache-control"), Some("no-store"));
    super::assert_no_warnings(&s);
}

#[test]
fn logout_all_and_disabling_end_every_session() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    sb.add_user(
        "disable-me@people.test",
        "wijkondernemer",
        WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&["--sign-in-burst", "500"]);

    // Two sessions of one resident (phone and laptop); one signs out everywhere.
    let mut phone = sign_in_email(&sb, &s, "two-devices@people.test");
    let mut laptop = sign_in_email(&sb, &s, "two-devices@people.test");
    let other = sign_in_email(&sb, &s, "bystander@people.test");
    let account = laptop.get("/api/account").json();
    assert_eq!(
        account["sessions"].as_array().unwrap().len(),
        2,
        "{account}"
    );
    let r = phone.send("POST", "/api/auth/logout-all", &[], None);
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(phone.cookie.is_none(), "the cookie was cleared");
    assert_eq!(laptop.get("/api/account").status, 401);
    let mut other = other;
    assert_eq!(
        other.get("/api/account").status,
        200,
        "another account keeps its session"
    );

    // Plain logout ends only that session.
    let mut a = sign_in_email(&sb, &s, "two-devices@people.test");
    let mut b = sign_in_email(&sb, &s, "two-devices@people.test");
    let a_token = a.cookie.clone().unwrap();
    let r = a.send("POST", "/api/auth/logout", &[], None);
    assert_eq!(r.status, 204);
    assert_eq!(session_of(s.addr, &a_token)["signed_in"], false);
    assert_eq!(b.get("/api/account").status, 200);

    // A disabled account: its sessions stop at once and it cannot sign in again.
    let mut admin = sign_in_password(&s, "admin@people.test");
    let mut w1 = sign_in_password(&s, "disable-me@people.test");
    let mut w2 = sign_in_password(&s, "disable-me@people.test");
    let id = super::user_id(&mut w1);
    let tokens = [w1.cookie.clone().unwrap(), w2.cookie.clone().unwrap()];
    assert_eq!(
        w1.get(&format!("/api/opt-outs?area={}", super::BUURT))
            .status,
        200
    );
    let r = admin.patch_json(
        &format!("/api/admin/users/{id}"),
        &json!({ "disabled": true }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["disabled"], true);
    for c in [&mut w1, &mut w2] {
        let r = c.get(&format!("/api/opt-outs?area={}", super::BUURT));
        assert_eq!(r.status, 401, "{}", r.text());
        assert_eq!(c.session()["signed_in"], false);
    }
    let r = Client::new(s.addr).post_json(
        "/api/auth/password",
        &json!({ "email": "disable-me@people.test", "password": PASSWORD }),
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidCredentials");
    // Nor by e-mail code: a staff account's mail carries none, and a guessed one fails.
    let mut c = Client::new(s.addr);
    let mail = request_mail(&sb, &mut c, "disable-me@people.test");
    assert!(mail["code"].is_null(), "staff get no e-mail code: {mail}");
    let r = c.post_json(
        "/api/auth/email/verify",
        &json!({ "email": "disable-me@people.test", "code": "123456" }),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidToken");
    assert!(c.cookie.is_none());
    // Enabled again, the old sessions stay ended: they were ended, not paused.
    let r = admin.patch_json(
        &format!("/api/admin/users/{id}"),
        &json!({ "disabled": false }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    for t in &tokens {
        assert_eq!(
            session_of(s.addr, t)["signed_in"],
            false,
            "a session of a disabled account came back after enabling it"
        );
    }

    // Changing roles ends the account's sessions too (no old grant lingers).
    let mut w3 = sign_in_password(&s, "disable-me@people.test");
    let r = admin.put(
        &format!("/api/admin/users/{id}/roles"),
        Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(w3.get("/api/account").status, 401);
    super::assert_no_warnings(&s);
}
