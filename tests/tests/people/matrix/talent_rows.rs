//! Rows of the matrix for capacity and talent (issue 12 §4): every account has its own offer;
//! those who organise the work in WK01 (communitybuilder, wijkondernemer, admin) see a resident's
//! offer there, invite and withdraw; a wijkondernemer elsewhere is told it does not exist; only
//! the wijkondernemer decides whether helpers on an assignment are paid; an invitation is
//! answered only by the invited resident (not a column: the e2e test covers that side).

use serde_json::json;
use tests::Response;

use super::{Client, Ctx, D, Row, WIJK, account, by_status, row, staff};

const A: &str = "allow 200";
const H: &str = "hidden 404";

/// Staff columns as given, other accounts 403, no account 401 (a device session has none).
fn organisers(cells: [&'static str; 6]) -> [&'static str; 10] {
    let mut e = staff(D, cells);
    e[super::DEVICE] = "deny 401";
    e
}

/// `allow` when the list holds something, `empty` when it is empty.
fn listed(key: &'static str) -> impl Fn(&Response) -> &'static str {
    move |r| {
        if r.status != 200 {
            return by_status(r);
        }
        let v = r.json();
        if v[key].as_array().is_some_and(|a| !a.is_empty()) {
            "allow"
        } else {
            "empty"
        }
    }
}

fn offers(r: &Response) -> &'static str {
    listed("offers")(r)
}

fn invitations(r: &Response) -> &'static str {
    listed("invitations")(r)
}

/// Invites the helper to the first planned item with `c`; on success withdraws it again, so the
/// next caller can too. Returns the invitation's answer and its id (or the standing one).
fn invite(x: &mut Ctx, c: &mut Client) -> (Response, i64) {
    let target = x.planned.first().cloned().expect("a planned item");
    let r = c.post_json(
        "/api/talent/invitations",
        &json!({ "offer": x.helper_offer, "kind": "solar", "target": target, "note": "matrix" }),
    );
    let id = if r.status == 201 {
        r.json()["id"].as_i64().unwrap()
    } else {
        x.invitation
    };
    (r, id)
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- talent/mod.rs
        row(
            "GET",
            "/api/account/offer",
            "the caller's own",
            account(A),
            |_, c| c.get("/api/account/offer"),
        ),
        row(
            "PUT",
            "/api/account/offer",
            "the caller's own, in WK01",
            account(A),
            |_, c| {
                c.put(
                    "/api/account/offer",
                    Some(&json!({
                        "skills": ["cooking"], "hours_per_week": 2,
                        "day_parts": ["weekday_evening"], "area": WIJK, "consent": true,
                    })),
                )
            },
        ),
        row(
            "GET",
            "/api/talent/offers",
            "offers in WK01",
            organisers([D, "allow 200", "allow 200", "empty 200", D, "allow 200"]),
            |_, c| c.get("/api/talent/offers"),
        )
        .classify(offers),
        row(
            "GET",
            "/api/talent/invitations",
            "one in WK01",
            organisers([D, "allow 200", "allow 200", "empty 200", D, "allow 200"]),
            |_, c| c.get("/api/talent/invitations"),
        )
        .classify(invitations),
        row(
            "POST",
            "/api/talent/invitations",
            "the helper in WK01 to a planned item; withdrawn again after a 201",
            organisers([D, "allow 201", "allow 201", H, D, "allow 201"]),
            |x, c| {
                let (r, id) = invite(x, c);
                if r.status == 201 {
                    let w = c.post_json(
                        &format!("/api/talent/invitations/{id}/withdraw"),
                        &json!({}),
                    );
                    assert_eq!(w.status, 200, "{}", w.text());
                }
                r
            },
        ),
        row(
            "POST",
            "/api/talent/invitations/{id}/withdraw",
            "one the caller just made, or the standing one in WK01",
            organisers([D, A, A, H, D, A]),
            |x, c| {
                let (_, id) = invite(x, c);
                c.post_json(
                    &format!("/api/talent/invitations/{id}/withdraw"),
                    &json!({}),
                )
            },
        ),
        row(
            "PUT",
            "/api/assignments/{id}/helpers",
            "accepted, in WK01; the wijkondernemer decides",
            {
                let mut e = [H; 10];
                e[super::ANON] = "deny 401";
                e[super::DEVICE] = "deny 401";
                e[5] = D;
                e[6] = A;
                e[9] = A;
                e
            },
            |x, c| {
                c.put(
                    &format!("/api/assignments/{}/helpers", x.accepted),
                    Some(&json!({ "paid": true })),
                )
            },
        )
        .partner(D),
        row(
            "GET",
            "/api/account/work",
            "the caller's own",
            account(A),
            |_, c| c.get("/api/account/work"),
        ),
        row(
            "POST",
            "/api/account/work/{id}/answer",
            "the helper's invitation: nobody else's",
            account(H),
            |x, c| {
                c.post_json(
                    &format!("/api/account/work/{}/answer", x.invitation),
                    &json!({ "answer": "accept" }),
                )
            },
        ),
        row(
            "POST",
            "/api/account/work/{id}/hours",
            "the helper's invitation: nobody else's",
            account(H),
            |x, c| {
                c.post_json(
                    &format!("/api/account/work/{}/hours", x.invitation),
                    &json!({ "day": "2026-01-05", "hours": 1 }),
                )
            },
        ),
        row(
            "DELETE",
            "/api/account/offer",
            "the caller's own",
            account("allow 204"),
            |_, c| c.delete("/api/account/offer"),
        ),
    ]
}
