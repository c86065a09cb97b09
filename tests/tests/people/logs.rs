//! The server's log never holds a secret: after every kind of sign-in, a TOTP enrolment, letters,
//! a letter code, refused requests and sign-out, on one server logging at debug level, no line
//! contains a session or CSRF token, a sign-in code or link token, a letter code, a TOTP secret or
//! code, or a password.

use serde_json::json;
use tests::{Client, Sandbox, request};

use super::{
    BUURT, PASSWORD, Secrets, WIJK, letters_csv, now, request_mail, sign_in_email,
    sign_in_password, totp,
};

#[test]
fn no_secret_reaches_the_log() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    sb.add_user("wo@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve_with_log(&["--sign-in-burst", "500"], "debug");
    let mut secrets = Secrets::default();
    secrets.add("password", PASSWORD);

    // E-mail code, e-mail link, password, device.
    let mut resident = sign_in_email(&sb, &s, "log-resident@people.test");
    secrets.client(&resident);
    for m in sb.mails() {
        secrets.add("sign-in code", m["code"].as_str().unwrap());
        let link = m["link"].as_str().unwrap();
        secrets.add("sign-in link token", link.split("#token=").nth(1).unwrap());
    }
    let mut by_link = Client::new(s.addr);
    let mail = request_mail(&sb, &mut by_link, "log-link@people.test");
    let token = mail["link"]
        .as_str()
        .unwrap()
        .split("#token=")
        .nth(1)
        .unwrap()
        .to_owned();
    secrets.add("sign-in code", mail["code"].as_str().unwrap());
    secrets.add("sign-in link token", &token);
    let r = by_link.post_json("/api/auth/email/verify", &json!({ "token": token }));
    assert_eq!(r.status, 200, "{}", r.text());
    secrets.client(&by_link);
    // Used again, and a wrong code: refused (and logged at debug as rejections).
    let r = Client::new(s.addr).post_json("/api/auth/email/verify", &json!({ "token": token }));
    assert_eq!(r.status, 400);
    let r = Client::new(s.addr).post_json(
        "/api/auth/email/verify",
        &json!({ "email": "log-link@people.test", "code": mail["code"] }),
    );
    assert_eq!(r.status, 400);
    let mut d = Client::new(s.addr);
    assert_eq!(d.send("POST", "/api/auth/device", &[], None).status, 200);
    secrets.client(&d);
    let wrong_password = "this-is-a-wrong-password-1234";
    secrets.add("wrong password", wrong_password);
    let r = Client::new(s.addr).post_json(
        "/api/auth/password",
        &json!({ "email": "wo@people.test", "password": wrong_password }),
    );
    assert_eq!(r.status, 401);
    let mut admin = sign_in_password(&s, "admin@people.test");
    secrets.client(&admin);
    let mut wo = sign_in_password(&s, "wo@people.test");
    secrets.client(&wo);

    // A password change (both passwords in the body).
    let new_password = "an even better password 2027";
    secrets.add("new password", new_password);
    let r = wo.post_json(
        "/api/account/password",
        &json!({ "current": PASSWORD, "new": new_password }),
    );
    assert_eq!(r.status, 204, "{}", r.text());

    // TOTP enrolment and a sign-in with it.
    let r = wo.post_json("/api/account/totp", &json!({ "password": new_password }));
    let secret = r.json()["secret"].as_str().unwrap().to_owned();
    secrets.add("TOTP secret", &secret);
    let step = now() / 30;
    let confirm = totp(&secret, step);
    let sign_in_code = totp(&secret, step + 1);
    secrets.add("TOTP code", &confirm);
    secrets.add("TOTP code", &sign_in_code);
    let r = wo.post_json("/api/account/totp/confirm", &json!({ "code": confirm }));
    assert_eq!(r.status, 204, "{}", r.text());
    let mut wo2 = Client::new(s.addr);
    let r = wo2.post_json(
        "/api/auth/password",
        &json!({ "email": "wo@people.test", "password": new_password, "totp": sign_in_code }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    secrets.client(&wo2);
    let r = Client::new(s.addr).post_json(
        "/api/auth/password",
        &json!({ "email": "wo@people.test", "password": new_password, "totp": sign_in_code }),
    );
    assert_eq!(r.status, 401, "replay");

    // Letters and a letter code (one wrong, one right).
    let letters = letters_csv(&mut wo, BUURT);
    for (_, code) in &letters {
        secrets.add("letter code", code);
    }
    let r = resident.post_json("/api/my/addresses", &json!({ "code": "WXYZ-WXYZ-WXYZ" }));
    assert_eq!(r.status, 400);
    let r = resident.post_json("/api/my/addresses", &json!({ "code": letters[5].1 }));
    assert_eq!(r.status, 201, "{}", r.text());

    // A request refused for its CSRF token, a cross-site one, and a stale cookie.
    let cookie = format!("wijkwerk_session={}", resident.cookie.clone().unwrap());
    let r = request(
        s.addr,
        "POST",
        "/api/auth/logout",
        &[
            ("Cookie", &cookie),
            ("X-CSRF-Token", "forged-token-value-1234567"),
        ],
        None,
    );
    assert_eq!(r.status, 403);
    let r = request(
        s.addr,
        "POST",
        "/api/auth/logout",
        &[("Cookie", &cookie), ("Origin", "http://evil.example")],
        None,
    );
    assert_eq!(r.status, 403);
    let stale = "stale-cookie-value-stale-cookie-value-00000";
    secrets.add("stale session token", stale);
    let r = request(
        s.addr,
        "GET",
        "/api/account",
        &[("Cookie", &format!("wijkwerk_session={stale}"))],
        None,
    );
    assert_eq!(r.status, 401);

    // Sign out, everywhere, and an audit read.
    assert_eq!(
        resident.send("POST", "/api/auth/logout", &[], None).status,
        204
    );
    assert_eq!(
        by_link
            .send("POST", "/api/auth/logout-all", &[], None)
            .status,
        204
    );
    let events = super::audit(&mut admin);
    let text = serde_json::to_string(&events).unwrap();
    for (what, value) in &secrets.0 {
        if value.len() > 8 {
            assert!(!text.contains(value.as_str()), "{what} in the audit log");
        }
    }

    assert!(
        s.log.lock().unwrap().iter().any(|l| l.contains("DEBUG")),
        "the server logged at debug level"
    );
    secrets.assert_not_logged(&s);
    super::assert_no_warnings(&s);
}
