//! Scopes drawn by an admin (`polygon:{id}`): a wijkondernemer scoped to a polygon sees the
//! do-not-knock register inside it and nothing outside.

use serde_json::json;
use tests::Sandbox;

use super::{BUURT, OTHER_BUURT, PASSWORD, address, letters_csv, sign_in_email, sign_in_password};

#[test]
fn a_polygon_scope_shows_the_register_inside_it_only() {
    let sb = Sandbox::new();
    sb.add_user("admin@people.test", "admin", "all", Some(PASSWORD));
    let s = sb.serve(&[]);
    let mut admin = sign_in_password(&s, "admin@people.test");
    // Two households opt out: one in the buurt of WK01, one in the buurt of WK02.
    let mut homes = Vec::new();
    for (i, area) in [BUURT, OTHER_BUURT].into_iter().enumerate() {
        let letters = letters_csv(&mut admin, area);
        let mut r = sign_in_email(&sb, &s, &format!("huis-{i}@people.test"));
        let v = r.post_json("/api/my/addresses", &json!({ "code": letters[2].1 }));
        assert_eq!(v.status, 201, "{}", v.text());
        let home = v.json()["address_id"].as_str().unwrap().to_owned();
        let v = r.put(
            &format!("/api/my/addresses/{home}/opt-outs/canvassing"),
            None,
        );
        assert_eq!(v.status, 204);
        homes.push(home);
    }
    // A small square around the first home.
    let a = address(&sb, homes[0].parse().unwrap());
    let d = 0.0005;
    let square = json!({ "type": "Polygon", "coordinates": [[
        [a.lon - d, a.lat - d], [a.lon + d, a.lat - d], [a.lon + d, a.lat + d],
        [a.lon - d, a.lat + d], [a.lon - d, a.lat - d]
    ]]});
    let r = admin.post_json(
        "/api/admin/custom-areas",
        &json!({ "name": "Rond het plein", "geometry": square }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let scope = r.json()["scope"].as_str().unwrap().to_owned();
    assert!(scope.starts_with("polygon:"), "{scope}");
    let r = admin.post_json(
        "/api/admin/users",
        &json!({ "email": "plein@people.test", "role": "wijkondernemer", "scope": scope, "password": PASSWORD }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["roles"][0]["scope"], scope.as_str());
    let listed = admin.get("/api/admin/custom-areas").json();
    assert_eq!(listed[0]["scope"], scope.as_str(), "{listed}");

    let mut plein = sign_in_password(&s, "plein@people.test");
    let ids = |c: &mut tests::Client| -> Vec<String> {
        let r = c.get("/ogc/collections/do-not-knock/items");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        ids(&mut plein),
        [homes[0].clone()],
        "inside the polygon only"
    );
    let mut all = ids(&mut admin);
    all.sort();
    let mut expected = homes.clone();
    expected.sort();
    assert_eq!(all, expected, "the admin sees both");
    let r = plein.get(&format!("/ogc/collections/do-not-knock/items/{}", homes[1]));
    assert_eq!(r.status, 404, "outside the polygon: {}", r.text());
    // The tile over the first home holds it for the polygon's wijkondernemer.
    let (x, y) = super::tile_of(a.lon, a.lat, 16);
    let r = plein.get(&format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.body.windows(16).any(|w| w == homes[0].as_bytes()));
    // Outside the polygon the tile of the second home is empty for them.
    let b = address(&sb, homes[1].parse().unwrap());
    let (x, y) = super::tile_of(b.lon, b.lat, 16);
    let r = plein.get(&format!("/tiles/do_not_knock/16/{x}/{y}.mvt"));
    assert!(
        r.status == 204 || !r.body.windows(16).any(|w| w == homes[1].as_bytes()),
        "{}",
        r.status
    );
    super::assert_no_warnings(&s);
}
