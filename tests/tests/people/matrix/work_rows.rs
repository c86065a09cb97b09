//! Rows of the matrix for the work to be done (issue 12 §2): the kinds and the rule file, the
//! items of an area, the totals, one item and its status.

use serde_json::json;
use tests::Response;

use super::{
    Client, Ctx, D, Row, WIJK, admin_only, all, by_status, features, row, staff, workspace_root,
};

/// The totals: `allow` when some row is exact (the caller sees the items there), `aggregate` when
/// every row is the k-anonymous release.
fn totals(r: &Response) -> &'static str {
    if r.status != 200 {
        return by_status(r);
    }
    let v = r.json();
    let areas = v["areas"].as_array().expect("the totals have areas");
    assert!(!areas.is_empty(), "the wijk has work: {v}");
    if areas.iter().any(|a| a["exact"] == true) {
        "allow"
    } else {
        assert!(areas.iter().all(|a| a.get("by_status").is_none()), "{v}");
        "aggregate"
    }
}

/// Those who see the work items of WK01: its communitybuilder and wijkondernemer, and the admin.
fn work_of_wk01(cell: &'static str) -> [&'static str; 10] {
    staff(D, [D, cell, cell, D, D, cell])
}

/// The path of a work item in the buurt of WK01 that the context found.
fn item_path(x: &Ctx) -> String {
    format!("/api/work/items/{}", x.work_item)
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- ogc.rs: the work as an OGC collection
        row(
            "GET",
            "/ogc/collections/{collectionId}",
            "work",
            // Whoever sees work items somewhere, as the rule file.
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/ogc/collections/work"),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}/queryables",
            "work",
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/ogc/collections/work/queryables"),
        ),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items",
            "work, filtered to the buurt of WK01",
            // WK02's wijkondernemer may ask, and gets none of WK01's items.
            staff(
                D,
                [D, "allow 200", "allow 200", "empty 200", D, "allow 200"],
            ),
            |_, c| {
                c.get(&format!(
                    "/ogc/collections/work/items?limit=5&filter=buurtcode%20%3D%20%27{}%27",
                    super::super::BUURT
                ))
            },
        )
        .classify(features),
        row(
            "GET",
            "/ogc/collections/{collectionId}/items/{featureId}",
            "work: an item in WK01",
            staff(
                D,
                [D, "allow 200", "allow 200", "hidden 404", D, "allow 200"],
            ),
            |x, c| {
                c.get(&format!(
                    "/ogc/collections/work/items/{}",
                    x.work_item.replace('/', ":")
                ))
            },
        ),
        // ----- work_items/mod.rs
        row("GET", "/api/work/kinds", "", all("allow 200"), |_, c| {
            c.get("/api/work/kinds")
        }),
        row(
            "GET",
            "/api/work/rules",
            "",
            // Whoever sees work items anywhere (Place::Somewhere), so WK02's wijkondernemer too.
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/api/work/rules"),
        ),
        row(
            "PUT",
            "/api/work/rules",
            "the default rules again",
            admin_only("allow 200"),
            |_, c| put_rules(c),
        ),
        row(
            "GET",
            "/api/work/items",
            "area WK01",
            work_of_wk01("allow 200"),
            |_, c| c.get(&format!("/api/work/items?area={WIJK}&limit=5")),
        ),
        row(
            "GET",
            "/api/work/summary",
            "area WK01",
            staff(
                "aggregate 200",
                [
                    "aggregate 200",
                    "allow 200",
                    "allow 200",
                    "aggregate 200",
                    "aggregate 200",
                    "allow 200",
                ],
            ),
            |_, c| c.get(&format!("/api/work/summary?area={WIJK}")),
        )
        .classify(totals),
        row(
            "GET",
            "/api/work/items/{kind}/{target_kind}/{id}",
            "an item in WK01",
            item_readers("allow 200"),
            |x, c| c.get(&item_path(x)),
        ),
        row(
            "POST",
            "/api/work/items/{kind}/{target_kind}/{id}/status",
            "planned / in progress, in turn",
            item_readers("allow 200"),
            |x, c| {
                let next = ["planned", "in_progress"][x.work_steps % 2];
                let r = c.post_json(
                    &format!("{}/status", item_path(x)),
                    &json!({ "status": next, "note": "matrix" }),
                );
                if r.status == 200 {
                    x.work_steps += 1;
                }
                r
            },
        ),
    ]
}

/// One item: who may see it gets it, every other account is told it does not exist; without an
/// account (anonymous, device), sign in.
fn item_readers(cell: &'static str) -> [&'static str; 10] {
    let mut e = staff(
        "hidden 404",
        ["hidden 404", cell, cell, "hidden 404", "hidden 404", cell],
    );
    e[super::ANON] = "deny 401";
    e[super::DEVICE] = "deny 401";
    e
}

/// Loads the rule file the server starts with, as its text.
fn put_rules(c: &mut Client) -> Response {
    let text = std::fs::read(workspace_root().join("work/default-rules.toml")).unwrap();
    c.send(
        "PUT",
        "/api/work/rules",
        &[("Content-Type", "application/toml")],
        Some(&text),
    )
}
