//! Bad input to the accounts API: each refusal has its status, names what is wrong, and leaves
//! nothing half-written.

use serde_json::json;
use tests::{Client, Sandbox};

use super::{PASSWORD, WIJK, error_code, sign_in_password};

fn user_count(admin: &mut Client) -> usize {
    let r = admin.get("/api/admin/users");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json().as_array().unwrap().len()
}

#[test]
fn malformed_bodies_and_unknown_roles_are_refused_and_change_nothing() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    sb.add_user("target@people.test", "volunteer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@people.test");
    let before = user_count(&mut admin);
    let audit_before = super::audit(&mut admin).len();
    let mails = sb.mails().len();

    // Malformed JSON → 400, another content type → 415, over 64 KiB → 413.
    let json_ct = [("Content-Type", "application/json")];
    for (path, body) in [
        ("/api/auth/email", &b"{\"email\": "[..]),
        (
            "/api/admin/users",
            &b"{\"email\": \"a@b.nl\", \"role\": }"[..],
        ),
        ("/api/admin/users", &b"not json at all"[..]),
    ] {
        let r = admin.send("POST", path, &json_ct, Some(body));
        assert_eq!(r.status, 400, "{path}: {}", r.text());
        assert_eq!(error_code(&r), "BadRequest");
    }
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let r = admin.send(
            "POST",
            "/api/admin/users",
            &[("Content-Type", ct)],
            Some(br#"{"email":"ct@people.test","role":"volunteer","scope":"WK199901"}"#),
        );
        assert_eq!(r.status, 415, "{ct}: {}", r.text());
        assert_eq!(error_code(&r), "UnsupportedMediaType");
    }
    let r = admin.send(
        "POST",
        "/api/admin/users",
        &[],
        Some(br#"{"email":"noct@people.test","role":"volunteer","scope":"WK199901"}"#),
    );
    assert_eq!(r.status, 415, "no content type: {}", r.text());
    let big = format!(
        r#"{{"email":"big@people.test","display_name":"{}","role":"volunteer","scope":"WK199901"}}"#,
        "x".repeat(70 * 1024)
    );
    let r = admin.send("POST", "/api/admin/users", &json_ct, Some(big.as_bytes()));
    assert_eq!(r.status, 413, "{}", r.text());
    let r = Client::new(s.addr).send(
        "POST",
        "/api/auth/email",
        &json_ct,
        Some(format!(r#"{{"email":"{}@people.test"}}"#, "a".repeat(70 * 1024)).as_bytes()),
    );
    assert_eq!(r.status, 413, "anonymous, big: {}", r.text());

    // Unknown role or scope → 422 naming the field.
    for (body, field) in [
        (
            json!({ "email": "r@people.test", "role": "overlord", "scope": WIJK }),
            "role",
        ),
        (
            json!({ "email": "s@people.test", "role": "volunteer", "scope": "WK999999" }),
            "scope",
        ),
        (
            json!({ "email": "s2@people.test", "role": "volunteer", "scope": "Wijkdorp" }),
            "scope",
        ),
        (
            json!({ "email": "s3@people.test", "role": "volunteer", "scope": "polygon:999" }),
            "scope",
        ),
        (
            json!({ "email": "s4@people.test", "role": "resident", "scope": WIJK }),
            "scope",
        ),
        (
            json!({ "email": "not-an-address", "role": "volunteer", "scope": WIJK }),
            "email",
        ),
        (
            json!({ "email": "p@people.test", "role": "volunteer", "scope": WIJK, "password": "short" }),
            "password",
        ),
    ] {
        let r = admin.post_json("/api/admin/users", &body);
        assert_eq!(r.status, 422, "{body}: {}", r.text());
        let description = r.json()["description"].as_str().unwrap().to_owned();
        assert!(
            description.contains(field),
            "{body}: the message names {field}: {description}"
        );
    }
    // Unknown fields are refused, not ignored.
    let r = admin.post_json(
        "/api/admin/users",
        &json!({ "email": "u@people.test", "role": "volunteer", "scope": WIJK, "is_admin": true }),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("is_admin"), "{}", r.text());
    assert_eq!(user_count(&mut admin), before, "no account was added");

    // Roles: a list with one bad entry changes nothing of the account.
    let users = admin.get("/api/admin/users").json();
    let target = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "target@people.test")
        .unwrap()
        .clone();
    let id = target["id"].as_i64().unwrap();
    for roles in [
        json!([{ "role": "wijkondernemer", "scope": WIJK }, { "role": "emperor", "scope": "all" }]),
        json!([{ "role": "wijkondernemer", "scope": WIJK }, { "role": "gemeente", "scope": "GM0000" }]),
        json!([]),
    ] {
        let r = admin.put(&format!("/api/admin/users/{id}/roles"), Some(&roles));
        assert_eq!(r.status, 422, "{roles}: {}", r.text());
    }
    let r = admin.put(
        "/api/admin/users/not-a-number/roles",
        Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
    );
    assert_eq!(r.status, 400, "{}", r.text());
    let r = admin.put(
        "/api/admin/users/999999/roles",
        Some(&json!([{ "role": "volunteer", "scope": WIJK }])),
    );
    assert_eq!(r.status, 404, "{}", r.text());
    let after = admin.get("/api/admin/users").json();
    let target_after = after
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "target@people.test")
        .unwrap();
    assert_eq!(target_after["roles"], target["roles"], "roles unchanged");

    // The CLI refuses the same and adds nothing.
    let out = sb.try_add_user("cli@people.test", "overlord", WIJK, Some(PASSWORD));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("overlord"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sb.try_add_user("cli@people.test", "volunteer", "Wijkdorp", Some(PASSWORD));
    assert!(!out.status.success());
    let out = sb.try_add_user("cli@people.test", "volunteer", WIJK, Some("short"));
    assert!(!out.status.success());
    assert_eq!(user_count(&mut admin), before, "no account was added");
    // Only the admin's reads were audited, no change.
    let audit_after = super::audit(&mut admin);
    let changes: Vec<_> = audit_after[..audit_after.len() - audit_before]
        .iter()
        .filter(|e| !e["action"].as_str().unwrap().starts_with("read_"))
        .collect();
    assert!(changes.is_empty(), "audited changes: {changes:?}");
    assert_eq!(sb.mails().len(), mails, "no mail was sent");
    super::assert_no_warnings(&s);
}
