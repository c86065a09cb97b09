//! Rows of the matrix for resident reports (issue #4): types, reports, confirmations, flags,
//! photos, the building timeline, moderation and Open311. Rows that change a report work on a
//! fresh one that `Ctx::reporter` (a device session) makes for each caller, so the order of the
//! callers does not matter.

use serde_json::{Value, json};
use tests::Response;
use tests::images::tiny_png;

use super::{Client, Ctx, D, Row, all, row, staff};

/// A `solar_panels` report about the home's building, with a note of its own (so it is a report
/// of its own, never counted as a confirmation of the same report by another).
fn solar(x: &Ctx) -> Value {
    json!({ "type": "solar_panels", "target": { "building": x.building },
            "answers": { "panels": "yes", "roof_part": "front", "note": "gezien vanaf de stoep" } })
}

/// What the context's reporter said about the home (no free text): another who reports the same
/// confirms it.
fn same_as_theirs(x: &Ctx) -> Value {
    json!({ "type": "solar_panels", "target": { "building": x.building },
            "answers": { "panels": "yes" } })
}

/// A dying tree in the street of the home.
fn tree(x: &Ctx) -> Value {
    json!({ "type": "greenery_distress",
            "target": { "point": { "type": "Point", "coordinates": [x.lonlat[0] + 0.0002, x.lonlat[1]] } },
            "answers": { "object": "tree", "severity": "dying", "cause": "drought" } })
}

/// Makes a report as `c`; its id, or `None` when refused.
fn report(c: &mut Client, body: &Value) -> Option<i64> {
    let r = c.post_json("/api/observations", body);
    (r.status == 201).then(|| r.json()["id"].as_i64().unwrap())
}

/// A new report by the context's own reporter.
fn theirs(x: &mut Ctx, body: &Value) -> i64 {
    let b = body.clone();
    report(&mut x.reporter, &b).expect("the context's reporter reports")
}

/// Moderators: communitybuilder and wijkondernemer of WK01, admin; the wijkondernemer of WK02
/// moderates elsewhere only and is told the report does not exist (as for a missing one).
fn moderators(cell: &'static str) -> [&'static str; 10] {
    staff(D, [D, cell, cell, "hidden 404", D, cell])
}

/// Who sees reports about the home: its verified resident, staff of WK01 but the gemeente
/// (aggregates only), admin; everyone else is told it does not exist.
fn home_readers(cell: &'static str) -> [&'static str; 10] {
    let mut e = staff(
        "hidden 404",
        [cell, cell, cell, "hidden 404", "hidden 404", cell],
    );
    e[super::VERIFIED] = cell;
    e
}

/// Acting on another's report about the home: those who may see it are refused (403), the rest
/// are told it does not exist; anonymous must sign in.
fn not_the_reporter() -> [&'static str; 10] {
    let mut e = home_readers(D);
    e[super::ANON] = "deny 401";
    e
}

/// Every session: anonymous must sign in (or start a device session).
fn sessions(cell: &'static str) -> [&'static str; 10] {
    let mut e = all(cell);
    e[super::ANON] = "deny 401";
    e
}

pub(super) fn rows() -> Vec<Row> {
    vec![
        row(
            "GET",
            "/api/observation-types",
            "",
            all("allow 200"),
            |_, c| c.get("/api/observation-types"),
        ),
        row(
            "GET",
            "/api/observation-types/{name}",
            "solar_panels",
            all("allow 200"),
            |_, c| c.get("/api/observation-types/solar_panels"),
        ),
        row(
            "POST",
            "/api/admin/observation-types",
            "a new type",
            super::admin_only("allow 201"),
            |x, c| {
                let mut def = c.get("/api/observation-types/solar_panels").json();
                // Names are a-z and `_`: one letter per call.
                x.n += 1;
                let letter = char::from(b'a' + (x.n % 26) as u8);
                def["name"] = json!(format!("matrix_type_{letter}"));
                c.post_json("/api/admin/observation-types", &def)
            },
        ),
        row(
            "POST",
            "/api/observations",
            "solar_panels on the home's pand",
            sessions("allow 201"),
            |x, c| c.post_json("/api/observations", &solar(x)),
        ),
        row(
            "POST",
            "/api/observations",
            "what an open report of another says: a confirmation",
            sessions("allow 200"),
            |x, c| {
                let r = c.post_json("/api/observations", &same_as_theirs(x));
                assert!(
                    r.status != 200 || r.json()["outcome"] == "confirmed",
                    "{}",
                    r.text()
                );
                r
            },
        ),
        row(
            "GET",
            "/api/observations/{id}",
            "a report about the home by another",
            home_readers("allow 200"),
            |x, c| c.get(&format!("/api/observations/{}", x.obs_private)),
        ),
        row(
            "GET",
            "/api/observations/{id}",
            "a public-space report",
            all("allow 200"),
            |x, c| c.get(&format!("/api/observations/{}", x.tree)),
        ),
        row(
            "PATCH",
            "/api/observations/{id}",
            "one's own report",
            sessions("allow 200"),
            |x, c| {
                let id = report(c, &solar(x)).unwrap_or(x.obs_private);
                c.patch_json(
                    &format!("/api/observations/{id}"),
                    &json!({ "answers": { "panels": "no" } }),
                )
            },
        ),
        row(
            "PATCH",
            "/api/observations/{id}",
            "another's report about the home",
            not_the_reporter(),
            |x, c| {
                let id = theirs(x, &solar(x));
                c.patch_json(
                    &format!("/api/observations/{id}"),
                    &json!({ "answers": { "panels": "no" } }),
                )
            },
        ),
        row(
            "DELETE",
            "/api/observations/{id}",
            "one's own report",
            sessions("allow 204"),
            |x, c| {
                let id = report(c, &solar(x)).unwrap_or(x.obs_private);
                c.delete(&format!("/api/observations/{id}"))
            },
        ),
        row(
            "DELETE",
            "/api/observations/{id}",
            "another's report about the home",
            not_the_reporter(),
            |x, c| {
                let id = theirs(x, &solar(x));
                c.delete(&format!("/api/observations/{id}"))
            },
        ),
        row(
            "POST",
            "/api/observations/{id}/confirmations",
            "another's street-visible report",
            {
                // Only a report one may read can be confirmed; for the rest it does not exist.
                let mut e = home_readers("allow 201");
                e[super::ANON] = "deny 401";
                e
            },
            |x, c| {
                let id = theirs(x, &solar(x));
                c.send(
                    "POST",
                    &format!("/api/observations/{id}/confirmations"),
                    &[],
                    None,
                )
            },
        ),
        row(
            "POST",
            "/api/observations/{id}/flags",
            "another's public-space report",
            sessions("allow 201"),
            |x, c| {
                let id = theirs(x, &tree(x));
                c.post_json(
                    &format!("/api/observations/{id}/flags"),
                    &json!({ "reason": "spam" }),
                )
            },
        ),
        row(
            "GET",
            "/api/observations/similar",
            "solar_panels on the home's pand",
            {
                // Only for those who may see the reports about the home.
                let mut e = home_readers("allow 200");
                for cell in &mut e {
                    if *cell == "hidden 404" {
                        *cell = D;
                    }
                }
                e[super::ANON] = "deny 401";
                e
            },
            |x, c| {
                c.get(&format!(
                    "/api/observations/similar?type=solar_panels&building={}",
                    x.building
                ))
            },
        ),
        row(
            "GET",
            "/api/my/observations",
            "",
            sessions("allow 200"),
            |_, c| c.get("/api/my/observations"),
        ),
        row(
            "GET",
            "/api/buildings/{id}/timeline",
            "the home's pand",
            {
                let mut e = staff(
                    D,
                    ["allow 200", "allow 200", "allow 200", D, D, "allow 200"],
                );
                e[super::VERIFIED] = "allow 200";
                e
            },
            |x, c| c.get(&format!("/api/buildings/{}/timeline", x.building)),
        ),
        row(
            "POST",
            "/api/observations/{id}/photos",
            "a PNG to one's own report",
            sessions("allow 201"),
            |x, c| {
                let id = report(c, &solar(x)).unwrap_or(x.obs_private);
                c.send(
                    "POST",
                    &format!("/api/observations/{id}/photos"),
                    &[("Content-Type", "image/png")],
                    Some(&tiny_png()),
                )
            },
        ),
        row(
            "GET",
            "/api/photos/{file}",
            "of a report about the home",
            home_readers("allow 200"),
            |x, c| c.get(&x.home_photo),
        ),
        row(
            "GET",
            "/api/photos/{file}",
            "of a public-space report",
            all("allow 200"),
            |x, c| c.get(&x.tree_photo),
        ),
        row(
            "GET",
            "/api/moderation",
            "",
            staff(
                D,
                [D, "allow 200", "allow 200", "allow 200", D, "allow 200"],
            ),
            |_, c| c.get("/api/moderation"),
        ),
        row(
            "POST",
            "/api/observations/{id}/moderation",
            "hide a report about the home",
            moderators("allow 200"),
            |x, c| {
                let id = theirs(x, &solar(x));
                c.post_json(
                    &format!("/api/observations/{id}/moderation"),
                    &json!({ "action": "hide" }),
                )
            },
        ),
        row(
            "POST",
            "/api/observations/{id}/merge",
            "one report about the home into another",
            moderators("allow 200"),
            |x, c| {
                let (a, b) = (theirs(x, &solar(x)), theirs(x, &solar(x)));
                c.post_json(
                    &format!("/api/observations/{a}/merge"),
                    &json!({ "into": b }),
                )
            },
        ),
        row(
            "POST",
            "/api/observations/{id}/split",
            "a report about the home",
            moderators("allow 201"),
            |x, c| {
                let id = theirs(x, &solar(x));
                c.post_json(
                    &format!("/api/observations/{id}/split"),
                    &json!({ "answers": { "panels": "no" } }),
                )
            },
        ),
        row(
            "GET",
            "/open311/v2/{file}",
            "services.json",
            all("allow 200"),
            |_, c| c.get("/open311/v2/services.json"),
        ),
        row(
            "GET",
            "/open311/v2/services/{file}",
            "greenery_distress.xml",
            all("allow 200"),
            |_, c| c.get("/open311/v2/services/greenery_distress.xml"),
        ),
        row(
            "GET",
            "/open311/v2/requests/{file}",
            "the public-space report",
            all("allow 200"),
            |x, c| c.get(&format!("/open311/v2/requests/{}.json", x.tree)),
        ),
        row(
            "POST",
            "/open311/v2/{file}",
            "requests.json: a dying tree (anonymous posting off)",
            sessions("allow 201"),
            |x, c| {
                let (lon, lat) = (x.lonlat[0] + 0.0003, x.lonlat[1]);
                let form = format!(
                    "service_code=greenery_distress&lat={lat}&long={lon}\
                     &attribute[object]=tree&attribute[severity]=dying"
                );
                c.send(
                    "POST",
                    "/open311/v2/requests.json",
                    &[("Content-Type", "application/x-www-form-urlencoded")],
                    Some(form.as_bytes()),
                )
            },
        ),
    ]
}

/// Sets up what the rows read: a public-space report and a photo of it, and a photo of a report
/// about the home, all by `reporter`.
pub(super) fn setup(
    reporter: &mut Client,
    building: &str,
    lonlat: [f64; 2],
) -> (i64, String, String) {
    let x_tree = json!({ "type": "greenery_distress",
        "target": { "point": { "type": "Point", "coordinates": [lonlat[0] + 0.0001, lonlat[1]] } },
        "answers": { "object": "tree", "severity": "dying" } });
    let tree = report(reporter, &x_tree).expect("a tree report");
    let home = report(
        reporter,
        &json!({ "type": "solar_panels", "target": { "building": building }, "answers": { "panels": "yes" } }),
    )
    .expect("a report about the home");
    let photo = |c: &mut Client, id: i64| -> String {
        let r: Response = c.send(
            "POST",
            &format!("/api/observations/{id}/photos"),
            &[("Content-Type", "image/png")],
            Some(&tiny_png()),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["url"].as_str().unwrap().to_owned()
    };
    let tree_photo = photo(reporter, tree);
    let home_photo = photo(reporter, home);
    (tree, tree_photo, home_photo)
}
