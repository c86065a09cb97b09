//! Cross-site request forgery: a state-changing request with a session needs the session's
//! `X-CSRF-Token`, and any state-changing request from another site is refused.

use serde_json::json;
use tests::{Client, Sandbox, request};

use super::{error_code, sign_in_email};

#[test]
fn state_changes_need_the_csrf_token_and_the_same_origin() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let mut resident = sign_in_email(&sb, &s, "csrf@people.test");
    let token = resident.csrf.clone().unwrap();
    let history = |c: &mut Client| {
        let r = c.get("/api/account/consents/history");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json().as_array().unwrap().len()
    };
    assert_eq!(history(&mut resident), 0);
    let body = json!({ "purpose": "research", "given": true }).to_string();
    let cookie = format!("wijkwerk_session={}", resident.cookie.clone().unwrap());

    // With the cookie but without the token, or with a wrong one: refused, nothing written.
    for headers in [
        vec![("Cookie", cookie.as_str())],
        vec![
            ("Cookie", cookie.as_str()),
            ("X-CSRF-Token", "not-the-token"),
        ],
        vec![("Cookie", cookie.as_str()), ("X-CSRF-Token", "")],
    ] {
        let mut h = headers.clone();
        h.push(("Content-Type", "application/json"));
        let r = request(
            s.addr,
            "POST",
            "/api/account/consents",
            &h,
            Some(body.as_bytes()),
        );
        assert_eq!(r.status, 403, "{headers:?}: {}", r.text());
        assert_eq!(error_code(&r), "CsrfRejected");
    }
    // Another session's token does not fit this session.
    let other = sign_in_email(&sb, &s, "csrf-other@people.test");
    let r = request(
        s.addr,
        "POST",
        "/api/account/consents",
        &[
            ("Cookie", cookie.as_str()),
            ("X-CSRF-Token", other.csrf.as_deref().unwrap()),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // Signing out without the token is refused too: the session stays.
    let r = request(
        s.addr,
        "POST",
        "/api/auth/logout",
        &[("Cookie", cookie.as_str())],
        None,
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(resident.session()["signed_in"], true);
    assert_eq!(history(&mut resident), 0, "nothing was written");

    // From another site: refused even without a cookie (no sign-in mail is sent), and with
    // the cookie and the right token.
    let mails = sb.mails().len();
    for (name, value) in [
        ("Origin", "http://evil.example"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Site", "same-site"),
    ] {
        let r = request(
            s.addr,
            "POST",
            "/api/auth/email",
            &[(name, value), ("Content-Type", "application/json")],
            Some(br#"{"email":"victim@people.test"}"#),
        );
        assert_eq!(r.status, 403, "{name}: {value}: {}", r.text());
        assert_eq!(error_code(&r), "CsrfRejected");
    }
    assert_eq!(sb.mails().len(), mails, "no mail from a cross-site request");
    let r = request(
        s.addr,
        "POST",
        "/api/account/consents",
        &[
            ("Cookie", cookie.as_str()),
            ("X-CSRF-Token", token.as_str()),
            ("Origin", "http://evil.example"),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(history(&mut resident), 0, "nothing was written");

    // Same origin with the token: done.
    let origin = format!("http://{}", s.addr);
    let r = resident.send(
        "POST",
        "/api/account/consents",
        &[
            ("Origin", origin.as_str()),
            ("Sec-Fetch-Site", "same-origin"),
            ("Content-Type", "application/json"),
        ],
        Some(body.as_bytes()),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(history(&mut resident), 1);
    // Reads need no token.
    let r = request(
        s.addr,
        "GET",
        "/api/account",
        &[("Cookie", cookie.as_str())],
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    super::assert_no_warnings(&s);
}
