//! Rate limits: sign-in attempts per client IP are a token bucket of `--sign-in-burst`; wrong
//! passwords count per account and client, mails per address, and nobody's failures refuse the
//! owner's right password or mailed code. Other client IPs are other loopback addresses.

use serde_json::json;
use tests::{Client, Sandbox};

use super::{PASSWORD, WIJK, error_code};

#[test]
fn sign_in_mail_beyond_the_burst_is_429_with_retry_after() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "3"]);
    let mut c = Client::new(s.addr);
    // Different addresses each time: the limit is per IP, not only per account.
    for i in 0..3 {
        let r = c.post_json(
            "/api/auth/email",
            &json!({ "email": format!("burst-{i}@people.test") }),
        );
        assert_eq!(r.status, 202, "request {i}: {}", r.text());
    }
    let r = c.post_json(
        "/api/auth/email",
        &json!({ "email": "burst-3@people.test" }),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(error_code(&r), "TooManyRequests");
    let retry: u64 = r
        .header("retry-after")
        .expect("Retry-After header")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "Retry-After: {retry}");
    assert_eq!(sb.mails().len(), 3, "no mail beyond the burst");
    // The other sign-in routes share the bucket.
    let r = c.post_json(
        "/api/auth/password",
        &json!({ "email": "x@people.test", "password": "whatever it is" }),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    let r = c.post_json(
        "/api/auth/email/verify",
        &json!({ "email": "burst-0@people.test", "code": "000000" }),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    // Reading is not limited.
    assert_eq!(c.get("/api/session").status, 200);
    super::assert_no_warnings(&s);
}

/// Wrong passwords slow down the client that sends them, not the account: five wrong passwords
/// from one address do not stop the right password from another (OWASP: no lock-out by others).
#[test]
fn wrong_passwords_from_one_client_do_not_lock_the_owner_out() {
    let sb = Sandbox::new();
    sb.add_user("locked@people.test", "volunteer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut attacker = Client::from_ip(s.addr, [127, 0, 0, 2]);
    let attempt = |c: &mut Client, password: &str| {
        c.post_json(
            "/api/auth/password",
            &json!({ "email": "locked@people.test", "password": password }),
        )
    };
    for i in 1..=5 {
        let r = attempt(&mut attacker, "not the password at all");
        assert_eq!(r.status, 401, "wrong password {i}: {}", r.text());
    }
    // The attacker has slowed itself down: even the right password is not tried for it.
    let r = attempt(&mut attacker, "still not the password");
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    let r = attempt(&mut attacker, PASSWORD);
    assert_eq!(r.status, 429, "{}", r.text());
    // The owner, from another address, signs in at once; a typo of theirs is just a typo.
    let mut owner = Client::new(s.addr);
    let r = attempt(&mut owner, "the owner mistyped");
    assert_eq!(r.status, 401, "{}", r.text());
    let r = attempt(&mut owner, PASSWORD);
    assert_eq!(r.status, 200, "the owner is locked out: {}", r.text());
    super::assert_no_warnings(&s);
}

/// Sign-in mails are limited per address (no mail bombs), but a code that was mailed is never
/// refused by a limiter: sign-in mails asked for by someone else do not block the resident.
#[test]
fn sign_in_mails_asked_for_by_someone_else_do_not_block_the_residents_code() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let email = "bombed@people.test";
    let mut attacker = Client::from_ip(s.addr, [127, 0, 0, 2]);
    for i in 1..=5 {
        let r = attacker.post_json("/api/auth/email", &json!({ "email": email }));
        assert_eq!(r.status, 202, "mail {i}: {}", r.text());
    }
    let r = attacker.post_json("/api/auth/email", &json!({ "email": email }));
    assert_eq!(r.status, 429, "a sixth mail at once: {}", r.text());
    assert_eq!(sb.mails().len(), 5, "no mail beyond the limit");
    // Four wrong guesses (the fifth would void the codes, by design of the codes themselves).
    for i in 1..=4 {
        let r = attacker.post_json(
            "/api/auth/email/verify",
            &json!({ "email": email, "code": format!("{:06}", 999_990 + i) }),
        );
        assert_eq!(error_code(&r), "InvalidToken", "guess {i}: {}", r.text());
    }
    // The resident reads the newest mail and signs in, from their own address.
    let code = sb.last_mail(email).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut owner = Client::new(s.addr);
    let r = owner.post_json(
        "/api/auth/email/verify",
        &json!({ "email": email, "code": code }),
    );
    assert_eq!(r.status, 200, "the resident's own code: {}", r.text());
    assert_eq!(r.json()["user"]["email"], email);
    super::assert_no_warnings(&s);
}

/// The second factor is not guessable from many addresses: wrong TOTP codes after the right
/// password count per account, and asking for the code (the first step) is not a failure.
#[test]
fn wrong_totp_codes_count_per_account_whatever_the_address() {
    let sb = Sandbox::new();
    sb.add_user("second@people.test", "wijkondernemer", WIJK, Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut owner = super::sign_in_password(&s, "second@people.test");
    let secret = owner
        .post_json("/api/account/totp", &json!({ "password": PASSWORD }))
        .json()["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let step = super::now() / 30;
    let r = owner.post_json(
        "/api/account/totp/confirm",
        &json!({ "code": super::totp(&secret, step) }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let wrong = format!(
        "{:06}",
        (super::totp(&secret, step + 1).parse::<u32>().unwrap() + 7) % 1_000_000
    );
    let attempt = |from: [u8; 4], code: Option<&str>| {
        let mut body = json!({ "email": "second@people.test", "password": PASSWORD });
        if let Some(code) = code {
            body["totp"] = json!(code);
        }
        Client::from_ip(s.addr, from).post_json("/api/auth/password", &body)
    };
    // The first step, many times: only the IP's own bucket counts it.
    for _ in 0..8 {
        assert_eq!(error_code(&attempt([127, 0, 0, 2], None)), "TotpRequired");
    }
    // One wrong code from each of five addresses, then a sixth address is refused.
    for n in 3..8 {
        let r = attempt([127, 0, 0, n], Some(&wrong));
        assert_eq!(error_code(&r), "TotpRequired", "{}", r.text());
    }
    let r = attempt([127, 0, 0, 8], Some(&wrong));
    assert_eq!(r.status, 429, "{}", r.text());
    super::assert_no_warnings(&s);
}
