//! The live map: a report is on the cached `all` tiles it touches by the time it is acknowledged
//! (`observations` for staff in scope, `public_space` for everyone), and tiles elsewhere stay
//! cached.

use std::time::Duration;

use serde_json::json;
use tests::{Client, Sandbox};

use super::{
    BUURT, OTHER_BUURT, OTHER_WIJK, PASSWORD, WIJK, assert_no_warnings, device, greenery, homes,
    ids_in, report_ok, sign_in_password, solar, tile_of, tile_path_of,
};

#[test]
fn a_report_is_on_the_cached_tile_at_once_for_those_who_may_see_it() {
    let sb = Sandbox::new();
    sb.add_user("wo@reports.test", "wijkondernemer", WIJK, Some(PASSWORD));
    sb.add_user(
        "wo-out@reports.test",
        "wijkondernemer",
        OTHER_WIJK,
        Some(PASSWORD),
    );
    let s = sb.serve(&[]);
    let mut wo = sign_in_password(&s, "wo@reports.test");
    let mut wo_out = sign_in_password(&s, "wo-out@reports.test");
    let mut anon = Client::new(s.addr);
    let mut reporter = device(&s);
    let home = &homes(&sb, BUURT)[11];

    // A first report tells where the building's point lies; its tile is then fetched (and cached)
    // by everyone before the report under test.
    let roof = report_ok(
        &mut reporter,
        &json!({ "type": "roof_suitability", "target": { "building": home.building }, "answers": { "shape": "flat", "shade": "none" } }),
    );
    let path = tile_path_of(&roof);
    let far = homes(&sb, OTHER_BUURT)[0].clone();
    let (fx, fy) = tile_of(far.lon, far.lat, 16);
    let far_path = format!("/tiles/all/16/{fx}/{fy}.mvt");
    assert_ne!(far_path, path);
    let before_wo = wo.get(&path);
    assert!(ids_in(&before_wo, "observations").contains(&roof["id"].as_u64().unwrap()));
    assert!(
        ids_in(&anon.get(&path), "observations").is_empty(),
        "never for the public"
    );
    let far_before = anon.get(&far_path);
    let far_before_wo = wo.get(&far_path);
    let etag = far_before.header("etag").unwrap().to_owned();
    let etag_wo = far_before_wo.header("etag").unwrap().to_owned();
    for _ in 0..2 {
        // Served from the cache now: the same tag.
        assert_eq!(wo.get(&path).header("etag"), before_wo.header("etag"));
    }

    let solar_report = report_ok(&mut reporter, &solar(&home.building));
    let id = solar_report["id"].as_u64().unwrap();
    assert_eq!(tile_path_of(&solar_report), path);
    let after = wo.get(&path);
    assert_ne!(after.header("etag"), before_wo.header("etag"));
    let seen = ids_in(&after, "observations");
    assert!(
        seen.contains(&id),
        "the very next tile shows report {id}: {seen:?}"
    );
    assert!(ids_in(&anon.get(&path), "observations").is_empty());
    assert!(
        !ids_in(&wo_out.get(&path), "observations").contains(&id),
        "out of scope"
    );
    // The `observations` tileset on its own: the same points for staff in scope, nothing outside
    // it, refused to whoever sees homes only as aggregates.
    let own = path.replacen("/tiles/all/", "/tiles/observations/", 1);
    let r = wo.get(&own);
    assert_eq!(r.status, 200, "{own}: {}", r.status);
    assert!(ids_in(&r, "observations").contains(&id), "{own}");
    // The layer's earlier (Dutch) name is still answered, for one release, with the same tile.
    let old = path.replacen("/tiles/all/", "/tiles/meldingen/", 1);
    let r_old = wo.get(&old);
    assert_eq!((r_old.status, &r_old.body), (200, &r.body), "{old}");
    assert!(
        ids_in(&r, "public_space").is_empty(),
        "{own} holds one layer"
    );
    assert_eq!(wo_out.get(&own).status, 204, "out of scope: an empty tile");
    assert_eq!(anon.get(&own).status, 401);
    assert_eq!(reporter.get(&own).status, 403);
    assert_eq!(anon.get("/tiles/observations.json").status, 401);
    assert_eq!(reporter.get("/tiles/observations.json").status, 403);
    assert_eq!(wo.get("/tiles/observations.json").status, 200);

    // A public-space report: on everyone's tile at once.
    let tree = greenery(home.lon, home.lat);
    let (tx, ty) = tile_of(home.lon, home.lat, 16);
    let tree_path = format!("/tiles/all/16/{tx}/{ty}.mvt");
    let anon_before = anon.get(&tree_path);
    let _ = wo.get(&tree_path);
    let tree = report_ok(&mut reporter, &tree);
    let tid = tree["id"].as_u64().unwrap();
    let public = ids_in(&anon.get(&tree_path), "public_space");
    assert!(
        public.contains(&tid),
        "anonymous sees the tree at once: {public:?} (before: {:?})",
        ids_in(&anon_before, "public_space")
    );
    assert!(ids_in(&wo.get(&tree_path), "public_space").contains(&tid));
    assert!(
        ids_in(&wo.get(&tree_path), "observations")
            .iter()
            .all(|m| *m != tid),
        "not a home report"
    );

    // Withdrawn: off the map at once.
    assert_eq!(
        reporter.delete(&format!("/api/observations/{id}")).status,
        204
    );
    assert!(!ids_in(&wo.get(&path), "observations").contains(&id));

    // Far away nothing changed: the same tag, and a conditional request is 304.
    assert_eq!(anon.get(&far_path).header("etag"), Some(etag.as_str()));
    assert_eq!(wo.get(&far_path).header("etag"), Some(etag_wo.as_str()));
    let r = anon.send("GET", &far_path, &[("If-None-Match", &etag)], None);
    assert_eq!(r.status, 304);
    assert_no_warnings(&s);
}

/// A tile rendered while a report is being written must not be cached over the invalidation that
/// the write made. The server's test hook `hold-renders-until` (see `server/src/config/mod.rs`)
/// makes the interleaving happen every time: a GET renders the tile from data read before the
/// report exists and is held before the tile is cached; the report is written and acknowledged
/// (its invalidation done) meanwhile; then the render is released and offered to the cache. The
/// next GET must show the report.
#[test]
fn a_tile_rendered_before_a_write_is_not_cached_over_it() {
    let sb = Sandbox::new();
    let gate = sb.dir().join("release-renders");
    let hook = format!("hold-renders-until={}", gate.display());
    let s = sb.serve_with_env(&[], "info", &[("WIJKWERK_TEST_HOOKS", &hook)]);
    let home = &homes(&sb, BUURT)[12];
    let (x, y) = tile_of(home.lon, home.lat, 16);
    let path = format!("/tiles/all/16/{x}/{y}.mvt");
    let mut reporter = device(&s);

    // A render of the tile reads its data, then is held.
    let from = s.log_len();
    let held = {
        let (addr, path) = (s.addr, path.clone());
        std::thread::spawn(move || tests::get(addr, &path))
    };
    let line = s.wait_for_log(from, "test hook: holding a render", Duration::from_mins(1));
    assert!(line.contains(&format!("16/{x}/{y}")), "{line}");

    // Meanwhile a report on that tile is written and acknowledged.
    let tree = report_ok(&mut reporter, &greenery(home.lon, home.lat));
    let id = tree["id"].as_u64().unwrap();
    assert_eq!(tile_path_of(&tree), path);
    assert!(
        !held.is_finished(),
        "the held render was answered before the report was acknowledged"
    );

    // Released after the write: it was rendered without the report, and it is offered to the
    // cache after the write's invalidation.
    std::fs::write(&gate, b"").unwrap();
    let stale = held.join().unwrap();
    assert!(
        !ids_in(&stale, "public_space").contains(&id),
        "the held render read its data before the report was written"
    );
    s.wait_for_log(from, "test hook: render released", Duration::from_mins(1));
    let next = ids_in(&Client::new(s.addr).get(&path), "public_space");
    assert!(
        next.contains(&id),
        "acknowledged report {id} is missing from the next GET of its tile ({next:?}): a tile \
         rendered before the write was cached after its invalidation"
    );
    assert_no_warnings(&s);
}

/// The public sees reports about homes only as counts per buurt and type, and only once k = 5
/// homes and 5 reporters with an account are in a cell (device sessions count as reports, not as
/// reporters); counts are rounded to 5. Read with Python's mapbox-vector-tile, an independent
/// decoder.
#[test]
fn the_public_counts_per_buurt_appear_only_from_k_homes_and_reporters() {
    let sb = Sandbox::new();
    let s = sb.serve(&[]);
    let homes = super::single_homes(&sb, BUURT);
    let (x, y) = tile_of(homes[0].lon, homes[0].lat, 10);
    let path = format!("/tiles/observations_per_buurt/10/{x}/{y}.mvt");
    let cells = |r: &tests::Response| -> Vec<serde_json::Value> {
        if r.status == 204 {
            return Vec::new();
        }
        assert_eq!(r.status, 200, "{}", r.status);
        let d: serde_json::Value =
            serde_json::from_str(&crate::tiles::python_decode(&r.body)).unwrap();
        d["observations_per_buurt"]["features"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|f| f["properties"].clone())
            .filter(|p| p["buurtcode"] == BUURT && p["type"] == "solar_panels")
            .collect()
    };
    let mut anon = Client::new(s.addr);
    assert!(cells(&anon.get(&path)).is_empty());
    // Five homes from device sessions: reports, but no reporters that count.
    for home in homes.iter().skip(10).take(5) {
        report_ok(&mut device(&s), &solar(&home.building));
    }
    assert!(cells(&anon.get(&path)).is_empty(), "devices alone");
    for (i, home) in homes.iter().take(5).enumerate() {
        let mut resident = super::sign_in_email(&sb, &s, &format!("kaart-{i}@reports.test"));
        report_ok(&mut resident, &solar(&home.building));
        let shown = cells(&anon.get(&path));
        if i < 4 {
            assert!(
                shown.is_empty(),
                "{} homes: suppressed, got {shown:?}",
                i + 1
            );
        } else {
            assert_eq!(
                shown,
                [
                    json!({ "buurtcode": BUURT, "type": "solar_panels", "records": 10, "addresses": 10 })
                ],
                "five homes by five accounts, and five by devices"
            );
        }
    }
    // An eleventh home: 11 rounds to 10, so the public cannot tell.
    report_ok(&mut device(&s), &solar(&homes[5].building));
    let shown = cells(&anon.get(&path));
    assert_eq!(
        (&shown[0]["records"], &shown[0]["addresses"]),
        (&json!(10), &json!(10)),
        "{shown:?}"
    );
    assert_no_warnings(&s);
}
