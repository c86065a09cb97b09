//! The live map: a report is on the cached `all` tiles it touches by the time it is acknowledged
//! (`meldingen` for staff in scope, `openbare_ruimte` for everyone), and tiles elsewhere stay
//! cached.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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
    assert!(ids_in(&before_wo, "meldingen").contains(&roof["id"].as_u64().unwrap()));
    assert!(
        ids_in(&anon.get(&path), "meldingen").is_empty(),
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
    let seen = ids_in(&after, "meldingen");
    assert!(
        seen.contains(&id),
        "the very next tile shows report {id}: {seen:?}"
    );
    assert!(ids_in(&anon.get(&path), "meldingen").is_empty());
    assert!(
        !ids_in(&wo_out.get(&path), "meldingen").contains(&id),
        "out of scope"
    );
    // The `meldingen` tileset on its own: the same points for staff in scope, nothing outside
    // it, refused to whoever sees homes only as aggregates.
    let own = path.replacen("/tiles/all/", "/tiles/meldingen/", 1);
    let r = wo.get(&own);
    assert_eq!(r.status, 200, "{own}: {}", r.status);
    assert!(ids_in(&r, "meldingen").contains(&id), "{own}");
    assert!(
        ids_in(&r, "openbare_ruimte").is_empty(),
        "{own} holds one layer"
    );
    assert_eq!(wo_out.get(&own).status, 204, "out of scope: an empty tile");
    assert_eq!(anon.get(&own).status, 401);
    assert_eq!(reporter.get(&own).status, 403);
    assert_eq!(anon.get("/tiles/meldingen.json").status, 401);
    assert_eq!(reporter.get("/tiles/meldingen.json").status, 403);
    assert_eq!(wo.get("/tiles/meldingen.json").status, 200);

    // A public-space report: on everyone's tile at once.
    let tree = greenery(home.lon, home.lat);
    let (tx, ty) = tile_of(home.lon, home.lat, 16);
    let tree_path = format!("/tiles/all/16/{tx}/{ty}.mvt");
    let anon_before = anon.get(&tree_path);
    let _ = wo.get(&tree_path);
    let tree = report_ok(&mut reporter, &tree);
    let tid = tree["id"].as_u64().unwrap();
    let public = ids_in(&anon.get(&tree_path), "openbare_ruimte");
    assert!(
        public.contains(&tid),
        "anonymous sees the tree at once: {public:?} (before: {:?})",
        ids_in(&anon_before, "openbare_ruimte")
    );
    assert!(ids_in(&wo.get(&tree_path), "openbare_ruimte").contains(&tid));
    assert!(
        ids_in(&wo.get(&tree_path), "meldingen")
            .iter()
            .all(|m| *m != tid),
        "not a home report"
    );

    // Withdrawn: off the map at once.
    assert_eq!(
        reporter.delete(&format!("/api/observations/{id}")).status,
        204
    );
    assert!(!ids_in(&wo.get(&path), "meldingen").contains(&id));

    // Far away nothing changed: the same tag, and a conditional request is 304.
    assert_eq!(anon.get(&far_path).header("etag"), Some(etag.as_str()));
    assert_eq!(wo.get(&far_path).header("etag"), Some(etag_wo.as_str()));
    let r = anon.send("GET", &far_path, &[("If-None-Match", &etag)], None);
    assert_eq!(r.status, 304);
    assert_no_warnings(&s);
}

/// A tile rendered while a report is being written must not be cached over the invalidation that
/// the write made: after each 201 the next GET shows the report, however busy the tile is.
#[test]
fn a_tile_read_during_a_write_never_hides_an_acknowledged_report() {
    let sb = Sandbox::new();
    let s = sb.serve(&["--sign-in-burst", "100"]);
    let home = &homes(&sb, BUURT)[12];
    let (x, y) = tile_of(home.lon, home.lat, 16);
    let path = format!("/tiles/all/16/{x}/{y}.mvt");
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (stop, reads, path, addr) =
                (Arc::clone(&stop), Arc::clone(&reads), path.clone(), s.addr);
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let r = tests::get(addr, &path);
                    assert!(r.status == 200 || r.status == 204, "{}", r.status);
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let mut reporter = device(&s);
    let mut anon = Client::new(s.addr);
    let mut missed = Vec::new();
    for i in 0..55 {
        // Points a few metres apart, all in the same tile.
        let lon = home.lon + f64::from(i % 7) * 0.000_01;
        let tree = report_ok(&mut reporter, &greenery(lon, home.lat));
        let id = tree["id"].as_u64().unwrap();
        if !ids_in(&anon.get(&path), "openbare_ruimte").contains(&id) {
            missed.push(id);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    assert!(reads.load(Ordering::Relaxed) > 55, "the tile was busy");
    // The last write dropped the cached tile again, so a fresh render shows what the store holds.
    let now_shown = ids_in(&anon.get(&path), "openbare_ruimte");
    assert!(
        missed.is_empty(),
        "acknowledged reports missing from the next GET of their tile: {missed:?}; a fresh render \
         shows them ({}): a tile rendered before the write was cached after its invalidation",
        missed.iter().all(|m| now_shown.contains(m))
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
    let path = format!("/tiles/meldingen_per_buurt/10/{x}/{y}.mvt");
    let cells = |r: &tests::Response| -> Vec<serde_json::Value> {
        if r.status == 204 {
            return Vec::new();
        }
        assert_eq!(r.status, 200, "{}", r.status);
        let d: serde_json::Value =
            serde_json::from_str(&crate::tiles::python_decode(&r.body)).unwrap();
        d["meldingen_per_buurt"]["features"]
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
