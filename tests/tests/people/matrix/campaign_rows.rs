//! Rows of the matrix for door-to-door campaigns (issue 13): those who organise the work in WK01
//! (communitybuilder, wijkondernemer, admin) plan, see and hand out turfs; a wijkondernemer
//! elsewhere sees none of them; the volunteer column holds the first turf: it reads that walk
//! list and sends visits on it — nobody else sends visits on a turf they do not hold.

use serde_json::json;

use super::{Client, Ctx, D, Row, account, row, staff};

const A: &str = "allow 200";
const H: &str = "hidden 404";

/// Staff columns as given, other accounts as `rest`, no account 401.
fn cells(rest: &'static str, staff_cells: [&'static str; 6]) -> [&'static str; 10] {
    let mut e = staff(rest, staff_cells);
    e[super::ANON] = "deny 401";
    e[super::DEVICE] = "deny 401";
    e
}

fn turf_path(x: &Ctx) -> String {
    format!("/api/campaigns/{}/turfs/{}", x.campaign, x.turf)
}

/// Splits the free turf after its first door with `c`; on success returns the new turf's id.
fn split(x: &Ctx, c: &mut Client) -> (tests::Response, Option<i64>) {
    let r = c.post_json(
        &format!("/api/campaigns/{}/turfs/{}/split", x.campaign, x.free_turf),
        &json!({ "after": 1 }),
    );
    let new = (r.status == 200).then(|| {
        r.json()["turfs"]
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|t| t["number"].as_i64().unwrap())
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    });
    (r, new)
}

fn merge(x: &Ctx, c: &mut Client, other: i64) -> tests::Response {
    c.post_json(
        &format!("/api/campaigns/{}/turfs/{}/merge", x.campaign, x.free_turf),
        &json!({ "with": other }),
    )
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        // ----- campaigns/mod.rs
        row(
            "GET",
            "/api/campaigns",
            "those who organise somewhere",
            cells(D, [D, A, A, A, D, A]),
            |_, c| c.get("/api/campaigns"),
        ),
        row(
            "POST",
            "/api/campaigns/preview",
            "area WK01",
            cells(D, [D, A, A, D, D, A]),
            |_, c| {
                c.post_json(
                    "/api/campaigns/preview",
                    &json!({ "area": super::WIJK, "criteria": "bouwjaar < 2030" }),
                )
            },
        ),
        row(
            "POST",
            "/api/campaigns",
            "area WK01",
            cells(D, [D, "allow 201", "allow 201", D, D, "allow 201"]),
            |_, c| c.post_json("/api/campaigns", &crate::campaigns::campaign(20)),
        ),
        row(
            "GET",
            "/api/campaigns/{id}",
            "in WK01",
            cells(H, [H, A, A, H, H, A]),
            |x, c| c.get(&format!("/api/campaigns/{}", x.campaign)),
        ),
        row(
            "PUT",
            "/api/campaigns/{id}/turfs/{turf}/holder",
            "to the volunteer who holds it already",
            cells(H, [H, A, A, H, H, A]),
            |x, c| {
                c.put(
                    &format!("{}/holder", turf_path(x)),
                    Some(&json!({ "holder": x.volunteer, "expected": x.volunteer })),
                )
            },
        ),
        row(
            "GET",
            "/api/campaigns/{id}/turfs/{turf}",
            "held by the volunteer column",
            cells(H, [A, A, A, H, H, A]),
            |x, c| c.get(&turf_path(x)),
        ),
        row(
            "POST",
            "/api/campaigns/{id}/turfs/{turf}/visits",
            "only its holder (organisers in scope: 403, not theirs)",
            cells(H, [A, D, D, H, H, D]),
            |x, c| {
                x.n += 1;
                let key = format!("matrix-visit-{:04}", x.n);
                c.post_json(
                    &format!("{}/visits", turf_path(x)),
                    &json!({ "visits": [{ "key": key, "address": x.turf_door, "outcome": "not_home" }] }),
                )
            },
        ),
        row(
            "GET",
            "/api/campaigns/{id}/export",
            "in WK01; the wijkondernemer exports",
            cells(H, [H, D, A, H, H, A]),
            |x, c| c.get(&format!("/api/campaigns/{}/export", x.campaign)),
        ),
        row(
            "POST",
            "/api/campaigns/{id}/turfs/{turf}/split",
            "a free route, merged back after a 200",
            cells(H, [H, A, A, H, H, A]),
            |x, c| {
                let (r, new) = split(x, c);
                if let Some(new) = new {
                    let m = merge(x, c, new);
                    assert_eq!(m.status, 200, "{}", m.text());
                }
                r
            },
        ),
        row(
            "POST",
            "/api/campaigns/{id}/turfs/{turf}/merge",
            "the half a split made (or the held route, for callers who may not split)",
            cells(H, [H, A, A, H, H, A]),
            |x, c| {
                let (_, new) = split(x, c);
                merge(x, c, new.unwrap_or(x.turf))
            },
        ),
        row(
            "GET",
            "/api/campaigns/{id}/map",
            "in WK01",
            cells(H, [H, A, A, H, H, A]),
            |x, c| c.get(&format!("/api/campaigns/{}/map", x.campaign)),
        ),
        row(
            "POST",
            "/api/campaigns/{id}/turfs/{turf}/doors",
            "the doors of the half a split made moved back (or a door of the held route, for callers who may not split)",
            cells(H, [H, A, A, H, H, A]),
            |x, c| {
                let (_, new) = split(x, c);
                let doors: Vec<String> = match new {
                    Some(new) => {
                        let map = c.get(&format!("/api/campaigns/{}/map", x.campaign)).json();
                        map["features"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|f| {
                                f["properties"]["kind"] == "door" && f["properties"]["route"] == new
                            })
                            .map(|f| f["properties"]["address"].as_str().unwrap().to_owned())
                            .collect()
                    }
                    None => vec![x.turf_door.clone()],
                };
                c.post_json(
                    &format!("/api/campaigns/{}/turfs/{}/doors", x.campaign, x.free_turf),
                    &json!({ "addresses": doors }),
                )
            },
        ),
        row(
            "GET",
            "/api/my/turfs",
            "the caller's own",
            account(A),
            |_, c| c.get("/api/my/turfs"),
        ),
    ]
}
