//! Rows of the matrix for assignments from system partners (issue 12 §3). The partner that
//! offered them has a column of its own (another account of the same organisation); every other
//! caller meets them too: an offered assignment and an accepted one in WK01.

use serde_json::json;

use super::{Ctx, D, Row, row};

/// Signed-in callers are told it does not exist unless the policy lets them see it; without an
/// account, sign in. `cells` are the staff columns (volunteer … admin).
fn seen_by(cells: [&'static str; 6]) -> [&'static str; 10] {
    let mut e = ["hidden 404"; 10];
    e[super::ANON] = "deny 401";
    e[super::DEVICE] = "deny 401";
    e[4..].copy_from_slice(&cells);
    e
}

/// Signed-in callers get 403 unless the cells say otherwise; without an account, sign in.
fn signed_in(cells: [&'static str; 6]) -> [&'static str; 10] {
    let mut e = [D; 10];
    e[super::ANON] = "deny 401";
    e[super::DEVICE] = "deny 401";
    e[4..].copy_from_slice(&cells);
    e
}

const H: &str = "hidden 404";
const A: &str = "allow 200";

fn offered(x: &Ctx) -> String {
    format!("/api/assignments/{}", x.offered)
}

fn accepted(x: &Ctx) -> String {
    format!("/api/assignments/{}", x.accepted)
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- assignments/mod.rs
        row(
            "GET",
            "/api/assignments",
            "",
            signed_in([D, A, A, A, D, A]),
            |_, c| c.get("/api/assignments"),
        )
        .partner("allow 200"),
        row(
            "POST",
            "/api/assignments",
            "only a partner offers",
            signed_in([D, D, D, D, D, D]),
            |_, c| c.post_json("/api/assignments", &crate::assignments::terms(2)),
        )
        .partner("allow 201"),
        row(
            "POST",
            "/api/assignments/preview",
            "area WK01",
            signed_in([D, D, A, D, D, A]),
            |_, c| {
                c.post_json(
                    "/api/assignments/preview",
                    &json!({ "kind": "solar", "area": super::WIJK }),
                )
            },
        )
        .partner("allow 200"),
        row(
            "GET",
            "/api/assignments/income",
            "",
            signed_in([D, D, A, A, D, A]),
            |_, c| c.get("/api/assignments/income"),
        ),
        row(
            "GET",
            "/api/assignments/{id}",
            "offered, in WK01",
            seen_by([H, A, A, H, H, A]),
            |x, c| c.get(&offered(x)),
        )
        .partner("allow 200"),
        row(
            "PUT",
            "/api/assignments/{id}",
            "only its partner revises",
            seen_by([H, D, D, H, H, D]),
            |x, c| c.put(&offered(x), Some(&crate::assignments::terms(2))),
        )
        .partner("allow 200"),
        row(
            "POST",
            "/api/assignments/{id}/answer",
            "changes proposed; its partner offers it again before each call",
            seen_by([H, D, A, H, H, A]),
            |x, c| {
                let path = offered(x);
                let again = x.partner.put(&path, Some(&crate::assignments::terms(2)));
                assert_eq!(again.status, 200, "{}", again.text());
                c.post_json(
                    &format!("{path}/answer"),
                    &json!({ "answer": "propose_changes", "note": "matrix" }),
                )
            },
        )
        .partner(D),
        row(
            "POST",
            "/api/assignments/{id}/withdraw",
            "only its partner withdraws",
            seen_by([H, D, D, H, H, D]),
            |x, c| c.post_json(&format!("{}/withdraw", offered(x)), &json!({})),
        )
        .partner("allow 200"),
        row(
            "POST",
            "/api/assignments/{id}/deliveries",
            "accepted; the next planned item",
            {
                let mut e = seen_by([H, "allow 201", "allow 201", H, H, "allow 201"]);
                e[super::ANON] = "deny 401";
                e
            },
            |x, c| {
                let target = x.planned.last().cloned().expect("a planned item left");
                let r = c.post_json(
                    &format!("{}/deliveries", accepted(x)),
                    &json!({ "target": target, "evidence": "visit" }),
                );
                if r.status == 201 {
                    x.planned.pop();
                }
                r
            },
        )
        .partner(D),
        row(
            "POST",
            "/api/assignments/{id}/deliveries/{delivery}/decision",
            "only its partner decides",
            seen_by([H, D, D, H, H, D]),
            |x, c| {
                c.post_json(
                    &format!("{}/deliveries/{}/decision", accepted(x), x.delivery),
                    &json!({ "decision": "accept" }),
                )
            },
        )
        .partner("allow 200"),
        row(
            "GET",
            "/api/assignments/{id}/statement",
            "accepted, in WK01",
            seen_by([H, D, A, H, H, A]),
            |x, c| c.get(&format!("{}/statement", accepted(x))),
        )
        .partner("allow 200"),
    ]
}
