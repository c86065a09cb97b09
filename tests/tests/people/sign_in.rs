//! Sign-in edge cases: expired and used links and codes, the same answer for a wrong password and
//! an unknown account, codes voided after five wrong tries, and TOTP (enrolment, required code,
//! replay).

use serde_json::json;
use sha2::{Digest as _, Sha256};
use tests::{Client, Response, Sandbox};

use super::{
    INVALID_TOKEN_MESSAGE, PASSWORD, WIJK, error_code, now, request_mail, sign_in_email,
    sign_in_password, totp,
};

fn assert_invalid_token(r: &Response, what: &str) {
    assert_eq!(r.status, 400, "{what}: {}", r.text());
    assert_eq!(error_code(r), "InvalidToken", "{what}");
    assert_eq!(r.json()["description"], INVALID_TOKEN_MESSAGE, "{what}");
    assert!(r.header("set-cookie").is_none(), "{what}: no session");
}

fn verify(c: &mut Client, body: &serde_json::Value) -> Response {
    c.post_json("/api/auth/email/verify", body)
}

/// The token in a sign-in link (`…/aanmelden.html#token=…`).
fn link_token(mail: &serde_json::Value) -> String {
    let link = mail["link"].as_str().unwrap();
    assert!(link.contains("/aanmelden.html#token="), "{link}");
    link.split("#token=").nth(1).unwrap().to_owned()
}

#[test]
fn expired_and_used_links_and_codes_are_refused_clearly() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut c = Client::new(s.addr);

    // Expired: a code and a link that expired a minute ago, put in through the store.
    let store = store::SqliteStore::open(&sb.db).unwrap();
    let hash = |v: &str| Sha256::digest(v.as_bytes()).to_vec();
    store
        .add_login_token(
            "late@people.test",
            &hash("expired-link-token-expired-link-token-00000"),
            &hash("482913"),
            now() - 16 * 60,
            now() - 60,
        )
        .unwrap();
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "email": "late@people.test", "code": "482913" }),
        ),
        "expired code",
    );
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "token": "expired-link-token-expired-link-token-00000" }),
        ),
        "expired link",
    );
    // One second before it expires the same kind of code works (the expiry is what refused it).
    store
        .add_login_token(
            "late@people.test",
            &hash("link-not-used-link-not-used-link-not-used-0"),
            &hash("482914"),
            now() - 14 * 60,
            now() + 60,
        )
        .unwrap();
    let r = verify(
        &mut c,
        &json!({ "email": "late@people.test", "code": "482914" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());

    // Used: a link works once; then its code is used up too.
    let mut c = Client::new(s.addr);
    let mail = request_mail(&sb, &mut c, "once@people.test");
    let token = link_token(&mail);
    let r = verify(&mut c, &json!({ "token": token }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["user"]["email"], "once@people.test");
    let mut c = Client::new(s.addr);
    assert_invalid_token(&verify(&mut c, &json!({ "token": token })), "used link");
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "email": "once@people.test", "code": mail["code"] }),
        ),
        "code of a used link",
    );
    // A code works once, typed with spaces around it and the address in capitals.
    let mail = request_mail(&sb, &mut c, "once@people.test");
    let code = mail["code"].as_str().unwrap();
    let r = verify(
        &mut c,
        &json!({ "email": " ONCE@people.test ", "code": format!(" {code} ") }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mut c = Client::new(s.addr);
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "email": "once@people.test", "code": code }),
        ),
        "used code",
    );
    assert_invalid_token(
        &verify(&mut c, &json!({ "token": link_token(&mail) })),
        "link of a used code",
    );
    // A code is bound to its address.
    let mail = request_mail(&sb, &mut c, "mine@people.test");
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "email": "someone-else@people.test", "code": mail["code"] }),
        ),
        "code for another address",
    );
    super::assert_no_warnings(&s);
}

#[test]
fn five_wrong_codes_void_the_mail() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut c = Client::new(s.addr);
    let mail = request_mail(&sb, &mut c, "guesser@people.test");
    let code: u32 = mail["code"].as_str().unwrap().parse().unwrap();
    for i in 1..=5 {
        let wrong = format!("{:06}", (code + i) % 1_000_000);
        assert_invalid_token(
            &verify(
                &mut c,
                &json!({ "email": "guesser@people.test", "code": wrong }),
            ),
            "wrong code",
        );
    }
    assert_invalid_token(
        &verify(
            &mut c,
            &json!({ "email": "guesser@people.test", "code": mail["code"] }),
        ),
        "the right code after five wrong ones",
    );
    assert_invalid_token(
        &verify(&mut c, &json!({ "token": link_token(&mail) })),
        "the link of a voided mail",
    );
    // A new mail brings a new, working code.
    let mail = request_mail(&sb, &mut c, "guesser@people.test");
    let r = verify(
        &mut c,
        &json!({ "email": "guesser@people.test", "code": mail["code"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Four wrong tries leave the code alive (the limit is five, not fewer).
    let mut c = Client::new(s.addr);
    let mail = request_mail(&sb, &mut c, "careful@people.test");
    let code: u32 = mail["code"].as_str().unwrap().parse().unwrap();
    for i in 1..=4 {
        let wrong = format!("{:06}", (code + i) % 1_000_000);
        assert_invalid_token(
            &verify(
                &mut c,
                &json!({ "email": "careful@people.test", "code": wrong }),
            ),
            "wrong code",
        );
    }
    let r = verify(
        &mut c,
        &json!({ "email": "careful@people.test", "code": mail["code"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    super::assert_no_warnings(&s);
}

#[test]
fn a_wrong_password_and_an_unknown_account_look_the_same() {
    let sb = Sandbox::new();
    sb.add_user("staff@people.test", "volunteer", WIJK, Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "500"]);
    // A resident account (no password) exists too.
    sign_in_email(&sb, &s, "resident@people.test");
    let attempt = |email: &str, password: &str| {
        let r = Client::new(s.addr).post_json(
            "/api/auth/password",
            &json!({ "email": email, "password": password }),
        );
        (r.status, r.text(), r.header("set-cookie").is_some())
    };
    let wrong = attempt("staff@people.test", "not the password at all");
    let unknown = attempt("nobody@people.test", "not the password at all");
    let resident = attempt("resident@people.test", "not the password at all");
    let empty = attempt("staff@people.test", "");
    assert_eq!(wrong.0, 401, "{}", wrong.1);
    assert!(wrong.1.contains("InvalidCredentials"), "{}", wrong.1);
    assert!(!wrong.2, "no cookie on failure");
    assert_eq!(wrong, unknown, "wrong password vs unknown account");
    assert_eq!(wrong, resident, "wrong password vs account without one");
    assert_eq!(wrong, empty, "wrong password vs empty password");
    // …and the e-mail route answers the same for a known and an unknown address.
    let mut c = Client::new(s.addr);
    let known = c.post_json("/api/auth/email", &json!({ "email": "staff@people.test" }));
    let unknown = c.post_json(
        "/api/auth/email",
        &json!({ "email": "nobody-at-all@people.test" }),
    );
    assert_eq!(
        (known.status, known.text()),
        (unknown.status, unknown.text())
    );
    assert_eq!(known.status, 202);
    // The right password works.
    sign_in_password(&s, "staff@people.test");
    super::assert_no_warnings(&s);
}

#[test]
fn totp_once_enrolled_is_required_and_not_replayable() {
    let sb = Sandbox::new();
    sb.add_user("totp@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut c = sign_in_password(&s, "totp@people.test");
    let r = c.post_json("/api/account/totp", &json!({ "password": PASSWORD }));
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let secret = v["secret"].as_str().unwrap().to_owned();
    assert!(
        v["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
            && v["otpauth_uri"].as_str().unwrap().contains(&secret),
        "{v}"
    );
    // Pending only: password sign-in still works without a code.
    sign_in_password(&s, "totp@people.test");
    // A wrong code does not confirm.
    let step = now() / 30;
    let wrong = format!(
        "{:06}",
        (totp(&secret, step).parse::<u32>().unwrap() + 1) % 1_000_000
    );
    let r = c.post_json("/api/account/totp/confirm", &json!({ "code": wrong }));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(c.session()["user"]["totp_enabled"], false);
    let r = c.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": totp(&secret, step) }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(c.session()["user"]["totp_enabled"], true);

    let sign_in = |code: Option<&str>| {
        let mut body = json!({ "email": "totp@people.test", "password": PASSWORD });
        if let Some(code) = code {
            body["totp"] = json!(code);
        }
        let mut fresh = Client::new(s.addr);
        let r = fresh.post_json("/api/auth/password", &body);
        (r, fresh)
    };
    let (r, _) = sign_in(None);
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(error_code(&r), "TotpRequired");
    assert!(r.header("set-cookie").is_none());
    let (r, _) = sign_in(Some(&wrong));
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(error_code(&r), "TotpRequired");
    // The wrong password with the right code is still a wrong password.
    let mut fresh = Client::new(s.addr);
    let r = fresh.post_json(
        "/api/auth/password",
        &json!({ "email": "totp@people.test", "password": "wrong password here", "totp": totp(&secret, step + 1) }),
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidCredentials");
    // The next step's code (the confirmation used this step's): accepted once.
    let next = totp(&secret, step + 1);
    let (r, mut staff) = sign_in(Some(&next));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(staff.session()["signed_in"], true);
    let (r, _) = sign_in(Some(&next));
    assert_eq!(r.status, 401, "replayed code: {}", r.text());
    assert_eq!(error_code(&r), "TotpRequired");
    // An older code (the one used to confirm) is refused as well.
    let (r, _) = sign_in(Some(&totp(&secret, step)));
    assert_eq!(r.status, 401, "older code: {}", r.text());
    super::assert_no_warnings(&s);
}

/// A staff account with TOTP must not get a session from an e-mail code alone: that would skip
/// both the password and the second factor.
#[test]
fn an_email_code_does_not_bypass_staff_totp() {
    let sb = Sandbox::new();
    sb.add_user("admin-2fa@people.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut c = sign_in_password(&s, "admin-2fa@people.test");
    let secret = c
        .post_json("/api/account/totp", &json!({ "password": PASSWORD }))
        .json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": totp(&secret, now() / 30) }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let mut attacker = Client::new(s.addr);
    let mail = request_mail(&sb, &mut attacker, "admin-2fa@people.test");
    let r = attacker.post_json(
        "/api/auth/email/verify",
        &json!({ "email": "admin-2fa@people.test", "code": mail["code"] }),
    );
    let session = attacker.session();
    assert!(
        r.status != 200 && session["signed_in"] == false,
        "an e-mail code signed in an admin with TOTP without password or code: {} {}",
        r.status,
        r.text()
    );
    // Nor may the admin pages open for that session.
    assert_ne!(attacker.get("/api/admin/users").status, 200);
}

/// A session alone cannot set up or replace the second factor: a staff account gives its
/// password to enrol, and an enabled authenticator is replaced only with the password or its
/// current code. Wrong ones count as sign-in failures of that client.
#[test]
fn replacing_an_authenticator_needs_the_password_or_the_current_code() {
    let sb = Sandbox::new();
    sb.add_user("2fa@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut c = sign_in_password(&s, "2fa@people.test");
    let start = |c: &mut Client, body: serde_json::Value| c.post_json("/api/account/totp", &body);

    // First enrolment: the password, not just the session.
    let r = start(&mut c, json!({}));
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("password"), "{}", r.text());
    let r = start(&mut c, json!({ "password": "not my password at all" }));
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidCredentials");
    let r = start(&mut c, json!({ "password": PASSWORD }));
    assert_eq!(r.status, 200, "{}", r.text());
    let first = r.json()["secret"].as_str().unwrap().to_owned();
    let step = now() / 30;
    let r = c.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": totp(&first, step) }),
    );
    assert_eq!(r.status, 204, "{}", r.text());

    // A thief with the session only (no password, no authenticator) cannot replace it.
    for body in [
        json!({}),
        json!({ "password": "a guess at the password" }),
        json!({ "code": format!("{:06}", (totp(&first, step + 1).parse::<u32>().unwrap() + 1) % 1_000_000) }),
    ] {
        let r = start(&mut c, body.clone());
        assert!(
            r.status == 401 || r.status == 422,
            "{body}: {} {}",
            r.status,
            r.text()
        );
        assert!(r.json().get("secret").is_none(), "{body}: {}", r.text());
    }
    let r = c.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": totp(&first, step + 1) }),
    );
    assert_eq!(r.status, 422, "nothing pending: {}", r.text());

    // The current code replaces it (and is used up by that).
    let current = totp(&first, step + 1);
    let r = start(&mut c, json!({ "code": current }));
    assert_eq!(r.status, 200, "{}", r.text());
    let second = r.json()["secret"].as_str().unwrap().to_owned();
    let r = c.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": totp(&second, step + 1) }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    // The new authenticator's code that confirmed it is used up, and the old one's are void.
    let r = start(&mut c, json!({ "code": totp(&second, step + 1) }));
    assert_eq!(r.status, 401, "a used code: {}", r.text());
    let mut other = Client {
        from: Some([127, 0, 0, 4].into()),
        ..c.clone()
    };
    let r = start(&mut other, json!({ "code": totp(&first, step + 2) }));
    assert_eq!(r.status, 401, "the old authenticator: {}", r.text());
    // …and so does the password (four failures of this client so far: one left).
    let r = start(&mut c, json!({ "password": PASSWORD }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_ne!(r.json()["secret"], second);

    // Guessing is a sign-in failure of the client that guesses (the session from another
    // address, so the failures above do not count): after five, 429.
    let mut elsewhere = Client {
        from: Some([127, 0, 0, 2].into()),
        ..c.clone()
    };
    let statuses: Vec<u16> = (0..6)
        .map(|i| {
            start(
                &mut elsewhere,
                json!({ "password": format!("guess number {i} at it") }),
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);

    // Guessing the current password to change it is throttled the same way.
    let statuses: Vec<u16> = (0..6)
        .map(|i| {
            elsewhere
                .post_json(
                    "/api/account/password",
                    &json!({ "current": format!("guess {i} at it"), "new": "a new password of mine" }),
                )
                .status
        })
        .collect();
    assert_eq!(statuses, [429; 6], "this client's failures are spent");
    let mut third = Client {
        from: Some([127, 0, 0, 3].into()),
        ..c.clone()
    };
    let statuses: Vec<u16> = (0..6)
        .map(|i| {
            third
                .post_json(
                    "/api/account/password",
                    &json!({ "current": format!("guess {i} at it"), "new": "a new password of mine" }),
                )
                .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);

    // A resident has no password: the first enrolment needs none.
    let mut resident = sign_in_email(&sb, &s, "no-password@people.test");
    let r = start(&mut resident, json!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    super::assert_no_warnings(&s);
}

/// The token of a password link (`…/aanmelden.html#wachtwoord=…`).
fn password_token(mail: &serde_json::Value) -> String {
    let link = mail["link"].as_str().unwrap();
    assert!(link.contains("/aanmelden.html#wachtwoord="), "{link}");
    link.split("#wachtwoord=").nth(1).unwrap().to_owned()
}

/// A resident made staff in the web has no password: an admin mails a one-time link, the holder
/// chooses a password with it and signs in. The link works once, never signs anyone in, and a
/// newer link voids it; the admin never sees it.
#[test]
fn a_password_link_lets_a_new_staff_member_choose_a_password() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&["--sign-in-burst", "500"]);
    let mut admin = sign_in_password(&s, "admin@people.test");
    let mut resident = sign_in_email(&sb, &s, "new-staff@people.test");
    let users = admin.get("/api/admin/users").json();
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "new-staff@people.test")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let link_path = format!("/api/admin/users/{id}/password-link");
    let send_link = |c: &mut Client| c.send("POST", &link_path, &[], None);

    // A resident signs in by e-mail code: no password link for them.
    let r = send_link(&mut admin);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("no staff role"), "{}", r.text());

    // Made a volunteer in the web: granted, though the account has no password yet.
    let r = admin.put(
        &format!("/api/admin/users/{id}/roles"),
        Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["has_password"], false);
    assert_eq!(
        resident.get("/api/account").status,
        401,
        "the old session ended"
    );

    // Only an admin sends links.
    let mut volunteer_attempt = Client::new(s.addr);
    assert_eq!(send_link(&mut volunteer_attempt).status, 401);

    let first = send_link(&mut admin);
    assert_eq!(first.status, 202, "{}", first.text());
    assert_eq!(first.json()["sent_to"], "new-staff@people.test");
    let first_token = password_token(&sb.last_mail("new-staff@people.test").unwrap());
    assert!(
        !first.text().contains(&first_token),
        "the admin never sees the link"
    );
    // A password link is not a sign-in link.
    assert_invalid_token(
        &verify(&mut Client::new(s.addr), &json!({ "token": first_token })),
        "a password link used to sign in",
    );
    // A newer link voids the older one.
    assert_eq!(send_link(&mut admin).status, 202);
    let token = password_token(&sb.last_mail("new-staff@people.test").unwrap());
    assert_ne!(token, first_token);
    let mut holder = Client::new(s.addr);
    let set = |c: &mut Client, token: &str, password: &str| {
        c.post_json(
            "/api/auth/password-link",
            &json!({ "token": token, "password": password }),
        )
    };
    let r = set(&mut holder, &first_token, PASSWORD);
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidToken");
    // A password that is too short is refused without spending the link.
    let r = set(&mut holder, &token, "short");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("at least 12 characters"), "{}", r.text());
    let r = set(&mut holder, &token, PASSWORD);
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(
        r.header("set-cookie").is_none(),
        "setting a password does not sign in"
    );
    // Once.
    let r = set(&mut holder, &token, "another password of mine");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(error_code(&r), "InvalidToken");

    let mut staff = sign_in_password(&s, "new-staff@people.test");
    assert_eq!(staff.session()["user"]["has_password"], true);

    // Both steps are in the audit log.
    let audit = admin.get("/api/admin/audit?limit=50").json();
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "password_link").count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"password_set"), "{actions:?}");
    super::assert_no_warnings(&s);
}
