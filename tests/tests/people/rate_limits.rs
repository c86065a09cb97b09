//! Rate limits: sign-in attempts per client IP are a token bucket of `--sign-in-burst`.

use serde_json::json;
use tests::{Client, Sandbox};

use super::error_code;

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
